/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.TriggerMode;
import io.linesight.config.bind.Bound;
import io.linesight.config.bind.YamlBinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Loads {@code station.yaml} and checks what binding alone cannot: unique device ids. */
public final class StationConfigLoader {
    private StationConfigLoader() {
    }

    public static LoadedStation load(Path file) throws ConfigException {
        return load(file, file.toString());
    }

    public static LoadedStation load(Path file, String label) throws ConfigException {
        Bound<StationConfig> bound = YamlBinder.bind(file, label, StationConfig.class);
        // a station file always lies in a folder (its base for relative paths); only "/" has no parent
        return check(bound, java.util.Objects.requireNonNull(file.toAbsolutePath().getParent(), "station file's folder"));
    }

    public static LoadedStation parse(String yaml, String label, Path baseDir) throws ConfigException {
        return check(YamlBinder.bind(label, yaml, StationConfig.class), baseDir);
    }

    /** Binds the bytes of a station file (UTF-8 checked like a file's); same checks as {@link #load}. */
    public static LoadedStation parse(byte[] yaml, String label, Path baseDir) throws ConfigException {
        return check(YamlBinder.bind(label, yaml, StationConfig.class), baseDir);
    }

    private static LoadedStation check(Bound<StationConfig> bound, Path baseDir) throws ConfigException {
        StationConfig c = bound.value();
        List<ConfigError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < c.cameras().size(); i++) {
            if (!ids.add(c.cameras().get(i).id())) {
                errors.add(bound.error("cameras[" + i + "].id", c.cameras().get(i).id(), "is used by another camera"));
            }
        }
        // Only the hardware trigger source pairs a line-fired or free-running camera's frames with parts by their
        // time. With the station's own trigger (timer, mqtt) such a frame would complete whichever part waits next:
        // one late or extra frame and every later part would be judged on its neighbour's image.
        if (c.trigger().source() != TriggerConfig.Source.HARDWARE) {
            for (int i = 0; i < c.cameras().size(); i++) {
                TriggerMode mode = c.cameras().get(i).triggerMode();
                if (mode != TriggerMode.SOFTWARE) {
                    errors.add(bound.error("cameras[" + i + "].triggerMode", mode.name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', '-'), "needs trigger.source: hardware (with trigger.source "
                            + c.trigger().source().name().toLowerCase(java.util.Locale.ROOT) + " the station triggers "
                            + "each camera itself: use triggerMode: software)"));
                }
            }
        }
        ids.clear();
        for (int i = 0; i < c.lights().size(); i++) {
            if (!ids.add(c.lights().get(i).id())) {
                errors.add(bound.error("lights[" + i + "].id", c.lights().get(i).id(), "is used by another light controller"));
            }
        }
        String url = c.broker().url();
        if (!c.broker().embedded() && !url.matches("(tcp|ssl|ws|wss)://[^/\\s]+(:\\d+)?")) {
            errors.add(bound.error("broker.url", url, "must be 'embedded' or a URL like tcp://host:1883 or ssl://host:8883"));
        }
        if (c.storage().jdbcUrl() != null && !c.storage().jdbcUrl().startsWith("jdbc:")) {
            errors.add(bound.error("storage.jdbcUrl", c.storage().jdbcUrl(), "must be a JDBC URL such as jdbc:postgresql://host/db"));
        }
        SchedulingConfig sched = c.scheduling();
        if (sched.publishMarginMs() >= c.deadlineMs()) {
            errors.add(bound.error("scheduling.publishMarginMs", sched.publishMarginMs(),
                    "must be less than deadlineMs (" + c.deadlineMs() + ")"));
        }
        for (int i = 0; i < sched.cpus().size(); i++) {
            int cpu = sched.cpus().get(i);
            if (cpu < 0 || cpu > 1023) {
                errors.add(bound.error("scheduling.cpus[" + i + "]", cpu, "must be a CPU number 0..1023"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new LoadedStation(c, baseDir);
    }

    /** A station config with the folder its relative paths are resolved against. */
    public record LoadedStation(StationConfig config, Path baseDir) {
        public Path recipeDir() {
            return baseDir.resolve(config.recipeDir()).normalize();
        }

        public Path dataDir() {
            return baseDir.resolve(config.dataDir()).normalize();
        }

        public Path resolve(String path) {
            return baseDir.resolve(path).normalize();
        }
    }
}
