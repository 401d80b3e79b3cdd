-- The audit head is keyed: an HMAC (with the audit key) over its sequence number and
-- hash, so that rewriting it after deleting the newest entries needs the key.
-- Filled in from the key at the first start after this migration.
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
