/**
 * Group commit: many writers wait for their appends to be durable, one fdatasync serves them
 * all. While a sync runs, later callers share a single "next" sync, started when the running
 * one ends and covering everything appended until then; so at most two syncs are ever pending
 * and no queue grows with the number of callers.
 */
import fs from 'node:fs';

/** What the next sync makes durable: the file to sync and the offset it covers up to (exclusive). */
export interface SyncTarget {
  fd: number;
  offset: bigint;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class GroupCommit {
  private running: Promise<void> | null = null;
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

  /** The sync in flight, if any (deleting files waits for it). */
  get inFlight(): Promise<void> | null {
    return this.running;
  }

  /** Records that everything below `offset` became durable some other way (a roll's fsync). */
  markDurable(offset: bigint): void {
    if (this.durableOffset < offset) this.durableOffset = offset;
  }

  /** Resolves once everything appended before the call is on disk. */
  flush(): Promise<void> {
    if (this.running === null) return this.start() ?? Promise.resolve();
    if (this.next === null) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.next = { promise, resolve, reject };
    }
    return this.next.promise;
  }

  private start(): Promise<void> | null {
    const target = this.nextTarget();
    if (target === null) return null;
    const done = new Promise<void>((resolve, reject) => fs.fdatasync(target.fd, (err) => (err ? reject(this.wrapError(err)) : resolve()))).then(() =>
      this.markDurable(target.offset),
    );
    this.running = done;
    const after = (): void => {
      this.running = null;
      const waiting = this.next;
      this.next = null;
      if (waiting !== null) (this.start() ?? Promise.resolve()).then(waiting.resolve, waiting.reject);
    };
    done.then(after, after);
    return done;
  }
}
