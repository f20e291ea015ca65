import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, createTopic, lines, randomName, runCli, startBroker, type CliTestBroker } from './run-cli.ts';

interface Report {
  state: string;
  members: { memberId: string; clientId: string; assignment: { topic: string; partitions: number[] }[] }[];
  totalLag: string;
  partitions: { topic: string; partition: number; currentOffset: string | null; logEndOffset: string | null; lag: string | null }[];
}

// Each test has its own topic and group; running them side by side overlaps the CLI processes' waits.
describe.concurrent('runnel group', () => {
  let broker: CliTestBroker;
  const cli = (args: string[], input?: string) => runCli([...args, '-b', broker.bootstrap], { input });

  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('commits, describes lag, and resets offsets', async () => {
    const topic = randomName('t');
    const group = randomName('g');
    await createTopic(broker.bootstrap, topic, 2);
    expect((await cli(['produce', topic, '-K', ':'], 'a:1\nb:2\nc:3\nd:4\ne:5\n')).code).toBe(0);

    const first = await cli(['consume', topic, '-g', group, '-e']);
    expect(first.code, first.stderr).toBe(0);
    expect(lines(first.stdout).sort()).toEqual(['1', '2', '3', '4', '5']);

    const described = await cli(['group', 'describe', group, '--format', 'json']);
    expect(described.code, described.stderr).toBe(0);
    const report = JSON.parse(described.stdout) as Report;
    expect(report.state).toBe('Empty');
    expect(report.totalLag).toBe('0');
    expect(report.partitions).toHaveLength(2);
    for (const p of report.partitions) {
      expect(p.lag).toBe('0');
      expect(p.currentOffset).toBe(p.logEndOffset);
    }
    const text = (await cli(['group', 'describe', group])).stdout;
    expect(text).toMatch(/TOTAL-LAG\s+0/);
    expect(text).toMatch(/TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG/);

    const list = await cli(['group', 'list']);
    expect(list.stdout).toMatch(new RegExp(`^${group}\\s+Empty\\s+consumer\\s+0$`, 'm'));

    // Nothing new: the group resumes at the end.
    expect(lines((await cli(['consume', topic, '-g', group, '-e'])).stdout)).toEqual([]);

    // Lag shows up when new records arrive.
    expect((await cli(['produce', topic, '-k', 'a'], 'six\n')).code).toBe(0);
    expect((JSON.parse((await cli(['group', 'describe', group, '--format', 'json'])).stdout) as Report).totalLag).toBe('1');
    expect(lines((await cli(['consume', topic, '-g', group, '-e'])).stdout)).toEqual(['six']);

    // Without --execute nothing changes.
    const dry = await cli(['group', 'reset-offsets', group, '--topic', topic, '--to-earliest']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/add --execute/);
    expect(dry.stdout).toMatch(/GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+NEW-OFFSET/);
    expect(lines(dry.stdout).slice(1).map((l) => l.split(/\s+/)[4])).toEqual(['0', '0']);
    expect(lines((await cli(['consume', topic, '-g', group, '-e'])).stdout)).toEqual([]);

    const exec = await cli(['group', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute']);
    expect(exec.code, exec.stderr).toBe(0);
    expect(lines((await cli(['consume', topic, '-g', group, '-e'])).stdout).sort()).toEqual(['1', '2', '3', '4', '5', 'six']);

    // --to-offset on one partition, --shift-by on all, --to-latest.
    const p0 = JSON.parse((await cli(['group', 'describe', group, '--format', 'json'])).stdout) as Report;
    const end0 = Number(p0.partitions.find((p) => p.partition === 0)?.logEndOffset);
    expect((await cli(['group', 'reset-offsets', group, '--topic', `${topic}:0`, '--to-offset', '0', '--execute'])).code).toBe(0);
    expect(lines((await cli(['consume', topic, '-g', group, '-e'])).stdout)).toHaveLength(end0);
    expect((await cli(['group', 'reset-offsets', group, '--all-topics', '--shift-by', '-1', '--execute'])).code).toBe(0);
    expect(lines((await cli(['consume', topic, '-g', group, '-e'])).stdout)).toHaveLength(2);
    const latest = await cli(['group', 'reset-offsets', group, '--all-topics', '--to-latest', '--dry-run', '--format', 'json']);
    expect((JSON.parse(latest.stdout) as unknown[]).length).toBe(2);
  }, 240_000);

  it('explains bad reset requests', async () => {
    const none = await cli(['group', 'reset-offsets', 'g', '--topic', 'x']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/choose --to-earliest, --to-latest/);
    const scope = await cli(['group', 'reset-offsets', 'g', '--to-earliest']);
    expect(scope.stderr).toMatch(/--topic TOPIC\[:PARTITIONS\].*--all-topics/);
    const missing = await cli(['group', 'describe', randomName('nogroup')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/consumer group '.*' does not exist/);
  });

  it('shows the members of a running group, refuses to reset it, and stops cleanly on SIGINT', async () => {
    const topic = randomName('t');
    const group = randomName('g');
    await createTopic(broker.bootstrap, topic, 2);
    const child = spawn(process.execPath, [BIN, 'consume', topic, '-g', group, '-b', broker.bootstrap], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      let report: Report | null = null;
      for (let i = 0; i < 60 && report?.state !== 'Stable'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const r = await cli(['group', 'describe', group, '--format', 'json']);
        if (r.code === 0) report = JSON.parse(r.stdout) as Report;
      }
      expect(report?.state).toBe('Stable');
      expect(report?.members).toHaveLength(1);
      expect(report?.members[0]).toMatchObject({ clientId: 'runnel-cli', assignment: [{ topic, partitions: [0, 1] }] });
      const text = (await cli(['group', 'describe', group])).stdout;
      expect(text).toMatch(/MEMBER-ID\s+CLIENT-ID\s+HOST\s+ASSIGNMENT/);
      expect(text).toContain(`${topic}:0,1`);

      const reset = await cli(['group', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute']);
      expect(reset.code).toBe(1);
      expect(reset.stderr).toMatch(/offsets can only be reset while group '.*' is inactive, but it is Stable with 1 member: stop its consumers first/);

      expect((await cli(['produce', topic, '-p', '1'], 'live\n')).code).toBe(0);
      for (let i = 0; i < 40 && !stdout.includes('live'); i++) await new Promise((r) => setTimeout(r, 250));
      expect(stdout).toBe('live\n');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    const after = JSON.parse((await cli(['group', 'describe', group, '--format', 'json'])).stdout) as Report;
    expect(after.state).toBe('Empty');
    expect(after.partitions.find((p) => p.partition === 1)).toMatchObject({ currentOffset: '1', lag: '0' });
  }, 120_000);
});
