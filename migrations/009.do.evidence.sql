-- Evidence fixing (issue item 4, docs/evidence.md): one record per alarm, fixed once its window (raise - BEFORE to
-- raise + AFTER) and the settle delay have passed. The record's body is its canonical JSON (keys sorted); sha256 is
-- the hex SHA-256 of prev_sha256 followed by the body, and prev_sha256 is the sha256 of record seq - 1 (64 zeros
-- for the first): a hash chain, so changing any stored record breaks every digest from it on.
-- Append-only and NEVER removed by retention: neither table has a TTL, and applyRetention (3-store/migrate.ts) only
-- sets the TTL of readings. The readings of the window are copied into the body, so they outlive the raw readings.
-- ts is the time the record was fixed; a retried write of the same record (same ts, seq) is upserted.
CREATE TABLE IF NOT EXISTS evidence (
  seq LONG,
  alarm_id VARCHAR,
  site SYMBOL CAPACITY 1024 CACHE,
  rule_id SYMBOL CAPACITY 1024 CACHE,
  window_from TIMESTAMP,
  window_to TIMESTAMP,
  parts INT,
  sha256 VARCHAR,
  prev_sha256 VARCHAR,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, seq);

-- The body of each record, in parts of at most 200,000 characters: QuestDB's PG wire sends one row from a buffer
-- of 1 MiB by default (pg.send.buffer.size), and a busy window's readings can be larger. The body is the parts of
-- its seq joined in part order (0, 1, …); evidence.parts says how many there are.
CREATE TABLE IF NOT EXISTS evidence_body (
  seq LONG,
  part INT,
  text VARCHAR,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, seq, part);
