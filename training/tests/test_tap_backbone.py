# SPDX-License-Identifier: Apache-2.0
"""The anomaly models' bundled backbone is what training/anomaly/tap_backbone.py makes from the ONNX Model Zoo file in
../shared/models, byte for byte, as is the Java tests' monochrome backbone from the demo's detector; a tap naming no
tensor is refused.

Run from the repository root: /usr/bin/python3 -m unittest discover training/tests
Skipped, with the reason printed, where python3-onnx or the shared models folder is missing; in CI a missing
shared folder fails."""

import hashlib
import os
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "training", "anomaly", "tap_backbone.py")
ZOO = os.path.join(os.path.dirname(REPO), "shared", "models", "mobilenetv2-imagenet-int8", "mobilenetv2-12-int8.onnx")
BUNDLED = os.path.join(REPO, "inference", "inference-onnx", "src", "main", "resources", "io", "linesight", "inference",
                       "onnx", "anomaly", "mobilenetv2-int8-taps.onnx")
# the demo's own defect detector (1 grey channel in), tapped at its stride-8 and stride-16 stages for a Java test
DEMO_DETECTOR = os.path.join(REPO, "station-app", "core", "src", "main", "resources", "demo", "recipes", "models",
                             "bracket-defects.onnx")
MONO_FIXTURE = os.path.join(REPO, "inference", "inference-onnx", "src", "test", "resources", "io", "linesight",
                            "inference", "onnx", "anomaly", "demo-detector-taps.onnx")
DETECTOR_TAPS = ["--tap", "s8=/model/b3/b3.1/cv2/act/Mul_output_0:8", "--tap", "s16=/model/b4/b4.1/cv2/act/Mul_output_0:16"]
TAPS = ["--tap", "s8=365_quantized:8", "--tap", "s16=426_quantized:16", "--tap", "s8_wide=528_quantized:8",
        "--tap", "s16_wide=591_quantized:16"]

try:
    import onnx  # noqa: F401
    MISSING = None
except ImportError:
    MISSING = "python3-onnx is not installed"
if MISSING is None and not os.path.isfile(ZOO):
    MISSING = f"the zoo model is not at {ZOO} (../shared is absent)"
    if os.environ.get("CI"):
        raise RuntimeError("CI: " + MISSING)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@unittest.skipIf(MISSING, MISSING or "")
class TapBackboneTest(unittest.TestCase):
    def test_rebuilds_the_bundled_backbone_byte_for_byte(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "taps.onnx")
            subprocess.run([sys.executable, SCRIPT, ZOO, out] + TAPS, check=True, capture_output=True)
            self.assertEqual(sha256(out), sha256(BUNDLED))
            m = onnx.load(out)
            self.assertEqual([o.name for o in m.graph.output], ["s8", "s16", "s8_wide", "s16_wide"])
            self.assertIn("linesight.taps", {p.key for p in m.metadata_props})

    def test_rebuilds_the_mono_detector_test_backbone_byte_for_byte(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "taps.onnx")
            subprocess.run([sys.executable, SCRIPT, DEMO_DETECTOR, out, "--input", "mono01"] + DETECTOR_TAPS, check=True,
                           capture_output=True)
            self.assertEqual(sha256(out), sha256(MONO_FIXTURE))
            props = {p.key: p.value for p in onnx.load(out).metadata_props}
            self.assertEqual(props["linesight.input"], "mono01")
            self.assertEqual(list(onnx.load(out).graph.input[0].type.tensor_type.shape.dim)[1].dim_value, 1)

    def test_refuses_a_tap_that_names_no_tensor(self):
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([sys.executable, SCRIPT, ZOO, os.path.join(d, "x.onnx"), "--tap", "s8=nope:8"],
                               capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("tap s8: tensor 'nope' is produced by no node", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, "x.onnx")))


if __name__ == "__main__":
    unittest.main()
