-- Evidence fixing (issue item 4, docs/evidence.md): one row per alarm, fixed once its window (raise - BEFORE to
-- raise + AFTER) and the settle delay have passed. body is the record's canonical JSON (keys sorted); sha256 is
-- the hex SHA-256 of prev_sha256 followed by body, and prev_sha256 is the sha256 of the record seq - 1 (64 zeros
-- for the first): a hash chain, so changing any stored record breaks every digest from it on.
-- Append-only and NEVER removed by retention: no TTL here, and applyRetention (3-store/migrate.ts) only sets the
-- TTL of readings. The readings of the window are copied into body, so they outlive the raw readings' TTL.
-- ts is the time the record was fixed; a retried write of the same record (same ts, seq) is upserted.
CREATE TABLE IF NOT EXISTS evidence (
  seq LONG,
  alarm_id VARCHAR,
  site SYMBOL CAPACITY 1024 CACHE,
  rule_id SYMBOL CAPACITY 1024 CACHE,
  window_from TIMESTAMP,
  window_to TIMESTAMP,
  body VARCHAR,
  sha256 VARCHAR,
  prev_sha256 VARCHAR,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, seq);
