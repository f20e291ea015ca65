/**
 * How `runnel consume` prints a record: kcat's `-f` format tokens, or one JSON object per
 * record (`-J`, the shape rpk prints by default).
 *
 *   %t topic   %p partition   %o offset   %k key   %s (or %v) value   %T timestamp (unix ms)
 *   %h headers as k=v,k2=v2   %K key length   %S value length (-1 when null)   %% a percent sign
 *   escapes: \n \r \t \0 \\ \xHH
 *
 * Keys and values are written as their bytes; a null key or value prints as nothing.
 *
 * @example
 *   const fmt = compileRecordFormat('%k => %s @ %o\\n');
 *   process.stdout.write(fmt(record));
 */
import { CliError } from './cli-error.ts';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  timestampMs: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly (readonly [string, Buffer])[];
  /** True when the key / value bytes are JSON text decoded from a schema: `-J` embeds them as JSON. */
  keyIsJson?: boolean;
  valueIsJson?: boolean;
}

export type RecordFormatter = (r: ConsumedRecord) => Buffer;

type Part = { kind: 'literal'; bytes: Buffer } | { kind: 'token'; token: string };

export const FORMAT_HELP = '%t topic, %p partition, %o offset, %k key, %s value, %T timestamp ms, %h headers, %K/%S key/value length, \\n \\t escapes';

const TOKENS = new Set(['t', 'p', 'o', 'k', 's', 'v', 'T', 'h', 'K', 'S']);
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\' };

function parseFormat(format: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push({ kind: 'literal', bytes: Buffer.from(literal, 'utf8') });
    literal = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    const next = format[i + 1];
    if (c === '%') {
      if (next === '%') literal += '%';
      else if (next !== undefined && TOKENS.has(next)) {
        flush();
        parts.push({ kind: 'token', token: next });
      } else throw new CliError(`-f '${format}': unknown format token '%${next ?? ''}'; use ${FORMAT_HELP}`);
      i++;
    } else if (c === '\\' && next !== undefined) {
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(format.slice(i + 2, i + 4))) {
        flush();
        parts.push({ kind: 'literal', bytes: Buffer.from([parseInt(format.slice(i + 2, i + 4), 16)]) });
        i += 3;
      } else if (ESCAPES[next] !== undefined) {
        literal += ESCAPES[next];
        i++;
      } else literal += c;
    } else literal += c;
  }
  flush();
  return parts;
}

function headersText(headers: ConsumedRecord['headers']): Buffer {
  const parts: Buffer[] = [];
  headers.forEach(([k, v], i) => parts.push(Buffer.from(`${i > 0 ? ',' : ''}${k}=`, 'utf8'), v));
  return Buffer.concat(parts);
}

function tokenBytes(token: string, r: ConsumedRecord): Buffer {
  switch (token) {
    case 't':
      return Buffer.from(r.topic, 'utf8');
    case 'p':
      return Buffer.from(String(r.partition));
    case 'o':
      return Buffer.from(r.offset);
    case 'k':
      return r.key ?? Buffer.alloc(0);
    case 's':
    case 'v':
      return r.value ?? Buffer.alloc(0);
    case 'T':
      return Buffer.from(r.timestampMs);
    case 'h':
      return headersText(r.headers);
    case 'K':
      return Buffer.from(String(r.key === null ? -1 : r.key.length));
    case 'S':
      return Buffer.from(String(r.value === null ? -1 : r.value.length));
    default:
      throw new Error(`format token %${token} has no printer`);
  }
}

/** Compiles a kcat-style format once; the result formats each record without re-parsing. */
export function compileRecordFormat(format: string): RecordFormatter {
  const parts = parseFormat(format);
  return (r) => Buffer.concat(parts.map((p) => (p.kind === 'literal' ? p.bytes : tokenBytes(p.token, r))));
}

/** One JSON object per line: topic, partition, offset, timestamp, key, value, headers. */
export function formatRecordJson(r: ConsumedRecord): Buffer {
  const text = (b: Buffer | null, isJson: boolean | undefined): unknown => (b === null ? null : isJson === true ? (JSON.parse(b.toString('utf8')) as unknown) : b.toString('utf8'));
  const json = {
    topic: r.topic,
    partition: r.partition,
    offset: Number(r.offset),
    timestamp: Number(r.timestampMs),
    key: text(r.key, r.keyIsJson),
    value: text(r.value, r.valueIsJson),
    headers: r.headers.map(([key, value]) => ({ key, value: value.toString('utf8') })),
  };
  return Buffer.from(JSON.stringify(json) + '\n', 'utf8');
}
