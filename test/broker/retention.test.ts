/**
 * Retention, compaction, DeleteRecords and config changes through the broker, seen by real
 * clients: what maintenance removes is whole old segments (delete policy) or superseded values
 * and expired tombstones (compact policy), and nothing else; the log start offset that
 * ListOffsets and consumers see moves with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/broker/apis/api.ts';
import { ErrorCode } from '../../src/broker/protocol/error-codes.ts';
import { randomTopic, run, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { confluentPython, kafkaPython, kafkajs, kcat } from '../helpers/clients.ts';
import { readLog } from '../helpers/log-records.ts';
import { RawConnection, readArray } from '../helpers/raw-kafka.ts';

let tb: TestBroker;
let producer: Producer;
let admin: Admin;
beforeAll(async () => {
  tb = await startTestBroker();
  const kafka = new Kafka({ clientId: 'retention-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  admin = kafka.admin();
  await producer.connect();
  await admin.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await tb?.stop();
});

/** Sends each record in its own request, so each is its own batch and segments roll often. */
async function produceEach(topic: string, records: readonly { key?: string; value: string | null; timestamp?: number }[]): Promise<void> {
  for (const r of records) {
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: r.key ?? null, value: r.value, timestamp: r.timestamp === undefined ? undefined : String(r.timestamp) }],
    });
  }
}

async function earliest(topic: string): Promise<number> {
  const [p] = await admin.fetchTopicOffsets(topic);
  return Number(p.low);
}

/** What kcat reads from the beginning: `offset key value` per record (`~` for null). */
async function kcatFromBeginning(topic: string): Promise<string[]> {
  const res = await run('kcat', ['-b', tb.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-Z', '-f', '%o %k %s\n'], { timeoutMs: 30_000 });
  expect(res.code).toBe(0);
  return res.stdout.split('\n').filter((l) => l !== '');
}

const hourAgo = () => Date.now() - 3_600_000;

describe('delete policy', () => {
  it('retention.ms removes whole old segments and nothing else', async () => {
    const topic = randomTopic('ret-time');
    await tb.broker.topics.create(topic, 1, { 'segment.bytes': '300', 'retention.ms': '600000' });
    await produceEach(topic, Array.from({ length: 20 }, (_, i) => ({ value: `old-${i}`, timestamp: hourAgo() })));
    await produceEach(topic, Array.from({ length: 10 }, (_, i) => ({ value: `new-${i}` })));
    const log = tb.broker.topics.get(topic)!.partitions[0];
    const segmentsBefore = log.segmentBaseOffsets();
    expect(segmentsBefore.length).toBeGreaterThan(4);

    await tb.broker.runMaintenance();

    const start = await earliest(topic);
    // The new log start is a segment boundary, past some old records, before any new one.
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThanOrEqual(20);
    expect(segmentsBefore).toContain(BigInt(start));
    expect(log.segmentBaseOffsets()).toEqual(segmentsBefore.filter((b) => b >= BigInt(start)));
    const lines = await kcatFromBeginning(topic);
    expect(lines[0].split(' ')[0]).toBe(String(start));
    expect(lines.map((l) => l.split(' ')[2])).toEqual([...Array.from({ length: 20 - start }, (_, i) => `old-${start + i}`), ...Array.from({ length: 10 }, (_, i) => `new-${i}`)]);
  });

  it('retention.bytes drops the oldest segments while what remains still holds retention.bytes', async () => {
    const topic = randomTopic('ret-bytes');
    await tb.broker.topics.create(topic, 1, { 'segment.bytes': '300', 'retention.bytes': '800' });
    await produceEach(topic, Array.from({ length: 30 }, (_, i) => ({ value: `v-${i}` })));
    const log = tb.broker.topics.get(topic)!.partitions[0];
    const sizeBefore = log.sizeBytes();
    expect(sizeBefore).toBeGreaterThan(800);

    await tb.broker.runMaintenance();

    // Kafka deletes a segment only if the rest still holds retention.bytes: what is left is
    // at least the budget and less than the budget plus one segment.
    const sizeAfter = log.sizeBytes();
    expect(sizeAfter).toBeGreaterThanOrEqual(800);
    expect(sizeAfter).toBeLessThan(800 + 300 + 100);
    const start = await earliest(topic);
    expect(start).toBeGreaterThan(0);
    const values = (await kcatFromBeginning(topic)).map((l) => l.split(' ')[2]);
    expect(values).toEqual(Array.from({ length: 30 - start }, (_, i) => `v-${start + i}`));
  });

  it("at retention, new segments reuse deleted segments' files, and clients read only what the log holds, also after a restart", async () => {
    const topic = randomTopic('ret-recycle');
    // 400 KiB records, 3 to a 1.3 MiB segment: deleted files are large enough to be kept.
    await tb.broker.topics.create(topic, 1, { 'segment.bytes': String(1300 * 1024), 'retention.bytes': String(2500 * 1024), 'file.delete.delay.ms': '0' });
    const value = (i: number): string => `r${i}:`.padEnd(400 * 1024, '.');
    await produceEach(topic, Array.from({ length: 15 }, (_, i) => ({ value: value(i) })));
    const log = tb.broker.topics.get(topic)!.partitions[0];
    await tb.broker.runMaintenance();
    const kept = (): string[] => fs.readdirSync(log.dir).filter((n) => n.startsWith('recycled-'));
    for (let i = 0; i < 200 && kept().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const inodes = kept().map((n) => fs.statSync(path.join(log.dir, n)).ino);
    expect(inodes.length).toBeGreaterThan(0);

    await produceEach(topic, Array.from({ length: 6 }, (_, i) => ({ value: value(15 + i) })));
    const segmentInodes = log.segmentBaseOffsets().map((b) => fs.statSync(path.join(log.dir, `${b.toString().padStart(20, '0')}.log`)).ino);
    expect(segmentInodes.filter((ino) => inodes.includes(ino)).length).toBeGreaterThan(0);
    const start = await earliest(topic);
    const expected = Array.from({ length: 21 - start }, (_, i) => `r${start + i}`);
    const read = async (): Promise<string[]> => (await kcatFromBeginning(topic)).map((l) => l.split(' ')[2].split(':')[0]);
    expect(await read()).toEqual(expected);
    await tb.restart();
    expect(await read()).toEqual(expected);
  });
});

describe('compact policy', () => {
  it('keeps the latest value per key, then drops tombstones after delete.retention.ms', async () => {
    const topic = randomTopic('compact');
    await tb.broker.topics.create(topic, 1, {
      'cleanup.policy': 'compact',
      'segment.bytes': '300',
      'min.cleanable.dirty.ratio': '0.01',
      'delete.retention.ms': '500',
    });
    const records: { key: string; value: string | null }[] = [];
    for (let round = 0; round < 4; round++) for (let k = 0; k < 5; k++) records.push({ key: `k${k}`, value: `k${k}-r${round}` });
    records.push({ key: 'k1', value: null });
    // Filler on another key so the records above are all in closed segments.
    for (let i = 0; i < 6; i++) records.push({ key: 'filler', value: `f${i}` });
    await produceEach(topic, records);

    await tb.broker.runMaintenance();
    const log = tb.broker.topics.get(topic)!.partitions[0];
    const active = log.segmentBaseOffsets().at(-1)!;
    const stored = await readLog(log);
    const closedPart = stored.filter((r) => BigInt(r.offset) < active);
    // In the compacted part, one record per key: the latest, at its original offset.
    const latest = new Map<string, number>();
    records.forEach((r, offset) => {
      if (BigInt(offset) < active) latest.set(r.key, offset);
    });
    expect(closedPart.map((r) => r.offset)).toEqual([...latest.values()].sort((a, b) => a - b));
    for (const r of closedPart) expect(r.value).toBe(records[r.offset].value);
    expect(closedPart.find((r) => r.key === 'k1')?.value).toBeNull();
    // Consumers see the same.
    const seen = await kcatFromBeginning(topic);
    expect(seen).toContain(`${latest.get('k1')} k1 NULL`);
    expect(seen).toContain(`${latest.get('k0')} k0 k0-r3`);

    // Past delete.retention.ms, the next cleaning drops the tombstone.
    await new Promise((r) => setTimeout(r, 600));
    await produceEach(topic, Array.from({ length: 6 }, (_, i) => ({ key: 'filler', value: `g${i}` })));
    await tb.broker.runMaintenance();
    const after = await readLog(log);
    expect(after.find((r) => r.key === 'k1')).toBeUndefined();
    for (const k of ['k0', 'k2', 'k3', 'k4']) expect(after.filter((r) => r.key === k).map((r) => r.value)).toEqual([`${k}-r3`]);
  });
});

describe('DeleteRecords', () => {
  for (const consumer of [confluentPython, kafkaPython, kafkajs, kcat]) {
    it(`a group whose committed offset fell below the log start resets to it (${consumer.name})`, async () => {
      const topic = randomTopic('below-start');
      const group = randomTopic('group');
      await tb.broker.topics.create(topic, 1);
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
      // The group reads and commits two records (librdkafka commits exactly what was consumed).
      expect((await confluentPython.consume(tb.bootstrap, topic, 2, { group })).map((r) => r.value)).toEqual(['v0', 'v1']);
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '7' }] });
      // The fetch at 2 is OFFSET_OUT_OF_RANGE; auto.offset.reset=earliest moves to 7.
      const got = await consumer.consume(tb.bootstrap, topic, 3, { group });
      expect(got.map((r) => [r.offset, r.value])).toEqual([
        [7, 'v7'],
        [8, 'v8'],
        [9, 'v9'],
      ]);
    });
  }

  it('kafkajs admin.deleteTopicRecords moves the log start; consumers start there', async () => {
    const topic = randomTopic('delrec');
    await tb.broker.topics.create(topic, 1);
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
    // kafkajs looks up partition leaders in its cached metadata, which predates the topic.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
    expect(await earliest(topic)).toBe(6);
    expect((await kcatFromBeginning(topic)).map((l) => l.split(' ')[2])).toEqual(['v6', 'v7', 'v8', 'v9']);
    // Past the end is OFFSET_OUT_OF_RANGE.
    await expect(admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '11' }] })).rejects.toThrow();
    expect(await earliest(topic)).toBe(6);
  });
});

/** IncrementalAlterConfigs v0 on one topic; returns the error code and message. */
async function incrementalAlter(topic: string, ops: readonly { name: string; op: 0 | 1 | 2 | 3; value: string | null }[]): Promise<{ errorCode: number; errorMessage: string | null }> {
  const c = await RawConnection.open(tb.bootstrap);
  try {
    const r = await c.call(ApiKey.IncrementalAlterConfigs, 0, (w) => {
      w.int32(1).int8(ConfigResourceTypes.TOPIC).string(topic).int32(ops.length);
      for (const o of ops) w.string(o.name).int8(o.op).nullableString(o.value);
      w.bool(false);
    });
    r.int32();
    const [res] = readArray(r, (x) => ({ errorCode: x.int16(), errorMessage: x.nullableString(), resourceType: x.int8(), resourceName: x.string() }));
    return res;
  } finally {
    c.destroy();
  }
}

async function describedConfigs(topic: string): Promise<Map<string, { value: string; isDefault: boolean }>> {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
  return new Map(res.resources[0].configEntries.map((e) => [e.configName, { value: e.configValue, isDefault: e.isDefault }]));
}

describe('config changes', () => {
  it('AlterConfigs (kafkajs) takes effect and describeConfigs shows it', async () => {
    const topic = randomTopic('alter');
    await tb.broker.topics.create(topic, 1, { 'segment.bytes': '300' });
    await produceEach(topic, Array.from({ length: 12 }, (_, i) => ({ value: `v-${i}`, timestamp: hourAgo() })));
    await tb.broker.runMaintenance();
    expect(await earliest(topic)).toBe(0);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'segment.bytes', value: '300' }, { name: 'retention.ms', value: '60000' }] }],
    });
    const configs = await describedConfigs(topic);
    expect(configs.get('retention.ms')).toEqual({ value: '60000', isDefault: false });
    expect(configs.get('cleanup.policy')).toEqual({ value: 'delete', isDefault: true });
    await tb.broker.runMaintenance();
    expect(await earliest(topic)).toBeGreaterThan(0);

    // A bad value is refused and changes nothing.
    await expect(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: 'never' }] }] }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    expect((await describedConfigs(topic)).get('retention.ms')?.value).toBe('60000');
  });

  it('IncrementalAlterConfigs sets and deletes single configs, leaving the others', async () => {
    const topic = randomTopic('incr');
    await tb.broker.topics.create(topic, 1, { 'segment.bytes': '300', 'retention.ms': '86400000' });
    await produceEach(topic, Array.from({ length: 30 }, (_, i) => ({ value: `v-${i}` })));

    expect(await incrementalAlter(topic, [{ name: 'retention.bytes', op: 0, value: '800' }])).toMatchObject({ errorCode: ErrorCode.NONE });
    let configs = await describedConfigs(topic);
    expect(configs.get('retention.bytes')).toEqual({ value: '800', isDefault: false });
    expect(configs.get('retention.ms')).toEqual({ value: '86400000', isDefault: false });
    expect(configs.get('segment.bytes')).toEqual({ value: '300', isDefault: false });
    await tb.broker.runMaintenance();
    expect(tb.broker.topics.get(topic)!.partitions[0].sizeBytes()).toBeLessThan(800 + 300 + 100);
    expect(await earliest(topic)).toBeGreaterThan(0);

    expect(await incrementalAlter(topic, [{ name: 'retention.ms', op: 1, value: null }])).toMatchObject({ errorCode: ErrorCode.NONE });
    configs = await describedConfigs(topic);
    expect(configs.get('retention.ms')?.isDefault).toBe(true);
    expect(configs.get('retention.bytes')?.value).toBe('800');

    const bad = await incrementalAlter(topic, [{ name: 'no.such.config', op: 0, value: '1' }]);
    expect(bad.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(bad.errorMessage).toMatch(/no\.such\.config/);
  });
});
