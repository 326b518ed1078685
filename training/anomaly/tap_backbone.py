# SPDX-License-Identifier: Apache-2.0
"""Prepare an ONNX classification backbone for the station's anomaly models: expose intermediate layers as outputs.

The station learns and runs anomaly models in Java only; this one-off step only rewrites the graph:
  * each tapped tensor gets a float graph output (a DequantizeLinear is appended when the tensor is quantized),
  * the classifier head and everything else no tap needs is removed,
  * the input's height and width become symbolic, so the network runs at any size that is a multiple of 32.
The tap names and strides are written into the model's metadata (key ``linesight.taps``), which the station reads,
and what the input expects (key ``linesight.input``: ``imagenet``, RGB with the ImageNet normalisation, the default;
``mono01``, one grey channel 0..1, as the station's own YOLO detectors take it).

Example (the backbone shipped in models/backbones/):
  /usr/bin/python3 training/anomaly/tap_backbone.py mobilenetv2-12-int8.onnx OUT.onnx \
      --tap s8=365_quantized:8 --tap s16=426_quantized:16 --tap s8_wide=528_quantized:8 --tap s16_wide=591_quantized:16
A detector of the station's own (1-channel input) taps the same way, e.g. its stride-8 and stride-16 backbone stages:
  /usr/bin/python3 training/anomaly/tap_backbone.py detector.onnx OUT.onnx --input mono01 \
      --tap s8=/model/b3/b3.1/cv2/act/Mul_output_0:8 --tap s16=/model/b4/b4.1/cv2/act/Mul_output_0:16
Needs python3-onnx (1.12 or newer).
"""
import argparse
import json
import sys

import onnx
from onnx import helper


def parse_tap(text):
    try:
        name, rest = text.split("=", 1)
        tensor, stride = rest.rsplit(":", 1)
        return name, tensor, int(stride)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--tap '{text}' is not NAME=TENSOR:STRIDE")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("out")
    p.add_argument("--tap", type=parse_tap, action="append", required=True, help="NAME=TENSOR:STRIDE")
    p.add_argument("--input", choices=["imagenet", "mono01"], default="imagenet",
                   help="what the network's input expects (default imagenet)")
    a = p.parse_args(argv)

    m = onnx.load(a.model)
    g = m.graph
    inits = {i.name for i in g.initializer}
    produced = {o for n in g.node for o in n.output}
    new_nodes, outputs, taps = [], [], []
    for name, tensor, stride in a.tap:
        if tensor not in produced:
            sys.exit(f"tap {name}: tensor '{tensor}' is produced by no node of {a.model}")
        if tensor.endswith("_quantized"):
            base = tensor[: -len("_quantized")]
            scale, zero = base + "_scale", base + "_zero_point"
            if scale not in inits or zero not in inits:
                sys.exit(f"tap {name}: quantized tensor '{tensor}' has no initializers {scale} / {zero}")
            new_nodes.append(helper.make_node("DequantizeLinear", [tensor, scale, zero], [name], name="tap_" + name))
        else:
            new_nodes.append(helper.make_node("Identity", [tensor], [name], name="tap_" + name))
        outputs.append(helper.make_tensor_value_info(
            name, onnx.TensorProto.FLOAT, ["batch_size", name + "_channels", name + "_height", name + "_width"]))
        taps.append({"name": name, "tensor": tensor, "stride": stride})

    # keep only the nodes the taps need (walk back from the tapped tensors)
    producer = {o: n for n in g.node for o in n.output}
    needed, stack = set(), [t["tensor"] for t in taps]
    while stack:
        t = stack.pop()
        n = producer.get(t)
        if n is None or id(n) in needed:
            continue
        needed.add(id(n))
        stack.extend(n.input)
    kept = [n for n in g.node if id(n) in needed] + new_nodes
    used = {i for n in kept for i in n.input}
    del g.node[:]
    g.node.extend(kept)
    keep_inits = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(keep_inits)
    del g.output[:]
    g.output.extend(outputs)
    del g.value_info[:]
    dims = g.input[0].type.tensor_type.shape.dim
    dims[2].Clear()
    dims[2].dim_param = "height"
    dims[3].Clear()
    dims[3].dim_param = "width"
    del m.metadata_props[:]
    entry = m.metadata_props.add()
    entry.key = "linesight.taps"
    entry.value = json.dumps(taps)
    if a.input != "imagenet":  # the default goes unwritten: backbones tapped before the key existed stay as they were
        entry = m.metadata_props.add()
        entry.key = "linesight.input"
        entry.value = a.input
    onnx.save(m, a.out)
    print(f"{a.out}: {len(kept)} nodes, {len(keep_inits)} initializers, taps {', '.join(t['name'] for t in taps)}")


if __name__ == "__main__":
    main()
