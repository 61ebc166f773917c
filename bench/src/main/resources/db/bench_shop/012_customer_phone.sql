ALTER TABLE {{tables.customers}}
    ADD COLUMN phone text,
    ADD COLUMN marketing_opt_in boolean NOT NULL DEFAULT false;
CREATE INDEX customers_phone_idx ON {{tables.customers}} (phone) WHERE phone IS NOT NULL;
