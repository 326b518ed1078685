-- Hourly rollups, kept in the same transaction as the verdict rows they count (only rows that were new): the HMI
-- and report queries read whole hours from here and only the partial hours at the ends of a range from verdicts,
-- so they answer in milliseconds however many parts the table holds.
CREATE TABLE hourly_parts (
    line            TEXT    NOT NULL,
    station         TEXT    NOT NULL,
    hour_ms         INTEGER NOT NULL,               -- epoch ms of the UTC hour's start
    recipe          TEXT    NOT NULL,
    recipe_version  INTEGER NOT NULL,
    result          TEXT    NOT NULL,
    primary_reason  TEXT    NOT NULL,
    parts           INTEGER NOT NULL,
    PRIMARY KEY (hour_ms, line, station, recipe, recipe_version, result, primary_reason)
);
-- Detections on rejected parts per class.
CREATE TABLE hourly_classes (
    line        TEXT    NOT NULL,
    station     TEXT    NOT NULL,
    hour_ms     INTEGER NOT NULL,
    class       TEXT    NOT NULL,
    detections  INTEGER NOT NULL,
    PRIMARY KEY (hour_ms, line, station, class)
);
-- Latency histogram, 1 ms buckets (bucket = whole milliseconds).
CREATE TABLE hourly_latency (
    line     TEXT    NOT NULL,
    station  TEXT    NOT NULL,
    hour_ms  INTEGER NOT NULL,
    bucket   INTEGER NOT NULL,
    parts    INTEGER NOT NULL,
    PRIMARY KEY (hour_ms, line, station, bucket)
);

INSERT INTO hourly_parts
SELECT line, station, (triggered_ms / 3600000) * 3600000, recipe, recipe_version, result, primary_reason, COUNT(*)
FROM verdicts GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO hourly_classes
SELECT v.line, v.station, (v.triggered_ms / 3600000) * 3600000, json_extract(d.value, '$.class'), COUNT(*)
FROM verdicts v, json_each(v.detections) d WHERE v.result = 'REJECT' GROUP BY 1, 2, 3, 4;
INSERT INTO hourly_latency
SELECT line, station, (triggered_ms / 3600000) * 3600000, CAST(MIN(latency_ms, 600000) AS INTEGER), COUNT(*)
FROM verdicts GROUP BY 1, 2, 3, 4;
