/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The PLC link as the PLC, the alarms and the heartbeat see it. {@link #faults()} lists what makes the station's
 * state FAULT: a PLC must not rely on a station that cannot deliver.
 *
 * @param connected        broker connection up
 * @param senderAlive      the sender thread is alive and went round its loop within the last two seconds
 * @param senderRestarts   times the supervisor had to start a new sender thread
 * @param senderError      the last error the sender survived, or null
 * @param unacked          verdicts not yet acknowledged by the broker
 * @param unackedBytes     their size
 * @param oldestUnackedMs  age of the oldest of them (0 when none)
 * @param refused          publishes the broker refused (PUBACK reason code 0x80 or above) since start
 * @param lastRefusal      the last refusal's code and name, or null
 * @param refusing         the broker refused a verdict more recently than it accepted one
 * @param plcListening     false while the broker answers "no matching subscribers": nobody receives verdicts
 * @param journalFailure   why the journal cannot write (verdicts are kept in memory), or null
 * @param journalQuarantine what did not check out in the journal at start, or null
 * @param acceptingParts   false when the unacknowledged verdicts reached the byte bound: triggers are refused
 * @param handedOverLate   verdicts handed to the broker connection after their part's deadline
 */
public record LinkHealth(boolean connected, boolean senderAlive, long senderRestarts, @Nullable String senderError,
                         int unacked, long unackedBytes, long oldestUnackedMs, long refused, @Nullable String lastRefusal,
                         boolean refusing, boolean plcListening, @Nullable String journalFailure,
                         @Nullable String journalQuarantine, boolean acceptingParts, long handedOverLate) {

    /** Reasons the station must report FAULT; empty when the link delivers. */
    public List<String> faults() {
        List<String> out = new ArrayList<>();
        if (!senderAlive) {
            out.add("PLC sender not running" + (senderError == null ? "" : ": " + senderError));
        }
        if (refusing) {
            out.add("broker refuses verdicts (" + lastRefusal + ")");
        }
        if (journalFailure != null) {
            out.add("verdict journal cannot write (" + journalFailure + "); verdicts kept in memory");
        }
        if (!acceptingParts) {
            out.add("not accepting parts: " + unacked + " verdicts (" + unackedBytes / 1024 + " KiB) await the broker");
        }
        return out;
    }

    /** Conditions worth an alarm that do not stop the station on their own. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (!connected) {
            out.add("broker not connected (" + unacked + " verdicts waiting)");
        } else if (!plcListening) {
            out.add("PLC not listening: the broker has no subscriber for verdicts");
        }
        if (journalQuarantine != null) {
            out.add("verdict journal: " + journalQuarantine);
        }
        return out;
    }
}
