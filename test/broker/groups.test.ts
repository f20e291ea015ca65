/**
 * Consumer groups with real clients: two members split a topic's partitions, one leaves and
 * the other takes over, and committed offsets survive a broker restart. Rebalances here are
 * the clients' own (eager protocol, client-side range/roundrobin assignors relayed by the
 * coordinator), driven by 6 s session timeouts and 0.5 s heartbeats.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomTopic, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import {
  confluentGroupClient,
  kafkaPythonGroupClient,
  kafkajsGroupClient,
  kcatGroupClient,
  produceSpread,
  taggedValues,
  waitAll,
  type GroupClient,
  type GroupMember,
} from '../helpers/group-members.ts';

const GROUP_CLIENTS: readonly GroupClient[] = [confluentGroupClient, kafkajsGroupClient, kafkaPythonGroupClient, kcatGroupClient];
const partitionCount = 4;

let tb: TestBroker;
const members: GroupMember[] = [];
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => {
  for (const m of members) m.kill();
  await tb?.stop();
});

const produce = (topic: string, tag: string, n: number) => produceSpread(tb.bootstrap, topic, tag, n, partitionCount);
const values = taggedValues;

async function start(client: GroupClient, topic: string, group: string): Promise<GroupMember> {
  const m = await client.start(tb.bootstrap, topic, group, `${client.name}#${members.length}`);
  members.push(m);
  return m;
}

for (const client of GROUP_CLIENTS) {
  describe(client.name, () => {
    it('splits partitions between two members, hands them all to the one that stays, and resumes from commits after a restart', async () => {
      const topic = randomTopic(`grp-${client.name}`);
      const group = randomTopic('group');
      await tb.broker.topics.create(topic, partitionCount);

      // Two members split the four partitions: each gets some, none overlap.
      const a = await start(client, topic, group);
      await a.waitFor('a first assignment', () => a.assignment().length === partitionCount);
      const b = await start(client, topic, group);
      const split = () => {
        const pa = a.assignment();
        const pb = b.assignment();
        return pa.length > 0 && pb.length > 0 && new Set([...pa, ...pb]).size === partitionCount && pa.length + pb.length === partitionCount;
      };
      await waitAll([a, b], 'the split', split);
      await produce(topic, 'first', 40);
      const firstCount = () => values(a.records, 'first').length + values(b.records, 'first').length;
      await waitAll([a, b], '40 first records', () => firstCount() >= 40);
      for (const [m, own] of [
        [a, a.assignment()],
        [b, b.assignment()],
      ] as const) {
        for (const r of m.records) expect(own).toContain(r.partition);
      }
      const first = [...values(a.records, 'first'), ...values(b.records, 'first')];
      expect(first.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `first-${i}`).sort());

      // b leaves; a takes over every partition and gets what is produced next.
      await b.close();
      await a.waitFor('a to own every partition', () => a.assignment().length === partitionCount);
      await produce(topic, 'second', 20);
      await a.waitFor('20 second records', () => values(a.records, 'second').length >= 20);
      expect(values(a.records, 'second').sort()).toEqual(Array.from({ length: 20 }, (_, i) => `second-${i}`).sort());
      await a.close();

      // The committed offsets survive a restart: a new member resumes after them.
      await tb.restart();
      const c = await start(client, topic, group);
      await c.waitFor('c assignment', () => c.assignment().length === partitionCount);
      await produce(topic, 'third', 8);
      await c.waitFor('8 third records', () => values(c.records, 'third').length >= 8);
      // Give a wrongly reset consumer time to show what it re-reads.
      await new Promise((r) => setTimeout(r, 500));
      expect(c.records.map((r) => r.value!).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `third-${i}`).sort());
      const resumedAt = new Map<number, number>();
      for (const r of c.records) resumedAt.set(r.partition, Math.min(r.offset, resumedAt.get(r.partition) ?? Infinity));
      // 60 records before, 15 per partition: each partition resumes at offset 15.
      expect([...resumedAt.values()]).toEqual([15, 15, 15, 15]);
      await c.close();
    }, 120_000);
  });
}

describe('group administration (kafkajs admin)', () => {
  it('lists and describes a live group, refuses to delete it, deletes it once empty', async () => {
    const topic = randomTopic('grp-admin');
    const group = randomTopic('group');
    await tb.broker.topics.create(topic, partitionCount);
    const a = await start(confluentGroupClient, topic, group);
    await a.waitFor('assignment', () => a.assignment().length === partitionCount);
    await produce(topic, 'x', 4);
    await a.waitFor('4 records', () => a.records.length >= 4);
    const admin = new Kafka({ clientId: 'group-admin', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      expect(groups).toContainEqual({ groupId: group, protocolType: 'consumer' });
      const described = await admin.describeGroups([group]);
      const g = described.groups[0];
      expect(g).toMatchObject({ groupId: group, state: 'Stable', protocolType: 'consumer' });
      expect(g.members).toHaveLength(1);
      expect(g.members[0].clientId).toBe('rdkafka');
      await expect(admin.deleteGroups([group])).rejects.toMatchObject({ groups: [expect.objectContaining({ errorCode: 68 })] });
      await a.close();
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(offsets.partitions.map((p) => Number(p.offset)).sort()).toEqual([1, 1, 1, 1]);
      expect((await admin.describeGroups([group])).groups[0].state).toBe('Empty');
      await admin.deleteGroups([group]);
      const [after] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(after.partitions.map((p) => p.offset)).toEqual(['-1', '-1', '-1', '-1']);
      expect((await admin.listGroups()).groups.map((x) => x.groupId)).not.toContain(group);
    } finally {
      await admin.disconnect();
    }
  });
});
