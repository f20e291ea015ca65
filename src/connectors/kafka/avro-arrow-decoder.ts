/**
 * Avro binary -> Arrow columns, compiled once per (writer schema, target columns): the schema is
 * turned into straight-line JavaScript that reads varints, floats and byte runs from the record
 * and appends them to typed-array column builders. No per-record objects are created: strings
 * are copied as UTF-8 bytes, longs go to two int32 words, decimals to 16 bytes.
 *
 * Fields the query does not read are skipped without being decoded. Target columns the writer
 * schema lacks (schema evolution) get NULL; int/long/float promotions follow Avro's resolution
 * rules. Longs are exact within +-2^53 (BIGINT's in-memory range, see operators/column.ts).
 *
 * Spec: Avro 1.11 specification, "Binary Encoding".
 *
 * @example
 *   const ids = createBuilder(T.bigint(false));
 *   const decode = compileAvroDecoder(parseAvroModel(schemaJson), new Map([['id', ids]]));
 *   const end = decode(recordValue, 5); // after Confluent's 5-byte header
 */
import { generatedFactory } from '../../operators/index.ts';
import type { AvroNode } from './formats/avro-model.ts';
import { nullableBranch } from './formats/avro-model.ts';
import {
  BoolBuilder, BytesBuilder, ColumnBuilder, DecimalBuilder, Int64Builder, ListBuilder, NullBuilder, NumberBuilder, StructBuilder,
} from './arrow-builders.ts';

/** Decodes one record starting at `pos`; returns the position after it. */
export type AvroArrowDecode = (buf: Uint8Array, pos: number) => number;

export class AvroDecodeCompileError extends Error {}

const textEncoder = new TextEncoder();

/**
 * Compiles a decoder for records written with `writer`. `targets` maps top-level field names to
 * builders (a non-record schema uses the single entry under any name).
 */
export function compileAvroDecoder(writer: AvroNode, targets: ReadonlyMap<string, ColumnBuilder>): AvroArrowDecode {
  const g = new Gen();
  let body: string;
  if (writer.t === 'record') {
    const parts: string[] = [];
    const seen = new Set<string>();
    for (const f of writer.fields) {
      const b = targets.get(f.name);
      seen.add(f.name);
      parts.push(b === undefined ? g.skip(f.type) : g.read(f.type, g.ref(b), b));
    }
    for (const [name, b] of targets) if (!seen.has(name)) parts.push(g.missing(g.ref(b), b, name));
    body = parts.join('\n');
  } else {
    const [b] = [...targets.values()];
    body = b === undefined ? g.skip(writer) : g.read(writer, g.ref(b), b);
  }
  const src = `
"use strict";
${g.refs.map((_, i) => `const b${i} = R[${i}];`).join('\n')}
${g.consts.map((_, i) => `const k${i} = K[${i}];`).join('\n')}
return function decode(buf, pos) {
${body}
  if (pos > buf.length) throw new RangeError('truncated Avro record');
  return pos;
};`;
  const factory = generatedFactory<(refs: unknown[], consts: unknown[]) => (buf: Uint8Array, pos: number) => number>(['R', 'K'], src);
  const decode = factory(g.refs, g.consts);
  // Records are Buffers (readFloatLE/readDoubleLE); a plain Uint8Array is wrapped without a copy.
  return (buf, pos) => decode(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), pos);
}

class Gen {
  readonly refs: ColumnBuilder[] = [];
  readonly consts: unknown[] = [];
  private vars = 0;

  ref(b: ColumnBuilder): string {
    let i = this.refs.indexOf(b);
    if (i < 0) i = this.refs.push(b) - 1;
    return `b${i}`;
  }

  constant(v: unknown): string {
    return `k${this.consts.push(v) - 1}`;
  }

  v(prefix: string): string {
    return `${prefix}${this.vars++}`;
  }

  /** Declares \`v\` and reads a zig-zag varint long into it (exact within +-2^53). */
  long(v: string): string {
    const b = this.v('y');
    const m = this.v('m');
    return `let ${v} = buf[pos++]; if (${v} >= 0x80) { ${v} &= 0x7f; let ${m} = 128, ${b}; do { ${b} = buf[pos++]; ${v} += (${b} & 0x7f) * ${m}; ${m} *= 128; } while (${b} >= 0x80); }` +
      ` ${v} = ${v} < 2147483648 ? (${v} >>> 1) ^ -(${v} & 1) : (${v} % 2 === 1 ? -(${v} + 1) / 2 : ${v} / 2);`;
  }

  /** Declares \`v\` and reads a zig-zag varint int into it. */
  int(v: string): string {
    const b = this.v('y');
    const sh = this.v('h');
    return `let ${v} = buf[pos++]; if (${v} >= 0x80) { ${v} &= 0x7f; let ${sh} = 7, ${b}; do { ${b} = buf[pos++]; ${v} |= (${b} & 0x7f) << ${sh}; ${sh} += 7; } while (${b} >= 0x80 && ${sh} < 35); }` +
      ` ${v} = (${v} >>> 1) ^ -(${v} & 1);`;
  }

  /** Target column absent from the writer: NULL (or an error for NOT NULL columns). */
  missing(ref: string, b: ColumnBuilder, name: string): string {
    if (!b.type.nullable) throw new AvroDecodeCompileError(`column ${name} is NOT NULL but the writer schema has no field '${name}'`);
    return `${ref}.nul();`;
  }

  read(node: AvroNode, ref: string, b: ColumnBuilder): string {
    const nb = nullableBranch(node);
    if (nb !== null) {
      const idx = this.v('u');
      return `{ ${this.long(idx)} if (${idx} === ${nb.nullIndex}) ${ref}.nul(); else { ${this.read(nb.inner, ref, b)} } }`;
    }
    switch (node.t) {
      case 'null': return `${ref}.nul();`;
      case 'boolean':
        if (b instanceof BoolBuilder) return `${ref}.bool(buf[pos++] !== 0);`;
        break;
      case 'int': case 'long': {
        const x = this.v('x');
        const read = node.t === 'int' ? this.int(x) : this.long(x);
        if (b instanceof Int64Builder) return `{ ${read} ${ref}.i64(${this.scaleTime(node, b, x)}); }`;
        if (b instanceof NumberBuilder) {
          if (b.type.kind === 'TIME' && node.t === 'long') return `{ ${read} ${ref}.num(Math.floor(${x} / 1000)); }`;
          return `{ ${read} ${ref}.num(${x}); }`;
        }
        if (b instanceof DecimalBuilder) return `{ ${read} ${ref}.unscaled(BigInt(${x}) * ${this.constant(10n ** BigInt((b.type as { scale: number }).scale))}); }`;
        break;
      }
      case 'float':
        if (b instanceof NumberBuilder) return `${ref}.num(buf.readFloatLE(pos)); pos += 4;`;
        break;
      case 'double':
        if (b instanceof NumberBuilder) return `${ref}.num(buf.readDoubleLE(pos)); pos += 8;`;
        break;
      case 'string': case 'bytes': {
        const len = this.v('n');
        if (node.t === 'bytes' && node.logical === 'decimal' && b instanceof DecimalBuilder) {
          this.checkScale(node.scale ?? 0, b);
          return `{ ${this.long(len)} ${ref}.bigEndian(buf, pos, ${len}); pos += ${len}; }`;
        }
        if (b instanceof BytesBuilder) return `{ ${this.long(len)} ${ref}.bytes(buf, pos, ${len}); pos += ${len}; }`;
        break;
      }
      case 'fixed':
        if (node.logical === 'decimal' && b instanceof DecimalBuilder) {
          this.checkScale(node.scale ?? 0, b);
          return `${ref}.bigEndian(buf, pos, ${node.size}); pos += ${node.size};`;
        }
        if (b instanceof BytesBuilder) return `${ref}.bytes(buf, pos, ${node.size}); pos += ${node.size};`;
        break;
      case 'enum':
        if (b instanceof BytesBuilder) {
          const syms = this.constant(node.symbols.map((s) => textEncoder.encode(s)));
          const s = this.v('s');
          const x = this.v('x');
          return `{ ${this.long(x)} const ${s} = ${syms}[${x}]; ${ref}.bytes(${s}, 0, ${s}.length); }`;
        }
        break;
      case 'record':
        if (b instanceof StructBuilder && b.type.kind === 'ROW') {
          const byName = new Map(b.type.fields.map((f, i) => [f.name, b.children[i]]));
          const parts = [`${ref}.valid();`];
          const seen = new Set<string>();
          for (const f of node.fields) {
            const child = byName.get(f.name);
            seen.add(f.name);
            parts.push(child === undefined ? this.skip(f.type) : this.read(f.type, this.ref(child), child));
          }
          for (const [name, child] of byName) if (!seen.has(name)) parts.push(this.missing(this.ref(child), child, name));
          return parts.join('\n');
        }
        break;
      case 'array':
        if (b instanceof ListBuilder && b.type.kind === 'ARRAY') {
          return this.blocks(this.read(node.items, this.ref(b.child), b.child), ref);
        }
        break;
      case 'map':
        if (b instanceof ListBuilder && b.type.kind === 'MAP') {
          const entries = b.child as StructBuilder;
          const [kb, vb] = entries.children;
          const key = this.read({ t: 'string' }, this.ref(kb), kb);
          const value = this.read(node.values, this.ref(vb), vb);
          return this.blocks(`${this.ref(entries)}.valid(); ${key} ${value}`, ref);
        }
        break;
      case 'union':
        if (b instanceof StructBuilder) {
          const idx = this.v('u');
          const branches = node.branches.map((br, i) => ({ br, i })).filter(({ br }) => br.t !== 'null');
          const cases = node.branches.map((br, i) => {
            if (br.t === 'null') return `case ${i}: ${ref}.nul(); break;`;
            const k = branches.findIndex((x) => x.i === i);
            const fill = b.children.map((c, j) => (j === k ? this.read(br, this.ref(c), c) : `${this.ref(c)}.nul();`)).join(' ');
            return `case ${i}: ${ref}.valid(); ${fill} break;`;
          });
          return `{ ${this.long(idx)} switch (${idx}) { ${cases.join(' ')} default: throw new RangeError('bad union index'); } }`;
        }
        break;
      default: {
        const never: never = node;
        throw new AvroDecodeCompileError(`unknown Avro node ${JSON.stringify(never)}`);
      }
    }
    if (b instanceof NullBuilder) return `${this.skip(node)} ${ref}.nul();`;
    throw new AvroDecodeCompileError(`cannot read Avro ${node.t} into a ${b.type.kind} column`);
  }

  private checkScale(scale: number, b: DecimalBuilder): void {
    const target = (b.type as { scale: number }).scale;
    if (scale !== target) throw new AvroDecodeCompileError(`decimal scale ${scale} cannot be read into DECIMAL with scale ${target}`);
  }

  /** Timestamp precision conversions between the writer's logical type and the column. */
  private scaleTime(node: AvroNode, b: Int64Builder, read: string): string {
    const t = b.type;
    if (t.kind !== 'TIMESTAMP' && t.kind !== 'TIMESTAMP_LTZ') return read;
    const writerMicros = node.t === 'long' && (node.logical === 'timestamp-micros' || node.logical === 'local-timestamp-micros');
    const targetMicros = t.precision > 3 && t.precision <= 6;
    if (writerMicros && !targetMicros) return `Math.floor(${read} / 1000)`;
    if (!writerMicros && targetMicros) return `(${read} * 1000)`;
    return read;
  }

  /** Array/map blocks: `count` items (negative count: followed by the block's byte size). */
  private blocks(item: string, listRef: string): string {
    const n = this.v('c');
    const i = this.v('i');
    const sz = this.v('z');
    const next = this.v('x');
    return `{ ${this.long(n)} while (${n} !== 0) { if (${n} < 0) { ${n} = -${n}; ${this.long(sz)} } for (let ${i} = 0; ${i} < ${n}; ${i}++) { ${item} } ${this.long(next)} ${n} = ${next}; } ${listRef}.close(); }`;
  }

  private skipVarint(): string {
    return 'while (buf[pos++] >= 0x80);';
  }

  skip(node: AvroNode): string {
    switch (node.t) {
      case 'null': return '';
      case 'boolean': return 'pos += 1;';
      case 'int': case 'long': case 'enum': return this.skipVarint();
      case 'float': return 'pos += 4;';
      case 'double': return 'pos += 8;';
      case 'string': case 'bytes': { const n = this.v('n'); return `{ ${this.long(n)} pos += ${n}; }`; }
      case 'fixed': return `pos += ${node.size};`;
      case 'record': return node.fields.map((f) => this.skip(f.type)).join(' ');
      case 'array': case 'map': {
        const n = this.v('c');
        const i = this.v('i');
        const item = node.t === 'array' ? this.skip(node.items) : `${this.skip({ t: 'string' })} ${this.skip(node.values)}`;
        const sz = this.v('z');
        const next = this.v('x');
        return `{ ${this.long(n)} while (${n} !== 0) { if (${n} < 0) { ${this.long(sz)} pos += ${sz}; } else { for (let ${i} = 0; ${i} < ${n}; ${i}++) { ${item} } } ${this.long(next)} ${n} = ${next}; } }`;
      }
      case 'union': {
        const cases = node.branches.map((br, i) => `case ${i}: ${this.skip(br)} break;`);
        const idx = this.v('u');
        return `{ ${this.long(idx)} switch (${idx}) { ${cases.join(' ')} default: throw new RangeError('bad union index'); } }`;
      }
      default: {
        const never: never = node;
        throw new AvroDecodeCompileError(`unknown Avro node ${JSON.stringify(never)}`);
      }
    }
  }
}
