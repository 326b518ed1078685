/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import org.jspecify.annotations.Nullable;

/**
 * Results store and image archive.
 *
 * @param jdbcUrl        empty for the embedded SQLite file {@code results.db} under the data directory, or a
 *                       {@code jdbc:postgresql://…} URL for a shared plant database
 * @param archiveQuotaMb the image archive's disk quota; the oldest days go first
 * @param retentionDays  images older than this are deleted
 * @param archiveQueueMb copied frames waiting for the archive's writer; past it the oldest waiting part is dropped
 *                       (and recorded as dropped, queue full). 256 MiB holds about 50 parts of two 5 MP Mono8 shots.
 */
public record StorageConfig(
        @Nullable String jdbcUrl,
        @Nullable String username,
        @Nullable String passwordFile,
        @Default("2048") @Range(min = 1, max = 10_000_000) int archiveQuotaMb,
        @Default("30") @Range(min = 1, max = 3650) int retentionDays,
        @Default("256") @Range(min = 1, max = 65_536) int archiveQueueMb) {

    /** With the default archive queue (256 MiB). */
    public StorageConfig(@Nullable String jdbcUrl, @Nullable String username, @Nullable String passwordFile,
                         int archiveQuotaMb, int retentionDays) {
        this(jdbcUrl, username, passwordFile, archiveQuotaMb, retentionDays, 256);
    }
}
