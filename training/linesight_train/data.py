# SPDX-License-Identifier: Apache-2.0
"""Labelled image folders (Pascal VOC XML, YOLO txt, the station's export: YOLO txt + classes.txt), letterboxed
exactly as the station's inference module does it (aspect kept, bilinear without antialiasing like OpenCV's
INTER_LINEAR, padding grey 114, values /255), held in memory as uint8, and augmented per batch."""

import math
import os
import xml.etree.ElementTree as ET

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

IMAGE_EXT = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff")
PAD = 114


class DataError(Exception):
    """A dataset problem, naming the file (and line) at fault."""


def find_images(folder, stems=None):
    """Image files under `folder` (recursively, sorted); only those whose stem is listed when `stems` is given."""
    if not os.path.isdir(folder):
        raise DataError(f"{folder}: no such dataset folder")
    out = []
    for root, _, files in os.walk(folder):
        for f in files:
            if f.lower().endswith(IMAGE_EXT):
                out.append(os.path.join(root, f))
    out.sort()
    if stems is not None:
        by_stem = {os.path.splitext(os.path.basename(p))[0]: p for p in out}
        missing = [s for s in stems if s not in by_stem]
        if missing:
            raise DataError(f"{folder}: {len(missing)} listed images not found, e.g. {missing[:3]}")
        out = [by_stem[s] for s in stems]
    if not out:
        raise DataError(f"{folder}: no images ({', '.join(IMAGE_EXT)})")
    return out


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return [os.path.splitext(os.path.basename(line.strip()))[0] for line in f if line.strip()]


def label_file(image):
    """Same search as the station's LabelledDataset: beside the image, ../labels, ../annotations, ../Annotations."""
    d, stem = os.path.dirname(image), os.path.splitext(os.path.basename(image))[0]
    up = os.path.dirname(d)
    for p in (os.path.join(d, stem + ".xml"), os.path.join(d, stem + ".txt"), os.path.join(up, "labels", stem + ".txt"),
              os.path.join(up, "annotations", stem + ".xml"), os.path.join(up, "Annotations", stem + ".xml")):
        if os.path.isfile(p):
            return p
    return None


def class_names(folder):
    """classes.txt or data.yaml `names` in the folder or its parent; None when neither is there."""
    for d in (folder, os.path.dirname(os.path.abspath(folder))):
        p = os.path.join(d, "classes.txt")
        if os.path.isfile(p):
            with open(p, encoding="utf-8") as f:
                return [line.strip() for line in f if line.strip()]
        p = os.path.join(d, "data.yaml")
        if os.path.isfile(p):
            return _yaml_names(p)
    return None


def _yaml_names(path):
    # the two forms Ultralytics writes: names: [a, b] or names:\n  0: a\n  1: b (no YAML library needed)
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("names:"):
            rest = line.split(":", 1)[1].strip()
            if rest.startswith("["):
                return [s.strip().strip("'\"") for s in rest.strip("[]").split(",") if s.strip()]
            names = {}
            for ln in lines[i + 1:]:
                if not ln.startswith((" ", "\t")) or ":" not in ln:
                    break
                k, v = ln.split(":", 1)
                names[int(k.strip())] = v.strip().strip("'\"")
            return [names[k] for k in sorted(names)]
    raise DataError(f"{path}: no names")


def read_labels(path, w, h, names):
    """[K, 5] float array (class, x1, y1, x2, y2) in source pixels."""
    if path is None:
        return np.zeros((0, 5), np.float32)
    rows = []
    if path.endswith(".xml"):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            raise DataError(f"{path}: not Pascal VOC XML: {e}") from e
        for i, o in enumerate(root.iter("object")):
            name = (o.findtext("name") or "").strip()
            if name not in names:
                raise DataError(f"{path}: object {i + 1} is '{name}', not one of {names}")
            bb = o.find("bndbox")
            if bb is None:
                raise DataError(f"{path}: object {i + 1} has no bndbox")
            try:
                rows.append([names.index(name)] + [float(bb.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")])
            except (TypeError, ValueError) as e:
                raise DataError(f"{path}: object {i + 1}: bad bndbox ({e})") from e
    else:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                p = line.split()
                if not p:
                    continue
                try:
                    c, cx, cy, bw, bh = int(p[0]), *map(float, p[1:5])
                except (ValueError, IndexError) as e:
                    raise DataError(f"{path}:{n}: not 'class cx cy w h': {line.strip()}") from e
                if not 0 <= c < len(names):
                    raise DataError(f"{path}:{n}: class {c}, but there are {len(names)} classes")
                rows.append([c, (cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h])
    return np.array(rows, np.float32).reshape(-1, 5)


def voc_names(images):
    names = set()
    for im in images:
        p = label_file(im)
        if p and p.endswith(".xml"):
            for o in ET.parse(p).getroot().iter("object"):
                names.add((o.findtext("name") or "").strip())
    return sorted(names)


def letterbox_geometry(w, h, tw, th):
    """As the station's Letterbox (and Ultralytics' LetterBox): new size rounded half-to-even, padding split with
    the +-0.1 rounding."""
    r = min(th / h, tw / w)
    nw, nh = int(round(w * r)), int(round(h * r))
    dw, dh = (tw - nw) / 2, (th - nh) / 2
    return r, nw, nh, int(round(dw - 0.1)), int(round(dh - 0.1))


def letterbox(grey, tw, th):
    """uint8 [H, W] -> uint8 [th, tw], plus (scale, left, top)."""
    h, w = grey.shape
    r, nw, nh, left, top = letterbox_geometry(w, h, tw, th)
    t = torch.from_numpy(grey).float()[None, None]
    if (nw, nh) != (w, h):
        t = F.interpolate(t, size=(nh, nw), mode="bilinear", align_corners=False)
    out = torch.full((th, tw), float(PAD))
    out[top:top + nh, left:left + nw] = t[0, 0].round().clamp(0, 255)
    return out.to(torch.uint8), r, left, top


def load_grey(path):
    try:
        with Image.open(path) as im:
            if im.mode in ("I;16", "I;16B", "I"):
                return (np.asarray(im, dtype=np.uint32) >> 8).astype(np.uint8)
            return np.array(im.convert("L"), dtype=np.uint8)
    except OSError as e:
        raise DataError(f"{path}: cannot read image: {e}") from e


class ImageSet:
    """Every image letterboxed to (th, tw) and kept as uint8 with its boxes in input pixels."""

    def __init__(self, images, names, tw, th, cache_dir=None, log=print):
        self.names, self.tw, self.th = names, tw, th
        self.paths = images
        key = None
        if cache_dir:
            import hashlib
            h = hashlib.sha1(f"{tw}x{th}|{names}|".encode() + "\n".join(
                f"{p}:{os.path.getmtime(p)}" for p in images).encode()).hexdigest()[:16]
            key = os.path.join(cache_dir, f"cache-{tw}x{th}-{h}.pt")
            if os.path.isfile(key):
                d = torch.load(key)
                self.pixels, self.boxes = d["pixels"], d["boxes"]
                log(f"data: {len(images)} images from cache {key}")
                return
        self.pixels = torch.empty((len(images), th, tw), dtype=torch.uint8)
        self.boxes = []
        for i, p in enumerate(images):
            g = load_grey(p)
            lab = read_labels(label_file(p), g.shape[1], g.shape[0], names)
            self.pixels[i], r, left, top = letterbox(g, tw, th)
            b = torch.from_numpy(lab)
            if len(b):
                b[:, 1:] *= r
                b[:, [1, 3]] += left
                b[:, [2, 4]] += top
            self.boxes.append(b)
        if key:
            os.makedirs(cache_dir, exist_ok=True)
            torch.save({"pixels": self.pixels, "boxes": self.boxes}, key)
        log(f"data: {len(images)} images letterboxed to {tw}x{th}")

    def __len__(self):
        return len(self.paths)

    def instances(self):
        return sum(len(b) for b in self.boxes)


def collate(images, boxes):
    """float [B,1,H,W] in 0..1 and targets [K,6] (image index, class, x1, y1, x2, y2)."""
    x = torch.stack(images).float().unsqueeze(1) / 255.0
    t = [torch.cat((torch.full((len(b), 1), float(i)), b), 1) for i, b in enumerate(boxes)]
    return x, (torch.cat(t) if t else torch.zeros((0, 6)))


class Augment:
    """Industrial augmentation: flips, small affine (scale, shift, rotation), brightness/contrast/gamma, sensor
    noise, and mosaic (four images around a random centre at their own scale, so defects keep their size)."""

    def __init__(self, flip_lr=0.5, flip_ud=0.5, scale=0.1, translate=0.05, degrees=3.0, brightness=0.1,
                 contrast=0.15, gamma=0.2, noise=0.02, mosaic=0.0, min_visible=0.4, crop=None, crop_on_defect=0.7):
        self.__dict__.update(locals())
        del self.__dict__["self"]

    def batch(self, data, idx, g):
        """Images (uint8 [H,W]) and boxes for the indices, augmented with generator g (deterministic)."""
        ims, bxs = [], []
        for i in idx:
            if self.mosaic > 0 and torch.rand((), generator=g) < self.mosaic:
                others = torch.randint(len(data), (3,), generator=g).tolist()
                im, b = self._mosaic(data, [i] + others, g)
            else:
                im, b = data.pixels[i], data.boxes[i].clone()
            im, b = self._geometric(im, b, g)
            if self.crop:
                im, b = self._crop(im, b, g)
            ims.append(im)
            bxs.append(b)
        x, t = collate(ims, bxs)
        return self._photometric(x, g), t

    def _mosaic(self, data, idx, g):
        th, tw = data.th, data.tw
        canvas = torch.full((2 * th, 2 * tw), PAD, dtype=torch.uint8)
        xc = int(torch.randint(tw // 2, tw * 3 // 2, (), generator=g))
        yc = int(torch.randint(th // 2, th * 3 // 2, (), generator=g))
        boxes = []
        for k, i in enumerate(idx):
            im = data.pixels[i]
            # quadrant k: the image's corner that touches the centre
            x0, y0 = (xc - tw if k in (0, 2) else xc), (yc - th if k in (0, 1) else yc)
            cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x0 + tw, 2 * tw), min(y0 + th, 2 * th)
            canvas[cy0:cy1, cx0:cx1] = im[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0]
            b = data.boxes[i].clone()
            b[:, [1, 3]] += x0
            b[:, [2, 4]] += y0
            boxes.append(b)
        # the output window: tw x th around the centre
        ox, oy = xc - tw // 2, yc - th // 2
        out = canvas[oy:oy + th, ox:ox + tw].clone()
        b = torch.cat(boxes)
        b[:, [1, 3]] -= ox
        b[:, [2, 4]] -= oy
        return out, self._clip(b, tw, th)

    def _crop(self, im, b, g):
        """A crop x crop window (w, h), centred near a random defect with probability crop_on_defect, else anywhere:
        the network is fully convolutional, so training on windows costs a fraction of whole frames while most
        samples still hold a defect; it still runs on whole frames."""
        h, w = im.shape
        cw, ch = min(self.crop[0], w), min(self.crop[1], h)
        if len(b) and torch.rand((), generator=g) < self.crop_on_defect:
            k = int(torch.randint(len(b), (), generator=g))
            cx, cy = float(b[k, 1] + b[k, 3]) / 2, float(b[k, 2] + b[k, 4]) / 2
            jx, jy = (float(torch.rand((), generator=g)) - 0.5) * cw * 0.6, (float(torch.rand((), generator=g)) - 0.5) * ch * 0.6
            x0 = int(min(max(cx - cw / 2 + jx, 0), w - cw))
            y0 = int(min(max(cy - ch / 2 + jy, 0), h - ch))
        else:
            x0 = int(torch.randint(w - cw + 1, (), generator=g))
            y0 = int(torch.randint(h - ch + 1, (), generator=g))
        b = b.clone()
        b[:, [1, 3]] -= x0
        b[:, [2, 4]] -= y0
        return im[y0:y0 + ch, x0:x0 + cw], self._clip(b, cw, ch)

    def _clip(self, b, w, h):
        if not len(b):
            return b
        area0 = (b[:, 3] - b[:, 1]) * (b[:, 4] - b[:, 2])
        b[:, [1, 3]] = b[:, [1, 3]].clamp(0, w)
        b[:, [2, 4]] = b[:, [2, 4]].clamp(0, h)
        area = (b[:, 3] - b[:, 1]) * (b[:, 4] - b[:, 2])
        keep = (area > self.min_visible * area0) & (b[:, 3] - b[:, 1] > 1) & (b[:, 4] - b[:, 2] > 1)
        return b[keep]

    def _geometric(self, im, b, g):
        h, w = im.shape
        b = b.clone()
        if torch.rand((), generator=g) < self.flip_lr:
            im = im.flip(1)
            b[:, [1, 3]] = w - b[:, [3, 1]]
        if torch.rand((), generator=g) < self.flip_ud:
            im = im.flip(0)
            b[:, [2, 4]] = h - b[:, [4, 2]]
        if self.scale <= 0 and self.translate <= 0 and self.degrees <= 0:
            return im, b

        def u(a):
            return float((torch.rand((), generator=g) * 2 - 1) * a)

        s, a = 1 + u(self.scale), math.radians(u(self.degrees))
        tx, ty = u(self.translate) * w, u(self.translate) * h
        # forward map about the image centre: p' = R*s*(p - c) + c + t
        cx, cy = w / 2, h / 2
        ca, sa = math.cos(a) * s, math.sin(a) * s
        fwd = torch.tensor([[ca, -sa, cx - ca * cx + sa * cy + tx], [sa, ca, cy - sa * cx - ca * cy + ty]])
        # grid_sample wants the inverse, in normalised coordinates
        full = torch.cat((fwd, torch.tensor([[0.0, 0.0, 1.0]])))
        inv = torch.linalg.inv(full)
        n = torch.tensor([[2 / w, 0, -1], [0, 2 / h, -1], [0, 0, 1]])
        theta = (n @ inv @ torch.linalg.inv(n))[:2].unsqueeze(0)
        grid = F.affine_grid(theta, (1, 1, h, w), align_corners=False)
        x = im.float()[None, None] - PAD
        im = (F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)[0, 0] + PAD)
        im = im.round().clamp(0, 255).to(torch.uint8)
        if len(b):
            corners = torch.stack((b[:, [1, 2]], b[:, [3, 2]], b[:, [1, 4]], b[:, [3, 4]]), 1)  # [K,4,2]
            p = torch.cat((corners, torch.ones(len(b), 4, 1)), -1) @ fwd.T
            nb = torch.cat((b[:, :1], p[..., 0].amin(1, keepdim=True), p[..., 1].amin(1, keepdim=True),
                            p[..., 0].amax(1, keepdim=True), p[..., 1].amax(1, keepdim=True)), 1)
            if abs(a) > 1e-6:
                # rotating a box's corners overstates it; shrink back toward the original size
                ow, oh = (b[:, 3] - b[:, 1]) * s, (b[:, 4] - b[:, 2]) * s
                mx, my = (nb[:, 1] + nb[:, 3]) / 2, (nb[:, 2] + nb[:, 4]) / 2
                nw = torch.min(nb[:, 3] - nb[:, 1], torch.max(ow, (nb[:, 3] - nb[:, 1]) * 0.5 + ow * 0.5))
                nh = torch.min(nb[:, 4] - nb[:, 2], torch.max(oh, (nb[:, 4] - nb[:, 2]) * 0.5 + oh * 0.5))
                nb[:, 1], nb[:, 3], nb[:, 2], nb[:, 4] = mx - nw / 2, mx + nw / 2, my - nh / 2, my + nh / 2
            b = self._clip(nb, w, h)
        return im, b

    def _photometric(self, x, g):
        n = x.shape[0]

        def u(a):
            return (torch.rand((n, 1, 1, 1), generator=g) * 2 - 1) * a

        gamma = torch.exp(u(self.gamma))
        x = x.clamp(1e-6, 1).pow(gamma)
        x = (x - 0.5) * (1 + u(self.contrast)) + 0.5 + u(self.brightness)
        if self.noise > 0:
            sigma = torch.rand((n, 1, 1, 1), generator=g) * self.noise
            x = x + torch.randn(x.shape, generator=g) * sigma
        return x.clamp(0, 1)
