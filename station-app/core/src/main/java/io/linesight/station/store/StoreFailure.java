/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.sqlite.SQLiteException;

/**
 * Why a write to the results database failed: the database is not taking writes now ({@link #UNAVAILABLE}: rows stay
 * on the spool and are tried again), or it refuses these rows for what they contain ({@link #CONTENT}: each is kept
 * in {@code rejected.jsonl} so one bad row cannot stop the rest).
 *
 * <p>Only errors that name the rows are {@link #CONTENT}: SQLite's CONSTRAINT, MISMATCH, TOOBIG and RANGE, SQLState
 * classes 22 (data exception) and 23 (integrity constraint), a JSON column that does not parse, and a failure in our
 * own code binding one row. Anything
 * else, known or not (SQLite FULL, IOERR, READONLY, CANTOPEN, BUSY, CORRUPT; PostgreSQL connection, shutdown, disk
 * full, I/O errors), means the database is unavailable: moving past rows on an error we do not understand would lose
 * them.
 */
enum StoreFailure {
    UNAVAILABLE,
    CONTENT;

    static StoreFailure of(Throwable e) {
        boolean content = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Throwable s : t.getSuppressed()) {
                if (of(s) == UNAVAILABLE) {
                    return UNAVAILABLE;
                }
            }
            if (t instanceof SQLiteException s) {
                String code = s.getResultCode().name();
                if (code.startsWith("SQLITE_CONSTRAINT") || code.equals("SQLITE_MISMATCH")
                        || code.equals("SQLITE_TOOBIG") || code.equals("SQLITE_RANGE")) {
                    content = true;
                    continue;
                }
                return UNAVAILABLE;
            }
            if (t instanceof JsonProcessingException) {
                content = true; // a row's JSON column that does not parse: an IOException by type only
                continue;
            }
            if (t instanceof IOException || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof Error) {
                return UNAVAILABLE;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    content = true;
                    continue;
                }
                return UNAVAILABLE;
            }
        }
        // No SQL or I/O error anywhere in the chain: our own code refused a row (a bug, or a row it cannot bind).
        return content || e instanceof RuntimeException ? CONTENT : UNAVAILABLE;
    }
}
