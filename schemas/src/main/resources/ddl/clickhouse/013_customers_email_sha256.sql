-- Customer v2: the salted hash of the email, which outlives a delete's scrub (StoreTables.CUSTOMERS).
ALTER TABLE {database}.customers ADD COLUMN email_sha256 Nullable(String);
