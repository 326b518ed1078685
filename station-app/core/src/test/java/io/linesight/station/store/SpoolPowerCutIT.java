/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results writer as its own process ({@link SpoolCrashChild}), starting from what a crashed run left on its spool,
 * halted like kill -9 at each step by which a result reaches the database in turn (spool append, spool fsync, database
 * commit, position written, position fsync, old segment deleted, rotation): after every halt, each result the process had accepted is either in the database or
 * still ahead of the spool's position, so the spool's position never runs ahead of the committed rows; a restart then
 * stores every one of them exactly once. A traced run shows the order of the steps that makes this hold after a power
 * cut too (position forced only after the commit it records, segments deleted only after the position is forced).
 */
@DisplayName("the results spool, with its process halted at any step, should")
class SpoolPowerCutIT {
    static final int ROWS = 12;

    @TempDir
    Path dir;

    @Test
    void neverHaveItsPositionAheadOfTheCommittedRows() throws Exception {
        List<String> steps = traceOfAWholeRun();
        int total = steps.size();
        assertThat(total).as("steps of a run of " + ROWS + " rows").isGreaterThan(ROWS + 20);
        // each step named by its kind and occurrence (the 2nd rotation), so that a halt hits the same step in a run
        // whose threads interleave differently; every step where the writer thread acts, the appends only one in three
        List<String> haltAt = new ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (String step : steps) {
            int occurrence = seen.merge(step, 1, Integer::sum);
            if (!step.equals("spool.append") || occurrence % 3 == 0) {
                haltAt.add(step + "#" + occurrence);
            }
        }
        Set<String> haltedIn = new TreeSet<>();
        for (String at : haltAt) {
            Path data = dir.resolve("halt-" + at.replace('#', '-'));
            Process p = child(data, ROWS, at, false);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            if (p.exitValue() == 0) {
                continue; // this run met that step fewer times: how appends batch differs between runs
            }
            assertThat(p.exitValue()).as(Files.readString(data.resolve("child.log"))).isEqualTo(137);
            String log = Files.readString(data.resolve("child.log"));
            haltedIn.add(log.substring(log.lastIndexOf(' ') + 1).strip());

            Set<Long> accepted = accepted(data);
            Set<Long> stored = stored(data);
            Set<Long> ahead = aheadOfPosition(data.resolve("spool"));
            for (long seq : accepted) {
                assertThat(stored.contains(seq) || ahead.contains(seq))
                        .as("halted at %s: seq %d was accepted, is not in the database and the spool's "
                                + "position is past it", at, seq).isTrue();
            }

            Process again = child(data, 0, "", false);
            assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(again.exitValue()).as(Files.readString(data.resolve("child.log"))).isZero();
            Set<Long> after = stored(data);
            assertThat(after).as("after the restart (halted at %s)", at).containsAll(accepted);
            long max = accepted.stream().mapToLong(Long::longValue).max().orElse(0);
            assertThat(after).as("nothing but what was submitted").allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(max + 1));
            deleteTree(data);
        }
        assertThat(haltedIn).as("the steps the halts hit").contains("spool.append", "spool.force", "store.commit",
                "spool.position.written", "spool.position.forced", "spool.segment.deleted", "spool.rotated");
        System.out.println("spool power-cut test: " + total + " steps per run, halted at " + haltAt.size()
                + " of them; halted in " + haltedIn);
    }

    /** One whole run with each step printed; checks the order of what reaches the disk. */
    private List<String> traceOfAWholeRun() throws Exception {
        Path data = dir.resolve("trace");
        Process p = child(data, ROWS, "", true);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(data.resolve("child.log"));
        assertThat(p.exitValue()).as(log).isZero();
        List<String> steps = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.startsWith("step ")) {
                steps.add(line.substring(line.indexOf(' ', 5) + 1).strip());
            }
        }
        boolean committedSincePosition = false;
        boolean positionForced = false;
        boolean forcedSinceCommit = false;
        for (String s : steps) {
            switch (s) {
                case "spool.force" -> forcedSinceCommit = true;
                case "store.commit" -> {
                    assertThat(forcedSinceCommit).as("spool lines forced before the database takes them").isTrue();
                    committedSincePosition = true;
                    forcedSinceCommit = false;
                }
                case "spool.position.written" -> {
                    positionForced = false;
                    committedSincePosition = false;
                }
                case "spool.position.forced" -> positionForced = true;
                case "spool.segment.deleted", "spool.rotated" ->
                        assertThat(positionForced).as("a segment goes only once the position past it is forced").isTrue();
                default -> {
                    // appends, quarantine
                }
            }
        }
        assertThat(committedSincePosition).as("the last commit's position was saved").isFalse();
        for (int k = 0; k < steps.size(); k++) {
            if (steps.get(k).equals("spool.position.written")) {
                int j = k - 1;
                while (j >= 0 && steps.get(j).equals("spool.append")) {
                    j--;
                }
                assertThat(steps.get(j)).as("step %d: a position is written right after a commit (or, rotating, "
                        + "after the position it replaces was forced)", k + 1)
                        .isIn("store.commit", "spool.position.forced", "spool.segment.deleted", "spool.quarantined");
            }
        }
        return steps;
    }

    /**
     * A data folder as a crashed run leaves it: five results on the spool that the database never got (accepted, as
     * {@code appended.log} says), so each run starts by replaying them and then deletes their segment.
     */
    private static void leftover(Path data) throws Exception {
        Files.createDirectories(data);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().writerFor(SpoolRecord.class);
        StringBuilder log = new StringBuilder();
        try (Spool spool = new Spool(data.resolve("spool"), 1L << 30)) {
            for (long seq = 1; seq <= 5; seq++) {
                VerdictRow row = VerdictRow.of(Parts.entry(Parts.pass("L" + seq, seq, SpoolCrashChild.T0, 5, "bracket@1")),
                        "l1", "s1");
                assertThat(spool.append(json.writeValueAsBytes(row))).isTrue();
                log.append(seq).append('\n');
            }
        }
        Files.writeString(data.resolve("appended.log"), log);
    }

    private Process child(Path data, int rows, String haltAt, boolean trace) throws Exception {
        if (!Files.exists(data.resolve("appended.log"))) {
            leftover(data);
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dlinesight.store.haltAt=" + haltAt,
                "-Dlinesight.store.traceSteps=" + trace,
                "-cp", cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator),
                "io.linesight.station.store.SpoolCrashChild", data.toString(), Integer.toString(rows)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(data.resolve("child.log").toFile()).start();
    }

    private static Set<Long> accepted(Path data) throws Exception {
        Set<Long> out = new HashSet<>();
        Path log = data.resolve("appended.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                if (!line.isBlank()) {
                    out.add(Long.parseLong(line.strip()));
                }
            }
        }
        return out;
    }

    private static Set<Long> stored(Path data) throws Exception {
        Set<Long> out = new HashSet<>();
        if (!Files.exists(data.resolve("results.db"))) {
            return out;
        }
        try (ResultsStore store = ResultsStore.openSqlite(data, "l1", "s1");
             Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM verdicts");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            c.commit();
        }
        return out;
    }

    /** The seqs of the spool's lines at or after its saved position: what a restart replays. Reads only. */
    private static Set<Long> aheadOfPosition(Path spool) throws Exception {
        Set<Long> out = new HashSet<>();
        if (!Files.isDirectory(spool)) {
            return out;
        }
        Spool.Cursor pos = null;
        if (Files.exists(spool.resolve("position"))) {
            try (FileChannel c = FileChannel.open(spool.resolve("position"), StandardOpenOption.READ)) {
                pos = Spool.readPosition(c, spool);
            }
        }
        for (long s : Spool.segments(spool)) {
            if (pos != null && s < pos.segment()) {
                continue;
            }
            byte[] all = Files.readAllBytes(Spool.segment(spool, s));
            int from = pos != null && s == pos.segment() ? (int) Math.min(pos.offset(), all.length) : 0;
            String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                long seq = Spool.seqOf(b, 0, b.length);
                if (seq > 0) {
                    out.add(seq);
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path d) throws Exception {
        try (var s = Files.walk(d)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
