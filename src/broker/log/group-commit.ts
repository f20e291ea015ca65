/**
 * Group commit: many writers wait for their appends to be durable, and one fdatasync serves
 * all who asked before it started. Up to {@link concurrentSyncsMax} syncs run at once: a caller
 * arriving while one is in flight starts another at once instead of waiting for the running
 * one to end and then for its own (with one sync at a time an ack waited 1.5 sync times on
 * average and up to two, which is what the p99 ack latency saw). Callers beyond that share one
 * "next" sync, started when a running one ends and covering everything appended until then;
 * so no queue grows with the number of callers.
 */
import fs from 'node:fs';

/** fdatasyncs in flight at once per log (each holds a libuv threadpool thread). */
export const concurrentSyncsMax = 2;

/**
 * What the next sync makes durable: the file to sync and the offset it covers up to (exclusive).
 * `after`: the offsets below the file's start become durable only when it settles (a segment
 * roll still syncing the previous segment), so the sync counts only once both are done.
 */
export interface SyncTarget {
  fd: number;
  offset: bigint;
  after?: Promise<void> | null;
  /** Called once the sync has made `offset` durable (must not throw). */
  onDurable?: () => void;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface RunningSync {
  offset: bigint;
  done: Promise<void>;
}

export class GroupCommit {
  private readonly running: RunningSync[] = [];
  private next: Deferred | null = null;

  /**
   * @param durableOffset everything below it is on disk already
   * @param nextTarget the sync to run now, or null when everything is durable (or the log closed)
   * @param wrapError turns a failed fdatasync into the error callers see
   */
  constructor(
    public durableOffset: bigint,
    private readonly nextTarget: () => SyncTarget | null,
    private readonly wrapError: (e: Error) => Error,
  ) {}

  /** Settles once every sync in flight has ended (deleting files waits for it); null when none runs. */
  get inFlight(): Promise<void> | null {
    if (this.running.length === 0) return null;
    return Promise.allSettled(this.running.map((r) => r.done)).then(() => undefined);
  }

  /** Records that everything below `offset` became durable some other way (a roll's fsync). */
  markDurable(offset: bigint): void {
    if (this.durableOffset < offset) this.durableOffset = offset;
  }

  /** Resolves once everything appended before the call is on disk. */
  flush(): Promise<void> {
    if (this.next === null && this.running.length < concurrentSyncsMax) return this.start();
    if (this.next === null) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.next = { promise, resolve, reject };
    }
    return this.next.promise;
  }

  /**
   * A sync covering everything appended so far: a running one when it already does (it was
   * issued after the last append), else a new one.
   */
  private start(): Promise<void> {
    const target = this.nextTarget();
    if (target === null) return Promise.resolve();
    const covering = this.running.find((r) => r.offset >= target.offset);
    if (covering !== undefined) return covering.done;
    const synced = new Promise<void>((resolve, reject) => fs.fdatasync(target.fd, (err) => (err ? reject(this.wrapError(err)) : resolve())));
    const done = (target.after == null ? synced : Promise.all([synced, target.after])).then(() => {
      this.markDurable(target.offset);
      target.onDurable?.();
    });
    const entry: RunningSync = { offset: target.offset, done };
    this.running.push(entry);
    const after = (): void => {
      this.running.splice(this.running.indexOf(entry), 1);
      const waiting = this.next;
      this.next = null;
      if (waiting !== null) this.start().then(waiting.resolve, waiting.reject);
    };
    done.then(after, after);
    return done;
  }
}
