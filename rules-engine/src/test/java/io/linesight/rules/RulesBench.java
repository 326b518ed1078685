/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.BlobRuleSpec;
import io.linesight.config.recipe.rule.CaliperRuleSpec;
import io.linesight.config.recipe.rule.CircleRuleSpec;
import io.linesight.config.recipe.rule.GoldenRuleSpec;
import io.linesight.config.recipe.rule.IntensityRuleSpec;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.rules.blob.BlobRule;
import io.linesight.rules.caliper.CaliperRule;
import io.linesight.rules.circle.CircleRule;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.golden.GoldenRule;
import io.linesight.rules.intensity.IntensityRule;
import io.linesight.rules.template.TemplateRule;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * Micro-benchmark (no JMH): each rule type on a 5 MP Mono8 frame (2448×2048), and a typical recipe of 8 rules run
 * by {@link FixtureRunner}, on the calling thread with OpenCV limited to one thread. Prints median and p90 per
 * call of wall time and of the thread's CPU time (which leaves out the time the thread waited for a core on a
 * loaded machine), and the Java heap allocated per call (thread allocation counter; native Mat data is not in it, Scratch
 * Mats keep that flat). Run it as documented in docs/BENCHMARKS.md (section Rules).
 */
public final class RulesBench {
    private static final int W = 2448;
    private static final int H = 2048;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private RulesBench() {
    }

    public static void main(String[] args) {
        OpenCv.ensureLoaded();
        Core.setNumThreads(1);
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Mat img = part(0, 0);
        Mat shifted = part(7, -5);
        Roi pattern = new Roi(900, 800, 400, 300);
        Mat template = img.submat(new Rect(pattern.x(), pattern.y(), pattern.width(), pattern.height())).clone();
        Roi goldenRoi = new Roi(1000, 900, 600, 400);
        Mat golden = img.submat(new Rect(goldenRoi.x(), goldenRoi.y(), goldenRoi.width(), goldenRoi.height())).clone();
        TemplateRule fixture = new TemplateRule(TemplateRuleSpec.of("locate", "top", new Roi(700, 600, 800, 700),
                "t.png", pattern, true).withAngles(5, 1), template);
        Map<String, Rule> single = new LinkedHashMap<>();
        single.put("blob (1000x800, fixed)", new BlobRule(BlobRuleSpec.builder("spots", "top", new Roi(800, 700, 1000, 800))
                .minArea(20).build()));
        single.put("blob (1000x800, adaptive)", new BlobRule(BlobRuleSpec.builder("spots", "top", new Roi(800, 700, 1000, 800))
                .threshold(BlobRuleSpec.Threshold.ADAPTIVE).minArea(20).build()));
        single.put("intensity (full frame, mean/std/min/max)", new IntensityRule(new IntensityRuleSpec("expo", "top",
                new Roi(0, 0, W, H), 40.0, 220.0, null, null, null, true)));
        single.put("intensity (full frame, p1/p99)", new IntensityRule(new IntensityRuleSpec("expo", "top", new Roi(0, 0, W, H),
                null, null, null, null, null, true, null, List.of(new IntensityRuleSpec.Percentile(1, null, null),
                new IntensityRuleSpec.Percentile(99, null, null)))));
        single.put("caliper (400x20, 30 deg)", new CaliperRule(CaliperRuleSpec.of("w", "top", new Roi(1250, 1190, 400, 20), 30), null));
        single.put("circle (d=120 in 300x300)", new CircleRule(CircleRuleSpec.of("hole", "top", new Roi(950, 850, 300, 300),
                CircleRuleSpec.Polarity.DARK), null));
        single.put("template (800x700 search, 400x300, +-5 deg)", fixture);
        single.put("golden (600x400, align +-4)", new GoldenRule(GoldenRuleSpec.of("g", "top", goldenRoi, "g.png"), golden, null));
        Rule expoFrame = new IntensityRule(new IntensityRuleSpec("expo", "top", new Roi(0, 0, W, H), 40.0, 220.0, null, null,
                null, true));
        // Exposure is judged on the part (a flat area of the plate), not on the belt around it.
        Rule expoPart = new IntensityRule(new IntensityRuleSpec("expo", "top", new Roi(720, 620, 1040, 260), 40.0, 220.0, null,
                null, null, true));
        List<Rule> recipe = recipe(fixture, expoPart, goldenRoi, golden);
        List<Rule> recipeWholeFrame = recipe(fixture, expoFrame, goldenRoi, golden);
        try (Frame f = TestFrames.mono8(shifted)) {
            System.out.printf(Locale.ROOT, "Rules on a %dx%d Mono8 frame, one thread, %d iterations (after warm-up)%n", W, H, iterations);
            System.out.printf(Locale.ROOT, "%-50s %9s %9s %9s %9s %12s%n", "rule", "median ms", "p90 ms", "cpu med", "cpu p90",
                    "alloc B/call");
            for (Map.Entry<String, Rule> e : single.entrySet()) {
                Rule r = e.getValue();
                report(e.getKey(), iterations, () -> r.evaluate(f, RuleContext.NONE).pass());
            }
            report("recipe of 8 rules (fixture first)", iterations,
                    () -> FixtureRunner.evaluate(recipe, shot -> f, shot -> RuleContext.NONE).size() == 8);
            breakdown(recipe, f, iterations);
            report("recipe of 8 rules, exposure on the whole frame", iterations,
                    () -> FixtureRunner.evaluate(recipeWholeFrame, shot -> f, shot -> RuleContext.NONE).size() == 8);
        }
    }

    private static List<Rule> recipe(TemplateRule fixture, Rule exposure, Roi goldenRoi, Mat golden) {
        return List.of(fixture,
                new CaliperRule(CaliperRuleSpec.of("width", "top", new Roi(1250, 1190, 400, 20), 0), null),
                new CaliperRule(CaliperRuleSpec.of("height", "top", new Roi(1500, 1000, 300, 15), 90), null),
                new CircleRule(CircleRuleSpec.of("hole", "top", new Roi(950, 850, 300, 300), CircleRuleSpec.Polarity.DARK), null),
                new BlobRule(BlobRuleSpec.builder("spots", "top", new Roi(1000, 900, 600, 400)).minArea(20).maxCount(0).build()),
                exposure,
                new IntensityRule(new IntensityRuleSpec("surface", "top", new Roi(1300, 1300, 300, 200), null, null, null, null, 30.0, false)),
                new GoldenRule(GoldenRuleSpec.of("golden", "top", goldenRoi, "g.png"), golden, null));
    }

    /** Median wall time of each rule inside the recipe (from its result), to see where the recipe's time goes. */
    private static void breakdown(List<Rule> recipe, Frame f, int iterations) {
        long[][] ns = new long[recipe.size()][iterations];
        for (int i = 0; i < iterations; i++) {
            List<RuleResult> results = FixtureRunner.evaluate(recipe, shot -> f, shot -> RuleContext.NONE);
            for (int r = 0; r < results.size(); r++) {
                ns[r][i] = results.get(r).nanos();
            }
        }
        for (int r = 0; r < recipe.size(); r++) {
            Arrays.sort(ns[r]);
            System.out.printf(Locale.ROOT, "    %-46s %9.3f%n", recipe.get(r).name() + " (" + recipe.get(r).getClass().getSimpleName()
                    + ")", ns[r][iterations / 2] / 1e6);
        }
    }

    interface Call {
        boolean run();
    }

    private static void report(String name, int iterations, Call call) {
        int sink = 0;
        for (int i = 0; i < Math.max(20, iterations / 5); i++) {
            sink += call.run() ? 1 : 0;
        }
        long[] ns = new long[iterations];
        long[] cpu = new long[iterations];
        long tid = Thread.currentThread().threadId();
        long a0 = THREADS.getThreadAllocatedBytes(tid);
        for (int i = 0; i < iterations; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            sink += call.run() ? 1 : 0;
            ns[i] = System.nanoTime() - t0;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        long allocated = THREADS.getThreadAllocatedBytes(tid) - a0;
        Arrays.sort(ns);
        Arrays.sort(cpu);
        int p90 = (int) (iterations * 0.9);
        System.out.printf(Locale.ROOT, "%-50s %9.3f %9.3f %9.3f %9.3f %12d%s%n", name, ns[iterations / 2] / 1e6, ns[p90] / 1e6,
                cpu[iterations / 2] / 1e6, cpu[p90] / 1e6, allocated / iterations, sink < 0 ? "!" : "");
    }

    /** A 5 MP part image drawn with OpenCV: plate, hole, slot, marks and a mild light gradient. */
    private static Mat part(int dx, int dy) {
        Mat m = new Mat(H, W, CvType.CV_8UC1, new Scalar(40));
        Imgproc.rectangle(m, new Point(700 + dx, 600 + dy), new Point(1800 + dx, 1500 + dy), new Scalar(200), -1);
        Imgproc.circle(m, new Point(1100 + dx, 1000 + dy), 60, new Scalar(30), -1, Imgproc.LINE_AA);
        Imgproc.rectangle(m, new Point(1400 + dx, 1000 + dy), new Point(1460 + dx, 1400 + dy), new Scalar(60), -1);
        Imgproc.putText(m, "LS-0042", new Point(950 + dx, 1250 + dy), Imgproc.FONT_HERSHEY_SIMPLEX, 2.0, new Scalar(90), 4);
        Mat noise = new Mat(H, W, CvType.CV_8UC1);
        Core.randn(noise, 0, 3);
        Core.add(m, noise, m);
        noise.release();
        return m;
    }
}
