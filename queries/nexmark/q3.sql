-- Nexmark q3: local item suggestion. Who is selling in Oregon, Idaho or
-- California in category 10, and which auctions: a regular (unbounded) join of
-- auctions with their sellers, plus filters on both sides.

CREATE TABLE nexmark_q3 (
  name VARCHAR,
  city VARCHAR,
  state VARCHAR,
  id BIGINT
);

INSERT INTO nexmark_q3
SELECT
    P.name, P.city, P.state, A.id
FROM
    auction AS A INNER JOIN person AS P ON A.seller = P.id
WHERE
    A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
