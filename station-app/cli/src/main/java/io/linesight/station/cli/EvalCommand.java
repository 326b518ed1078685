/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.inference.onnx.tools.EvalTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code station eval --model M.onnx --dataset DIR [--json]}: mAP, per-class AP, escape and overkill rates. */
@Command(name = "eval", description = "Evaluate a model on a labelled folder (Pascal VOC or YOLO txt): mAP@0.5, "
        + "mAP@0.5:0.95, per-class AP, precision/recall, confusion, escape and overkill rates. "
        + "Usage: eval --model M.onnx --dataset DIR [--json]")
final class EvalCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return EvalTool.run(args, System.out, System.err);
    }
}
