import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../src/runtime/checkpoint-store.ts';
import { startEnv, type Env } from '../connectors/kafka/helpers.ts';

describe('CheckpointStore', () => {
  let env: Env;
  beforeAll(async () => { env = await startEnv(); });
  afterAll(async () => { await env.stop(); });

  it('stores checkpoints larger than a record in parts, replaces them by generation, and reads them after a reopen', async () => {
    const store = await CheckpointStore.open(env.topics);
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    await store.put('s1', [{ id: 1, sourceOffsets: { 'a': { 0: '10' } }, operatorStates: { '1:Agg': big } }]);
    await store.put('s1', [{ id: 2, sourceOffsets: { 'a': { 0: '20' } }, operatorStates: { '1:Agg': big.subarray(0, 100) } }]);
    const again = await CheckpointStore.open(env.topics);
    const [cp] = again.get('s1')!;
    expect(cp.id).toBe(2);
    expect(cp.sourceOffsets).toEqual({ a: { 0: '20' } });
    expect([...cp.operatorStates['1:Agg']]).toEqual([...big.subarray(0, 100)]);
    await again.delete('s1');
    expect((await CheckpointStore.open(env.topics)).get('s1')).toBeUndefined();
  });
});
