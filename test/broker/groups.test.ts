/**
 * Consumer groups with real clients: two members split a topic's partitions, one leaves and
 * the other takes over, and committed offsets survive a broker restart. Rebalances here are
 * the clients' own (eager protocol, client-side range/roundrobin assignors relayed by the
 * coordinator), driven by 6 s session timeouts and 0.5 s heartbeats.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomTopic, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import {
  confluentGroupClient,
  kafkaPythonGroupClient,
  kafkajsGroupClient,
  kcatGroupClient,
  type GroupClient,
  type GroupMember,
  type MemberRecord,
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

async function withProducer<T>(fn: (p: Producer) => Promise<T>): Promise<T> {
  const producer = new Kafka({ clientId: 'group-test-producer', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    return await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

/** Produces `n` records spread evenly over the partitions; values are `<tag>-<i>`. */
function produce(topic: string, tag: string, n: number): Promise<void> {
  return withProducer(async (p) => {
    await p.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}`, partition: i % partitionCount })) });
  });
}

async function start(client: GroupClient, topic: string, group: string): Promise<GroupMember> {
  const m = await client.start(tb.bootstrap, topic, group, `${client.name}#${members.length}`);
  members.push(m);
  return m;
}

/** Waits on several members at once; a timeout reports every member's history. */
async function waitAll(group: readonly GroupMember[], what: string, check: () => boolean): Promise<void> {
  try {
    await Promise.all(group.map((m) => m.waitFor(what, check)));
  } catch (err) {
    throw new Error(`${(err as Error).message.split('\n')[0]}\n${group.map((m) => `--- ${m.name}\n${m.history()}`).join('\n')}`);
  }
}

const values = (records: readonly MemberRecord[], tag: string) => records.map((r) => r.value!).filter((v) => v.startsWith(`${tag}-`));

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

describe('a member that dies without leaving', () => {
  // The victim is a librdkafka process (killable, and its range/roundrobin assignors are ones
  // kafka-python also offers; kafkajs's RoundRobinAssigner would be INCONSISTENT_GROUP_PROTOCOL).
  for (const client of [confluentGroupClient, kafkaPythonGroupClient]) {
    it(`is expelled after session.timeout.ms and the survivor takes over (${client.name} survivor)`, async () => {
      const topic = randomTopic('grp-crash');
      const group = randomTopic('group');
      await tb.broker.topics.create(topic, partitionCount);
      const a = await start(client, topic, group);
      await a.waitFor('a first assignment', () => a.assignment().length === partitionCount);
      // SIGKILL: no LeaveGroup, no commit; only the session timeout can expel it.
      const victim = await start(confluentGroupClient, topic, group);
      await waitAll([a, victim], 'the split', () => a.assignment().length > 0 && victim.assignment().length > 0 && a.assignment().length + victim.assignment().length === partitionCount);
      const killedAt = Date.now();
      victim.kill();
      await a.waitFor('a to own every partition', () => a.assignment().length === partitionCount, 20_000);
      // Not before the session timeout (6 s) ran out, and not long after it.
      const tookMs = Date.now() - killedAt;
      expect(tookMs).toBeGreaterThan(4000);
      expect(tookMs).toBeLessThan(15_000);
      await produce(topic, 'after', 8);
      await a.waitFor('8 records', () => values(a.records, 'after').length >= 8);
      await a.close();
    }, 60_000);
  }
});

describe('live members across a broker restart', () => {
  for (const client of [confluentGroupClient, kafkajsGroupClient, kafkaPythonGroupClient]) {
    it(`reconnect, rejoin and carry on from their commits (${client.name})`, async () => {
      const topic = randomTopic('grp-live');
      const group = randomTopic('group');
      await tb.broker.topics.create(topic, partitionCount);
      const a = await start(client, topic, group);
      const b = await start(client, topic, group);
      const split = () => a.assignment().length > 0 && b.assignment().length > 0 && a.assignment().length + b.assignment().length === partitionCount;
      await waitAll([a, b], 'the split', split);
      await produce(topic, 'before', 20);
      const count = (tag: string) => values(a.records, tag).length + values(b.records, tag).length;
      await waitAll([a, b], '20 records', () => count('before') >= 20);
      // Let the synchronous commits after those polls land before the broker goes away.
      await new Promise((r) => setTimeout(r, 300));

      await tb.restart();
      await produce(topic, 'after', 20);
      await waitAll([a, b], '20 records after the restart', () => count('after') >= 20);
      await new Promise((r) => setTimeout(r, 500));
      // Nothing read twice: the members resumed from their commits.
      expect(count('before')).toBe(20);
      expect([...values(a.records, 'after'), ...values(b.records, 'after')].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `after-${i}`).sort());
      await Promise.all([a.close(), b.close()]);
    }, 60_000);
  }
});

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
