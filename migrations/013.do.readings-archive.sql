-- Tailings-pond readings are archived permanently (domain-standards DQ-7: 尾矿库在线监测数据永久保存): retention
-- (src/3-store/retention.ts) copies a tailings site's raw readings here before their partitions of `readings` are
-- dropped. No TTL, never trimmed. Numbered 013 to leave 012 to the KPI tables of the same issue.
CREATE TABLE IF NOT EXISTS readings_archive (
  site SYMBOL CAPACITY 1024 CACHE,
  point SYMBOL CAPACITY 65536 CACHE,
  value DOUBLE,
  status INT,
  received_at TIMESTAMP,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(ts, site, point);

-- The raw readings' own TTL (migration 001) would drop a tailings pond's partitions before they are archived:
-- retention drops them itself, archiving first.
ALTER TABLE readings SET TTL 0 DAYS;
