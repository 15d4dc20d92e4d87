-- The audit (issue 9): one row per thing a person or a token did — logins and failed logins, handling
-- actions, notes, shelves, mutes, maintenance windows, rule reloads, user changes. Append-only: nothing
-- updates or deletes a row, and no retention applies to it. id makes a retried write of one record an upsert.
-- detail is JSON; it never holds a password.
CREATE TABLE IF NOT EXISTS audit_log (
  id VARCHAR,
  action SYMBOL CAPACITY 64,
  outcome SYMBOL CAPACITY 8,
  actor VARCHAR,
  actor_kind SYMBOL CAPACITY 4,
  actor_role SYMBOL CAPACITY 8,
  site SYMBOL CAPACITY 1024 CACHE,
  target VARCHAR,
  detail VARCHAR,
  ip VARCHAR,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(ts, id);
