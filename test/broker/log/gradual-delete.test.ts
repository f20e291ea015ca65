import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gradualDeleteStepBytes, removeDirGradually, unlinkGradually } from '../../../src/broker/log/files.ts';
import { tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A sparse file of `bytes` (nothing written: the test measures steps, not the disk). */
function sparse(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, bytes);
  fs.closeSync(fd);
}

describe('gradual deletion', () => {
  it('shrinks a large file a step at a time before unlinking it, one file at a time', async () => {
    const d = tempDir();
    dirs.push(d);
    const a = path.join(d, 'a.log');
    const b = path.join(d, 'b.log');
    sparse(a, 2 * gradualDeleteStepBytes + 1000);
    sparse(b, gradualDeleteStepBytes + 5);
    const sizes = new Set<number>();
    const done = Promise.all([unlinkGradually(a), unlinkGradually(b)]);
    let bTouchedWhileA = false;
    for (let i = 0; i < 400 && fs.existsSync(a); i++) {
      try {
        sizes.add(fs.statSync(a).size);
      } catch {
        break;
      }
      if (fs.statSync(b).size !== gradualDeleteStepBytes + 5) bTouchedWhileA = true;
      await new Promise((r) => setTimeout(r, 10));
    }
    await done;
    expect([...sizes].sort((x, y) => y - x)).toEqual(expect.arrayContaining([gradualDeleteStepBytes + 1000, 1000]));
    expect(bTouchedWhileA).toBe(false);
    expect(fs.existsSync(a)).toBe(false);
    expect(fs.existsSync(b)).toBe(false);
    await expect(unlinkGradually(path.join(d, 'missing.log'))).resolves.toBeUndefined();
  });

  it('removes a directory tree', async () => {
    const d = tempDir();
    dirs.push(d);
    const top = path.join(d, 'topic-0.x-delete');
    fs.mkdirSync(path.join(top, 'sub'), { recursive: true });
    sparse(path.join(top, '00000000000000000000.log'), gradualDeleteStepBytes + 1);
    fs.writeFileSync(path.join(top, '00000000000000000000.index'), 'x');
    fs.writeFileSync(path.join(top, 'sub', 'f'), 'y');
    await removeDirGradually(top);
    expect(fs.existsSync(top)).toBe(false);
    await expect(removeDirGradually(top)).resolves.toBeUndefined();
  });
});
