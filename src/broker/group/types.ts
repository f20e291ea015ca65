/**
 * The coordinator's own request and result shapes, independent of protocol versions. Handlers
 * (`handlers/`) translate wire requests into these and results back into responses.
 */

export const GroupState = {
  Empty: 'Empty',
  PreparingRebalance: 'PreparingRebalance',
  CompletingRebalance: 'CompletingRebalance',
  Stable: 'Stable',
  Dead: 'Dead',
} as const;
export type GroupState = (typeof GroupState)[keyof typeof GroupState];

export interface Protocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinGroupParams {
  readonly groupId: string;
  /** "" for a member joining for the first time. */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** JoinGroup v4+: a new member first gets its id back with MEMBER_ID_REQUIRED. */
  readonly requireKnownMemberId: boolean;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly protocolType: string;
  /** In the member's order of preference. */
  readonly protocols: readonly Protocol[];
}

export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

export interface JoinGroupResult {
  readonly errorCode: number;
  readonly memberId: string;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  /** Filled for the leader only: every member with its metadata for the chosen protocol. */
  readonly members: readonly JoinGroupMember[];
}

export interface SyncGroupParams {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** From the leader: member id → assignment. Followers send none. */
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Buffer }[];
}

export interface SyncGroupResult {
  readonly errorCode: number;
  readonly assignment: Buffer;
}

export interface HeartbeatParams {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface MemberIdentity {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeaveGroupResult {
  readonly errorCode: number;
  readonly members: readonly (MemberIdentity & { readonly errorCode: number })[];
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface OffsetCommitEntry extends TopicPartition {
  readonly offset: bigint;
  /** -1 when unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  /** OffsetCommit v1 only; -1 or absent means "now". */
  readonly commitTimestampMs?: number;
}

export interface CommitOffsetsParams {
  readonly groupId: string;
  /** -1 for commits that do not come from a group member (admin tools, simple consumers). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** OffsetCommit v2-v4; -1 or absent means the broker's retention. */
  readonly retentionTimeMs?: number;
  readonly offsets: readonly OffsetCommitEntry[];
}

export interface FetchedOffset extends TopicPartition {
  /** -1 when nothing is committed. */
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly errorCode: number;
}

export interface FetchOffsetsResult {
  readonly errorCode: number;
  readonly offsets: readonly FetchedOffset[];
}

export interface GroupOverview {
  readonly groupId: string;
  readonly protocolType: string;
  readonly state: GroupState;
}

export interface DescribedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly metadata: Buffer;
  readonly assignment: Buffer;
}

export interface GroupDescription {
  readonly errorCode: number;
  readonly groupId: string;
  readonly state: GroupState | '';
  readonly protocolType: string;
  /** The selected protocol when Stable, else "". */
  readonly protocolName: string;
  readonly members: readonly DescribedMember[];
}
