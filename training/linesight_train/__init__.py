# SPDX-License-Identifier: Apache-2.0
"""Linesight's training tool: a compact anchor-free YOLO-style detector for monochrome inspection images,
trained on PyTorch and exported to ONNX in the Ultralytics YOLOv8 layout the station's inference module reads."""

__version__ = "0.1.0"
