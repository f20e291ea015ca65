/**
 * A raw Kafka-protocol connection for tests that send what no client library would: arbitrary
 * bytes, truncated frames, unknown API keys and versions, hand-built requests. It frames
 * requests with header v1 (non-flexible) and hands back response bodies after the
 * correlation id, or reports that the broker closed the connection.
 */
import { connect, type Socket } from 'node:net';
import { Reader } from '../../src/broker/protocol/reader.ts';
import { Writer } from '../../src/broker/protocol/writer.ts';

/** What came back for one request: a response body (after the correlation id) or a close. */
export type RawReply = { kind: 'response'; correlationId: number; body: Reader } | { kind: 'closed' };

export class RawConnection {
  private buf = Buffer.alloc(0);
  private closedFlag = false;
  private readonly waiters: (() => void)[] = [];
  private nextCorrelationId = 1;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closedFlag = true;
      this.wake();
    });
  }

  static open(bootstrap: string): Promise<RawConnection> {
    const [host, port] = bootstrap.split(':');
    return new Promise((resolve, reject) => {
      const s = connect(Number(port), host, () => {
        s.off('error', reject);
        resolve(new RawConnection(s));
      });
      s.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Writes raw bytes as they are. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Half-closes our side (FIN) after what was written. */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Sends a request with header v1 and the given body; resolves to its correlation id. */
  send(apiKey: number, apiVersion: number, body: Buffer | ((w: Writer) => void)): number {
    const correlationId = this.nextCorrelationId++;
    const w = new Writer(256);
    w.int16(apiKey).int16(apiVersion).int32(correlationId).nullableString('raw-test');
    if (typeof body === 'function') body(w);
    else w.raw(body);
    const payload = w.toBuffer();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(payload.length, 0);
    this.socket.write(Buffer.concat([prefix, payload]));
    return correlationId;
  }

  /** The next response frame, or `closed`; rejects after `timeoutMs`. */
  async reply(timeoutMs = 10_000): Promise<RawReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buf.length >= 4) {
        const size = this.buf.readInt32BE(0);
        if (this.buf.length >= 4 + size) {
          const frame = this.buf.subarray(4, 4 + size);
          this.buf = this.buf.subarray(4 + size);
          const r = new Reader(frame);
          return { kind: 'response', correlationId: r.int32(), body: r };
        }
      }
      if (this.closedFlag) return { kind: 'closed' };
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply and no close within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a request and waits for its response body; throws if the broker closes instead. */
  async call(apiKey: number, apiVersion: number, body: Buffer | ((w: Writer) => void)): Promise<Reader> {
    const id = this.send(apiKey, apiVersion, body);
    const reply = await this.reply();
    if (reply.kind === 'closed') throw new Error(`broker closed the connection instead of answering API ${apiKey} v${apiVersion}`);
    if (reply.correlationId !== id) throw new Error(`correlation id ${reply.correlationId}, expected ${id}`);
    return reply.body;
  }
}

/** Reads an int32-counted array. */
export function readArray<T>(r: Reader, item: (r: Reader) => T): T[] {
  const n = r.int32();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(r));
  return out;
}
