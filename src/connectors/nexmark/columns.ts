/**
 * Generated events in columns: one struct of typed arrays per event kind, filled by the generator
 * and read by the Avro encoder and the DuckDB loader. Numbers that are BIGINT in SQL (ids,
 * prices, times in ms) are float64, exact up to 2^53. Strings are either an index into a
 * dictionary table (names, cities, states, channels, URLs), a window of the shared padding pool
 * (`extra`), or bytes in the batch's arena (emails, item names, descriptions).
 */
import { ByteArena } from './strings.ts';

export class PersonColumns {
  length = 0;
  readonly id: Float64Array;
  readonly dateTime: Float64Array;
  /** Index into NexmarkDictionaries.names. */
  readonly name: Int32Array;
  readonly emailStart: Int32Array;
  readonly emailLength: Int32Array;
  /** The four 4-digit groups of the card number, four entries per person. */
  readonly creditCard: Uint16Array;
  readonly city: Int32Array;
  readonly state: Int32Array;
  readonly extraStart: Int32Array;
  readonly extraLength: Int32Array;

  constructor(readonly capacity: number) {
    this.id = new Float64Array(capacity);
    this.dateTime = new Float64Array(capacity);
    this.name = new Int32Array(capacity);
    this.emailStart = new Int32Array(capacity);
    this.emailLength = new Int32Array(capacity);
    this.creditCard = new Uint16Array(capacity * 4);
    this.city = new Int32Array(capacity);
    this.state = new Int32Array(capacity);
    this.extraStart = new Int32Array(capacity);
    this.extraLength = new Int32Array(capacity);
  }
}

export class AuctionColumns {
  length = 0;
  readonly id: Float64Array;
  readonly itemNameStart: Int32Array;
  readonly itemNameLength: Int32Array;
  readonly descriptionStart: Int32Array;
  readonly descriptionLength: Int32Array;
  readonly initialBid: Float64Array;
  readonly reserve: Float64Array;
  readonly dateTime: Float64Array;
  readonly expires: Float64Array;
  readonly seller: Float64Array;
  readonly category: Int32Array;
  readonly extraStart: Int32Array;
  readonly extraLength: Int32Array;

  constructor(readonly capacity: number) {
    this.id = new Float64Array(capacity);
    this.itemNameStart = new Int32Array(capacity);
    this.itemNameLength = new Int32Array(capacity);
    this.descriptionStart = new Int32Array(capacity);
    this.descriptionLength = new Int32Array(capacity);
    this.initialBid = new Float64Array(capacity);
    this.reserve = new Float64Array(capacity);
    this.dateTime = new Float64Array(capacity);
    this.expires = new Float64Array(capacity);
    this.seller = new Float64Array(capacity);
    this.category = new Int32Array(capacity);
    this.extraStart = new Int32Array(capacity);
    this.extraLength = new Int32Array(capacity);
  }
}

export class BidColumns {
  length = 0;
  readonly auction: Float64Array;
  readonly bidder: Float64Array;
  readonly price: Float64Array;
  /** Index into NexmarkDictionaries.channels and .urls. */
  readonly channel: Int32Array;
  readonly dateTime: Float64Array;
  readonly extraStart: Int32Array;
  readonly extraLength: Int32Array;

  constructor(readonly capacity: number) {
    this.auction = new Float64Array(capacity);
    this.bidder = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.channel = new Int32Array(capacity);
    this.dateTime = new Float64Array(capacity);
    this.extraStart = new Int32Array(capacity);
    this.extraLength = new Int32Array(capacity);
  }
}

/** The events of one `nextBatch` call, split by kind, each kind in generation order. */
export class NexmarkBatch {
  readonly persons: PersonColumns;
  readonly auctions: AuctionColumns;
  readonly bids: BidColumns;
  /** Emails, item names and descriptions of this batch. */
  readonly arena = new ByteArena();
  /** Events in the batch, all kinds. */
  events = 0;
  /** Count of events generated before this batch. */
  firstEventIndex = 0;
  /** No event after this batch has an event time below this (ms). */
  watermarkMs = 0;

  /** Room for `eventsMax` events of any mix the proportions allow. */
  constructor(readonly eventsMax: number, proportions: { person: number; auction: number; bid: number }) {
    const total = proportions.person + proportions.auction + proportions.bid;
    const epochs = Math.ceil(eventsMax / total) + 1;
    this.persons = new PersonColumns(Math.min(eventsMax, epochs * proportions.person));
    this.auctions = new AuctionColumns(Math.min(eventsMax, epochs * proportions.auction));
    this.bids = new BidColumns(Math.min(eventsMax, epochs * proportions.bid));
  }

  reset(): void {
    this.persons.length = 0;
    this.auctions.length = 0;
    this.bids.length = 0;
    this.arena.reset();
    this.events = 0;
  }
}
