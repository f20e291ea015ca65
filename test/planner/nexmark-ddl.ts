/** The Nexmark person, auction and bid tables as planner tests declare them (4 s watermark delay). */
export const NEXMARK_DDL = `
CREATE TABLE person (id BIGINT, name STRING, emailAddress STRING, creditCard STRING, city STRING, state STRING, \`dateTime\` TIMESTAMP(3), extra STRING,
  WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND);
CREATE TABLE auction (id BIGINT, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT, \`dateTime\` TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra STRING,
  WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND);
CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, \`dateTime\` TIMESTAMP(3), extra STRING,
  WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND);
`;
