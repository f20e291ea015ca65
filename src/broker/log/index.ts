/**
 * The durable per-partition log: segments of RecordBatch v2 bytes with Kafka's file layout,
 * sparse indexes, idempotent-producer dedup, crash recovery, retention and compaction, and the
 * topic-config table that drives them.
 */
export {
  PartitionLog,
  verifyRecordKeys,
  readBytesMax,
  appendBatchesMax,
  loadedIndexSegmentsMax,
  type AppendResult,
  type ReadResult,
  type OpenOptions,
  type RecoveryInfo,
  type CompactionHalt,
} from './partition-log.ts';
export {
  parseTopicConfigs,
  describeTopicConfigs,
  validateTopicConfig,
  defaultLogConfig,
  topicConfigDefs,
  acceptedNotActedOn,
  configTypeCode,
  InvalidConfigError,
  type LogConfig,
  type ConfigType,
  type DescribedConfig,
  type TopicConfigDef,
} from './config.ts';
export { CompactionHaltedError, offsetMapBytesMax } from './compactor.ts';
export { producerBatchesRemembered, producersMax } from './producer-state.ts';
