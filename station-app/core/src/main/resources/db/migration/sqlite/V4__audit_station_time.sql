-- The audit trail names its station (a plant's PostgreSQL holds every station's) and keeps the time as epoch ms
-- too: ISO text with a varying number of fraction digits does not sort as time.
ALTER TABLE audit ADD COLUMN line TEXT;
ALTER TABLE audit ADD COLUMN station TEXT;
ALTER TABLE audit ADD COLUMN at_ms INTEGER;
CREATE INDEX audit_time ON audit (line, station, at_ms);
