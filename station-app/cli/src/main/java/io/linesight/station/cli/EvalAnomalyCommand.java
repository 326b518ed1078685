/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.inference.onnx.tools.EvalAnomalyTool;
import io.linesight.station.archive.DatasetExport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code station eval-anomaly --model MODEL --good DIR --defects DIR [--masks] [--record]}: an anomaly model's figures;
 * or with {@code --archive DATA_DIR --shot NAME [--since 24h] [--roi X,Y,W,H]} on the station's own archive, its PASS
 * parts as the good images and its REJECT parts as the defective ones (as the line's rules and detector judged them).
 */
@Command(name = "eval-anomaly", description = "Evaluate an anomaly model on good and defective images: image AUROC, "
        + "detection at 1 %% and 5 %% false rejects and at the model's threshold, best F1, per defect class (first "
        + "folder under --defects), pixel AUROC with --masks; --record writes MODEL.eval.json, which a recipe needs. "
        + "Usage: eval-anomaly --model MODEL --good DIR|LIST.txt --defects DIR|LIST.txt [--root DIR] [--masks] "
        + "[--record] [--scores FILE.csv (every image's score)]; or, from the station's archive instead of --good/--defects (PASS parts good, REJECT parts "
        + "defective): --archive DATA_DIR --shot NAME [--since 24h] [--until WHEN] [--recipe NAME] [--roi X,Y,W,H]")
final class EvalAnomalyCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        ArchiveImageOptions archive;
        try {
            archive = ArchiveImageOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("eval-anomaly: " + e.getMessage());
            return 2;
        }
        if (archive == null) {
            return EvalAnomalyTool.run(args, out, err);
        }
        if (archive.rest.contains("--good") || archive.rest.contains("--defects")) {
            err.println("eval-anomaly: --archive takes good and defective images from the archive: no --good or --defects");
            return 2;
        }
        try (archive) {
            Path good = archive.export(DatasetExport.Results.PASS, null, "eval-anomaly", err);
            Path defects = archive.export(DatasetExport.Results.REJECT, null, "eval-anomaly", err);
            List<String> tool = new ArrayList<>(archive.rest);
            tool.addAll(List.of("--good", good.toString(), "--defects", defects.toString()));
            return EvalAnomalyTool.run(tool, out, err);
        } catch (IOException e) {
            err.println("eval-anomaly: " + e.getMessage());
            return 1;
        }
    }
}
