-- Personnel positioning (access standard section 4). A snapshot is everyone underground at ts: one row per person
-- in personnel_snapshots, and always one row in personnel_headcount, so an empty snapshot (nobody underground) is
-- recorded too and the latest snapshot of a site is found with LATEST ON ts PARTITION BY site. A resent snapshot
-- or event (same keys) is upserted, never stored twice.
CREATE TABLE IF NOT EXISTS personnel_snapshots (
  site SYMBOL CAPACITY 1024 CACHE,
  card SYMBOL CAPACITY 65536 CACHE,
  name VARCHAR,
  role SYMBOL CAPACITY 16,
  area SYMBOL CAPACITY 4096 CACHE,
  entered_at TIMESTAMP,
  headcount INT,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, site, card);

CREATE TABLE IF NOT EXISTS personnel_headcount (
  site SYMBOL CAPACITY 1024 CACHE,
  headcount INT,
  leaders INT,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, site);

-- Personnel events (SOS …): ts is the event time, received_at the arrival time.
CREATE TABLE IF NOT EXISTS personnel_events (
  site SYMBOL CAPACITY 1024 CACHE,
  type SYMBOL CAPACITY 16,
  card SYMBOL CAPACITY 65536 CACHE,
  area SYMBOL CAPACITY 4096 CACHE,
  received_at TIMESTAMP,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, site, card, type);
