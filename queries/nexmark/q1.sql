-- Nexmark q1: currency conversion. Each bid with its price converted from
-- dollars to euros (x 0.908), a simple per-row transformation.

CREATE TABLE nexmark_q1 (
  auction BIGINT,
  bidder BIGINT,
  price DECIMAL(23, 3),
  `dateTime` TIMESTAMP(3),
  extra VARCHAR
);

INSERT INTO nexmark_q1
SELECT
    auction,
    bidder,
    0.908 * price AS price, -- dollars to euros
    `dateTime`,
    extra
FROM bid;
