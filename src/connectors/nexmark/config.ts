/**
 * The Nexmark generator's settings and the arithmetic that turns an event number into an event
 * id and an event time.
 *
 * Spec: nexmark/nexmark `nexmark-flink/.../NexmarkConfiguration.java` (defaults) and
 * `generator/GeneratorConfig.java` (`timestampForEvent`, `nextAdjustedEventNumber`,
 * `nextEventNumberForWatermark`), with the rate shapes of `utils/NexmarkUtils.java`. Names
 * follow the Java fields so the two can be read side by side.
 */
import assert from 'node:assert/strict';

export type RateShape = 'square' | 'sine';

export interface NexmarkConfig {
  /** Events to generate in total; the generator stops there. */
  readonly numEvents: number;
  /** Seed of every random draw: the same seed and settings give the same events. */
  readonly seed: number;
  /** Event time of event number 0, ms since the epoch (Flink's source uses the wall clock). */
  readonly baseTimeMs: number;
  /** Event-time rate in events per second: spacing of event times, not emission speed. */
  readonly firstEventRate: number;
  /** When different from firstEventRate, the rate follows `rateShape` between the two. */
  readonly nextEventRate: number;
  readonly rateShape: RateShape;
  /** Period of the whole rate shape, in seconds. */
  readonly ratePeriodSec: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  /** Average encoded sizes that `extra` pads each kind of event to, in bytes. */
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
  /** A bid goes to a hot auction with probability 1 - 1/hotAuctionRatio. */
  readonly hotAuctionRatio: number;
  /** An auction is by a hot seller with probability 1 - 1/hotSellersRatio. */
  readonly hotSellersRatio: number;
  /** A bid is by a hot bidder with probability 1 - 1/hotBiddersRatio. */
  readonly hotBiddersRatio: number;
  /** Auctions likely to be open at once: the range random bids draw from, and auction lengths. */
  readonly numInFlightAuctions: number;
  /** People that random sellers and bidders are drawn from. */
  readonly numActivePeople: number;
  /** Events per out-of-order group; 1 keeps event time monotone. */
  readonly outOfOrderGroupSize: number;
  /** Added to every event number before ids are derived (Flink's table source passes 1). */
  readonly firstEventId: number;
  /** Added to the count of events so far to give the event number (Flink's table source passes 1). */
  readonly firstEventNumber: number;
  /**
   * The reference generator adds FIRST_PERSON_ID to a bid's bidder twice (`BidGenerator.nextBid`),
   * so bidders are offset by 2000 from person ids. True (the default) reproduces that.
   */
  readonly bidderIdQuirk: boolean;
}

/** The reference defaults (NexmarkConfiguration.java), with a fixed seed and base time. */
export const NEXMARK_DEFAULTS: NexmarkConfig = Object.freeze({
  numEvents: 100_000_000,
  seed: 0,
  baseTimeMs: Date.UTC(2024, 0, 1),
  firstEventRate: 10_000,
  nextEventRate: 10_000,
  rateShape: 'square',
  ratePeriodSec: 600,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  hotAuctionRatio: 2,
  hotSellersRatio: 4,
  hotBiddersRatio: 4,
  numInFlightAuctions: 100,
  numActivePeople: 1000,
  outOfOrderGroupSize: 1,
  firstEventId: 1,
  firstEventNumber: 1,
  bidderIdQuirk: true,
});

/** Ids start here so that queries find matches even on small inputs (GeneratorConfig). */
export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
export const NUM_CATEGORIES = 5;

export function nexmarkConfig(overrides: Partial<NexmarkConfig> = {}): NexmarkConfig {
  const c: NexmarkConfig = { ...NEXMARK_DEFAULTS, ...overrides };
  for (const k of ['personProportion', 'auctionProportion', 'bidProportion', 'hotAuctionRatio', 'hotSellersRatio', 'hotBiddersRatio', 'numInFlightAuctions', 'numActivePeople', 'outOfOrderGroupSize'] as const) {
    assert(Number.isInteger(c[k]) && c[k] >= 1, `nexmark: ${k} must be a positive integer, got ${c[k]}`);
  }
  assert(Number.isSafeInteger(c.numEvents) && c.numEvents >= 0, `nexmark: numEvents must be a non-negative integer, got ${c.numEvents}`);
  assert(c.firstEventRate > 0 && c.nextEventRate > 0, 'nexmark: event rates must be positive');
  assert(Number.isSafeInteger(c.baseTimeMs), 'nexmark: baseTimeMs must be an integer');
  return Object.freeze(c);
}

/**
 * The derived quantities of GeneratorConfig. Event numbers count from `firstEventNumber`; the
 * event id of an event (what ids and the event kind derive from) is `firstEventId` plus its
 * adjusted event number.
 */
export class EventTimeline {
  readonly totalProportion: number;
  /** Microseconds between events for each step of the rate shape; one entry when the rate is flat. */
  private readonly interEventDelayUs: readonly number[];
  private readonly stepLengthSec: number;
  private readonly eventsPerEpoch: number;
  private readonly epochPeriodMs: number;

  constructor(readonly config: NexmarkConfig) {
    this.totalProportion = config.personProportion + config.auctionProportion + config.bidProportion;
    this.interEventDelayUs = interEventDelaysUs(config);
    const steps = config.rateShape === 'square' ? 2 : SINE_STEPS;
    this.stepLengthSec = Math.floor((config.ratePeriodSec + steps - 1) / steps);
    let eventsPerEpoch = 0;
    let epochPeriodMs = 0;
    if (this.interEventDelayUs.length > 1) {
      for (const delayUs of this.interEventDelayUs) {
        const n = Math.floor((this.stepLengthSec * 1_000_000) / delayUs);
        eventsPerEpoch += n;
        epochPeriodMs += Math.floor((n * delayUs) / 1000);
      }
    }
    this.eventsPerEpoch = eventsPerEpoch;
    this.epochPeriodMs = epochPeriodMs;
  }

  /** The event number of the event generated after `eventsSoFar` others. */
  eventNumber(eventsSoFar: number): number {
    return this.config.firstEventNumber + eventsSoFar;
  }

  /** The event number shuffled within its out-of-order group (`nextAdjustedEventNumber`). */
  adjustedEventNumber(eventsSoFar: number): number {
    const n = this.config.outOfOrderGroupSize;
    const eventNumber = this.eventNumber(eventsSoFar);
    if (n === 1) return eventNumber;
    const base = Math.floor(eventNumber / n) * n;
    // (eventNumber * 953) % n without leaving exact integer range.
    const offset = ((eventNumber % n) * 953) % n;
    return base + offset;
  }

  /** An event number whose time no later event undercuts (`nextEventNumberForWatermark`). */
  watermarkEventNumber(eventsSoFar: number): number {
    const n = this.config.outOfOrderGroupSize;
    return Math.floor(this.eventNumber(eventsSoFar) / n) * n;
  }

  /** Event time of an event number, ms since the epoch (`timestampForEvent`). */
  timestampForEvent(eventNumber: number): number {
    const delays = this.interEventDelayUs;
    if (delays.length === 1) return this.config.baseTimeMs + Math.floor(Math.floor(eventNumber * delays[0]) / 1000);
    const epoch = Math.floor(eventNumber / this.eventsPerEpoch);
    let n = eventNumber % this.eventsPerEpoch;
    let offsetInEpochMs = 0;
    for (const delayUs of delays) {
      const eventsInStep = Math.floor((this.stepLengthSec * 1_000_000) / delayUs);
      if (n < eventsInStep) {
        return this.config.baseTimeMs + epoch * this.epochPeriodMs + offsetInEpochMs + Math.floor(Math.floor(n * delayUs) / 1000);
      }
      n -= eventsInStep;
      offsetInEpochMs += Math.floor((eventsInStep * delayUs) / 1000);
    }
    throw new Error('nexmark: eventsPerEpoch is inconsistent with the rate steps (a bug)');
  }

  /** The event id of the event generated after `eventsSoFar` others. */
  eventId(eventsSoFar: number): number {
    return this.config.firstEventId + this.adjustedEventNumber(eventsSoFar);
  }
}

const SINE_STEPS = 10;

/**
 * NexmarkUtils.RateShape.interEventDelayUs for one generator. A flat rate keeps the double
 * `1e6 / rate` that GeneratorConfig uses; a shaped rate uses the rounded periods of RateUnit.
 */
function interEventDelaysUs(c: NexmarkConfig): number[] {
  if (c.firstEventRate === c.nextEventRate) return [1_000_000 / c.firstEventRate];
  const periodUs = (rate: number) => Math.floor((1_000_000 + Math.floor(rate / 2)) / rate);
  if (c.rateShape === 'square') return [periodUs(c.firstEventRate), periodUs(c.nextEventRate)];
  const mid = (c.firstEventRate + c.nextEventRate) / 2;
  const amp = (c.firstEventRate - c.nextEventRate) / 2;
  const delays: number[] = [];
  for (let i = 0; i < SINE_STEPS; i++) delays.push(periodUs(Math.round(mid + amp * Math.cos((2 * Math.PI * i) / SINE_STEPS))));
  return delays;
}
