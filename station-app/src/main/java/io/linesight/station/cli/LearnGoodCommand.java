/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.inference.onnx.tools.LearnGoodTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code station learn-good --images DIR --out MODEL}: an anomaly model learned from good parts only. */
@Command(name = "learn-good", description = "Learn an anomaly model from good images only (no labels): a memory bank "
        + "of backbone patch features and a threshold calibrated on held-out good images, with progress. "
        + "Usage: learn-good --images DIR|LIST.txt [--root DIR] --out MODEL [--backbone FILE] [--layers A,B] "
        + "[--size 256 | --scale F] [--standardise] [--border N] [--target-frr 0.01] [--coreset 0.1] "
        + "[--max-bank 10000]")
final class LearnGoodCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return LearnGoodTool.run(args, System.out, System.err);
    }
}
