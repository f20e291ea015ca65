/**
 * Time as the group coordinator sees it: the current time and one-shot timers. Injected so
 * that tests drive session timeouts and rebalance delays with a fake clock instead of waiting.
 */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock. Timers are unref'd so a forgotten one never keeps the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, delayMs) => {
    const t = setTimeout(fn, delayMs);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Accepts either a full {@link Clock} or a bare `() => number` (the broker's clock option): the
 * latter reads time from the function and schedules with real timers.
 */
export function toClock(clock: Clock | (() => number) | undefined): Clock {
  if (clock === undefined) return systemClock;
  if (typeof clock === 'function') return { ...systemClock, now: clock };
  return clock;
}
