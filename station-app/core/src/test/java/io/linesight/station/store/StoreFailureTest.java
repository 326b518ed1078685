/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("a failed write to the results database should count as")
class StoreFailureTest {
    @TempDir
    Path dir;

    private Throwable onSqlite(String url, String... sql) {
        return catchThrowable(() -> {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
        });
    }

    @Test
    void unavailable_whenSqliteIsReadOnlyOrCannotOpen() throws Exception {
        String db = "jdbc:sqlite:" + dir.resolve("r.db");
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v TEXT NOT NULL)");
        }
        Throwable readOnly = onSqlite("jdbc:sqlite:file:" + dir.resolve("r.db") + "?mode=ro", "INSERT INTO t VALUES ('x')");
        assertThat(readOnly).hasMessageContaining("SQLITE_READONLY");
        assertThat(StoreFailure.of(readOnly)).isEqualTo(StoreFailure.UNAVAILABLE);
        Throwable cantOpen = onSqlite("jdbc:sqlite:file:" + dir.resolve("no/such/dir/x.db") + "?mode=rw",
                "CREATE TABLE t (v TEXT)");
        assertThat(cantOpen).hasMessageContaining("SQLITE_CANTOPEN");
        assertThat(StoreFailure.of(cantOpen)).isEqualTo(StoreFailure.UNAVAILABLE);
    }

    @Test
    void content_whenSqliteRefusesTheRow() throws Exception {
        Throwable notNull = onSqlite("jdbc:sqlite:" + dir.resolve("c.db"), "CREATE TABLE t (v TEXT NOT NULL)",
                "INSERT INTO t VALUES (NULL)");
        assertThat(notNull).hasMessageContaining("SQLITE_CONSTRAINT");
        assertThat(StoreFailure.of(notNull)).isEqualTo(StoreFailure.CONTENT);
    }

    @Test
    void byPostgresqlSqlState_connectionDiskFullAndIoAreUnavailable_dataAndConstraintsAreContent() {
        assertThat(StoreFailure.of(new SQLException("connection refused", "08001"))).isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new SQLException("terminating connection", "57P01"))).isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new SQLException("could not extend file: No space left", "53100")))
                .isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new SQLException("could not write block", "58030"))).isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new SQLException("value too long", "22001"))).isEqualTo(StoreFailure.CONTENT);
        assertThat(StoreFailure.of(new SQLException("violates check constraint", "23514"))).isEqualTo(StoreFailure.CONTENT);
    }

    @Test
    void unavailable_forWhatItDoesNotKnow_andForIo_butContentForAJsonColumnThatDoesNotParse() {
        assertThat(StoreFailure.of(new SQLException("pool has been closed"))).isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new RuntimeException("wrapped", new IOException("Input/output error"))))
                .isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new AssertionError("driver state"))).isEqualTo(StoreFailure.UNAVAILABLE);
        Throwable json = catchThrowable(() -> new com.fasterxml.jackson.databind.ObjectMapper().readTree("[!"));
        assertThat(StoreFailure.of(new IllegalArgumentException("detections are not JSON", json)))
                .isEqualTo(StoreFailure.CONTENT);
    }
}
