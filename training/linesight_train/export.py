# SPDX-License-Identifier: Apache-2.0
"""ONNX export in the Ultralytics YOLOv8 layout [1, 4+C, N] -- cx, cy, w, h in input pixels, then the C class
scores after sigmoid, anchors level after level (strides 8, 16, 32), row-major -- with the metadata the station's
ModelMetadata reads: names as a Python dict repr, stride, imgsz as [h, w], task, channels. Optionally end-to-end
[1, K, 6] (x1, y1, x2, y2, score, class) with class-aware NMS inside the graph and end2end=True."""

import datetime

import torch
from torch import nn
import torchvision

from . import __version__
from .model import STRIDES, anchor_points


class YoloV8Head(nn.Module):
    """The trained detector plus decoding, as one graph: input [1, 1, H, W] in 0..1."""

    def __init__(self, model, h, w):
        super().__init__()
        self.model = model
        feats = [torch.zeros(1, 1, (h + s - 1) // s, (w + s - 1) // s) for s in STRIDES]
        pts, strides = anchor_points(feats)
        self.register_buffer("points", pts.T.unsqueeze(0).contiguous(), persistent=False)   # [1, 2, N]
        self.register_buffer("strides", strides.T.unsqueeze(0).contiguous(), persistent=False)  # [1, 1, N]
        self.register_buffer("proj", torch.arange(model.reg_max, dtype=torch.float32).view(1, 1, -1, 1), persistent=False)

    def forward(self, x):
        feats = self.model(x)
        raw = torch.cat([f.flatten(2) for f in feats], 2)  # [B, no, N]
        rm, n = self.model.reg_max, raw.shape[2]
        dist = (raw[:, : 4 * rm].reshape(-1, 4, rm, n).softmax(2) * self.proj).sum(2)  # [B, 4, N]
        p1 = self.points - dist[:, :2] * self.strides
        p2 = self.points + dist[:, 2:] * self.strides
        return torch.cat(((p1 + p2) / 2, p2 - p1, raw[:, 4 * rm:].sigmoid()), 1)


class EndToEnd(nn.Module):
    """[1, K, 6]: top `pre` boxes by best class score, class-aware NMS, the K best survivors; unused rows score 0."""

    def __init__(self, head, k=100, iou=0.45, pre=1000):
        super().__init__()
        self.head, self.k, self.iou, self.pre = head, k, iou, pre

    def forward(self, x):
        y = self.head(x)[0]  # [4+C, N]
        c, wh = y[:2], y[2:4]
        boxes = torch.cat((c - wh / 2, c + wh / 2), 0).T  # [N, 4]
        score, cls = y[4:].max(0)
        top = score.topk(min(self.pre, score.shape[0]))
        b, s, k = boxes[top.indices], top.values, cls[top.indices]
        # class-aware NMS in one call: boxes of different classes are moved apart
        keep = torchvision.ops.nms(b + (k.float() * 8192.0).unsqueeze(1), s, self.iou)
        kept = torch.zeros_like(s).scatter(0, keep, s[keep])
        best = kept.topk(min(self.k, kept.shape[0]))
        rows = torch.cat((b[best.indices], best.values.unsqueeze(1), k[best.indices].float().unsqueeze(1)), 1)
        return rows.unsqueeze(0)


def metadata(names, h, w, end2end=False):
    return {
        "description": "Linesight detector (linesight_train)",
        "author": "Linesight",
        "date": datetime.date.today().isoformat(),
        "version": __version__,
        "license": "Apache-2.0",
        "task": "detect",
        "stride": str(max(STRIDES)),
        "batch": "1",
        "imgsz": f"[{h}, {w}]",
        "names": "{" + ", ".join(f"{i}: {n!r}" for i, n in enumerate(names)) + "}",
        "channels": "1",
        "end2end": "True" if end2end else "False",
    }


def export(model, names, imgsz, path, end2end=False, opset=13, k=100, iou=0.45):
    """Writes the ONNX file and returns the wrapped module (for parity checks)."""
    import onnx

    h, w = imgsz
    model = model.eval()
    head = YoloV8Head(model, h, w).eval()
    net = EndToEnd(head, k=k, iou=iou).eval() if end2end else head
    x = torch.zeros(1, 1, h, w)
    with torch.no_grad():
        torch.onnx.export(net, x, path, opset_version=max(opset, 11) if end2end else opset,
                          input_names=["images"], output_names=["output0"], do_constant_folding=True)
    m = onnx.load(path)
    del m.metadata_props[:]
    for key, value in metadata(names, h, w, end2end).items():
        p = m.metadata_props.add()
        p.key, p.value = key, value
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return net
