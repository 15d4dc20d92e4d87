-- The predicted time an early warning names (SL-2: the slope's forecast failure time), kept with the transition
-- so a republish after a restart and the alarm history carry it like the live message did.
ALTER TABLE alarm_transitions ADD COLUMN IF NOT EXISTS predicted_at TIMESTAMP;
