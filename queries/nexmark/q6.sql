-- Nexmark q6: average selling price by seller. For each seller, the average
-- winning price of their last 10 closed auctions. An OVER aggregation over an
-- updating input (the top-1 bid per auction); Flink cannot run it either
-- (FLINK-19059), it is here so the set is complete. Unlike the benchmark's
-- text, the rownum filter sits outside the subquery that defines rownum, and
-- the inner PARTITION BY names the derived table's columns.

CREATE TABLE nexmark_q6 (
  seller BIGINT,
  avg_price BIGINT,
  PRIMARY KEY (seller) NOT ENFORCED
);

INSERT INTO nexmark_q6
SELECT
    Q.seller,
    AVG(Q.price) OVER
        (PARTITION BY Q.seller ORDER BY Q.`dateTime` ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY id, seller ORDER BY price DESC) AS rownum
    FROM (
        SELECT A.id, A.seller, B.price, B.`dateTime`
        FROM auction AS A, bid AS B
        WHERE A.id = B.auction AND B.`dateTime` BETWEEN A.`dateTime` AND A.expires
    )
) AS Q
WHERE Q.rownum <= 1;
