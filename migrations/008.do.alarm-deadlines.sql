-- The duty room's alarm fields (issue 9), kept in every transition row like the rest of the alarm, so a restart
-- rebuilds them: the raise time the response and repair deadlines count from, the escalation count, the repair
-- overdue flag, and the shelf (until, reason, who, and for a red alarm the approving second person, or the maintenance window that put it up).
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS raised_at TIMESTAMP;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS escalation INT;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS overdue BOOLEAN;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS shelved_until TIMESTAMP;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS shelve_reason VARCHAR;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS shelved_by VARCHAR;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS shelve_approved_by VARCHAR;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS shelf_maintenance VARCHAR;
