import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, lines, randomName, runCli, startBroker, type CliTestBroker } from './run-cli.ts';

// Each test has its own topic; running them side by side overlaps the CLI processes' waits.
describe.concurrent('runnel produce and consume', () => {
  let broker: CliTestBroker;
  const cli = (args: string[], input?: string) => runCli([...args, '-b', broker.bootstrap], { input });

  async function topicWith(partitions: number, input: string, ...produceArgs: string[]): Promise<string> {
    const topic = randomName('t');
    await createTopic(broker.bootstrap, topic, partitions);
    const produced = await cli(['produce', topic, ...produceArgs], input);
    expect(produced.code, produced.stderr).toBe(0);
    return topic;
  }

  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('produces keyed lines with headers and consumes them back with -f', async () => {
    const before = Date.now();
    const topic = await topicWith(3, 'k1:v1\nk2:v2\nk3:v:3\n\nk1:v4\n', '-K', ':', '-H', 'src=cli', '-H', 'n=1');
    const r = await cli(['consume', topic, '-e', '-f', '%t|%p|%o|%k|%s|%h|%K|%S|%T\\n']);
    expect(r.code, r.stderr).toBe(0);
    const rows = lines(r.stdout).map((l) => l.split('|'));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row[0]).toBe(topic);
      expect(row[5]).toBe('src=cli,n=1');
      expect(Number(row[6])).toBe(row[3].length);
      expect(Number(row[7])).toBe(row[4].length);
      expect(Number(row[8])).toBeGreaterThanOrEqual(before - 1000);
      expect(Number(row[8])).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect(rows.map((r) => `${r[3]}=${r[4]}`).sort()).toEqual(['k1=v1', 'k1=v4', 'k2=v2', 'k3=v:3']);
    // Same key, same partition, in order.
    const k1 = rows.filter((r) => r[3] === 'k1');
    expect(k1[0][1]).toBe(k1[1][1]);
    expect(Number(k1[0][2])).toBeLessThan(Number(k1[1][2]));
  });

  it('prints JSON records with -J', async () => {
    const topic = await topicWith(1, 'a\tb\n', '-K', '\\t', '-H', 'h=x');
    const r = await cli(['consume', topic, '-e', '-J']);
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(rec).toMatchObject({ topic, partition: 0, offset: 0, key: 'a', value: 'b', headers: [{ key: 'h', value: 'x' }] });
    expect(typeof rec.timestamp).toBe('number');
  });

  it('follows rpk offset grammar', async () => {
    const input = Array.from({ length: 10 }, (_, i) => `v${i}`).join('\n') + '\n';
    const topic = await topicWith(1, input);
    const values = async (...args: string[]) => {
      const r = await cli(['consume', topic, ...args]);
      expect(r.code, r.stderr).toBe(0);
      return lines(r.stdout);
    };
    expect(await values('-o', 'start', '-e')).toEqual(input.trim().split('\n'));
    expect(await values('-o', '-3', '-e')).toEqual(['v7', 'v8', 'v9']);
    expect(await values('-o', '+2', '-c', '2')).toEqual(['v2', 'v3']);
    expect(await values('-o', '4:6')).toEqual(['v4', 'v5']);
    expect(await values('-o', ':3')).toEqual(['v0', 'v1', 'v2']);
    expect(await values('-o', '8', '-e', '-f', '%o:%s\\n')).toEqual(['8:v8', '9:v9']);
    expect(await values('-o', 'end', '-e')).toEqual([]);
    expect(await values('-o', '@-1h:end')).toHaveLength(10);
    expect(await values('-o', `@${Date.now() + 60_000}`, '-e')).toEqual([]);
    expect(await values('--from-beginning', '--max', '1')).toEqual(['v0']);
  }, 240_000);

  it('reads only the partitions asked for', async () => {
    const topic = await topicWith(2, 'a\nb\nc\n', '-p', '1');
    expect(lines((await cli(['consume', topic, '-e', '-p', '1'])).stdout)).toEqual(['a', 'b', 'c']);
    expect(lines((await cli(['consume', topic, '-e', '-p', '0'])).stdout)).toEqual([]);
  });

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    it(`produces with -z ${codec}`, async () => {
      const input = Array.from({ length: 200 }, (_, i) => `record-${i}-${'x'.repeat(i % 50)}`).join('\n') + '\n';
      const topic = await topicWith(1, input, '-z', codec, '--acks', '1');
      const r = await cli(['consume', topic, '-e']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(input);
    });
  }
});
