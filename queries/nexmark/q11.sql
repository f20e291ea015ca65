-- Nexmark q11: user sessions. How many bids each bidder made per session,
-- where a session ends after 10 seconds without a bid (legacy GROUP BY
-- SESSION(...) group window with SESSION_START / SESSION_END).

CREATE TABLE nexmark_q11 (
  bidder BIGINT,
  bid_count BIGINT,
  starttime TIMESTAMP(3),
  endtime TIMESTAMP(3)
);

INSERT INTO nexmark_q11
SELECT
    B.bidder,
    count(*) AS bid_count,
    SESSION_START(B.`dateTime`, INTERVAL '10' SECOND) AS starttime,
    SESSION_END(B.`dateTime`, INTERVAL '10' SECOND) AS endtime
FROM bid B
GROUP BY B.bidder, SESSION(B.`dateTime`, INTERVAL '10' SECOND);
