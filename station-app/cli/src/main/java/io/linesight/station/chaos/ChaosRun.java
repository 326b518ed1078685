/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.chaos;

import io.linesight.config.station.SchedulingConfig;
import io.linesight.station.realtime.RealtimeScheduling;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The promise under fire: a hardware-triggered station on a real Mosquitto, parts at a fixed rate, and during the
 * run two broker restarts, a broker that refuses the station's verdicts for a while (its ACL), a SIGKILL of the
 * station and its restart, a CPU spike from competing processes, a camera that misses every n-th trigger, repeated
 * and spurious announcements and stray line edges. {@link ChaosLedger} then says whether every part got exactly one
 * verdict, for that part, before its deadline.
 *
 * <p>The station runs as its own process (same program, same class path) so that it can really be killed; the
 * synthetic camera renders the part the PLC says is under it and stamps its frames with it, so each verdict tells
 * which part's images it judged ({@code imagedPart}).
 */
public final class ChaosRun {
    /** The station's broker password in the chaos run's own Mosquitto (a throw-away broker on a free port). */
    private static final String STATION_SECRET = "station-secret";

    /**
     * @param parts         parts the PLC sends through the station
     * @param rateHz        parts per second
     * @param dir           working folder (configuration, data, logs, report)
     * @param realtime      the station's {@code scheduling.realtime}
     * @param deadlineMs    the station's deadline
     * @param spikeMs       length of the CPU spike
     * @param refuseMs      how long the broker refuses the station's verdicts
     * @param brokerDownMs  how long each broker restart keeps it down
     * @param dropEvery     the camera misses every n-th trigger
     */
    public record Settings(int parts, double rateHz, Path dir, boolean realtime, long deadlineMs, long spikeMs, long refuseMs,
                           long brokerDownMs, int dropEvery) {
    }

    /** When each fault was, as wall-clock intervals. */
    record Faults(List<Window> brokerDown, Window refused, Window stationDown, Window spike) {
    }

    /** A wall-clock interval; {@code to} is null until it ended. */
    record Window(Instant from, Instant to) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && !t.isAfter(to);
        }
    }

    private final Settings s;
    private final PrintStream out;

    public ChaosRun(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    public ChaosLedger.Report run() throws Exception {
        Path dir = s.dir().toAbsolutePath();
        Files.createDirectories(dir);
        String base = "linesight/chaos/s1";
        int linePort = MosquittoProcess.freePort();
        // the PLC and the broker stand for machines of their own: they must not starve with the station under the spike
        RealtimeScheduling.configure(new SchedulingConfig(s.realtime(), 20, List.of(), 25));
        boolean mayRealtime = s.realtime() && RealtimeScheduling.elevateCurrentThread("chaos-plc") == null;
        Map<String, Instant> firedAt = new ConcurrentHashMap<>();
        Map<String, String> announced = new ConcurrentHashMap<>(); // part → station state the PLC saw when it sent it
        List<Window> brokerDown = new ArrayList<>();
        Window[] refused = new Window[1];
        Window[] stationDown = new Window[1];
        Window[] spike = new Window[1];
        try (MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"), base, STATION_SECRET, "plc-secret",
                mayRealtime)) {
            writeStation(dir, broker.url(), linePort);
            try (StationProcess station = new StationProcess(dir.resolve("station.yaml"), dir.resolve("station.log"));
                 ChaosPlc plc = new ChaosPlc(broker.url(), base, "plc", "plc-secret", linePort)) {
                station.start();
                try {
                    station.awaitRunning(1, 120_000);
                    awaitState(plc, "ONLINE", 30_000);
                } catch (IOException e) {
                    throw new IOException(e.getMessage() + "; station.log ends:\n" + tail(dir.resolve("station.log")), e);
                }
                out.printf("chaos: station ONLINE; %d parts at %.0f/s (%s)%n", s.parts(), s.rateHz(),
                        s.realtime() ? "real-time scheduling asked for" : "real-time scheduling off");
                long period = (long) (1e9 / s.rateHz());
                long next = System.nanoTime();
                java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
                // one fault at a time, each when its share of the parts has been sent
                Thread faults = Thread.ofPlatform().name("chaos-faults").start(() -> {
                    // each fault on a station that is back from the one before: a refusal while the station is still
                    // reconnecting would refuse nothing
                    awaitSent(sent, 0.10);
                    restartBroker(broker, brokerDown);
                    awaitBack(plc);
                    awaitSent(sent, 0.25);
                    refuseVerdicts(broker, base, refused);
                    awaitBack(plc);
                    awaitSent(sent, 0.40);
                    spike(spike);
                    awaitBack(plc);
                    awaitSent(sent, 0.55);
                    restartBroker(broker, brokerDown);
                    awaitBack(plc);
                    awaitSent(sent, 0.70);
                    killStation(station, plc, stationDown);
                });
                for (int n = 1; n <= s.parts(); n++) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    // parts on a conveyor keep their spacing: a PLC that fell behind does not fire a burst
                    next = Math.max(next, System.nanoTime()) + period;
                    String id = "C" + n;
                    Instant at = Instant.now();
                    firedAt.put(id, at);
                    plc.edge(id, at);
                    String stateNow = plc.state();
                    if (plc.announce(id, at)) {
                        announced.put(id, stateNow);
                    }
                    if (n % 97 == 0) {
                        plc.announce(id, at); // the PLC repeats a message
                    }
                    if (n % 113 == 0) {
                        Instant ghost = at.plusNanos(period / 2);
                        firedAt.put("ghost-" + n, ghost);
                        plc.announce("ghost-" + n, ghost); // a part announced that never passed the camera
                    }
                    if (n % 131 == 0) {
                        plc.edge(null, at.plusNanos(period / 2)); // a stray edge: a photo-eye fires twice
                    }
                    if (n % 500 == 0) {
                        out.printf("chaos: %d parts, state %s%n", n, plc.state());
                    }
                    sent.set(n);
                }
                faults.join();
                out.println("chaos: all parts sent; waiting for the last verdicts");
                Thread.sleep(Math.max(10_000, 4 * s.deadlineMs()));
                Faults windows = new Faults(List.copyOf(brokerDown), refused[0], stationDown[0], spike[0]);
                ChaosLedger ledger = new ChaosLedger(s, firedAt, announced, plc, windows);
                Files.writeString(dir.resolve("chaos-parts.csv"), ledger.partsCsv());
                ChaosLedger.Report report = ledger.report();
                Files.writeString(dir.resolve("chaos-report.md"), report.table());
                Files.writeString(dir.resolve("chaos-report.json"), report.json());
                return report;
            }
        }
    }

    /** Until the station reports itself ONLINE in a status newer than now (at most 60 s). */
    private void awaitBack(ChaosPlc plc) {
        Instant since = Instant.now();
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            com.fasterxml.jackson.databind.JsonNode st = plc.status();
            String at = st.path("at").asText("");
            if ("ONLINE".equals(st.path("state").asText()) && !at.isEmpty() && Instant.parse(at).isAfter(since)) {
                return;
            }
            LockSupport.parkNanos(50_000_000L);
        }
        out.println("chaos: the station did not report ONLINE within 60 s; going on");
    }

    private void awaitSent(java.util.concurrent.atomic.AtomicInteger sent, double share) {
        while (sent.get() < (int) (share * s.parts())) {
            LockSupport.parkNanos(5_000_000L);
        }
    }

    private void writeStation(Path dir, String brokerUrl, int linePort) throws IOException {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("station.pw"), STATION_SECRET + "\n");
        Files.writeString(dir.resolve("recipes/chaos.yaml"), """
                name: chaos
                shots:
                  - {name: top, camera: top, exposureUs: 1000}
                rules:
                  - {type: blob, name: surface, shot: top, roi: {x: 212, y: 140, width: 215, height: 232},
                     thresholdValue: 130, minArea: 4, maxCount: 0}
                """);
        Files.writeString(dir.resolve("station.yaml"), """
                line: chaos
                station: s1
                deadlineMs: %d
                recipe: chaos.yaml
                dataDir: data
                trigger: {source: hardware, partIds: plc, matchToleranceMs: 6}
                cameras:
                  - {id: top, driver: synthetic, width: 640, height: 512, triggerMode: hardware, frameTimeoutMs: 300,
                     options: {seed: "9", defectRate: "0.1", buffers: "32", line: "udp:%d", dropEvery: "%d"}}
                broker: {url: "%s", username: station, passwordFile: station.pw, keepAliveS: 2, journalSync: true}
                pipeline: {inspectionWorkers: 2, queueCapacity: 64}
                scheduling: {realtime: %s}
                """.formatted(s.deadlineMs(), linePort, s.dropEvery(), brokerUrl, s.realtime()));
    }

    private void restartBroker(MosquittoProcess broker, List<Window> down) {
        try {
            Instant from = Instant.now();
            out.println("chaos: broker stopped");
            broker.restart(s.brokerDownMs());
            synchronized (down) {
                down.add(new Window(from, Instant.now()));
            }
            out.println("chaos: broker back");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("broker restart failed", e);
        }
    }

    private void refuseVerdicts(MosquittoProcess broker, String base, Window[] refused) {
        try {
            Instant from = Instant.now();
            broker.writeAcl(base, false);
            broker.reload();
            awaitAcl(broker, base, false);
            out.println("chaos: broker refuses the station's verdicts");
            Thread.sleep(s.refuseMs());
            broker.writeAcl(base, true);
            broker.reload();
            awaitAcl(broker, base, true);
            refused[0] = new Window(from, Instant.now());
            out.println("chaos: broker takes verdicts again");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("ACL change failed", e);
        }
    }

    /**
     * Until the broker's ACL says what was just written (at most 10 s): a probe client with the station's login
     * publishes to a topic the ACL allows exactly when it allows verdicts, and reads the PUBACK's reason code. A SIGHUP
     * is handled by the broker's loop, so the new ACL is not in force the moment the signal is sent.
     */
    private void awaitAcl(MosquittoProcess broker, String base, boolean allowed) {
        long until = System.nanoTime() + 10_000_000_000L;
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(broker.url(), "linesight-chaos-probe",
                    new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setUserName("station");
            o.setPassword(STATION_SECRET.getBytes(StandardCharsets.UTF_8));
            o.setCleanStart(true);
            c.connect(o).waitForCompletion(5000);
            while (System.nanoTime() < until) {
                IMqttToken t = c.publish(base + "/acl-probe",
                        new MqttMessage(new byte[] {1}, 1, false, null));
                t.waitForCompletion(5000);
                int[] codes = t.getReasonCodes();
                boolean refusedNow = codes != null && codes.length > 0 && codes[0] >= 0x80;
                if (refusedNow != allowed) {
                    return;
                }
                LockSupport.parkNanos(20_000_000L);
            }
            out.println("chaos: the broker's ACL did not " + (allowed ? "allow" : "refuse") + " the probe within 10 s");
        } catch (MqttException e) {
            out.println("chaos: ACL probe failed: " + e.getMessage());
        } finally {
            if (c != null) {
                try {
                    if (c.isConnected()) {
                        c.disconnect().waitForCompletion(2000);
                    }
                    c.close();
                } catch (MqttException e) {
                    // a probe that does not close cleanly changes nothing for the run
                }
            }
        }
    }

    private void killStation(StationProcess station, ChaosPlc plc, Window[] down) {
        try {
            Instant from = Instant.now();
            station.kill();
            out.println("chaos: station killed (SIGKILL)");
            station.start();
            station.awaitRunning(2, 120_000);
            down[0] = new Window(from, Instant.now());
            out.printf("chaos: station back after %d ms%n", Duration.between(from, Instant.now()).toMillis());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("station restart failed", e);
        }
    }

    private void spike(Window[] spike) {
        try {
            int processes = 2 * Runtime.getRuntime().availableProcessors();
            Instant from = Instant.now();
            out.printf("chaos: CPU spike, %d busy processes for %d ms%n", processes, s.spikeMs());
            CpuSpike.run(processes, s.spikeMs());
            spike[0] = new Window(from, Instant.now());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("CPU spike failed", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static void awaitState(ChaosPlc plc, String state, long timeoutMs) throws InterruptedException, IOException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!state.equals(plc.state())) {
            if (System.nanoTime() > until) {
                throw new IOException("station did not become " + state + " within " + timeoutMs + " ms (it is "
                        + plc.state() + "; see station.log)");
            }
            Thread.sleep(20);
        }
    }
}
