/**
 * One client connection: reads size-prefixed request frames, hands each to the dispatcher as
 * it arrives (so a producer's pipelined requests share one group-commit fsync), and writes
 * responses strictly in request order, as Kafka clients require.
 *
 * Bad input never reaches other clients: an oversized or unparseable frame closes this
 * connection only.
 */
import { Socket, type SocketConstructorOpts } from 'node:net';
import type { Logger } from 'pino';
import { BufferPool } from './buffer-pool.ts';

/** What the dispatcher answers for one request frame. */
export type DispatchResult =
  /** `sent` runs once the chunks are written to the socket, or dropped with the connection. */
  | { kind: 'response'; chunks: Buffer[]; sent?: () => void }
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

/** Frames at least this large are assembled in buffers from {@link framePool}. */
const pooledFrameBytesMin = 64 * 1024;
/** Bytes of idle frame buffers the pool keeps for reuse; beyond that they are left to the GC. */
const framePoolBytesMax = 64 * 1024 * 1024;
const produceApiKey = 0;

/**
 * Buffers for frames of {@link pooledFrameBytesMin} and more. Produce frames go back once their
 * request is answered: nothing of a produce request outlives its dispatch (the log writes the
 * batches before the append returns). Other frames are never returned, since their handlers may
 * keep views of them (group member metadata, assignments). With socket reads in a reused buffer
 * but fresh frames, 150 MB/s of produce still caused ~36 mark-compacts in 6 s; with this pool, 3.
 */
const framePool = new BufferPool(pooledFrameBytesMin, framePoolBytesMax);

/**
 * Node's stream layer allocates a fresh ArrayBuffer for every socket read (64 KiB at these
 * rates). V8 counts those as external memory, and their growth alone started a full mark-compact
 * every 100–250 ms under a 150 MB/s produce load (GC ~1 s of CPU per 6 s, pauses of 5–60 ms: the
 * ack-latency p99), although the JS heap stayed at 9 MB. A client socket can read into one
 * reused buffer instead (`net.connect`'s documented `onread` option), but `net.Server` offers no such option for accepted sockets. So
 * the connection installs its buffer the way `onread` does, through the socket's own symbols,
 * taken from a socket made with `onread`; where they are missing (another Node version) it falls
 * back to 'data' events. Measured with {@link FramePool}: mark-compacts 40 -> 3, GC time ~1 s -> under
 * 0.1 s and broker CPU 1.24 s -> 0.67 s for the same 900k records of 1 KiB.
 */
const readBufferBytes = 64 * 1024;
const onreadSymbols = ((): { buffer: symbol; callback: symbol; generator: symbol } | null => {
  // The constructor honours `onread` as connect() does; @types/node lists it for connect() only.
  const options: SocketConstructorOpts & { onread: object } = { onread: { buffer: Buffer.alloc(1), callback: () => true } };
  const probe = new Socket(options);
  const bySymbol = new Map(Object.getOwnPropertySymbols(probe).map((s) => [s.description, s]));
  probe.destroy();
  const buffer = bySymbol.get('kBuffer');
  const callback = bySymbol.get('kBufferCb');
  const generator = bySymbol.get('kBufferGen');
  return buffer && callback && generator ? { buffer, callback, generator } : null;
})();

/** Makes `socket` read into one reused buffer, passing each read's view to `onChunk`; false when Node does not allow it. */
function readIntoOwnBuffer(socket: Socket, onChunk: (chunk: Buffer) => void): boolean {
  const handle = (socket as unknown as { _handle: { useUserBuffer?: (b: Buffer) => void } | null })._handle;
  if (onreadSymbols === null || typeof handle?.useUserBuffer !== 'function') return false;
  const buffer = Buffer.allocUnsafeSlow(readBufferBytes);
  const s = socket as unknown as Record<symbol, unknown>;
  s[onreadSymbols.buffer] = buffer;
  s[onreadSymbols.generator] = null;
  s[onreadSymbols.callback] = (n: number): boolean => {
    onChunk(buffer.subarray(0, n));
    return true;
  };
  handle.useUserBuffer(buffer);
  return true;
}

export class Connection {
  /** The up to 3 bytes of a size prefix split across reads. */
  private prefix = Buffer.alloc(0);
  /** The frame being filled, or null while its size prefix is not yet read. */
  private frame: Buffer | null = null;
  private frameFilled = 0;
  private framePooled = false;
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
    if (!readIntoOwnBuffer(socket, (chunk) => this.onData(chunk, true))) socket.on('data', (chunk: Buffer) => this.onData(chunk, false));
    socket.on('error', (err) => this.log.debug({ err, conn: info.id }, 'connection error'));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  /**
   * Copies each read into the frame it belongs to as it arrives, so socket chunks die young
   * (kept in a list until the frame completed, they outlived scavenges and were promoted). As
   * Kafka does, the frame is allocated whole once its size prefix is read. With 'data' events
   * (`reused` false), a frame lying wholly inside one read is passed on as a view, uncopied.
   */
  private onData(chunk: Buffer, reused: boolean): void {
    let pos = 0;
    while (!this.closed && pos < chunk.length) {
      if (this.frame === null) {
        if (this.prefix.length + chunk.length - pos < 4) {
          this.prefix = Buffer.concat([this.prefix, chunk.subarray(pos)]);
          break;
        }
        let size: number;
        if (this.prefix.length === 0) {
          size = chunk.readInt32BE(pos);
          pos += 4;
        } else {
          const need = 4 - this.prefix.length;
          size = Buffer.concat([this.prefix, chunk.subarray(pos, pos + need)]).readInt32BE(0);
          pos += need;
          this.prefix = Buffer.alloc(0);
        }
        if (size < 8 || size > this.limits.requestBytesMax) {
          this.close(`request frame of ${size} bytes is outside [8, ${this.limits.requestBytesMax}]`);
          return;
        }
        if (chunk.length - pos >= size && !reused) {
          this.start(chunk.subarray(pos, pos + size), false);
          pos += size;
          continue;
        }
        this.framePooled = size >= pooledFrameBytesMin;
        this.frame = framePool.take(size);
        this.frameFilled = 0;
      }
      const n = Math.min(this.frame.length - this.frameFilled, chunk.length - pos);
      chunk.copy(this.frame, this.frameFilled, pos, pos + n);
      this.frameFilled += n;
      pos += n;
      if (this.frameFilled === this.frame.length) {
        const frame = this.frame;
        this.frame = null;
        this.start(frame, this.framePooled);
      }
    }
    if (this.queue.length >= this.limits.inflightRequestsMax && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private start(frame: Buffer, pooled: boolean): void {
    const pending: Pending = { done: false, result: null };
    this.queue.push(pending);
    const reusable = pooled && frame.readInt16BE(0) === produceApiKey;
    this.dispatch(frame, this.info).then(
      (result) => {
        if (reusable) framePool.give(frame);
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
      if (result === null) continue;
      if (this.closed) {
        if (result.kind === 'response') result.sent?.();
        continue;
      }
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
        const last = result.chunks.length - 1;
        for (let i = 0; i < last; i++) this.socket.write(result.chunks[i]);
        // The write callback runs after the bytes reached the kernel, or with an error when the
        // socket is destroyed first: either way nothing reads the chunks afterwards.
        const sent = result.sent;
        this.socket.write(result.chunks[last], sent === undefined ? undefined : () => sent());
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
