import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore, CheckpointTooLargeError } from '../../src/runtime/checkpoint-store.ts';
import type { PipelineCheckpoint } from '../../src/runtime/checkpoint-store.ts';
import { StatementChangelogs } from '../../src/runtime/state-changelog.ts';
import { KvLog } from '../../src/runtime/kv-log.ts';
import { CollectSink, Pipeline } from '../../src/operators/index.ts';
import type { Source } from '../../src/operators/index.ts';
import { JoinExec } from '../../src/operators/join/join-exec.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { T } from '../../src/operators/types.ts';
import { RowKind } from '../../src/operators/row-kind.ts';
import type { ColumnDef } from '../../src/operators/arrow-types.ts';
import { changelog } from '../operators/helpers.ts';
import { startEnv, type Env } from '../connectors/kafka/helpers.ts';

const RK: ColumnDef = { name: '$row_kind', type: T.tinyint(false) };
const L: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 'name', type: T.string() }];
const R: ColumnDef[] = [{ name: 'k', type: T.bigint() }, { name: 'v', type: T.bigint() }];

/** A source the test pushes into directly (the pipeline only asks it for offsets). */
function source(name: string, columns: readonly ColumnDef[]): Source {
  return { name, outputColumns: columns, poll: () => Promise.resolve([]), offsets: () => ({}), restoreOffsets: () => undefined, close: () => Promise.resolve() };
}

/** A pipeline of a LEFT join (left updating, so rows can be deleted) into a collecting sink. */
interface JoinPipeline { p: Pipeline; op: JoinExec; sink: CollectSink; push: (side: number, rows: unknown[][], kinds?: number[]) => void }

function joinPipeline(): JoinPipeline {
  const p = new Pipeline();
  const a = p.addSource(source('left', [...L, RK]));
  const b = p.addSource(source('right', R));
  const op = new JoinExec([[...L, RK], R], { joinType: 'LEFT', leftKeys: [0], rightKeys: [0], condition: null, stateBytesMax: 1 << 30 });
  const join = p.addOperator(op, [a, b]);
  const sink = new CollectSink();
  p.addSink(sink, join);
  p.enableChangelogs();
  const push = (side: number, rows: unknown[][], kinds?: number[]): void => {
    const cols = side === 0 ? L : R;
    p.push(side === 0 ? a : b, { kind: 'batch', batch: batchFromRows(cols, rows, side === 0 ? (kinds ?? rows.map(() => RowKind.INSERT)) : undefined) });
  };
  return { p, op, sink, push };
}

/** What the sink got since `from` batches. */
async function output(p: Pipeline, sink: CollectSink, from = 0): Promise<string[]> {
  await p.drainSinks();
  return sink.batches.slice(from).flatMap(changelog);
}

/** Takes a checkpoint of pipeline 0 and writes its changelogs; `store` false: a crash before the record. */
async function checkpoint(p: Pipeline, logs: StatementChangelogs, checkpoints: CheckpointStore, id: string, store = true): Promise<PipelineCheckpoint> {
  const cp = await p.checkpoint();
  const changelogs = await logs.write(0, p, cp);
  const stored = { ...cp, transaction: null, changelogs };
  if (store) {
    await checkpoints.put(id, [stored]);
    await logs.stored(0);
  }
  return stored;
}

/** A fresh pipeline restored the way the runtime restores one (checkpoint store, then changelogs). */
async function restored(env: Env, id: string): Promise<JoinPipeline & { logs: StatementChangelogs }> {
  const fresh = joinPipeline();
  const logs = new StatementChangelogs(env.topics, id, { compactMinBytes: 0 });
  await logs.restore([fresh.p], (await CheckpointStore.open(env.topics)).get(id) ?? [null]);
  return { ...fresh, logs };
}

describe('state changelog topics', () => {
  let env: Env;
  beforeAll(async () => { env = await startEnv(); });
  afterAll(async () => { await env.stop(); });

  it('restores a join from a full generation and deltas; a checkpoint whose record was never stored is ignored, and later ones append after it', async () => {
    const id = 'stmt-a';
    const checkpoints = await CheckpointStore.open(env.topics);
    const logs = new StatementChangelogs(env.topics, id, { compactMinBytes: 1 << 30 });
    const { p, sink, push } = joinPipeline();
    push(0, [[1, 'ann'], [2, 'bo'], [3, 'cy']]);
    push(1, [[1, 10]]);
    const first = await checkpoint(p, logs, checkpoints, id);
    // One record per side.
    expect(first.changelogs!['2:JoinExec'].ranges).toEqual([['0', '2']]);
    push(0, [[2, 'bo']], [RowKind.DELETE]);
    push(1, [[3, 30], [3, 31]]);
    const second = await checkpoint(p, logs, checkpoints, id);
    expect(second.changelogs!['2:JoinExec'].ranges).toEqual([['0', '4']]);
    // The uninterrupted run from here: its output for the next input is the reference.
    const before = sink.batches.length;
    push(0, [[4, 'di']]);
    push(1, [[2, 20], [4, 40], [1, 11]]);
    const reference = await output(p, sink, before);
    // A crash after writing checkpoint 3's deltas, before its record.
    const lost = await checkpoint(p, logs, checkpoints, id, false);
    expect(lost.changelogs!['2:JoinExec'].ranges).toEqual([['0', '6']]);

    const r = await restored(env, id);
    r.push(0, [[4, 'di']]);
    r.push(1, [[2, 20], [4, 40], [1, 11]]);
    expect(await output(r.p, r.sink)).toEqual(reference);
    expect(reference).toEqual(['+I[4, di, null, null]', '-D[4, di, null, null]', '+I[4, di, 4, 40]', '+I[1, ann, 1, 11]']);
    // The restored run checkpoints after the lost records (offsets 4 and 5): a second range, and a restore reads both.
    const next = await checkpoint(r.p, r.logs, checkpoints, id);
    expect(next.changelogs!['2:JoinExec'].ranges).toEqual([['0', '4'], ['6', '8']]);
    const again = await restored(env, id);
    again.push(1, [[1, 12], [4, 41], [3, 32]]);
    expect(await output(again.p, again.sink)).toEqual(['+I[1, ann, 1, 12]', '+I[4, di, 4, 41]', '+I[3, cy, 3, 32]']);
  });

  it('writes a new generation when the log outweighs the state and drops the old one once the checkpoint is stored; a crash in between keeps the old one', async () => {
    const id = 'stmt-b';
    const checkpoints = await CheckpointStore.open(env.topics);
    const logs = new StatementChangelogs(env.topics, id, { compactMinBytes: 0, compactRatio: 2 });
    const { p, push } = joinPipeline();
    const rows = Array.from({ length: 200 }, (_, i) => [i % 7, `row-${i}-${'x'.repeat(50)}`]);
    const gen = (n: number): string => `_runnel-state-${id}.0.2.${n}`;
    push(0, rows);
    await checkpoint(p, logs, checkpoints, id);
    expect(await StatementChangelogs.topicsOf(env.topics, id)).toEqual([gen(1)]);
    // Most rows go: the log (200 rows) now outweighs twice the state (10 rows), so the next
    // checkpoint writes generation 2; the crash comes before its record is stored.
    const deleted = rows.slice(0, 190);
    push(0, deleted, deleted.map(() => RowKind.DELETE));
    const compacted = await checkpoint(p, logs, checkpoints, id, false);
    expect(compacted.changelogs!['2:JoinExec'].topic).toBe(gen(2));
    expect((await StatementChangelogs.topicsOf(env.topics, id)).sort()).toEqual([gen(1), gen(2)]);

    // The restore uses generation 1 (all 200 rows) and deletes the orphan generation 2.
    const r = await restored(env, id);
    expect(await StatementChangelogs.topicsOf(env.topics, id)).toEqual([gen(1)]);
    const joined = (list: unknown[][], v: number): string[] => list.filter((row) => row[0] === 1).flatMap((row) => [`-D[1, ${row[1] as string}, null, null]`, `+I[1, ${row[1] as string}, 1, ${v}]`]);
    r.push(1, [[1, 1]]);
    expect(await output(r.p, r.sink)).toEqual(joined(rows, 1));
    // This time the record is stored: generation 2 replaces 1, which is deleted.
    const before = r.sink.batches.length;
    r.push(0, deleted, deleted.map(() => RowKind.DELETE));
    const gen2 = await checkpoint(r.p, r.logs, checkpoints, id);
    expect(gen2.changelogs!['2:JoinExec'].topic).toBe(gen(2));
    expect(gen2.changelogs!['2:JoinExec'].bytes).toBeLessThan(1500);
    expect(await StatementChangelogs.topicsOf(env.topics, id)).toEqual([gen(2)]);
    expect(await output(r.p, r.sink, before)).toHaveLength(deleted.length);
    const again = await restored(env, id);
    again.push(1, [[1, 2]]);
    // The kept rows already match the right row (1, 1): the new right row only adds joined rows.
    expect(await output(again.p, again.sink)).toEqual(rows.slice(190).filter((row) => row[0] === 1).map((row) => `+I[1, ${row[1] as string}, 1, 2]`));
    await StatementChangelogs.deleteAll(env.topics, id);
    expect(await StatementChangelogs.topicsOf(env.topics, id)).toEqual([]);
  });

  it('join state beyond what the checkpoint record may hold checkpoints through its changelog; a whole snapshot that large fails saying what to do', async () => {
    const id = 'stmt-c';
    // Parts of 1 KiB, at most 8 (the production limit, 256 MiB, scaled down).
    const checkpoints = await CheckpointStore.open(env.topics, { partBytes: 1024, partsMax: 8 });
    const logs = new StatementChangelogs(env.topics, id);
    const { p, op, push } = joinPipeline();
    push(0, Array.from({ length: 5000 }, (_, i) => [i % 100, `name-${i}-${'z'.repeat(100)}`]));
    const cp = await checkpoint(p, logs, checkpoints, id);
    expect(cp.changelogs!['2:JoinExec'].bytes).toBeGreaterThan(500_000);
    const r = await restored(env, id);
    r.push(1, [[42, 1]]);
    // 50 left rows of key 42: each NULL-padded row retracted, then joined.
    expect(await output(r.p, r.sink)).toHaveLength(100);
    const whole = { id: cp.id, sourceOffsets: {}, operatorStates: { '2:JoinExec': op.snapshotState() } };
    await expect(checkpoints.put('stmt-d', [whole])).rejects.toThrow(CheckpointTooLargeError);
    await expect(checkpoints.put('stmt-d', [whole])).rejects.toThrow(/more than 8 parts of 1024 bytes.*sql\.state-ttl/);
  });

  it('reads checkpoints stored in the previous JSON format', async () => {
    const log = await KvLog.open<unknown>(env.topics, '_runnel_offsets');
    const text = JSON.stringify([{ id: 7, sourceOffsets: { '0:bids': { 0: '42' } }, operatorStates: { '1:Agg': Buffer.from([1, 2, 3]).toString('base64') }, transaction: ['runnel-x-0-1', '12', 3] }]);
    await log.put('old@4#0', { chunk: text.slice(0, 50) });
    await log.put('old@4#1', { chunk: text.slice(50) });
    await log.put('old', { gen: 4, parts: 2 });
    const [cp] = (await CheckpointStore.open(env.topics)).get('old')!;
    expect(cp!.id).toBe(7);
    expect(cp!.sourceOffsets).toEqual({ '0:bids': { 0: '42' } });
    expect([...cp!.operatorStates['1:Agg']]).toEqual([1, 2, 3]);
    expect(cp!.transaction).toEqual({ transactionalId: 'runnel-x-0-1', producerId: 12n, producerEpoch: 3 });
  });
});

