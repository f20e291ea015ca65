/** The __consumer_offsets record encodings round-trip, including the older value versions. */
import { describe, expect, it } from 'vitest';
import {
  decodeGroupValue,
  decodeKey,
  decodeOffsetValue,
  encodeGroupKey,
  encodeGroupValue,
  encodeOffsetKey,
  encodeOffsetValue,
} from '../../../src/broker/group/records.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

describe('__consumer_offsets records', () => {
  it('keys', () => {
    expect(decodeKey(encodeOffsetKey('g', 't', 3))).toEqual({ kind: 'offset', group: 'g', topic: 't', partition: 3 });
    expect(decodeKey(encodeGroupKey('g'))).toEqual({ kind: 'group', group: 'g' });
    expect(encodeGroupKey('g').readInt16BE(0)).toBe(2);
  });

  it('offset values v3 and v1 (with expire timestamp), and reads v0', () => {
    const v3 = { offset: 42n, leaderEpoch: 5, metadata: 'm', commitTimestampMs: 1000, expireTimestampMs: null };
    expect(decodeOffsetValue(encodeOffsetValue(v3))).toEqual(v3);
    const v1 = { offset: 1n, leaderEpoch: -1, metadata: '', commitTimestampMs: 1000, expireTimestampMs: 2000 };
    expect(decodeOffsetValue(encodeOffsetValue(v1))).toEqual(v1);
    const v0 = Buffer.from(new Writer().int16(0).int64(9n).string('x').int64(7n).toBuffer());
    expect(decodeOffsetValue(v0)).toEqual({ offset: 9n, leaderEpoch: -1, metadata: 'x', commitTimestampMs: 7, expireTimestampMs: null });
  });

  it('group values', () => {
    const g = {
      protocolType: 'consumer', generation: 4, protocol: 'range', leader: 'm1', currentStateTimestampMs: 123,
      members: [{ memberId: 'm1', groupInstanceId: 'i', clientId: 'c', clientHost: '/h', rebalanceTimeoutMs: 300, sessionTimeoutMs: 100, subscription: Buffer.from('s'), assignment: Buffer.from('a') }],
    };
    expect(decodeGroupValue(encodeGroupValue(g))).toEqual(g);
  });
});
