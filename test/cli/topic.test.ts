import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { lines, randomName, runCli, startBroker, type CliTestBroker } from './run-cli.ts';

interface Description {
  name: string;
  partitions: number;
  configs: { name: string; value: string | null; source: string }[];
  partitionDetails: { partition: number; highWatermark: string }[];
}

describe('runnel topic', () => {
  let broker: CliTestBroker;
  const cli = (...args: string[]) => runCli([...args, '-b', broker.bootstrap]);

  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('creates, lists, describes, alters and deletes a topic', async () => {
    const topic = randomName('orders');
    const created = await cli('topic', 'create', topic, '-p', '3', '-c', 'retention.ms=123456');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(lines(created.stdout)).toEqual(['TOPIC' + ' '.repeat(topic.length - 3) + 'STATUS', `${topic}  OK`]);

    const listed = await cli('topic', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${topic}\\s+3\\s+1$`, 'm'));
    const json = JSON.parse((await cli('topic', 'list', '--format', 'json')).stdout) as { name: string; partitions: number }[];
    expect(json.find((t) => t.name === topic)).toEqual({ name: topic, partitions: 3, replicas: 1 });

    const described = await cli('topic', 'describe', topic, '--format', 'yaml');
    expect(described.code).toBe(0);
    const d = parseYaml(described.stdout) as Description;
    expect(d.name).toBe(topic);
    expect(d.partitions).toBe(3);
    expect(d.configs.find((c) => c.name === 'retention.ms')).toMatchObject({ value: '123456', source: 'TOPIC_CONFIG' });
    expect(d.configs.find((c) => c.name === 'cleanup.policy')).toMatchObject({ value: 'delete', source: 'DEFAULT_CONFIG' });
    const text = await cli('topic', 'describe', topic);
    expect(text.stdout).toMatch(/^SUMMARY\n=======\nNAME\s+orders-/);
    expect(text.stdout).toMatch(/PARTITION\s+LEADER\s+REPLICAS\s+IN-SYNC-REPLICAS\s+LOG-START-OFFSET\s+HIGH-WATERMARK/);

    const altered = await cli('topic', 'alter', topic, '--set', 'cleanup.policy=compact', '--partitions', '4');
    expect(altered.code, altered.stderr).toBe(0);
    const after = JSON.parse((await cli('topic', 'describe', topic, '--format', 'json')).stdout) as Description;
    expect(after.partitions).toBe(4);
    expect(after.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');
    expect(after.configs.find((c) => c.name === 'retention.ms')?.value).toBe('123456');

    const reset = await cli('topic', 'alter', topic, '--delete', 'retention.ms');
    expect(reset.code, reset.stderr).toBe(0);
    const afterReset = JSON.parse((await cli('topic', 'describe', topic, '--format', 'json')).stdout) as Description;
    expect(afterReset.configs.find((c) => c.name === 'retention.ms')?.value).not.toBe('123456');
    expect(afterReset.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');

    const shrink = await cli('topic', 'alter', topic, '--partitions', '2');
    expect(shrink.code).not.toBe(0);
    expect(shrink.stderr).toMatch(/has 4 partitions; Kafka can add partitions but not remove them/);

    const again = await cli('topic', 'create', topic);
    expect(again.code).not.toBe(0);
    expect(again.stdout).toMatch(/TOPIC_ALREADY_EXISTS/);
    expect((await cli('topic', 'create', topic, '--if-not-exists')).code).toBe(0);

    const deleted = await cli('topic', 'delete', topic);
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(0);
    expect((await cli('topic', 'list')).stdout).not.toContain(topic);
    const missing = await cli('topic', 'delete', topic);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toMatch(/UNKNOWN_TOPIC_OR_PARTITION/);
  }, 240_000);

  it('says which topic is missing', async () => {
    const r = await cli('topic', 'describe', 'no-such-topic');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("runnel: topic 'no-such-topic' does not exist; create it with: runnel topic create no-such-topic\n");
  });
});
