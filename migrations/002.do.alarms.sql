-- Alarm audit trail (sections 6 and 7): one row per transition, append-only. The designated timestamp is the
-- server's decision time (detectedAt). A retried write of the same transition (same ts, alarm_id, seq) is
-- upserted, never stored twice. Each row carries the whole alarm after the transition, so the latest row of an
-- alarm is its current state and a restart rebuilds open alarms from it (LATEST ON ts PARTITION BY alarm_id).
-- alarm_id is VARCHAR, not SYMBOL: ids are unbounded and a symbol table would only grow.
-- `limit` is a SQL keyword, hence limit_value. points is comma-joined (codes cannot contain ','); evidence is JSON.
-- event_ts is the event time behind this transition (reading ts, or action time for operator actions);
-- condition_ts is the event time of the alarm's last condition change, which seeds the engine at restart.
CREATE TABLE IF NOT EXISTS alarm_transitions (
  alarm_id VARCHAR,
  seq INT,
  transition SYMBOL CAPACITY 16,
  category SYMBOL CAPACITY 16,
  level SYMBOL CAPACITY 16,
  site SYMBOL CAPACITY 1024 CACHE,
  points VARCHAR,
  rule_id SYMBOL CAPACITY 1024 CACHE,
  rule_version VARCHAR,
  title VARCHAR,
  message VARCHAR,
  source VARCHAR,
  value DOUBLE,
  limit_value DOUBLE,
  started_at TIMESTAMP,
  event_ts TIMESTAMP,
  condition_ts TIMESTAMP,
  late BOOLEAN,
  hazard_clause VARCHAR,
  active BOOLEAN,
  state SYMBOL CAPACITY 16,
  by_user VARCHAR,
  assignee VARCHAR,
  disposition SYMBOL CAPACITY 16,
  note VARCHAR,
  evidence VARCHAR,
  alarm_key VARCHAR,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(ts, alarm_id, seq);

-- One row per transition that JetStream acknowledged. ts is the transition's detectedAt (not the ack time), so a
-- second ack of the same transition after a republish upserts the same row. A transition without a row here is
-- republished at start (its Nats-Msg-Id makes JetStream drop it if it had in fact been stored).
CREATE TABLE IF NOT EXISTS alarm_published (
  alarm_id VARCHAR,
  seq INT,
  ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(ts, alarm_id, seq);
