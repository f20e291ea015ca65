/** Test helpers for sinks: records written through Connect's JsonConverter, and DuckDB queries. */
import type { TopicClient } from '../../src/client/topic-client.ts';
import { JsonConverter } from '../../src/connectors/converters/index.ts';
import { withDuckDB } from '../../src/connectors/duckdb/index.ts';
import type { ConnectSchema } from '../../src/connectors/index.ts';

const keyConverter = new JsonConverter();
keyConverter.configure({}, true);
const valueConverter = new JsonConverter();
valueConverter.configure({}, false);

export interface TestRecord {
  keySchema: ConnectSchema | null;
  key: unknown;
  valueSchema: ConnectSchema | null;
  value: unknown;
}

/** Produces records as Connect's JsonConverter (schemas.enable=true) writes them. */
export async function produceJson(topics: TopicClient, topic: string, records: readonly TestRecord[]): Promise<void> {
  const out = [];
  for (const r of records) {
    out.push({
      key: await keyConverter.fromConnectData(topic, r.keySchema, r.key),
      value: r.value === null ? null : await valueConverter.fromConnectData(topic, r.valueSchema, r.value),
    });
  }
  await topics.produce(topic, out);
}

/** Rows of a DuckDB query as JSON-friendly objects. */
export async function duckQuery(path: string, sql: string): Promise<Record<string, unknown>[]> {
  return withDuckDB(path, async (conn) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
}

/** Like duckQuery, but a missing table reads as no rows. */
export async function duckRows(path: string, sql: string): Promise<Record<string, unknown>[]> {
  try {
    return await duckQuery(path, sql);
  } catch (err) {
    if (String(err).includes('does not exist')) return [];
    throw err;
  }
}
