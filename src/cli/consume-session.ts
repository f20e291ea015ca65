/**
 * The state of one `runnel consume` run, apart from kafkajs: where each partition is, which
 * partitions reached their end, how many records were printed, and when the run is done
 * (every assigned partition finished, `--max` reached, or a signal).
 */
import type { PartitionPlan } from './consume-plan.ts';

/** The state of one run: where each partition is, which are finished, how many records were printed. */
export class ConsumeSession {
  printed = 0;
  stopping = false;
  private readonly plans: Map<number, PartitionPlan>;
  private readonly positions = new Map<number, bigint>();
  private readonly finished = new Set<number>();
  private readonly seeked = new Set<number>();
  private assigned: number[] | null = null;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    plans: readonly PartitionPlan[],
    private readonly selected: ReadonlySet<number> | null,
    private readonly max: number | null,
  ) {
    this.plans = new Map(plans.map((p) => [p.partition, p]));
    for (const p of plans) {
      this.positions.set(p.partition, p.from);
      if (p.until !== null && p.from >= p.until) this.finished.add(p.partition);
    }
  }

  plan(partition: number): PartitionPlan | undefined {
    return this.plans.get(partition);
  }

  wanted(partition: number): boolean {
    return this.selected === null || this.selected.has(partition);
  }

  /** True when no wanted partition has anything left to read, before joining. */
  nothingToRead(): boolean {
    return [...this.plans.keys()].filter((p) => this.wanted(p)).every((p) => this.finished.has(p));
  }

  /**
   * Where to seek a newly assigned partition, or null to let the group's committed offset
   * decide. Without commits every (re)assignment seeks to where this run got to; with commits
   * only the first assignment of a partition the group never committed seeks.
   */
  seekTarget(partition: number, commits: boolean): bigint | null {
    const plan = this.plans.get(partition);
    if (plan === undefined || !this.wanted(partition)) return null;
    if (commits && (plan.committed || this.seeked.has(partition))) return null;
    this.seeked.add(partition);
    return this.positions.get(partition) ?? plan.from;
  }

  onAssigned(partitions: number[]): void {
    this.assigned = partitions.filter((p) => this.wanted(p));
    this.check();
  }

  /** Records progress in a partition: `next` is the offset after the last one handled. */
  advance(partition: number, next: bigint): void {
    this.positions.set(partition, next);
    const until = this.plans.get(partition)?.until ?? null;
    if (until !== null && next >= until) {
      this.finished.add(partition);
      this.check();
    }
  }

  countPrinted(): void {
    this.printed++;
  }

  reachedMax(): boolean {
    return this.max !== null && this.printed >= this.max;
  }

  stop(): void {
    this.stopping = true;
    this.resolveDone();
  }

  private check(): void {
    if (this.assigned !== null && this.assigned.every((p) => this.finished.has(p))) this.stop();
  }
}
