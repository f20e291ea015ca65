/**
 * The shapes of Confluent's Datagen quickstarts (`orders`, `users`, `pageviews`), with their
 * default key fields. Values are a pure function of (seed, iteration), so a restarted task that
 * resumes at an iteration emits exactly the records it would have emitted.
 */
import type { ConnectSchema } from '../data.ts';
import { Schemas } from '../data.ts';

export interface Quickstart {
  readonly name: string;
  readonly keyField: string;
  readonly schema: ConnectSchema;
  row(iteration: number, random: () => number): Record<string, unknown>;
}

const int = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
/** A fixed start so generated timestamps do not depend on the wall clock. */
const epochStartMs = 1_500_000_000_000;

const cities = ['City_1', 'City_2', 'City_3', 'City_4', 'City_5', 'City_6', 'City_7', 'City_8', 'City_9'];
const states = ['State_1', 'State_2', 'State_3', 'State_4', 'State_5', 'State_6', 'State_7', 'State_8', 'State_9'];

const address = Schemas.struct('ksql.address', [Schemas.field('city', Schemas.string()), Schemas.field('state', Schemas.string()), Schemas.field('zipcode', Schemas.int64())]);

export const quickstarts: Readonly<Record<string, Quickstart>> = {
  orders: {
    name: 'orders',
    keyField: 'orderid',
    schema: Schemas.struct('ksql.orders', [
      Schemas.field('ordertime', Schemas.int64()),
      Schemas.field('orderid', Schemas.int32()),
      Schemas.field('itemid', Schemas.string()),
      Schemas.field('orderunits', Schemas.float64()),
      Schemas.field('address', address),
    ]),
    row: (i, r) => ({
      ordertime: epochStartMs + i * 1000 + int(r, 0, 999),
      orderid: i,
      itemid: `Item_${int(r, 1, 999)}`,
      orderunits: Math.round(r() * 10_000) / 1000,
      address: { city: pick(r, cities), state: pick(r, states), zipcode: int(r, 10_000, 99_999) },
    }),
  },
  users: {
    name: 'users',
    keyField: 'userid',
    schema: Schemas.struct('ksql.users', [
      Schemas.field('registertime', Schemas.int64()),
      Schemas.field('userid', Schemas.string()),
      Schemas.field('regionid', Schemas.string()),
      Schemas.field('gender', Schemas.string()),
    ]),
    row: (i, r) => ({
      registertime: epochStartMs - int(r, 0, 400_000_000_000),
      userid: `User_${(i % 9) + 1}`,
      regionid: `Region_${int(r, 1, 9)}`,
      gender: pick(r, ['MALE', 'FEMALE', 'OTHER']),
    }),
  },
  pageviews: {
    name: 'pageviews',
    keyField: 'viewtime',
    schema: Schemas.struct('ksql.pageviews', [Schemas.field('viewtime', Schemas.int64()), Schemas.field('userid', Schemas.string()), Schemas.field('pageid', Schemas.string())]),
    row: (i, r) => ({ viewtime: i * 10 + 1, userid: `User_${int(r, 1, 9)}`, pageid: `Page_${int(r, 1, 99)}` }),
  },
};

/** mulberry32: a small, fast, seeded generator. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
