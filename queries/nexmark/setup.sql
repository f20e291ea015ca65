-- Nexmark setup: event time for the three topics the generator fills.
--
-- `runnel nexmark` writes the topics person, auction and bid with Avro value
-- schemas, so they appear as tables without any DDL. The queries use each
-- event's own `dateTime` as event time, with the benchmark's bounded
-- out-of-orderness of 4 seconds, instead of the default watermark on $rowtime.

ALTER TABLE person MODIFY WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND;
ALTER TABLE auction MODIFY WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND;
ALTER TABLE bid MODIFY WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND;
