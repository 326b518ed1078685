/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

/** The database engines the results store runs on: one schema, migrated from one folder per engine. */
public enum StoreEngine {
    SQLITE("classpath:db/migration/sqlite"),
    POSTGRESQL("classpath:db/migration/postgresql");

    private final String migrations;

    StoreEngine(String migrations) {
        this.migrations = migrations;
    }

    /** Flyway location of this engine's migrations. */
    public String migrations() {
        return migrations;
    }

    /** The engine a JDBC URL names; anything but PostgreSQL and SQLite is refused with the URL named. */
    public static StoreEngine of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw new IllegalArgumentException("storage.jdbcUrl: rejected '" + jdbcUrl
                + "', must start with jdbc:postgresql: or jdbc:sqlite: (or be empty for results.db in the data directory)");
    }
}
