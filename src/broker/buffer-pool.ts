/**
 * Reusable large buffers for the broker's two big per-request allocations: produce request
 * frames (src/broker/connection.ts) and the segment bytes a Fetch response carries
 * (handlers/fetch.ts). A buffer allocated per request is external memory to V8, and growth of
 * external memory alone starts full mark-compacts, however small the JS heap: at 150 MB/s of
 * produce one every 100–250 ms, and a 400 MB consume spent ~0.9 s of its 2.8 s in GC. Reusing
 * buffers keeps external memory flat.
 *
 * A buffer may go back only once nothing can still read it; callers own that rule.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private idleBytes = 0;

  /**
   * @param minBytes smaller requests get plain `Buffer.allocUnsafe` (Node's shared slab) and are never pooled
   * @param idleBytesMax bytes of idle buffers kept for reuse; beyond that they are left to the GC
   */
  constructor(
    readonly minBytes: number,
    private readonly idleBytesMax: number,
  ) {}

  /**
   * A buffer of exactly `n` bytes; from `minBytes` on, a view of a power-of-two allocation that
   * {@link give} can take back.
   */
  take(n: number): Buffer {
    if (n < this.minBytes) return Buffer.allocUnsafe(n);
    const size = 2 ** Math.ceil(Math.log2(n));
    const whole = this.free.get(size)?.pop();
    if (whole === undefined) return Buffer.allocUnsafeSlow(size).subarray(0, n);
    this.idleBytes -= size;
    return whole.subarray(0, n);
  }

  /** Returns a buffer from {@link take} (any view starting at its first byte); small ones are ignored. */
  give(buf: Buffer): void {
    const size = buf.buffer.byteLength;
    if (buf.length < this.minBytes || buf.byteOffset !== 0 || (size & (size - 1)) !== 0 || this.idleBytes + size > this.idleBytesMax) return;
    let list = this.free.get(size);
    if (list === undefined) this.free.set(size, (list = []));
    list.push(Buffer.from(buf.buffer, 0, size));
    this.idleBytes += size;
  }
}
