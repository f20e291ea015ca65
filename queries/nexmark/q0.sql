-- Nexmark q0: pass-through. Copies every bid to the output unchanged; measures
-- the cost of reading, decoding, encoding and writing with no real work.

CREATE TABLE nexmark_q0 (
  auction BIGINT,
  bidder BIGINT,
  price BIGINT,
  `dateTime` TIMESTAMP(3),
  extra VARCHAR
);

INSERT INTO nexmark_q0
SELECT auction, bidder, price, `dateTime`, extra FROM bid;
