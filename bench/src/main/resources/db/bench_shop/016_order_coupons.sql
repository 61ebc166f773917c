CREATE TABLE {{tables.order_coupons}} (
    order_id bigint NOT NULL REFERENCES {{tables.orders}} (id) ON DELETE CASCADE,
    coupon_id integer NOT NULL REFERENCES {{tables.coupons}} (id),
    PRIMARY KEY (order_id, coupon_id)
);
CREATE INDEX order_coupons_coupon_id_idx ON {{tables.order_coupons}} (coupon_id);
