/**
 * The group coordinator module: Kafka's classic consumer-group protocol and committed offsets,
 * persisted to `__consumer_offsets` through a {@link GroupStore}, plus one handler per group API.
 */
export { GroupCoordinator } from './coordinator.ts';
export type { GroupCoordinatorOptions, GroupLogger } from './coordinator.ts';
export type { GroupRecord, GroupStore } from './group-store.ts';
export type { Clock, TimerHandle } from './clock.ts';
export { systemClock } from './clock.ts';
export { GroupState } from './types.ts';
export type * from './types.ts';
export type { OffsetAndMetadata } from './records.ts';
export * from './handlers/index.ts';
