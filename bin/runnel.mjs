#!/usr/bin/env -S node --initial-old-space-size=64
// Entry point of the `runnel` command. The sources are TypeScript, loaded through tsx's
// loader so that `npm install` needs no build step.
//
// --initial-old-space-size=64: the broker's JS heap is ~10 MB, so V8's old-generation limit
// stayed ~25 MB, within one new-space capacity of the live size, and a consumer reading at
// 400-600 MB/s triggered a full mark-compact every ~35 ms (7 in 0.7 s, ~25% of the time in GC).
// With a 64 MB initial old space: none (GC 277 -> 96 ms); produce was unchanged. It only takes
// effect at start-up (v8.setFlagsFromString later does not), hence here and in the npm scripts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
