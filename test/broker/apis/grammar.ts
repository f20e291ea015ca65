/**
 * A test-only second implementation of the codecs: it reads the Kafka grammar at the top of a
 * codec file (the protocol guide's BNF, e.g. `Produce Request (Version: 3) => transactional_id
 * acks timeout_ms [topic_data]`) and encodes or decodes values by it, field by field. The
 * conformance tests build request bytes with it, decode them with the real codec, and decode the
 * real codec's responses with it, so a codec that drifts from its own header fails.
 *
 * Field names are the grammar's snake_case names in camelCase (`topic_data` -> `topicData`);
 * Kafka's `v3_and_below_` prefixes and `_v3_and_below` suffixes are dropped, as the types do.
 */
import { readFileSync } from 'node:fs';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import type { Writer } from '../../../src/broker/protocol/writer.ts';

export type Primitive =
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'BOOLEAN'
  | 'STRING'
  | 'NULLABLE_STRING'
  | 'COMPACT_STRING'
  | 'COMPACT_NULLABLE_STRING'
  | 'BYTES'
  | 'NULLABLE_BYTES'
  | 'COMPACT_BYTES'
  | 'COMPACT_NULLABLE_BYTES'
  | 'RECORDS'
  | 'COMPACT_RECORDS';

const primitives = new Set<string>([
  'INT8', 'INT16', 'INT32', 'INT64', 'BOOLEAN', 'STRING', 'NULLABLE_STRING', 'COMPACT_STRING', 'COMPACT_NULLABLE_STRING',
  'BYTES', 'NULLABLE_BYTES', 'COMPACT_BYTES', 'COMPACT_NULLABLE_BYTES', 'RECORDS', 'COMPACT_RECORDS',
]);

export type FieldType = { kind: 'primitive'; type: Primitive } | { kind: 'struct'; fields: Field[]; tagged: boolean } | { kind: 'array'; of: FieldType };

export interface Field {
  name: string;
  type: FieldType;
}

/** A struct's fields; `tagged` says whether it ends with a TAG_BUFFER. */
export interface Struct {
  fields: Field[];
  tagged: boolean;
}

export interface Grammar {
  api: string;
  version: number;
  request: Struct;
  response: Struct;
  /** The grammar text as found, for error messages. */
  text: string;
}

interface Line {
  indent: number;
  name: string;
  rhs: string[];
}

export function fieldName(snake: string): string {
  const stripped = snake.replace(/^v3_and_below_/, '').replace(/_v3_and_below$/, '');
  return stripped.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function tokens(rhs: string): string[] {
  return rhs.trim().split(/\s+/).filter((t) => t.length > 0);
}

function resolveStruct(toks: string[], lines: Line[], from: number, to: number, where: string): Struct {
  const fields: Field[] = [];
  let tagged = false;
  for (const tok of toks) {
    if (tok === 'TAG_BUFFER') {
      tagged = true;
      continue;
    }
    const isArray = tok.startsWith('[') && tok.endsWith(']');
    const name = isArray ? tok.slice(1, -1) : tok;
    const type = resolveField(name, lines, from, to, where);
    fields.push({ name: fieldName(name), type: isArray ? { kind: 'array', of: type } : type });
  }
  return { fields, tagged };
}

/** Finds `name` among the direct children in lines[from, to) and resolves its type. */
function resolveField(name: string, lines: Line[], from: number, to: number, where: string): FieldType {
  if (from >= to) throw new Error(`${where}: no definition for ${name}`);
  const indent = lines[from].indent;
  for (let i = from; i < to; i++) {
    const line = lines[i];
    if (line.indent !== indent || line.name !== name) continue;
    let end = i + 1;
    while (end < to && lines[end].indent > indent) end++;
    if (line.rhs.length === 1 && primitives.has(line.rhs[0])) return { kind: 'primitive', type: line.rhs[0] as Primitive };
    const struct = resolveStruct(line.rhs, lines, i + 1, end, `${where}.${name}`);
    return { kind: 'struct', fields: struct.fields, tagged: struct.tagged };
  }
  throw new Error(`${where}: no definition for ${name}`);
}

function parseSection(all: string[], kind: 'Request' | 'Response'): { api: string; version: number; struct: Struct } {
  const head = new RegExp(`^(\\w+) ${kind} \\(Version: (\\d+)\\) =>(.*)$`);
  for (let i = 0; i < all.length; i++) {
    const m = head.exec(all[i].trim());
    if (!m) continue;
    const lines: Line[] = [];
    for (let j = i + 1; j < all.length; j++) {
      const lm = /^(\s+)([a-z0-9_]+) => (.*)$/.exec(all[j]);
      if (!lm) break;
      lines.push({ indent: lm[1].length, name: lm[2], rhs: tokens(lm[3]) });
    }
    return { api: m[1], version: Number(m[2]), struct: resolveStruct(tokens(m[3]), lines, 0, lines.length, `${m[1]} ${kind}`) };
  }
  throw new Error(`no "${kind} (Version: N) =>" line in the grammar`);
}

/** Parses the grammar from the leading doc comment of a codec source file. */
export function grammarOfFile(path: string): Grammar {
  const src = readFileSync(path, 'utf8');
  const end = src.indexOf('*/');
  const comment = src
    .slice(0, end)
    .split('\n')
    .map((l) => l.replace(/^\s*\/?\*+ ?/, ''));
  const req = parseSection(comment, 'Request');
  const res = parseSection(comment, 'Response');
  if (req.version !== res.version || req.api !== res.api) throw new Error(`${path}: request and response grammar disagree`);
  return { api: req.api, version: req.version, request: req.struct, response: res.struct, text: comment.join('\n') };
}

// ---- encoding and decoding by grammar ----

export type Value = number | bigint | boolean | string | Buffer | null | Value[] | { [k: string]: Value };
export type Obj = { [k: string]: Value };

function encodePrimitive(w: Writer, type: Primitive, v: Value): void {
  switch (type) {
    case 'INT8': w.int8(v as number); return;
    case 'INT16': w.int16(v as number); return;
    case 'INT32': w.int32(v as number); return;
    case 'INT64': w.int64(v as bigint); return;
    case 'BOOLEAN': w.bool(v as boolean); return;
    case 'STRING': w.string(v as string); return;
    case 'NULLABLE_STRING': w.nullableString(v as string | null); return;
    case 'COMPACT_STRING': w.compactString(v as string); return;
    case 'COMPACT_NULLABLE_STRING': w.compactNullableString(v as string | null); return;
    case 'BYTES': w.bytes(v as Buffer); return;
    case 'NULLABLE_BYTES':
    case 'RECORDS': w.nullableBytes(v as Buffer | null); return;
    case 'COMPACT_BYTES': w.compactBytes(v as Buffer); return;
    case 'COMPACT_NULLABLE_BYTES':
    case 'COMPACT_RECORDS': w.compactNullableBytes(v as Buffer | null); return;
  }
}

function decodePrimitive(r: Reader, type: Primitive): Value {
  switch (type) {
    case 'INT8': return r.int8();
    case 'INT16': return r.int16();
    case 'INT32': return r.int32();
    case 'INT64': return r.int64();
    case 'BOOLEAN': return r.bool();
    case 'STRING': return r.string();
    case 'NULLABLE_STRING': return r.nullableString();
    case 'COMPACT_STRING': return r.compactString();
    case 'COMPACT_NULLABLE_STRING': return r.compactNullableString();
    case 'BYTES': return r.bytes();
    case 'NULLABLE_BYTES':
    case 'RECORDS': return r.nullableBytes();
    case 'COMPACT_BYTES': return r.compactBytes();
    case 'COMPACT_NULLABLE_BYTES':
    case 'COMPACT_RECORDS': return r.compactNullableBytes();
  }
}

function encodeType(w: Writer, t: FieldType, v: Value, flexible: boolean): void {
  if (t.kind === 'primitive') return encodePrimitive(w, t.type, v);
  if (t.kind === 'struct') return encodeFields(w, t, v as Obj, flexible);
  const items = v as Value[] | null;
  if (flexible) {
    if (items === null) w.uvarint(0);
    else w.uvarint(items.length + 1);
  } else {
    w.int32(items === null ? -1 : items.length);
  }
  for (const item of items ?? []) encodeType(w, t.of, item, flexible);
}

function encodeFields(w: Writer, s: Struct, v: Obj, flexible: boolean): void {
  for (const f of s.fields) {
    if (!(f.name in v)) throw new Error(`value has no field ${f.name}`);
    encodeType(w, f.type, v[f.name], flexible);
  }
  if (s.tagged) w.taggedFields();
}

function decodeType(r: Reader, t: FieldType, flexible: boolean): Value {
  if (t.kind === 'primitive') return decodePrimitive(r, t.type);
  if (t.kind === 'struct') return decodeFields(r, t, flexible);
  const n = flexible ? r.uvarint() - 1 : r.int32();
  if (n < 0) return null;
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(decodeType(r, t.of, flexible));
  return out;
}

function decodeFields(r: Reader, s: Struct, flexible: boolean): Obj {
  const out: Obj = {};
  for (const f of s.fields) out[f.name] = decodeType(r, f.type, flexible);
  if (s.tagged) r.taggedFields();
  return out;
}

/** Writes `v` as the grammar says (the test side's request encoder). */
export function encodeByGrammar(w: Writer, s: Struct, v: Obj): void {
  encodeFields(w, s, v, s.tagged);
}

/** Reads a whole buffer as the grammar says (the test side's response decoder); leftovers fail. */
export function decodeByGrammar(buf: Buffer, s: Struct): Obj {
  const r = new Reader(buf);
  const v = decodeFields(r, s, s.tagged);
  if (r.remaining !== 0) throw new Error(`${r.remaining} bytes left after decoding by grammar`);
  return v;
}

// ---- sample values ----

export type Variant = 'full' | 'nulls';

/**
 * A deterministic value for every field of the struct. 'full' fills arrays with two elements and
 * nullable fields with values; 'nulls' uses one element per array, null for every nullable
 * string, bytes or records field, and false for booleans.
 */
export function sampleOf(s: Struct, variant: Variant): Obj {
  let counter = 0;
  const next = (): number => ++counter;
  const sample = (t: FieldType, name: string): Value => {
    if (t.kind === 'array') {
      const n = variant === 'full' ? 2 : 1;
      return Array.from({ length: n }, () => sample(t.of, name));
    }
    if (t.kind === 'struct') {
      const o: Obj = {};
      for (const f of t.fields) o[f.name] = sample(f.type, f.name);
      return o;
    }
    const n = next();
    switch (t.type) {
      case 'INT8': return (n % 100) + 1;
      case 'INT16': return n * 3 + 1;
      case 'INT32': return n * 1000 + 7;
      case 'INT64': return BigInt(n) * 10_000_000_000n + 3n;
      case 'BOOLEAN': return variant === 'full';
      case 'STRING':
      case 'COMPACT_STRING': return `${name}-${n}`;
      case 'NULLABLE_STRING':
      case 'COMPACT_NULLABLE_STRING': return variant === 'full' ? `${name}-${n}` : null;
      case 'BYTES':
      case 'COMPACT_BYTES': return Buffer.from([n & 0xff, 1, 2, 3]);
      case 'NULLABLE_BYTES':
      case 'COMPACT_NULLABLE_BYTES':
      case 'RECORDS':
      case 'COMPACT_RECORDS': return variant === 'full' ? Buffer.from([n & 0xff, 9, 8, 7, 6]) : null;
    }
  };
  const o: Obj = {};
  for (const f of s.fields) o[f.name] = sample(f.type, f.name);
  return o;
}
