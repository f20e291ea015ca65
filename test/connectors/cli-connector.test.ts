import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/broker.ts';
import { rest, startTestPlatform, waitFor, type TestPlatform } from './platform.ts';

const bin = new URL('../../bin/runnel.mjs', import.meta.url).pathname;

describe('runnel connector', () => {
  let p: TestPlatform;
  let dir: string;
  const runnel = (...args: string[]) => run(process.execPath, [bin, 'connector', ...args, '--connect', p.connectUrl], { timeoutMs: 30_000 });
  beforeAll(async () => {
    p = await startTestPlatform();
    dir = await mkdtemp(join(tmpdir(), 'runnel-cli-'));
  });
  afterAll(async () => {
    await p?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates, lists, shows, pauses, resumes, restarts, stops, edits offsets and deletes', async () => {
    const file = join(dir, 'gen.json');
    await writeFile(file, JSON.stringify({ name: 'gen', config: { 'connector.class': 'DatagenSource', 'kafka.topic': 'cli-orders', 'max.interval': '0', iterations: '100' } }));
    const created = await runnel('create', '-f', file);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe('created source connector gen with 1 task(s)\n');
    expect((await runnel('create', '-f', file)).stderr).toContain('Connector gen already exists');
    await waitFor(async () => ((await rest(p.connectUrl, 'GET', '/connectors/gen/status')).body as { tasks: { state: string }[] }).tasks[0]?.state === 'RUNNING');
    expect((await runnel('list')).stdout).toMatch(/^NAME\s+TYPE\s+STATE\s+TASKS\ngen\s+source\s+RUNNING\s+0:RUNNING\n$/);
    expect((await runnel('pause', 'gen')).stdout).toBe('paused gen\n');
    expect((await runnel('restart', 'gen')).stdout).toBe('restarted gen\n');
    expect((await runnel('restart', 'gen', '--include-tasks')).stdout).toContain('gen (source):');
    expect((await runnel('stop', 'gen')).stdout).toBe('stopped gen\n');
    await waitFor(async () => JSON.stringify((await rest(p.connectUrl, 'GET', '/connectors/gen/offsets')).body).includes('"iteration":99'));
    expect((await runnel('offsets', 'gen')).stdout).toContain('{"iteration":99}');
    expect((await runnel('offsets', 'gen', '--reset')).stdout).toBe('The offsets for this connector have been reset successfully\n');
    expect((await runnel('delete', 'gen')).stdout).toBe('deleted gen\n');
    const missing = await runnel('status', 'gen');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Connector gen not found');
  });
});
