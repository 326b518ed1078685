# SPDX-License-Identifier: Apache-2.0
"""Starting from pretrained weights: the Ultralytics YOLOv8n ONNX export in ../shared/models (INT8-quantised) is
dequantised into our YOLOv8n-shaped detector, which must then compute what the ONNX model computes; fine-tuning
freezes the backbone for the first epochs and resumes like any run.

Run from the repository root: /usr/bin/python3 -m unittest discover training/tests
Skipped, with the reason printed, where PyTorch/onnx, the shared models folder, a JDK 25 or the ONNX Runtime jar are
missing."""

import os
import subprocess
import sys
import tempfile
import shutil
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_smoke import MISSING, REPO, java25, labelled_folders, ort_jar, run_cli  # noqa: E402

SHARED = os.path.join(os.path.dirname(REPO), "shared")
YOLOV8N = os.path.join(SHARED, "models", "yolov8n-coco-int8", "yolov8n_int8_opset20.onnx")
BUS = os.path.join(SHARED, "datasets", "ultralytics-samples", "bus.jpg")
NO_YOLOV8N = None if os.path.isfile(YOLOV8N) else f"pretrained YOLOv8n not found at {YOLOV8N} (../shared is absent)"

if not MISSING:
    import numpy as np
    import torch
    from PIL import Image


def converted(in_ch, nc=80, with_coco_head=True):
    """Our YOLOv8n-shaped detector with the pretrained weights; with COCO's 80-class output too when asked."""
    from linesight_train.model import Detector
    from linesight_train.pretrained import load_yolov8, onnx_weights, yolov8n_config
    c = yolov8n_config(nc, in_ch=in_ch)
    m = Detector(c["nc"], c["width"], c["depth"], c["reg_max"], c["in_ch"], c["cls_ch"])
    load_yolov8(m, YOLOV8N, log=lambda *_: None)
    if with_coco_head:
        w = onnx_weights(YOLOV8N)
        sd = m.state_dict()
        for i in range(3):
            sd[f"cls.{i}.2.weight"], sd[f"cls.{i}.2.bias"] = w[f"model.22.cv3.{i}.2.weight"], w[f"model.22.cv3.{i}.2.bias"]
        m.load_state_dict(sd)
    return m.eval()


@unittest.skipIf(MISSING, MISSING)
@unittest.skipIf(NO_YOLOV8N, NO_YOLOV8N)
class ConversionTest(unittest.TestCase):
    def test_int8_initialisers_are_dequantised_with_their_scale_and_zero_point(self):
        import onnx
        from onnx import numpy_helper
        from linesight_train.pretrained import onnx_weights
        inits = {i.name: numpy_helper.to_array(i) for i in onnx.load(YOLOV8N).graph.initializer}
        q = inits["model.2.cv1.conv.weight_quantized"].astype(np.float32)
        want = (q - float(inits["model.2.cv1.conv.weight_zero_point"])) * float(inits["model.2.cv1.conv.weight_scale"])
        got = onnx_weights(YOLOV8N)["model.2.cv1.conv.weight"].numpy()
        self.assertEqual(got.shape, (32, 32, 1, 1))
        np.testing.assert_allclose(got, want, rtol=0, atol=0)

    def test_every_convolution_gets_a_pretrained_weight_and_the_size_is_yolov8n(self):
        from linesight_train.model import count_params
        m = converted(3)
        # Ultralytics counts 3,157,200 for YOLOv8n: 16 more, its DFL's fixed projection, a buffer here
        self.assertEqual(count_params(m), 3_157_184)
        self.assertGreater(float(m.b5[2].cv2.conv.weight.abs().sum()), 0)

    def test_grey_stem_gives_the_rgb_networks_response_to_a_grey_image(self):
        rgb, grey = converted(3), converted(1)
        g = torch.rand(1, 1, 128, 160, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            a = torch.cat([f.flatten() for f in rgb(g.expand(1, 3, 128, 160))])
            b = torch.cat([f.flatten() for f in grey(g)])
        self.assertLess(float((a - b).abs().max()), 1e-3)

    def test_batchnorm_calibration_keeps_the_output_and_takes_the_statistics(self):
        from linesight_train.pretrained import calibrate_bn
        m = converted(1, nc=6, with_coco_head=False)
        x = torch.rand(4, 1, 96, 128, generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            before = torch.cat([f.flatten() for f in m(x)])
        self.assertEqual(calibrate_bn(m, [x[:2], x[2:]]), 57)
        with torch.no_grad():
            after = torch.cat([f.flatten() for f in m(x)])
        self.assertLess(float((after - before).abs().max()), 1e-3)
        self.assertGreater(float(m.b3[1].cv1.bn.running_var.std()), 0)
        self.assertEqual(calibrate_bn(m, [x]), 0, "a calibrated network is left alone")

    def test_converted_model_reproduces_onnx_runtime_on_bus_jpg(self):
        java, jar = java25(), ort_jar()
        if not java or not jar or not os.path.isfile(BUS):
            self.skipTest(f"needs a JDK 25 ({java}), the ONNX Runtime jar ({jar}) and {BUS}")
        from linesight_train.export import YoloV8Head
        img = Image.open(BUS).convert("RGB").resize((640, 640), Image.BILINEAR)
        x = torch.from_numpy(np.asarray(img).astype(np.float32) / 255).permute(2, 0, 1)[None].contiguous()
        with torch.no_grad():
            y = YoloV8Head(converted(3), 640, 640).eval()(x)
        tmp = tempfile.mkdtemp(prefix="linesight-pretrained-")
        try:
            x.numpy().astype("<f4").tofile(os.path.join(tmp, "input.bin"))
            y.numpy().astype("<f4").tofile(os.path.join(tmp, "output.bin"))
            with open(os.path.join(tmp, "shapes.txt"), "w") as f:
                f.write("1 3 640 640\n1 84 8400\n")
            ort_out = os.path.join(tmp, "ort.bin")
            # the tolerance is not the judge here (INT8 activations against float ones): the comparison below is
            subprocess.run([java, f"-Dparity.write={ort_out}", "--enable-native-access=ALL-UNNAMED", "-cp", jar,
                            os.path.join(HERE, "ParityCheck.java"), YOLOV8N, tmp, "1e9"], check=True, capture_output=True)
            ort = np.fromfile(ort_out, "<f4").reshape(84, 8400)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        ours = y[0].numpy()
        score_diff = np.abs(ort[4:] - ours[4:])
        self.assertLess(float(score_diff.mean()), 1e-4)
        self.assertLess(float(score_diff.max()), 0.25)
        confident = ort[4:].max(0) > 0.25
        self.assertGreater(int(confident.sum()), 20, "bus.jpg: a bus and four people")
        np.testing.assert_array_equal(ort[4:, confident].argmax(0), ours[4:, confident].argmax(0))
        self.assertLess(float(np.abs(ort[:4, confident] - ours[:4, confident]).max()), 5.0, "box within 5 px of 640")
        # INT8 activations (ONNX Runtime) against float ones (PyTorch): close, not equal
        print(f"bus.jpg: {int(confident.sum())} confident anchors, score difference mean "
              f"{float(np.abs(ort[4:, confident] - ours[4:, confident]).mean()):.4f} max "
              f"{float(np.abs(ort[4:, confident] - ours[4:, confident]).max()):.4f}, box max "
              f"{float(np.abs(ort[:4, confident] - ours[:4, confident]).max()):.2f} px", file=sys.stderr)
        self.assertLess(float(np.abs(ort[4:, confident] - ours[4:, confident]).mean()), 0.01)
        self.assertLess(float(np.abs(ort[4:, confident] - ours[4:, confident]).max()), 0.2)


@unittest.skipIf(MISSING, MISSING)
@unittest.skipIf(NO_YOLOV8N, NO_YOLOV8N)
class FineTuneSmokeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, data = labelled_folders("linesight-finetune-", 8, 3)
        cls.common = data + ["--imgsz", "128x96", "--arch", "yolov8n", "--pretrained", YOLOV8N, "--freeze-epochs", "1",
                      "--batch", "4", "--epochs", "2", "--iters-per-epoch", "2", "--warmup-iters", "1", "--seed", "3",
                      "--threads", "1"]
        cls.run_dir = os.path.join(cls.tmp, "run")
        run_cli("train", *cls.common, "--out", cls.run_dir, "--stop-after", "1")
        cls.after_frozen = torch.load(os.path.join(cls.run_dir, "last.pt"))["model"]
        cls.log = run_cli("train", *cls.common, "--out", cls.run_dir, "--resume", os.path.join(cls.run_dir, "last.pt"))
        cls.after_all = torch.load(os.path.join(cls.run_dir, "last.pt"))["model"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_frozen_epoch_trains_the_head_only_and_keeps_the_pretrained_backbone(self):
        start = converted(1, nc=2, with_coco_head=False).state_dict()
        self.assertTrue(torch.equal(self.after_frozen["b4.1.m.0.cv1.conv.weight"], start["b4.1.m.0.cv1.conv.weight"]))
        self.assertTrue(torch.equal(self.after_frozen["stem.conv.weight"], start["stem.conv.weight"]))
        self.assertFalse(torch.equal(self.after_frozen["cls.0.2.weight"], start["cls.0.2.weight"]))
        self.assertFalse(torch.equal(self.after_frozen["n3.cv1.conv.weight"], start["n3.cv1.conv.weight"]))

    def test_resumed_run_unfreezes_the_backbone_after_the_frozen_epochs(self):
        self.assertIn("backbone unfrozen", self.log)
        self.assertFalse(torch.equal(self.after_all["b4.1.m.0.cv1.conv.weight"], self.after_frozen["b4.1.m.0.cv1.conv.weight"]))

    def test_fine_tuned_model_exports_with_the_stations_layout(self):
        import onnx
        out = os.path.join(self.tmp, "ft.onnx")
        run_cli("export", "--weights", os.path.join(self.run_dir, "last.pt"), "--out", out)
        m = onnx.load(out)
        self.assertEqual([d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim], [1, 1, 96, 128])
        self.assertEqual([d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim][:2], [1, 6])

    def test_pretrained_without_the_yolov8n_architecture_is_refused(self):
        r = subprocess.run([sys.executable, "-m", "linesight_train", "train", *self.common[:4], "--out",
                            os.path.join(self.tmp, "x"), "--pretrained", YOLOV8N], cwd=os.path.join(REPO, "training"),
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--pretrained needs --arch yolov8n", r.stderr)

    def test_a_model_that_is_not_a_yolov8_export_is_refused_naming_the_file(self):
        bracket = os.path.join(REPO, "station-app", "core", "src", "main", "resources", "demo", "recipes", "models", "bracket-defects.onnx")
        args = [a if a != YOLOV8N else bracket for a in self.common]
        r = subprocess.run([sys.executable, "-m", "linesight_train", "train", *args, "--out", os.path.join(self.tmp, "y")],
                           cwd=os.path.join(REPO, "training"), capture_output=True, text=True)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("bracket-defects.onnx: no initialiser model.0.conv.weight", r.stderr)


if __name__ == "__main__":
    unittest.main()
