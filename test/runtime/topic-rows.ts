/** Reading a topic's committed records back as decoded key/value pairs, and polling until a condition holds. */
import { Deserializer } from '../../src/schema-registry/index.ts';
import type { Env } from '../connectors/kafka/helpers.ts';

export async function readAll(env: Env, topic: string): Promise<{ key: unknown; value: unknown }[]> {
  const de = new Deserializer(env.client);
  const out: { key: unknown; value: unknown }[] = [];
  const n = (await env.topics.partitionCount(topic)) ?? 0;
  for (let p = 0; p < n; p++) {
    const { end } = await env.topics.offsets(topic, p, 'read_committed');
    let offset = 0n;
    while (offset < end) {
      const res = await env.topics.fetch(topic, p, offset, { isolationLevel: 'read_committed' });
      for (const r of res.records) {
        out.push({ key: r.key === null ? null : await de.deserialize(r.key), value: r.value === null ? null : await de.deserialize(r.value) });
      }
      offset = res.nextOffset;
    }
  }
  return out;
}

export async function until<T>(f: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
