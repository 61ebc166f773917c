CREATE TABLE {{tables.coupons}} (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE,
    percent_off smallint NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    valid_from timestamptz NOT NULL,
    valid_until timestamptz NOT NULL,
    CHECK (valid_until > valid_from)
);
CREATE INDEX coupons_valid_until_idx ON {{tables.coupons}} (valid_until);
