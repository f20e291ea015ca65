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
  private readBuf: Buffer = Buffer.alloc(0);
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
    this.readBuf = this.readBuf.length === 0 ? chunk : Buffer.concat([this.readBuf, chunk]);
    while (this.readBuf.length >= 4 && !this.closed) {
      const size = this.readBuf.readInt32BE(0);
      if (size < 8 || size > this.limits.requestBytesMax) {
        this.close(`request frame of ${size} bytes is outside [8, ${this.limits.requestBytesMax}]`);
        return;
      }
      if (this.readBuf.length < 4 + size) break;
      const frame = this.readBuf.subarray(4, 4 + size);
      this.readBuf = this.readBuf.subarray(4 + size);
      this.start(frame);
    }
    if (this.readBuf.length === 0) this.readBuf = Buffer.alloc(0);
    if (this.queue.length >= this.limits.inflightRequestsMax && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
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
