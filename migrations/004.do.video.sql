-- Video-assisted supervision (视频智能辅助监管, access standard section 5).
-- Channels are registry-like: every PUT appends a version per channel (a removed channel gets a row with
-- deleted = true); the latest version per (site, channel) is the current one, loaded into memory at start.
CREATE TABLE IF NOT EXISTS video_channels (
  site SYMBOL CAPACITY 1024 CACHE,
  channel SYMBOL CAPACITY 65536 CACHE,
  definition VARCHAR,
  deleted BOOLEAN,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, site, channel);

-- Channel heartbeats: one row per channel of a heartbeat, ts = the heartbeat's own time (the basis of the
-- channel online rate). A resent heartbeat (same ts, site, channel) is upserted.
CREATE TABLE IF NOT EXISTS video_heartbeats (
  site SYMBOL CAPACITY 1024 CACHE,
  channel SYMBOL CAPACITY 65536 CACHE,
  online BOOLEAN,
  received_at TIMESTAMP,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, site, channel);

-- AI recognition results (AI视频识别): ts is the event time; a resent event (same ts, site, channel, type)
-- is stored once. The evidence snapshot is kept by reference: its sha256 and URL.
CREATE TABLE IF NOT EXISTS video_events (
  site SYMBOL CAPACITY 1024 CACHE,
  channel SYMBOL CAPACITY 65536 CACHE,
  type SYMBOL CAPACITY 64 CACHE,
  confidence DOUBLE,
  count INT,
  evidence_sha256 VARCHAR,
  evidence_url VARCHAR,
  received_at TIMESTAMP,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, site, channel, type);
