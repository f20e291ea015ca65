import type { RecordBatch } from 'apache-arrow';
import { batchToRows } from '../../src/operators/batch.ts';
import { ROW_KIND_SHORT, rowKindIndex } from '../../src/operators/row-kind.ts';
import type { StreamMessage } from '../../src/operators/message.ts';
import type { Operator } from '../../src/operators/message.ts';

/** Rows of a batch as Flink prints a changelog: '+I[a, 1]'. Without `$row_kind`, rows are +I. */
export function changelog(batch: RecordBatch): string[] {
  const rk = rowKindIndex(batch.schema);
  return batchToRows(batch).map((r) => {
    const kind = rk >= 0 ? ROW_KIND_SHORT[r[rk] as number] : '+I';
    const vals = r.filter((_, i) => i !== rk).map((v) => (v === null ? 'null' : String(v)));
    return `${kind}[${vals.join(', ')}]`;
  });
}

/** Feeds messages to an operator and returns everything it emitted. */
export function run(op: Operator, msgs: readonly StreamMessage[], input = 0): StreamMessage[] {
  const out: StreamMessage[] = [];
  for (const m of msgs) op.process(input, m, out);
  return out;
}

/** The changelog of all batches among `msgs`, with watermarks shown as 'WM(t)'. */
export function describe(msgs: readonly StreamMessage[]): string[] {
  return msgs.flatMap((m) => (m.kind === 'batch' ? changelog(m.batch) : m.kind === 'watermark' ? [`WM(${m.timestampMs})`] : [m.kind === 'end' ? 'END' : `BARRIER(${m.checkpointId})`]));
}

export const batch = (b: RecordBatch): StreamMessage => ({ kind: 'batch', batch: b });
export const wm = (t: number): StreamMessage => ({ kind: 'watermark', timestampMs: t });
export const END: StreamMessage = { kind: 'end' };

/** A deterministic random source (mulberry32) for generated inputs. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
