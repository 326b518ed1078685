/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.inference.onnx.tools.DetectTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code station detect --model M.onnx --image I [--json]}: detections of one image (the inference module's tool). */
@Command(name = "detect", description = "Run a model on one image: class, score and box in image pixels. "
        + "Usage: detect --model M.onnx --image I [--json]")
final class DetectCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return DetectTool.run(args, System.out, System.err);
    }
}
