/**
 * Durability across a crash: SIGKILL the platform while a librdkafka producer writes with
 * acks=all; after a restart every acknowledged record is there exactly once and in order.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientsDir, debianPython, randomTopic, run } from '../helpers/broker.ts';
import { startPlatformProcess } from '../helpers/platform-process.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('crash recovery', () => {
  it('keeps every record acknowledged with acks=all across SIGKILL, exactly once and in order', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'runnel-crash-'));
    dirs.push(dataDir);
    const first = await startPlatformProcess(['--data-dir', dataDir, '--kafka-port', '0', '--log-level', 'warn']);
    const bootstrap = first.endpoints.kafka;
    const topic = randomTopic('crash');

    const producer = spawn(debianPython, [clientsDir + 'crash_producer.py', bootstrap, topic, '1000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: [number, number][] = [];
    let buffered = '';
    producer.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) {
        const [seq, offset] = l.split(' ').map(Number);
        acked.push([seq, offset]);
      }
    });
    // Let the producer get going, then kill the platform mid-stream.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (acked.length >= 20_000) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    producer.kill('SIGKILL');
    await new Promise((r) => producer.once('exit', r));
    const ackedCount = acked.length;
    expect(ackedCount).toBeGreaterThanOrEqual(20_000);

    const port = bootstrap.split(':')[1];
    const second = await startPlatformProcess(['--data-dir', dataDir, '--kafka-port', port, '--log-level', 'warn']);
    try {
      const res = await run('kcat', ['-b', second.endpoints.kafka, '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%o %s\n'], { timeoutMs: 120_000 });
      expect(res.code).toBe(0);
      const stored = res.stdout
        .split('\n')
        .filter((l) => l)
        .map((l) => {
          const [offset, value] = l.split(' ');
          return [Number(offset), Number(value.slice(4))] as [number, number];
        });
      // Offsets are dense and values strictly increase: nothing doubled, nothing reordered.
      stored.forEach(([offset], i) => expect(offset).toBe(i));
      for (let i = 1; i < stored.length; i++) expect(stored[i][1]).toBeGreaterThan(stored[i - 1][1]);
      // Every acknowledged record is there at the offset it was acknowledged with.
      const valueAt = new Map(stored.map(([o, v]) => [o, v]));
      for (const [seq, offset] of acked.slice(0, ackedCount)) expect(valueAt.get(offset)).toBe(seq);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
