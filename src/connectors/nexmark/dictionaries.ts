/**
 * The fixed value lists of the Nexmark generator, as byte tables so events can refer to them by
 * index: names, cities, states, bid channels with their URLs, and the padding pool for `extra`.
 *
 * Spec: nexmark/nexmark `generator/model/PersonGenerator.java` (US_STATES, US_CITIES,
 * FIRST_NAMES, LAST_NAMES) and `BidGenerator.java` (HOT_CHANNELS, HOT_URLS, CHANNEL_URL_CACHE,
 * `getBaseUrl`). The reference builds the URLs and the padding from unseeded randoms once per
 * JVM; here they come from the seed, so a seed fixes them too.
 */
import { NexmarkRandom } from './random.ts';
import { ByteArena, type ArenaLike, EXTRA_POOL_BYTES, appendNextString, makeExtraPool } from './strings.ts';

/** Strings stored back to back: entry i is bytes[offsets[i] .. offsets[i + 1]). */
export class ByteTable {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  /** The same entries as JavaScript strings, for the slow paths (tests, the DuckDB loader). */
  readonly strings: readonly string[];

  constructor(strings: readonly string[]) {
    this.strings = strings;
    const encoded = strings.map((s) => Buffer.from(s, 'latin1'));
    this.offsets = new Int32Array(strings.length + 1);
    let total = 0;
    encoded.forEach((b, i) => {
      this.offsets[i] = total;
      total += b.length;
    });
    this.offsets[strings.length] = total;
    this.bytes = new Uint8Array(total);
    encoded.forEach((b, i) => this.bytes.set(b, this.offsets[i]));
  }

  get size(): number {
    return this.strings.length;
  }

  byteLength(i: number): number {
    return this.offsets[i + 1] - this.offsets[i];
  }
}

export const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'] as const;
export const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'] as const;
export const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'] as const;
export const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'] as const;
export const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'] as const;
/** Channels other than the hot ones: `channel-0` .. `channel-9999` (CHANNELS_NUMBER). */
export const CHANNELS_NUMBER = 10_000;
/** One bid in HOT_CHANNELS_RATIO is from a random channel, the rest from a hot one. */
export const HOT_CHANNELS_RATIO = 2;

const CHAR_UNDERSCORE = 0x5f;

export interface NexmarkDictionaries {
  /** "First Last" for index first * LAST_NAMES.length + last. */
  readonly names: ByteTable;
  readonly cities: ByteTable;
  readonly states: ByteTable;
  /** Channel index c: 0..3 the hot channels, 4 + i `channel-i`. */
  readonly channels: ByteTable;
  /** The URL of each channel index. */
  readonly urls: ByteTable;
  /** Padding text `extra` values are windows of. */
  readonly extraPool: Uint8Array;
}

/** Java's `Math.abs(Integer.reverse(i))`, including abs(MIN_VALUE) staying negative. */
export function reversedChannelId(i: number): number {
  let x = i >>> 0;
  let r = 0;
  for (let b = 0; b < 32; b++) {
    r = (r << 1) | (x & 1);
    x >>>= 1;
  }
  r |= 0;
  return r === -2147483648 ? r : Math.abs(r);
}

function baseUrl(random: NexmarkRandom, scratch: ArenaLike): string {
  const parts: string[] = [];
  for (let k = 0; k < 3; k++) {
    scratch.length = 0;
    const n = appendNextString(random, 5, CHAR_UNDERSCORE, scratch);
    parts.push(Buffer.from(scratch.bytes.subarray(0, n)).toString('latin1'));
  }
  return `https://www.nexmark.com/${parts.join('/')}/item.htm?query=1`;
}

/** Builds every table for a seed. Takes about 20 ms; the generator builds it once. */
export function buildDictionaries(seed: number): NexmarkDictionaries {
  const names: string[] = [];
  for (const first of FIRST_NAMES) for (const last of LAST_NAMES) names.push(`${first} ${last}`);
  // Separate streams from the event stream, so the tables do not shift the events.
  const urlRandom = new NexmarkRandom(seed ^ 0x5bd1e995);
  const scratch = new ByteArena(16);
  const channelNames: string[] = [...HOT_CHANNELS];
  const urls: string[] = HOT_CHANNELS.map(() => baseUrl(urlRandom, scratch));
  for (let i = 0; i < CHANNELS_NUMBER; i++) {
    let url = baseUrl(urlRandom, scratch);
    if (urlRandom.nextInt(10) > 0) url += `&channel_id=${reversedChannelId(i)}`;
    channelNames.push(`channel-${i}`);
    urls.push(url);
  }
  return Object.freeze({
    names: new ByteTable(names),
    cities: new ByteTable(US_CITIES),
    states: new ByteTable(US_STATES),
    channels: new ByteTable(channelNames),
    urls: new ByteTable(urls),
    extraPool: makeExtraPool(new NexmarkRandom(seed ^ 0x27d4eb2f), EXTRA_POOL_BYTES),
  });
}
