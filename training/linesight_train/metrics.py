# SPDX-License-Identifier: Apache-2.0
"""Post-processing and a quick mAP@0.5 for early stopping. The station's `./station eval` stays the judge of a
model; this one only has to rank epochs."""

import numpy as np
import torch
import torchvision

from .model import decode


@torch.no_grad()
def predict(model, x, conf=0.001, iou=0.45, max_det=300):
    """Per image: [K, 6] (x1, y1, x2, y2, score, class) after per-class NMS."""
    boxes, scores = decode(model, model(x))
    out = []
    for b, s in zip(boxes, scores):
        sc, cl = s.max(1)
        keep = sc > conf
        b, sc, cl = b[keep], sc[keep], cl[keep]
        if len(sc) > 10 * max_det:
            top = sc.topk(10 * max_det).indices
            b, sc, cl = b[top], sc[top], cl[top]
        k = torchvision.ops.batched_nms(b, sc, cl, iou)[:max_det]
        out.append(torch.cat((b[k], sc[k, None], cl[k, None].float()), 1).cpu())
    return out


def average_precision(tp, conf, pred_cls, n_gt, nc):
    """Per-class AP (all-point interpolation of the precision envelope)."""
    order = np.argsort(-conf)
    tp, pred_cls = tp[order], pred_cls[order]
    ap = np.full(nc, np.nan)
    for c in range(nc):
        if n_gt[c] == 0:
            continue
        sel = pred_cls == c
        if not sel.any():
            ap[c] = 0.0
            continue
        ctp = np.cumsum(tp[sel])
        cfp = np.cumsum(1 - tp[sel])
        rec = ctp / n_gt[c]
        prec = ctp / (ctp + cfp)
        mrec = np.concatenate(([0.0], rec, [1.0]))
        mpre = np.concatenate(([1.0], prec, [0.0]))
        mpre = np.flip(np.maximum.accumulate(np.flip(mpre)))
        i = np.where(mrec[1:] != mrec[:-1])[0]
        ap[c] = np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])
    return ap


@torch.no_grad()
def evaluate(model, data, batch=16, iou_match=0.5):
    """mAP@0.5 over `data` (an ImageSet), per-class AP, and image-level escapes/overkills at score 0.25."""
    model.eval()
    nc = len(data.names)
    tps, confs, clss = [], [], []
    n_gt = np.zeros(nc, int)
    escapes = overkills = defect_imgs = good_imgs = 0
    for s in range(0, len(data), batch):
        idx = list(range(s, min(s + batch, len(data))))
        dev = next(model.parameters()).device
        x = data.pixels[idx].to(dev).float().unsqueeze(1) / 255.0
        for i, p in zip(idx, predict(model, x)):
            gt = data.boxes[i]
            for c in gt[:, 0].long().tolist():
                n_gt[c] += 1
            matched = torch.zeros(len(gt), dtype=torch.bool)
            tp = np.zeros(len(p))
            if len(gt) and len(p):
                ious = torchvision.ops.box_iou(p[:, :4], gt[:, 1:])
                order = torch.argsort(-p[:, 4])
                for j in order.tolist():
                    same = (gt[:, 0].long() == int(p[j, 5])) & ~matched
                    if not same.any():
                        continue
                    v, k = (ious[j] * same).max(0)
                    if v >= iou_match:
                        matched[k] = True
                        tp[j] = 1
            tps.append(tp)
            confs.append(p[:, 4].numpy())
            clss.append(p[:, 5].numpy().astype(int))
            flagged = bool((p[:, 4] >= 0.25).any())
            if len(gt):
                defect_imgs += 1
                escapes += not flagged
            else:
                good_imgs += 1
                overkills += flagged
    ap = average_precision(np.concatenate(tps), np.concatenate(confs), np.concatenate(clss), n_gt, nc)
    return {"map50": float(np.nanmean(ap)) if np.isfinite(ap).any() else 0.0, "ap50": ap.tolist(),
            "escapes": escapes, "defect_images": defect_imgs, "overkills": overkills, "good_images": good_imgs}
