-- Customer v3: the owner an upload (seed 004) gave (StoreTables.CUSTOMERS).
ALTER TABLE customers ADD COLUMN owner_email VARCHAR;
