/**
 * Nexmark events for DatagenSource (`quickstart=nexmark`): persons, auctions and bids from the
 * Nexmark generator (`../nexmark`) into `<kafka.topic>person`, `<kafka.topic>auction` and
 * `<kafka.topic>bid` (with `kafka.topic=nexmark.`: `nexmark.person`, ...), as Connect structs
 * keyed by person and auction id. Offsets count events; the generator is deterministic for a
 * seed, so a restart regenerates up to the committed event and continues from there.
 */
import { NexmarkGenerator, auctionRow, bidRow, nexmarkConfig, personRow, nexmarkTopics, type NexmarkBatch } from '../nexmark/index.ts';
import type { SourceRecord } from '../api.ts';
import { Schemas } from '../data.ts';

const ts = Schemas.timestamp();
const personSchema = Schemas.struct('nexmark.Person', [
  Schemas.field('id', Schemas.int64()),
  Schemas.field('name', Schemas.string()),
  Schemas.field('emailAddress', Schemas.string()),
  Schemas.field('creditCard', Schemas.string()),
  Schemas.field('city', Schemas.string()),
  Schemas.field('state', Schemas.string()),
  Schemas.field('dateTime', ts),
  Schemas.field('extra', Schemas.string()),
]);
const auctionSchema = Schemas.struct('nexmark.Auction', [
  Schemas.field('id', Schemas.int64()),
  Schemas.field('itemName', Schemas.string()),
  Schemas.field('description', Schemas.string()),
  Schemas.field('initialBid', Schemas.int64()),
  Schemas.field('reserve', Schemas.int64()),
  Schemas.field('dateTime', ts),
  Schemas.field('expires', ts),
  Schemas.field('seller', Schemas.int64()),
  Schemas.field('category', Schemas.int64()),
  Schemas.field('extra', Schemas.string()),
]);
const bidSchema = Schemas.struct('nexmark.Bid', [
  Schemas.field('auction', Schemas.int64()),
  Schemas.field('bidder', Schemas.int64()),
  Schemas.field('price', Schemas.int64()),
  Schemas.field('channel', Schemas.string()),
  Schemas.field('url', Schemas.string()),
  Schemas.field('dateTime', ts),
  Schemas.field('extra', Schemas.string()),
]);
const idKey = Schemas.int64();

export class NexmarkStream {
  private readonly gen: NexmarkGenerator;
  private readonly topics: Readonly<Record<'person' | 'auction' | 'bid', string>>;

  constructor(
    prefix: string,
    seed: number,
    numEvents: number,
    private readonly partition: Readonly<Record<string, unknown>>,
  ) {
    this.gen = new NexmarkGenerator(nexmarkConfig({ seed, numEvents: numEvents < 0 ? Number.MAX_SAFE_INTEGER : numEvents }));
    this.topics = nexmarkTopics(prefix);
  }

  /** Regenerates (and drops) events up to `events`, where a previous run committed. */
  skipTo(events: number, batchEvents: number): void {
    while (this.gen.generated < events && this.gen.hasNext()) this.gen.nextBatch(this.gen.newBatch(Math.min(batchEvents, events - this.gen.generated)));
  }

  /** The next batch of up to `events` events as source records, or null when done. */
  next(events: number): SourceRecord[] | null {
    const batch: NexmarkBatch | null = this.gen.nextBatch(this.gen.newBatch(events));
    if (batch === null) return null;
    const d = this.gen.dictionaries;
    const offset = { event: this.gen.generated };
    const out: SourceRecord[] = [];
    for (let i = 0; i < batch.persons.length; i++) {
      const value = personRow(batch, d, i);
      out.push({ topic: this.topics.person, keySchema: idKey, key: value.id, valueSchema: personSchema, value, timestamp: value.dateTime, sourcePartition: this.partition, sourceOffset: offset });
    }
    for (let i = 0; i < batch.auctions.length; i++) {
      const value = auctionRow(batch, d, i);
      out.push({ topic: this.topics.auction, keySchema: idKey, key: value.id, valueSchema: auctionSchema, value, timestamp: value.dateTime, sourcePartition: this.partition, sourceOffset: offset });
    }
    for (let i = 0; i < batch.bids.length; i++) {
      const value = bidRow(batch, d, i);
      out.push({ topic: this.topics.bid, keySchema: null, key: null, valueSchema: bidSchema, value, timestamp: value.dateTime, sourcePartition: this.partition, sourceOffset: offset });
    }
    return out;
  }
}
