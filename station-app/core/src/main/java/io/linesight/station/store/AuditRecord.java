/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of the audit trail: who did what to what, with the value before and after.
 *
 * @param id      the row's id (increasing in the order written)
 * @param at      when it was done (wall clock)
 * @param who     the user, or {@code operator} when nobody was logged in
 * @param action  what was done, e.g. {@code login}, {@code recipe-save}, {@code shift-reset}, {@code alarm-ack}
 * @param subject what it was done to: a recipe name, {@code hmi}, {@code counters}, an alarm
 */
public record AuditRecord(long id, Instant at, String who, String action, String subject, @Nullable String before,
                          @Nullable String after) {
}
