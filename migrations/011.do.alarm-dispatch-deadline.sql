-- The dispatch deadline (POST /v1/alarms/{id}/dispatch `deadline`), kept in every transition row like the rest of
-- the alarm, so a restart rebuilds it and its timer: by when the assignee is to have verified on site, and whether
-- it passed while the alarm was still dispatched (verification_overdue). Rows written before stay null: no deadline.
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS dispatch_deadline TIMESTAMP;
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS verification_overdue BOOLEAN;
