-- Nexmark q2: selection. The auction and price of bids on every 123rd
-- auction (a filter that keeps a steady fraction of the stream).

CREATE TABLE nexmark_q2 (
  auction BIGINT,
  price BIGINT
);

INSERT INTO nexmark_q2
SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
