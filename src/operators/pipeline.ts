/**
 * A tiny driver that wires sources, operators and sinks into a DAG and pushes messages through
 * it, plus the `Source` and `Sink` contracts connectors and the runtime implement.
 *
 * Operators are synchronous: a message from a source flows depth-first through every operator
 * before the next one is taken; what reaches a sink is queued and delivered (awaited) after each
 * polling round. Checkpoints inject a barrier at every source, then snapshot every operator and
 * pre-commit every sink; the caller persists the `Checkpoint` and then calls `commit`.
 *
 * @example
 *   const p = new Pipeline();
 *   const src = p.addSource(source);
 *   const calc = p.addOperator(new CalcExec(source.outputColumns, { projections }), [src]);
 *   p.addSink(sink, calc);
 *   await p.run();
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from './arrow-types.ts';
import { InvalidPlanError, ResourcesExhaustedError } from './errors.ts';
import type { Operator, OperatorMetrics, StreamMessage } from './message.ts';
import type { StateChangelog } from './state/changelog.ts';

/** Source positions as opaque strings (Kafka offsets as decimal strings: bigint-safe JSON). */
export type SourceOffsets = Readonly<Record<string, string>>;

/**
 * A source of batches and watermarks. Connectors decode records into Arrow batches; a bounded
 * source ends with `{ kind: 'end' }`.
 */
export interface Source {
  readonly name: string;
  readonly outputColumns: readonly ColumnDef[];
  /** Up to `messagesMax` messages available now; [] when nothing is ready yet. */
  poll(messagesMax: number): Promise<StreamMessage[]>;
  /** The position right after the last message `poll` returned. */
  offsets(): SourceOffsets;
  /** Continues right after `offsets` (on restore from a checkpoint). */
  restoreOffsets(offsets: SourceOffsets): void;
  close(): Promise<void>;
  /**
   * A bounded side input (a filesystem table): `run` reads it to its end before polling any
   * other source, so a lookup join has it whole before the first probe row.
   */
  readonly readFirst?: boolean;
}

/**
 * A sink for results. Batches of an updating stream carry a `$row_kind` column (see row-kind.ts).
 * Output written before `preCommit(n)` belongs to checkpoint n; it becomes visible at `commit(n)`
 * (a Kafka transaction, an offsets table in a warehouse), so a replay after a crash repeats nothing.
 */
export interface Sink {
  readonly name: string;
  write(batch: RecordBatch): Promise<void>;
  onWatermark?(timestampMs: number): Promise<void>;
  preCommit(checkpointId: number): Promise<void>;
  commit(checkpointId: number): Promise<void>;
  /** All inputs ended. */
  finish?(): Promise<void>;
  close(): Promise<void>;
}

export interface Checkpoint {
  readonly id: number;
  /** Source name -> offsets. */
  readonly sourceOffsets: Readonly<Record<string, SourceOffsets>>;
  /** Operator key (`<node>:<name>`) -> state snapshot. */
  readonly operatorStates: Readonly<Record<string, Uint8Array>>;
  /**
   * Operators checkpointed through their state changelog (`enableChangelogs`): their entry in
   * `operatorStates` is the meta snapshot, and the caller writes `changelogOf(key).takeChanges`
   * before the pipeline runs again.
   */
  readonly changelogKeys?: readonly string[];
}

export interface RunOptions {
  /** Messages taken from one source per polling round. */
  readonly pollMessagesMax?: number;
  /** Polling rounds before `run` returns even if sources have not ended (Infinity: until they end). */
  readonly roundsMax?: number;
  /** Pause when no source had anything, in ms. */
  readonly idleWaitMs?: number;
  /** Take a checkpoint every this many rounds; `onCheckpoint` persists it before sinks commit. */
  readonly checkpointEveryRounds?: number;
  readonly onCheckpoint?: (cp: Checkpoint) => Promise<void>;
  readonly signal?: AbortSignal;
}

export type NodeId = number;

type Node =
  | { readonly kind: 'source'; readonly source: Source; readonly out: Edge[] }
  | { readonly kind: 'operator'; readonly op: Operator; readonly out: Edge[]; readonly key: string }
  | { readonly kind: 'sink'; readonly sink: Sink };

interface Edge { readonly to: NodeId; readonly port: number }

/** Messages waiting for a sink; past this the pipeline fails instead of buffering without end. */
export const SINK_QUEUE_MESSAGES_MAX = 100_000;
export const NODES_MAX = 10_000;

export class Pipeline {
  private readonly nodes: Node[] = [];
  private readonly sinkQueue: { sink: Sink; msg: StreamMessage }[] = [];
  private readonly ended = new Set<NodeId>();
  private checkpointId = 0;
  private changelogs = false;

  addSource(source: Source): NodeId {
    return this.add({ kind: 'source', source, out: [] });
  }

  addOperator(op: Operator, inputs: readonly NodeId[]): NodeId {
    if (inputs.length !== op.inputCount) {
      throw new InvalidPlanError('INVALID_PLAN', `${op.name} takes ${op.inputCount} inputs, got ${inputs.length}`);
    }
    const id = this.add({ kind: 'operator', op, out: [], key: `${this.nodes.length}:${op.name}` });
    inputs.forEach((from, port) => this.edgesOf(from).push({ to: id, port }));
    return id;
  }

  addSink(sink: Sink, input: NodeId): NodeId {
    const id = this.add({ kind: 'sink', sink });
    this.edgesOf(input).push({ to: id, port: 0 });
    return id;
  }

  /** Pushes one message as if node `from` had emitted it; operators run synchronously. */
  push(from: NodeId, msg: StreamMessage): void {
    for (const e of this.edgesOf(from)) {
      const node = this.nodes[e.to];
      if (node.kind === 'sink') {
        if (this.sinkQueue.length >= SINK_QUEUE_MESSAGES_MAX) {
          throw new ResourcesExhaustedError('Pipeline', 'sinkQueueMessagesMax', `${SINK_QUEUE_MESSAGES_MAX} messages wait for sink ${node.sink.name}`);
        }
        this.sinkQueue.push({ sink: node.sink, msg });
      } else if (node.kind === 'operator') {
        const out: StreamMessage[] = [];
        node.op.process(e.port, msg, out);
        for (const m of out) this.push(e.to, m);
      }
    }
  }

  /** Delivers queued messages to sinks, in order. */
  async drainSinks(): Promise<void> {
    const queue = this.sinkQueue.splice(0);
    for (const { sink, msg } of queue) {
      if (msg.kind === 'batch') await sink.write(msg.batch);
      else if (msg.kind === 'watermark') await sink.onWatermark?.(msg.timestampMs);
      else if (msg.kind === 'end') await sink.finish?.();
    }
  }

  /** Polls sources until all have ended (or `roundsMax` / the signal stops it). */
  async run(options: RunOptions = {}): Promise<void> {
    const pollMax = options.pollMessagesMax ?? 64;
    const roundsMax = options.roundsMax ?? Infinity;
    const sources = this.nodes.flatMap((n, id) => (n.kind === 'source' ? [id] : []));
    for (const id of sources) {
      const { source } = this.nodes[id] as Extract<Node, { kind: 'source' }>;
      while (source.readFirst === true && !this.ended.has(id)) {
        if (options.signal?.aborted === true) return;
        for (const m of await source.poll(pollMax)) {
          this.push(id, m);
          if (m.kind === 'end') this.ended.add(id);
        }
      }
    }
    for (let round = 0; round < roundsMax; round++) {
      if (options.signal?.aborted === true) return;
      let got = 0;
      for (const id of sources) {
        if (this.ended.has(id)) continue;
        const msgs = await (this.nodes[id] as Extract<Node, { kind: 'source' }>).source.poll(pollMax);
        got += msgs.length;
        for (const m of msgs) {
          this.push(id, m);
          if (m.kind === 'end') this.ended.add(id);
        }
      }
      this.fireTimers(Date.now());
      await this.drainSinks();
      if (options.checkpointEveryRounds !== undefined && (round + 1) % options.checkpointEveryRounds === 0) {
        const cp = await this.checkpoint();
        await options.onCheckpoint?.(cp);
        await this.commit(cp.id);
      }
      if (sources.every((id) => this.ended.has(id))) return;
      if (got === 0) await new Promise((r) => setTimeout(r, options.idleWaitMs ?? 10));
    }
  }

  /** Calls every operator's processing-time timer and pushes what it emits downstream. */
  fireTimers(nowMs: number): void {
    this.nodes.forEach((n, id) => {
      if (n.kind !== 'operator' || n.op.onProcessingTime === undefined) return;
      const out: StreamMessage[] = [];
      n.op.onProcessingTime(nowMs, out);
      for (const m of out) this.push(id, m);
    });
  }

  /** Injects a barrier at every source, then snapshots operators and pre-commits sinks. */
  async checkpoint(): Promise<Checkpoint> {
    const id = ++this.checkpointId;
    const sourceOffsets: Record<string, SourceOffsets> = {};
    this.nodes.forEach((n, nid) => {
      if (n.kind === 'source') {
        sourceOffsets[`${nid}:${n.source.name}`] = n.source.offsets();
        this.push(nid, { kind: 'barrier', checkpointId: id });
      }
    });
    const operatorStates: Record<string, Uint8Array> = {};
    const changelogKeys: string[] = [];
    for (const n of this.nodes) {
      if (n.kind !== 'operator') continue;
      if (this.changelogs && n.op.changelog !== undefined) {
        operatorStates[n.key] = n.op.changelog.snapshotMeta();
        changelogKeys.push(n.key);
      } else operatorStates[n.key] = snapshotOf(n.op);
    }
    // Barriers are control messages for sinks; the queued batches before them are flushed here.
    await this.drainSinks();
    for (const n of this.nodes) if (n.kind === 'sink') await n.sink.preCommit(id);
    return { id, sourceOffsets, operatorStates, ...(this.changelogs ? { changelogKeys } : {}) };
  }

  /** Checkpoints operators that offer a state changelog through it (the runtime writes the changes). */
  enableChangelogs(): void {
    this.changelogs = true;
  }

  /** The state changelog of operator `key`. */
  changelogOf(key: string): StateChangelog {
    const n = this.nodes.find((x) => x.kind === 'operator' && x.key === key);
    const c = n?.kind === 'operator' ? n.op.changelog : undefined;
    if (c === undefined) throw new InvalidPlanError('INVALID_PLAN', `operator ${key} has no state changelog`);
    return c;
  }

  async commit(checkpointId: number): Promise<void> {
    for (const n of this.nodes) if (n.kind === 'sink') await n.sink.commit(checkpointId);
  }

  /**
   * Restores operator states and source offsets from a checkpoint of the same pipeline shape.
   * Operators in `changelogKeys` get their meta snapshot; the caller then applies their changelog.
   */
  restore(cp: Checkpoint): void {
    this.checkpointId = cp.id;
    const changelogKeys = new Set(cp.changelogKeys ?? []);
    this.nodes.forEach((n, nid) => {
      if (n.kind === 'operator') {
        const s = cp.operatorStates[n.key];
        if (s === undefined) throw new InvalidPlanError('INVALID_PLAN', `checkpoint ${cp.id} has no state for ${n.key}`);
        if (changelogKeys.has(n.key)) this.changelogOf(n.key).restoreMeta(s);
        else n.op.restoreState(s);
      } else if (n.kind === 'source') {
        const o = cp.sourceOffsets[`${nid}:${n.source.name}`];
        if (o !== undefined) n.source.restoreOffsets(o);
      }
    });
  }

  metrics(): Record<string, OperatorMetrics> {
    const m: Record<string, OperatorMetrics> = {};
    for (const n of this.nodes) if (n.kind === 'operator') m[n.key] = n.op.metrics();
    return m;
  }

  /** EXPLAIN-style listing of the operators in insertion order. */
  display(): string {
    return this.nodes.map((n, id) => {
      if (n.kind === 'source') return `${id}: Source ${n.source.name}`;
      if (n.kind === 'sink') return `${id}: Sink ${n.sink.name}`;
      return `${id}: ${n.op.display()}`;
    }).join('\n');
  }

  private add(node: Node): NodeId {
    if (this.nodes.length >= NODES_MAX) throw new InvalidPlanError('INVALID_PLAN', `a pipeline holds at most ${NODES_MAX} nodes`);
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  private edgesOf(id: NodeId): Edge[] {
    const n = this.nodes[id];
    if (n === undefined || n.kind === 'sink') throw new InvalidPlanError('INVALID_PLAN', `node ${id} cannot have outputs`);
    return n.out;
  }
}

/** A sink that keeps everything in memory; for tests and the SELECT-to-caller path. */
export class CollectSink implements Sink {
  readonly name = 'CollectSink';
  readonly batches: RecordBatch[] = [];
  readonly watermarks: number[] = [];
  committed = 0;
  finished = false;
  write(batch: RecordBatch): Promise<void> { this.batches.push(batch); return Promise.resolve(); }
  onWatermark(ts: number): Promise<void> { this.watermarks.push(ts); return Promise.resolve(); }
  preCommit(): Promise<void> { return Promise.resolve(); }
  commit(id: number): Promise<void> { this.committed = id; return Promise.resolve(); }
  finish(): Promise<void> { this.finished = true; return Promise.resolve(); }
  close(): Promise<void> { return Promise.resolve(); }
}

/**
 * An operator's snapshot. Snapshots are JSON text, and V8 caps a string at ~512 MiB: a state
 * that outgrows it fails the statement with an error that says what to change, not V8's
 * 'Invalid string length'.
 */
function snapshotOf(op: Operator): Uint8Array {
  try {
    return op.snapshotState();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ResourcesExhaustedError(op.name, 'stateBytesMax',
      `state of ~${Math.round(op.metrics().stateBytes / 2 ** 20)} MiB is too large to checkpoint (a snapshot is at most ~512 MiB of JSON); set 'sql.state-ttl' or lower 'sql.state.max-size' so the statement fails before this point`);
  }
}
