# SPDX-License-Identifier: Apache-2.0
"""Smoke test of the training tool: a few iterations on a handful of generated images, ONNX export, the exported
graph against PyTorch on ONNX Runtime for Java (the station's runtime), and the station's own `eval` on it.

Run from the repository root: /usr/bin/python3 -m unittest discover training/tests
Skipped, with the reason printed, where PyTorch/onnx, a JDK 25 or the ONNX Runtime jar are missing."""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
REPO = os.path.dirname(TRAINING)
sys.path.insert(0, TRAINING)

try:
    import numpy as np
    import onnx
    import torch
    from PIL import Image
    MISSING = None
except ImportError as e:  # the Debian packages python3-torch python3-torchvision python3-onnx python3-pil
    MISSING = f"training dependencies missing ({e}); install python3-torch python3-torchvision python3-onnx python3-pil"
    if os.environ.get("CI"):
        # in CI (./test sets CI) a missing peer is a failure, never a quiet skip
        raise RuntimeError(f"{MISSING}: the training tests cannot run in CI without them") from e

NAMES = ["scratch", "dent"]
IMGSZ = "128x96"  # width x height, multiples of 32


def java25():
    for home in [os.environ.get("JAVA_HOME", "")] + sorted(glob.glob("/usr/lib/jvm/temurin-25*")) + sorted(glob.glob("/usr/lib/jvm/java-25*")):
        exe = os.path.join(home, "bin", "java")
        if home and os.path.isfile(exe):
            out = subprocess.run([exe, "-version"], capture_output=True, text=True).stderr
            if 'version "25' in out:
                return exe
    return None


def ort_jar():
    if os.environ.get("LINESIGHT_ORT_JAR"):
        return os.environ["LINESIGHT_ORT_JAR"]
    m2 = os.path.join(os.path.expanduser("~"), ".m2", "repository", "com", "microsoft", "onnxruntime", "onnxruntime")
    jars = sorted(glob.glob(os.path.join(m2, "*", "onnxruntime-*.jar")))
    jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar"))]
    return jars[-1] if jars else None


def make_images(folder, n, seed, w=200, h=160):
    """Bright plates on a dark background; a dark bar (scratch) or a dark disc (dent), YOLO labels, classes.txt."""
    rng = np.random.default_rng(seed)
    os.makedirs(os.path.join(folder, "images"))
    os.makedirs(os.path.join(folder, "labels"))
    with open(os.path.join(folder, "classes.txt"), "w") as f:
        f.write("\n".join(NAMES) + "\n")
    for i in range(n):
        img = np.full((h, w), 40, np.uint8)
        img[20:140, 30:170] = 170
        lines = []
        c = i % 3  # one image in three is good
        if c == 0:
            x, y, L = rng.integers(50, 100), rng.integers(40, 120), rng.integers(30, 60)
            img[y:y + 3, x:x + L] = 80
            lines.append(f"0 {(x + L / 2) / w:.6f} {(y + 1.5) / h:.6f} {L / w:.6f} {3 / h:.6f}")
        elif c == 1:
            x, y, r = rng.integers(60, 140), rng.integers(45, 115), rng.integers(6, 12)
            yy, xx = np.mgrid[:h, :w]
            img[(xx - x) ** 2 + (yy - y) ** 2 <= r * r] = 95
            lines.append(f"1 {x / w:.6f} {y / h:.6f} {(2 * r + 1) / w:.6f} {(2 * r + 1) / h:.6f}")
        img = np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)
        Image.fromarray(img).save(os.path.join(folder, "images", f"im{i:03d}.png"))
        with open(os.path.join(folder, "labels", f"im{i:03d}.txt"), "w") as f:
            f.write("\n".join(lines))


def labelled_folders(prefix, n_train, n_val):
    """A temporary folder with generated `train` and `val` sets; returns it and the data options for `train`."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    make_images(os.path.join(tmp, "train"), n_train, seed=1)
    make_images(os.path.join(tmp, "val"), n_val, seed=2)
    return tmp, ["--data", os.path.join(tmp, "train"), "--val", os.path.join(tmp, "val")]


def run_cli(*args):
    r = subprocess.run([sys.executable, "-m", "linesight_train", *args], cwd=TRAINING, capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"linesight_train {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r.stdout


@unittest.skipIf(MISSING, MISSING)
class TrainExportSmokeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, data = labelled_folders("linesight-train-", 12, 6)
        cls.common = data + ["--imgsz", IMGSZ, "--width", "4", "--batch", "4", "--epochs", "2", "--iters-per-epoch", "2",
                      "--warmup-iters", "1", "--seed", "3", "--threads", "1", "--mosaic", "0.5"]
        cls.run_dir = os.path.join(cls.tmp, "run")
        run_cli("train", *cls.common, "--out", cls.run_dir)
        cls.onnx = os.path.join(cls.tmp, "smoke.onnx")
        run_cli("export", "--weights", os.path.join(cls.run_dir, "last.pt"), "--out", cls.onnx)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_training_writes_checkpoints_and_a_summary_per_epoch(self):
        with open(os.path.join(self.run_dir, "summary.json")) as f:
            s = json.load(f)
        self.assertEqual(s["epochs_run"], 2)
        self.assertTrue(os.path.isfile(os.path.join(self.run_dir, "best.pt")))
        self.assertTrue(all(np.isfinite(h["loss"]).all() for h in s["history"]))

    def test_export_has_the_ultralytics_layout_and_metadata(self):
        m = onnx.load(self.onnx)
        onnx.checker.check_model(m)
        meta = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(meta["names"], "{0: 'scratch', 1: 'dent'}")
        self.assertEqual(meta["imgsz"], "[96, 128]")
        self.assertEqual((meta["stride"], meta["task"], meta["channels"]), ("32", "detect", "1"))
        dims = lambda v: [d.dim_value for d in v.type.tensor_type.shape.dim]
        self.assertEqual(dims(m.graph.input[0]), [1, 1, 96, 128])
        anchors = sum(-(-96 // s) * -(-128 // s) for s in (8, 16, 32))
        self.assertEqual(dims(m.graph.output[0]), [1, 4 + len(NAMES), anchors])

    def test_end_to_end_export_has_k_rows_of_six(self):
        e2e = os.path.join(self.tmp, "smoke-e2e.onnx")
        run_cli("export", "--weights", os.path.join(self.run_dir, "last.pt"), "--out", e2e, "--end2end", "--max-det", "20")
        m = onnx.load(e2e)
        onnx.checker.check_model(m)
        self.assertEqual({p.key: p.value for p in m.metadata_props}["end2end"], "True")
        self.assertEqual([d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim], [1, 20, 6])

    def test_exported_head_agrees_with_the_training_decoder(self):
        from linesight_train.export import YoloV8Head
        from linesight_train.model import decode
        from linesight_train.train import load_model
        model, _, (h, w) = load_model(os.path.join(self.run_dir, "last.pt"))
        x = torch.rand(1, 1, h, w, generator=torch.Generator().manual_seed(0))
        with torch.no_grad():
            y = YoloV8Head(model, h, w)(x)[0]
            boxes, scores = decode(model, model(x))
        xyxy = torch.cat((y[:2] - y[2:4] / 2, y[:2] + y[2:4] / 2)).T
        self.assertLess(float((xyxy - boxes[0]).abs().max()), 1e-3)
        self.assertLess(float((y[4:].T - scores[0]).abs().max()), 1e-6)

    def test_onnx_runtime_output_equals_pytorch_within_1e_4(self):
        java, jar = java25(), ort_jar()
        if not java or not jar:
            self.skipTest(f"needs a JDK 25 (found {java}) and the ONNX Runtime jar from ~/.m2 or LINESIGHT_ORT_JAR (found {jar})")
        par = os.path.join(self.tmp, "parity")
        run_cli("parity", "--weights", os.path.join(self.run_dir, "last.pt"), "--out", par)
        r = subprocess.run([java, "--enable-native-access=ALL-UNNAMED", "-cp", jar, os.path.join(HERE, "ParityCheck.java"),
                            self.onnx, par, "1e-4"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("max |onnxruntime - pytorch|", r.stdout)

    def test_station_eval_loads_and_runs_the_exported_model(self):
        jar = os.path.join(REPO, "station-app", "cli", "target", "linesight-station.jar")
        if not os.path.isfile(jar) or not java25():
            self.skipTest(f"needs the built station ({jar}) and a JDK 25")
        r = subprocess.run([os.path.join(REPO, "station"), "eval", "--model", self.onnx, "--dataset",
                            os.path.join(self.tmp, "val"), "--json"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        res = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual((res["images"], res["defectImages"], res["goodImages"]), (6, 4, 2))

    def test_same_seed_and_a_resumed_run_give_the_same_weights(self):
        a = os.path.join(self.tmp, "again")
        run_cli("train", *self.common, "--out", a)
        b = os.path.join(self.tmp, "interrupted")
        run_cli("train", *self.common, "--out", b, "--stop-after", "1")
        run_cli("train", *self.common, "--out", b, "--resume", os.path.join(b, "last.pt"))
        ref = torch.load(os.path.join(self.run_dir, "last.pt"))["ema"]
        for other in (a, b):
            got = torch.load(os.path.join(other, "last.pt"))["ema"]
            for k in ref:
                self.assertTrue(torch.equal(ref[k], got[k]), f"{other}: {k} differs")


@unittest.skipIf(MISSING, MISSING)
class DataTest(unittest.TestCase):
    def test_letterbox_matches_the_station(self):
        from linesight_train.data import letterbox_geometry
        # (r, newW, newH, left, top) as inference-onnx Letterbox.of computes them
        self.assertEqual(letterbox_geometry(1280, 1024, 480, 384), (0.375, 480, 384, 0, 0))
        self.assertEqual(letterbox_geometry(1280, 1024, 640, 640)[1:], (640, 512, 0, 64))
        self.assertEqual(letterbox_geometry(200, 200, 320, 320)[1:], (320, 320, 0, 0))
        self.assertEqual(letterbox_geometry(100, 51, 64, 64)[1:], (64, 33, 0, 15))

    def test_voc_and_yolo_labels_give_the_same_boxes(self):
        from linesight_train.data import DataError, read_labels
        with tempfile.TemporaryDirectory() as d:
            voc = os.path.join(d, "a.xml")
            with open(voc, "w") as f:
                f.write("<annotation><object><name>dent</name><bndbox><xmin>10</xmin><ymin>20</ymin>"
                        "<xmax>30</xmax><ymax>60</ymax></bndbox></object></annotation>")
            yolo = os.path.join(d, "a.txt")
            with open(yolo, "w") as f:
                f.write("1 0.2 0.4 0.2 0.4\n")
            np.testing.assert_allclose(read_labels(voc, 100, 100, NAMES), [[1, 10, 20, 30, 60]])
            np.testing.assert_allclose(read_labels(yolo, 100, 100, NAMES), [[1, 10, 20, 30, 60]], atol=1e-4)
            with open(yolo, "w") as f:
                f.write("0 0.5 0.5 0.1 0.1\n7 0.5 0.5 0.1 0.1\n")
            with self.assertRaisesRegex(DataError, r"a\.txt:2: class 7"):
                read_labels(yolo, 100, 100, NAMES)

    def test_augmented_boxes_stay_on_the_defect(self):
        from linesight_train.data import Augment
        import torch as t

        class One:
            th, tw = 96, 128
            pixels = t.full((1, 96, 128), 170, dtype=t.uint8)
            boxes = [t.tensor([[0.0, 40, 30, 60, 50]])]
        One.pixels[0, 30:50, 40:60] = 20
        for s in range(20):
            aug = Augment(degrees=0, noise=0, brightness=0, contrast=0, gamma=0,
                          crop=(64, 64) if s % 2 else None, crop_on_defect=1.0)
            x, tg = aug.batch(One, [0], t.Generator().manual_seed(s))
            self.assertEqual(x.shape[-2:], (64, 64) if s % 2 else (96, 128))
            self.assertEqual(len(tg), 1)
            _, _, x1, y1, x2, y2 = tg[0].tolist()
            inside = x[0, 0, int(y1) + 2:int(y2) - 2, int(x1) + 2:int(x2) - 2]
            self.assertLess(float(inside.mean()), 0.3, f"seed {s}: box {tg[0].tolist()} is not on the dark square")


if __name__ == "__main__":
    unittest.main()
