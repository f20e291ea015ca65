/**
 * TemporalJoinExec: an event-time temporal join, `JOIN versioned FOR SYSTEM_TIME AS OF l.rowtime`
 * (Flink's TemporalRowTimeJoinOperator). The right input is a versioned table: an upsert
 * changelog whose rows carry a rowtime; each row (or deletion) is the version of its key from
 * that time on.
 *
 * A left row at time t joins the right version of its key valid at t: the latest version with
 * time <= t. Because that version may still arrive, left rows wait until the combined watermark
 * reaches t, then are joined (INNER) or, without a version, NULL-padded (LEFT). The output is
 * append-only. Once the watermark passes, versions older than the one valid at the watermark
 * can no longer be asked for and are dropped.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnDef } from '../arrow-types.ts';
import { scalarAt } from '../column.ts';
import { GroupKeyReader } from '../group-key.ts';
import type { GroupKey } from '../group-key.ts';
import type { StreamMessage } from '../message.ts';
import { ROW_KIND_COLUMN, RowKind } from '../row-kind.ts';
import { decodeState, encodeState } from '../state/codec.ts';
import { JoinCondition } from './join-condition.ts';
import { keyHasNull, readColumns, rowAt, rowBytes } from './join-rows.ts';
import { keyedJoinParts } from './joined-output.ts';
import type { JoinedOutput, KeyedJoinOptions } from './joined-output.ts';
import { TwoInputExec } from './two-input-exec.ts';

export interface TemporalJoinOptions extends KeyedJoinOptions {
  readonly joinType: 'INNER' | 'LEFT';
  /** The left's rowtime and the versioned table's rowtime columns. */
  readonly leftTime: number;
  readonly rightTime: number;
}

interface Pending { readonly row: unknown[]; readonly key: GroupKey | null; readonly time: number }
/** A version: the right row from `time` on, or null when the key was deleted at `time`. */
interface Version { readonly time: number; readonly row: unknown[] | null }

export class TemporalJoinExec extends TwoInputExec {
  readonly name = 'TemporalJoinExec';
  readonly outputColumns: readonly ColumnDef[];
  private readonly output: JoinedOutput;
  private readonly counts: [number, number];
  private readonly readers: [GroupKeyReader, GroupKeyReader];
  private readonly condition: JoinCondition | null;
  private readonly rightRowKind: number;
  private pending: Pending[] = [];
  private readonly versions = new Map<GroupKey, Version[]>();
  /** Keys with more than one version (candidates for cleanup). */
  private readonly multi = new Set<GroupKey>();

  constructor(private readonly inputs: readonly [readonly ColumnDef[], readonly ColumnDef[]], private readonly options: TemporalJoinOptions) {
    super();
    ({ counts: this.counts, readers: this.readers, output: this.output, condition: this.condition } =
      keyedJoinParts(this.name, inputs, options, { 'the left time column': [options.leftTime, null], 'the version time column': [null, options.rightTime] }, [true, false], false));
    this.rightRowKind = inputs[1].findIndex((c) => c.name === ROW_KIND_COLUMN);
    this.outputColumns = this.output.columns;
  }

  protected onBatch(side: number, batch: RecordBatch, _out: StreamMessage[]): void {
    const cols = readColumns(batch, this.inputs[side], this.counts[side]);
    const reader = this.readers[side];
    reader.bind(cols);
    const keys = side === 0 ? this.options.leftKeys : this.options.rightKeys;
    const times = cols[side === 0 ? this.options.leftTime : this.options.rightTime];
    const kinds = side === 1 && this.rightRowKind >= 0 ? (batch.data.children[this.rightRowKind].values as Int8Array) : null;
    for (let i = 0; i < batch.numRows; i++) {
      const key = keyHasNull(cols, keys, i) ? null : reader.keyAt(i);
      const row = rowAt(cols, i);
      const t = scalarAt(times, i) as number | null;
      if (side === 0) {
        this.pending.push({ row, key, time: t ?? -Infinity });
        this.grow(rowBytes(row));
      } else if (key !== null) {
        const deleted = kinds !== null && (kinds[i] === RowKind.DELETE || kinds[i] === RowKind.UPDATE_BEFORE);
        const v = { time: t ?? this.combinedWatermarkMs, row: deleted ? null : row };
        this.addVersion(key, v);
        this.grow(versionBytes(v));
      }
    }
  }

  /** Inserts a version in time order (a later version of the same time replaces it). */
  private addVersion(key: GroupKey, v: Version): void {
    const list = this.versions.get(key);
    if (list === undefined) { this.versions.set(key, [v]); return; }
    let at = list.length;
    while (at > 0 && list[at - 1].time > v.time) at--;
    if (at > 0 && list[at - 1].time === v.time) {
      this.bytes -= versionBytes(list[at - 1]);
      list[at - 1] = v;
    } else list.splice(at, 0, v);
    if (list.length > 1) this.multi.add(key);
  }

  protected override onCombinedWatermark(timestampMs: number, out: StreamMessage[]): void {
    const due = this.pending.filter((p) => p.time <= timestampMs).sort((a, b) => a.time - b.time);
    if (due.length > 0) {
      this.pending = this.pending.filter((p) => p.time > timestampMs);
      this.joinDue(due);
      this.emitRows(this.output.rows, out);
    }
    this.cleanup(timestampMs);
  }

  private joinDue(due: readonly Pending[]): void {
    const version = due.map((p) => (p.key === null ? null : validAt(this.versions.get(p.key), p.time)));
    const idx: number[] = [];
    due.forEach((_, i) => { if (version[i] !== null) idx.push(i); });
    const pass = this.condition?.test(idx.length, (c, q) => this.output.valueOf(c, due[idx[q]].row, version[idx[q]] as unknown[])) ?? null;
    const joined = new Uint8Array(due.length);
    idx.forEach((i, q) => { if (pass === null || pass[q] === 1) joined[i] = 1; });
    due.forEach((p, i) => {
      this.bytes -= rowBytes(p.row);
      if (joined[i] === 1) this.output.write(p.row, version[i], RowKind.INSERT);
      else if (this.options.joinType === 'LEFT') this.output.write(p.row, null, RowKind.INSERT);
    });
  }

  /** Drops versions that no left row at or after the watermark can ask for. */
  private cleanup(watermarkMs: number): void {
    for (const key of this.multi) {
      const list = this.versions.get(key) as Version[];
      let valid = -1;
      for (let j = 0; j < list.length && list[j].time <= watermarkMs; j++) valid = j;
      if (valid > 0) {
        for (const v of list.splice(0, valid)) this.bytes -= versionBytes(v);
      }
      if (list.length === 1 && list[0].row === null && list[0].time <= watermarkMs) {
        this.bytes -= versionBytes(list[0]);
        this.versions.delete(key);
      }
      if (list.length <= 1) this.multi.delete(key);
    }
  }

  private grow(delta: number): void {
    this.growState(delta, this.options.stateBytesMax, () => `${this.pending.length} waiting rows, ${this.versions.size} keys`);
  }

  override snapshotState(): Uint8Array {
    const versions = [...this.versions].map(([k, list]) => [k, list.map((v) => [v.time, v.row])]);
    return encodeState({ v: 1, wm: this.watermarkMs, combined: this.combinedWatermarkMs, bytes: this.bytes, pending: this.pending.map((p) => [p.key, p.time, p.row]), versions });
  }

  override restoreState(bytes: Uint8Array): void {
    const s = decodeState(bytes) as {
      wm: number; combined: number; bytes: number; pending: [GroupKey | null, number, unknown[]][]; versions: [GroupKey, [number, unknown[] | null][]][];
    };
    this.watermarkMs = s.wm;
    this.combinedWatermarkMs = s.combined;
    this.bytes = s.bytes;
    this.pending = s.pending.map(([key, time, row]) => ({ key, time, row }));
    this.versions.clear();
    this.multi.clear();
    for (const [k, list] of s.versions) {
      this.versions.set(k, list.map(([time, row]) => ({ time, row })));
      if (list.length > 1) this.multi.add(k);
    }
  }

  display(): string {
    const name = (s: number, k: number): string => this.inputs[s][k].name;
    const keys = this.options.leftKeys.map((k, i) => `${name(0, k)} = ${name(1, this.options.rightKeys[i])}`).join(', ');
    return `TemporalJoinExec: type=${this.options.joinType} keys=[${keys}] as of ${name(0, this.options.leftTime)} version=${name(1, this.options.rightTime)}`;
  }
}

/** The row of the latest version at or before `t` (null: none, or deleted). */
function validAt(list: readonly Version[] | undefined, t: number): unknown[] | null {
  if (list === undefined) return null;
  for (let j = list.length - 1; j >= 0; j--) if (list[j].time <= t) return list[j].row;
  return null;
}

function versionBytes(v: Version): number {
  return v.row === null ? 64 : rowBytes(v.row);
}
