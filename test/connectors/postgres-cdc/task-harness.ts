/**
 * Runs a PostgresCdcTask without the worker: an in-memory offset store, and a `drain` that
 * polls, marks every record durable (as the worker does after producing it and committing its
 * offset) and collects what came out.
 */
import pino from 'pino';
import type { SourceOffset, SourcePartition, SourceRecord, Struct } from '../../../src/connectors/api.ts';
import { PostgresCdcTask } from '../../../src/connectors/postgres-cdc/index.ts';
import type { TestPostgres } from '../../helpers/postgres.ts';

export interface TaskRun {
  task: PostgresCdcTask;
  records: SourceRecord[];
  /** Polls until `done(records)` or the timeout; commits everything polled. */
  drainUntil(done: (all: SourceRecord[]) => boolean, timeoutMs?: number): Promise<SourceRecord[]>;
  /**
   * Polls until at least `n` records came, keeps and commits exactly the first `n` and drops
   * the rest, as if the process died before producing them.
   */
  takeExactly(n: number, timeoutMs?: number): Promise<SourceRecord[]>;
  lastOffset(): SourceOffset | null;
  stop(): Promise<void>;
}

export function cdcConfig(pg: TestPostgres, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'PostgresCdcSource',
    'database.hostname': pg.host,
    'database.port': String(pg.port),
    'database.user': pg.user,
    'database.dbname': pg.database,
    'topic.prefix': 'srv',
    'poll.interval.ms': '50',
    ...extra,
  };
}

export async function startTask(config: Record<string, string>, stored: SourceOffset | null = null): Promise<TaskRun> {
  const task = new PostgresCdcTask();
  let offset: SourceOffset | null = stored;
  const records: SourceRecord[] = [];
  await task.start({
    connectorName: 'test',
    taskId: 0,
    logger: pino({ level: 'warn' }),
    config,
    offsets: {
      offset: (_p: SourcePartition) => offset,
      offsets: (ps) => new Map(ps.map((p) => [p, offset])),
    },
    requestCommit: () => undefined,
  });
  const run: TaskRun = {
    task,
    records,
    async drainUntil(done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done(records)) {
        if (Date.now() > deadline) throw new Error(`timed out with ${records.length} records`);
        const batch = (await task.poll()) ?? [];
        for (const r of batch) {
          records.push(r);
          offset = r.sourceOffset;
          await task.commitRecord(r, { topic: r.topic, partition: 0, offset: BigInt(records.length) });
        }
      }
      return records;
    },
    async takeExactly(n, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const got: SourceRecord[] = [];
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out with ${got.length} of ${n} records`);
        got.push(...((await task.poll()) ?? []));
      }
      const kept = got.slice(0, n);
      for (const r of kept) {
        records.push(r);
        offset = r.sourceOffset;
        await task.commitRecord(r, { topic: r.topic, partition: 0, offset: BigInt(records.length) });
      }
      return kept;
    },
    lastOffset: () => offset,
    stop: () => task.stop(),
  };
  return run;
}

/** The value struct of a change record. */
export function envelopeOf(r: SourceRecord): Struct {
  return r.value as Struct;
}
