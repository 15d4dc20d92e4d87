-- Raw readings (section 3). The designated timestamp is the event time; a resent reading (same site, point, ts)
-- is upserted, never stored twice. TTL is re-applied at start from MINEWATCH_RAW_RETENTION_DAYS.
CREATE TABLE IF NOT EXISTS readings (
  site SYMBOL CAPACITY 1024 CACHE,
  point SYMBOL CAPACITY 65536 CACHE,
  value DOUBLE,
  status INT,
  received_at TIMESTAMP,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY DAY TTL 90 DAYS WAL DEDUP UPSERT KEYS(ts, site, point);

-- Registry (section 2): every PUT appends a version; the latest version per key is the current one.
CREATE TABLE IF NOT EXISTS sites (
  site SYMBOL,
  name VARCHAR,
  kind SYMBOL,
  region_code VARCHAR,
  enterprise VARCHAR,
  approved_headcount INT,
  attributes VARCHAR,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, site);

-- Site status as a timeline: ts is the time the status took effect (since), so rules can ask for the
-- status in force at a reading's event time.
CREATE TABLE IF NOT EXISTS site_status (
  site SYMBOL,
  status SYMBOL,
  note VARCHAR,
  recorded_at TIMESTAMP,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, site);

CREATE TABLE IF NOT EXISTS points (
  site SYMBOL,
  point SYMBOL CAPACITY 65536 CACHE,
  definition VARCHAR,
  deleted BOOLEAN,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, site, point);
