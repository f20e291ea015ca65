/**
 * Generated code is compiled once per process and source text, not once per statement.
 *
 * Statements compile their expressions, Avro decoders and encoders into JavaScript (`new
 * Function`). A function made by a fresh `new Function` starts cold in V8: interpreted, with
 * empty type feedback, optimized again after enough calls. A statement over a small input ends
 * before that pays off (Nexmark q3 at 1M events read 80k rows at ~60% of the speed it reaches on
 * larger inputs). Generated sources take what differs between statements (builders, constants)
 * as arguments of an outer factory, so the same text recurs; the factory is cached here by
 * its text, and the closures it returns share one feedback vector and optimized code.
 */
import { BoundedCache } from '../functions/bounded-cache.ts';

/** Generated factories kept at most (each is small; the oldest goes first). */
export const GENERATED_FACTORIES_MAX = 4096;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Factory = (...args: any[]) => unknown;
const factories = new BoundedCache<string, Factory>(GENERATED_FACTORIES_MAX);

/** `new Function(...params, body)`, the same function object for the same parameters and body. */
export function generatedFactory<F extends Factory>(params: readonly string[], body: string): F {
  const key = `${params.join(',')}\u0000${body}`;
  let f = factories.get(key);
  if (f === undefined) {
    f = new Function(...params, body) as Factory;
    factories.set(key, f);
  }
  return f as F;
}
