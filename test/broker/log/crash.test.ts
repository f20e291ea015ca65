import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { crashWriterConfig, records, tempDir } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * Runs the writer until it has acknowledged `acksWanted` appends, then SIGKILLs it. Resolves to
 * the acknowledged offsets and the last count of rolls that reused a file it printed.
 */
function runAndKill(dir: string, acksWanted: number, recycle = false): Promise<bigint[] & { recycled?: number }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', path.join(here, 'crash-writer.ts'), dir, ...(recycle ? ['recycle'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: bigint[] & { recycled?: number } = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ack ')) acks.push(BigInt(line.split(' ')[1]));
        if (line.startsWith('recycled ')) acks.recycled = Number(line.split(' ')[1]);
      }
      if (!killed && acks.length >= acksWanted) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`writer exited on its own: ${stderr}`))));
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged offset exactly once, in order, after SIGKILL', async () => {
    const d = tempDir();
    dirs.push(d);
    const acked: bigint[] = [];
    for (let round = 0; round < 2; round++) acked.push(...(await runAndKill(d, 400 + round * 200)));
    const log = await PartitionLog.open(d, crashWriterConfig(false));
    expect(log.recovery.cleanShutdown).toBe(false);
    const offsets: bigint[] = [];
    let offset = 0n;
    for (let guard = 0; offset < log.logEndOffset && guard < 100_000; guard++) {
      const recs = await records(log.read(offset, 1 << 20).data);
      for (const r of recs) if (r.offset >= offset) offsets.push(r.offset);
      offset = recs[recs.length - 1].offset + 1n;
    }
    expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => BigInt(i)));
    const present = new Set(offsets);
    for (const a of acked) expect(present.has(a)).toBe(true);
    expect(new Set(acked).size).toBe(acked.length);
    expect(log.segmentCount()).toBeGreaterThan(1);
    await log.close();
  }, 60_000);

  it('keeps every acknowledged offset past the log start when rolls overwrite files retention deleted', async () => {
    const d = tempDir();
    dirs.push(d);
    const acked: bigint[] = [];
    let recycled = 0;
    for (let round = 0; round < 3; round++) {
      const got = await runAndKill(d, 500 + round * 150, true);
      acked.push(...got);
      recycled += got.recycled ?? 0;
    }
    // Segments were reused while the writer ran, so kills hit logs whose files held old batches.
    expect(recycled).toBeGreaterThan(0);
    const log = await PartitionLog.open(d, crashWriterConfig(true));
    expect(log.recovery.cleanShutdown).toBe(false);
    const start = log.logStartOffset;
    expect(start).toBeGreaterThan(0n);
    const offsets: bigint[] = [];
    let offset = start;
    for (let guard = 0; offset < log.logEndOffset && guard < 100_000; guard++) {
      const recs = await records(log.read(offset, 1 << 20).data);
      for (const r of recs) if (r.offset >= offset) offsets.push(r.offset);
      offset = recs[recs.length - 1].offset + 1n;
    }
    expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => start + BigInt(i)));
    const present = new Set(offsets);
    for (const a of acked) if (a >= start) expect(present.has(a)).toBe(true);
    expect(acked.filter((a) => a >= start).length).toBeGreaterThan(0);
    expect(new Set(acked).size).toBe(acked.length);
    await log.close();
  }, 90_000);
});
