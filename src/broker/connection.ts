/**
 * One client connection: reads size-prefixed request frames, hands each to the dispatcher as
 * it arrives (so a producer's pipelined requests share one group-commit fsync), and writes
 * responses strictly in request order, as Kafka clients require.
 *
 * Bad input never reaches other clients: an oversized or unparseable frame closes this
 * connection only.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/** What the dispatcher answers for one request frame. */
export type DispatchResult =
  | { kind: 'response'; chunks: Buffer[] }
  /** acks=0 produce: no response is sent. */
  | { kind: 'none' }
  /** The request was malformed or unsupported in a way Kafka answers by disconnecting. */
  | { kind: 'close'; reason: string };

export type Dispatcher = (frame: Buffer, conn: ConnectionInfo) => Promise<DispatchResult>;

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
}

export interface ConnectionLimits {
  /** socket.request.max.bytes: the largest request frame accepted. */
  requestBytesMax: number;
  /** Requests read ahead of their responses before the socket stops being read. */
  inflightRequestsMax: number;
}

interface Pending {
  done: boolean;
  result: DispatchResult | null;
}

export class Connection {
  private chunks: Buffer[] = [];
  private chunksBytes = 0;
  /** Size of the frame being read, or -1 while its size prefix is not yet read. */
  private frameBytes = -1;
  private readonly queue: Pending[] = [];
  private closed = false;
  private paused = false;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    private readonly dispatch: Dispatcher,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.debug({ err, conn: info.id }, 'connection error'));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  private onData(chunk: Buffer): void {
    // Chunks are kept in a list and joined once per frame: re-concatenating on every chunk
    // would copy a large produce request once per 64 KiB read.
    this.chunks.push(chunk);
    this.chunksBytes += chunk.length;
    while (!this.closed) {
      if (this.frameBytes < 0) {
        if (this.chunksBytes < 4) break;
        const size = this.peekInt32();
        if (size < 8 || size > this.limits.requestBytesMax) {
          this.close(`request frame of ${size} bytes is outside [8, ${this.limits.requestBytesMax}]`);
          return;
        }
        this.frameBytes = size;
      }
      if (this.chunksBytes < 4 + this.frameBytes) break;
      const frame = this.take(4 + this.frameBytes).subarray(4);
      this.frameBytes = -1;
      this.start(frame);
    }
    if (this.queue.length >= this.limits.inflightRequestsMax && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks, 4).readInt32BE(0);
  }

  /** Removes and returns the first `n` buffered bytes, copying only when they span chunks. */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0];
        const k = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, k);
        filled += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.chunksBytes -= n;
    return out;
  }

  private start(frame: Buffer): void {
    const pending: Pending = { done: false, result: null };
    this.queue.push(pending);
    this.dispatch(frame, this.info).then(
      (result) => {
        pending.done = true;
        pending.result = result;
        this.drain();
      },
      (err: unknown) => {
        // Dispatchers turn errors into Kafka codes; reaching here is a bug in the broker.
        this.log.error({ err, conn: this.info.id }, 'request handler failed unexpectedly');
        pending.done = true;
        pending.result = { kind: 'close', reason: 'internal error' };
        this.drain();
      },
    );
  }

  private drain(): void {
    while (this.queue.length > 0 && this.queue[0].done) {
      const { result } = this.queue.shift()!;
      if (this.closed || result === null) continue;
      if (result.kind === 'close') {
        this.close(result.reason);
        return;
      }
      if (result.kind === 'response') {
        let size = 0;
        for (const c of result.chunks) size += c.length;
        const prefix = Buffer.allocUnsafe(4);
        prefix.writeInt32BE(size, 0);
        this.socket.cork();
        this.socket.write(prefix);
        for (const c of result.chunks) this.socket.write(c);
        this.socket.uncork();
      }
    }
    if (this.paused && this.queue.length < this.limits.inflightRequestsMax / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.warn({ conn: this.info.id, remote: this.info.remoteAddress, reason }, 'closing connection');
    this.socket.destroy();
  }
}
