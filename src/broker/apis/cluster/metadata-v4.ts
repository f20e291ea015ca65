/**
 * Metadata v4 (apiKey 3): the request adds allow_auto_topic_creation; the response is v3's.
 * Grammar from Kafka's protocol guide:
 *
 *   Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
 *     topics => name
 *       name => STRING
 *     allow_auto_topic_creation => BOOLEAN
 *
 *   Metadata Response (Version: 4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
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
import type { MetadataRequest, MetadataRequestTopic, MetadataResponse } from './metadata-types.ts';
import { metadataV3 } from './metadata-v3.ts';

function decodeTopic(r: Reader): MetadataRequestTopic {
  return { name: r.string() };
}

export const metadataV4: ApiVersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  version: 4,
  flexible: false,
  decodeRequest(r: Reader): MetadataRequest {
    const topics = r.nullableArray(decodeTopic);
    const allowAutoTopicCreation = r.bool();
    return { topics, allowAutoTopicCreation };
  },
  encodeResponse: metadataV3.encodeResponse,
};
