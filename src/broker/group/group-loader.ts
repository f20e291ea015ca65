/**
 * Rebuilds the coordinator's groups from `__consumer_offsets` on start, and builds the records
 * the coordinator appends. See `records.ts` for the encodings.
 */
import { ClassicGroup } from './classic-group.ts';
import type { GroupRecord, GroupStore } from './group-store.ts';
import { GroupMember } from './member.ts';
import {
  decodeGroupValue,
  decodeKey,
  decodeOffsetValue,
  encodeGroupKey,
  encodeGroupValue,
  encodeOffsetKey,
  encodeOffsetValue,
} from './records.ts';
import type { OffsetAndMetadata, StoredGroup } from './records.ts';
import { GroupState } from './types.ts';

export interface LoadResult {
  readonly groups: Map<string, ClassicGroup>;
  /** Records that could not be decoded and were skipped. */
  readonly skippedRecords: number;
}

/**
 * Replays the store: the last record per key wins and tombstones delete. A group with members
 * comes back Stable (its members keep heartbeating to the restarted coordinator); one without
 * comes back Empty; a group with only offsets comes back Empty with no protocol type.
 */
export async function loadGroups(store: GroupStore, nowMs: number): Promise<LoadResult> {
  const stored = new Map<string, StoredGroup>();
  const offsets = new Map<string, Map<string, { topic: string; partition: number; value: OffsetAndMetadata }>>();
  let skippedRecords = 0;
  await store.replay((keyBuf, valueBuf) => {
    try {
      const key = decodeKey(keyBuf);
      if (key.kind === 'group') {
        if (valueBuf === null) stored.delete(key.group);
        else stored.set(key.group, decodeGroupValue(valueBuf));
        return;
      }
      const tpKey = `${key.partition}:${key.topic}`;
      let byGroup = offsets.get(key.group);
      if (valueBuf === null) {
        byGroup?.delete(tpKey);
        return;
      }
      if (!byGroup) offsets.set(key.group, (byGroup = new Map()));
      byGroup.set(tpKey, { topic: key.topic, partition: key.partition, value: decodeOffsetValue(valueBuf) });
    } catch {
      skippedRecords++;
    }
  });

  const groups = new Map<string, ClassicGroup>();
  for (const [groupId, s] of stored) groups.set(groupId, restoreGroup(groupId, s, nowMs));
  for (const [groupId, byGroup] of offsets) {
    if (byGroup.size === 0) continue;
    let group = groups.get(groupId);
    if (!group) groups.set(groupId, (group = new ClassicGroup(groupId, GroupState.Empty, nowMs)));
    for (const { topic, partition, value } of byGroup.values()) group.setOffset(topic, partition, value);
  }
  return { groups, skippedRecords };
}

function restoreGroup(groupId: string, s: StoredGroup, nowMs: number): ClassicGroup {
  const state = s.members.length > 0 ? GroupState.Stable : GroupState.Empty;
  const group = new ClassicGroup(groupId, state, nowMs);
  group.generationId = s.generation;
  group.protocolType = s.protocolType === '' ? null : s.protocolType;
  group.protocolName = s.protocol;
  group.currentStateTimestampMs = s.currentStateTimestampMs >= 0 ? s.currentStateTimestampMs : null;
  const protocol = s.protocol ?? '';
  for (const m of s.members) {
    const member = new GroupMember(
      m.memberId,
      m.groupInstanceId,
      m.clientId,
      m.clientHost,
      m.rebalanceTimeoutMs >= 0 ? m.rebalanceTimeoutMs : m.sessionTimeoutMs,
      m.sessionTimeoutMs,
      s.protocolType,
      [{ name: protocol, metadata: m.subscription }],
    );
    member.assignment = m.assignment;
    group.add(member, null);
  }
  group.leaderId = s.leader ?? group.leaderId;
  return group;
}

/** The group metadata record for the group's current generation with these assignments. */
export function groupRecord(group: ClassicGroup, assignments: ReadonlyMap<string, Buffer>): GroupRecord {
  const protocol = group.protocolName;
  const value = encodeGroupValue({
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol,
    leader: group.leaderId,
    currentStateTimestampMs: group.currentStateTimestampMs ?? -1,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: protocol !== null ? m.metadata(protocol) : Buffer.alloc(0),
      assignment: assignments.get(m.memberId) ?? Buffer.alloc(0),
    })),
  });
  return { key: encodeGroupKey(group.groupId), value };
}

export function offsetRecord(groupId: string, topic: string, partition: number, value: OffsetAndMetadata | null): GroupRecord {
  return { key: encodeOffsetKey(groupId, topic, partition), value: value === null ? null : encodeOffsetValue(value) };
}

export function groupTombstone(groupId: string): GroupRecord {
  return { key: encodeGroupKey(groupId), value: null };
}
