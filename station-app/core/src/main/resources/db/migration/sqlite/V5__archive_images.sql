-- What became of each archived part's images, one row per part, the last word wins: STORED once the files are on
-- disk and forced, DROPPED with why (QUEUE_FULL, DISK_FULL, IO_ERROR, SHUTDOWN), DELETED by housekeeping (RETENTION,
-- QUOTA). verdicts.archive_path only says where the archive was asked to keep them.
CREATE TABLE archive_images (
    line       TEXT    NOT NULL,
    station    TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    part_id    TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('STORED', 'DROPPED', 'DELETED')),
    reason     TEXT    NOT NULL DEFAULT '',
    folder     TEXT,
    detail     TEXT    NOT NULL DEFAULT '',
    at_ms      INTEGER NOT NULL,                    -- epoch ms of the last word
    stored_ms  INTEGER,                             -- epoch ms the files were stored, kept when they are deleted
    PRIMARY KEY (line, station, seq)
);
CREATE INDEX archive_images_time ON archive_images (at_ms, state, reason);
