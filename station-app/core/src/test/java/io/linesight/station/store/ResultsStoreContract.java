/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static io.linesight.station.store.Parts.entry;
import static io.linesight.station.store.Parts.pass;
import static io.linesight.station.store.Parts.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.store.ResultQueries.Count;
import io.linesight.station.store.ResultQueries.HourYield;
import io.linesight.station.store.ResultQueries.Latency;
import io.linesight.station.store.ResultQueries.RecipeParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the results store must do on every engine it supports: the same suite runs on SQLite and on a real
 * PostgreSQL. Each test starts from an empty, freshly migrated database.
 */
abstract class ResultsStoreContract {
    static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");

    @TempDir
    Path dir;

    ResultsStore store;

    /** An empty, migrated store for line "l1", station "s1". */
    abstract ResultsStore openEmpty(Path dataDir) throws Exception;

    /** The same database as {@link #store}, opened again for line "l1", station "s1", without emptying it. */
    abstract ResultsStore openAgain() throws Exception;

    /** The same database as {@link #store}, for line "l1", station "s2". */
    abstract ResultsStore otherStation() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmpty(dir.resolve("data"));
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /**
     * A read hands its connection back to the pool; the next reader that gets it must see what was committed since on
     * other connections (SQLite keeps a statement's snapshot across a commit made while its result set is open).
     */
    @Test
    void aReadersPooledConnection_neverAnswersTheNextReaderFromBeforeALaterWrite() throws Exception {
        List<java.util.concurrent.Callable<Object>> reads = List.of(store::lastSeq, store::count,
                () -> store.queries().newest());
        int seq = 0;
        for (java.util.concurrent.Callable<Object> read : reads) {
            read.call();
            seq++;
            // the connection the read used is this thread's most recent one: keep it out of the pool while
            // another connection writes, so the write cannot happen on it
            try (java.sql.Connection theReadersConnection = store.connection()) {
                assertThat(theReadersConnection.isClosed()).isFalse();
                store.write(List.of(entry(pass("P" + seq, seq, T0.plusSeconds(seq), 10, "bracket@1"))));
            }
            assertThat(store.lastSeq()).as("after read %d", seq).isEqualTo(seq);
            assertThat(store.count()).as("after read %d", seq).isEqualTo(seq);
            assertThat(store.queries().newest()).as("after read %d", seq).contains(T0.plusSeconds(seq));
        }
    }

    @Test
    void writtenBatch_isCounted_andTheSameBatchAgainChangesNothing() throws Exception {
        List<StoreWriter.Entry> batch = List.of(entry(pass("A", 1, T0, 10, "bracket@3")),
                entry(reject("B", 2, T0.plusSeconds(1), 12, "bracket@3", ReasonCode.DEFECT_DETECTED, "scratch")));
        store.write(batch);
        store.write(batch);
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.lastSeq()).isEqualTo(2);
        ResultQueries.PartRecord b = store.queries().findPart("B").getFirst();
        assertThat(b.result()).isEqualTo("REJECT");
        assertThat(b.recipe()).isEqualTo("bracket");
        assertThat(b.version()).isEqualTo(3);
        assertThat(b.model()).isEqualTo("model.onnx#abc123");
        assertThat(b.reasons()).contains("DEFECT_DETECTED");
        assertThat(b.latencyMs()).isCloseTo(12, within(1e-6));
        assertThat(store.queries().findPart("nope")).isEmpty();
    }

    @Test
    void lateResult_updatesTheTimeoutRowOfThatPart() throws Exception {
        Inspection timeout = reject("C", 5, T0, 500, "bracket@1", ReasonCode.TIMEOUT);
        store.write(List.of(entry(timeout)));
        Inspection late = new Inspection(timeout.part(), 5, "bracket@1", "", timeout.verdict(), List.of(), List.of(),
                List.of(), T0.plusSeconds(1), timeout.timings(), new Verdict.Pass(java.util.Map.of()));
        store.write(List.of(new StoreWriter.Entry(late, true, null)));
        assertThat(store.queries().findPart("C").getFirst().lateResult()).contains("PASS");
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void lateResult_ofAPartIdTheLineUsedBefore_landsOnlyOnThatPartsTimeoutRow() throws Exception {
        // PLC counters wrap: the id "C" was a rejected part this morning and comes back three hours later
        Inspection earlier = reject("C", 5, T0, 20, "bracket@1", ReasonCode.DEFECT_DETECTED, "dent");
        Inspection timeout = reject("C", 900, T0.plus(Duration.ofHours(3)), 500, "bracket@1", ReasonCode.TIMEOUT);
        store.write(List.of(entry(earlier), entry(timeout)));
        // as the verdict gate hands it over: the pipeline's result for the timed-out part, not numbered
        Inspection late = new Inspection(timeout.part(), 0, "bracket@1", "", timeout.verdict(), List.of(), List.of(),
                List.of(), timeout.decidedAt().plusSeconds(1), timeout.timings(), new Verdict.Pass(java.util.Map.of()));
        store.write(List.of(new StoreWriter.Entry(late, true, null)));

        List<ResultQueries.PartRecord> found = store.queries().findPart("C");
        assertThat(found).extracting(ResultQueries.PartRecord::seq).containsExactly(5L, 900L);
        assertThat(found.get(0).lateResult()).as("the morning's part was never decided late").isNull();
        assertThat(found.get(1).lateResult()).contains("PASS");
    }

    @Test
    void queries_answerTheNumbersOfKnownRows() throws Exception {
        List<StoreWriter.Entry> rows = new ArrayList<>();
        long seq = 0;
        // Hour 08: 10 parts, latencies 1..10 ms; parts 9 and 10 rejected (a defect with two scratches, a timeout).
        for (int k = 1; k <= 8; k++) {
            rows.add(entry(pass("P" + k, ++seq, T0.plusSeconds(k * 60L), k, "bracket@1")));
        }
        rows.add(entry(reject("P9", ++seq, T0.plusSeconds(540), 9, "bracket@1", ReasonCode.DEFECT_DETECTED,
                "scratch", "scratch")));
        rows.add(entry(reject("P10", ++seq, T0.plusSeconds(600), 10, "bracket@1", ReasonCode.TIMEOUT)));
        // Hour 09: 90 parts of recipe housing@2, latencies 11..100 ms; 3 defects (dent, scratch+dent, dent).
        for (int k = 11; k <= 100; k++) {
            Instant at = T0.plus(Duration.ofHours(1)).plusSeconds(k);
            rows.add(switch (k) {
                case 20 -> entry(reject("P" + k, ++seq, at, k, "housing@2", ReasonCode.DEFECT_DETECTED, "dent"));
                case 30 -> entry(reject("P" + k, ++seq, at, k, "housing@2", ReasonCode.DEFECT_DETECTED, "scratch", "dent"));
                case 40 -> entry(reject("P" + k, ++seq, at, k, "housing@2", ReasonCode.DEFECT_DETECTED, "dent"));
                default -> entry(pass("P" + k, ++seq, at, k, "housing@2"));
            });
        }
        // Outside the range asked below: must not count.
        rows.add(entry(reject("late", ++seq, T0.plus(Duration.ofHours(5)), 999, "bracket@1", ReasonCode.CAMERA_FAULT)));
        store.write(rows);

        ResultQueries q = store.queries();
        Instant from = T0;
        Instant to = T0.plus(Duration.ofHours(2));
        assertThat(q.yieldByHour(from, to)).containsExactly(new HourYield(T0, 10, 8),
                new HourYield(T0.plus(Duration.ofHours(1)), 90, 87));
        assertThat(q.paretoByReason(from, to)).containsExactly(new Count("DEFECT_DETECTED", 4), new Count("TIMEOUT", 1));
        assertThat(q.paretoByClass(from, to)).containsExactly(new Count("dent", 3), new Count("scratch", 3));
        assertThat(q.partsByRecipe(from, to)).containsExactly(new RecipeParts("housing", 2, 90, 87),
                new RecipeParts("bracket", 1, 10, 8));
        Latency l = q.latencyPercentiles(from, to);
        assertThat(l.parts()).isEqualTo(100);
        assertThat(l.p50()).isCloseTo(50, within(1.0));
        assertThat(l.p90()).isCloseTo(90, within(1.0));
        assertThat(l.p99()).isCloseTo(99, within(1.0));
        assertThat(l.max()).isEqualTo(100);
        assertThat(q.latencyPercentiles(T0.minusSeconds(7200), T0).parts()).isZero();

        // A range that starts inside hour 08 (rows read directly) and ends past hour 09 (read from the rollup).
        Instant mid = T0.plusSeconds(300);
        Instant end = T0.plus(Duration.ofHours(2)).plusSeconds(60);
        assertThat(q.yieldByHour(mid, end)).containsExactly(new HourYield(T0, 6, 4),
                new HourYield(T0.plus(Duration.ofHours(1)), 90, 87));
        assertThat(q.paretoByReason(mid, end)).containsExactly(new Count("DEFECT_DETECTED", 4), new Count("TIMEOUT", 1));
        assertThat(q.paretoByClass(mid, end)).containsExactly(new Count("dent", 3), new Count("scratch", 3));
        assertThat(q.partsByRecipe(mid, end)).containsExactly(new RecipeParts("housing", 2, 90, 87),
                new RecipeParts("bracket", 1, 6, 4));
        assertThat(q.latencyPercentiles(mid, end).parts()).isEqualTo(96);
        assertThat(q.latencyPercentiles(mid, end).p50()).isEqualTo(52); // 5..10 and 11..100: the 48th of 96
        assertThat(q.newest()).contains(T0.plus(Duration.ofHours(5)));
    }

    @Test
    void shiftCounters_countEachStoredPartOnce() throws Exception {
        List<StoreWriter.Entry> batch = List.of(entry(pass("A", 1, T0, 10, "bracket@1")),
                entry(reject("B", 2, T0.plusSeconds(1), 12, "bracket@1", ReasonCode.TIMEOUT)),
                entry(reject("C", 3, T0.plusSeconds(2), 12, "bracket@1", ReasonCode.DEFECT_DETECTED)));
        store.write(batch);
        store.write(batch); // a spool replay: duplicates must not count again
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(parts), SUM(passed), SUM(rejected), SUM(timeouts), "
                     + "COUNT(*) FROM shift_counters")) {
            rs.next();
            assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                    .containsExactly(3L, 1L, 2L, 1L, 1L);
            c.commit();
        }
    }

    @Test
    void alarms_raisedAcknowledgedCleared_andTheirOverlapWithARange() throws Exception {
        long id = store.raiseAlarm("CAMERA_FAULT", "top", "no frames", T0);
        store.acknowledgeAlarm(id, "operator", T0.plusSeconds(30));
        store.clearAlarm(id, T0.plusSeconds(600));
        store.raiseAlarm("STORE_UNAVAILABLE", "results-store", "", T0.plusSeconds(3000));
        List<ResultQueries.Alarm> alarms = store.queries().alarms(T0, T0.plusSeconds(3600));
        assertThat(alarms).extracting(ResultQueries.Alarm::code).containsExactly("CAMERA_FAULT", "STORE_UNAVAILABLE");
        assertThat(alarms.getFirst().acknowledgedBy()).isEqualTo("operator");
        assertThat(alarms.get(0).overlapMs(T0, T0.plusSeconds(3600))).isEqualTo(600_000);
        assertThat(alarms.get(1).overlapMs(T0, T0.plusSeconds(3600))).isEqualTo(600_000);
        assertThat(store.queries().alarms(T0.plusSeconds(700), T0.plusSeconds(800))).isEmpty();
    }

    @Test
    void auditTrail_readsThisStationsRecordsInTheRange_newestFirst_upToTheLimit() throws Exception {
        store.audit("eve", "login", "hmi", null, "ENGINEER", T0);
        store.audit("eve", "recipe-save", "bracket", "bracket@1", "bracket@2: rules[5].minMean: 140 → 150",
                T0.plusMillis(1500));
        store.audit("operator", "shift-reset", "counters", "parts 10", null, T0.plusSeconds(2));
        store.audit("eve", "logout", "hmi", "ENGINEER", "idle", T0.plusSeconds(3600));
        try (ResultsStore other = otherStation()) {
            other.audit("bob", "login", "hmi", null, "ADMIN", T0.plusSeconds(1)); // another station on the same database
        }

        List<AuditRecord> trail = store.auditTrail(T0, T0.plusSeconds(60), 10);
        assertThat(trail).extracting(AuditRecord::action).containsExactly("shift-reset", "recipe-save", "login");
        AuditRecord save = trail.get(1);
        assertThat(save.at()).isEqualTo(T0.plusMillis(1500));
        assertThat(save.who()).isEqualTo("eve");
        assertThat(save.subject()).isEqualTo("bracket");
        assertThat(save.before()).isEqualTo("bracket@1");
        assertThat(save.after()).isEqualTo("bracket@2: rules[5].minMean: 140 → 150");
        assertThat(trail.get(0).after()).isNull();
        assertThat(store.auditTrail(T0, T0.plusSeconds(7200), 2)).extracting(AuditRecord::action)
                .containsExactly("logout", "shift-reset");
        assertThat(store.auditTrail(T0.plusSeconds(1), T0.plusSeconds(2), 10)).extracting(AuditRecord::action)
                .containsExactly("recipe-save");
    }

    @Test
    void acknowledgeAlarmAudited_marksTheAlarmAndAuditsIt_once() throws Exception {
        long a = store.raiseAlarm("BROKER_DOWN", "plc-link", "tcp://broker:1883", T0);
        long b = store.raiseAlarm("DEVICE_FAULT", "camera top", "no frames", T0.plusSeconds(1));
        assertThat(store.openAlarms()).extracting(OpenAlarm::id).containsExactly(a, b);

        assertThat(store.acknowledgeAlarmAudited(a, "operator", T0.plusSeconds(5))).isTrue();
        assertThat(store.acknowledgeAlarmAudited(a, "eve", T0.plusSeconds(6))).as("acknowledged already").isFalse();

        assertThat(store.openAlarms()).extracting(OpenAlarm::acknowledgedBy).containsExactly("operator", null);
        List<AuditRecord> trail = store.auditTrail(T0, T0.plusSeconds(60), 10);
        assertThat(trail).hasSize(1);
        assertThat(trail.getFirst().action()).isEqualTo("alarm-ack");
        assertThat(trail.getFirst().who()).isEqualTo("operator");
        assertThat(trail.getFirst().subject()).isEqualTo("alarm " + a);
        assertThat(trail.getFirst().before()).contains("BROKER_DOWN");
        store.clearAlarm(a, T0.plusSeconds(9));
        assertThat(store.openAlarms()).extracting(OpenAlarm::id).containsExactly(b);
    }

    @Test
    void audit_whenTheDatabaseIsGone_throwsAndNothingIsKept() throws Exception {
        store.close();
        assertThatThrownBy(() -> store.audit("eve", "login", "hmi", null, null, T0))
                .isInstanceOf(java.sql.SQLException.class);
        store = openAgain();
        assertThat(store.auditTrail(Instant.EPOCH, T0.plusSeconds(1), 10)).isEmpty();
    }

    @Test
    void writer_replaysWhatAnEarlierProcessLeftOnTheSpool() throws Exception {
        Path spoolDir = dir.resolve("spool");
        // An earlier run appended three results and died before its writer took them.
        try (Spool spool = new Spool(spoolDir, 1 << 20)) {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (int k = 1; k <= 3; k++) {
                assertThat(spool.append(json.writeValueAsBytes(VerdictRow.of(entry(pass("S" + k, k, T0, 5, "bracket@1")),
                        "l1", "s1")))).isTrue();
            }
        }
        Files.writeString(spoolDir.resolve("spool-0000000001.jsonl"), "{\"half a li", java.nio.file.StandardOpenOption.APPEND);
        try (StoreWriter writer = new StoreWriter(store, spoolDir, 1 << 20)) {
            assertThat(writer.status().replayTotal()).isEqualTo(3);
            assertThat(writer.lastSeq()).as("known before the replay, from the spool").isEqualTo(3);
            long until = System.nanoTime() + 10_000_000_000L;
            while (writer.status().replaying() && System.nanoTime() < until) {
                Thread.sleep(10); // replayed in the background, so that a long replay never holds up the start
            }
            assertThat(writer.status().replayDone()).isEqualTo(3);
            assertThat(store.count()).isEqualTo(3);
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(writer.spooled()).isZero();
            assertThat(writer.quarantined()).as("the half line a crash left").isEqualTo(1);
            writer.submit(entry(pass("S4", 4, T0, 5, "bracket@1")));
        }
        assertThat(store.count()).isEqualTo(4);
    }

    @Test
    void writer_keepsARowTheDatabaseRefusesInRejectedJsonl_andGoesOn() throws Exception {
        VerdictRow ok = VerdictRow.of(entry(pass("R1", 1, T0, 5, "bracket@1")), "l1", "s1");
        // a result the table's CHECK refuses: refused for what it is, not because the database is away
        VerdictRow bad = new VerdictRow(false, "l1", "s1", "R2", 2, ok.recipe(), ok.recipeVersion(), ok.model(), "MAYBE",
                ok.primaryReason(), ok.reasons(), ok.triggeredAt(), ok.triggeredMs(), ok.decidedAt(), ok.deadlineAt(),
                ok.latencyMs(), ok.acquireMs(), ok.rulesMs(), ok.modelMs(), ok.measurements(), ok.detections(), null,
                null, ok.truth(), ok.document());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().writerFor(SpoolRecord.class);
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        Files.writeString(spoolDir.resolve("spool-0000000001.jsonl"),
                json.writeValueAsString(ok) + "\n" + json.writeValueAsString(bad) + "\n");
        try (StoreWriter writer = new StoreWriter(store, spoolDir, 1 << 20)) {
            long until = System.nanoTime() + 10_000_000_000L;
            while (writer.status().replaying() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(writer.refused()).isEqualTo(1);
            assertThat(writer.status().failing()).as("a refused row is not an outage").isFalse();
            writer.submit(entry(pass("R3", 3, T0, 5, "bracket@1")));
        }
        assertThat(store.count()).isEqualTo(2);
        assertThat(Files.readString(spoolDir.resolve(StoreWriter.REJECTED))).contains("\"MAYBE\"").contains("\"R2\"");
    }

    @Test
    void imageRecords_lastWordWins_andFindPartTellsIt() throws Exception {
        store.write(List.of(new StoreWriter.Entry(reject("I1", 11, T0, 5, "bracket@1", ReasonCode.RULE_FAILED), false,
                "2025-03-03/bracket_1")));
        store.writeRecords(List.of(
                new ImageRecord("l1", "s1", "I1", 11, "STORED", "", "2025-03-03/bracket_1", "", T0.toEpochMilli() + 5),
                new ImageRecord("l1", "s1", "I1", 11, "DELETED", "RETENTION", "2025-03-03/bracket_1", "",
                        T0.toEpochMilli() + 9_000)));
        store.writeRecords(List.of(new ImageRecord("l1", "s1", "I2", 12, "DROPPED", "QUEUE_FULL", null,
                "9.0 MiB waiting", T0.toEpochMilli() + 7)));
        ResultQueries.Images img = store.queries().findPart("I1").getFirst().images();
        assertThat(img).isNotNull();
        assertThat(img.state()).isEqualTo("DELETED");
        assertThat(img.reason()).isEqualTo("RETENTION");
        assertThat(img.folder()).isEqualTo("2025-03-03/bracket_1");
        assertThat(img.storedAt()).isEqualTo(T0.plusMillis(5));
        ResultQueries.ArchiveCounts counts = store.queries().archive(T0, T0.plusSeconds(60));
        assertThat(counts.stored()).isEqualTo(1);
        assertThat(counts.dropped()).containsExactly(java.util.Map.entry("QUEUE_FULL", 1L));
        assertThat(counts.deleted()).containsExactly(java.util.Map.entry("RETENTION", 1L));
    }

    @Test
    void writer_storesEverySubmittedResultInOrder() throws Exception {
        int n = 2000;
        try (StoreWriter writer = new StoreWriter(store, dir.resolve("spool"), 64 << 20)) {
            for (int k = 1; k <= n; k++) {
                writer.submit(entry(k % 10 == 0 ? reject("W" + k, k, T0.plusMillis(k), 5, "bracket@1",
                        ReasonCode.DEFECT_DETECTED, "dent") : pass("W" + k, k, T0.plusMillis(k), 5, "bracket@1")));
            }
        }
        assertThat(store.count()).isEqualTo(n);
        assertThat(store.lastSeq()).isEqualTo(n);
        assertThat(store.queries().paretoByClass(T0, T0.plusSeconds(10))).containsExactly(new Count("dent", n / 10));
    }
}
