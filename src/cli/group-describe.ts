/**
 * `runnel group describe`: a group's state and members, and per partition its committed
 * offset, log end offset and lag, the columns of Kafka's `kafka-consumer-groups --describe`.
 */
import kafkajs from 'kafkajs';
import type { Admin, GroupDescription } from 'kafkajs';
import { CliError } from './cli-error.ts';
import { formatTable } from './output.ts';

const { AssignerProtocol } = kafkajs;

export interface MemberInfo {
  memberId: string;
  clientId: string;
  host: string;
  assignment: { topic: string; partitions: number[] }[];
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Null when the group has not committed this partition. */
  currentOffset: string | null;
  /** Null when the topic no longer exists. */
  logEndOffset: string | null;
  lag: string | null;
  memberId: string | null;
  clientId: string | null;
  host: string | null;
}

export interface GroupReport {
  group: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: MemberInfo[];
  totalLag: string;
  partitions: PartitionLag[];
}

/** The topic partitions a member was given; empty while the group rebalances or for non-consumer groups. */
export function decodeAssignment(protocolType: string, bytes: Buffer): MemberInfo['assignment'] {
  if (protocolType !== 'consumer' || bytes.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
    if (decoded === null) return [];
    return Object.entries(decoded.assignment)
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  } catch {
    return [];
  }
}

function membersOf(d: GroupDescription): MemberInfo[] {
  return d.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost, assignment: decodeAssignment(d.protocolType, m.memberAssignment) }));
}

async function logEndOffsets(admin: Admin, topic: string): Promise<Map<number, bigint> | null> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } catch {
    return null;
  }
}

export async function describeGroup(admin: Admin, groupId: string): Promise<GroupReport> {
  const { groups } = await admin.describeGroups([groupId]);
  const d = groups[0];
  const members = membersOf(d);
  const committed = await admin.fetchOffsets({ groupId });
  const hasOffsets = committed.some((t) => t.partitions.some((p) => BigInt(p.offset) >= 0n));
  if (d.state === 'Dead' && members.length === 0 && !hasOffsets) {
    throw new CliError(`consumer group '${groupId}' does not exist (runnel group list shows the groups)`);
  }
  const owner = new Map<string, MemberInfo>();
  for (const m of members) for (const a of m.assignment) for (const p of a.partitions) owner.set(`${a.topic}\0${p}`, m);
  const keys = new Map<string, { topic: string; partition: number; offset: bigint | null }>();
  for (const t of committed) {
    for (const p of t.partitions) keys.set(`${t.topic}\0${p.partition}`, { topic: t.topic, partition: p.partition, offset: BigInt(p.offset) >= 0n ? BigInt(p.offset) : null });
  }
  for (const [key, _m] of owner) {
    const [topic, partition] = key.split('\0');
    if (!keys.has(key)) keys.set(key, { topic, partition: Number(partition), offset: null });
  }
  const topics = [...new Set([...keys.values()].map((k) => k.topic))];
  const ends = new Map<string, Map<number, bigint> | null>();
  for (const t of topics) ends.set(t, await logEndOffsets(admin, t));
  let totalLag = 0n;
  const partitions: PartitionLag[] = [...keys.entries()]
    .map(([key, k]) => {
      const end = ends.get(k.topic)?.get(k.partition) ?? null;
      const lag = end !== null && k.offset !== null ? (end > k.offset ? end - k.offset : 0n) : null;
      if (lag !== null) totalLag += lag;
      const m = owner.get(key) ?? null;
      return {
        topic: k.topic,
        partition: k.partition,
        currentOffset: k.offset?.toString() ?? null,
        logEndOffset: end?.toString() ?? null,
        lag: lag?.toString() ?? null,
        memberId: m?.memberId ?? null,
        clientId: m?.clientId ?? null,
        host: m?.host ?? null,
      };
    })
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { group: groupId, state: d.state, protocolType: d.protocolType, protocol: d.protocol, members, totalLag: totalLag.toString(), partitions };
}

export function formatGroupReport(r: GroupReport): string {
  const summary = formatTable(['GROUP', r.group], [
    ['STATE', r.state],
    ['PROTOCOL-TYPE', r.protocolType || '-'],
    ['PROTOCOL', r.protocol || '-'],
    ['MEMBERS', r.members.length],
    ['TOTAL-LAG', r.totalLag],
  ]);
  const members =
    r.members.length === 0
      ? ''
      : '\n' +
        formatTable(
          ['MEMBER-ID', 'CLIENT-ID', 'HOST', 'ASSIGNMENT'],
          r.members.map((m) => [m.memberId, m.clientId, m.host, m.assignment.map((a) => `${a.topic}:${a.partitions.join(',')}`).join(' ') || '-']),
        );
  const partitions =
    '\n' +
    formatTable(
      ['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'MEMBER-ID', 'CLIENT-ID', 'HOST'],
      r.partitions.map((p) => [p.topic, p.partition, p.currentOffset, p.logEndOffset, p.lag, p.memberId, p.clientId, p.host]),
    );
  return summary + members + partitions;
}
