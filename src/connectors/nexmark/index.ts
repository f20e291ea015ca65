/**
 * Nexmark: the benchmark's person/auction/bid event generator, its Avro schemas and a fast
 * encoder into Confluent wire-format records, and the writer that fills three topics.
 */
export { NEXMARK_DEFAULTS, nexmarkConfig, EventTimeline, FIRST_PERSON_ID, FIRST_AUCTION_ID, FIRST_CATEGORY_ID, NUM_CATEGORIES } from './config.ts';
export type { NexmarkConfig, RateShape } from './config.ts';
export { NexmarkGenerator, BATCH_EVENTS_DEFAULT, type EventKind } from './generator.ts';
export { NexmarkBatch, PersonColumns, AuctionColumns, BidColumns } from './columns.ts';
export { buildDictionaries, ByteTable, HOT_CHANNELS, CHANNELS_NUMBER, US_STATES, US_CITIES, type NexmarkDictionaries } from './dictionaries.ts';
export { lastBase0PersonId, lastBase0AuctionId, nextBase0PersonId, nextBase0AuctionId } from './ids.ts';
export { NexmarkRandom } from './random.ts';
export { PERSON_SCHEMA, AUCTION_SCHEMA, BID_SCHEMA, NEXMARK_SCHEMAS, NEXMARK_KINDS, nexmarkTopics, type NexmarkTopicKind } from './avro-schemas.ts';
export { NexmarkEncoder, RecordBuffer, type EncodedRecords, type NexmarkSchemaIds } from './avro-encoder.ts';
export { personRow, auctionRow, bidRow, type PersonRow, type AuctionRow, type BidRow } from './rows.ts';
export { writeNexmark, registerNexmarkSchemas, IN_FLIGHT_MAX_DEFAULT, type NexmarkRecords, type NexmarkRecordSink, type NexmarkProgress, type NexmarkWriteOptions } from './writer.ts';
export { KafkaJsNexmarkSink, TopicClientNexmarkSink, type KafkaJsSinkOptions } from './sinks.ts';
