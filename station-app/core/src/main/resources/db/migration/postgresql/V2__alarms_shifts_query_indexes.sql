-- Alarms as the operator saw them: when raised, acknowledged (and by whom) and cleared; downtime in reports.
CREATE TABLE alarms (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    line             TEXT    NOT NULL,
    station          TEXT    NOT NULL,
    code             TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    detail           TEXT    NOT NULL DEFAULT '',
    raised_ms        BIGINT  NOT NULL,              -- epoch ms
    acknowledged_ms  BIGINT ,
    acknowledged_by  TEXT,
    cleared_ms       BIGINT 
);
CREATE INDEX alarms_raised ON alarms (raised_ms);
CREATE INDEX alarms_open ON alarms (line, station, code, cleared_ms);

-- Parts per shift and recipe, kept in the same transaction as the verdict rows they count.
CREATE TABLE shift_counters (
    line            TEXT    NOT NULL,
    station         TEXT    NOT NULL,
    shift_start_ms  BIGINT  NOT NULL,               -- epoch ms of the shift's start (06:00, 14:00, 22:00 local)
    recipe          TEXT    NOT NULL,
    parts           BIGINT  NOT NULL,
    passed          BIGINT  NOT NULL,
    rejected        BIGINT  NOT NULL,
    timeouts        BIGINT  NOT NULL,
    PRIMARY KEY (line, station, shift_start_ms, recipe)
);

-- Covering index for the time-range aggregates (yield by hour, Pareto by reason, parts by recipe, latency):
-- they read the index alone, never the wide JSON rows.
DROP INDEX verdicts_time;
CREATE INDEX verdicts_time_cover ON verdicts (triggered_ms, result, primary_reason, recipe, recipe_version, latency_ms);
