/**
 * Micro-benchmark of the execution layer: events/s for a filter+project (Nexmark q2-like), a
 * tumbling COUNT/SUM per key (q5-like without HOP), a Top-10 per key (q19-like), a keep-last
 * deduplication (q18-like) and the ChangelogNormalize of an upsert table keyed by auction (every
 * row an update of its key) over 1M generated rows in batches, each beside a plain JavaScript loop
 * over the same arrays as the reference, in the same run.
 *
 *   node --import tsx bench/operators.ts [rows]
 */
import { batchFromRows } from '../src/operators/batch.ts';
import { readColumn } from '../src/operators/column.ts';
import { CalcExec } from '../src/operators/calc-exec.ts';
import { E } from '../src/operators/expr/ir.ts';
import { T } from '../src/operators/types.ts';
import { WindowAssignerExec } from '../src/operators/window-assigner-exec.ts';
import { WindowAggregateExec } from '../src/operators/window-aggregate-exec.ts';
import { RankExec } from '../src/operators/rank-exec.ts';
import { DeduplicateExec } from '../src/operators/deduplicate-exec.ts';
import { ChangelogNormalizeExec } from '../src/operators/changelog-normalize-exec.ts';
import type { ColumnDef } from '../src/operators/arrow-types.ts';
import type { StreamMessage } from '../src/operators/message.ts';
import type { Data, RecordBatch } from 'apache-arrow';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const BATCH_ROWS = 8192;
const cols: ColumnDef[] = [
  { name: 'auction', type: T.bigint(false) }, { name: 'price', type: T.bigint(false) },
  { name: 'channel', type: T.string(false) }, { name: 'ts', type: T.timestamp(3, false) },
];

function generate(): RecordBatch[] {
  const batches: RecordBatch[] = [];
  const channels = ['Google', 'Facebook', 'Baidu', 'Apple', 'channel-42'];
  for (let start = 0; start < ROWS; start += BATCH_ROWS) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(ROWS, start + BATCH_ROWS); i++) {
      rows.push([1000 + (i % 997), 100 + ((i * 7919) % 100000), channels[i % 5], 1_700_000_000_000 + i]);
    }
    batches.push(batchFromRows(cols, rows));
  }
  return batches;
}

function time(label: string, fn: () => number): void {
  fn(); // warm up
  const t0 = performance.now();
  const check = fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} ${(ROWS / (ms / 1000) / 1e6).toFixed(2).padStart(7)} M events/s  (${ms.toFixed(0)} ms, check=${check})`);
}

const batches = generate();
const auctions = batches.map((b) => readColumn(b.data.children[0] as Data, cols[0].type).values as Float64Array);
const prices = batches.map((b) => readColumn(b.data.children[1] as Data, cols[1].type).values as Float64Array);
const times = batches.map((b) => readColumn(b.data.children[3] as Data, cols[3].type).values as Float64Array);

console.log(`${ROWS} rows in batches of ${BATCH_ROWS}`);
time('filter+project CalcExec', () => {
  const calc = new CalcExec(cols, {
    predicate: E.call('=', E.call('MOD', E.col(0), E.lit(123, T.int())), E.lit(0, T.int())),
    projections: [{ name: 'auction', expr: E.col(0) }, { name: 'price', expr: E.call('*', E.col(1), E.lit(2, T.int())) }, { name: 'channel', expr: E.col(2) }],
  });
  const out: StreamMessage[] = [];
  for (const b of batches) calc.process(0, { kind: 'batch', batch: b }, out);
  return calc.metrics().rowsOut;
});
time('filter+project plain JS loop (reference)', () => {
  let n = 0;
  for (let b = 0; b < batches.length; b++) {
    const a = auctions[b], p = prices[b];
    const outA = new Float64Array(a.length), outP = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) if (a[i] % 123 === 0) { outA[n % a.length] = a[i]; outP[n % a.length] = p[i] * 2; n++; }
  }
  return n;
});

time('tumble(10 s) COUNT/SUM by auction (Exec)', () => {
  const assigner = new WindowAssignerExec(cols, { window: { kind: 'tumble', sizeMs: 10_000 }, timeColumn: 3 });
  const agg = new WindowAggregateExec(assigner.outputColumns, {
    window: { kind: 'assigned', startColumn: 4, endColumn: 5 }, groupKeys: [0],
    aggregates: [{ fn: 'COUNT_STAR', arg: null, name: 'n' }, { fn: 'SUM', arg: 1, name: 's' }], stateBytesMax: 1 << 30,
  });
  const mid: StreamMessage[] = [];
  const out: StreamMessage[] = [];
  for (const b of batches) {
    mid.length = 0;
    assigner.process(0, { kind: 'batch', batch: b }, mid);
    for (const m of mid) agg.process(0, m, out);
  }
  agg.process(0, { kind: 'end' }, out);
  return agg.metrics().rowsOut;
});
time('tumble(10 s) COUNT/SUM plain JS loop (reference)', () => {
  const windows = new Map<number, Map<number, [number, number]>>();
  for (let b = 0; b < batches.length; b++) {
    const a = auctions[b], p = prices[b], t = times[b];
    for (let i = 0; i < a.length; i++) {
      const start = t[i] - (t[i] % 10_000);
      let groups = windows.get(start);
      if (groups === undefined) { groups = new Map(); windows.set(start, groups); }
      const g = groups.get(a[i]);
      if (g === undefined) groups.set(a[i], [1, p[i]]);
      else { g[0]++; g[1] += p[i]; }
    }
  }
  let rows = 0;
  for (const g of windows.values()) rows += g.size;
  return rows;
});

time('top-10 price per auction (RankExec)', () => {
  const rank = new RankExec(cols, {
    partitionKeys: [0], orderKeys: [{ column: 1, descending: true, nullsFirst: false }], fn: 'ROW_NUMBER', rankStart: 1, rankEnd: 10,
    rankColumn: 'rn', stateBytesMax: 1 << 30,
  });
  const out: StreamMessage[] = [];
  for (const b of batches) { out.length = 0; rank.process(0, { kind: 'batch', batch: b }, out); }
  return rank.metrics().rowsOut;
});
time('top-10 price per auction plain JS loop (reference)', () => {
  const tops = new Map<number, number[]>();
  let changes = 0;
  for (let b = 0; b < batches.length; b++) {
    const a = auctions[b], p = prices[b];
    for (let i = 0; i < a.length; i++) {
      let top = tops.get(a[i]);
      if (top === undefined) { top = []; tops.set(a[i], top); }
      if (top.length === 10 && p[i] <= top[9]) continue;
      let at = top.length;
      while (at > 0 && top[at - 1] < p[i]) at--;
      top.splice(at, 0, p[i]);
      if (top.length > 10) top.pop();
      changes += top.length - at;
    }
  }
  return changes;
});

time('dedup keep last per auction (DeduplicateExec)', () => {
  const dedup = new DeduplicateExec(cols, { keys: [0], timeColumn: 3, keepLast: true, stateBytesMax: 1 << 30 });
  const out: StreamMessage[] = [];
  for (const b of batches) { out.length = 0; dedup.process(0, { kind: 'batch', batch: b }, out); }
  return dedup.metrics().rowsOut;
});
time('dedup keep last plain JS loop (reference)', () => {
  const last = new Map<number, number>();
  let changes = 0;
  for (let b = 0; b < batches.length; b++) {
    const a = auctions[b], t = times[b];
    for (let i = 0; i < a.length; i++) {
      const k = last.get(a[i]);
      if (k !== undefined && t[i] < k) continue;
      changes += k === undefined ? 1 : 2;
      last.set(a[i], t[i]);
    }
  }
  return changes;
});

time('upsert table normalize per auction (ChangelogNormalizeExec)', () => {
  const normalize = new ChangelogNormalizeExec(cols, { keys: [0], stateBytesMax: 1 << 30 });
  const out: StreamMessage[] = [];
  for (const b of batches) { out.length = 0; normalize.process(0, { kind: 'batch', batch: b }, out); }
  return normalize.metrics().rowsOut;
});
time('upsert normalize plain JS loop (reference)', () => {
  const last = new Map<number, number[]>();
  let changes = 0;
  for (let b = 0; b < batches.length; b++) {
    const a = auctions[b], p = prices[b], t = times[b];
    for (let i = 0; i < a.length; i++) {
      const k = last.get(a[i]);
      if (k !== undefined && k[0] === p[i] && k[1] === t[i]) continue;
      changes += k === undefined ? 1 : 2;
      last.set(a[i], [p[i], t[i]]);
    }
  }
  return changes;
});
