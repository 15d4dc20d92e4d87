-- Notifications to people (issue item 7): one row per delivery attempt of a notification job — which alarm,
-- site, contact and channel, why (raised, level_up, escalation, repeat) and at which escalation step, the attempt
-- number, how it ended (delivered, failed and retried, gave_up) with the HTTP/SMTP status or the error.
-- job_id and attempt identify an attempt, so a retried write of one row is an upsert.
CREATE TABLE IF NOT EXISTS notifications (
  job_id VARCHAR,
  alarm_id VARCHAR,
  site SYMBOL CAPACITY 1024 CACHE,
  contact VARCHAR,
  channel SYMBOL CAPACITY 8,
  reason SYMBOL CAPACITY 4,
  step INT,
  attempt INT,
  outcome SYMBOL CAPACITY 4,
  status INT,
  error VARCHAR,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(ts, job_id, attempt);
