/**
 * Registers every API the broker implements with its dispatcher. The set registered here is
 * exactly what ApiVersions advertises.
 */
import type { Broker } from '../broker.ts';
import type { RequestContext } from '../dispatcher.ts';
import { apiVersionsApi, metadataApi } from '../apis/cluster/index.ts';
import { initProducerIdApi, produceApi } from '../apis/produce/index.ts';
import { fetchApi, listOffsetsApi } from '../apis/fetch/index.ts';
import { createPartitionsApi, createTopicsApi, deleteRecordsApi, deleteTopicsApi } from '../apis/admin/index.ts';
import { alterConfigsApi, describeConfigsApi, incrementalAlterConfigsApi } from '../apis/configs/index.ts';
import { saslHandshakeApi } from '../apis/sasl/index.ts';
import {
  deleteGroupsApi,
  describeGroupsApi,
  findCoordinatorApi,
  heartbeatApi,
  joinGroupApi,
  leaveGroupApi,
  listGroupsApi,
  offsetCommitApi,
  offsetFetchApi,
  syncGroupApi,
} from '../apis/group/index.ts';
import {
  handleDeleteGroups,
  handleDescribeGroups,
  handleFindCoordinator,
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleListGroups,
  handleOffsetCommit,
  handleOffsetFetch,
  handleSyncGroup,
  type GroupRequestContext,
} from '../group/index.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import { handleApiVersions, handleMetadata } from './cluster.ts';
import { handleInitProducerId, handleProduce } from './produce.ts';
import { handleFetch, handleListOffsets } from './fetch.ts';
import { addOffsetsToTxnApi, addPartitionsToTxnApi, endTxnApi, txnOffsetCommitApi } from '../apis/txn/index.ts';
import { handleAddOffsetsToTxn, handleAddPartitionsToTxn, handleEndTxn, handleTxnOffsetCommit } from './txn.ts';
import { handleCreatePartitions, handleCreateTopics, handleDeleteRecords, handleDeleteTopics } from './admin.ts';
import { handleAlterConfigs, handleDescribeConfigs, handleIncrementalAlterConfigs } from './configs.ts';

function groupContext(ctx: RequestContext): GroupRequestContext {
  const host = ctx.connection.remoteAddress.replace(/:\d+$/, '');
  return { clientId: ctx.clientId, clientHost: `/${host}`, apiVersion: ctx.apiVersion };
}

export function registerHandlers(broker: Broker): void {
  const d = broker.dispatcher;
  const groups = broker.groups;
  d.register(produceApi, handleProduce(broker));
  d.register(fetchApi, handleFetch(broker));
  d.register(listOffsetsApi, handleListOffsets(broker));
  d.register(metadataApi, handleMetadata(broker));
  d.register(offsetCommitApi, (req, ctx) =>
    handleOffsetCommit(groups, req, {
      ...groupContext(ctx),
      partitionExists: (topic, partition) => broker.topics.partition(topic, partition) !== undefined,
    }),
  );
  d.register(offsetFetchApi, (req, ctx) => handleOffsetFetch(groups, req, groupContext(ctx)));
  d.register(findCoordinatorApi, (req, ctx) =>
    handleFindCoordinator(groups, req, { ...groupContext(ctx), node: { nodeId: broker.nodeId, ...broker.advertised } }),
  );
  d.register(joinGroupApi, (req, ctx) => handleJoinGroup(groups, req, groupContext(ctx)));
  d.register(heartbeatApi, (req, ctx) => handleHeartbeat(groups, req, groupContext(ctx)));
  d.register(leaveGroupApi, (req, ctx) => handleLeaveGroup(groups, req, groupContext(ctx)));
  d.register(syncGroupApi, (req, ctx) => handleSyncGroup(groups, req, groupContext(ctx)));
  d.register(describeGroupsApi, (req, ctx) => handleDescribeGroups(groups, req, groupContext(ctx)));
  d.register(listGroupsApi, (req, ctx) => handleListGroups(groups, req, groupContext(ctx)));
  d.register(saslHandshakeApi, async () => ({ errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [] }));
  d.register(apiVersionsApi, handleApiVersions(broker));
  d.register(createTopicsApi, handleCreateTopics(broker));
  d.register(deleteTopicsApi, handleDeleteTopics(broker));
  d.register(deleteRecordsApi, handleDeleteRecords(broker));
  d.register(initProducerIdApi, handleInitProducerId(broker));
  d.register(describeConfigsApi, handleDescribeConfigs(broker));
  d.register(alterConfigsApi, handleAlterConfigs(broker));
  d.register(createPartitionsApi, handleCreatePartitions(broker));
  d.register(deleteGroupsApi, (req, ctx) => handleDeleteGroups(groups, req, groupContext(ctx)));
  d.register(incrementalAlterConfigsApi, handleIncrementalAlterConfigs(broker));
  d.register(addPartitionsToTxnApi, handleAddPartitionsToTxn(broker));
  d.register(addOffsetsToTxnApi, handleAddOffsetsToTxn(broker));
  d.register(endTxnApi, handleEndTxn(broker));
  d.register(txnOffsetCommitApi, handleTxnOffsetCommit(broker));
}
