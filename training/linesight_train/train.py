# SPDX-License-Identifier: Apache-2.0
"""The training loop: AdamW with linear warm-up then cosine decay, EMA of the weights (evaluated and saved),
early stopping on validation mAP@0.5, a checkpoint after every epoch (`last.pt`, resumable) and the best one
(`best.pt`). Deterministic for a seed on one machine: data order and augmentation come from generators seeded by
(seed, epoch), so a resumed run continues exactly as an uninterrupted one would."""

import copy
import json
import math
import os
import random
import time

import numpy as np
import torch

from .data import Augment, ImageSet
from .loss import DetectionLoss
from .metrics import evaluate
from .model import Detector, count_params
from .pretrained import calibrate_bn, load_yolov8, set_backbone_frozen, yolov8n_config


class ModelEMA:
    """Exponential moving average of parameters and buffers; the decay ramps up over `tau` updates."""

    def __init__(self, model, decay=0.9999, tau=500, updates=0):
        self.ema = copy.deepcopy(model).eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.updates = decay, tau, updates

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))
        msd = model.state_dict()
        for k, v in self.ema.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
            else:
                v.copy_(msd[k])


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def lr_at(it, total, warmup, lr0, lrf):
    if it < warmup:
        return lr0 * (0.1 + 0.9 * it / max(1, warmup))
    p = (it - warmup) / max(1, total - warmup)
    return lr0 * (lrf + (1 - lrf) * 0.5 * (1 + math.cos(math.pi * min(1.0, p))))


def train(cfg, log=print):
    """cfg: dict of the `train` command's options. Returns the summary dict also written to `out/summary.json`."""
    torch.set_num_threads(cfg["threads"])
    seed_everything(cfg["seed"])
    out = cfg["out"]
    os.makedirs(out, exist_ok=True)
    tw, th = cfg["imgsz"]
    train_set = ImageSet(cfg["train_images"], cfg["names"], tw, th, cfg.get("cache"), log)
    val_set = ImageSet(cfg["val_images"], cfg["names"], tw, th, cfg.get("cache"), log)
    log(f"data: train {len(train_set)} images / {train_set.instances()} boxes, val {len(val_set)} / "
        f"{val_set.instances()}, classes {cfg['names']}")

    dev = torch.device(cfg.get("device") or "cpu")
    model = build_model(cfg, train_set, log).to(dev)
    decay, no_decay = [], []
    for n_, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg["lr"], betas=(0.937, 0.999))
    ema = ModelEMA(model, tau=cfg["ema_tau"])
    loss_fn = DetectionLoss(model)
    aug = Augment(mosaic=cfg["mosaic"], flip_lr=cfg["fliplr"], flip_ud=cfg["flipud"], degrees=cfg["degrees"],
                  scale=cfg["scale"], translate=cfg["translate"], noise=cfg["noise"], crop=cfg.get("crop"))
    bs = cfg["batch"]
    per_epoch = math.ceil(len(train_set) / bs)
    if cfg.get("iters_per_epoch"):
        per_epoch = min(per_epoch, cfg["iters_per_epoch"])
    total = per_epoch * cfg["epochs"]
    warmup = min(cfg["warmup_iters"], total // 3)
    start_epoch, best, best_epoch, history, spent = 0, -1.0, -1, [], 0.0

    last = os.path.join(out, "last.pt")
    if cfg.get("resume"):
        ck = load_checkpoint(cfg["resume"], dev)
        model.load_state_dict(ck["model"])
        ema.ema.load_state_dict(ck["ema"])
        ema.updates = ck["ema_updates"]
        opt.load_state_dict(ck["optimizer"])
        start_epoch, best, best_epoch, history, spent = ck["epoch"] + 1, ck["best"], ck["best_epoch"], ck["history"], ck["seconds"]
        torch.set_rng_state(ck["torch_rng"])
        log(f"resumed from {cfg['resume']} after epoch {ck['epoch'] + 1}, best mAP@0.5 {best:.4f}")

    deadline = time.monotonic() + cfg["max_minutes"] * 60 if cfg.get("max_minutes") else None
    stopped = "epochs"
    freeze = cfg.get("freeze_epochs") or 0
    for epoch in range(start_epoch, cfg["epochs"]):
        t0 = time.monotonic()
        model.train()
        if freeze:
            set_backbone_frozen(model, epoch < freeze)
            if epoch == freeze:
                log(f"epoch {epoch + 1}: backbone unfrozen")
        g = torch.Generator().manual_seed(cfg["seed"] * 1000 + epoch)
        order = torch.randperm(len(train_set), generator=g).tolist()
        sums = torch.zeros(3)
        t_data = t_step = 0.0
        for i in range(per_epoch):
            it = epoch * per_epoch + i
            for gr in opt.param_groups:
                gr["lr"] = lr_at(it, total, warmup, cfg["lr"], cfg["lrf"])
            ta = time.monotonic()
            idx = order[i * bs:(i + 1) * bs]
            if len(idx) < 2:
                continue
            x, t = aug.batch(train_set, idx, g)
            tb = time.monotonic()
            loss, parts = loss_fn(model(x.to(dev, non_blocking=True)), t)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            opt.step()
            ema.update(model)
            tc = time.monotonic()
            t_data += tb - ta
            t_step += tc - tb
            sums += parts.cpu()
            if cfg.get("log_every") and (i + 1) % cfg["log_every"] == 0:
                log(f"  epoch {epoch + 1} iter {i + 1}/{per_epoch} loss box {parts[0]:.3f} cls {parts[1]:.3f} dfl {parts[2]:.3f}")
        tv = time.monotonic()
        m = evaluate(ema.ema, val_set)
        t_val = time.monotonic() - tv
        secs = time.monotonic() - t0
        spent += secs
        avg = (sums / max(1, per_epoch)).tolist()
        rec = {"epoch": epoch + 1, "loss": avg, "map50": m["map50"], "ap50": m["ap50"], "seconds": secs,
               "data_s": t_data, "step_s": t_step, "val_s": t_val, "lr": opt.param_groups[0]["lr"],
               "escapes": m["escapes"], "overkills": m["overkills"]}
        history.append(rec)
        improved = m["map50"] > best
        if improved:
            best, best_epoch = m["map50"], epoch + 1
        log(f"epoch {epoch + 1}/{cfg['epochs']}: loss {sum(avg):.3f} (box {avg[0]:.3f} cls {avg[1]:.3f} dfl {avg[2]:.3f}) "
            f"val mAP@0.5 {m['map50']:.4f} AP {['%.3f' % a if a == a else '-' for a in m['ap50']]} "
            f"escapes {m['escapes']}/{m['defect_images']} overkills {m['overkills']}/{m['good_images']} | "
            f"{secs:.0f} s (augment {t_data:.0f}, forward+backward {t_step:.0f}, val {t_val:.0f}){' *' if improved else ''}")
        ck = {"model": model.state_dict(), "ema": ema.ema.state_dict(), "ema_updates": ema.updates,
              "optimizer": opt.state_dict(), "epoch": epoch, "best": best, "best_epoch": best_epoch,
              "history": history, "seconds": spent, "torch_rng": torch.get_rng_state(),
              "config": model.config(), "names": cfg["names"], "imgsz": [th, tw], "args": _jsonable(cfg)}
        torch.save(ck, last + ".tmp")
        os.replace(last + ".tmp", last)
        if improved:
            torch.save({"ema": ema.ema.state_dict(), "config": model.config(), "names": cfg["names"],
                        "imgsz": [th, tw], "epoch": epoch + 1, "map50": best, "args": _jsonable(cfg)},
                       os.path.join(out, "best.pt"))
        if epoch + 1 - best_epoch >= cfg["patience"]:
            stopped = f"no better val mAP@0.5 for {cfg['patience']} epochs"
            break
        if cfg.get("stop_after") and epoch + 1 - start_epoch >= cfg["stop_after"]:
            stopped = f"--stop-after {cfg['stop_after']} (resume with --resume {last})"
            break
        if deadline and time.monotonic() + secs > deadline:
            stopped = f"time budget of {cfg['max_minutes']} min"
            break
    summary = {"best_map50": best, "best_epoch": best_epoch, "epochs_run": len(history), "stopped": stopped,
               "train_seconds": spent, "threads": cfg["threads"], "device": str(dev),
               "torch": torch.__version__, "history": history}
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    log(f"done: best val mAP@0.5 {best:.4f} at epoch {best_epoch}, {len(history)} epochs, {spent / 60:.1f} min; stopped: {stopped}")
    return summary


def build_model(cfg, train_set, log=print):
    """The detector of cfg's architecture; with `pretrained`, YOLOv8n's weights and BatchNorm statistics
    calibrated on a few training batches (a fresh start only: a resumed run loads its own weights after this)."""
    nc = len(cfg["names"])
    if cfg.get("arch") == "yolov8n":
        c = yolov8n_config(nc)
        for k in ("width", "depth", "reg_max"):
            cfg[k] = c[k]
        model = Detector(nc, c["width"], c["depth"], c["reg_max"], c["in_ch"], c["cls_ch"])
    else:
        model = Detector(nc, cfg["width"], cfg["depth"], cfg["reg_max"])
    log(f"model: {cfg.get('arch') or 'linesight'} width {cfg['width']} depth {cfg['depth']} reg_max {cfg['reg_max']}, "
        f"{count_params(model) / 1e6:.2f} M parameters")
    if cfg.get("pretrained") and not cfg.get("resume"):
        load_yolov8(model, cfg["pretrained"], log)
        g = torch.Generator().manual_seed(cfg["seed"])
        n = min(len(train_set), 8 * cfg["batch"])
        order = torch.randperm(len(train_set), generator=g)[:n].tolist()
        plain = Augment(flip_lr=0, flip_ud=0, scale=0, translate=0, degrees=0, brightness=0, contrast=0, gamma=0, noise=0)
        batches = (plain.batch(train_set, order[i:i + cfg["batch"]], g)[0] for i in range(0, n, cfg["batch"]))
        log(f"pretrained: BatchNorm statistics of {calibrate_bn(model, batches)} layers from {n} training images")
    return model


def _jsonable(cfg):
    return {k: v for k, v in cfg.items() if k not in ("train_images", "val_images")}


def load_checkpoint(path, map_location):
    """Our own checkpoints hold the run's history and options besides tensors: PyTorch 2.6+ loads only tensors by
    default (weights_only), 1.13 knows the switch but not that default."""
    return torch.load(path, map_location=map_location, weights_only=False)


def load_model(path):
    """The EMA model of a checkpoint (best.pt or last.pt), its class names and [h, w]."""
    ck = load_checkpoint(path, "cpu")
    c = ck["config"]
    model = Detector(c["nc"], c["width"], c["depth"], c["reg_max"], c["in_ch"], c.get("cls_ch"))
    model.load_state_dict(ck["ema"])
    return model.eval(), ck["names"], ck["imgsz"]
