/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.inference.onnx.tools.LearnGoodTool;
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
 * {@code station learn-good --images DIR --out MODEL}: an anomaly model learned from good parts only; or with
 * {@code --archive DATA_DIR --shot NAME [--since 24h] [--roi X,Y,W,H]} from the PASS images of that shot in the
 * station's own archive.
 */
@Command(name = "learn-good", description = "Learn an anomaly model from good images only (no labels): a memory bank "
        + "of backbone patch features and a threshold calibrated on held-out good images, with progress. "
        + "Usage: learn-good --images DIR|LIST.txt [--root DIR] --out MODEL [--like MODEL (its settings)] [--backbone FILE] [--layers A,B] "
        + "[--size 256 | --scale F] [--standardise] [--border N] [--top-k 1] [--mirror] [--shift PX] [--more-scales S:B,…] [--target-frr 0.01] [--coreset 0.1] "
        + "[--max-bank 10000]; or, from the station's archive instead of --images: --archive DATA_DIR --shot NAME "
        + "[--since 24h] [--until WHEN] [--recipe NAME] [--roi X,Y,W,H (the recipe's anomaly roi)] [--keep-images DIR]")
final class LearnGoodCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        List<String> given = new ArrayList<>(args);
        Path keep = null;
        int k = given.indexOf("--keep-images");
        if (k >= 0 && k + 1 < given.size()) {
            keep = Path.of(given.remove(k + 1));
            given.remove(k);
        }
        ArchiveImageOptions archive;
        try {
            archive = ArchiveImageOptions.parse(given);
        } catch (IllegalArgumentException e) {
            err.println("learn-good: " + e.getMessage());
            return 2;
        }
        if (archive == null) {
            return LearnGoodTool.run(args, out, err);
        }
        if (archive.rest.contains("--images")) {
            err.println("learn-good: --archive takes the images from the archive: give --shot NAME, not --images");
            return 2;
        }
        try (archive) {
            Path images = archive.export(DatasetExport.Results.PASS, keep, "learn-good", err);
            List<String> tool = new ArrayList<>(archive.rest);
            tool.addAll(List.of("--images", images.toString()));
            return LearnGoodTool.run(tool, out, err);
        } catch (IOException e) {
            err.println("learn-good: " + e.getMessage());
            return 1;
        }
    }
}
