/** A manual clock for coordinator tests: time moves only when `advance` is called. */
import type { Clock, TimerHandle } from '../../../src/broker/group/clock.ts';

interface Timer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

export class FakeClock implements Clock {
  private nowMs: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const t = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), fn };
    this.timers.push(t);
    return t.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order (timers they set are fired too if due). */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (let fired = 0; fired < 100_000; fired++) {
      const next = this.timers.filter((t) => t.dueMs <= target).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = next.dueMs;
      next.fn();
    }
    this.nowMs = target;
  }
}
