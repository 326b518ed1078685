/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("The station's anomaly commands should")
class AnomalyCommandsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out) {
    }

    Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new StationCli()).execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void beListedInTheHelp() {
        Run r = run("--help");
        assertThat(r.out()).contains("learn-good", "eval-anomaly");
    }

    @Test
    void learnFromAFolderOfGoodPartsAndSeparateUnlabelledDefects() throws Exception {
        Path good = Files.createDirectories(dir.resolve("good"));
        Path test = Files.createDirectories(dir.resolve("test-good"));
        Path defects = Files.createDirectories(dir.resolve("defects/spot"));
        for (int i = 0; i < 10; i++) {
            ImageIO.write(texture(i, false), "png", good.resolve("g" + i + ".png").toFile());
        }
        for (int i = 0; i < 4; i++) {
            ImageIO.write(texture(100 + i, false), "png", test.resolve("t" + i + ".png").toFile());
            ImageIO.write(texture(200 + i, true), "png", defects.resolve("d" + i + ".png").toFile());
        }
        Path model = dir.resolve("parts.anomaly");

        Run learn = run("learn-good", "--images", good.toString(), "--out", model.toString(), "--size", "128");
        assertThat(learn.exit()).as(learn.out()).isZero();
        assertThat(learn.out()).contains("learned " + model, "10 images (8 in the bank, 2 held out for the threshold)");

        Run eval = run("eval-anomaly", "--model", model.toString(), "--good", test.toString(), "--defects",
                dir.resolve("defects").toString());
        assertThat(eval.exit()).as(eval.out()).isZero();
        Matcher m = Pattern.compile("(?m)^spot\\s+4\\s+([0-9.]+)").matcher(eval.out());
        assertThat(m.find()).as(eval.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(eval.out()).isEqualTo(1.0);
    }

    /** Fine horizontal grain with noise; a dark spot on defective parts. */
    private static BufferedImage texture(long seed, boolean spot) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_BYTE_GRAY);
        double phase = r.nextDouble() * 6.28;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                double v = 140 + 25 * Math.sin(y * 0.9 + phase) + r.nextGaussian() * 6;
                img.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, v)));
            }
        }
        if (spot) {
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(30, 30, 30));
            g.fillOval(20 + r.nextInt(70), 20 + r.nextInt(70), 16, 16);
            g.dispose();
        }
        return img;
    }
}
