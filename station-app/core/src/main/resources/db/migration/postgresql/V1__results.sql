-- The same tables and columns as the SQLite schema (db/migration/sqlite), in PostgreSQL types.
CREATE TABLE verdicts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    line            TEXT    NOT NULL,
    station         TEXT    NOT NULL,
    part_id         TEXT    NOT NULL,
    seq             BIGINT  NOT NULL,
    recipe          TEXT    NOT NULL,
    recipe_version  INTEGER NOT NULL,
    model           TEXT    NOT NULL DEFAULT '',
    result          TEXT    NOT NULL CHECK (result IN ('PASS', 'REJECT')),
    primary_reason  TEXT    NOT NULL,
    reasons         TEXT    NOT NULL,
    triggered_at    TEXT    NOT NULL,
    triggered_ms    BIGINT  NOT NULL,
    decided_at      TEXT    NOT NULL,
    deadline_at     TEXT    NOT NULL,
    latency_ms      DOUBLE PRECISION NOT NULL,
    acquire_ms      DOUBLE PRECISION NOT NULL,
    rules_ms        DOUBLE PRECISION NOT NULL,
    model_ms        DOUBLE PRECISION NOT NULL,
    measurements    TEXT    NOT NULL,
    detections      TEXT    NOT NULL,
    late_result     TEXT,
    archive_path    TEXT,
    truth           TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX verdicts_part ON verdicts (part_id);
CREATE INDEX verdicts_time ON verdicts (triggered_ms);
CREATE INDEX verdicts_result_time ON verdicts (result, triggered_ms);
CREATE UNIQUE INDEX verdicts_station_seq ON verdicts (line, station, seq);

CREATE TABLE audit (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    before  TEXT,
    after   TEXT
);
