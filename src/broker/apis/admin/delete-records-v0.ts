/**
 * DeleteRecords v0 (apiKey 21). Grammar from Kafka's protocol guide:
 *
 *   DeleteRecords Request (Version: 0) => [topics] timeout_ms
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index offset
 *         partition_index => INT32
 *         offset => INT64
 *     timeout_ms => INT32
 *
 *   DeleteRecords Response (Version: 0) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index low_watermark error_code
 *         partition_index => INT32
 *         low_watermark => INT64
 *         error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  DeleteRecordsPartition,
  DeleteRecordsPartitionResult,
  DeleteRecordsRequest,
  DeleteRecordsResponse,
  DeleteRecordsTopic,
  DeleteRecordsTopicResult,
} from './delete-records-types.ts';

function decodePartition(r: Reader): DeleteRecordsPartition {
  const partitionIndex = r.int32();
  const offset = r.int64();
  return { partitionIndex, offset };
}

function decodeTopic(r: Reader): DeleteRecordsTopic {
  const name = r.string();
  const partitions = r.array(decodePartition);
  return { name, partitions };
}

function encodePartition(w: Writer, p: DeleteRecordsPartitionResult): void {
  w.int32(p.partitionIndex).int64(p.lowWatermark).int16(p.errorCode);
}

function encodeTopic(w: Writer, t: DeleteRecordsTopicResult): void {
  w.string(t.name);
  w.array(t.partitions, encodePartition);
}

export const deleteRecordsV0: ApiVersionCodec<DeleteRecordsRequest, DeleteRecordsResponse> = {
  apiKey: ApiKey.DeleteRecords,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): DeleteRecordsRequest {
    const topics = r.array(decodeTopic);
    const timeoutMs = r.int32();
    return { topics, timeoutMs };
  },
  encodeResponse(w: Writer, res: DeleteRecordsResponse): void {
    w.int32(res.throttleTimeMs);
    w.array(res.topics, encodeTopic);
  },
};
