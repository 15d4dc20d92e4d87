-- 5-minute statistics per point (DQ-8: max/min/mean every 5 minutes, non-coal access spec §1.3 and coal
-- networking §2.4). A QuestDB materialized view over readings, refreshed incrementally once a minute and
-- recomputed per affected 5-minute bucket, so late, replayed (断电续传) and upserted readings land in the right
-- bucket. Buckets are aligned to UTC calendar minutes. Not after every commit (QuestDB's default): readings
-- commit every few tens of milliseconds, and refreshing the touched buckets of thousands of points each time
-- took QuestDB from 0.4 to 1.2 cores at half the bench rate and tripled the ingest-to-alarm p99; statistics a
-- minute behind are fine for a 5-minute series.
-- Readings whose status carries a suppress bit (4 calibration, 16 substation fault, 32 not polled,
-- 64 paused, 128 sensor fault: 4+16+32+64+128 = 244) are not measurements (DQ-2) and are left out, so
-- calibration gas never becomes a 5-minute maximum. Over-range (8) stays in: it is a real, extreme value.
-- Kept two years (DQ-7: 5-minute statistics ≥ 1 year, design for ≥ 2), far beyond the raw readings' TTL.
CREATE MATERIALIZED VIEW IF NOT EXISTS readings_5m REFRESH EVERY 1m AS (
  SELECT ts, site, point,
    min(value) AS value_min,
    max(value) AS value_max,
    avg(value) AS value_mean,
    count() AS samples
  FROM readings
  WHERE status & 244 = 0
  SAMPLE BY 5m
) PARTITION BY MONTH TTL 24 MONTHS;
