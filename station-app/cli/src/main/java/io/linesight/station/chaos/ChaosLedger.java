/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the PLC saw in a chaos run, counted against what the PLC sent. The promise is kept when nothing is missing
 * outside the time the station process was dead (by contract the gate rejects those parts), no part has two
 * verdicts, no verdict judged another part's images, nothing passed without its own image, and no TIMEOUT was
 * decided after its deadline.
 */
public final class ChaosLedger {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OVERLOADED = Set.of("TIMEOUT", "OVERLOAD", "QUEUE_FULL");

    private final ChaosRun.Settings settings;
    private final Map<String, Instant> firedAt;
    private final Map<String, String> announced;
    private final ChaosPlc plc;
    private final ChaosRun.Faults faults;

    ChaosLedger(ChaosRun.Settings settings, Map<String, Instant> firedAt, Map<String, String> announced, ChaosPlc plc,
                ChaosRun.Faults faults) {
        this.settings = settings;
        this.firedAt = firedAt;
        this.announced = announced;
        this.plc = plc;
        this.faults = faults;
    }

    /**
     * The figures, with the table and JSON renderings, and the ones the promise is judged by.
     *
     * @param missing             parts with no verdict although the station was up and the PLC could announce them
     * @param duplicates          parts with two verdicts after de-dup on (partId, seq)
     * @param wrongPart           verdicts that judged another part's images
     * @param silentPass          PASS without the part's own image
     * @param timeoutsDecidedLate TIMEOUTs decided after the deadline of a part the station knew of in time
     * @param realtimeInForce     whether the station ran its deadline threads under SCHED_FIFO
     */
    public record Report(Map<String, Object> figures, int missing, int duplicates, int wrongPart, int silentPass,
                         int timeoutsDecidedLate, long refusedPublishes, boolean faultWhileRefused, boolean realtimeInForce) {
        /** Nothing missing, no duplicate, no wrong part, no silent pass; and with real-time in force, no late TIMEOUT. */
        public boolean promiseKept() {
            return missing == 0 && duplicates == 0 && wrongPart == 0 && silentPass == 0
                    && (timeoutsDecidedLate == 0 || !realtimeInForce);
        }

        public String table() {
            StringBuilder b = new StringBuilder("| measure | value |\n|---|---|\n");
            figures.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            b.append("| **promise kept** | ").append(promiseKept() ? "yes" : "NO").append(" |\n");
            return b.toString();
        }

        public String json() {
            ObjectNode n = JSON.createObjectNode();
            figures.forEach((k, v) -> n.put(k, String.valueOf(v)));
            n.put("promiseKept", promiseKept());
            return n.toPrettyString();
        }
    }

    /** One line per part: what the PLC sent and what came back, for looking into a run. */
    String partsCsv() {
        StringBuilder b = new StringBuilder("part,firedAt,announced,stateAtAnnounce,verdicts,result,reason,imagedPart,decidedAt,"
                + "deadlineAt,firstArrival\n");
        firedAt.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
            List<ChaosPlc.Received> vs = plc.verdicts().getOrDefault(e.getKey(), List.of());
            ChaosPlc.Received v = vs.isEmpty() ? null : vs.getFirst();
            b.append(e.getKey()).append(',').append(e.getValue()).append(',').append(announced.containsKey(e.getKey()))
                    .append(',').append(announced.getOrDefault(e.getKey(), "")).append(',').append(vs.size()).append(',')
                    .append(v == null ? "" : v.result()).append(',').append(v == null ? "" : v.reason()).append(',')
                    .append(v == null || v.imagedPart() == null ? "" : v.imagedPart()).append(',')
                    .append(v == null ? "" : v.decidedAt()).append(',').append(v == null ? "" : v.deadlineAt()).append(',')
                    .append(vs.stream().map(ChaosPlc.Received::arrivedAt).min(Comparator.naturalOrder()).map(Object::toString)
                            .orElse("")).append('\n');
        });
        return b.toString();
    }

    Report report() {
        Map<String, List<ChaosPlc.Received>> got = plc.verdicts();
        List<String> parts = firedAt.keySet().stream().filter(k -> k.startsWith("C")).sorted(
                Comparator.comparingInt(k -> Integer.parseInt(k.substring(1)))).toList();
        long deadlineNs = settings.deadlineMs() * 1_000_000L;
        int withVerdict = 0;
        int lostWithStation = 0;
        int duplicates = 0;
        int wrongPart = 0;
        int silentPass = 0;
        int cameraMissed = 0;
        int timeouts = 0;
        int timeoutsDecidedLate = 0;
        int timeoutsAnnouncedLate = 0;
        int notAnnounced = 0;
        int lostWithBroker = 0;
        int arrivedLate = 0;
        int arrivedLateOutsideFaults = 0;
        List<String> missing = new ArrayList<>();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (String id : parts) {
            List<ChaosPlc.Received> vs = got.getOrDefault(id, List.of());
            Instant fired = firedAt.get(id);
            if (vs.isEmpty()) {
                if (!announced.containsKey(id)) {
                    notAnnounced++; // the PLC could not tell the station: its gate rejects the part
                } else if (inside(faults.stationDown(), fired, deadlineNs, GRACE_NS)) {
                    lostWithStation++;
                } else if (faults.brokerDown().stream().anyMatch(w -> inside(w, fired, deadlineNs, GRACE_NS))) {
                    lostWithBroker++; // announced while the station's link was down or reconnecting: nobody heard it
                } else {
                    missing.add(id);
                }
                continue;
            }
            withVerdict++;
            if (vs.stream().map(ChaosPlc.Received::seq).distinct().count() > 1) {
                duplicates++;
            }
            ChaosPlc.Received v = vs.getFirst();
            reasons.merge(v.result().equals("PASS") ? "PASS" : v.reason(), 1, Integer::sum);
            if (v.imagedPart() != null && !v.imagedPart().equals(id)) {
                wrongPart++;
            }
            if (v.result().equals("PASS") && !id.equals(v.imagedPart())) {
                silentPass++;
            }
            if (v.reason().equals("IMAGE_MISSING")) {
                cameraMissed++;
            }
            if (v.reason().equals("TIMEOUT")) {
                timeouts++;
                if (v.decidedAt().isAfter(v.deadlineAt())) {
                    if (v.detail().contains(io.linesight.station.verdict.VerdictGate.ANNOUNCED_LATE)) {
                        timeoutsAnnouncedLate++; // the PLC's message came after the deadline: no verdict could be on time
                    } else {
                        timeoutsDecidedLate++;
                    }
                }
            }
            Instant firstArrival = vs.stream().map(ChaosPlc.Received::arrivedAt).min(Comparator.naturalOrder()).orElseThrow();
            if (firstArrival.isAfter(v.deadlineAt())) {
                arrivedLate++;
                if (!deliveryFault(fired, deadlineNs)) {
                    arrivedLateOutsideFaults++;
                }
            }
        }
        List<String> ghosts = firedAt.keySet().stream().filter(k -> k.startsWith("ghost-")).toList();
        long ghostsRejected = ghosts.stream().filter(g -> got.getOrDefault(g, List.of()).stream()
                .anyMatch(v -> v.reason().equals("IMAGE_MISSING"))).count();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("parts announced", parts.size());
        f.put("rate (parts/s)", settings.rateHz());
        f.put("real-time scheduling", settings.realtime() ? "asked for, " + realtime() : "off");
        f.put("parts with a verdict", withVerdict);
        f.put("missing (no verdict while the station was up)", missing.size() + (missing.isEmpty() ? ""
                : " " + missing.stream().limit(10).collect(Collectors.joining(","))));
        f.put("lost with the killed station (gate rejects by contract)", lostWithStation);
        f.put("not announced: broker unreachable for the PLC (gate rejects)", notAnnounced);
        f.put("no verdict, announced during a broker restart or the station's reconnect (gate rejects)", lostWithBroker);
        f.put("parts with two verdicts after de-dup on (partId, seq)", duplicates);
        f.put("wrong-part verdicts (imagedPart ≠ partId)", wrongPart);
        f.put("PASS without the part's own image", silentPass);
        f.put("verdicts by first reason", reasons);
        f.put("camera missed the trigger (IMAGE_MISSING)", cameraMissed);
        f.put("announced ghosts rejected IMAGE_MISSING", ghostsRejected + " of " + ghosts.size());
        f.put("TIMEOUTs", timeouts);
        f.put("TIMEOUTs decided after their deadline", timeoutsDecidedLate);
        f.put("TIMEOUTs of parts announced after their deadline had passed", timeoutsAnnouncedLate);
        f.put("verdicts that reached the PLC after the deadline", arrivedLate);
        f.put("… of those outside broker outages, refusals and the station restart", arrivedLateOutsideFaults);
        spike(f, parts, got);
        f.put("refused publishes the station reported", plc.refusedPublishesSeen());
        f.put("station FAULT while the broker refused", faultDuring(faults.refused()));
        Instant t0 = firedAt.values().stream().min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        f.put("state changes seen by the PLC (s after the first part)", plc.states().stream().map(c -> String.format(
                java.util.Locale.ROOT, "%s@%.1f", c.state(), Duration.between(t0, c.at()).toMillis() / 1000.0))
                .collect(Collectors.joining(" ")));
        f.put("faults (s after the first part)", String.format(java.util.Locale.ROOT, "broker down %s, refused %s, station killed %s, "
                + "CPU spike %s", faults.brokerDown().stream().map(w -> span(t0, w)).toList(), span(t0, faults.refused()),
                span(t0, faults.stationDown()), span(t0, faults.spike())));
        f.put("announcements the PLC could not send (broker down)", plc.announceFailures());
        f.put("station status at the end", plc.status().toString());
        return new Report(f, missing.size(), duplicates, wrongPart, silentPass, timeoutsDecidedLate, plc.refusedPublishesSeen(),
                "yes".equals(faultDuring(faults.refused())), plc.status().path("realtime").path("inForce").asBoolean());
    }

    private String realtime() {
        return plc.status().path("realtime").path("inForce").asBoolean() ? "in force"
                : "NOT in force (" + plc.status().path("realtime").path("reason").asText() + ")";
    }

    /** Time after a broker restart or a station restart until the station's link is surely back (reconnect backoff). */
    private static final long GRACE_NS = 5_000_000_000L;

    private static boolean inside(ChaosRun.@Nullable Window w, Instant fired, long deadlineNs) {
        return inside(w, fired, deadlineNs, 0);
    }

    private static boolean inside(ChaosRun.@Nullable Window w, Instant fired, long deadlineNs, long graceNs) {
        return w != null && !fired.plusNanos(deadlineNs).isBefore(w.from()) && !fired.isAfter(w.to().plusNanos(graceNs));
    }

    private boolean deliveryFault(Instant fired, long deadlineNs) {
        return faults.brokerDown().stream().anyMatch(w -> inside(w, fired, deadlineNs + 5_000_000_000L))
                || inside(faults.refused(), fired, deadlineNs + 15_000_000_000L)
                || inside(faults.stationDown(), fired, deadlineNs + 5_000_000_000L);
    }

    private static String span(Instant t0, ChaosRun.@Nullable Window w) {
        return w == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f–%.1f", Duration.between(t0, w.from()).toMillis() / 1000.0,
                Duration.between(t0, w.to()).toMillis() / 1000.0);
    }

    private String faultDuring(ChaosRun.@Nullable Window w) {
        if (w == null) {
            return "n/a";
        }
        return plc.states().stream().anyMatch(c -> c.state().equals("FAULT") && !c.at().isBefore(w.from())
                && c.at().isBefore(w.to().plusSeconds(3))) ? "yes" : "NO";
    }

    /** Timeouts and sheds during and after the CPU spike, and how long the station took to recover. */
    private void spike(Map<String, Object> f, List<String> parts, Map<String, List<ChaosPlc.Received>> got) {
        ChaosRun.Window w = faults.spike();
        if (w == null) {
            return;
        }
        int during = 0;
        int after = 0;
        Instant lastBad = null;
        for (String id : parts) {
            Instant fired = firedAt.get(id);
            List<ChaosPlc.Received> vs = got.getOrDefault(id, List.of());
            boolean bad = !vs.isEmpty() && OVERLOADED.contains(vs.getFirst().reason());
            if (!bad) {
                continue;
            }
            if (w.contains(fired)) {
                during++;
            } else if (fired.isAfter(w.to()) && fired.isBefore(w.to().plusSeconds(10))) {
                after++;
                lastBad = lastBad == null || fired.isAfter(lastBad) ? fired : lastBad;
            }
        }
        f.put("TIMEOUT/OVERLOAD/QUEUE_FULL during the CPU spike", during);
        f.put("… in the 10 s after it", after);
        f.put("recovery after the spike (ms)", lastBad == null ? 0 : Duration.between(w.to(), lastBad).toMillis());
    }
}
