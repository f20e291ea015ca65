/**
 * Encodings of the coordinator's records in `__consumer_offsets`. They follow Kafka's own
 * record schemas (group-coordinator/src/main/resources/common/message/OffsetCommitKey.json,
 * OffsetCommitValue.json, GroupMetadataKey.json, GroupMetadataValue.json), so Kafka's tooling
 * could read them. Every key and value starts with an INT16 schema version.
 *
 * Keys:
 *   version 0-1 (offset commit):   group STRING, topic STRING, partition INT32   (written as 1)
 *   version 2   (group metadata):  group STRING
 *
 * Offset commit value (written as 3, or as 1 when an explicit expire timestamp is kept):
 *   v0/v2: offset INT64, metadata STRING, commit_timestamp INT64
 *   v1:    offset INT64, metadata STRING, commit_timestamp INT64, expire_timestamp INT64
 *   v3:    offset INT64, leader_epoch INT32, metadata STRING, commit_timestamp INT64
 *
 * Group metadata value (written as 3):
 *   protocol_type STRING, generation INT32, protocol NULLABLE_STRING, leader NULLABLE_STRING,
 *   current_state_timestamp INT64 (v2+), [members]
 *   member: member_id STRING, group_instance_id NULLABLE_STRING (v3+), client_id STRING,
 *           client_host STRING, rebalance_timeout INT32 (v1+), session_timeout INT32,
 *           subscription BYTES, assignment BYTES
 *
 * A null value (tombstone) deletes the offset or the group.
 */
import { ProtocolDecodeError, Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';

export type GroupRecordKey =
  | { readonly kind: 'offset'; readonly group: string; readonly topic: string; readonly partition: number }
  | { readonly kind: 'group'; readonly group: string };

/** A committed offset as the coordinator keeps it. */
export interface OffsetAndMetadata {
  readonly offset: bigint;
  /** -1 when unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestampMs: number;
  /** Only for commits that asked for their own retention (OffsetCommit v1-v4). */
  readonly expireTimestampMs: number | null;
}

export interface StoredMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  /** The member's metadata for the selected protocol. */
  readonly subscription: Buffer;
  readonly assignment: Buffer;
}

export interface StoredGroup {
  readonly protocolType: string;
  readonly generation: number;
  readonly protocol: string | null;
  readonly leader: string | null;
  /** -1 when unknown. */
  readonly currentStateTimestampMs: number;
  readonly members: readonly StoredMember[];
}

const offsetKeyVersion = 1;
const groupKeyVersion = 2;

export function encodeOffsetKey(group: string, topic: string, partition: number): Buffer {
  return Buffer.from(new Writer(64).int16(offsetKeyVersion).string(group).string(topic).int32(partition).toBuffer());
}

export function encodeGroupKey(group: string): Buffer {
  return Buffer.from(new Writer(32).int16(groupKeyVersion).string(group).toBuffer());
}

export function decodeKey(buf: Buffer): GroupRecordKey {
  const r = new Reader(buf);
  const version = r.int16();
  if (version === 0 || version === 1) {
    const group = r.string();
    const topic = r.string();
    const partition = r.int32();
    return { kind: 'offset', group, topic, partition };
  }
  if (version === 2) return { kind: 'group', group: r.string() };
  throw new ProtocolDecodeError(`unknown __consumer_offsets key version ${version}`);
}

export function encodeOffsetValue(o: OffsetAndMetadata): Buffer {
  const w = new Writer(64);
  if (o.expireTimestampMs !== null) {
    w.int16(1).int64(o.offset).string(o.metadata).int64(BigInt(o.commitTimestampMs)).int64(BigInt(o.expireTimestampMs));
  } else {
    w.int16(3).int64(o.offset).int32(o.leaderEpoch).string(o.metadata).int64(BigInt(o.commitTimestampMs));
  }
  return Buffer.from(w.toBuffer());
}

export function decodeOffsetValue(buf: Buffer): OffsetAndMetadata {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new ProtocolDecodeError(`unknown offset commit value version ${version}`);
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = r.string();
  const commitTimestampMs = Number(r.int64());
  const expireTimestampMs = version === 1 ? Number(r.int64()) : null;
  return { offset, leaderEpoch, metadata, commitTimestampMs, expireTimestampMs };
}

export function encodeGroupValue(g: StoredGroup): Buffer {
  const w = new Writer(256);
  w.int16(3).string(g.protocolType).int32(g.generation).nullableString(g.protocol).nullableString(g.leader);
  w.int64(BigInt(g.currentStateTimestampMs));
  w.array(g.members, (w, m) => {
    w.string(m.memberId).nullableString(m.groupInstanceId).string(m.clientId).string(m.clientHost);
    w.int32(m.rebalanceTimeoutMs).int32(m.sessionTimeoutMs).bytes(m.subscription).bytes(m.assignment);
  });
  return Buffer.from(w.toBuffer());
}

export function decodeGroupValue(buf: Buffer): StoredGroup {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new ProtocolDecodeError(`unknown group metadata value version ${version}`);
  const protocolType = r.string();
  const generation = r.int32();
  const protocol = r.nullableString();
  const leader = r.nullableString();
  const currentStateTimestampMs = version >= 2 ? Number(r.int64()) : -1;
  const members = r.array((r): StoredMember => {
    const memberId = r.string();
    const groupInstanceId = version >= 3 ? r.nullableString() : null;
    const clientId = r.string();
    const clientHost = r.string();
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
    const sessionTimeoutMs = r.int32();
    const subscription = Buffer.from(r.bytes());
    const assignment = Buffer.from(r.bytes());
    return { memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, subscription, assignment };
  });
  return { protocolType, generation, protocol, leader, currentStateTimestampMs, members };
}
