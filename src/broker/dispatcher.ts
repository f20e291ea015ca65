/**
 * Routes request frames to handlers. One registry of `{ definition, handler }` per API key; it
 * also yields the version ranges that ApiVersions advertises, so the broker never advertises a
 * version it cannot decode (ARCHITECTURE.md principle 4).
 *
 * Handlers return responses and never throw across the wire: an unexpected error becomes
 * the API's error response with UNKNOWN_SERVER_ERROR, a decode failure closes the connection
 * (as Kafka does for malformed requests), and so does an unknown API key or version, except
 * ApiVersions, whose unknown versions get Kafka's v0-format fallback answer.
 */
import type { Logger } from 'pino';
import type { ApiDefinition, ApiVersionCodec } from './apis/api.ts';
import { ApiKey } from './apis/api.ts';
import { decodeRequestHeader, encodeResponseHeader, responseHeaderVersion, type RequestHeader } from './apis/request-header.ts';
import type { ConnectionInfo, DispatchResult } from './connection.ts';
import { ErrorCode } from './protocol/error-codes.ts';
import { ProtocolDecodeError, Reader } from './protocol/reader.ts';
import { Writer } from './protocol/writer.ts';
import type { BrokerStats } from './stats.ts';

export interface RequestContext {
  readonly header: RequestHeader;
  readonly apiVersion: number;
  readonly clientId: string;
  readonly connection: ConnectionInfo;
  /**
   * Runs `fn` once the response has been written to the socket (or dropped with the connection),
   * or at once when there is none: for buffers the response carries by reference.
   */
  readonly whenSent: (fn: () => void) => void;
}

/** Returned by a handler that must not answer (Produce with acks=0). */
export const noResponse: unique symbol = Symbol('noResponse');

export type Handler<Req, Res> = (req: Req, ctx: RequestContext) => Promise<Res | typeof noResponse>;

interface Registered {
  // The registry is heterogeneous; each entry is consistent in itself (see `register`).
  definition: ApiDefinition<unknown, unknown>;
  handler: Handler<unknown, unknown>;
  minVersion: number;
  maxVersion: number;
}

export interface ApiRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export type UnsupportedApiVersionsEncoder = (w: Writer, ranges: readonly ApiRange[]) => void;

export class Dispatcher {
  private readonly apis = new Map<number, Registered>();

  constructor(
    private readonly log: Logger,
    private readonly unsupportedApiVersions: UnsupportedApiVersionsEncoder,
    private readonly stats: BrokerStats,
  ) {}

  register<Req, Res>(definition: ApiDefinition<Req, Res>, handler: Handler<Req, Res>): void {
    const versions = definition.codecs.map((c) => c.version);
    const minVersion = Math.min(...versions);
    const maxVersion = Math.max(...versions);
    if (versions.length !== maxVersion - minVersion + 1) throw new Error(`${definition.name}: codec versions are not contiguous`);
    this.apis.set(definition.apiKey, {
      definition: definition as ApiDefinition<unknown, unknown>,
      handler: handler as Handler<unknown, unknown>,
      minVersion,
      maxVersion,
    });
  }

  /** The ranges ApiVersions advertises, ascending by key. */
  ranges(): ApiRange[] {
    return [...this.apis.entries()]
      .sort(([a], [b]) => a - b)
      .map(([apiKey, r]) => ({ apiKey, minVersion: r.minVersion, maxVersion: r.maxVersion }));
  }

  private codec(apiKey: number, version: number): ApiVersionCodec<unknown, unknown> | undefined {
    const api = this.apis.get(apiKey);
    if (!api || version < api.minVersion || version > api.maxVersion) return undefined;
    return api.definition.codecs[version - api.minVersion];
  }

  readonly dispatch = async (frame: Buffer, connection: ConnectionInfo): Promise<DispatchResult> => {
    const started = performance.now();
    const r = new Reader(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(r, (key, version) => this.codec(key, version)?.flexible ?? false);
    } catch (err) {
      return { kind: 'close', reason: `malformed request header: ${(err as Error).message}` };
    }
    const { requestApiKey: apiKey, requestApiVersion: version, correlationId } = header;
    const api = this.apis.get(apiKey);
    const codec = this.codec(apiKey, version);
    if (!api) return { kind: 'close', reason: `unknown API key ${apiKey}` };
    if (!codec) {
      if (apiKey === ApiKey.ApiVersions) {
        const w = new Writer(256);
        encodeResponseHeader(w, correlationId, 0);
        this.unsupportedApiVersions(w, this.ranges());
        return { kind: 'response', chunks: w.toChunks() };
      }
      return { kind: 'close', reason: `${api.definition.name} v${version} is not supported (supported: v${api.minVersion}-v${api.maxVersion})` };
    }
    let req: unknown;
    try {
      req = codec.decodeRequest(r);
    } catch (err) {
      if (err instanceof ProtocolDecodeError || err instanceof RangeError) {
        return { kind: 'close', reason: `malformed ${api.definition.name} v${version} request: ${err.message}` };
      }
      throw err;
    }
    const afterSend: (() => void)[] = [];
    const sent = (): void => {
      for (const fn of afterSend.splice(0)) fn();
    };
    const ctx: RequestContext = { header, apiVersion: version, clientId: header.clientId ?? '', connection, whenSent: (fn) => void afterSend.push(fn) };
    let res: unknown;
    try {
      res = await api.handler(req, ctx);
    } catch (err) {
      this.log.error({ err, api: api.definition.name, version, clientId: ctx.clientId }, 'handler failed; answering UNKNOWN_SERVER_ERROR');
      sent();
      res = api.definition.errorResponse(req, ErrorCode.UNKNOWN_SERVER_ERROR);
    }
    const name = api.definition.name;
    if (res === noResponse) {
      sent();
      const seconds = (performance.now() - started) / 1000;
      this.stats.request(name, seconds);
      this.stats.answered(name, seconds);
      return { kind: 'none' };
    }
    const w = new Writer(1024);
    try {
      encodeResponseHeader(w, correlationId, responseHeaderVersion(apiKey, codec.flexible));
      codec.encodeResponse(w, res);
    } catch (err) {
      sent();
      throw err;
    }
    this.stats.request(name, (performance.now() - started) / 1000);
    if (this.stats.timesAnswers) afterSend.push(() => this.stats.answered(name, (performance.now() - started) / 1000));
    return { kind: 'response', chunks: w.toChunks(), sent: afterSend.length > 0 ? sent : undefined };
  };
}
