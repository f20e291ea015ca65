/** Shared fixtures for coordinator tests. */
import { GroupCoordinator } from '../../../src/broker/group/coordinator.ts';
import type { GroupCoordinatorOptions } from '../../../src/broker/group/coordinator.ts';
import type { JoinGroupParams } from '../../../src/broker/group/types.ts';
import { FakeClock } from './fake-clock.ts';
import { MemoryGroupStore } from './memory-store.ts';

export function joinParams(over: Partial<JoinGroupParams> = {}): JoinGroupParams {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    requireKnownMemberId: false,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 10_000,
    sessionTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('sub') }],
    ...over,
  };
}

export async function startCoordinator(
  options: Partial<GroupCoordinatorOptions> = {},
  store = new MemoryGroupStore(),
  clock = new FakeClock(),
): Promise<{ coordinator: GroupCoordinator; store: MemoryGroupStore; clock: FakeClock }> {
  const coordinator = new GroupCoordinator({ store, clock, ...options });
  await coordinator.load();
  return { coordinator, store, clock };
}

/** Lets promise callbacks (store appends, awaited results) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

/** Tracks whether a promise has settled yet. */
export function track<T>(p: Promise<T>): { readonly done: boolean; readonly promise: Promise<T> } {
  const state = { done: false, promise: p };
  void p.then(() => (state.done = true));
  return state;
}
