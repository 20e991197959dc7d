-- Customer v3: the owner an upload (seed 004) gave (StoreTables.CUSTOMERS).
ALTER TABLE {database}.customers ADD COLUMN owner_email Nullable(String);
