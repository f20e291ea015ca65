/**
 * Metadata v1 (apiKey 3). Grammar from Kafka's protocol guide:
 *
 *   Metadata Request (Version: 1) => [topics]
 *     topics => name
 *       name => STRING
 *   (topics is nullable from v1: null asks for all topics, empty for none)
 *
 *   Metadata Response (Version: 1) => [brokers] controller_id [topics]
 *     brokers => node_id host port rack
 *       node_id => INT32
 *       host => STRING
 *       port => INT32
 *       rack => NULLABLE_STRING
 *     controller_id => INT32
 *     topics => error_code name is_internal [partitions]
 *       error_code => INT16
 *       name => STRING
 *       is_internal => BOOLEAN
 *       partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *         error_code => INT16
 *         partition_index => INT32
 *         leader_id => INT32
 *         replica_nodes => INT32
 *         isr_nodes => INT32
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
  w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack ?? null);
}

function encodePartition(w: Writer, p: MetadataResponsePartition): void {
  w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
  w.array(p.replicaNodes, (w, id) => w.int32(id));
  w.array(p.isrNodes, (w, id) => w.int32(id));
}

function encodeTopic(w: Writer, t: MetadataResponseTopic): void {
  w.int16(t.errorCode).string(t.name).bool(t.isInternal ?? false);
  w.array(t.partitions, encodePartition);
}

export const metadataV1: ApiVersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  version: 1,
  flexible: false,
  decodeRequest(r: Reader): MetadataRequest {
    return { topics: r.nullableArray(decodeTopic) };
  },
  encodeResponse(w: Writer, res: MetadataResponse): void {
    w.array(res.brokers, encodeBroker);
    w.int32(res.controllerId ?? -1);
    w.array(res.topics, encodeTopic);
  },
};
