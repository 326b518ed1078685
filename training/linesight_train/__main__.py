# SPDX-License-Identifier: Apache-2.0
"""python3 -m linesight_train {train,export,eval-smoke,parity} ... (see training/README.md)."""

import argparse
import json
import os
import sys
import time

from .data import DataError, class_names, find_images, read_list, voc_names


def _imgsz(text):
    """'640' -> (640, 640); '480x384' -> width 480, height 384."""
    parts = text.lower().split("x")
    try:
        v = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--imgsz '{text}' is not N or WxH")
    w, h = (v[0], v[0]) if len(v) == 1 else (v[0], v[1])
    if len(v) > 2 or w % 32 or h % 32 or w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(f"--imgsz '{text}': width and height must be positive multiples of 32")
    return w, h


def _images(folder, list_file):
    return find_images(folder, read_list(list_file) if list_file else None)


def cmd_train(a):
    from .pretrained import PretrainedError
    from .train import train
    train_images = _images(a.data, a.train_list)
    if a.val:
        val_images = _images(a.val, a.val_list)
    elif a.val_list:
        val_images = _images(a.data, a.val_list)
    else:
        raise DataError("give --val DIR or --val-list FILE: early stopping needs a validation set")
    overlap = set(train_images) & set(val_images)
    if overlap:
        raise DataError(f"{len(overlap)} images are in both train and val, e.g. {sorted(overlap)[:2]}")
    if a.pretrained and a.arch != "yolov8n":
        raise DataError("--pretrained needs --arch yolov8n (the pretrained weights have YOLOv8n's shape)")
    if a.pretrained and not os.path.isfile(a.pretrained):
        raise DataError(f"--pretrained {a.pretrained}: no such file")
    names = a.names.split(",") if a.names else (class_names(a.data) or voc_names(train_images))
    if not names:
        raise DataError(f"{a.data}: no class names (classes.txt, data.yaml, VOC <name>s or --names)")
    cfg = dict(vars(a))
    cfg.pop("func")
    cfg.update(train_images=train_images, val_images=val_images, names=names, imgsz=a.imgsz)
    try:
        train(cfg)
    except PretrainedError as err:
        raise DataError(str(err)) from err
    return 0


def cmd_export(a):
    import torch
    from .export import export
    from .train import load_model
    model, names, imgsz = load_model(a.weights)
    export(model, names, imgsz, a.out, end2end=a.end2end, opset=a.opset, k=a.max_det, iou=a.iou)
    print(f"exported {a.out}: {os.path.getsize(a.out) / 1e6:.2f} MB, input [1, 1, {imgsz[0]}, {imgsz[1]}], "
          f"{'[1, %d, 6] end-to-end' % a.max_det if a.end2end else '[1, %d, N] YOLOv8 layout' % (4 + len(names))}, "
          f"classes {names}")
    if a.time:
        torch.set_num_threads(1)
        x = torch.rand(1, 1, *imgsz)
        with torch.no_grad():
            for _ in range(3):
                model(x)
            t0 = time.perf_counter()
            for _ in range(20):
                model(x)
        print(f"PyTorch CPU forward, 1 thread: {(time.perf_counter() - t0) / 20 * 1000:.1f} ms")
    return 0


def cmd_eval(a):
    import torch
    from .data import ImageSet
    from .metrics import evaluate
    from .train import load_model
    torch.set_num_threads(a.threads)
    model, names, (h, w) = load_model(a.weights)
    data = ImageSet(_images(a.data, a.list), names, w, h)
    m = evaluate(model, data)
    print(json.dumps({"map50": m["map50"], "ap50": dict(zip(names, m["ap50"])), "escapes": m["escapes"],
                      "defect_images": m["defect_images"], "overkills": m["overkills"],
                      "good_images": m["good_images"]}, indent=1))
    return 0


def cmd_parity(a):
    """Fixed input and PyTorch's output of the exported graph, as raw little-endian float32, for ParityCheck.java."""
    import numpy as np
    import torch
    from .export import EndToEnd, YoloV8Head
    from .train import load_model
    model, names, (h, w) = load_model(a.weights)
    net = YoloV8Head(model, h, w).eval()
    if a.end2end:
        net = EndToEnd(net, k=a.max_det).eval()
    x = parity_input(h, w)
    with torch.no_grad():
        y = net(x)
    os.makedirs(a.out, exist_ok=True)
    x.numpy().astype("<f4").tofile(os.path.join(a.out, "input.bin"))
    y.numpy().astype("<f4").tofile(os.path.join(a.out, "output.bin"))
    with open(os.path.join(a.out, "shapes.txt"), "w", encoding="utf-8") as f:
        f.write(" ".join(map(str, x.shape)) + "\n" + " ".join(map(str, y.shape)) + "\n")
    print(f"parity: input {list(x.shape)}, output {list(y.shape)} in {a.out}; max score {float(np.max(y.numpy()[0, 4:] if not a.end2end else y.numpy()[0, :, 4])):.4f}")
    return 0


def parity_input(h, w):
    """A deterministic test image, integers /255 so that any language builds the same float32 tensor (Java:
    DemoModelTest): background 40, a plate 170 with a dark bar 80 and a disc 95, and an integer texture -4..4."""
    import torch
    yy, xx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    v = torch.full((h, w), 40, dtype=torch.int64)
    v[(xx * 20 >= w * 3) & (xx * 20 < w * 17) & (yy * 5 >= h) & (yy * 5 < h * 4)] = 170
    v[((yy * 2 - h).abs() <= 2) & ((xx * 10 - w * 5).abs() <= w)] = 80
    v[(xx * 20 - w * 7) ** 2 + (yy * 10 - h * 4) ** 2 <= (h * 3 // 10) ** 2] = 95
    v = v + (xx * 7 + yy * 13 + xx * yy) % 9 - 4
    return (v.float() / 255.0).view(1, 1, h, w)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m linesight_train", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a detector on a labelled folder")
    t.add_argument("--data", required=True, help="training folder (VOC XML, YOLO txt, or the station's export)")
    t.add_argument("--train-list", help="file of image stems to train on (others in --data are ignored)")
    t.add_argument("--val", help="validation folder (default: --data with --val-list)")
    t.add_argument("--val-list", help="file of image stems for validation")
    t.add_argument("--names", help="class names, comma-separated (default: classes.txt / data.yaml / VOC names)")
    t.add_argument("--out", required=True, help="run folder: last.pt, best.pt, summary.json")
    t.add_argument("--imgsz", type=_imgsz, default=(640, 640), help="model input, N or WxH (multiples of 32)")
    t.add_argument("--width", type=int, default=16, help="channels of the first stage (16 ~ YOLOv8n/4 .. 32)")
    t.add_argument("--depth", type=int, default=1, help="bottlenecks per C2f block")
    t.add_argument("--reg-max", type=int, default=16, help="DFL bins per box side")
    t.add_argument("--arch", choices=("linesight", "yolov8n"), default="linesight",
                   help="yolov8n: YOLOv8n's shape (width 16, depth 1, reg_max 16, 80-channel class branches; "
                        "overrides --width/--depth/--reg-max), needed for --pretrained")
    t.add_argument("--pretrained", help="Ultralytics YOLOv8n ONNX export (float or INT8-quantised) to start from")
    t.add_argument("--freeze-epochs", type=int, default=0,
                   help="keep the pretrained backbone frozen for this many epochs, then train everything")
    t.add_argument("--epochs", type=int, default=100)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--lr", type=float, default=0.002)
    t.add_argument("--lrf", type=float, default=0.05, help="final LR as a fraction of --lr (cosine)")
    t.add_argument("--weight-decay", type=float, default=0.0005)
    t.add_argument("--warmup-iters", type=int, default=100)
    t.add_argument("--ema-tau", type=float, default=500)
    t.add_argument("--patience", type=int, default=10, help="stop after this many epochs without a better val mAP")
    t.add_argument("--max-minutes", type=float, help="stop before an epoch that would end past this budget")
    t.add_argument("--stop-after", type=int, help="stop after this many epochs of this invocation (resumable)")
    t.add_argument("--iters-per-epoch", type=int, help="cap the iterations of an epoch (smoke tests)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    t.add_argument("--device", default="cpu", help="cpu, or cuda / cuda:N with a CUDA build of PyTorch")
    t.add_argument("--cache", help="folder for the letterboxed image cache")
    t.add_argument("--resume", help="last.pt of an interrupted run")
    t.add_argument("--log-every", type=int, default=0)
    t.add_argument("--crop", type=_imgsz, help="train on WxH windows of the letterboxed images, mostly around defects")
    t.add_argument("--mosaic", type=float, default=0.0, help="probability of a mosaic sample")
    t.add_argument("--fliplr", type=float, default=0.5)
    t.add_argument("--flipud", type=float, default=0.5)
    t.add_argument("--degrees", type=float, default=3.0)
    t.add_argument("--scale", type=float, default=0.1)
    t.add_argument("--translate", type=float, default=0.05)
    t.add_argument("--noise", type=float, default=0.02, help="max sigma of added Gaussian noise (0..1 scale)")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("export", help="export a checkpoint to ONNX")
    e.add_argument("--weights", required=True)
    e.add_argument("--out", required=True)
    e.add_argument("--end2end", action="store_true", help="[1, K, 6] with NMS in the graph")
    e.add_argument("--max-det", type=int, default=100)
    e.add_argument("--iou", type=float, default=0.45)
    e.add_argument("--opset", type=int, default=13)
    e.add_argument("--time", action="store_true", help="also time a PyTorch CPU forward")
    e.set_defaults(func=cmd_export)

    v = sub.add_parser("eval-smoke", help="quick PyTorch-side mAP@0.5 (./station eval is the judge)")
    v.add_argument("--weights", required=True)
    v.add_argument("--data", required=True)
    v.add_argument("--list")
    v.add_argument("--threads", type=int, default=2)
    v.set_defaults(func=cmd_eval)

    q = sub.add_parser("parity", help="write a fixed input and PyTorch's output for the ONNX parity check")
    q.add_argument("--weights", required=True)
    q.add_argument("--out", required=True)
    q.add_argument("--end2end", action="store_true")
    q.add_argument("--max-det", type=int, default=100)
    q.set_defaults(func=cmd_parity)

    a = p.parse_args(argv)
    try:
        return a.func(a)
    except DataError as err:
        print(f"linesight_train: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
