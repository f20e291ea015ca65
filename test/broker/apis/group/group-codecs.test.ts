/**
 * Round trips for the group API codecs, lowest and highest version of each API: request bytes
 * are built by hand following Kafka's grammar and decoded by the codec; responses are encoded by
 * the codec and read back field by field with a Reader.
 */
import { describe, expect, it } from 'vitest';
import type { ApiVersionCodec } from '../../../../src/broker/apis/api.ts';
import {
  deleteGroupsApi,
  describeGroupsApi,
  findCoordinatorApi,
  heartbeatApi,
  joinGroupApi,
  leaveGroupApi,
  listGroupsApi,
  offsetCommitApi,
  offsetFetchApi,
  syncGroupApi,
} from '../../../../src/broker/apis/group/index.ts';
import { Reader } from '../../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../../src/broker/protocol/writer.ts';

function decode<Req, Res>(codec: ApiVersionCodec<Req, Res>, build: (w: Writer) => void): Req {
  const w = new Writer();
  build(w);
  const r = new Reader(w.toBuffer());
  const req = codec.decodeRequest(r);
  expect(r.remaining).toBe(0);
  return req;
}

function encode<Req, Res>(codec: ApiVersionCodec<Req, Res>, res: Res): Reader {
  const w = new Writer();
  codec.encodeResponse(w, res);
  return new Reader(w.toBuffer());
}

function codec<Req, Res>(api: { codecs: readonly ApiVersionCodec<Req, Res>[] }, version: number): ApiVersionCodec<Req, Res> {
  const c = api.codecs[version];
  expect(c.version).toBe(version);
  expect(c.flexible).toBe(false);
  return c;
}

const meta = Buffer.from([1, 2, 3]);

describe('version tables', () => {
  it('are contiguous from 0', () => {
    const maxima: [{ codecs: readonly { version: number }[] }, number][] = [
      [findCoordinatorApi, 2], [joinGroupApi, 5], [syncGroupApi, 3], [heartbeatApi, 3], [leaveGroupApi, 3],
      [offsetCommitApi, 7], [offsetFetchApi, 5], [listGroupsApi, 2], [describeGroupsApi, 4], [deleteGroupsApi, 1],
    ];
    for (const [api, max] of maxima) {
      expect(api.codecs.map((c) => c.version)).toEqual([...Array(max + 1).keys()]);
    }
  });
});

describe('FindCoordinator', () => {
  it('v0', () => {
    const c = codec(findCoordinatorApi, 0);
    expect(decode(c, (w) => w.string('g1'))).toEqual({ key: 'g1' });
    const r = encode(c, { errorCode: 0, nodeId: 7, host: 'localhost', port: 9092 });
    expect([r.int16(), r.int32(), r.string(), r.int32(), r.remaining]).toEqual([0, 7, 'localhost', 9092, 0]);
  });
  it('v2', () => {
    const c = codec(findCoordinatorApi, 2);
    expect(decode(c, (w) => w.string('tx').int8(1))).toEqual({ key: 'tx', keyType: 1 });
    const r = encode(c, { throttleTimeMs: 5, errorCode: 15, errorMessage: 'x', nodeId: -1, host: '', port: -1 });
    expect([r.int32(), r.int16(), r.nullableString(), r.int32(), r.string(), r.int32(), r.remaining]).toEqual([5, 15, 'x', -1, '', -1, 0]);
  });
});

describe('JoinGroup', () => {
  it('v0', () => {
    const c = codec(joinGroupApi, 0);
    const req = decode(c, (w) => {
      w.string('g').int32(30000).string('').string('consumer');
      w.array([['range', meta]] as const, (w, [n, m]) => w.string(n).bytes(m));
    });
    expect(req).toEqual({ groupId: 'g', sessionTimeoutMs: 30000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: meta }] });
    const r = encode(c, { errorCode: 0, generationId: 3, protocolName: 'range', leader: 'm1', memberId: 'm1', members: [{ memberId: 'm1', metadata: meta }] });
    expect([r.int16(), r.int32(), r.string(), r.string(), r.string(), r.int32(), r.string(), r.bytes(), r.remaining]).toEqual([0, 3, 'range', 'm1', 'm1', 1, 'm1', meta, 0]);
  });
  it('v5', () => {
    const c = codec(joinGroupApi, 5);
    const req = decode(c, (w) => {
      w.string('g').int32(10000).int32(60000).string('m1').nullableString('inst-1').string('consumer');
      w.array([['rr', meta], ['range', meta]] as const, (w, [n, m]) => w.string(n).bytes(m));
    });
    expect(req).toEqual({
      groupId: 'g', sessionTimeoutMs: 10000, rebalanceTimeoutMs: 60000, memberId: 'm1', groupInstanceId: 'inst-1', protocolType: 'consumer',
      protocols: [{ name: 'rr', metadata: meta }, { name: 'range', metadata: meta }],
    });
    const r = encode(c, {
      throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolName: 'rr', leader: 'm1', memberId: 'm1',
      members: [{ memberId: 'm1', groupInstanceId: 'inst-1', metadata: meta }, { memberId: 'm2', groupInstanceId: null, metadata: meta }],
    });
    expect([r.int32(), r.int16(), r.int32(), r.string(), r.string(), r.string(), r.int32()]).toEqual([0, 0, 1, 'rr', 'm1', 'm1', 2]);
    expect([r.string(), r.nullableString(), r.bytes(), r.string(), r.nullableString(), r.bytes(), r.remaining]).toEqual(['m1', 'inst-1', meta, 'm2', null, meta, 0]);
  });
});

describe('SyncGroup', () => {
  it('v0', () => {
    const c = codec(syncGroupApi, 0);
    const req = decode(c, (w) => w.string('g').int32(2).string('m1').array(['m1'], (w, m) => w.string(m).bytes(meta)));
    expect(req).toEqual({ groupId: 'g', generationId: 2, memberId: 'm1', assignments: [{ memberId: 'm1', assignment: meta }] });
    const r = encode(c, { errorCode: 0, assignment: meta });
    expect([r.int16(), r.bytes(), r.remaining]).toEqual([0, meta, 0]);
  });
  it('v3', () => {
    const c = codec(syncGroupApi, 3);
    const req = decode(c, (w) => w.string('g').int32(2).string('m1').nullableString(null).array([], () => {}));
    expect(req).toEqual({ groupId: 'g', generationId: 2, memberId: 'm1', groupInstanceId: null, assignments: [] });
    const r = encode(c, { throttleTimeMs: 1, errorCode: 27, assignment: Buffer.alloc(0) });
    expect([r.int32(), r.int16(), r.bytes().length, r.remaining]).toEqual([1, 27, 0, 0]);
  });
});

describe('Heartbeat', () => {
  it('v0', () => {
    const c = codec(heartbeatApi, 0);
    expect(decode(c, (w) => w.string('g').int32(4).string('m'))).toEqual({ groupId: 'g', generationId: 4, memberId: 'm' });
    const r = encode(c, { errorCode: 27 });
    expect([r.int16(), r.remaining]).toEqual([27, 0]);
  });
  it('v3', () => {
    const c = codec(heartbeatApi, 3);
    expect(decode(c, (w) => w.string('g').int32(4).string('m').nullableString('i'))).toEqual({ groupId: 'g', generationId: 4, memberId: 'm', groupInstanceId: 'i' });
    const r = encode(c, { throttleTimeMs: 0, errorCode: 22 });
    expect([r.int32(), r.int16(), r.remaining]).toEqual([0, 22, 0]);
  });
});

describe('LeaveGroup', () => {
  it('v0', () => {
    const c = codec(leaveGroupApi, 0);
    expect(decode(c, (w) => w.string('g').string('m'))).toEqual({ groupId: 'g', memberId: 'm' });
    const r = encode(c, { errorCode: 25 });
    expect([r.int16(), r.remaining]).toEqual([25, 0]);
  });
  it('v3', () => {
    const c = codec(leaveGroupApi, 3);
    const req = decode(c, (w) => w.string('g').array([['m1', null], ['', 'i2']] as const, (w, [m, i]) => w.string(m).nullableString(i)));
    expect(req).toEqual({ groupId: 'g', members: [{ memberId: 'm1', groupInstanceId: null }, { memberId: '', groupInstanceId: 'i2' }] });
    const r = encode(c, { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm1', groupInstanceId: null, errorCode: 25 }] });
    expect([r.int32(), r.int16(), r.int32(), r.string(), r.nullableString(), r.int16(), r.remaining]).toEqual([0, 0, 1, 'm1', null, 25, 0]);
  });
});

describe('OffsetCommit', () => {
  it('v0', () => {
    const c = codec(offsetCommitApi, 0);
    const req = decode(c, (w) => w.string('g').array(['t'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(42n).nullableString('meta'))));
    expect(req).toEqual({ groupId: 'g', topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedMetadata: 'meta' }] }] });
    const r = encode(c, { topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 3 }] }] });
    expect([r.int32(), r.string(), r.int32(), r.int32(), r.int16(), r.remaining]).toEqual([1, 't', 1, 0, 3, 0]);
  });
  it('v1 carries a commit timestamp, v2 a retention time', () => {
    const v1 = decode(codec(offsetCommitApi, 1), (w) =>
      w.string('g').int32(1).string('m').array(['t'], (w, t) => w.string(t).array([2], (w, p) => w.int32(p).int64(5n).int64(-1n).nullableString(null))));
    expect(v1.topics[0].partitions[0]).toEqual({ partitionIndex: 2, committedOffset: 5n, commitTimestamp: -1n, committedMetadata: null });
    const v2 = decode(codec(offsetCommitApi, 2), (w) => w.string('g').int32(1).string('m').int64(-1n).array([], () => {}));
    expect(v2).toEqual({ groupId: 'g', generationId: 1, memberId: 'm', retentionTimeMs: -1n, topics: [] });
  });
  it('v7', () => {
    const c = codec(offsetCommitApi, 7);
    const req = decode(c, (w) =>
      w.string('g').int32(3).string('m').nullableString(null).array(['t'], (w, t) => w.string(t).array([1], (w, p) => w.int32(p).int64(9n).int32(4).nullableString(''))));
    expect(req).toEqual({
      groupId: 'g', generationId: 3, memberId: 'm', groupInstanceId: null,
      topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 9n, committedLeaderEpoch: 4, committedMetadata: '' }] }],
    });
    const r = encode(c, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 1, errorCode: 0 }] }] });
    expect([r.int32(), r.int32(), r.string(), r.int32(), r.int32(), r.int16(), r.remaining]).toEqual([0, 1, 't', 1, 1, 0, 0]);
  });
});

describe('OffsetFetch', () => {
  const partition = { partitionIndex: 0, committedOffset: 10n, committedLeaderEpoch: 2, metadata: 'm', errorCode: 0 };
  it('v0', () => {
    const c = codec(offsetFetchApi, 0);
    const req = decode(c, (w) => w.string('g').array(['t'], (w, t) => w.string(t).array([0, 1], (w, p) => w.int32(p))));
    expect(req).toEqual({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] });
    const r = encode(c, { topics: [{ name: 't', partitions: [partition] }], errorCode: 0 });
    expect([r.int32(), r.string(), r.int32(), r.int32(), r.int64(), r.nullableString(), r.int16(), r.remaining]).toEqual([1, 't', 1, 0, 10n, 'm', 0, 0]);
  });
  it('v5 with null topics', () => {
    const c = codec(offsetFetchApi, 5);
    expect(decode(c, (w) => w.string('g').nullableArray(null, () => {}))).toEqual({ groupId: 'g', topics: null });
    const r = encode(c, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [partition] }], errorCode: 16 });
    expect([r.int32(), r.int32(), r.string(), r.int32(), r.int32(), r.int64(), r.int32(), r.nullableString(), r.int16(), r.int16(), r.remaining])
      .toEqual([0, 1, 't', 1, 0, 10n, 2, 'm', 0, 16, 0]);
  });
});

describe('ListGroups', () => {
  it('v0', () => {
    const c = codec(listGroupsApi, 0);
    expect(decode(c, () => {})).toEqual({});
    const r = encode(c, { errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer' }] });
    expect([r.int16(), r.int32(), r.string(), r.string(), r.remaining]).toEqual([0, 1, 'g', 'consumer', 0]);
  });
  it('v2', () => {
    const c = codec(listGroupsApi, 2);
    expect(decode(c, () => {})).toEqual({});
    const r = encode(c, { throttleTimeMs: 3, errorCode: 0, groups: [] });
    expect([r.int32(), r.int16(), r.int32(), r.remaining]).toEqual([3, 0, 0, 0]);
  });
});

describe('DescribeGroups', () => {
  const member = { memberId: 'm1', groupInstanceId: 'i1', clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: meta, memberAssignment: meta };
  const group = { errorCode: 0, groupId: 'g', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', members: [member], authorizedOperations: 328 };
  it('v0', () => {
    const c = codec(describeGroupsApi, 0);
    expect(decode(c, (w) => w.array(['a', 'b'], (w, g) => w.string(g)))).toEqual({ groups: ['a', 'b'] });
    const r = encode(c, { groups: [group] });
    expect([r.int32(), r.int16(), r.string(), r.string(), r.string(), r.string(), r.int32()]).toEqual([1, 0, 'g', 'Stable', 'consumer', 'range', 1]);
    expect([r.string(), r.string(), r.string(), r.bytes(), r.bytes(), r.remaining]).toEqual(['m1', 'c', '/127.0.0.1', meta, meta, 0]);
  });
  it('v4', () => {
    const c = codec(describeGroupsApi, 4);
    expect(decode(c, (w) => w.array(['a'], (w, g) => w.string(g)).bool(true))).toEqual({ groups: ['a'], includeAuthorizedOperations: true });
    const r = encode(c, { throttleTimeMs: 0, groups: [group] });
    expect([r.int32(), r.int32(), r.int16(), r.string(), r.string(), r.string(), r.string(), r.int32()]).toEqual([0, 1, 0, 'g', 'Stable', 'consumer', 'range', 1]);
    expect([r.string(), r.nullableString(), r.string(), r.string(), r.bytes(), r.bytes(), r.int32(), r.remaining]).toEqual(['m1', 'i1', 'c', '/127.0.0.1', meta, meta, 328, 0]);
  });
});

describe('DeleteGroups', () => {
  for (const version of [0, 1]) {
    it(`v${version}`, () => {
      const c = codec(deleteGroupsApi, version);
      expect(decode(c, (w) => w.array(['g1', 'g2'], (w, g) => w.string(g)))).toEqual({ groupsNames: ['g1', 'g2'] });
      const r = encode(c, { throttleTimeMs: 0, results: [{ groupId: 'g1', errorCode: 68 }] });
      expect([r.int32(), r.int32(), r.string(), r.int16(), r.remaining]).toEqual([0, 1, 'g1', 68, 0]);
    });
  }
});

describe('errorResponse', () => {
  it('answers every partition of an OffsetCommit', () => {
    const res = offsetCommitApi.errorResponse({ groupId: 'g', topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 0n, committedMetadata: null }] }] }, 16);
    expect(res.topics[0].partitions[0].errorCode).toBe(16);
  });
});
