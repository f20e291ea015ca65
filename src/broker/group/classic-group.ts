/**
 * The state of one classic consumer group (Kafka's GroupMetadata): its state machine, members,
 * pending members (given an id with MEMBER_ID_REQUIRED but not yet rejoined), the protocols all
 * members support, and its committed offsets. Pure bookkeeping: timers, persistence and replies
 * are the coordinator's job.
 *
 * States and their transitions, as in Kafka:
 *   Empty ──join──▶ PreparingRebalance ──join phase ends──▶ CompletingRebalance ──leader sync──▶ Stable
 *   Stable / CompletingRebalance ──member change──▶ PreparingRebalance
 *   PreparingRebalance ──nobody left──▶ Empty;  Empty (no offsets) or deleted ──▶ Dead
 */
import assert from 'node:assert';
import type { TimerHandle } from './clock.ts';
import type { GroupMember, JoinCallback } from './member.ts';
import type { OffsetAndMetadata } from './records.ts';
import { GroupState } from './types.ts';
import type { GroupDescription, JoinGroupMember, JoinGroupResult, Protocol, SyncGroupResult, TopicPartition } from './types.ts';

const validPreviousStates: Record<GroupState, readonly GroupState[]> = {
  Empty: [GroupState.PreparingRebalance],
  PreparingRebalance: [GroupState.Stable, GroupState.CompletingRebalance, GroupState.Empty],
  CompletingRebalance: [GroupState.PreparingRebalance],
  Stable: [GroupState.CompletingRebalance],
  Dead: [GroupState.Stable, GroupState.PreparingRebalance, GroupState.CompletingRebalance, GroupState.Empty, GroupState.Dead],
};

/** The join phase in progress: an initial delayed join (Empty → PreparingRebalance) or a normal one. */
export interface JoinPhase {
  readonly initial: boolean;
  readonly delayMs: number;
  readonly remainingMs: number;
  timer: TimerHandle;
}

const emptyBytes = Buffer.alloc(0);

export class ClassicGroup {
  state: GroupState;
  currentStateTimestampMs: number | null;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** In join order; the first is the default leader. */
  readonly members = new Map<string, GroupMember>();
  /** group instance id → member id. */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED → their expiration timer. */
  readonly pendingMembers = new Map<string, TimerHandle>();
  /** Members that got their JoinGroup answer but have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  numMembersAwaitingJoin = 0;
  /** During the initial delayed join: a new member arrived, so the delay may be extended. */
  newMemberAdded = false;
  joinPhase: JoinPhase | null = null;
  syncTimer: TimerHandle | null = null;
  /** Offset commits appended but not yet acknowledged by the store. */
  pendingOffsetCommits = 0;
  /** topic → partition → committed offset. */
  readonly offsets = new Map<string, Map<number, OffsetAndMetadata>>();
  private readonly supportedProtocols = new Map<string, number>();

  constructor(readonly groupId: string, state: GroupState, nowMs: number) {
    this.state = state;
    this.currentStateTimestampMs = nowMs;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): GroupMember {
    const m = this.members.get(memberId);
    assert(m, `member ${memberId} is not in group ${this.groupId}`);
    return m;
  }

  get size(): number {
    return this.members.size;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  get canRebalance(): boolean {
    return validPreviousStates.PreparingRebalance.includes(this.state);
  }

  transitionTo(state: GroupState, nowMs: number): void {
    assert(validPreviousStates[state].includes(this.state), `group ${this.groupId}: invalid transition ${this.state} → ${state}`);
    this.state = state;
    this.currentStateTimestampMs = nowMs;
  }

  add(member: GroupMember, callback: JoinCallback | null): void {
    if (member.groupInstanceId !== null) {
      assert(!this.staticMembers.has(member.groupInstanceId), `static member ${member.groupInstanceId} already in group`);
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    assert(this.protocolType === member.protocolType);
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.changeSupportedProtocols(member.protocols, 1);
    member.awaitingJoin = callback;
    if (member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    this.pendingMembers.delete(member.memberId);
  }

  /** Removes a member or a pending member; a leaving leader hands over to the oldest member. */
  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      this.changeSupportedProtocols(member.protocols, -1);
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin--;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  /**
   * If the leader did not rejoin, picks a member that did. False when there is no leader or
   * nobody rejoined.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.get(this.leaderId).isAwaitingJoin) return true;
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  /** Static members only: moves a member to a new member id, fencing whoever waits under the old one. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string, fenced: JoinGroupResult, fencedSync: SyncGroupResult): GroupMember {
    const member = this.get(oldMemberId);
    this.members.delete(oldMemberId);
    this.maybeInvokeJoinCallback(member, fenced);
    this.maybeInvokeSyncCallback(member, fencedSync);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  get hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  /** The largest rebalance timeout of the members: how long a join phase may last. */
  get rebalanceTimeoutMs(): number {
    let t = 0;
    for (const m of this.members.values()) t = Math.max(t, m.rebalanceTimeoutMs);
    return t;
  }

  /** Whether a member with these protocols may join: same type and one protocol every member supports. */
  supportsProtocols(protocolType: string, protocols: readonly Protocol[]): boolean {
    if (this.is(GroupState.Empty)) return protocolType.length > 0 && protocols.length > 0;
    return this.protocolType === protocolType && protocols.some((p) => this.supportedProtocols.get(p.name) === this.members.size);
  }

  /**
   * The protocol for the next generation: among those every member supports, each member votes
   * for its most preferred and the most votes win; ties go to the leader's preference.
   */
  selectProtocol(): string {
    assert(this.members.size > 0, 'cannot select a protocol for an empty group');
    const candidates = new Set<string>();
    for (const [name, count] of this.supportedProtocols) if (count === this.members.size) candidates.add(name);
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const v = m.vote(candidates);
      votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    const order = this.leaderId !== null ? this.get(this.leaderId).protocols.map((p) => p.name) : [...candidates];
    let best: string | null = null;
    for (const name of order) {
      const n = votes.get(name) ?? 0;
      if (n > 0 && (best === null || n > (votes.get(best) ?? 0))) best = name;
    }
    assert(best !== null);
    return best;
  }

  updateMember(member: GroupMember, protocols: readonly Protocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number, callback: JoinCallback | null): void {
    this.changeSupportedProtocols(member.protocols, -1);
    member.protocols = protocols;
    this.changeSupportedProtocols(protocols, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (callback !== null && !member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    else if (callback === null && member.isAwaitingJoin) this.numMembersAwaitingJoin--;
    member.awaitingJoin = callback;
  }

  maybeInvokeJoinCallback(member: GroupMember, result: JoinGroupResult): void {
    const cb = member.awaitingJoin;
    if (cb === null) return;
    member.awaitingJoin = null;
    this.numMembersAwaitingJoin--;
    cb(result);
  }

  /** True when a waiting SyncGroup was answered. */
  maybeInvokeSyncCallback(member: GroupMember, result: SyncGroupResult): boolean {
    const cb = member.awaitingSync;
    if (cb === null) return false;
    member.awaitingSync = null;
    cb(result);
    return true;
  }

  initNextGeneration(nowMs: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo(GroupState.CompletingRebalance, nowMs);
    } else {
      this.protocolName = null;
      this.transitionTo(GroupState.Empty, nowMs);
    }
    this.pendingSyncMembers.clear();
  }

  /** What the leader gets in its JoinGroup response. */
  currentMemberMetadata(): JoinGroupMember[] {
    assert(this.protocolName !== null && !this.is(GroupState.Dead) && !this.is(GroupState.PreparingRebalance));
    const protocol = this.protocolName;
    return [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }));
  }

  /** DescribeGroups: metadata and assignments only when Stable, as Kafka does. */
  describe(): GroupDescription {
    const stable = this.is(GroupState.Stable) && this.protocolName !== null;
    const protocol = this.protocolName ?? '';
    return {
      errorCode: 0,
      groupId: this.groupId,
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocolName: stable ? protocol : '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadata(protocol) : emptyBytes,
        assignment: stable ? m.assignment : emptyBytes,
      })),
    };
  }

  offset(topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  setOffset(topic: string, partition: number, value: OffsetAndMetadata): void {
    let byPartition = this.offsets.get(topic);
    if (!byPartition) this.offsets.set(topic, (byPartition = new Map()));
    byPartition.set(partition, value);
  }

  removeOffset(topic: string, partition: number): void {
    const byPartition = this.offsets.get(topic);
    if (!byPartition) return;
    byPartition.delete(partition);
    if (byPartition.size === 0) this.offsets.delete(topic);
  }

  allOffsetPartitions(): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const [topic, byPartition] of this.offsets) for (const partition of byPartition.keys()) out.push({ topic, partition });
    return out;
  }

  get hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingOffsetCommits > 0;
  }

  /**
   * Removes and returns offsets past retention, as Kafka does for the cases it can decide without
   * parsing subscriptions: an Empty group's offsets expire `retentionMs` after it became Empty; a
   * group that only stores offsets (no protocol type) expires each offset `retentionMs` after its
   * commit; offsets committed with an explicit retention expire at their own timestamp.
   */
  removeExpiredOffsets(nowMs: number, retentionMs: number): TopicPartition[] {
    let base: ((o: OffsetAndMetadata) => number) | null = null;
    if (this.protocolType !== null && this.is(GroupState.Empty)) base = (o) => this.currentStateTimestampMs ?? o.commitTimestampMs;
    else if (this.protocolType === null) base = (o) => o.commitTimestampMs;
    if (base === null || this.pendingOffsetCommits > 0) return [];
    const expired: TopicPartition[] = [];
    for (const [topic, byPartition] of this.offsets) {
      for (const [partition, o] of byPartition) {
        const isExpired = o.expireTimestampMs !== null ? nowMs >= o.expireTimestampMs : nowMs - base(o) >= retentionMs;
        if (isExpired) expired.push({ topic, partition });
      }
    }
    for (const tp of expired) this.removeOffset(tp.topic, tp.partition);
    return expired;
  }

  private changeSupportedProtocols(protocols: readonly Protocol[], delta: number): void {
    for (const p of protocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + delta);
  }
}
