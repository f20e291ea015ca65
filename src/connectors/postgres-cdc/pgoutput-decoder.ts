/**
 * Decodes `pgoutput` protocol version 1 messages (the payload of an XLogData message).
 * Spec: PostgreSQL 15 documentation, 55.9 "Logical Replication Message Formats"; every message
 * starts with a Byte1 tag, integers are big-endian, Strings are NUL-terminated UTF-8.
 *
 * A pure function of the bytes: relation state (column lists) is kept by the caller, since a
 * TupleData is self-describing in column count.
 */
import assert from 'node:assert';
import type { Lsn } from './lsn.ts';
import type { PgoutputMessage, RelationColumn, ReplicaIdentity, TupleValue } from './pgoutput-messages.ts';

/** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
export const PG_EPOCH_OFFSET_US = 946_684_800_000_000n;

/** Columns per relation accepted from the wire (PostgreSQL's own limit is 1600). */
export const RELATION_COLUMNS_MAX = 1600;

export class PgoutputDecodeError extends Error {}

class Cursor {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  u8(): number {
    return this.buf[this.pos++];
  }
  i16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  i64(): bigint {
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  lsn(): Lsn {
    return this.u64();
  }
  /** A TimestampTz (µs since 2000-01-01) as µs since 1970-01-01. */
  timeUs(): bigint {
    return this.i64() + PG_EPOCH_OFFSET_US;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new PgoutputDecodeError('unterminated string');
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }
  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new PgoutputDecodeError(`value of ${n} bytes runs past the message`);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

/** Decodes one pgoutput message; throws `PgoutputDecodeError` on unknown tags or short input. */
export function decodePgoutput(buf: Buffer): PgoutputMessage {
  const c = new Cursor(buf);
  const tag = String.fromCharCode(c.u8());
  try {
    switch (tag) {
      case 'B':
        return { kind: 'begin', finalLsn: c.lsn(), commitTimeUs: c.timeUs(), xid: c.u32() };
      case 'C':
        return { kind: 'commit', flags: c.u8(), commitLsn: c.lsn(), endLsn: c.lsn(), commitTimeUs: c.timeUs() };
      case 'O':
        return { kind: 'origin', originLsn: c.lsn(), name: c.cstring() };
      case 'R':
        return decodeRelation(c);
      case 'Y':
        return { kind: 'type', typeOid: c.u32(), namespace: c.cstring(), name: c.cstring() };
      case 'I': {
        const relationId = c.u32();
        expectTag(c, 'N');
        return { kind: 'insert', relationId, newTuple: decodeTuple(c) };
      }
      case 'U':
        return decodeUpdate(c);
      case 'D': {
        const relationId = c.u32();
        const oldKind = String.fromCharCode(c.u8());
        if (oldKind !== 'K' && oldKind !== 'O') throw new PgoutputDecodeError(`delete: unexpected tuple tag '${oldKind}'`);
        return { kind: 'delete', relationId, oldKind, oldTuple: decodeTuple(c) };
      }
      case 'T': {
        const count = c.u32();
        const flags = c.u8();
        const relationIds: number[] = [];
        for (let i = 0; i < count; i++) relationIds.push(c.u32());
        return { kind: 'truncate', cascade: (flags & 1) !== 0, restartIdentity: (flags & 2) !== 0, relationIds };
      }
      case 'M': {
        const flags = c.u8();
        const lsn = c.lsn();
        const prefix = c.cstring();
        const len = c.i32();
        return { kind: 'message', transactional: (flags & 1) !== 0, lsn, prefix, content: Buffer.from(c.bytes(len)) };
      }
      default:
        throw new PgoutputDecodeError(`unknown pgoutput message tag '${tag}' (0x${buf[0]?.toString(16)})`);
    }
  } catch (err) {
    if (err instanceof RangeError) throw new PgoutputDecodeError(`truncated '${tag}' message (${buf.length} bytes)`, { cause: err });
    throw err;
  }
}

function expectTag(c: Cursor, want: string): void {
  const got = String.fromCharCode(c.u8());
  if (got !== want) throw new PgoutputDecodeError(`expected tuple tag '${want}', got '${got}'`);
}

function decodeRelation(c: Cursor): PgoutputMessage {
  const relationId = c.u32();
  const namespace = c.cstring();
  const name = c.cstring();
  const replicaIdentity = replicaIdentityOf(c.u8());
  const count = c.i16();
  if (count < 0 || count > RELATION_COLUMNS_MAX) throw new PgoutputDecodeError(`relation ${name}: ${count} columns`);
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    columns.push({ flags: c.u8(), name: c.cstring(), typeOid: c.u32(), typeMod: c.i32() });
  }
  return { kind: 'relation', relationId, namespace, name, replicaIdentity, columns };
}

function replicaIdentityOf(code: number): ReplicaIdentity {
  switch (String.fromCharCode(code)) {
    case 'd':
      return 'default';
    case 'n':
      return 'nothing';
    case 'f':
      return 'full';
    case 'i':
      return 'index';
    default:
      throw new PgoutputDecodeError(`unknown replica identity '${String.fromCharCode(code)}'`);
  }
}

function decodeUpdate(c: Cursor): PgoutputMessage {
  const relationId = c.u32();
  let tag = String.fromCharCode(c.u8());
  let oldKind: 'K' | 'O' | null = null;
  let oldTuple: TupleValue[] | null = null;
  if (tag === 'K' || tag === 'O') {
    oldKind = tag;
    oldTuple = decodeTuple(c);
    tag = String.fromCharCode(c.u8());
  }
  if (tag !== 'N') throw new PgoutputDecodeError(`update: expected tuple tag 'N', got '${tag}'`);
  return { kind: 'update', relationId, oldKind, oldTuple, newTuple: decodeTuple(c) };
}

/**
 * TupleData: Int16 column count, then per column 'n' (null), 'u' (unchanged TOAST) or 't' + Int32
 * length + text. Binary values ('b') come only with the `binary` option, which we never request.
 */
function decodeTuple(c: Cursor): TupleValue[] {
  const count = c.i16();
  assert(count >= 0 && count <= RELATION_COLUMNS_MAX, `tuple with ${count} columns`);
  const out: TupleValue[] = new Array(count);
  const buf = c.buf;
  for (let i = 0; i < count; i++) {
    const kind = buf[c.pos++];
    if (kind === 0x74 /* t */) {
      const len = buf.readInt32BE(c.pos);
      const start = c.pos + 4;
      const end = start + len;
      if (len < 0 || end > buf.length) throw new PgoutputDecodeError(`column ${i}: length ${len} runs past the message`);
      out[i] = buf.toString('utf8', start, end);
      c.pos = end;
    } else if (kind === 0x6e /* n */) {
      out[i] = null;
    } else if (kind === 0x75 /* u */) {
      out[i] = undefined;
    } else {
      throw new PgoutputDecodeError(`column ${i}: unknown value kind 0x${kind?.toString(16)}`);
    }
  }
  return out;
}
