-- One row per verdict the station sent, and what led to it.
CREATE TABLE verdicts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    line            TEXT    NOT NULL,
    station         TEXT    NOT NULL,
    part_id         TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    recipe          TEXT    NOT NULL,
    recipe_version  INTEGER NOT NULL,
    model           TEXT    NOT NULL DEFAULT '',
    result          TEXT    NOT NULL CHECK (result IN ('PASS', 'REJECT')),
    primary_reason  TEXT    NOT NULL,
    reasons         TEXT    NOT NULL,              -- JSON [{code, source, detail}]
    triggered_at    TEXT    NOT NULL,              -- ISO-8601 UTC
    triggered_ms    INTEGER NOT NULL,              -- epoch ms, for range queries
    decided_at      TEXT    NOT NULL,
    deadline_at     TEXT    NOT NULL,
    latency_ms      REAL    NOT NULL,
    acquire_ms      REAL    NOT NULL,
    rules_ms        REAL    NOT NULL,
    model_ms        REAL    NOT NULL,
    measurements    TEXT    NOT NULL,              -- JSON [{rule, shot, pass, values:[…]}]
    detections      TEXT    NOT NULL,              -- JSON [{shot, class, score, box}]
    late_result     TEXT,                          -- what the pipeline decided after a TIMEOUT was sent
    archive_path    TEXT,
    truth           TEXT    NOT NULL DEFAULT '[]'  -- JSON known defects (synthetic camera, labelled replay)
);
CREATE INDEX verdicts_part ON verdicts (part_id);
CREATE INDEX verdicts_time ON verdicts (triggered_ms);
CREATE INDEX verdicts_result_time ON verdicts (result, triggered_ms);
CREATE UNIQUE INDEX verdicts_station_seq ON verdicts (line, station, seq);

-- Who changed what, for recipes, logins, counter resets and alarm acknowledgements.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    before  TEXT,
    after   TEXT
);
