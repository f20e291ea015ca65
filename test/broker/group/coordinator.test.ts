/**
 * Group coordinator scenarios with a fake clock and an in-memory store: join/sync/heartbeat,
 * rebalances on leave and on session expiry, MEMBER_ID_REQUIRED, generation checks, offsets,
 * deletion, limits, and restart from the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupCoordinator } from '../../../src/broker/group/coordinator.ts';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.ts';
import { FakeClock } from './fake-clock.ts';
import { joinParams, settle, startCoordinator, track } from './helpers.ts';
import { MemoryGroupStore } from './memory-store.ts';

const open: GroupCoordinator[] = [];
async function start(...args: Parameters<typeof startCoordinator>) {
  const started = await startCoordinator(...args);
  open.push(started.coordinator);
  return started;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/** One member joins a new group and syncs; returns its member id (generation 1). */
async function soleMember(coordinator: GroupCoordinator, clock: FakeClock, groupId = 'g'): Promise<string> {
  const join = coordinator.joinGroup(joinParams({ groupId }));
  clock.advance(3000);
  const joined = await join;
  expect(joined.errorCode).toBe(ErrorCode.NONE);
  const sync = await coordinator.syncGroup({ groupId, generationId: 1, memberId: joined.memberId, groupInstanceId: null, assignments: [{ memberId: joined.memberId, assignment: Buffer.from('A') }] });
  expect(sync.errorCode).toBe(ErrorCode.NONE);
  return joined.memberId;
}

/** Two members A (leader) and B join and sync; returns their ids (generation 1). */
async function twoMembers(coordinator: GroupCoordinator, clock: FakeClock): Promise<[string, string]> {
  const joinA = coordinator.joinGroup(joinParams({ clientId: 'a' }));
  clock.advance(1000);
  const joinB = coordinator.joinGroup(joinParams({ clientId: 'b' }));
  clock.advance(5000);
  const [a, b] = await Promise.all([joinA, joinB]);
  const syncB = coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null, assignments: [] });
  const syncA = coordinator.syncGroup({
    groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null,
    assignments: [{ memberId: a.memberId, assignment: Buffer.from('p0') }, { memberId: b.memberId, assignment: Buffer.from('p1') }],
  });
  expect((await syncA).errorCode).toBe(0);
  expect((await syncB).errorCode).toBe(0);
  return [a.memberId, b.memberId];
}

describe('GroupCoordinator membership', () => {
  it('single member: join (after the initial delay), sync, heartbeat', async () => {
    const { coordinator, clock } = await start();
    const join = track(coordinator.joinGroup(joinParams()));
    clock.advance(2999);
    await settle();
    expect(join.done).toBe(false);
    clock.advance(1);
    const joined = await join.promise;
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'range' });
    expect(joined.memberId).toMatch(/^client-[0-9a-f-]{36}$/);
    expect(joined.leaderId).toBe(joined.memberId);
    expect(joined.members).toEqual([{ memberId: joined.memberId, groupInstanceId: null, metadata: Buffer.from('sub') }]);
    expect(coordinator.describeGroup('g').state).toBe('CompletingRebalance');

    const sync = await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: null, assignments: [{ memberId: joined.memberId, assignment: Buffer.from('A') }] });
    expect(sync).toEqual({ errorCode: 0, assignment: Buffer.from('A') });
    const described = coordinator.describeGroup('g');
    expect(described).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolName: 'range' });
    expect(described.members[0]).toMatchObject({ memberId: joined.memberId, clientId: 'client', clientHost: '/127.0.0.1', assignment: Buffer.from('A') });

    for (let i = 0; i < 5; i++) {
      clock.advance(9000);
      expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: null })).toBe(0);
    }
    expect(coordinator.describeGroup('g').members).toHaveLength(1);
  });

  it('two members split the work; the follower waits for the leader; one leaves and the other becomes the sole leader', async () => {
    const { coordinator, clock } = await start();
    const joinA = coordinator.joinGroup(joinParams({ clientId: 'a' }));
    clock.advance(1000);
    const joinB = coordinator.joinGroup(joinParams({ clientId: 'b' }));
    // B arrived during the initial delay, so the delay is extended once (3 s + 3 s).
    clock.advance(2000);
    await settle();
    clock.advance(3000);
    const [a, b] = await Promise.all([joinA, joinB]);
    expect(a.leaderId).toBe(a.memberId);
    expect(b.leaderId).toBe(a.memberId);
    expect(a.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    expect(b.members).toEqual([]);

    const syncB = track(coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null, assignments: [] }));
    await settle();
    expect(syncB.done).toBe(false);
    const syncA = await coordinator.syncGroup({
      groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null,
      assignments: [{ memberId: a.memberId, assignment: Buffer.from('p0') }, { memberId: b.memberId, assignment: Buffer.from('p1') }],
    });
    expect(syncA.assignment).toEqual(Buffer.from('p0'));
    expect((await syncB.promise).assignment).toEqual(Buffer.from('p1'));

    expect(coordinator.leaveGroup('g', [{ memberId: a.memberId, groupInstanceId: null }])).toEqual({
      errorCode: 0, members: [{ memberId: a.memberId, groupInstanceId: null, errorCode: 0 }],
    });
    expect(coordinator.describeGroup('g').state).toBe('PreparingRebalance');
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await coordinator.joinGroup(joinParams({ clientId: 'b', memberId: b.memberId }));
    expect(rejoin).toMatchObject({ errorCode: 0, generationId: 2, leaderId: b.memberId, memberId: b.memberId });
    expect(rejoin.members.map((m) => m.memberId)).toEqual([b.memberId]);
    const sync = await coordinator.syncGroup({ groupId: 'g', generationId: 2, memberId: b.memberId, groupInstanceId: null, assignments: [{ memberId: b.memberId, assignment: Buffer.from('p0p1') }] });
    expect(sync.assignment).toEqual(Buffer.from('p0p1'));
  });

  it('a member whose session expires is removed and the group rebalances', async () => {
    const { coordinator, clock } = await start();
    const [a, b] = await twoMembers(coordinator, clock);
    for (let i = 0; i < 2; i++) {
      clock.advance(4000);
      expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a, groupInstanceId: null })).toBe(0);
    }
    expect(coordinator.describeGroup('g').members).toHaveLength(2);
    // B never heartbeat: 10 s after its sync it is gone.
    clock.advance(2000);
    expect(coordinator.describeGroup('g').members.map((m) => m.memberId)).toEqual([a]);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b, groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoin = await coordinator.joinGroup(joinParams({ clientId: 'a', memberId: a }));
    expect(rejoin).toMatchObject({ errorCode: 0, generationId: 2, leaderId: a });
  });

  it('a rebalance ends at the rebalance timeout and drops members that did not rejoin', async () => {
    const { coordinator, clock } = await start();
    const [a, b] = await twoMembers(coordinator, clock);
    const rejoinA = track(coordinator.joinGroup(joinParams({ clientId: 'a', memberId: a })));
    clock.advance(5000);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await settle();
    expect(rejoinA.done).toBe(false);
    clock.advance(5000);
    const r = await rejoinA.promise;
    expect(r).toMatchObject({ errorCode: 0, generationId: 2 });
    expect(r.members.map((m) => m.memberId)).toEqual([a]);
  });

  it('ILLEGAL_GENERATION for stale heartbeats, syncs and commits', async () => {
    const { coordinator, clock } = await start();
    const m = await soleMember(coordinator, clock);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 0, memberId: m, groupInstanceId: null })).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await coordinator.syncGroup({ groupId: 'g', generationId: 7, memberId: m, groupInstanceId: null, assignments: [] })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const codes = await coordinator.commitOffsets({ groupId: 'g', generationId: 2, memberId: m, groupInstanceId: null, offsets: [{ topic: 't', partition: 0, offset: 1n, leaderEpoch: -1, metadata: null }] });
    expect(codes).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: 'nobody', groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat({ groupId: 'other', generationId: 1, memberId: m, groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await coordinator.joinGroup(joinParams({ memberId: 'nobody' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('MEMBER_ID_REQUIRED: a v4+ first join gets its id, then rejoins with it', async () => {
    const { coordinator, clock } = await start();
    const first = await coordinator.joinGroup(joinParams({ requireKnownMemberId: true }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^client-/);
    expect(coordinator.describeGroup('g').members).toEqual([]);
    const second = coordinator.joinGroup(joinParams({ requireKnownMemberId: true, memberId: first.memberId }));
    clock.advance(3000);
    expect(await second).toMatchObject({ errorCode: 0, memberId: first.memberId, leaderId: first.memberId, generationId: 1 });
  });

  it('a pending member that never rejoins expires after its session timeout', async () => {
    const { coordinator, clock } = await start();
    const m = await soleMember(coordinator, clock);
    const pending = await coordinator.joinGroup(joinParams({ requireKnownMemberId: true, clientId: 'late' }));
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // The leader rejoins; the join phase waits for the pending member until it expires.
    const rejoin = track(coordinator.joinGroup(joinParams({ memberId: m })));
    clock.advance(9999);
    await settle();
    expect(rejoin.done).toBe(false);
    clock.advance(1);
    expect(await rejoin.promise).toMatchObject({ errorCode: 0, generationId: 2 });
    expect((await coordinator.joinGroup(joinParams({ memberId: pending.memberId }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('INCONSISTENT_GROUP_PROTOCOL, and protocol selection by votes', async () => {
    const { coordinator, clock } = await start();
    const a = coordinator.joinGroup(joinParams({ protocols: [{ name: 'rr', metadata: Buffer.from('x') }, { name: 'range', metadata: Buffer.from('y') }] }));
    const bad = await coordinator.joinGroup(joinParams({ protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }));
    expect(bad.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const wrongType = await coordinator.joinGroup(joinParams({ protocolType: 'connect' }));
    expect(wrongType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const b = coordinator.joinGroup(joinParams({ protocols: [{ name: 'range', metadata: Buffer.from('z') }, { name: 'rr', metadata: Buffer.from('w') }] }));
    clock.advance(6000);
    const [ra, rb] = await Promise.all([a, b]);
    // One vote each: the tie goes to the leader's preference.
    expect(ra.protocolName).toBe('rr');
    expect(rb.protocolName).toBe('rr');
    expect(ra.members.map((m) => m.metadata.toString())).toEqual(['x', 'w']);
  });

  it('rejects invalid session timeouts and group ids', async () => {
    const { coordinator } = await start();
    expect((await coordinator.joinGroup(joinParams({ sessionTimeoutMs: 1000 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await coordinator.joinGroup(joinParams({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  it('GROUP_MAX_SIZE_REACHED past group.max.size', async () => {
    const { coordinator, clock } = await start({ groupMaxSize: 2 });
    const joins = [0, 1].map((i) => coordinator.joinGroup(joinParams({ clientId: `c${i}` })));
    clock.advance(6000);
    await Promise.all(joins);
    const third = await coordinator.joinGroup(joinParams({ clientId: 'c2' }));
    expect(third.errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it('static members are accepted and a restarted instance takes over its membership', async () => {
    const { coordinator, clock } = await start();
    const first = coordinator.joinGroup(joinParams({ groupInstanceId: 'inst-1', requireKnownMemberId: true }));
    clock.advance(3000);
    const joined = await first;
    expect(joined.errorCode).toBe(0);
    expect(joined.memberId).toMatch(/^inst-1-/);
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: 'inst-1', assignments: [{ memberId: joined.memberId, assignment: Buffer.from('A') }] });
    const again = await coordinator.joinGroup(joinParams({ groupInstanceId: 'inst-1', requireKnownMemberId: true }));
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, leaderId: joined.memberId });
    expect(again.memberId).not.toBe(joined.memberId);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: 'inst-1' })).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: again.memberId, groupInstanceId: 'inst-1' })).toBe(0);
  });

  it('close() answers parked joins with NOT_COORDINATOR and cancels every timer', async () => {
    const { coordinator, clock } = await start();
    const [m] = await twoMembers(coordinator, clock);
    const rejoin = coordinator.joinGroup(joinParams({ memberId: m }));
    const other = coordinator.joinGroup(joinParams({ groupId: 'g2' }));
    await coordinator.close();
    expect((await rejoin).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect((await other).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(clock.pendingTimers).toBe(0);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null })).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});

describe('GroupCoordinator offsets', () => {
  const commit = (offset: bigint, metadata: string | null = 'meta', partition = 0) => ({ topic: 't', partition, offset, leaderEpoch: 3, metadata });

  it('simple commits (generation -1) create an offsets-only group; fetch returns them, -1 for the rest', async () => {
    const { coordinator } = await start();
    expect(await coordinator.commitOffsets({ groupId: 'tools', generationId: -1, memberId: '', groupInstanceId: null, offsets: [commit(42n), commit(7n, null, 1)] })).toEqual([0, 0]);
    const fetched = coordinator.fetchOffsets('tools', [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }, { topic: 't', partition: 2 }]);
    expect(fetched.offsets).toEqual([
      { topic: 't', partition: 0, offset: 42n, leaderEpoch: 3, metadata: 'meta', errorCode: 0 },
      { topic: 't', partition: 1, offset: 7n, leaderEpoch: 3, metadata: '', errorCode: 0 },
      { topic: 't', partition: 2, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
    expect(coordinator.fetchOffsets('tools', null).offsets.map((o) => o.offset)).toEqual([42n, 7n]);
    expect(coordinator.fetchOffsets('unknown', [{ topic: 't', partition: 0 }]).offsets[0].offset).toBe(-1n);
    expect(coordinator.listGroups().groups).toEqual([{ groupId: 'tools', protocolType: '', state: 'Empty' }]);
  });

  it('members commit with their generation; non-members are refused while the group has members', async () => {
    const { coordinator, clock } = await start();
    const m = await soleMember(coordinator, clock);
    expect(await coordinator.commitOffsets({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null, offsets: [commit(10n)] })).toEqual([0]);
    expect(await coordinator.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, offsets: [commit(11n)] })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(await coordinator.commitOffsets({ groupId: 'g', generationId: 1, memberId: 'other', groupInstanceId: null, offsets: [commit(11n)] })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(coordinator.fetchOffsets('g', null).offsets[0].offset).toBe(10n);
  });

  it('rejects metadata over offset.metadata.max.bytes per partition', async () => {
    const { coordinator } = await start({ offsetMetadataBytesMax: 4 });
    const codes = await coordinator.commitOffsets({ groupId: 'x', generationId: -1, memberId: '', groupInstanceId: null, offsets: [commit(1n, 'ok'), commit(2n, 'too long', 1)] });
    expect(codes).toEqual([0, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
  });

  it('a failed store append is reported and nothing is cached', async () => {
    const { coordinator, store } = await start();
    store.failNext = new Error('disk full');
    expect(await coordinator.commitOffsets({ groupId: 'x', generationId: -1, memberId: '', groupInstanceId: null, offsets: [commit(1n)] })).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE]);
    expect(coordinator.fetchOffsets('x', [{ topic: 't', partition: 0 }]).offsets[0].offset).toBe(-1n);
  });

  it('a new coordinator over the same store restores offsets and groups', async () => {
    const store = new MemoryGroupStore();
    const clock = new FakeClock();
    const first = await start({}, store, clock);
    const m = await soleMember(first.coordinator, clock);
    await first.coordinator.commitOffsets({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null, offsets: [commit(100n, 'hello')] });
    await first.coordinator.commitOffsets({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null, offsets: [commit(101n, 'again')] });
    await first.coordinator.commitOffsets({ groupId: 'tools', generationId: -1, memberId: '', groupInstanceId: null, offsets: [commit(5n)] });
    await first.coordinator.close();

    const second = await start({}, store, clock);
    expect(second.coordinator.fetchOffsets('g', null).offsets).toEqual([{ topic: 't', partition: 0, offset: 101n, leaderEpoch: 3, metadata: 'again', errorCode: 0 }]);
    expect(second.coordinator.fetchOffsets('tools', null).offsets[0].offset).toBe(5n);
    const described = second.coordinator.describeGroup('g');
    expect(described).toMatchObject({ state: 'Stable', protocolName: 'range' });
    expect(described.members[0]).toMatchObject({ memberId: m, assignment: Buffer.from('A') });
    // The member keeps its generation across the restart.
    expect(second.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null })).toBe(0);
    expect((await second.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null, assignments: [] })).assignment).toEqual(Buffer.from('A'));
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS until load() completes', async () => {
    const { GroupCoordinator } = await import('../../../src/broker/group/coordinator.ts');
    const c = new GroupCoordinator({ store: new MemoryGroupStore(), clock: new FakeClock() });
    expect(c.fetchOffsets('g', null).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect((await c.joinGroup(joinParams())).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    await c.load();
    expect(c.fetchOffsets('g', null).errorCode).toBe(0);
    await c.close();
  });

  it('DeleteGroups: NON_EMPTY_GROUP with members, deletes Empty groups and their offsets durably', async () => {
    const store = new MemoryGroupStore();
    const clock = new FakeClock();
    const { coordinator } = await start({}, store, clock);
    const m = await soleMember(coordinator, clock);
    await coordinator.commitOffsets({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null, offsets: [commit(9n)] });
    expect(await coordinator.deleteGroups(['g', 'nope'])).toEqual(new Map([['g', ErrorCode.NON_EMPTY_GROUP], ['nope', ErrorCode.GROUP_ID_NOT_FOUND]]));
    coordinator.leaveGroup('g', [{ memberId: m, groupInstanceId: null }]);
    expect(coordinator.describeGroup('g').state).toBe('Empty');
    expect(await coordinator.deleteGroups(['g'])).toEqual(new Map([['g', 0]]));
    expect(coordinator.describeGroup('g').state).toBe('Dead');
    expect(coordinator.fetchOffsets('g', null).offsets).toEqual([]);
    await coordinator.close();
    const again = await start({}, store, clock);
    expect(again.coordinator.fetchOffsets('g', null).offsets).toEqual([]);
    expect(again.coordinator.listGroups().groups).toEqual([]);
  });

  it('expires the offsets of a group Empty for longer than the retention, then the group', async () => {
    const { coordinator, clock } = await start({ offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 });
    const m = await soleMember(coordinator, clock);
    await coordinator.commitOffsets({ groupId: 'g', generationId: 1, memberId: m, groupInstanceId: null, offsets: [commit(9n)] });
    coordinator.leaveGroup('g', [{ memberId: m, groupInstanceId: null }]);
    clock.advance(50_000);
    await settle();
    expect(coordinator.fetchOffsets('g', null).offsets).toHaveLength(1);
    clock.advance(20_000);
    await settle();
    expect(coordinator.fetchOffsets('g', null).offsets).toHaveLength(0);
    expect(coordinator.describeGroup('g').state).toBe('Dead');
  });
});
