import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { Schemas, dlqHeaders } from '../../src/connectors/index.ts';
import { randomTopic } from '../helpers/broker.ts';
import { rest, startTestPlatform, waitFor, type TestPlatform } from './platform.ts';
import { duckRows, produceJson } from './sink-helpers.ts';

const keySchema = Schemas.struct('k', [Schemas.field('id', Schemas.int32())]);
const valueSchema = Schemas.struct('v', [Schemas.field('id', Schemas.int32()), Schemas.field('name', Schemas.string())]);
const good = (id: number) => ({ keySchema, key: { id }, valueSchema, value: { id, name: `n${id}` } });

describe('errors.tolerance and the dead letter queue', () => {
  let p: TestPlatform;
  let dir: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    dir = await mkdtemp(join(tmpdir(), 'runnel-dlq-'));
  });
  afterAll(async () => {
    await p?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const topics = () => new InProcessTopicClient(p.platform.broker);
  const status = async (name: string) => (await rest(p.connectUrl, 'GET', `/connectors/${name}/status`)).body as { connector: { state: string }; tasks: { id: number; state: string; trace?: string }[] };

  async function topicWithPoison(): Promise<string> {
    const topic = randomTopic('in');
    const t = topics();
    await t.createTopic(topic);
    await produceJson(t, topic, [good(1)]);
    await t.produce(topic, [{ key: Buffer.from('{"schema":null,"payload":2}'), value: Buffer.from('this is {not json'), headers: [{ key: 'origin', value: Buffer.from('test') }] }]);
    await produceJson(t, topic, [good(3)]);
    return topic;
  }

  it('errors.tolerance=all: the poison record lands in the DLQ with its error in __connect.errors.* headers and the connector keeps going', async () => {
    const topic = await topicWithPoison();
    const dlq = `${topic}-dlq`;
    const db = join(dir, 'all.duckdb');
    const res = await rest(p.connectUrl, 'POST', '/connectors', {
      name: 'tolerant',
      config: {
        'connector.class': 'DuckDBSink',
        topics: topic,
        'duckdb.path': db,
        'auto.create': 'true',
        'table.name.format': 't',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    });
    expect(res.status).toBe(201);
    await waitFor(async () => (await duckRows(db, 'SELECT id FROM t')).length === 2, 20_000, 'good rows');
    const t = topics();
    const dead = await waitFor(
      async () => {
        if ((await t.partitionCount(dlq)) === null) return null;
        const { records } = await t.fetch(dlq, 0, 0n);
        return records.length > 0 ? records : null;
      },
      10_000,
      'DLQ record',
    );
    expect(dead).toHaveLength(1);
    expect(dead[0].value?.toString()).toBe('this is {not json');
    const h = Object.fromEntries(dead[0].headers.map((x) => [x.key, x.value?.toString()]));
    expect(h.origin).toBe('test');
    expect(h[dlqHeaders.topic]).toBe(topic);
    expect(h[dlqHeaders.partition]).toBe('0');
    expect(h[dlqHeaders.offset]).toBe('1');
    expect(h[dlqHeaders.connectorName]).toBe('tolerant');
    expect(h[dlqHeaders.taskId]).toBe('0');
    expect(h[dlqHeaders.stage]).toBe('VALUE_CONVERTER');
    expect(h[dlqHeaders.exceptionClass]).toBe('org.apache.kafka.connect.errors.DataException');
    expect(h[dlqHeaders.exceptionMessage]).toMatch(/Converting byte\[\] to Kafka Connect data failed due to serialization error/);
    expect(h[dlqHeaders.exceptionStacktrace]).toContain('ConnectError');
    // It keeps going.
    await produceJson(t, topic, [good(4)]);
    await waitFor(async () => (await duckRows(db, 'SELECT id FROM t')).length === 3, 20_000, 'row after the poison');
    expect((await status('tolerant')).tasks[0].state).toBe('RUNNING');
  });

  it('errors.tolerance=none: the task FAILS with a trace naming the record, restarts on request, and runs again once its offset skips the poison', async () => {
    const topic = await topicWithPoison();
    const db = join(dir, 'none.duckdb');
    await rest(p.connectUrl, 'POST', '/connectors', { name: 'strict', config: { 'connector.class': 'DuckDBSink', topics: topic, 'duckdb.path': db, 'auto.create': 'true', 'table.name.format': 't' } });
    const failed = await waitFor(async () => {
      const s = await status('strict');
      return s.tasks[0]?.state === 'FAILED' ? s : null;
    }, 20_000, 'FAILED task');
    expect(failed.connector.state).toBe('RUNNING');
    expect(failed.tasks[0].trace).toMatch(/Tolerance exceeded in error handler: VALUE_CONVERTER .* failed for record in topic '.*' partition 0 offset 1/);
    expect(failed.tasks[0].trace).toContain('Caused by:');
    expect((await rest(p.connectUrl, 'GET', '/connectors/strict/tasks/0/status')).body).toMatchObject({ id: 0, state: 'FAILED' });

    // Restart on request: the task runs again (and fails again on the same record).
    const restarted = await rest(p.connectUrl, 'POST', '/connectors/strict/restart?includeTasks=true&onlyFailed=true');
    expect(restarted.status).toBe(202);
    expect((restarted.body as { tasks: unknown[] }).tasks).toHaveLength(1);
    await waitFor(async () => (await status('strict')).tasks[0]?.state === 'FAILED', 20_000, 'FAILED again');
    expect((await rest(p.connectUrl, 'POST', '/connectors/strict/tasks/0/restart')).status).toBe(204);

    // Skip the poison through the offsets API (only allowed when STOPPED), then resume.
    const patchRunning = await rest(p.connectUrl, 'PATCH', '/connectors/strict/offsets', { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });
    expect(patchRunning.status).toBe(400);
    expect((patchRunning.body as { message: string }).message).toMatch(/must be in the STOPPED state/);
    expect((await rest(p.connectUrl, 'PUT', '/connectors/strict/stop')).status).toBe(202);
    const patched = await rest(p.connectUrl, 'PATCH', '/connectors/strict/offsets', { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });
    expect(patched.status).toBe(200);
    expect((await rest(p.connectUrl, 'GET', '/connectors/strict/offsets')).body).toEqual({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });
    expect((await rest(p.connectUrl, 'PUT', '/connectors/strict/resume')).status).toBe(202);
    await waitFor(async () => (await duckRows(db, 'SELECT id FROM t')).length === 1, 20_000, 'row after the skipped poison');
    expect(await duckRows(db, 'SELECT id FROM t')).toEqual([{ id: 3 }]);
    expect((await status('strict')).tasks[0].state).toBe('RUNNING');
  });
});
