/**
 * What source and sink task runners share: converters built from `key.converter` /
 * `value.converter` (their settings are the keys under those prefixes, as in Kafka), the task's
 * status, and a small sleep that wakes early on stop.
 */
import type { Logger } from 'pino';
import type { ProduceRecord, ProducedOffset, TopicClient } from '../../client/topic-client.ts';
import type { ConnectorConfig, Converter } from '../api.ts';
import { ConnectError } from '../errors.ts';
import { findConverter, type ConverterEnv } from '../plugins.ts';

/** Connect's worker defaults: JSON with schemas. */
const defaultConverter = 'org.apache.kafka.connect.json.JsonConverter';

export function createConverter(config: ConnectorConfig, isKey: boolean, env: ConverterEnv): Converter {
  const prefix = isKey ? 'key.converter' : 'value.converter';
  const name = config[prefix] || defaultConverter;
  const plugin = findConverter(name);
  if (plugin === undefined) throw new ConnectError('config', `Invalid value ${name} for configuration ${prefix}: Class ${name} could not be found.`);
  const sub: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(`${prefix}.`)) sub[k.slice(prefix.length + 1)] = v;
  const converter = plugin.create(env);
  converter.configure(sub, isKey);
  return converter;
}

export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING';

export interface TaskStatus {
  state: TaskState;
  trace: string | null;
}

export interface TaskDeps {
  readonly connectorName: string;
  readonly taskId: number;
  readonly config: ConnectorConfig;
  readonly topics: TopicClient;
  readonly env: ConverterEnv;
  readonly logger: Logger;
  /** Called whenever the task's state changes. */
  readonly onStatus: (status: TaskStatus) => void;
  /** Worker-wide: how often offsets are committed. */
  readonly offsetFlushIntervalMs: number;
}

/** Resolves after `ms`, or earlier when `signal` fires. */
export function sleep(ms: number, signal: { wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.wake = done;
    function done() {
      clearTimeout(timer);
      signal.wake = undefined;
      resolve();
    }
  });
}

/** The task-level view of a config: the connector config with the task's keys over it. */
export function taskConfig(connector: ConnectorConfig, task: ConnectorConfig): ConnectorConfig {
  return { ...connector, ...task };
}

/**
 * Encoded bytes per produce call at most. One call becomes one record batch per partition, which
 * must stay under the broker's max.message.bytes (1 MiB by default); a Kafka producer splits by
 * `batch.size` the same way.
 */
const produceBytesMax = 512 * 1024;
/** Bytes a record adds to a batch besides its key, value and headers (varints, attributes), rounded up. */
const recordOverheadBytes = 24;

/** Produces `records` in calls of at most `produceBytesMax` bytes; offsets in input order. */
export async function produceChunked(topics: TopicClient, topic: string, records: readonly ProduceRecord[]): Promise<ProducedOffset[]> {
  const out: ProducedOffset[] = [];
  const send = async (chunk: readonly ProduceRecord[]) => {
    for (const o of await topics.produce(topic, chunk)) out.push(o);
  };
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    let size = recordOverheadBytes + (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const h of r.headers ?? []) size += h.key.length + (h.value?.length ?? 0) + 8;
    if (bytes + size > produceBytesMax && i > from) {
      await send(records.slice(from, i));
      from = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (from < records.length) await send(from === 0 ? records : records.slice(from));
  return out;
}
