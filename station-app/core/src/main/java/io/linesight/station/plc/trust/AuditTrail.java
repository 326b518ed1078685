/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.trust;

/**
 * Where command records go: the results store's audit trail. {@link #record} returns once the record is committed;
 * any thread; blocks for the write. Whatever it throws means "not recorded", and the command is then not done.
 */
@FunctionalInterface
public interface AuditTrail {
    void record(String who, String action, String subject, String outcome) throws Exception;
}
