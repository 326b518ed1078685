/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.station.admission.LoadShedder;
import io.linesight.station.plc.LinkHealth;
import io.linesight.station.plc.StationState;
import io.linesight.station.realtime.RealtimeScheduling;
import io.linesight.station.stats.StationStats;
import java.time.Instant;
import java.util.List;

/**
 * The retained {@code status} document and the {@code heartbeat} (docs/PLC.md): the state with the reasons behind
 * it, and the delivery figures a PLC or a dashboard needs to trust it (sender alive, oldest unacknowledged verdict,
 * refused publishes, triggers refused, parts shed).
 */
final class StationStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StationStatus() {
    }

    static String json(StationState state, List<String> faults, List<String> warnings, LinkHealth h,
                       RealtimeScheduling.Status realtime, LoadShedder shed, long refusedTriggers, long unannouncedFrames) {
        ObjectNode n = JSON.createObjectNode();
        n.put("state", state.name());
        faults.forEach(n.putArray("faults")::add);
        warnings.forEach(n.putArray("warnings")::add);
        n.put("acceptingParts", h.acceptingParts());
        delivery(n, h);
        ObjectNode rt = n.putObject("realtime");
        rt.put("inForce", realtime.inForce());
        if (realtime.refusal() != null) {
            rt.put("reason", realtime.refusal());
        }
        n.put("shedParts", shed.shed());
        n.put("shedAfterTrigger", shed.shedAfterTrigger()); // the safety net behind admission: should stay near 0
        n.put("refusedTriggers", refusedTriggers);
        n.put("unannouncedFrames", unannouncedFrames);
        n.put("at", Instant.now().toString());
        return n.toString();
    }

    static String heartbeat(StationStats.Snapshot s, int inFlight, LinkHealth h, String recipe, String provider) {
        ObjectNode n = JSON.createObjectNode();
        n.put("parts", s.parts());
        n.put("pass", s.passed());
        n.put("reject", s.rejected());
        n.put("timeouts", s.timeouts());
        n.put("late", s.late());
        n.put("inFlight", inFlight);
        n.put("p99Ms", Math.round(s.p99Ms() * 100) / 100.0);
        delivery(n, h);
        n.put("recipe", recipe);
        n.put("provider", provider);
        return n.toString();
    }

    private static void delivery(ObjectNode n, LinkHealth h) {
        n.put("unacked", h.unacked());
        n.put("oldestUnackedMs", h.oldestUnackedMs());
        n.put("senderAlive", h.senderAlive());
        n.put("senderRestarts", h.senderRestarts());
        n.put("refusedPublishes", h.refused());
        n.put("plcListening", h.plcListening());
    }
}
