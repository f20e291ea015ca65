/**
 * The group API handlers: request → coordinator → response mapping, version differences
 * (MEMBER_ID_REQUIRED from v4, LeaveGroup's single error before v3, OffsetFetch errors before
 * v2) and the partition check on OffsetCommit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupCoordinator } from '../../../../src/broker/group/coordinator.ts';
import {
  groupAuthorizedOperations,
  handleDeleteGroups,
  handleDescribeGroups,
  handleFindCoordinator,
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleListGroups,
  handleOffsetCommit,
  handleOffsetFetch,
  handleSyncGroup,
} from '../../../../src/broker/group/index.ts';
import { ErrorCode } from '../../../../src/broker/protocol/error-codes.ts';
import { FakeClock } from '../fake-clock.ts';
import { startCoordinator } from '../helpers.ts';

const open: GroupCoordinator[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});
async function start() {
  const s = await startCoordinator({ groupInitialRebalanceDelayMs: 0 }, undefined, new FakeClock());
  open.push(s.coordinator);
  return s;
}
const ctx = (apiVersion: number) => ({ clientId: 'kcat', clientHost: '/10.0.0.1', apiVersion });
const joinReq = (memberId = '') => ({
  groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 20_000, memberId, protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('s') }],
});

describe('group handlers', () => {
  it('FindCoordinator answers with this node for groups and transactions', async () => {
    const { coordinator } = await start();
    const node = { nodeId: 1, host: 'localhost', port: 9092 };
    expect(await handleFindCoordinator(coordinator, { key: 'g' }, { ...ctx(0), node })).toMatchObject({ errorCode: 0, nodeId: 1, host: 'localhost', port: 9092 });
    expect(await handleFindCoordinator(coordinator, { key: 'tx', keyType: 1 }, { ...ctx(2), node })).toMatchObject({ errorCode: 0, nodeId: 1 });
    expect((await handleFindCoordinator(coordinator, { key: 'x', keyType: 9 }, { ...ctx(2), node })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('JoinGroup v4 needs a member id first; then sync, heartbeat, describe, list, leave (v0 and v3)', async () => {
    const { coordinator, clock } = await start();
    const first = await handleJoinGroup(coordinator, joinReq(), ctx(4));
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, protocolName: '', leader: '' });
    const join = handleJoinGroup(coordinator, joinReq(first.memberId), ctx(4));
    clock.advance(0);
    const joined = await join;
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', leader: first.memberId, memberId: first.memberId });
    expect(first.memberId).toMatch(/^kcat-/);

    const sync = await handleSyncGroup(coordinator, { groupId: 'g', generationId: 1, memberId: joined.memberId, assignments: [{ memberId: joined.memberId, assignment: Buffer.from('a') }] }, ctx(3));
    expect(sync).toEqual({ throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from('a') });
    expect(await handleHeartbeat(coordinator, { groupId: 'g', generationId: 1, memberId: joined.memberId }, ctx(3))).toEqual({ throttleTimeMs: 0, errorCode: 0 });

    const described = await handleDescribeGroups(coordinator, { groups: ['g', 'missing'], includeAuthorizedOperations: true }, ctx(4));
    expect(described.groups[0]).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', authorizedOperations: groupAuthorizedOperations });
    expect(described.groups[0].members[0]).toMatchObject({ clientId: 'kcat', clientHost: '/10.0.0.1', memberMetadata: Buffer.from('s'), memberAssignment: Buffer.from('a') });
    expect(described.groups[1]).toMatchObject({ errorCode: 0, groupState: 'Dead', members: [] });
    expect((await handleListGroups(coordinator, {}, ctx(2))).groups).toEqual([{ groupId: 'g', protocolType: 'consumer' }]);

    expect(await handleLeaveGroup(coordinator, { groupId: 'g', memberId: 'nobody' }, ctx(0))).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    const left = await handleLeaveGroup(coordinator, { groupId: 'g', members: [{ memberId: joined.memberId, groupInstanceId: null }] }, ctx(3));
    expect(left).toEqual({ throttleTimeMs: 0, errorCode: 0, members: [{ memberId: joined.memberId, groupInstanceId: null, errorCode: 0 }] });
    expect((await handleDeleteGroups(coordinator, { groupsNames: ['g'] }, ctx(1))).results).toEqual([{ groupId: 'g', errorCode: 0 }]);
  });

  it('JoinGroup v0 uses the session timeout as the rebalance timeout and joins at once', async () => {
    const { coordinator, clock } = await start();
    const join = handleJoinGroup(coordinator, { groupId: 'g', sessionTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] }, ctx(0));
    clock.advance(0);
    expect((await join).errorCode).toBe(0);
  });

  it('OffsetCommit refuses unknown partitions; OffsetFetch returns -1 for unknown ones and round-trips metadata', async () => {
    const { coordinator } = await start();
    const exists = (topic: string, partition: number) => topic === 't' && partition < 2;
    const res = await handleOffsetCommit(coordinator, {
      groupId: 'tools', generationId: -1, memberId: '',
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: 2, committedMetadata: 'm0' }, { partitionIndex: 9, committedOffset: 1n, committedMetadata: null }] },
        { name: 'nope', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] },
      ],
    }, { ...ctx(7), partitionExists: exists });
    expect(res.topics).toEqual([
      { name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 9, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
      { name: 'nope', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
    ]);
    // v0 commits carry no generation: a simple commit.
    const v0 = await handleOffsetCommit(coordinator, { groupId: 'tools', topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 8n, committedMetadata: 'v0' }] }] }, { ...ctx(0), partitionExists: exists });
    expect(v0.topics[0].partitions[0].errorCode).toBe(0);

    const fetched = await handleOffsetFetch(coordinator, { groupId: 'tools', topics: [{ name: 't', partitionIndexes: [0, 1, 3] }] }, ctx(5));
    expect(fetched).toEqual({
      throttleTimeMs: 0, errorCode: 0,
      topics: [{ name: 't', partitions: [
        { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: 2, metadata: 'm0', errorCode: 0 },
        { partitionIndex: 1, committedOffset: 8n, committedLeaderEpoch: -1, metadata: 'v0', errorCode: 0 },
        { partitionIndex: 3, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
      ] }],
    });
    const all = await handleOffsetFetch(coordinator, { groupId: 'tools', topics: null }, ctx(3));
    expect(all.topics[0].partitions.map((p) => p.committedOffset)).toEqual([5n, 8n]);
  });

  it('OffsetFetch before v2 repeats a group error on every partition', async () => {
    const { coordinator } = await start();
    await coordinator.close();
    const v1 = await handleOffsetFetch(coordinator, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }] }, ctx(1));
    expect(v1.topics[0].partitions[0]).toMatchObject({ committedOffset: -1n, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
    const v2 = await handleOffsetFetch(coordinator, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }] }, ctx(2));
    expect(v2).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: [] });
  });
});
