# SPDX-License-Identifier: Apache-2.0
"""Pretrained weights from an Ultralytics YOLOv8n ONNX export, so that a detector can start from what YOLOv8n
learned on COCO instead of from random weights.

The ONNX file may be the float export or one passed through ONNX Runtime's dynamic quantisation (weights as
uint8/int8 `*_quantized` initialisers with a per-tensor `*_scale` and `*_zero_point`): each weight is dequantised,
(q - zero_point) * scale. The export has every BatchNorm folded into its convolution (a conv weight and a bias), so
each of our Conv blocks gets the folded weight and a BatchNorm that passes through: running mean 0, running
variance 1 - eps, gain 1, shift = the folded bias. `calibrate_bn` then gives those BatchNorms real statistics
without changing what the network computes, so that training-mode batch statistics start where the pretrained
network is.

Ultralytics' module indices of YOLOv8n (model.0 .. model.22) map onto our Detector by name (see PREFIXES); the
architecture is ours with width 16, depth 1, reg_max 16 and 80-channel class branches (`yolov8n_config`). Our
input has one channel: the stem's RGB kernels are summed, which gives exactly the RGB network's response to a grey
image (R = G = B). The last class convolution (80 COCO classes) is not taken: it is initialised for our classes."""

import re

import torch

# Ultralytics YOLOv8n module index -> our Detector's attribute path
PREFIXES = {
    "model.0.": "stem.", "model.1.": "b2.0.", "model.2.": "b2.1.", "model.3.": "b3.0.", "model.4.": "b3.1.",
    "model.5.": "b4.0.", "model.6.": "b4.1.", "model.7.": "b5.0.", "model.8.": "b5.1.", "model.9.": "b5.2.",
    "model.12.": "n4.", "model.15.": "n3.", "model.16.": "d3.", "model.18.": "o4.", "model.19.": "d4.",
    "model.21.": "o5.",
}
HEAD = re.compile(r"^model\.22\.cv([23])\.(\d)\.")
BACKBONE = ("stem", "b2", "b3", "b4", "b5")


class PretrainedError(ValueError):
    """A pretrained file that cannot be used: what and where."""


def yolov8n_config(nc, in_ch=1):
    """The Detector configuration that has YOLOv8n's shape (3.0 M parameters with 80 classes)."""
    return {"nc": nc, "width": 16, "depth": 1, "reg_max": 16, "in_ch": in_ch, "cls_ch": 80}


def onnx_weights(path):
    """Float tensors by Ultralytics parameter name ('model.0.conv.weight', ...), dequantised where quantised."""
    import onnx
    from onnx import numpy_helper

    try:
        m = onnx.load(path)
    except Exception as e:  # onnx raises DecodeError, OSError, ... for a file that is not a model
        raise PretrainedError(f"{path}: not a readable ONNX model ({e})") from e
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    out = {}
    for name, arr in inits.items():
        if not name.startswith("model."):
            continue
        if name.endswith("_quantized"):
            base = name[: -len("_quantized")]
            scale, zp = inits.get(base + "_scale"), inits.get(base + "_zero_point")
            if scale is None or zp is None:
                raise PretrainedError(f"{path}: initialiser {name} has no {base}_scale / {base}_zero_point")
            if scale.size != 1 or zp.size != 1:
                # per-channel quantisation puts the scale on axis 0 of the weight
                shape = (-1,) + (1,) * (arr.ndim - 1)
                scale, zp = scale.reshape(shape), zp.reshape(shape)
            out[base] = torch.from_numpy((arr.astype("float32") - zp.astype("float32")) * scale.astype("float32"))
        elif name.endswith(("_scale", "_zero_point")):
            continue
        elif arr.dtype.kind == "f":
            out[name] = torch.from_numpy(arr.astype("float32"))
    if "model.0.conv.weight" not in out:
        raise PretrainedError(f"{path}: no initialiser model.0.conv.weight: not an Ultralytics YOLOv8 export")
    return out


def _target(name):
    """Our parameter path for an Ultralytics one, or None for what we do not take (the DFL projection)."""
    for src, dst in PREFIXES.items():
        if name.startswith(src):
            return dst + name[len(src):]
    h = HEAD.match(name)
    if h:
        return ("box." if h.group(1) == "2" else "cls.") + h.group(2) + "." + name[h.end():]
    return None


def load_yolov8(model, path, log=print):
    """Copies the pretrained weights of `path` into `model` (a Detector of yolov8n_config's shape) and returns the
    names of our parameters that were set. Every pretrained tensor must land on a parameter of the same shape
    (the stem's and the last class convolution's input/output channels excepted), otherwise nothing is kept."""
    src = onnx_weights(path)
    own = model.state_dict()
    new = {}
    for name, w in src.items():
        t = _target(name)
        if t is None:
            continue
        if t.endswith(".conv.bias"):  # a folded BatchNorm: the bias goes to our BN's shift
            bn = t[: -len(".conv.bias")] + ".bn."
            if bn + "bias" not in own:
                raise PretrainedError(f"{path}: {name} maps to {bn}bias, which this model does not have")
            eps = _module(model, bn[:-1]).eps
            new[bn + "bias"] = w.clone()
            new[bn + "weight"] = torch.ones_like(w)
            new[bn + "running_mean"] = torch.zeros_like(w)
            new[bn + "running_var"] = torch.full_like(w, 1.0 - eps)
            continue
        if re.match(r"^cls\.\d\.2\.", t) and w.shape[0] != own[t].shape[0]:
            continue  # COCO's 80-class output: ours is initialised for our classes
        if t not in own:
            raise PretrainedError(f"{path}: {name} maps to {t}, which this model does not have")
        if t == "stem.conv.weight" and w.shape[1] != own[t].shape[1]:
            if own[t].shape[1] != 1:
                raise PretrainedError(f"{path}: stem has {w.shape[1]} input channels, the model {own[t].shape[1]}")
            w = w.sum(1, keepdim=True)  # grey input: R = G = B, so the summed kernel gives the same response
        if w.shape != own[t].shape:
            raise PretrainedError(f"{path}: {name} has shape {list(w.shape)}, {t} of this model "
                                  f"{list(own[t].shape)} (a YOLOv8n export and --arch yolov8n are needed)")
        new[t] = w
    missing = [k for k in own if k.endswith(".conv.weight") and k not in new and not re.match(r"^cls\.\d\.2\.", k)]
    if missing:
        raise PretrainedError(f"{path}: no pretrained weight for {len(missing)} convolutions, e.g. {missing[:3]}")
    model.load_state_dict(new, strict=False)
    log(f"pretrained: {len(new)} tensors from {path}")
    return sorted(new)


def _module(model, path):
    m = model
    for part in path.split("."):
        m = getattr(m, part)
    return m


@torch.no_grad()
def calibrate_bn(model, batches):
    """Gives every pass-through BatchNorm (running mean 0, variance 1 - eps, gain 1) the statistics of its input on
    `batches` while keeping what it computes: mean m, variance v, gain sqrt(v + eps), shift m + old shift. In eval
    mode the output is unchanged; in training mode batch statistics near (m, v) now reproduce the pretrained
    network instead of normalising its activations away."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)
           and torch.all(m.running_mean == 0) and torch.allclose(m.running_var, torch.full_like(m.running_var, 1 - m.eps))
           and torch.all(m.weight == 1)]
    if not bns:
        return 0
    sums = {id(b): [0, 0.0, 0.0] for b in bns}

    def hook(bn, inputs, _out):
        x = inputs[0].double()
        s = sums[id(bn)]
        s[0] += x.shape[0] * x.shape[2] * x.shape[3]
        s[1] = s[1] + x.sum((0, 2, 3))
        s[2] = s[2] + (x * x).sum((0, 2, 3))

    was = model.training
    model.eval()
    handles = [b.register_forward_hook(hook) for b in bns]
    try:
        for x in batches:
            model(x)
    finally:
        for h in handles:
            h.remove()
        model.train(was)
    for b in bns:
        n, s1, s2 = sums[id(b)]
        if n == 0:
            continue
        mean = (s1 / n).float()
        var = (s2 / n - (s1 / n) ** 2).clamp_min(0).float()
        b.running_mean.copy_(mean)
        b.running_var.copy_(var)
        b.weight.copy_((var + b.eps).sqrt())
        b.bias.add_(mean)
    return len(bns)


def set_backbone_frozen(model, frozen):
    """Freezes (or unfreezes) the stem and the four backbone stages: no gradients, and their BatchNorms keep the
    pretrained statistics (eval mode) while frozen. The neck and head always train."""
    for name in BACKBONE:
        part = getattr(model, name)
        for p in part.parameters():
            p.requires_grad_(not frozen)
        if frozen:
            part.eval()
