import { describe, expect, it } from 'vitest';
import { PgoutputDecodeError, decodePgoutput, PG_EPOCH_OFFSET_US } from '../../../src/connectors/postgres-cdc/pgoutput-decoder.ts';
import { formatLsn, parseLsn } from '../../../src/connectors/postgres-cdc/lsn.ts';
import { parseReplicationMessage } from '../../../src/connectors/postgres-cdc/replication-connection.ts';

/** Builds pgoutput messages byte by byte, as section 55.9 lays them out. */
class B {
  private parts: Buffer[] = [];
  tag(c: string) { return this.u8(c.charCodeAt(0)); }
  u8(v: number) { this.parts.push(Buffer.from([v])); return this; }
  i16(v: number) { const b = Buffer.alloc(2); b.writeInt16BE(v); this.parts.push(b); return this; }
  i32(v: number) { const b = Buffer.alloc(4); b.writeInt32BE(v); this.parts.push(b); return this; }
  i64(v: bigint) { const b = Buffer.alloc(8); b.writeBigInt64BE(v); this.parts.push(b); return this; }
  str(s: string) { this.parts.push(Buffer.from(s + '\0')); return this; }
  text(s: string) { const v = Buffer.from(s); return this.tag('t').i32(v.length).raw(v); }
  raw(b: Buffer) { this.parts.push(b); return this; }
  build() { return Buffer.concat(this.parts); }
}

describe('pgoutput decoder', () => {
  it('decodes Begin and Commit with LSNs and timestamps moved to the Unix epoch', () => {
    const begin = decodePgoutput(new B().tag('B').i64(0x16b374d848n).i64(1_000_000n).i32(742).build());
    expect(begin).toEqual({ kind: 'begin', finalLsn: 0x16b374d848n, commitTimeUs: 1_000_000n + PG_EPOCH_OFFSET_US, xid: 742 });
    const commit = decodePgoutput(new B().tag('C').u8(0).i64(10n).i64(20n).i64(0n).build());
    expect(commit).toEqual({ kind: 'commit', flags: 0, commitLsn: 10n, endLsn: 20n, commitTimeUs: PG_EPOCH_OFFSET_US });
  });

  it('decodes a Relation with key flags and type modifiers', () => {
    const buf = new B().tag('R').i32(16385).str('public').str('orders').u8('f'.charCodeAt(0)).i16(2).u8(1).str('id').i32(23).i32(-1).u8(0).str('price').i32(1700).i32(((10 << 16) | 2) + 4).build();
    expect(decodePgoutput(buf)).toEqual({
      kind: 'relation',
      relationId: 16385,
      namespace: 'public',
      name: 'orders',
      replicaIdentity: 'full',
      columns: [
        { flags: 1, name: 'id', typeOid: 23, typeMod: -1 },
        { flags: 0, name: 'price', typeOid: 1700, typeMod: 655366 },
      ],
    });
  });

  it('decodes Insert, Update with old tuple, Delete by key, with nulls and unchanged TOAST', () => {
    const ins = new B().tag('I').i32(7).tag('N').i16(3).text('1').tag('n').text('héllo').build();
    expect(decodePgoutput(ins)).toEqual({ kind: 'insert', relationId: 7, newTuple: ['1', null, 'héllo'] });
    const upd = new B().tag('U').i32(7).tag('O').i16(2).text('1').text('a').tag('N').i16(2).text('1').tag('u').build();
    expect(decodePgoutput(upd)).toEqual({ kind: 'update', relationId: 7, oldKind: 'O', oldTuple: ['1', 'a'], newTuple: ['1', undefined] });
    const updPlain = new B().tag('U').i32(7).tag('N').i16(1).text('2').build();
    expect(decodePgoutput(updPlain)).toEqual({ kind: 'update', relationId: 7, oldKind: null, oldTuple: null, newTuple: ['2'] });
    const del = new B().tag('D').i32(7).tag('K').i16(2).text('1').tag('n').build();
    expect(decodePgoutput(del)).toEqual({ kind: 'delete', relationId: 7, oldKind: 'K', oldTuple: ['1', null] });
  });

  it('decodes Truncate flags and relation lists, Type and Origin', () => {
    expect(decodePgoutput(new B().tag('T').i32(2).u8(3).i32(5).i32(6).build())).toEqual({ kind: 'truncate', cascade: true, restartIdentity: true, relationIds: [5, 6] });
    expect(decodePgoutput(new B().tag('Y').i32(16400).str('public').str('mood').build())).toEqual({ kind: 'type', typeOid: 16400, namespace: 'public', name: 'mood' });
    expect(decodePgoutput(new B().tag('O').i64(99n).str('node1').build())).toEqual({ kind: 'origin', originLsn: 99n, name: 'node1' });
  });

  it('rejects unknown tags, truncated messages and lengths past the end', () => {
    expect(() => decodePgoutput(Buffer.from('Z'))).toThrow(PgoutputDecodeError);
    expect(() => decodePgoutput(new B().tag('B').i64(1n).build())).toThrow(/truncated 'B'/);
    const bad = new B().tag('I').i32(7).tag('N').i16(1).tag('t').i32(100).raw(Buffer.from('ab')).build();
    expect(() => decodePgoutput(bad)).toThrow(/runs past/);
    const binary = new B().tag('I').i32(7).tag('N').i16(1).tag('b').i32(1).raw(Buffer.from('a')).build();
    expect(() => decodePgoutput(binary)).toThrow(/unknown value kind/);
  });
});

describe('replication messages and LSNs', () => {
  it('parses XLogData and keepalive frames', () => {
    const w = Buffer.concat([Buffer.from('w'), Buffer.alloc(24), Buffer.from('B')]);
    w.writeBigUInt64BE(5n, 1);
    w.writeBigUInt64BE(9n, 9);
    expect(parseReplicationMessage(w)).toEqual({ kind: 'xlog', startLsn: 5n, walEnd: 9n, data: Buffer.from('B') });
    const k = Buffer.alloc(18);
    k[0] = 0x6b;
    k.writeBigUInt64BE(77n, 1);
    k[17] = 1;
    expect(parseReplicationMessage(k)).toEqual({ kind: 'keepalive', walEnd: 77n, replyRequested: true });
    expect(parseReplicationMessage(Buffer.from('x'))).toBeNull();
  });

  it('round-trips LSN text', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(formatLsn(0x16b374d848n)).toBe('16/B374D848');
    expect(formatLsn(0n)).toBe('0/0');
    expect(() => parseLsn('nope')).toThrow();
  });
});
