/**
 * Incremental checkpoints of the operators with one state entry per key (GroupAggregateExec,
 * ChangelogNormalizeExec, DeduplicateExec): restored from a meta snapshot and the changelog records taken so far
 * (a full generation, then deltas), an operator continues exactly as the uninterrupted one.
 */
import { describe, expect, test } from 'vitest';
import { GroupAggregateExec } from '../../src/operators/group-aggregate-exec.ts';
import type { GroupAggregateOptions } from '../../src/operators/group-aggregate-exec.ts';
import { ChangelogNormalizeExec } from '../../src/operators/changelog-normalize-exec.ts';
import { DeduplicateExec } from '../../src/operators/deduplicate-exec.ts';
import { RankExec } from '../../src/operators/rank-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import type { Operator, StreamMessage } from '../../src/operators/message.ts';
import type { StateChangelog } from '../../src/operators/state/changelog.ts';
import { decodeState } from '../../src/operators/state/codec.ts';
import { batch, describe as show, rng } from './helpers.ts';

const { INSERT: I, UPDATE_AFTER: UA, DELETE: D } = RowKind;
const COLS: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 'name', type: T.string() }, { name: 'amount', type: T.bigint() }];
const RK: ColumnDef = { name: '$row_kind', type: T.tinyint(false) };

/** A valid updating stream: rows inserted, later some retracted exactly as inserted. */
function updating(seed: number, batches: number): [unknown[][], number[]][] {
  const r = rng(seed);
  const live: unknown[][] = [];
  const out: [unknown[][], number[]][] = [];
  for (let b = 0; b < batches; b++) {
    const rows: unknown[][] = [], kinds: number[] = [];
    for (let i = 0; i < 1 + Math.floor(r() * 30); i++) {
      if (live.length > 0 && r() < 0.35) {
        rows.push(live.splice(Math.floor(r() * live.length), 1)[0]);
        kinds.push(D);
      } else {
        const row = [r() < 0.05 ? null : Math.floor(r() * 15), `n${Math.floor(r() * 6)}`, Math.floor(r() * 1000)];
        live.push(row);
        rows.push(row);
        kinds.push(I);
      }
    }
    out.push([rows, kinds]);
  }
  return out;
}

/** An upsert stream keyed by column 0: upserts of 20 keys and tombstones. */
function upserts(seed: number, batches: number): [unknown[][], number[]][] {
  const r = rng(seed);
  const out: [unknown[][], number[]][] = [];
  for (let b = 0; b < batches; b++) {
    const rows: unknown[][] = [], kinds: number[] = [];
    for (let i = 0; i < 1 + Math.floor(r() * 30); i++) {
      const k = Math.floor(r() * 20);
      if (r() < 0.25) { rows.push([k, null, null]); kinds.push(D); } else { rows.push([k, `v${Math.floor(r() * 3)}`, Math.floor(r() * 4)]); kinds.push(UA); }
    }
    out.push([rows, kinds]);
  }
  return out;
}

type Logged = Operator & { readonly changelog: StateChangelog };

const asMessages = (steps: readonly [unknown[][], number[]][]): StreamMessage[] =>
  steps.map(([rows, kinds]) => batch(batchFromRows([...COLS, RK], rows.map((r, j) => [...r, kinds[j]]))));

/**
 * Feeds `msgs` to `make()`, taking changes after every 5th message (a checkpoint; a full
 * generation at `fullAt`); at `restoreAt` (right after a checkpoint) a fresh operator restored
 * from the meta and the records so far continues. Returns the output after the restore point of
 * both, and both operators.
 */
function replay(make: () => Logged, msgs: readonly StreamMessage[], restoreAt: number, fullAt: number) {
  const a = make();
  let records: Buffer[] = [];
  let meta: Uint8Array | null = null;
  const out: StreamMessage[] = [];
  let b: Logged | null = null;
  const bOut: StreamMessage[] = [];
  msgs.forEach((msg, i) => {
    if (i === restoreAt) {
      b = make();
      b.changelog.restoreMeta(meta as Uint8Array);
      for (const r of records) b.changelog.applyChange(r);
      out.length = 0;
    }
    a.process(0, msg, out);
    b?.process(0, msg, bOut);
    if (i % 5 === 4) {
      // A checkpoint: the barrier first (mini-batches flush), then meta and changes.
      a.process(0, { kind: 'barrier', checkpointId: i }, out);
      b?.process(0, { kind: 'barrier', checkpointId: i }, bOut);
      meta = a.changelog.snapshotMeta();
      const full = i === fullAt;
      const taken = [...a.changelog.takeChanges(full)];
      records = full ? taken : [...records, ...taken];
      if (b !== null) [...(b as Logged).changelog.takeChanges(false)];
    }
  });
  return { a, b: b as unknown as Logged, out, bOut };
}

/** The operator's whole snapshot with its per-key entries sorted (their order is Map order). */
function sortedState(op: Operator, entries: string): unknown {
  const s = decodeState(op.snapshotState()) as Record<string, unknown>;
  const list = (s[entries] as [unknown, ...unknown[]][]).map((e) => JSON.stringify(e)).sort();
  return { ...s, [entries]: list, ttl: undefined };
}

describe('GroupAggregateExec state changelog', () => {
  const opts = (extra: Partial<GroupAggregateOptions> = {}): GroupAggregateOptions => ({
    groupKeys: [0],
    aggregates: [
      { fn: 'COUNT_STAR', arg: null, name: 'n' }, { fn: 'SUM', arg: 2, name: 's' }, { fn: 'MAX', arg: 2, name: 'mx' },
      { fn: 'COUNT', arg: 1, distinct: true, name: 'names' },
    ],
    stateBytesMax: 1 << 30,
    ...extra,
  });

  for (const [mode, extra] of [['per-row', {}], ['per-batch', { emit: 'per-batch' as const }]] as const) {
    for (const seed of [1, 2, 3]) {
      test(`${mode}, seed ${seed}: restored from meta + full generation + deltas, it continues exactly`, () => {
        const steps = updating(seed, 60);
        const { a, b, out, bOut } = replay(() => new GroupAggregateExec([...COLS, RK], opts(extra)), asMessages(steps), 30, 9);
        expect(show(bOut)).toEqual(show(out));
        expect(out.length).toBeGreaterThan(0);
        expect(sortedState(b, 'groups')).toEqual(sortedState(a, 'groups'));
      });
    }
  }

  test('a delta holds only the groups written since the previous checkpoint, deletes first', () => {
    const op = new GroupAggregateExec([...COLS, RK], opts());
    const feed = (rows: unknown[][], kinds: number[]) => op.process(0, batch(batchFromRows([...COLS, RK], rows.map((r, i) => [...r, kinds[i]]))), []);
    feed([[1, 'a', 5], [2, 'b', 6], [3, 'c', 7]], [I, I, I]);
    const first = [...op.changelog.takeChanges(false)];
    expect(first).toHaveLength(1);
    feed([[2, 'b', 6], [1, 'a', 8]], [D, I]);
    const delta = [...op.changelog.takeChanges(false)];
    const fresh = new GroupAggregateExec([...COLS, RK], opts());
    fresh.changelog.restoreMeta(op.changelog.snapshotMeta());
    for (const r of [...first, ...delta]) fresh.changelog.applyChange(r);
    expect(sortedState(fresh, 'groups')).toEqual(sortedState(op, 'groups'));
    // Group 3 was not written again: the delta is smaller than the first generation.
    expect(delta[0].length).toBeLessThan(first[0].length);
    expect([...op.changelog.takeChanges(false)]).toEqual([]);
  });
});

describe('ChangelogNormalizeExec state changelog', () => {
  for (const seed of [4, 5]) {
    test(`seed ${seed}: restored from meta + full generation + deltas, it continues exactly`, () => {
      const steps = upserts(seed, 50);
      const { a, b, out, bOut } = replay(() => new ChangelogNormalizeExec([...COLS, RK], { keys: [0], stateBytesMax: 1 << 30 }), asMessages(steps), 25, 14);
      expect(show(bOut)).toEqual(show(out));
      expect(sortedState(b, 'kept')).toEqual(sortedState(a, 'kept'));
      expect(b.metrics().stateBytes).toBe(a.metrics().stateBytes);
    });
  }
});

describe('DeduplicateExec state changelog', () => {
  const cols: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 'name', type: T.string() }, { name: 'ts', type: T.timestamp(3) }];
  /** Rows of 25 keys at times around a slowly rising watermark (some behind it), watermarks between. */
  function rows(seed: number, n: number): StreamMessage[] {
    const r = rng(seed);
    const msgs: StreamMessage[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 3 === 2) { msgs.push({ kind: 'watermark', timestampMs: i * 10 }); continue; }
      const batchRows = Array.from({ length: 1 + Math.floor(r() * 15) }, () => [Math.floor(r() * 25), `n${Math.floor(r() * 9)}`, i * 10 + Math.floor(r() * 60) - 20]);
      msgs.push(batch(batchFromRows(cols, batchRows)));
    }
    return msgs;
  }
  for (const keepLast of [true, false]) {
    test(`keep ${keepLast ? 'last' : 'first'}: restored from meta + full generation + deltas, it continues exactly`, () => {
      const { a, b, out, bOut } = replay(() => new DeduplicateExec(cols, { keys: [0], timeColumn: 2, keepLast, stateBytesMax: 1 << 30 }), rows(7, 60), 35, 9);
      expect(show(bOut)).toEqual(show(out));
      expect(sortedState(b, 'kept')).toEqual(sortedState(a, 'kept'));
      expect(b.metrics().stateBytes).toBe(a.metrics().stateBytes);
    });
  }
});

describe('RankExec state changelog (append-only input)', () => {
  test('Top-3 per key: restored from meta + full generation + deltas, it continues exactly; over an updating input it has none', () => {
    const r = rng(11);
    const msgs = Array.from({ length: 60 }, () => batch(batchFromRows(COLS, Array.from({ length: 1 + Math.floor(r() * 20) }, () => [Math.floor(r() * 12), `n${Math.floor(r() * 5)}`, Math.floor(r() * 500)]))));
    const make = () => new RankExec(COLS, {
      partitionKeys: [0], orderKeys: [{ column: 2, descending: true, nullsFirst: false }], fn: 'ROW_NUMBER', rankStart: 1, rankEnd: 3, rankColumn: 'rn', stateBytesMax: 1 << 30,
    }) as RankExec & Logged;
    const { a, b, out, bOut } = replay(make, msgs, 40, 19);
    expect(show(bOut)).toEqual(show(out));
    expect(out.length).toBeGreaterThan(0);
    expect(sortedState(b, 'parts')).toEqual(sortedState(a, 'parts'));
    const updatingInput = new RankExec([...COLS, RK], { partitionKeys: [0], orderKeys: [{ column: 2, descending: true, nullsFirst: false }], fn: 'ROW_NUMBER', rankStart: 1, rankEnd: 3, rankColumn: 'rn', stateBytesMax: 1 << 30 });
    expect(updatingInput.changelog).toBeUndefined();
  });
});
