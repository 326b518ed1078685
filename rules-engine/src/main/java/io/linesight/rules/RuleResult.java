/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import java.util.List;

/**
 * What a rule found on one frame.
 *
 * @param rule         rule name
 * @param shot         shot name
 * @param pass         whether the part passes this rule
 * @param code         the reason code when it does not ({@code RULE_FAILED}, {@code IMAGE_QUALITY},
 *                     {@code RULE_ERROR}); ignored on a pass
 * @param detail       one line a person can read: what was out of limits and by how much
 * @param measurements values measured, with their limits
 * @param overlays     geometry for the HMI and archived overlays, in frame pixels
 * @param nanos        time the rule took
 */
public record RuleResult(String rule, String shot, boolean pass, ReasonCode code, String detail,
                         List<Measurement> measurements, List<Overlay> overlays, long nanos) {

    public RuleResult {
        measurements = List.copyOf(measurements);
        overlays = List.copyOf(overlays);
    }

    public static RuleResult error(String rule, String shot, String detail, long nanos) {
        return new RuleResult(rule, shot, false, ReasonCode.RULE_ERROR, detail, List.of(), List.of(), nanos);
    }
}
