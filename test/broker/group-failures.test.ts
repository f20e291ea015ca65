/**
 * Consumer groups when something changes under them: a member dies without leaving (the
 * session timeout expels it), the broker restarts under live members, partitions are added to
 * a subscribed topic. Same real clients and short timeouts as groups.test.ts.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomTopic, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import {
  confluentGroupClient,
  kafkaPythonGroupClient,
  kafkajsGroupClient,
  produceSpread,
  taggedValues,
  waitAll,
  type GroupClient,
  type GroupMember,
} from '../helpers/group-members.ts';

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

async function startWith(client: GroupClient, topic: string, group: string, config: Record<string, unknown> = {}): Promise<GroupMember> {
  const m = await client.start(tb.bootstrap, topic, group, `${client.name}#${members.length}`, config);
  members.push(m);
  return m;
}

const start = (client: GroupClient, topic: string, group: string) => startWith(client, topic, group);

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

describe('partitions added to a subscribed topic', () => {
  for (const client of [confluentGroupClient, kafkaPythonGroupClient, kafkajsGroupClient]) {
    it(`are assigned after the next metadata refresh (${client.name})`, async () => {
      const topic = randomTopic('grp-grow');
      const group = randomTopic('group');
      await tb.broker.topics.create(topic, 2);
      const a = await start(client, topic, group);
      await a.waitFor('assignment of 2', () => a.assignment().length === 2);
      const admin = new Kafka({ clientId: 'grow', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await admin.createPartitions({ topicPartitions: [{ topic, count: partitionCount }] });
      } finally {
        await admin.disconnect();
      }
      await a.waitFor('assignment of 4', () => a.assignment().length === partitionCount, 20_000);
      await produce(topic, 'grown', 8);
      await a.waitFor('8 records', () => values(a.records, 'grown').length >= 8);
      expect(new Set(a.records.map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3]));
      await a.close();
    }, 40_000);
  }
});

describe('static membership (group.instance.id)', () => {
  it('a static member that restarts within the session timeout gets its partitions back without a rebalance', async () => {
    const topic = randomTopic('grp-static');
    const group = randomTopic('group');
    await tb.broker.topics.create(topic, partitionCount);
    const a = await startWith(confluentGroupClient, topic, group, { 'group.instance.id': 'static-a' });
    const b = await startWith(confluentGroupClient, topic, group, { 'group.instance.id': 'static-b' });
    const split = () => a.assignment().length > 0 && b.assignment().length > 0 && a.assignment().length + b.assignment().length === partitionCount;
    await waitAll([a, b], 'the split', split);
    const bPartitions = b.assignment();
    const rebalances = (m: GroupMember) => m.history().split('\n').filter((l) => /"(assigned|revoked)"/.test(l)).length;
    const aRebalances = rebalances(a);
    // A static member's close does not leave the group; it comes back under the same id.
    await b.close();
    const b2 = await startWith(confluentGroupClient, topic, group, { 'group.instance.id': 'static-b' });
    await b2.waitFor('b2 assignment', () => b2.assignment().length > 0);
    expect(b2.assignment()).toEqual(bPartitions);
    await produce(topic, 'static', 8);
    const count = () => values(a.records, 'static').length + values(b2.records, 'static').length;
    await waitAll([a, b2], '8 records', () => count() >= 8);
    // a saw no rebalance at all.
    expect(rebalances(a)).toBe(aRebalances);
    await Promise.all([a.close(), b2.close()]);
  });
});
