/**
 * Metadata v5 (apiKey 3): the request is v4's; the response adds each partition's offline
 * replicas. Grammar from Kafka's protocol guide:
 *
 *   Metadata Request (Version: 5) => [topics] allow_auto_topic_creation
 *     topics => name
 *       name => STRING
 *     allow_auto_topic_creation => BOOLEAN
 *
 *   Metadata Response (Version: 5) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *     throttle_time_ms => INT32
 *     brokers => node_id host port rack
 *       node_id => INT32
 *       host => STRING
 *       port => INT32
 *       rack => NULLABLE_STRING
 *     cluster_id => NULLABLE_STRING
 *     controller_id => INT32
 *     topics => error_code name is_internal [partitions]
 *       error_code => INT16
 *       name => STRING
 *       is_internal => BOOLEAN
 *       partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas]
 *         error_code => INT16
 *         partition_index => INT32
 *         leader_id => INT32
 *         replica_nodes => INT32
 *         isr_nodes => INT32
 *         offline_replicas => INT32
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import type {
  MetadataRequest,
  MetadataResponse,
  MetadataResponseBroker,
  MetadataResponsePartition,
  MetadataResponseTopic,
} from './metadata-types.ts';
import { metadataV4 } from './metadata-v4.ts';

function encodeBroker(w: Writer, b: MetadataResponseBroker): void {
  w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack ?? null);
}

function encodePartition(w: Writer, p: MetadataResponsePartition): void {
  w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
  w.array(p.replicaNodes, (w, id) => w.int32(id));
  w.array(p.isrNodes, (w, id) => w.int32(id));
  w.array(p.offlineReplicas ?? [], (w, id) => w.int32(id));
}

function encodeTopic(w: Writer, t: MetadataResponseTopic): void {
  w.int16(t.errorCode).string(t.name).bool(t.isInternal ?? false);
  w.array(t.partitions, encodePartition);
}

export const metadataV5: ApiVersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  version: 5,
  flexible: false,
  decodeRequest: metadataV4.decodeRequest,
  encodeResponse(w: Writer, res: MetadataResponse): void {
    w.int32(res.throttleTimeMs ?? 0);
    w.array(res.brokers, encodeBroker);
    w.nullableString(res.clusterId ?? null);
    w.int32(res.controllerId ?? -1);
    w.array(res.topics, encodeTopic);
  },
};
