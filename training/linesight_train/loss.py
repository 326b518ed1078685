# SPDX-License-Identifier: Apache-2.0
"""Task-aligned assignment and the YOLOv8 loss (BCE on classes, CIoU and distribution focal loss on boxes)."""

import math

import torch
from torch import nn
import torch.nn.functional as F

from .model import anchor_points, dfl_decode, dist_to_xyxy, flatten


def box_iou_pairs(a, b, eps=1e-7):
    """IoU of matching rows of a and b (both [..., 4] xyxy)."""
    iw = (torch.min(a[..., 2], b[..., 2]) - torch.max(a[..., 0], b[..., 0])).clamp(0)
    ih = (torch.min(a[..., 3], b[..., 3]) - torch.max(a[..., 1], b[..., 1])).clamp(0)
    inter = iw * ih
    union = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1]) + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter
    return inter / (union + eps)


def ciou(a, b, eps=1e-7):
    iou = box_iou_pairs(a, b, eps)
    cw = torch.max(a[..., 2], b[..., 2]) - torch.min(a[..., 0], b[..., 0])
    ch = torch.max(a[..., 3], b[..., 3]) - torch.min(a[..., 1], b[..., 1])
    c2 = cw ** 2 + ch ** 2 + eps
    rho2 = ((a[..., 0] + a[..., 2] - b[..., 0] - b[..., 2]) ** 2 + (a[..., 1] + a[..., 3] - b[..., 1] - b[..., 3]) ** 2) / 4
    w1, h1 = a[..., 2] - a[..., 0], a[..., 3] - a[..., 1] + eps
    w2, h2 = b[..., 2] - b[..., 0], b[..., 3] - b[..., 1] + eps
    v = (4 / math.pi ** 2) * (torch.atan(w2 / h2) - torch.atan(w1 / h1)) ** 2
    with torch.no_grad():
        alpha = v / (v - iou + (1 + eps))
    return iou - (rho2 / c2 + v * alpha)


class TaskAlignedAssigner:
    """For each ground-truth box, the `topk` candidate anchors with the best alignment s^alpha * IoU^beta become
    positives. Candidates are anchors inside the box or within `centre_radius` strides of its centre: thin
    defects (a 1-pixel scratch after downscaling) would otherwise contain no grid centre at all."""

    def __init__(self, topk=10, alpha=0.5, beta=6.0, centre_radius=1.0, eps=1e-9):
        self.topk, self.alpha, self.beta, self.r, self.eps = topk, alpha, beta, centre_radius, eps

    @torch.no_grad()
    def __call__(self, pd_scores, pd_boxes, points, strides, gt_labels, gt_boxes, gt_mask):
        # pd_scores [B,N,C] probabilities, pd_boxes [B,N,4], points [N,2], strides [N,1]
        # gt_labels [B,M] long, gt_boxes [B,M,4], gt_mask [B,M] bool
        b, n, c = pd_scores.shape
        m = gt_boxes.shape[1]
        if m == 0:
            z = pd_scores.new_zeros
            return z((b, n), dtype=torch.long), z((b, n, 4)), z((b, n, c)), z((b, n), dtype=torch.bool)
        px, py = points[:, 0].view(1, 1, n), points[:, 1].view(1, 1, n)
        x1, y1, x2, y2 = (gt_boxes[..., i].unsqueeze(-1) for i in range(4))
        inside = (px > x1) & (px < x2) & (py > y1) & (py < y2)
        rad = self.r * strides[:, 0].view(1, 1, n)
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        near = ((px - cx).abs() < rad) & ((py - cy).abs() < rad)
        cand = (inside | near) & gt_mask.unsqueeze(-1)  # [B,M,N]

        ious = box_iou_pairs(gt_boxes.unsqueeze(2).expand(b, m, n, 4), pd_boxes.unsqueeze(1).expand(b, m, n, 4)).clamp(0)
        ious = ious * cand
        idx = gt_labels.clamp(0).unsqueeze(-1).expand(b, m, n)
        scores = pd_scores.permute(0, 2, 1).gather(1, idx)  # [B,M,N] score of the gt's class
        align = scores.pow(self.alpha) * ious.pow(self.beta) * cand
        # a tiny bias to IoU-free candidates so that at the start (all IoUs ~0) the nearest anchors still win
        dist = ((px - cx) ** 2 + (py - cy) ** 2).sqrt()
        align_rank = align + cand * (1e-6 / (1 + dist))
        k = min(self.topk, n)
        top = align_rank.topk(k, dim=-1).indices  # [B,M,k]
        pos = torch.zeros_like(cand).scatter_(-1, top, True) & cand
        # an anchor claimed by several boxes goes to the one it overlaps most
        multi = pos.sum(1, keepdim=True) > 1
        if multi.any():
            best = (ious + cand * (1e-6 / (1 + dist))).argmax(1, keepdim=True)
            onehot = torch.zeros_like(pos).scatter_(1, best, True)
            pos = torch.where(multi.expand_as(pos), onehot & cand, pos)
        fg = pos.any(1)  # [B,N]
        gt_idx = pos.float().argmax(1)  # [B,N]
        bi = torch.arange(b, device=gt_labels.device).unsqueeze(-1)
        t_labels = gt_labels[bi, gt_idx]
        t_boxes = gt_boxes[bi, gt_idx]
        align = align * pos
        norm = (align * ious.amax(-1, keepdim=True) / (align.amax(-1, keepdim=True) + self.eps)).amax(1)  # [B,N]
        t_scores = F.one_hot(t_labels.clamp(0), c).float() * (norm * fg).unsqueeze(-1)
        return t_labels, t_boxes, t_scores, fg


class DetectionLoss:
    def __init__(self, model, box_gain=7.5, cls_gain=0.5, dfl_gain=1.5, assigner=None):
        self.model = model
        self.nc, self.reg_max = model.nc, model.reg_max
        self.gains = (box_gain, cls_gain, dfl_gain)
        self.assigner = assigner or TaskAlignedAssigner()
        self.bce = nn.BCEWithLogitsLoss(reduction="none")

    def __call__(self, feats, targets):
        """targets: [K, 6] rows (image index, class, x1, y1, x2, y2) in input pixels. Returns (total, parts[3])."""
        no = 4 * self.reg_max + self.nc
        raw = flatten(feats, no)
        b, n, _ = raw.shape
        box_logits, cls_logits = raw[..., : 4 * self.reg_max], raw[..., 4 * self.reg_max:]
        points, strides = anchor_points(feats)
        points, strides = points.to(raw.device), strides.to(raw.device)
        pd_boxes = dist_to_xyxy(dfl_decode(box_logits, self.model.proj), points, strides)

        counts = torch.bincount(targets[:, 0].long().cpu(), minlength=b) if len(targets) else torch.zeros(b, dtype=torch.long)
        m = int(counts.max()) if len(targets) else 0
        dev = raw.device
        targets = targets.to(dev)
        gt_labels = torch.zeros((b, m), dtype=torch.long, device=dev)
        gt_boxes = torch.zeros((b, m, 4), device=dev)
        gt_mask = torch.zeros((b, m), dtype=torch.bool, device=dev)
        for i in range(b):
            t = targets[targets[:, 0] == i]
            gt_labels[i, : len(t)] = t[:, 1].long()
            gt_boxes[i, : len(t)] = t[:, 2:6]
            gt_mask[i, : len(t)] = True

        t_labels, t_boxes, t_scores, fg = self.assigner(
            cls_logits.detach().sigmoid(), pd_boxes.detach(), points, strides, gt_labels, gt_boxes, gt_mask)
        tss = max(t_scores.sum(), 1.0)
        loss_cls = self.bce(cls_logits, t_scores).sum() / tss
        loss_box = raw.new_zeros(())
        loss_dfl = raw.new_zeros(())
        if fg.any():
            w = t_scores.sum(-1)[fg]
            loss_box = ((1.0 - ciou(pd_boxes[fg], t_boxes[fg])) * w).sum() / tss
            # target distances in stride units, kept inside the bins
            st = strides.expand(b, n, 1)[fg]
            pt = points.unsqueeze(0).expand(b, n, 2)[fg]
            tb = t_boxes[fg]
            ltrb = torch.cat((pt - tb[:, :2], tb[:, 2:] - pt), -1) / st
            ltrb = ltrb.clamp(0, self.reg_max - 1 - 0.01)
            logits = box_logits[fg].view(-1, self.reg_max)
            tl = ltrb.view(-1).floor().long()
            wl = (tl + 1).float() - ltrb.view(-1)
            dfl = F.cross_entropy(logits, tl, reduction="none") * wl + \
                F.cross_entropy(logits, tl + 1, reduction="none") * (1 - wl)
            loss_dfl = (dfl.view(-1, 4).mean(-1) * w).sum() / tss
        g = self.gains
        parts = torch.stack((loss_box * g[0], loss_cls * g[1], loss_dfl * g[2]))
        return parts.sum() * b, parts.detach()
