/**
 * Metadata v0 (apiKey 3). Grammar from Kafka's protocol guide:
 *
 *   Metadata Request (Version: 0) => [topics]
 *     topics => name
 *       name => STRING
 *
 *   Metadata Response (Version: 0) => [brokers] [topics]
 *     brokers => node_id host port
 *       node_id => INT32
 *       host => STRING
 *       port => INT32
 *     topics => error_code name [partitions]
 *       error_code => INT16
 *       name => STRING
 *       partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *         error_code => INT16
 *         partition_index => INT32
 *         leader_id => INT32
 *         replica_nodes => INT32
 *         isr_nodes => INT32
 *
 * In v0 an empty topics array asks for all topics; the decoder answers that with `topics: null`,
 * which is how v1+ say it.
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  MetadataRequest,
  MetadataRequestTopic,
  MetadataResponse,
  MetadataResponseBroker,
  MetadataResponsePartition,
  MetadataResponseTopic,
} from './metadata-types.ts';

function decodeTopic(r: Reader): MetadataRequestTopic {
  return { name: r.string() };
}

function encodeBroker(w: Writer, b: MetadataResponseBroker): void {
  w.int32(b.nodeId).string(b.host).int32(b.port);
}

function encodePartition(w: Writer, p: MetadataResponsePartition): void {
  w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
  w.array(p.replicaNodes, (w, id) => w.int32(id));
  w.array(p.isrNodes, (w, id) => w.int32(id));
}

function encodeTopic(w: Writer, t: MetadataResponseTopic): void {
  w.int16(t.errorCode).string(t.name);
  w.array(t.partitions, encodePartition);
}

export const metadataV0: ApiVersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): MetadataRequest {
    const topics = r.array(decodeTopic);
    return { topics: topics.length === 0 ? null : topics };
  },
  encodeResponse(w: Writer, res: MetadataResponse): void {
    w.array(res.brokers, encodeBroker);
    w.array(res.topics, encodeTopic);
  },
};
