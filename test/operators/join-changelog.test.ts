import { describe, expect, test } from 'vitest';
import { JoinExec } from '../../src/operators/join/join-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import type { StreamMessage } from '../../src/operators/message.ts';
import { RowStore } from '../../src/operators/state/row-store.ts';
import type { SideState } from '../../src/operators/join/join-state.ts';
import { batch, describe as show, rng } from './helpers.ts';

const { INSERT: I, UPDATE_AFTER: UA, DELETE: D } = RowKind;
const RK: ColumnDef = { name: '$row_kind', type: T.tinyint(false) };
// Left: an updating input (+I/-D of whole rows); right: an upsert input keyed by `u`.
const L: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 'name', type: T.string() }, { name: 'amount', type: T.double() }];
const R: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 'u', type: T.bigint() }, { name: 'note', type: T.string() }];

function make(): JoinExec {
  return new JoinExec([[...L, RK], [...R, RK]], { joinType: 'FULL', leftKeys: [0], rightKeys: [0], condition: null, rightUniqueKey: [1], stateBytesMax: 1 << 30 });
}

/** Random valid input batches: left rows inserted and later deleted, right rows upserted and deleted by `u`. */
function inputs(seed: number, batches: number): [number, unknown[][], number[]][] {
  const r = rng(seed);
  const left: unknown[][] = [];
  const right = new Map<number, unknown[]>();
  const out: [number, unknown[][], number[]][] = [];
  for (let b = 0; b < batches; b++) {
    const rows: unknown[][] = [], kinds: number[] = [];
    const side = r() < 0.5 ? 0 : 1;
    for (let i = 0; i < 1 + Math.floor(r() * 20); i++) {
      const k = r() < 0.05 ? null : Math.floor(r() * 12);
      if (side === 0) {
        if (left.length > 0 && r() < 0.3) {
          rows.push(left.splice(Math.floor(r() * left.length), 1)[0]);
          kinds.push(D);
        } else {
          const row = [k, `n${Math.floor(r() * 1000)}${'x'.repeat(Math.floor(r() * 40))}`, r() < 0.1 ? null : Math.round(r() * 1e6) / 100];
          left.push(row);
          rows.push(row);
          kinds.push(I);
        }
      } else {
        const u = Math.floor(r() * 30);
        if (right.has(u) && r() < 0.3) {
          rows.push(right.get(u)!);
          right.delete(u);
          kinds.push(D);
        } else {
          const row = [k, u, `note-${Math.floor(r() * 100)}`];
          right.set(u, row);
          rows.push(row);
          kinds.push(UA);
        }
      }
    }
    out.push([side, rows, kinds]);
  }
  return out;
}

function feed(op: JoinExec, steps: readonly [number, unknown[][], number[]][]): string[] {
  const out: StreamMessage[] = [];
  for (const [side, rows, kinds] of steps) op.process(side, batch(batchFromRows(side === 0 ? L : R, rows, kinds)), out);
  return show(out);
}

/** Every stored row of both sides with its id, key, match count and unique key, in id order. */
function dump(op: JoinExec): unknown[] {
  const sides = (op as unknown as { state: SideState[] }).state;
  return sides.map((st) => [...st.byKey].flatMap(([key, list]) => list.map((e) => [e.id, key, e.matches, e.unique, st.row(e)]))
    .sort((a, b) => (a[0] as number) - (b[0] as number)));
}

describe('JoinExec state changelog', () => {
  test('a join restored from its meta snapshot and changelog (a full generation, then deltas) continues exactly as the uninterrupted one', () => {
    for (const seed of [1, 2, 3]) {
      const steps = inputs(seed, 120);
      const op = make();
      let log: Buffer[] = [];
      let meta: Uint8Array = new Uint8Array();
      for (let i = 0; i < 90; i++) {
        feed(op, [steps[i]]);
        if (i % 9 === 8) {
          // A new generation at the first checkpoint and once in the middle (compaction).
          const full = i === 8 || i === 53;
          const records = [...op.changelog.takeChanges(full)];
          log = full ? records : [...log, ...records];
          meta = op.changelog.snapshotMeta();
        }
      }
      const restored = make();
      restored.changelog.restoreMeta(meta);
      for (const rec of log) restored.changelog.applyChange(rec);
      expect(restored.metrics().stateBytes).toBe(op.metrics().stateBytes);
      expect(dump(restored)).toEqual(dump(op));
      // Both continue with the same input (and checkpoint again) to the same output.
      expect(feed(restored, steps.slice(90))).toEqual(feed(op, steps.slice(90)));
      const more = [...op.changelog.takeChanges(false)];
      const again = make();
      again.changelog.restoreMeta(op.changelog.snapshotMeta());
      for (const rec of [...log, ...more]) again.changelog.applyChange(rec);
      expect(dump(again)).toEqual(dump(op));
    }
  });

  test('deltas hold only the rows added and removed since the last checkpoint, not the hot key\'s list', () => {
    const op = make();
    const rows = Array.from({ length: 2000 }, (_, i) => [7, `row-${i}`, i]);
    feed(op, [[0, rows, rows.map(() => I)]]);
    const full = Buffer.concat([...op.changelog.takeChanges(true)]).length;
    feed(op, [[0, [[7, 'one-more', 1], rows[5]], [I, D]]]);
    const delta = Buffer.concat([...op.changelog.takeChanges(false)]).length;
    expect(full).toBeGreaterThan(2000 * 20);
    expect(delta).toBeLessThan(200);
    expect([...op.changelog.takeChanges(false)]).toEqual([]);
  });

  test('binary snapshots restore; a JSON snapshot of the previous format is still read', () => {
    const op = make();
    const steps = inputs(9, 40);
    feed(op, steps.slice(0, 30));
    const copy = make();
    copy.restoreState(op.snapshotState());
    expect(feed(copy, steps.slice(30))).toEqual(feed(op, steps.slice(30)));
    // What JoinExec wrote before rows were stored encoded: one JSON document with rows as arrays.
    const old = new TextEncoder().encode(JSON.stringify({
      v: 1, wm: null, bytes: 100, unmatched: 0, left: [[1, [1, 'ann', 2.5], 0, null]], right: [[1, [1, 4, 'a note'], 1, 4]], ttl: [null, null],
    }));
    const fromOld = make();
    fromOld.restoreState(old);
    expect(feed(fromOld, [[1, [[1, 4, 'changed']], [UA]]])).toEqual(['-D[1, ann, 2.5, 1, 4, a note]', '+I[1, ann, 2.5, 1, 4, changed]']);
  });

  test('rows removed in bulk are reclaimed by compacting the row store; the state stays whole', () => {
    const op = make();
    const big = 'y'.repeat(8000);
    const rows = Array.from({ length: 3000 }, (_, i) => [i % 50, `${big}${i}`, i]);
    for (let i = 0; i < rows.length; i += 500) feed(op, [[0, rows.slice(i, i + 500), rows.slice(i, i + 500).map(() => I)]]);
    op.changelog.takeChanges(true);
    const gone = rows.filter((_, i) => i % 10 !== 0);
    for (let i = 0; i < gone.length; i += 500) feed(op, [[0, gone.slice(i, i + 500), gone.slice(i, i + 500).map(() => D)]]);
    expect(op.metrics().stateBytes).toBeLessThan(300 * 8100 + 300 * 200);
    const restored = make();
    const log = [...make().changelog.takeChanges(true)];
    expect(log).toEqual([]);
    restored.restoreState(op.snapshotState());
    expect(feed(restored, [[1, [[10, 1, 'n']], [UA]]])).toEqual(feed(op, [[1, [[10, 1, 'n']], [UA]]]));
  });

  test('RowStore keeps every value kind and moves rows on compaction', () => {
    const store = new RowStore();
    // Lengths around the varint steps: 126 bytes in 42 characters, 200 bytes, 20000 bytes (a row over 2^14).
    const values = [null, 1, -2147483648, 2 ** 40, 0.5, -0, NaN, 'text', 'ünïcödé', true, false, new Uint8Array([1, 2, 3]), 12345678901234567890n, [1, 'a', null], { a: 1 },
      '€'.repeat(42), 'é'.repeat(100), 'a'.repeat(20000), new Uint8Array(300).fill(7), ''];
    const ref = store.add(values);
    const got = store.get(ref);
    expect(got.slice(0, 5)).toEqual(values.slice(0, 5));
    expect(Object.is(got[5], -0)).toBe(true);
    expect(Number.isNaN(got[6])).toBe(true);
    expect(got.slice(7)).toEqual(values.slice(7));
    const refs = Array.from({ length: 20000 }, (_, i) => store.add([i, 'z'.repeat(1000)]));
    for (let i = 0; i < refs.length; i++) if (i % 4 !== 0) store.free(refs[i]);
    expect(store.shouldCompact()).toBe(true);
    const kept = refs.filter((_, i) => i % 4 === 0);
    const moved: number[] = [];
    let first = 0;
    store.compact((move) => {
      first = move(ref);
      for (const r of kept) moved.push(move(r));
    });
    expect(store.garbageBytes).toBe(0);
    expect(store.get(first)).toEqual(got);
    expect(moved.map((r) => store.get(r)[0])).toEqual(kept.map((_, i) => i * 4));
  });
});
