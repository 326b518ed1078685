/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

import io.linesight.config.ConfigException;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.config.station.StorageConfig;
import io.linesight.station.store.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the offline tools ({@code station report}, {@code station archive}) find a station's results: its
 * station.yaml (the configured database, which may be PostgreSQL, and data folder) or a data folder with
 * {@code results.db}; neither given means {@code ./data}, as for {@code station demo}.
 */
public record StoreLocation(StorageConfig storage, Path dataDir, String line, String station, @Nullable Path configDir) {

    public static StoreLocation of(@Nullable Path config, @Nullable Path dataDir) throws IOException {
        if (config != null) {
            LoadedStation loaded;
            try {
                loaded = StationConfigLoader.load(config, config.toString());
            } catch (ConfigException e) {
                throw new IOException(e.getMessage(), e);
            }
            return new StoreLocation(loaded.config().storage(), dataDir != null ? dataDir : loaded.dataDir(),
                    loaded.config().line(), loaded.config().station(), loaded.baseDir());
        }
        Path dir = dataDir != null ? dataDir : Path.of("data");
        if (!Files.exists(dir.resolve("results.db"))) {
            throw new IOException("no results database: " + dir.resolve("results.db") + " does not exist "
                    + "(give --data-dir DIR of a station, or --config station.yaml)");
        }
        return new StoreLocation(new StorageConfig(null, null, null, 2048, 30), dir, "", "", null);
    }

    public ResultsStore open() throws IOException {
        return ResultsStore.open(storage, dataDir, line, station, configDir);
    }

    public Path archiveRoot() {
        return dataDir.resolve("archive");
    }
}
