import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import {
  AUCTION_SCHEMA,
  BID_SCHEMA,
  EventTimeline,
  NexmarkEncoder,
  NexmarkGenerator,
  NexmarkRandom,
  PERSON_SCHEMA,
  auctionRow,
  bidRow,
  nexmarkConfig,
  personRow,
  type AuctionRow,
  type BidRow,
  type NexmarkConfig,
  type PersonRow,
} from '../../src/connectors/nexmark/index.ts';
import { reversedChannelId } from '../../src/connectors/nexmark/dictionaries.ts';

interface Generated {
  persons: PersonRow[];
  auctions: AuctionRow[];
  bids: BidRow[];
  /** Kind of each event in generation order. */
  kinds: string[];
}

function generate(overrides: Partial<NexmarkConfig>): Generated {
  const gen = new NexmarkGenerator(nexmarkConfig(overrides));
  const out: Generated = { persons: [], auctions: [], bids: [], kinds: [] };
  for (let k = 0; k < gen.config.numEvents; k++) out.kinds.push(gen.kindOf(k));
  for (let batch = gen.nextBatch(); batch; batch = gen.nextBatch()) {
    for (let i = 0; i < batch.persons.length; i++) out.persons.push(personRow(batch, gen.dictionaries, i));
    for (let i = 0; i < batch.auctions.length; i++) out.auctions.push(auctionRow(batch, gen.dictionaries, i));
    for (let i = 0; i < batch.bids.length; i++) out.bids.push(bidRow(batch, gen.dictionaries, i));
  }
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

const base = generate({ numEvents: 100_000, seed: 11, firstEventRate: 1000, nextEventRate: 1000 });

describe('NexmarkRandom', () => {
  it('is deterministic by seed and uniform enough', () => {
    const a = new NexmarkRandom(5);
    const b = new NexmarkRandom(5);
    const c = new NexmarkRandom(6);
    const xs = Array.from({ length: 1000 }, () => a.nextUint32());
    expect(Array.from({ length: 1000 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.nextUint32())).not.toEqual(xs);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[a.nextInt(10)]++;
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 10_000; i++) {
      const d = a.nextDouble();
      expect(d >= 0 && d < 1).toBe(true);
    }
  });
});

describe('Nexmark generator', () => {
  it('generates persons, auctions and bids 1:3:46 in every 50 events', () => {
    expect(base.persons.length).toBe(2000);
    expect(base.auctions.length).toBe(6000);
    expect(base.bids.length).toBe(92_000);
    for (let from = 0; from + 50 <= base.kinds.length; from += 50) {
      const window = base.kinds.slice(from, from + 50);
      expect(window.filter((k) => k === 'person').length).toBe(1);
      expect(window.filter((k) => k === 'auction').length).toBe(3);
    }
    // Flink's table source starts at event id 2 (firstEventId = firstEventNumber = 1): two auctions first.
    expect(base.kinds.slice(0, 3)).toEqual(['auction', 'auction', 'bid']);
  });

  it('numbers persons and auctions consecutively from the first ids', () => {
    base.persons.forEach((p, i) => expect(p.id).toBe(1001 + i));
    base.auctions.forEach((a, i) => expect(a.id).toBe(1001 + i));
  });

  it('picks hot auctions, bidders and sellers in the configured ratios', () => {
    const hotAuctions = base.bids.filter((b) => (b.auction - 1000) % 100 === 0).length / base.bids.length;
    // 1 - 1/hotAuctionRatio hot, plus random picks that land on a batch's first auction.
    expect(hotAuctions).toBeGreaterThan(0.49);
    expect(hotAuctions).toBeLessThan(0.53);
    // The bidder carries the reference's double FIRST_PERSON_ID offset.
    const hotBidders = base.bids.filter((b) => (b.bidder - 2000) % 100 === 1).length / base.bids.length;
    expect(hotBidders).toBeGreaterThan(0.74);
    expect(hotBidders).toBeLessThan(0.78);
    const hotSellers = base.auctions.filter((a) => (a.seller - 1000) % 100 === 0).length / base.auctions.length;
    expect(hotSellers).toBeGreaterThan(0.73);
    expect(hotSellers).toBeLessThan(0.78);
  });

  it('draws random auctions and people from the in-flight and active ranges', () => {
    let lastAuction = 1000;
    let lastPerson = 1000;
    const gen = new NexmarkGenerator(nexmarkConfig({ numEvents: 50_000, seed: 3, bidderIdQuirk: false }));
    for (let batch = gen.nextBatch(); batch; batch = gen.nextBatch()) {
      // Within a batch kinds interleave; bound by the batch's last ids plus the leads.
      const maxAuction = Math.max(lastAuction, ...batch.auctions.id.subarray(0, batch.auctions.length));
      const maxPerson = Math.max(lastPerson, ...batch.persons.id.subarray(0, batch.persons.length));
      for (let i = 0; i < batch.bids.length; i++) {
        expect(batch.bids.auction[i]).toBeGreaterThanOrEqual(Math.max(1000, lastAuction - 100));
        expect(batch.bids.auction[i]).toBeLessThanOrEqual(maxAuction + 10);
        expect(batch.bids.bidder[i]).toBeGreaterThanOrEqual(Math.max(1000, lastPerson - 1000));
        expect(batch.bids.bidder[i]).toBeLessThanOrEqual(maxPerson + 10);
      }
      lastAuction = maxAuction;
      lastPerson = maxPerson;
    }
  });

  it('draws log-uniform prices between 1 and 1,000,000 dollars', () => {
    const prices = base.bids.map((b) => b.price);
    expect(Math.min(...prices)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...prices)).toBeLessThanOrEqual(100_000_000);
    const below = (x: number) => prices.filter((p) => p < x).length / prices.length;
    expect(below(100_000)).toBeCloseTo(0.5, 1); // 10^(6 * 0.5) * 100
    expect(below(1000)).toBeCloseTo(1 / 6, 1);
    base.auctions.forEach((a) => expect(a.reserve).toBeGreaterThan(a.initialBid));
  });

  it('fills the other fields from the reference value lists', () => {
    const states = new Set(base.persons.map((p) => p.state));
    expect([...states].sort()).toEqual(['AZ', 'CA', 'ID', 'OR', 'WA', 'WY']);
    for (const p of base.persons) {
      expect(p.creditCard).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      expect(p.emailAddress).toMatch(/^[a-z ]*@[a-z ]*\.com$/);
      expect(p.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    }
    const categories = new Set(base.auctions.map((a) => a.category));
    expect([...categories].sort()).toEqual([10, 11, 12, 13, 14]);
    base.auctions.forEach((a) => expect(a.expires).toBeGreaterThan(a.dateTime));
    const hot = base.bids.filter((b) => ['Google', 'Facebook', 'Baidu', 'Apple'].includes(b.channel)).length / base.bids.length;
    expect(hot).toBeCloseTo(0.5, 1);
    const others = base.bids.filter((b) => b.channel.startsWith('channel-'));
    const withId = others.filter((b) => /&channel_id=-?\d+$/.test(b.url)).length / others.length;
    expect(withId).toBeGreaterThan(0.85);
    expect(withId).toBeLessThan(0.95);
    for (const b of base.bids) expect(b.url).toMatch(/^https:\/\/www\.nexmark\.com\/[a-z_]+\/[a-z_]+\/[a-z_]+\/item\.htm\?query=1/);
    expect(reversedChannelId(0)).toBe(0);
    expect(reversedChannelId(2)).toBe(1073741824);
    expect(reversedChannelId(1)).toBe(-2147483648); // Math.abs(Integer.MIN_VALUE) stays negative in Java
  });

  it('pads extra so that events average the configured sizes', () => {
    // nextInt(2 * delta) never reaches 2 * delta, so bids average half a byte short, as in the reference.
    expect(mean(base.bids.map((b) => 32 + b.extra.length))).toBeGreaterThan(99);
    expect(mean(base.bids.map((b) => 32 + b.extra.length))).toBeLessThan(100.5);
    expect(mean(base.auctions.map((a) => 48 + a.itemName.length + a.description.length + a.extra.length))).toBeGreaterThan(495);
    expect(mean(base.auctions.map((a) => 48 + a.itemName.length + a.description.length + a.extra.length))).toBeLessThan(505);
    const personSize = base.persons.map((p) => 8 + p.name.length + p.emailAddress.length + p.creditCard.length + p.city.length + p.state.length + p.extra.length);
    expect(mean(personSize)).toBeGreaterThan(197);
    expect(mean(personSize)).toBeLessThan(203);
    for (const b of base.bids) expect(b.extra.length).toBeGreaterThanOrEqual(54);
    for (const b of base.bids) expect(b.extra.length).toBeLessThanOrEqual(81);
  });

  it('spaces event times by the event rate, monotone without out-of-order groups', () => {
    // 1000 events/s from event number 1: event k (0-based) at base + floor((k + 1) * 1000 us / 1000).
    const gen = new NexmarkGenerator(nexmarkConfig({ numEvents: 5000, seed: 1, firstEventRate: 1000, nextEventRate: 1000 }));
    const times: number[] = [];
    const all = generate({ numEvents: 5000, seed: 1, firstEventRate: 1000, nextEventRate: 1000 });
    let p = 0;
    let a = 0;
    let b = 0;
    for (const kind of all.kinds) times.push(kind === 'person' ? all.persons[p++].dateTime : kind === 'auction' ? all.auctions[a++].dateTime : all.bids[b++].dateTime);
    times.forEach((t, k) => expect(t).toBe(gen.config.baseTimeMs + k + 1));
    // Square rate shape: 10 s at 1000/s then 10 s at 100/s, repeating.
    const shaped = new EventTimeline(nexmarkConfig({ firstEventRate: 1000, nextEventRate: 100, ratePeriodSec: 20 }));
    expect(shaped.timestampForEvent(10_000) - shaped.config.baseTimeMs).toBe(10_000);
    expect(shaped.timestampForEvent(10_500) - shaped.config.baseTimeMs).toBe(15_000);
    expect(shaped.timestampForEvent(11_000) - shaped.config.baseTimeMs).toBe(20_000);
  });

  it('keeps out-of-order events within their group and above the watermark', () => {
    const n = 100;
    const gen = new NexmarkGenerator(nexmarkConfig({ numEvents: 20_000, seed: 2, firstEventRate: 1000, nextEventRate: 1000, outOfOrderGroupSize: n }));
    let previousWatermark = -Infinity;
    let disorder = 0;
    for (let batch = gen.nextBatch(gen.newBatch(1000)); batch; batch = gen.nextBatch(gen.newBatch(1000))) {
      const times = [...batch.persons.dateTime.subarray(0, batch.persons.length), ...batch.auctions.dateTime.subarray(0, batch.auctions.length), ...batch.bids.dateTime.subarray(0, batch.bids.length)];
      for (const t of times) expect(t).toBeGreaterThanOrEqual(previousWatermark);
      for (let i = 1; i < batch.bids.length; i++) if (batch.bids.dateTime[i] < batch.bids.dateTime[i - 1]) disorder++;
      previousWatermark = batch.watermarkMs;
    }
    expect(disorder).toBeGreaterThan(0);
    // Every event number appears once: ids stay consecutive.
    const ids = generate({ numEvents: 20_000, seed: 2, outOfOrderGroupSize: n }).auctions.map((a) => a.id).sort((x, y) => x - y);
    ids.forEach((id, i) => expect(id).toBe(1001 + i));
  });

  it('is deterministic by seed', () => {
    const again = generate({ numEvents: 100_000, seed: 11, firstEventRate: 1000, nextEventRate: 1000 });
    expect(again.bids.slice(0, 2000)).toEqual(base.bids.slice(0, 2000));
    expect(again.persons).toEqual(base.persons);
    const other = generate({ numEvents: 5000, seed: 12, firstEventRate: 1000, nextEventRate: 1000 });
    expect(other.bids.slice(0, 100)).not.toEqual(base.bids.slice(0, 100));
  });

  it('encodes records that avsc decodes to the generated rows', () => {
    const gen = new NexmarkGenerator(nexmarkConfig({ numEvents: 20_000, seed: 9 }));
    const encoder = new NexmarkEncoder(gen.dictionaries, { person: 7, auction: 8, bid: 300 });
    const types = {
      person: avro.Type.forSchema(PERSON_SCHEMA as avro.Schema),
      auction: avro.Type.forSchema(AUCTION_SCHEMA as avro.Schema),
      bid: avro.Type.forSchema(BID_SCHEMA as avro.Schema),
    };
    const asMillis = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : v]));
    let checked = 0;
    for (let batch = gen.nextBatch(); batch; batch = gen.nextBatch()) {
      encoder.encode(batch);
      const cases = [
        ['person', encoder.persons, 7, (i: number) => personRow(batch, gen.dictionaries, i)],
        ['auction', encoder.auctions, 8, (i: number) => auctionRow(batch, gen.dictionaries, i)],
        ['bid', encoder.bids, 300, (i: number) => bidRow(batch, gen.dictionaries, i)],
      ] as const;
      for (const [kind, records, schemaId, row] of cases) {
        for (let i = 0; i < records.count; i++) {
          const bytes = records.recordView(i);
          expect(bytes[0]).toBe(0);
          expect(bytes.readInt32BE(1)).toBe(schemaId);
          const decoded = types[kind].fromBuffer(bytes.subarray(5)) as Record<string, unknown>;
          expect(asMillis(decoded)).toEqual(row(i));
          expect(records.timestamps[i]).toBe(row(i).dateTime);
          checked++;
        }
      }
    }
    expect(checked).toBe(20_000);
  });
});
