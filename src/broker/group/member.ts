/**
 * One member of a classic group (Kafka's MemberMetadata): its identity, timeouts, supported
 * protocols, current assignment, and the callbacks of a JoinGroup or SyncGroup it is waiting on.
 */
import type { TimerHandle } from './clock.ts';
import type { JoinGroupResult, Protocol, SyncGroupResult } from './types.ts';

export type JoinCallback = (result: JoinGroupResult) => void;
export type SyncCallback = (result: SyncGroupResult) => void;

const emptyBytes = Buffer.alloc(0);

export class GroupMember {
  assignment: Buffer = emptyBytes;
  awaitingJoin: JoinCallback | null = null;
  awaitingSync: SyncCallback | null = null;
  /** True from the member's first join until that rebalance completes. */
  isNew = false;
  /** Set by a heartbeat (or any sign of life) since the current expiration was scheduled. */
  heartbeatSatisfied = false;
  heartbeatTimer: TimerHandle | null = null;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: readonly Protocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  /**
   * Whether the member counts as alive when its heartbeat deadline passes. New members must
   * heartbeat (they cannot yet); members parked in a JoinGroup or SyncGroup are alive.
   */
  get hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return this.heartbeatSatisfied;
    if (this.isAwaitingJoin || this.isAwaitingSync) return true;
    return this.heartbeatSatisfied;
  }

  /** The member's metadata for a protocol it supports. */
  metadata(protocol: string): Buffer {
    const p = this.protocols.find((x) => x.name === protocol);
    if (!p) throw new Error(`member ${this.memberId} does not support protocol ${protocol}`);
    return p.metadata;
  }

  /** Same protocols, in the same order, with the same metadata. */
  matches(protocols: readonly Protocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata));
  }

  /** The first of the member's protocols, in its preference order, that is a candidate. */
  vote(candidates: ReadonlySet<string>): string {
    const p = this.protocols.find((x) => candidates.has(x.name));
    if (!p) throw new Error(`member ${this.memberId} supports none of the candidate protocols`);
    return p.name;
  }
}
