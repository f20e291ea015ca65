/**
 * The Nexmark event generator: persons, auctions and bids in the benchmark's proportions, with
 * ids, hot sellers/bidders/auctions, prices, strings and event times as the reference generator
 * makes them, written into columns (`NexmarkBatch`) instead of objects.
 *
 * Spec: nexmark/nexmark `generator/NexmarkGenerator.java` (`nextEvent`: event number → event id →
 * kind by `eventId % totalProportion`), `model/PersonGenerator.java`, `AuctionGenerator.java`,
 * `BidGenerator.java`. The random stream is ours (seeded), so values differ from a Flink run but
 * follow the same distributions and id arithmetic.
 *
 * @example
 *   const gen = new NexmarkGenerator(nexmarkConfig({ numEvents: 1_000_000, seed: 7 }));
 *   for (let batch = gen.nextBatch(); batch; batch = gen.nextBatch()) use(batch.bids);
 */
import { AuctionColumns, BidColumns, NexmarkBatch, PersonColumns } from './columns.ts';
import { EventTimeline, FIRST_AUCTION_ID, FIRST_CATEGORY_ID, FIRST_PERSON_ID, NUM_CATEGORIES, type NexmarkConfig } from './config.ts';
import { CHANNELS_NUMBER, FIRST_NAMES, HOT_CHANNELS, HOT_CHANNELS_RATIO, LAST_NAMES, US_CITIES, US_STATES, buildDictionaries, type NexmarkDictionaries } from './dictionaries.ts';
import { HOT_AUCTION_BATCH, HOT_BIDDER_BATCH, HOT_SELLER_BATCH, lastBase0AuctionId, lastBase0PersonId, nextBase0AuctionId, nextBase0PersonId } from './ids.ts';
import { NexmarkRandom } from './random.ts';
import { appendNextString, nextExtraLength, nextExtraStart, nextPrice } from './strings.ts';

/** Events per batch unless the caller asks otherwise. */
export const BATCH_EVENTS_DEFAULT = 8192;
const CHAR_SPACE = 0x20;
/** Bytes the reference counts for an auction's numbers (id, prices, times, seller, category). */
const AUCTION_FIXED_BYTES = 8 + 8 + 8 + 8 + 8 + 8;
/** The same for a person's id. */
const PERSON_FIXED_BYTES = 8;
/** The same for a bid (auction, bidder, price, dateTime). */
const BID_FIXED_BYTES = 8 + 8 + 8 + 8;
const CREDIT_CARD_CHARS = 19;

export type EventKind = 'person' | 'auction' | 'bid';

export class NexmarkGenerator {
  readonly timeline: EventTimeline;
  readonly dictionaries: NexmarkDictionaries;
  private readonly random: NexmarkRandom;
  /** Events generated so far (`eventsCountSoFar`). */
  private eventsSoFar = 0;
  /** Events between an auction and the auction numInFlightAuctions later. */
  private readonly eventsForInFlightAuctions: number;

  constructor(readonly config: NexmarkConfig, dictionaries?: NexmarkDictionaries) {
    this.timeline = new EventTimeline(config);
    this.dictionaries = dictionaries ?? buildDictionaries(config.seed);
    this.random = new NexmarkRandom(config.seed);
    this.eventsForInFlightAuctions = Math.floor((config.numInFlightAuctions * this.timeline.totalProportion) / config.auctionProportion);
  }

  /** Events generated so far. */
  get generated(): number {
    return this.eventsSoFar;
  }

  hasNext(): boolean {
    return this.eventsSoFar < this.config.numEvents;
  }

  /** A batch sized for `eventsMax` events and this generator's proportions. */
  newBatch(eventsMax = BATCH_EVENTS_DEFAULT): NexmarkBatch {
    const c = this.config;
    return new NexmarkBatch(eventsMax, { person: c.personProportion, auction: c.auctionProportion, bid: c.bidProportion });
  }

  /**
   * Fills `batch` (reset first) with up to its eventsMax next events; returns null when all
   * numEvents have been generated. A batch may end early when one kind's columns are full.
   */
  nextBatch(batch: NexmarkBatch = this.newBatch()): NexmarkBatch | null {
    if (!this.hasNext()) return null;
    batch.reset();
    batch.firstEventIndex = this.eventsSoFar;
    const c = this.config;
    const t = this.timeline;
    const end = Math.min(c.numEvents, this.eventsSoFar + batch.eventsMax);
    const personLimit = c.personProportion;
    const auctionLimit = c.personProportion + c.auctionProportion;
    while (this.eventsSoFar < end) {
      const adjusted = t.adjustedEventNumber(this.eventsSoFar);
      const eventId = c.firstEventId + adjusted;
      const timestamp = t.timestampForEvent(adjusted);
      const rem = eventId % t.totalProportion;
      if (rem < personLimit) {
        if (batch.persons.length === batch.persons.capacity) break;
        this.nextPerson(batch.persons, batch, eventId, timestamp);
      } else if (rem < auctionLimit) {
        if (batch.auctions.length === batch.auctions.capacity) break;
        this.nextAuction(batch.auctions, batch, eventId, timestamp);
      } else {
        if (batch.bids.length === batch.bids.capacity) break;
        this.nextBid(batch.bids, eventId, timestamp);
      }
      this.eventsSoFar++;
    }
    batch.events = this.eventsSoFar - batch.firstEventIndex;
    batch.watermarkMs = t.timestampForEvent(t.watermarkEventNumber(this.eventsSoFar));
    return batch;
  }

  /** The kind of the event generated after `eventsSoFar` others (for tests and tools). */
  kindOf(eventsSoFar: number): EventKind {
    const rem = this.timeline.eventId(eventsSoFar) % this.timeline.totalProportion;
    if (rem < this.config.personProportion) return 'person';
    return rem < this.config.personProportion + this.config.auctionProportion ? 'auction' : 'bid';
  }

  private nextPerson(out: PersonColumns, batch: NexmarkBatch, eventId: number, timestamp: number): void {
    const c = this.config;
    const random = this.random;
    const d = this.dictionaries;
    const i = out.length++;
    out.id[i] = lastBase0PersonId(c, eventId) + FIRST_PERSON_ID;
    out.dateTime[i] = timestamp;
    const name = random.nextInt(FIRST_NAMES.length) * LAST_NAMES.length + random.nextInt(LAST_NAMES.length);
    out.name[i] = name;
    // email: nextString(7) + "@" + nextString(5) + ".com"
    const arena = batch.arena;
    const emailStart = arena.length;
    appendNextString(random, 7, CHAR_SPACE, arena);
    arena.reserve(1);
    arena.bytes[arena.length++] = 0x40; // '@'
    appendNextString(random, 5, CHAR_SPACE, arena);
    arena.reserve(4);
    arena.bytes[arena.length++] = 0x2e; // ".com"
    arena.bytes[arena.length++] = 0x63;
    arena.bytes[arena.length++] = 0x6f;
    arena.bytes[arena.length++] = 0x6d;
    out.emailStart[i] = emailStart;
    out.emailLength[i] = arena.length - emailStart;
    for (let k = 0; k < 4; k++) out.creditCard[i * 4 + k] = random.nextInt(10_000);
    const city = random.nextInt(US_CITIES.length);
    const state = random.nextInt(US_STATES.length);
    out.city[i] = city;
    out.state[i] = state;
    const size = PERSON_FIXED_BYTES + d.names.byteLength(name) + out.emailLength[i] + CREDIT_CARD_CHARS + d.cities.byteLength(city) + d.states.byteLength(state);
    this.extra(out.extraStart, out.extraLength, i, size, c.avgPersonByteSize);
  }

  private nextAuction(out: AuctionColumns, batch: NexmarkBatch, eventId: number, timestamp: number): void {
    const c = this.config;
    const random = this.random;
    const i = out.length++;
    out.id[i] = lastBase0AuctionId(c, eventId) + FIRST_AUCTION_ID;
    // P(hot seller) = 1 - 1/hotSellersRatio: the first person of the last batch of 100.
    const seller =
      random.nextInt(c.hotSellersRatio) > 0
        ? Math.floor(lastBase0PersonId(c, eventId) / HOT_SELLER_BATCH) * HOT_SELLER_BATCH
        : nextBase0PersonId(c, eventId, random);
    out.seller[i] = seller + FIRST_PERSON_ID;
    out.category[i] = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
    const initialBid = nextPrice(random);
    out.initialBid[i] = initialBid;
    out.dateTime[i] = timestamp;
    out.expires[i] = timestamp + this.nextAuctionLengthMs(timestamp);
    const arena = batch.arena;
    out.itemNameStart[i] = arena.length;
    out.itemNameLength[i] = appendNextString(random, 20, CHAR_SPACE, arena);
    out.descriptionStart[i] = arena.length;
    out.descriptionLength[i] = appendNextString(random, 100, CHAR_SPACE, arena);
    out.reserve[i] = initialBid + nextPrice(random);
    const size = AUCTION_FIXED_BYTES + out.itemNameLength[i] + out.descriptionLength[i];
    this.extra(out.extraStart, out.extraLength, i, size, c.avgAuctionByteSize);
  }

  /**
   * An auction lasts on average until numInFlightAuctions more auctions have started: uniform in
   * [1, 2 * horizon] ms (`nextAuctionLengthMs`).
   */
  private nextAuctionLengthMs(timestamp: number): number {
    const current = this.timeline.adjustedEventNumber(this.eventsSoFar);
    const futureAuctionMs = this.timeline.timestampForEvent(current + this.eventsForInFlightAuctions);
    const horizonMs = futureAuctionMs - timestamp;
    return 1 + this.random.nextInt(Math.max(horizonMs * 2, 1));
  }

  private nextBid(out: BidColumns, eventId: number, timestamp: number): void {
    const c = this.config;
    const random = this.random;
    const i = out.length++;
    // P(hot auction) = 1 - 1/hotAuctionRatio: the first auction of the last batch of 100.
    const auction =
      random.nextInt(c.hotAuctionRatio) > 0
        ? Math.floor(lastBase0AuctionId(c, eventId) / HOT_AUCTION_BATCH) * HOT_AUCTION_BATCH
        : nextBase0AuctionId(c, eventId, random);
    out.auction[i] = auction + FIRST_AUCTION_ID;
    // P(hot bidder) = 1 - 1/hotBiddersRatio: the second person of the last batch of 100, so that
    // hot bidders and hot sellers differ.
    const bidder =
      random.nextInt(c.hotBiddersRatio) > 0
        ? Math.floor(lastBase0PersonId(c, eventId) / HOT_BIDDER_BATCH) * HOT_BIDDER_BATCH + 1
        : nextBase0PersonId(c, eventId, random);
    out.bidder[i] = bidder + FIRST_PERSON_ID + (c.bidderIdQuirk ? FIRST_PERSON_ID : 0);
    out.price[i] = nextPrice(random);
    out.channel[i] =
      random.nextInt(HOT_CHANNELS_RATIO) > 0 ? random.nextInt(HOT_CHANNELS.length) : HOT_CHANNELS.length + random.nextInt(CHANNELS_NUMBER);
    out.dateTime[i] = timestamp;
    this.extra(out.extraStart, out.extraLength, i, BID_FIXED_BYTES, c.avgBidByteSize);
  }

  private extra(starts: Int32Array, lengths: Int32Array, i: number, currentSize: number, averageSize: number): void {
    if (currentSize > averageSize) {
      starts[i] = 0;
      lengths[i] = 0;
      return;
    }
    const length = nextExtraLength(this.random, currentSize, averageSize);
    starts[i] = nextExtraStart(this.random, length, this.dictionaries.extraPool.length);
    lengths[i] = length;
  }
}
