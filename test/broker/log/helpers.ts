import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeBatchRecords, encodeBatch, type KafkaRecord, type NewBatch } from '../../../src/broker/protocol/index.ts';
import { parseTopicConfigs, type LogConfig } from '../../../src/broker/log/index.ts';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'runnel-log-'));
}

export function config(overrides: Record<string, string> = {}): LogConfig {
  return parseTopicConfigs(overrides);
}

/** The log config of crash-writer.ts: with `recycling`, rolls reuse files retention deleted. */
export function crashWriterConfig(recycling: boolean): LogConfig {
  return parseTopicConfigs(
    recycling
      ? { 'segment.bytes': String(1200 * 1024), 'retention.bytes': String(3 * 1024 * 1024), 'file.delete.delay.ms': '0', 'index.interval.bytes': '4096' }
      : { 'segment.bytes': '65536', 'index.interval.bytes': '512' },
  );
}

/** A batch of `count` records with values `<prefix>-<i>` and the given timestamp. */
export function batch(count: number, opts: Partial<NewBatch> & { prefix?: string; timestamp?: bigint; keys?: (string | null)[]; values?: (string | null)[] } = {}): Promise<Buffer> {
  const records = Array.from({ length: count }, (_, i) => ({
    key: opts.keys ? (opts.keys[i] === null ? null : Buffer.from(opts.keys[i] as string)) : Buffer.from(`k${i}`),
    value: opts.values ? (opts.values[i] === null ? null : Buffer.from(opts.values[i] as string)) : Buffer.from(`${opts.prefix ?? 'v'}-${i}`),
    timestamp: opts.timestamp !== undefined ? opts.timestamp + BigInt(i) : 1_000_000n + BigInt(i),
  }));
  return encodeBatch({ ...opts, records });
}

/** Decodes every record of concatenated batches. */
export async function records(data: Buffer): Promise<KafkaRecord[]> {
  const out: KafkaRecord[] = [];
  let pos = 0;
  while (pos < data.length) {
    const size = data.readInt32BE(pos + 8) + 12;
    out.push(...(await decodeBatchRecords(data.subarray(pos, pos + size))));
    pos += size;
  }
  return out;
}
