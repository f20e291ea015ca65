/** ApiVersions and Metadata. */
import type { Broker } from '../broker.ts';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes.ts';
import type {
  ApiVersionsRequest,
  ApiVersionsResponse,
  MetadataRequest,
  MetadataResponse,
  MetadataResponseTopic,
} from '../apis/cluster/index.ts';
import { authorizedOperationsUnset } from '../apis/cluster/index.ts';
import type { RequestContext } from '../dispatcher.ts';
import type { Topic } from '../topic-manager.ts';

export function handleApiVersions(broker: Broker) {
  return async (_req: ApiVersionsRequest): Promise<ApiVersionsResponse> => ({
    errorCode: ErrorCode.NONE,
    apiKeys: broker.dispatcher.ranges(),
    throttleTimeMs: 0,
  });
}

function describeTopic(broker: Broker, topic: Topic): MetadataResponseTopic {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    isInternal: topic.internal,
    partitions: topic.partitions.map((_, p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: broker.nodeId,
      leaderEpoch: 0,
      replicaNodes: [broker.nodeId],
      isrNodes: [broker.nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: authorizedOperationsUnset,
  };
}

export function handleMetadata(broker: Broker) {
  return async (req: MetadataRequest, _ctx: RequestContext): Promise<MetadataResponse> => {
    let topics: MetadataResponseTopic[];
    if (req.topics === null) {
      topics = broker.topics.list().map((t) => describeTopic(broker, t));
    } else {
      const autoCreate = broker.options.autoCreateTopics && (req.allowAutoTopicCreation ?? true);
      topics = await Promise.all(
        req.topics.map(async ({ name }): Promise<MetadataResponseTopic> => {
          const existing = broker.topics.get(name);
          if (existing) return describeTopic(broker, existing);
          if (!autoCreate) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] };
          try {
            return describeTopic(broker, await broker.topics.getOrCreate(name, broker.options.defaultPartitions));
          } catch (err) {
            const code = err instanceof KafkaProtocolError ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
            return { errorCode: code, name, isInternal: false, partitions: [] };
          }
        }),
      );
    }
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: broker.nodeId, ...broker.advertised, rack: null }],
      clusterId: broker.clusterId,
      controllerId: broker.nodeId,
      topics,
      clusterAuthorizedOperations: authorizedOperationsUnset,
    };
  };
}
