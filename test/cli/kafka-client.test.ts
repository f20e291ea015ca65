import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, lines, randomName, runCli, runCommand, startBroker, type CliTestBroker } from './run-cli.ts';

function hasKcat(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v kcat']);
    return true;
  } catch {
    return false;
  }
}

// Each test has its own topic; running them side by side overlaps the CLI processes' waits.
describe.concurrent('runnel client flags and errors', () => {
  let broker: CliTestBroker;
  const cli = (args: string[], input?: string, env?: NodeJS.ProcessEnv) => runCli([...args, '-b', broker.bootstrap], { input, env });

  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('rejects an unknown -X property, naming the known ones', async () => {
    const r = await cli(['topic', 'list', '-X', 'bootstrap.server=x:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^runnel: unknown client property 'bootstrap.server' in -X bootstrap.server=x:1; known properties: bootstrap.servers, /);
  });

  it('prints the known properties for -X list', async () => {
    const r = await cli(['consume', 'whatever', '-X', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PROPERTY\s+SCOPE\s+MEANING\n/);
    expect(r.stdout).toMatch(/auto\.offset\.reset/);
  });

  it('accepts known -X properties and RUNNEL_BROKERS', async () => {
    const topic = randomName('t');
    expect((await cli(['topic', 'create', topic])).code).toBe(0);
    const p = await runCli(['produce', topic, '-X', 'client.id=cli-test', '-X', 'acks=all', '-X', 'compression.type=lz4'], { input: 'x\n', env: { RUNNEL_BROKERS: broker.bootstrap } });
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toBe(`runnel: produced 1 record to '${topic}'\n`);
    const c = await runCli(['consume', topic, '-e', '-X', 'fetch.wait.max.ms=100', '-X', 'bootstrap.servers=' + broker.bootstrap]);
    expect(c.stdout).toBe('x\n');
  });

  it('rejects a bad offset spec with the grammar', async () => {
    const r = await cli(['consume', 'any', '-o', 'yesterday']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^runnel: bad offset 'yesterday': 'yesterday' is not an offset; use start\|end\|\+N\|-N\|N/);
  });

  it('rejects a bad format token', async () => {
    const r = await cli(['consume', 'any', '-f', '%q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown format token '%q'/);
  });

  it('says when the topic to consume does not exist', async () => {
    const r = await cli(['consume', 'missing-topic', '-e']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("runnel: topic 'missing-topic' does not exist; create it with: runnel topic create missing-topic\n");
  });

  it('says when a partition does not exist', async () => {
    const topic = randomName('t');
    await createTopic(broker.bootstrap, topic, 2);
    const r = await cli(['produce', topic, '-p', '5'], 'x\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/topic '.*' has 2 partitions \(0\.\.1\); -p 5 does not exist/);
  });

  it('says how to reach a broker when none answers', async () => {
    const r = await runCli(['topic', 'list', '-b', '127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^runnel: cannot reach a Kafka broker at 127\.0\.0\.1:1 .*start one with 'runnel start', or point -b \/ RUNNEL_BROKERS at your cluster/);
  });

  it('rejects bad flag values through commander', async () => {
    const r = await cli(['produce', 'x', '-z', 'brotli']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Allowed choices are none, gzip, snappy, lz4, zstd/);
  });

  it.skipIf(!hasKcat())('interoperates with kcat both ways', async () => {
    const topic = randomName('t');
    await createTopic(broker.bootstrap, topic);
    expect((await cli(['produce', topic, '-K', ':', '-H', 'via=runnel'], 'k1:from-runnel\n')).code).toBe(0);
    const k = await runCommand('kcat', ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':', '-H', 'via=kcat', '-z', 'snappy'], { input: 'k2:from-kcat\n' });
    expect(k.code, k.stderr).toBe(0);
    const mine = await cli(['consume', topic, '-e', '-f', '%k %s %h\\n']);
    expect(lines(mine.stdout)).toEqual(['k1 from-runnel via=runnel', 'k2 from-kcat via=kcat']);
    const theirs = await runCommand('kcat', ['-b', broker.bootstrap, '-C', '-t', topic, '-e', '-f', '%k %s %h\\n']);
    expect(lines(theirs.stdout)).toEqual(['k1 from-runnel via=runnel', 'k2 from-kcat via=kcat']);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it.skipIf(!hasKcat())(`reads kcat's ${codec} batches, and kcat reads ours`, async () => {
      const topic = randomName('t');
      await createTopic(broker.bootstrap, topic);
      const input = Array.from({ length: 50 }, (_, i) => `${codec}-${i}-${'y'.repeat(i)}`);
      const k = await runCommand('kcat', ['-b', broker.bootstrap, '-P', '-t', topic, '-z', codec], { input: input.slice(0, 25).join('\n') + '\n' });
      expect(k.code, k.stderr).toBe(0);
      const p = await cli(['produce', topic, '-z', codec], input.slice(25).join('\n') + '\n');
      expect(p.code, p.stderr).toBe(0);
      expect(lines((await cli(['consume', topic, '-e'])).stdout)).toEqual(input);
      expect(lines((await runCommand('kcat', ['-b', broker.bootstrap, '-C', '-t', topic, '-e', '-q'])).stdout)).toEqual(input);
    });
  }
});
