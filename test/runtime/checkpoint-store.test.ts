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
    const cp = again.get('s1')![0]!;
    expect(cp.id).toBe(2);
    expect(cp.sourceOffsets).toEqual({ a: { 0: '20' } });
    expect([...cp.operatorStates['1:Agg']]).toEqual([...big.subarray(0, 100)]);
    expect(cp.transaction).toBeNull();
    await again.delete('s1');
    expect((await CheckpointStore.open(env.topics)).get('s1')).toBeUndefined();
  });

  it('keeps each pipeline\'s pre-committed transaction and pipelines without a checkpoint yet; concurrent puts land whole, in call order', async () => {
    const store = await CheckpointStore.open(env.topics);
    const state = new Uint8Array(600 * 1024).map((_, i) => i % 13);
    const transaction = { transactionalId: 'runnel-s2-0-1', producerId: 9007199254740993n, producerEpoch: 4 };
    const first = store.put('s2', [{ id: 1, sourceOffsets: {}, operatorStates: { big: state } }, null]);
    const second = store.put('s2', [{ id: 2, sourceOffsets: {}, operatorStates: { small: state.subarray(0, 10) }, transaction }, null]);
    await Promise.all([first, second]);
    const [cp, none] = (await CheckpointStore.open(env.topics)).get('s2')!;
    expect(none).toBeNull();
    expect(cp!.id).toBe(2);
    expect(cp!.transaction).toEqual(transaction);
    expect([...cp!.operatorStates.small]).toEqual([...state.subarray(0, 10)]);
  });
});
