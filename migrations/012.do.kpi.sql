-- The KPI report (issue 10 item 3, docs/kpi.md).
-- server_heartbeat: minewatch's own heartbeat, one row every MINEWATCH_SERVER_HEARTBEAT_S seconds while the server
-- runs (src/reports/heartbeat.ts), the basis of the system availability (系统利用率): a gap between two rows longer
-- than twice the period counts as down. instance names the process (host and pid), started_at its start.
-- Kept 24 months by its own TTL (two yearly reports); the daily rows below keep each day's figure for good.
CREATE TABLE IF NOT EXISTS server_heartbeat (
  instance SYMBOL CAPACITY 256 CACHE,
  started_at TIMESTAMP,
  period_s INT,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY MONTH TTL 24 MONTHS WAL DEDUP UPSERT KEYS(ts, instance);

-- kpi_daily: one row per site and local day (MINEWATCH_KPI_TZ), written by the daily job (src/reports/daily.ts), plus
-- one row of the whole fleet with site '*' (not a valid site code). ts is the start of the day; a re-run of a day
-- (the job recomputes the day before yesterday too, so the 24 h figures are final) upserts the same row.
-- Rates and shares are fractions 0..1, NULL when there is nothing to divide (no monitored time, no alarm).
-- Never trimmed: the yearly self-evaluation forms are filled from it once the raw readings are gone.
CREATE TABLE IF NOT EXISTS kpi_daily (
  site SYMBOL CAPACITY 1024 CACHE,
  day VARCHAR,
  monitored_s DOUBLE,
  link_online_rate DOUBLE,
  link_offline_s DOUBLE,
  link_outages INT,
  point_online_rate DOUBLE,
  points INT,
  completeness DOUBLE,
  readings_expected DOUBLE,
  readings_stored DOUBLE,
  alarms INT,
  raises INT,
  alarms_early_warning INT,
  alarms_over_limit INT,
  alarms_violation INT,
  alarms_fault INT,
  alarms_blue INT,
  alarms_yellow INT,
  alarms_orange INT,
  alarms_red INT,
  alarm_rate_per_10m DOUBLE,
  alarm_peak_10m INT,
  ack_p50_s DOUBLE,
  ack_p90_s DOUBLE,
  ack_within_60m_share DOUBLE,
  closed_within_24h_share DOUBLE,
  false_alarm_share DOUBLE,
  fault_ack_p90_s DOUBLE,
  fault_ack_within_60m_share DOUBLE,
  fault_closed_within_24h_share DOUBLE,
  system_availability DOUBLE,
  computed_at TIMESTAMP,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, site);
