/**
 * DeleteRecords (apiKey 21): the version-independent request and response, with the spec's field
 * names (DeleteRecordsRequest.json / DeleteRecordsResponse.json) in camelCase. It moves a
 * partition's log start offset forward.
 */

export interface DeleteRecordsPartition {
  partitionIndex: number;
  /** Delete everything before this offset; -1 means the high watermark. */
  offset: bigint;
}

export interface DeleteRecordsTopic {
  name: string;
  partitions: DeleteRecordsPartition[];
}

export interface DeleteRecordsRequest {
  topics: DeleteRecordsTopic[];
  timeoutMs: number;
}

export interface DeleteRecordsPartitionResult {
  partitionIndex: number;
  /** The new log start offset. */
  lowWatermark: bigint;
  errorCode: number;
}

export interface DeleteRecordsTopicResult {
  name: string;
  partitions: DeleteRecordsPartitionResult[];
}

export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: DeleteRecordsTopicResult[];
}
