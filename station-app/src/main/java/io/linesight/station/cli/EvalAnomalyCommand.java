/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.inference.onnx.tools.EvalAnomalyTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code station eval-anomaly --model MODEL --good DIR --defects DIR [--masks]}: an anomaly model's figures. */
@Command(name = "eval-anomaly", description = "Evaluate an anomaly model on good and defective images: image AUROC, "
        + "detection at 1 % and 5 % false rejects and at the model's threshold, best F1, per defect class (first "
        + "folder under --defects), pixel AUROC with --masks. "
        + "Usage: eval-anomaly --model MODEL --good DIR|LIST.txt --defects DIR|LIST.txt [--root DIR] [--masks]")
final class EvalAnomalyCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return EvalAnomalyTool.run(args, System.out, System.err);
    }
}
