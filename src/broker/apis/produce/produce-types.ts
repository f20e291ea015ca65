/**
 * Produce (apiKey 0): the version-independent request and response, with the spec's field names
 * (ProduceRequest.json / ProduceResponse.json) in camelCase. Runnel implements v3-v7, the
 * versions that carry RecordBatch v2.
 */

export interface PartitionProduceData {
  index: number;
  /** The record batches as sent, not decoded (a view into the request buffer); null if the client sent none. */
  records: Buffer | null;
}

export interface TopicProduceData {
  name: string;
  partitionData: PartitionProduceData[];
}

export interface ProduceRequest {
  transactionalId: string | null;
  /** 0: no response; 1: the leader's write; -1: the full in-sync replica set. */
  acks: number;
  timeoutMs: number;
  topicData: TopicProduceData[];
}

export interface PartitionProduceResponse {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  /** The timestamp the broker gave the batch when the topic uses LogAppendTime, else -1. */
  logAppendTimeMs: bigint;
  /** v5+; -1 when absent. */
  logStartOffset?: bigint;
}

export interface TopicProduceResponse {
  name: string;
  partitionResponses: PartitionProduceResponse[];
}

export interface ProduceResponse {
  responses: TopicProduceResponse[];
  throttleTimeMs: number;
}
