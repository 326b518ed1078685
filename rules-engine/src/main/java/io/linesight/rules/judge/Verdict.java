/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

import java.util.List;
import java.util.Map;

/** The decision on one part. A part is never "unknown": anything the station could not decide is a Reject. */
public sealed interface Verdict {

    boolean passed();

    /** Every reason, in order of importance; empty for a pass. */
    List<Reason> reasons();

    /** The reason that counts most (for the compact PLC payload and the HMI tile); NONE for a pass. */
    default ReasonCode primaryCode() {
        return reasons().isEmpty() ? ReasonCode.NONE : reasons().getFirst().code();
    }

    /**
     * A good part, with the margins of its measurements (rule.measurement → fraction of tolerance left, 0 = on
     * the limit), so the HMI can show parts that only just passed.
     */
    record Pass(Map<String, Double> margins) implements Verdict {
        public Pass {
            margins = Map.copyOf(margins);
        }

        @Override
        public boolean passed() {
            return true;
        }

        @Override
        public List<Reason> reasons() {
            return List.of();
        }
    }

    /** A bad or undecidable part with all the reasons. */
    record Reject(List<Reason> reasons) implements Verdict {
        public Reject {
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a reject needs at least one reason");
            }
            reasons = List.copyOf(reasons);
        }

        public static Reject of(ReasonCode code, String source, String detail) {
            return new Reject(List.of(new Reason(code, source, detail)));
        }

        @Override
        public boolean passed() {
            return false;
        }
    }
}
