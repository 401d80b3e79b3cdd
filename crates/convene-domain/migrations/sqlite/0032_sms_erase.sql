-- The texts and phone numbers of SMS conversations are erased a week after the
-- message was received, or sent and settled (as the e-mail outbox does); the row
-- stays, with its keyed phone hash and outcome, so that counts and the gateway's
-- retry check still hold.
ALTER TABLE sms_inbound ADD COLUMN erased_at INTEGER;
ALTER TABLE sms_outbound ADD COLUMN erased_at INTEGER;
CREATE INDEX sms_inbound_received ON sms_inbound(received_at);
CREATE INDEX sms_outbound_updated ON sms_outbound(updated_at);
