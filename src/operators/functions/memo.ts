/**
 * One-entry memo of a timestamp formatter: DATE_FORMAT(ts, 'yyyy-MM-dd') depends only on the
 * day, so rows of the same day (time mostly advances) reuse the last string. `unitMs` is the
 * finest unit the pattern prints.
 */
export class TimeBucketMemo {
  private bucket = NaN;
  private value = '';
  constructor(private readonly unitMs: number, private readonly format: (ms: number) => string) {}

  get(ms: number): string {
    const b = Math.floor(ms / this.unitMs);
    if (b !== this.bucket) {
      this.value = this.format(ms);
      this.bucket = b;
    }
    return this.value;
  }
}
