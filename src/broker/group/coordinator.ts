/**
 * The group coordinator for Kafka's classic group protocol, behaving as Kafka's GroupCoordinator
 * (core/src/main/scala/kafka/coordinator/group/GroupCoordinator.scala): members join
 * (JoinGroup long-polls until the join phase ends), the leader computes assignments and sends
 * them with SyncGroup, the coordinator relays them, and heartbeats keep members alive. It also
 * stores committed offsets. Group metadata and offsets are appended to a {@link GroupStore}
 * (`__consumer_offsets`) and rebuilt from it by {@link GroupCoordinator.load}.
 *
 * Example:
 *   const coordinator = new GroupCoordinator({ store });
 *   await coordinator.load();
 *   const joined = await coordinator.joinGroup({ groupId: 'g', memberId: '', ... });
 *   ...
 *   await coordinator.close();
 *
 * Nothing here throws to the caller for something a client did: results carry Kafka error codes.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes.ts';
import { toClock } from './clock.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { ClassicGroup } from './classic-group.ts';
import type { GroupRecord, GroupStore } from './group-store.ts';
import { groupRecord, groupTombstone, loadGroups, offsetRecord } from './group-loader.ts';
import { GroupMember } from './member.ts';
import type { OffsetAndMetadata } from './records.ts';
import type { JoinCallback, SyncCallback } from './member.ts';
import { GroupState } from './types.ts';
import type {
  CommitOffsetsParams,
  FetchOffsetsResult,
  GroupDescription,
  GroupOverview,
  HeartbeatParams,
  JoinGroupParams,
  JoinGroupResult,
  LeaveGroupResult,
  MemberIdentity,
  OffsetCommitEntry,
  SyncGroupParams,
  SyncGroupResult,
  TopicPartition,
} from './types.ts';

export interface GroupLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface GroupCoordinatorOptions {
  readonly store: GroupStore;
  /** A full clock (tests), or just a time source with real timers (the broker's `clock`). */
  readonly clock?: Clock | (() => number);
  readonly logger?: GroupLogger;
  /** group.min.session.timeout.ms (Kafka default 6000). */
  readonly groupMinSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms (Kafka default 1800000). */
  readonly groupMaxSessionTimeoutMs?: number;
  /** group.initial.rebalance.delay.ms (Kafka default 3000): how long a new group waits for more joiners. */
  readonly groupInitialRebalanceDelayMs?: number;
  /** group.max.size. Kafka's default is unbounded; ours is 1000 so that pending joins stay bounded. */
  readonly groupMaxSize?: number;
  /** offsets.retention.minutes in ms (Kafka default 7 days). */
  readonly offsetsRetentionMs?: number;
  /** offsets.retention.check.interval.ms (Kafka default 600000). */
  readonly offsetsRetentionCheckIntervalMs?: number;
  /** offset.metadata.max.bytes (Kafka default 4096). */
  readonly offsetMetadataBytesMax?: number;
  /** How long a new member's JoinGroup may wait in a rebalance (Kafka: 5 minutes). */
  readonly newMemberJoinTimeoutMs?: number;
}

type Status = 'loading' | 'active' | 'closed';

const emptyBytes = Buffer.alloc(0);

function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return { errorCode, memberId, generationId: -1, protocolType: null, protocolName: null, leaderId: null, members: [] };
}

/** Which APIs accept the empty group id (Kafka keeps it for offset storage and admin). */
type GroupApi = 'join' | 'sync' | 'heartbeat' | 'leave' | 'commit' | 'fetch' | 'describe' | 'delete';

export class GroupCoordinator {
  private readonly store: GroupStore;
  private readonly clock: Clock;
  private readonly log: GroupLogger | undefined;
  readonly groupMinSessionTimeoutMs: number;
  readonly groupMaxSessionTimeoutMs: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly groupMaxSize: number;
  readonly offsetsRetentionMs: number;
  readonly offsetsRetentionCheckIntervalMs: number;
  readonly offsetMetadataBytesMax: number;
  readonly newMemberJoinTimeoutMs: number;
  private status: Status = 'loading';
  private groups = new Map<string, ClassicGroup>();
  private cleanupTimer: TimerHandle | null = null;
  private readonly inflightAppends = new Set<Promise<unknown>>();

  constructor(options: GroupCoordinatorOptions) {
    this.store = options.store;
    this.clock = toClock(options.clock);
    this.log = options.logger;
    this.groupMinSessionTimeoutMs = options.groupMinSessionTimeoutMs ?? 6000;
    this.groupMaxSessionTimeoutMs = options.groupMaxSessionTimeoutMs ?? 1_800_000;
    this.groupInitialRebalanceDelayMs = options.groupInitialRebalanceDelayMs ?? 3000;
    this.groupMaxSize = options.groupMaxSize ?? 1000;
    this.offsetsRetentionMs = options.offsetsRetentionMs ?? 7 * 24 * 3600 * 1000;
    this.offsetsRetentionCheckIntervalMs = options.offsetsRetentionCheckIntervalMs ?? 600_000;
    this.offsetMetadataBytesMax = options.offsetMetadataBytesMax ?? 4096;
    this.newMemberJoinTimeoutMs = options.newMemberJoinTimeoutMs ?? 300_000;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Replays the store, then starts answering. Until then requests get COORDINATOR_LOAD_IN_PROGRESS. */
  async load(): Promise<void> {
    const { groups, skippedRecords } = await loadGroups(this.store, this.clock.now());
    if (this.status === 'closed') return;
    if (skippedRecords > 0) this.log?.warn(`skipped ${skippedRecords} undecodable __consumer_offsets records`);
    this.groups = groups;
    this.status = 'active';
    for (const group of groups.values()) {
      if (group.size > this.groupMaxSize) this.prepareRebalance(group);
      for (const m of group.members.values()) this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
    }
    this.scheduleCleanup();
  }

  /**
   * Stops the coordinator: cancels every timer, answers parked JoinGroup and SyncGroup requests
   * with NOT_COORDINATOR (clients then look for the coordinator again), and waits for appends
   * in flight.
   */
  async close(): Promise<void> {
    if (this.status === 'closed') return;
    this.status = 'closed';
    if (this.cleanupTimer !== null) this.clock.clearTimeout(this.cleanupTimer);
    this.cleanupTimer = null;
    for (const group of this.groups.values()) {
      if (group.joinPhase) this.clock.clearTimeout(group.joinPhase.timer);
      group.joinPhase = null;
      this.clearSyncTimer(group);
      for (const t of group.pendingMembers.values()) this.clock.clearTimeout(t);
      for (const m of group.members.values()) {
        if (m.heartbeatTimer !== null) this.clock.clearTimeout(m.heartbeatTimer);
        m.heartbeatTimer = null;
        group.maybeInvokeJoinCallback(m, joinError(m.memberId, ErrorCode.NOT_COORDINATOR));
        group.maybeInvokeSyncCallback(m, { errorCode: ErrorCode.NOT_COORDINATOR, assignment: emptyBytes });
      }
    }
    await Promise.allSettled([...this.inflightAppends]);
  }

  // ---------------------------------------------------------------- JoinGroup

  /** JoinGroup: resolves when the join phase ends (or at once with an error or MEMBER_ID_REQUIRED). */
  joinGroup(p: JoinGroupParams): Promise<JoinGroupResult> {
    return new Promise((resolve) => this.handleJoinGroup(p, resolve));
  }

  private handleJoinGroup(p: JoinGroupParams, cb: JoinCallback): void {
    const statusError = this.validateGroupStatus(p.groupId, 'join');
    if (statusError !== null) return cb(joinError(p.memberId, statusError));
    if (p.sessionTimeoutMs < this.groupMinSessionTimeoutMs || p.sessionTimeoutMs > this.groupMaxSessionTimeoutMs) {
      return cb(joinError(p.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    const isUnknownMember = p.memberId === '';
    let group = this.groups.get(p.groupId);
    if (!group) {
      if (!isUnknownMember) return cb(joinError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = new ClassicGroup(p.groupId, GroupState.Empty, this.clock.now());
      this.groups.set(p.groupId, group);
    }
    if (!this.acceptJoiningMember(group, p.memberId)) {
      group.remove(p.memberId);
      cb(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED));
    } else if (isUnknownMember) {
      this.doNewMemberJoinGroup(group, p, cb);
    } else {
      this.doCurrentMemberJoinGroup(group, p, cb);
    }
    if (group.is(GroupState.PreparingRebalance)) this.tryCompleteJoin(group);
  }

  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    // Pending member ids count against the limit too, so repeated first joins stay bounded.
    if (memberId === '' && group.pendingMembers.size >= this.groupMaxSize) return false;
    switch (group.state) {
      case GroupState.Empty:
      case GroupState.Dead:
        return true;
      case GroupState.PreparingRebalance:
        return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numMembersAwaitingJoin < this.groupMaxSize;
      case GroupState.CompletingRebalance:
      case GroupState.Stable:
        return group.has(memberId) || group.size < this.groupMaxSize;
    }
  }

  private doNewMemberJoinGroup(group: ClassicGroup, p: JoinGroupParams, cb: JoinCallback): void {
    if (group.is(GroupState.Dead)) return cb(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols)) return cb(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    const newMemberId = `${p.groupInstanceId ?? p.clientId}-${randomUUID()}`;
    if (p.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(p.groupInstanceId);
      if (oldMemberId !== undefined) return this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, p, cb);
      return this.addMemberAndRebalance(group, newMemberId, p, cb);
    }
    if (p.requireKnownMemberId) {
      this.addPendingMember(group, newMemberId, p.sessionTimeoutMs);
      return cb(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    this.addMemberAndRebalance(group, newMemberId, p, cb);
  }

  private doCurrentMemberJoinGroup(group: ClassicGroup, p: JoinGroupParams, cb: JoinCallback): void {
    if (group.is(GroupState.Dead)) return cb(joinError(p.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols)) return cb(joinError(p.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (group.pendingMembers.has(p.memberId)) {
      // A pending member rejoining with the id it was given; pending members are never static.
      if (p.groupInstanceId !== null) return cb(joinError(p.memberId, ErrorCode.INVALID_REQUEST));
      return this.addMemberAndRebalance(group, p.memberId, p, cb);
    }
    const memberError = this.validateCurrentMember(group, p.memberId, p.groupInstanceId);
    if (memberError !== null) return cb(joinError(p.memberId, memberError));
    const member = group.get(p.memberId);
    switch (group.state) {
      case GroupState.PreparingRebalance:
        return this.updateMemberAndRebalance(group, member, p, cb);
      case GroupState.CompletingRebalance:
        // Same metadata: the member missed its JoinGroup answer, so it gets the same one again.
        if (member.matches(p.protocols)) return cb(this.currentGenerationJoinResult(group, member.memberId, group.isLeader(member.memberId)));
        return this.updateMemberAndRebalance(group, member, p, cb);
      case GroupState.Stable:
        // The leader rejoining forces a rebalance (it may have seen metadata changes); so does new metadata.
        if (group.isLeader(member.memberId) || !member.matches(p.protocols)) return this.updateMemberAndRebalance(group, member, p, cb);
        return cb(this.currentGenerationJoinResult(group, member.memberId, false));
      case GroupState.Empty:
      case GroupState.Dead:
        return cb(joinError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private currentGenerationJoinResult(group: ClassicGroup, memberId: string, withMembers: boolean): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      memberId,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leaderId: group.leaderId,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, p: JoinGroupParams, cb: JoinCallback): void {
    const member = new GroupMember(memberId, p.groupInstanceId, p.clientId, p.clientHost, p.rebalanceTimeoutMs, p.sessionTimeoutMs, p.protocolType, p.protocols);
    member.isNew = true;
    if (group.is(GroupState.PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true;
    const pendingTimer = group.pendingMembers.get(memberId);
    if (pendingTimer !== undefined) this.clock.clearTimeout(pendingTimer);
    group.add(member, cb);
    // A new member cannot heartbeat while its JoinGroup is parked, so it gets a longer deadline.
    this.scheduleHeartbeat(group, member, this.newMemberJoinTimeoutMs);
    this.maybePrepareRebalance(group);
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, p: JoinGroupParams, cb: JoinCallback): void {
    // A JoinGroup sent again while one is parked replaces it; the older one is answered rather than left hanging.
    const parked = member.awaitingJoin;
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, cb);
    parked?.(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    this.maybePrepareRebalance(group);
  }

  /** A static member rejoining with an unknown member id takes over its instance's membership. */
  private updateStaticMemberAndRebalance(group: ClassicGroup, oldMemberId: string, newMemberId: string, p: JoinGroupParams, cb: JoinCallback): void {
    const instanceId = p.groupInstanceId!;
    const currentLeader = group.leaderId;
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId, joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID), {
      errorCode: ErrorCode.FENCED_INSTANCE_ID,
      assignment: emptyBytes,
    });
    this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    const old = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, cb);
    switch (group.state) {
      case GroupState.Stable: {
        if (group.selectProtocol() !== group.protocolName) return this.maybePrepareRebalance(group);
        // The protocol stays: persist the new member id and hand back the current generation,
        // naming the old leader so that this member does not run an assignment.
        const generationId = group.generationId;
        const assignments = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
        void this.append([groupRecord(group, assignments)]).then((errorCode) => {
          if (errorCode !== ErrorCode.NONE) {
            group.updateMember(member, old.protocols, old.rebalanceTimeoutMs, old.sessionTimeoutMs, null);
            if (group.members.get(newMemberId) === member) group.replaceStaticMember(instanceId, newMemberId, oldMemberId, joinError(newMemberId, errorCode), { errorCode, assignment: emptyBytes });
            cb(joinError('', errorCode));
            return;
          }
          group.maybeInvokeJoinCallback(member, {
            errorCode: ErrorCode.NONE,
            memberId: newMemberId,
            generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leaderId: currentLeader,
            members: [],
          });
        });
        return;
      }
      case GroupState.CompletingRebalance:
        return this.prepareRebalance(group);
      default:
        return;
    }
  }

  private addPendingMember(group: ClassicGroup, memberId: string, timeoutMs: number): void {
    const timer = this.clock.setTimeout(() => {
      if (group.pendingMembers.get(memberId) !== timer) return;
      this.removePendingMemberAndUpdateGroup(group, memberId);
    }, timeoutMs);
    group.pendingMembers.set(memberId, timer);
  }

  private removePendingMemberAndUpdateGroup(group: ClassicGroup, memberId: string): void {
    const timer = group.pendingMembers.get(memberId);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    group.remove(memberId);
    if (group.is(GroupState.PreparingRebalance)) this.tryCompleteJoin(group);
  }

  // ---------------------------------------------------------------- rebalance

  private maybePrepareRebalance(group: ClassicGroup): void {
    if (group.canRebalance) this.prepareRebalance(group);
  }

  private prepareRebalance(group: ClassicGroup): void {
    if (group.is(GroupState.CompletingRebalance)) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    group.pendingSyncMembers.clear();
    this.clearSyncTimer(group);
    const wasEmpty = group.is(GroupState.Empty);
    const rebalanceTimeoutMs = group.rebalanceTimeoutMs;
    group.transitionTo(GroupState.PreparingRebalance, this.clock.now());
    this.log?.info(`preparing to rebalance group ${group.groupId} with old generation ${group.generationId}`);
    if (wasEmpty) {
      const delay = this.groupInitialRebalanceDelayMs;
      this.startJoinPhase(group, true, delay, Math.max(rebalanceTimeoutMs - delay, 0));
    } else {
      this.startJoinPhase(group, false, rebalanceTimeoutMs, 0);
    }
  }

  /**
   * Starts the join phase: a normal one ends when every member has rejoined or at the timeout;
   * the initial one (for a group that was Empty) always waits its delay, extended while new
   * members keep arriving, up to the rebalance timeout.
   */
  private startJoinPhase(group: ClassicGroup, initial: boolean, delayMs: number, remainingMs: number): void {
    const phase = { initial, delayMs, remainingMs, timer: null as TimerHandle };
    phase.timer = this.clock.setTimeout(() => {
      if (group.joinPhase !== phase) return;
      group.joinPhase = null;
      if (phase.initial && group.newMemberAdded && phase.remainingMs !== 0) {
        group.newMemberAdded = false;
        const delay = Math.min(this.groupInitialRebalanceDelayMs, phase.remainingMs);
        this.startJoinPhase(group, true, delay, Math.max(phase.remainingMs - phase.delayMs, 0));
        return;
      }
      this.onCompleteJoin(group);
    }, delayMs);
    group.joinPhase = phase;
    this.tryCompleteJoin(group);
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    const phase = group.joinPhase;
    if (phase === null || phase.initial || !group.hasAllMembersJoined) return;
    this.clock.clearTimeout(phase.timer);
    group.joinPhase = null;
    this.onCompleteJoin(group);
  }

  private onCompleteJoin(group: ClassicGroup): void {
    for (const m of [...group.members.values()]) {
      if (m.isAwaitingJoin || m.groupInstanceId !== null) continue;
      this.removeMember(group, m);
    }
    if (group.is(GroupState.Dead)) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Nobody rejoined: wait another round until session timeouts remove the silent members.
      this.startJoinPhase(group, false, group.rebalanceTimeoutMs, 0);
      return;
    }
    group.initNextGeneration(this.clock.now());
    if (group.is(GroupState.Empty)) {
      this.log?.info(`group ${group.groupId} with generation ${group.generationId} is now empty`);
      void this.append([groupRecord(group, new Map())]);
      return;
    }
    this.log?.info(`stabilized group ${group.groupId} generation ${group.generationId} with ${group.size} members`);
    for (const m of [...group.members.values()]) {
      group.maybeInvokeJoinCallback(m, this.currentGenerationJoinResult(group, m.memberId, group.isLeader(m.memberId)));
      this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
      m.isNew = false;
      group.pendingSyncMembers.add(m.memberId);
    }
    this.schedulePendingSync(group);
  }

  /** Members that got a JoinGroup answer must send SyncGroup within the rebalance timeout. */
  private schedulePendingSync(group: ClassicGroup): void {
    this.clearSyncTimer(group);
    const generationId = group.generationId;
    group.syncTimer = this.clock.setTimeout(() => {
      group.syncTimer = null;
      if (generationId !== group.generationId) return;
      if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) return;
      if (group.pendingSyncMembers.size === 0) return;
      for (const memberId of [...group.pendingSyncMembers]) {
        const m = group.members.get(memberId);
        if (m) this.clearHeartbeat(m);
        group.remove(memberId);
      }
      this.prepareRebalance(group);
    }, group.rebalanceTimeoutMs);
  }

  private removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) this.clearSyncTimer(group);
  }

  private clearSyncTimer(group: ClassicGroup): void {
    if (group.syncTimer !== null) this.clock.clearTimeout(group.syncTimer);
    group.syncTimer = null;
  }

  // ---------------------------------------------------------------- SyncGroup

  /** SyncGroup: followers wait for the leader's assignment; the leader's is stored, then relayed. */
  syncGroup(p: SyncGroupParams): Promise<SyncGroupResult> {
    return new Promise((resolve) => this.handleSyncGroup(p, resolve));
  }

  private handleSyncGroup(p: SyncGroupParams, cb: SyncCallback): void {
    const fail = (errorCode: number): void => cb({ errorCode, assignment: emptyBytes });
    const statusError = this.validateGroupStatus(p.groupId, 'sync');
    // While loading, the rebalance state is lost: have the member rejoin.
    if (statusError === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    if (statusError !== null) return fail(statusError);
    const group = this.groups.get(p.groupId);
    if (!group) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.is(GroupState.Dead)) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const memberError = this.validateCurrentMember(group, p.memberId, p.groupInstanceId);
    if (memberError !== null) return fail(memberError);
    if (p.generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case GroupState.Empty:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      case GroupState.PreparingRebalance:
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case GroupState.CompletingRebalance: {
        const member = group.get(p.memberId);
        const old = member.awaitingSync;
        member.awaitingSync = cb;
        old?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: emptyBytes });
        this.removePendingSyncMember(group, p.memberId);
        if (group.isLeader(p.memberId)) this.completeSync(group, p);
        return;
      }
      case GroupState.Stable: {
        this.removePendingSyncMember(group, p.memberId);
        const member = group.get(p.memberId);
        cb({ errorCode: ErrorCode.NONE, assignment: member.assignment });
        this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        return;
      }
      case GroupState.Dead:
        return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
  }

  /** The leader's SyncGroup: store the assignment, then answer every waiting member and go Stable. */
  private completeSync(group: ClassicGroup, p: SyncGroupParams): void {
    const assignments = new Map<string, Buffer>();
    for (const a of p.assignments) if (group.has(a.memberId)) assignments.set(a.memberId, a.assignment);
    for (const id of group.members.keys()) if (!assignments.has(id)) assignments.set(id, emptyBytes);
    const generationId = group.generationId;
    void this.append([groupRecord(group, assignments)]).then((errorCode) => {
      // Another member may have joined meanwhile; act only if this generation is still completing.
      if (!group.is(GroupState.CompletingRebalance) || group.generationId !== generationId) return;
      if (errorCode !== ErrorCode.NONE) {
        this.resetAndPropagateAssignmentError(group, errorCode);
        this.maybePrepareRebalance(group);
        return;
      }
      for (const m of group.members.values()) m.assignment = assignments.get(m.memberId) ?? emptyBytes;
      this.propagateAssignment(group, ErrorCode.NONE);
      group.transitionTo(GroupState.Stable, this.clock.now());
    });
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = emptyBytes;
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    for (const m of [...group.members.values()]) {
      // Restart the session clock: expirations were ignored while the member waited.
      if (group.maybeInvokeSyncCallback(m, { errorCode, assignment: m.assignment })) this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
    }
  }

  // ---------------------------------------------------------------- Heartbeat and LeaveGroup

  /** Heartbeat: keeps a member alive and tells it when a rebalance is under way. Returns an error code. */
  heartbeat(p: HeartbeatParams): number {
    const statusError = this.validateGroupStatus(p.groupId, 'heartbeat');
    if (statusError === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return ErrorCode.NONE;
    if (statusError !== null) return statusError;
    const group = this.groups.get(p.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const memberError = this.validateCurrentMember(group, p.memberId, p.groupInstanceId);
    if (memberError !== null) return memberError;
    if (p.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (group.is(GroupState.Empty)) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.get(p.memberId);
    this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    return group.is(GroupState.PreparingRebalance) ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** LeaveGroup: removes members (by member id, or by group instance id with an empty member id). */
  leaveGroup(groupId: string, leaving: readonly MemberIdentity[]): LeaveGroupResult {
    const statusError = this.validateGroupStatus(groupId, 'leave');
    if (statusError !== null) return { errorCode: statusError, members: [] };
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, members: leaving.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
    if (group.is(GroupState.Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map((m) => ({ ...m, errorCode: this.leaveOne(group, m) }));
    return { errorCode: ErrorCode.NONE, members };
  }

  private leaveOne(group: ClassicGroup, m: MemberIdentity): number {
    if (m.memberId === '') {
      const current = m.groupInstanceId !== null ? group.staticMembers.get(m.groupInstanceId) : undefined;
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.removeMemberAndUpdateGroup(group, group.get(current));
      return ErrorCode.NONE;
    }
    if (group.pendingMembers.has(m.memberId)) {
      this.removePendingMemberAndUpdateGroup(group, m.memberId);
      return ErrorCode.NONE;
    }
    const error = this.validateCurrentMember(group, m.memberId, m.groupInstanceId);
    if (error !== null) return error;
    this.log?.info(`member ${m.memberId} left group ${group.groupId}`);
    this.removeMemberAndUpdateGroup(group, group.get(m.memberId));
    return ErrorCode.NONE;
  }

  private removeMember(group: ClassicGroup, member: GroupMember): void {
    this.clearHeartbeat(member);
    group.remove(member.memberId);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember): void {
    // A parked JoinGroup or SyncGroup gets UNKNOWN_MEMBER_ID so the client rejoins if it is still alive.
    group.maybeInvokeJoinCallback(member, joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    group.maybeInvokeSyncCallback(member, { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: emptyBytes });
    this.removeMember(group, member);
    switch (group.state) {
      case GroupState.Stable:
      case GroupState.CompletingRebalance:
        return this.maybePrepareRebalance(group);
      case GroupState.PreparingRebalance:
        return this.tryCompleteJoin(group);
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- session timeouts

  /** (Re)starts a member's session deadline. */
  private scheduleHeartbeat(group: ClassicGroup, member: GroupMember, timeoutMs: number): void {
    this.clearHeartbeat(member);
    member.heartbeatSatisfied = false;
    member.heartbeatTimer = this.clock.setTimeout(() => {
      member.heartbeatTimer = null;
      if (group.is(GroupState.Dead) || group.members.get(member.memberId) !== member) return;
      if (member.hasSatisfiedHeartbeat) return;
      this.log?.info(`member ${member.memberId} in group ${group.groupId} has failed (session timeout), removing it`);
      this.removeMemberAndUpdateGroup(group, member);
    }, timeoutMs);
  }

  private clearHeartbeat(member: GroupMember): void {
    if (member.heartbeatTimer !== null) this.clock.clearTimeout(member.heartbeatTimer);
    member.heartbeatTimer = null;
  }

  // ---------------------------------------------------------------- validation and storage

  private validateGroupStatus(groupId: string, api: GroupApi): number | null {
    const emptyAllowed = api === 'commit' || api === 'fetch' || api === 'describe' || api === 'delete';
    if (!emptyAllowed && groupId === '') return ErrorCode.INVALID_GROUP_ID;
    if (this.status === 'closed') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.status === 'loading') return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    return null;
  }

  /** The member exists and, for a static member, is the instance's current member id. */
  private validateCurrentMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number | null {
    if (groupInstanceId !== null) {
      const current = group.staticMembers.get(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return group.has(memberId) ? null : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /** Appends and reports the outcome as a Kafka error code (a failed write is retriable). */
  private append(records: readonly GroupRecord[]): Promise<number> {
    const p = this.store.append(records).then(
      () => ErrorCode.NONE as number,
      (err: unknown) => {
        this.log?.warn(`__consumer_offsets append failed: ${err instanceof Error ? err.message : String(err)}`);
        if (err instanceof KafkaProtocolError) return storeErrorToGroupError(err.code);
        return ErrorCode.COORDINATOR_NOT_AVAILABLE as number;
      },
    );
    this.inflightAppends.add(p);
    void p.finally(() => this.inflightAppends.delete(p));
    return p;
  }

  // ---------------------------------------------------------------- offsets

  /**
   * OffsetCommit. Members commit with their generation; tools and simple consumers commit with
   * generation -1 and an empty member id, which Kafka allows only while the group is Empty.
   * Returns one error code per entry, in order.
   */
  async commitOffsets(p: CommitOffsetsParams): Promise<number[]> {
    const all = (code: number): number[] => p.offsets.map(() => code);
    const statusError = this.validateGroupStatus(p.groupId, 'commit');
    if (statusError !== null) return all(statusError);
    let group = this.groups.get(p.groupId);
    if (!group) {
      // A group not using group management: create it to hold the offsets. A positive
      // generation for an unknown group comes from an old generation: reject it.
      if (p.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      group = new ClassicGroup(p.groupId, GroupState.Empty, this.clock.now());
      this.groups.set(p.groupId, group);
    }
    const error = this.validateOffsetCommit(group, p);
    if (error !== null) return all(error);
    switch (group.state) {
      case GroupState.CompletingRebalance:
        // The member has its new generation but not its assignment yet.
        return all(ErrorCode.REBALANCE_IN_PROGRESS);
      case GroupState.Stable:
      case GroupState.PreparingRebalance: {
        // Commits during PreparingRebalance are allowed; the heartbeat tells the member to rejoin.
        const member = group.get(p.memberId);
        this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        return this.storeOffsets(group, p);
      }
      default:
        return this.storeOffsets(group, p);
    }
  }

  /**
   * Offsets of a committed transaction (TxnOffsetCommit, made visible by EndTxn): the
   * transaction coordinator already checked the producer, so no member or generation check
   * applies, whatever state the group is in. Returns one error code per entry.
   */
  async commitTransactionalOffsets(groupId: string, offsets: readonly OffsetCommitEntry[]): Promise<number[]> {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ClassicGroup(groupId, GroupState.Empty, this.clock.now());
      this.groups.set(groupId, group);
    }
    if (group.is(GroupState.Dead)) return offsets.map(() => ErrorCode.COORDINATOR_NOT_AVAILABLE);
    return this.storeOffsets(group, { groupId, generationId: -1, memberId: '', groupInstanceId: null, offsets });
  }

  private validateOffsetCommit(group: ClassicGroup, p: CommitOffsetsParams): number | null {
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (p.generationId < 0 && group.is(GroupState.Empty)) return null;
    if (p.generationId >= 0 || p.memberId !== '' || p.groupInstanceId !== null) {
      const memberError = this.validateCurrentMember(group, p.memberId, p.groupInstanceId);
      if (memberError !== null) return memberError;
      return p.generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : null;
    }
    // A non-empty group takes commits from its members only.
    return group.is(GroupState.Empty) ? null : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private async storeOffsets(group: ClassicGroup, p: CommitOffsetsParams): Promise<number[]> {
    const now = this.clock.now();
    const expireTimestampMs = p.retentionTimeMs === undefined || p.retentionTimeMs === -1 ? null : now + p.retentionTimeMs;
    const codes: number[] = [];
    const accepted: { topic: string; partition: number; value: OffsetAndMetadata }[] = [];
    for (const o of p.offsets) {
      const metadata = o.metadata ?? '';
      if (Buffer.byteLength(metadata) > this.offsetMetadataBytesMax) {
        codes.push(ErrorCode.OFFSET_METADATA_TOO_LARGE);
        continue;
      }
      codes.push(ErrorCode.NONE);
      const commitTimestampMs = o.commitTimestampMs === undefined || o.commitTimestampMs === -1 ? now : o.commitTimestampMs;
      accepted.push({ topic: o.topic, partition: o.partition, value: { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata, commitTimestampMs, expireTimestampMs } });
    }
    if (accepted.length === 0) return codes;
    group.pendingOffsetCommits++;
    let errorCode: number;
    try {
      errorCode = await this.append(accepted.map((a) => offsetRecord(group.groupId, a.topic, a.partition, a.value)));
    } finally {
      group.pendingOffsetCommits--;
    }
    if (errorCode === ErrorCode.NONE && !group.is(GroupState.Dead)) {
      for (const a of accepted) group.setOffset(a.topic, a.partition, a.value);
    }
    return codes.map((c) => (c === ErrorCode.NONE ? errorCode : c));
  }

  /**
   * OffsetFetch: the committed offsets of `partitions`, or of every partition with one when
   * null. Partitions without a commit get offset -1, whatever the group's state.
   */
  fetchOffsets(groupId: string, partitions: readonly TopicPartition[] | null): FetchOffsetsResult {
    const statusError = this.validateGroupStatus(groupId, 'fetch');
    if (statusError !== null) return { errorCode: statusError, offsets: [] };
    const group = this.groups.get(groupId);
    const live = group && !group.is(GroupState.Dead) ? group : null;
    const wanted = partitions ?? live?.allOffsetPartitions() ?? [];
    const offsets = wanted.map(({ topic, partition }) => {
      const o = live?.offset(topic, partition);
      if (!o) return { topic, partition, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE };
      return { topic, partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: ErrorCode.NONE };
    });
    return { errorCode: ErrorCode.NONE, offsets };
  }

  // ---------------------------------------------------------------- admin

  /**
   * DeleteGroups: deletes Empty groups with their offsets (tombstones in the store). Groups
   * with members get NON_EMPTY_GROUP, unknown ones GROUP_ID_NOT_FOUND.
   */
  async deleteGroups(groupIds: readonly string[]): Promise<Map<string, number>> {
    const results = new Map<string, number>();
    const writes: Promise<void>[] = [];
    for (const groupId of groupIds) {
      const statusError = this.validateGroupStatus(groupId, 'delete');
      if (statusError !== null) {
        results.set(groupId, statusError);
        continue;
      }
      const group = this.groups.get(groupId);
      if (!group || group.is(GroupState.Dead)) {
        results.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
        continue;
      }
      if (!group.is(GroupState.Empty)) {
        results.set(groupId, ErrorCode.NON_EMPTY_GROUP);
        continue;
      }
      group.transitionTo(GroupState.Dead, this.clock.now());
      this.groups.delete(groupId);
      const records = group.allOffsetPartitions().map((tp) => offsetRecord(groupId, tp.topic, tp.partition, null));
      if (group.generationId > 0) records.push(groupTombstone(groupId));
      results.set(groupId, ErrorCode.NONE);
      if (records.length > 0) writes.push(this.append(records).then((code) => void results.set(groupId, code)));
    }
    await Promise.all(writes);
    return results;
  }

  private scheduleCleanup(): void {
    this.cleanupTimer = this.clock.setTimeout(() => {
      this.cleanupTimer = null;
      if (this.status !== 'active') return;
      void this.expireOffsets().finally(() => {
        if (this.status === 'active') this.scheduleCleanup();
      });
    }, this.offsetsRetentionCheckIntervalMs);
  }

  /**
   * Removes offsets past retention (see {@link ClassicGroup.removeExpiredOffsets}) and groups
   * left Empty without offsets, writing tombstones. Runs every offsetsRetentionCheckIntervalMs.
   */
  async expireOffsets(): Promise<number> {
    let removed = 0;
    const now = this.clock.now();
    const writes: Promise<number>[] = [];
    for (const group of [...this.groups.values()]) {
      const expired = group.removeExpiredOffsets(now, this.offsetsRetentionMs);
      removed += expired.length;
      const records = expired.map((tp) => offsetRecord(group.groupId, tp.topic, tp.partition, null));
      if (group.is(GroupState.Empty) && !group.hasOffsets) {
        group.transitionTo(GroupState.Dead, now);
        this.groups.delete(group.groupId);
        if (group.generationId > 0) records.push(groupTombstone(group.groupId));
      }
      if (records.length > 0) writes.push(this.append(records));
    }
    await Promise.all(writes);
    return removed;
  }

  // ---------------------------------------------------------------- read-only views

  listGroups(): { errorCode: number; groups: GroupOverview[] } {
    if (this.status === 'closed') return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const errorCode = this.status === 'loading' ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE;
    const groups = [...this.groups.values()]
      .filter((g) => !g.is(GroupState.Dead))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state }));
    return { errorCode, groups };
  }

  describeGroup(groupId: string): GroupDescription {
    const statusError = this.validateGroupStatus(groupId, 'describe');
    if (statusError !== null) return { errorCode: statusError, groupId, state: '', protocolType: '', protocolName: '', members: [] };
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, groupId, state: GroupState.Dead, protocolType: '', protocolName: '', members: [] };
    return group.describe();
  }
}

/** Kafka's mapping of storage errors to what a group client understands. */
function storeErrorToGroupError(code: number): number {
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
    default:
      return code;
  }
}

