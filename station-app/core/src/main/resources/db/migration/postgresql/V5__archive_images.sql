-- The same table as db/migration/sqlite/V5, in PostgreSQL types.
CREATE TABLE archive_images (
    line       TEXT    NOT NULL,
    station    TEXT    NOT NULL,
    seq        BIGINT  NOT NULL,
    part_id    TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('STORED', 'DROPPED', 'DELETED')),
    reason     TEXT    NOT NULL DEFAULT '',
    folder     TEXT,
    detail     TEXT    NOT NULL DEFAULT '',
    at_ms      BIGINT  NOT NULL,
    stored_ms  BIGINT,
    PRIMARY KEY (line, station, seq)
);
CREATE INDEX archive_images_time ON archive_images (at_ms, state, reason);
