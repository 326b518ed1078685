# SPDX-License-Identifier: Apache-2.0
"""The detector: strided conv backbone with C2f blocks and SPPF, a PAN neck, and a decoupled anchor-free head
(box as left/top/right/bottom distances with a distribution focal loss over `reg_max` bins, class logits) on
strides 8, 16 and 32 -- the structure of YOLOv8, scaled by `width` and `depth`, with a 1-channel input."""

import math

import torch
from torch import nn

STRIDES = (8, 16, 32)


class Conv(nn.Module):
    """Conv2d + BatchNorm + SiLU."""

    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c, shortcut=True):
        super().__init__()
        self.cv1 = Conv(c, c, 3)
        self.cv2 = Conv(c, c, 3)
        self.add = shortcut

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    """Split, n bottlenecks whose every output is kept, concatenate, fuse (YOLOv8's C2f)."""

    def __init__(self, c1, c2, n=1, shortcut=True):
        super().__init__()
        self.c = c2 // 2
        self.cv1 = Conv(c1, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        for m in self.m:
            y.append(m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c = c1 // 2
        self.cv1 = Conv(c1, c, 1)
        self.cv2 = Conv(c * 4, c2, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        for _ in range(3):
            y.append(self.m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class Detector(nn.Module):
    """Training-time forward returns one raw map per stride, [B, 4*reg_max + nc, H/s, W/s]."""

    def __init__(self, nc, width=16, depth=1, reg_max=16, in_ch=1, cls_ch=None):
        """cls_ch: channels of the class branches (default max(4 * width, nc)); 80 gives YOLOv8n's head shape."""
        super().__init__()
        self.nc = nc
        self.reg_max = reg_max
        self.width = width
        self.depth = depth
        self.in_ch = in_ch
        self.cls_ch = cls_ch
        w = [width, width * 2, width * 4, width * 8, width * 16]
        d = max(1, depth)
        self.stem = Conv(in_ch, w[0], 3, 2)
        self.b2 = nn.Sequential(Conv(w[0], w[1], 3, 2), C2f(w[1], w[1], d))
        self.b3 = nn.Sequential(Conv(w[1], w[2], 3, 2), C2f(w[2], w[2], 2 * d))
        self.b4 = nn.Sequential(Conv(w[2], w[3], 3, 2), C2f(w[3], w[3], 2 * d))
        self.b5 = nn.Sequential(Conv(w[3], w[4], 3, 2), C2f(w[4], w[4], d), SPPF(w[4], w[4]))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.n4 = C2f(w[4] + w[3], w[3], d, shortcut=False)
        self.n3 = C2f(w[3] + w[2], w[2], d, shortcut=False)
        self.d3 = Conv(w[2], w[2], 3, 2)
        self.o4 = C2f(w[2] + w[3], w[3], d, shortcut=False)
        self.d4 = Conv(w[3], w[3], 3, 2)
        self.o5 = C2f(w[3] + w[4], w[4], d, shortcut=False)
        chans = (w[2], w[3], w[4])
        cb = max(16, w[2] // 4, 4 * reg_max)
        cc = cls_ch or max(w[2], min(nc, 100))
        self.box = nn.ModuleList(nn.Sequential(Conv(c, cb, 3), Conv(cb, cb, 3), nn.Conv2d(cb, 4 * reg_max, 1)) for c in chans)
        self.cls = nn.ModuleList(nn.Sequential(Conv(c, cc, 3), Conv(cc, cc, 3), nn.Conv2d(cc, nc, 1)) for c in chans)
        self.register_buffer("proj", torch.arange(reg_max, dtype=torch.float32), persistent=False)
        self._init_bias()

    def _init_bias(self, imgsz=640):
        # as Ultralytics: box bins start flat, class logits start at a small prior so BCE does not drown in negatives
        for box, cls, s in zip(self.box, self.cls, STRIDES):
            box[-1].bias.data[:] = 1.0
            cls[-1].bias.data[: self.nc] = math.log(5 / self.nc / (imgsz / s) ** 2)

    def config(self):
        c = {"nc": self.nc, "width": self.width, "depth": self.depth, "reg_max": self.reg_max, "in_ch": self.in_ch}
        if self.cls_ch:
            c["cls_ch"] = self.cls_ch
        return c

    def forward(self, x):
        x2 = self.b2(self.stem(x))
        p3 = self.b3(x2)
        p4 = self.b4(p3)
        p5 = self.b5(p4)
        n4 = self.n4(torch.cat([self.up(p5), p4], 1))
        n3 = self.n3(torch.cat([self.up(n4), p3], 1))
        o4 = self.o4(torch.cat([self.d3(n3), n4], 1))
        o5 = self.o5(torch.cat([self.d4(o4), p5], 1))
        return [torch.cat([self.box[i](f), self.cls[i](f)], 1) for i, f in enumerate((n3, o4, o5))]


def anchor_points(feats, strides=STRIDES, offset=0.5):
    """Grid-cell centres in input pixels, level after level, row-major: [N, 2], and each point's stride [N, 1]."""
    points, strs = [], []
    for f, s in zip(feats, strides):
        h, w = f.shape[2], f.shape[3]
        sy = (torch.arange(h, dtype=torch.float32) + offset) * s
        sx = (torch.arange(w, dtype=torch.float32) + offset) * s
        yy, xx = torch.meshgrid(sy, sx, indexing="ij")
        points.append(torch.stack((xx, yy), -1).view(-1, 2))
        strs.append(torch.full((h * w, 1), float(s)))
    return torch.cat(points), torch.cat(strs)


def flatten(feats, no):
    """Per-level maps to [B, N, no]."""
    return torch.cat([f.flatten(2) for f in feats], 2).permute(0, 2, 1)


def dfl_decode(box_logits, proj):
    """[B, N, 4*reg_max] bin logits to [B, N, 4] expected distances in stride units."""
    b, n, _ = box_logits.shape
    return (box_logits.view(b, n, 4, -1).softmax(3) * proj).sum(3)


def dist_to_xyxy(dist, points, strides):
    lt, rb = dist[..., :2] * strides, dist[..., 2:] * strides
    return torch.cat((points - lt, points + rb), -1)


def decode(model, feats):
    """Boxes xyxy in input pixels [B, N, 4] and class probabilities [B, N, C] from the raw maps."""
    no = 4 * model.reg_max + model.nc
    raw = flatten(feats, no)
    points, strides = anchor_points(feats)
    points, strides = points.to(raw.device), strides.to(raw.device)
    boxes = dist_to_xyxy(dfl_decode(raw[..., : 4 * model.reg_max], model.proj), points, strides)
    return boxes, raw[..., 4 * model.reg_max:].sigmoid()


def count_params(model):
    return sum(p.numel() for p in model.parameters())
