/** Reading a topic's committed records back as decoded key/value pairs, and polling until a condition holds. */
import { Deserializer } from '../../src/schema-registry/index.ts';
import type { SqlRuntime, StatementInfo } from '../../src/runtime/index.ts';
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

/** The last row per key of an upsert topic (key and value columns merged); tombstones remove the key. */
export async function finalRows(env: Env, topic: string): Promise<Record<string, unknown>[]> {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const { key, value } of await readAll(env, topic)) {
    const k = JSON.stringify(key);
    if (value === null) byKey.delete(k);
    else byKey.set(k, { ...(key as object), ...(value as object) });
  }
  return [...byKey.values()];
}

/** The statement once it has completed or failed. */
export function settled(sql: SqlRuntime, st: StatementInfo): Promise<StatementInfo> {
  return until(() => sql.statements.get(st.id) as StatementInfo, (i) => i.status === 'COMPLETED' || i.status === 'FAILED', 30_000);
}
