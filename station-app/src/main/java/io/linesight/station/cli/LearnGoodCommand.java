/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.recipe.Roi;
import io.linesight.inference.onnx.tools.LearnGoodTool;
import io.linesight.station.archive.DatasetExport;
import io.linesight.station.archive.ShotImages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code station learn-good --images DIR --out MODEL}: an anomaly model learned from good parts only; or with
 * {@code --archive DATA_DIR --shot NAME [--since 24h] [--roi X,Y,W,H]} from the PASS images of that shot in the
 * station's own archive.
 */
@Command(name = "learn-good", description = "Learn an anomaly model from good images only (no labels): a memory bank "
        + "of backbone patch features and a threshold calibrated on held-out good images, with progress. "
        + "Usage: learn-good --images DIR|LIST.txt [--root DIR] --out MODEL [--backbone FILE] [--layers A,B] "
        + "[--size 256 | --scale F] [--standardise] [--border N] [--target-frr 0.01] [--coreset 0.1] "
        + "[--max-bank 10000]; or, from the station's archive instead of --images: --archive DATA_DIR --shot NAME "
        + "[--since 24h] [--until WHEN] [--recipe NAME] [--roi X,Y,W,H (the recipe's anomaly roi)] [--keep-images DIR]")
final class LearnGoodCommand implements Callable<Integer> {
    private static final List<String> ARCHIVE_OPTIONS = List.of("--archive", "--shot", "--since", "--until", "--recipe",
            "--roi", "--keep-images");

    @Unmatched
    List<String> args = new ArrayList<>();

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        if (!args.contains("--archive")) {
            return LearnGoodTool.run(args, out, err);
        }
        List<String> rest = new ArrayList<>();
        java.util.Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (ARCHIVE_OPTIONS.contains(a)) {
                if (i + 1 >= args.size()) {
                    err.println("learn-good: " + a + " needs a value");
                    return 2;
                }
                opt.put(a, args.get(++i));
            } else {
                rest.add(a);
            }
        }
        if (rest.contains("--images") || !opt.containsKey("--shot")) {
            err.println("learn-good: --archive takes the images of one shot from the archive: give --shot NAME, not --images");
            return 2;
        }
        Instant now = Instant.now();
        Roi roi;
        Instant since;
        Instant until;
        try {
            since = DatasetExport.parseWhen(opt.getOrDefault("--since", "24h"), now);
            until = opt.containsKey("--until") ? DatasetExport.parseWhen(opt.get("--until"), now) : now;
            roi = opt.containsKey("--roi") ? roi(opt.get("--roi")) : null;
        } catch (IllegalArgumentException e) {
            err.println("learn-good: " + e.getMessage());
            return 2;
        }
        Path archive = Path.of(opt.get("--archive")).resolve("archive");
        Path images = null;
        try {
            images = opt.containsKey("--keep-images") ? Path.of(opt.get("--keep-images"))
                    : Files.createTempDirectory("learn-good-");
            ShotImages.Summary s = ShotImages.export(archive, since, until, DatasetExport.Results.PASS, opt.get("--recipe"),
                    opt.get("--shot"), roi, images);
            err.printf("learn-good: %d PASS images of shot %s from %d good parts in %s (%s .. %s)%s%n", s.images(),
                    opt.get("--shot"), s.parts(), archive, since, until,
                    s.missing() > 0 ? "; " + s.missing() + " missing from the archive (retention or quota)" : "");
            if (s.images() < 2) {
                err.println("learn-good: too few good images in the archive for that window and shot (the recipe's "
                        + "archive policy keeps every okEveryN-th good part)");
                return 1;
            }
            rest.add("--images");
            rest.add(images.toString());
            return LearnGoodTool.run(rest, out, err);
        } catch (IOException e) {
            err.println("learn-good: " + e.getMessage());
            return 1;
        } finally {
            if (images != null && !opt.containsKey("--keep-images")) {
                deleteQuietly(images);
            }
        }
    }

    /** {@code X,Y,W,H} in frame pixels. */
    static Roi roi(String text) {
        String[] p = text.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("--roi " + text + " must be X,Y,WIDTH,HEIGHT in frame pixels");
        }
        try {
            int[] v = new int[4];
            for (int i = 0; i < 4; i++) {
                v[i] = Integer.parseInt(p[i].strip());
            }
            if (v[0] < 0 || v[1] < 0 || v[2] < 1 || v[3] < 1) {
                throw new IllegalArgumentException("--roi " + text + ": x and y must be >= 0, width and height >= 1");
            }
            return new Roi(v[0], v[1], v[2], v[3]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--roi " + text + " must be X,Y,WIDTH,HEIGHT in whole frame pixels", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless; the model is written already
        }
    }
}
