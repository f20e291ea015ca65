#!/usr/bin/env node
// Entry point of the `runnel` command. The sources are TypeScript, loaded through tsx's
// loader so that `npm install` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
