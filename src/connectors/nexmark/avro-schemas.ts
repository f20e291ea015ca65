/**
 * Avro value schemas of the three Nexmark topics, registered as `<topic>-value`. Field names are
 * those of the benchmark's Flink DDL (`ddl_gen.sql`), so the queries read them unchanged; event
 * times are `timestamp-millis`. Fields are not nullable: the generator never leaves one empty.
 */
const NAMESPACE = 'io.runnel.nexmark';
const timestampMillis = { type: 'long', logicalType: 'timestamp-millis' } as const;

export const PERSON_SCHEMA = Object.freeze({
  type: 'record',
  name: 'Person',
  namespace: NAMESPACE,
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'emailAddress', type: 'string' },
    { name: 'creditCard', type: 'string' },
    { name: 'city', type: 'string' },
    { name: 'state', type: 'string' },
    { name: 'dateTime', type: timestampMillis },
    { name: 'extra', type: 'string' },
  ],
});

export const AUCTION_SCHEMA = Object.freeze({
  type: 'record',
  name: 'Auction',
  namespace: NAMESPACE,
  fields: [
    { name: 'id', type: 'long' },
    { name: 'itemName', type: 'string' },
    { name: 'description', type: 'string' },
    { name: 'initialBid', type: 'long' },
    { name: 'reserve', type: 'long' },
    { name: 'dateTime', type: timestampMillis },
    { name: 'expires', type: timestampMillis },
    { name: 'seller', type: 'long' },
    { name: 'category', type: 'long' },
    { name: 'extra', type: 'string' },
  ],
});

export const BID_SCHEMA = Object.freeze({
  type: 'record',
  name: 'Bid',
  namespace: NAMESPACE,
  fields: [
    { name: 'auction', type: 'long' },
    { name: 'bidder', type: 'long' },
    { name: 'price', type: 'long' },
    { name: 'channel', type: 'string' },
    { name: 'url', type: 'string' },
    { name: 'dateTime', type: timestampMillis },
    { name: 'extra', type: 'string' },
  ],
});

export type NexmarkTopicKind = 'person' | 'auction' | 'bid';

export const NEXMARK_SCHEMAS: Readonly<Record<NexmarkTopicKind, object>> = Object.freeze({
  person: PERSON_SCHEMA,
  auction: AUCTION_SCHEMA,
  bid: BID_SCHEMA,
});

export const NEXMARK_KINDS: readonly NexmarkTopicKind[] = ['person', 'auction', 'bid'];

/** Topic names for a prefix: `''` gives person, auction, bid; `'nx_'` gives nx_person, ... */
export function nexmarkTopics(prefix = ''): Readonly<Record<NexmarkTopicKind, string>> {
  return Object.freeze({ person: `${prefix}person`, auction: `${prefix}auction`, bid: `${prefix}bid` });
}
