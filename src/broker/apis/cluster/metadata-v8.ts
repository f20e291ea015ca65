/**
 * Metadata v8 (apiKey 3): the request can ask for authorized operations, which the response
 * carries per topic and for the cluster. Grammar from Kafka's protocol guide:
 *
 *   Metadata Request (Version: 8) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations
 *     topics => name
 *       name => STRING
 *     allow_auto_topic_creation => BOOLEAN
 *     include_cluster_authorized_operations => BOOLEAN
 *     include_topic_authorized_operations => BOOLEAN
 *
 *   Metadata Response (Version: 8) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations
 *     throttle_time_ms => INT32
 *     brokers => node_id host port rack
 *       node_id => INT32
 *       host => STRING
 *       port => INT32
 *       rack => NULLABLE_STRING
 *     cluster_id => NULLABLE_STRING
 *     controller_id => INT32
 *     topics => error_code name is_internal [partitions] topic_authorized_operations
 *       error_code => INT16
 *       name => STRING
 *       is_internal => BOOLEAN
 *       partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
 *         error_code => INT16
 *         partition_index => INT32
 *         leader_id => INT32
 *         leader_epoch => INT32
 *         replica_nodes => INT32
 *         isr_nodes => INT32
 *         offline_replicas => INT32
 *       topic_authorized_operations => INT32
 *     cluster_authorized_operations => INT32
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
import { authorizedOperationsUnset } from './metadata-types.ts';

function decodeTopic(r: Reader): MetadataRequestTopic {
  return { name: r.string() };
}

function encodeBroker(w: Writer, b: MetadataResponseBroker): void {
  w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack ?? null);
}

function encodePartition(w: Writer, p: MetadataResponsePartition): void {
  w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId).int32(p.leaderEpoch ?? -1);
  w.array(p.replicaNodes, (w, id) => w.int32(id));
  w.array(p.isrNodes, (w, id) => w.int32(id));
  w.array(p.offlineReplicas ?? [], (w, id) => w.int32(id));
}

function encodeTopic(w: Writer, t: MetadataResponseTopic): void {
  w.int16(t.errorCode).string(t.name).bool(t.isInternal ?? false);
  w.array(t.partitions, encodePartition);
  w.int32(t.topicAuthorizedOperations ?? authorizedOperationsUnset);
}

export const metadataV8: ApiVersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  version: 8,
  flexible: false,
  decodeRequest(r: Reader): MetadataRequest {
    const topics = r.nullableArray(decodeTopic);
    const allowAutoTopicCreation = r.bool();
    const includeClusterAuthorizedOperations = r.bool();
    const includeTopicAuthorizedOperations = r.bool();
    return { topics, allowAutoTopicCreation, includeClusterAuthorizedOperations, includeTopicAuthorizedOperations };
  },
  encodeResponse(w: Writer, res: MetadataResponse): void {
    w.int32(res.throttleTimeMs ?? 0);
    w.array(res.brokers, encodeBroker);
    w.nullableString(res.clusterId ?? null);
    w.int32(res.controllerId ?? -1);
    w.array(res.topics, encodeTopic);
    w.int32(res.clusterAuthorizedOperations ?? authorizedOperationsUnset);
  },
};
