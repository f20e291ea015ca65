/**
 * Every ApiDefinition this folder's tests cover, with the area folder its codec files live in.
 */
import type { ApiDefinition } from '../../../src/broker/apis/api.ts';
import { createPartitionsApi, createTopicsApi, deleteRecordsApi, deleteTopicsApi } from '../../../src/broker/apis/admin/index.ts';
import { apiVersionsApi, metadataApi } from '../../../src/broker/apis/cluster/index.ts';
import { alterConfigsApi, describeConfigsApi, incrementalAlterConfigsApi } from '../../../src/broker/apis/configs/index.ts';
import { fetchApi, listOffsetsApi } from '../../../src/broker/apis/fetch/index.ts';
import { initProducerIdApi, produceApi } from '../../../src/broker/apis/produce/index.ts';
import { saslHandshakeApi } from '../../../src/broker/apis/sasl/index.ts';
import { addOffsetsToTxnApi, addPartitionsToTxnApi, endTxnApi, txnOffsetCommitApi } from '../../../src/broker/apis/txn/index.ts';

export interface AreaApi {
  area: string;
  // The tests feed each codec values built from its grammar, so the type parameters do not matter here.
  api: ApiDefinition<never, never>;
}

function entry<Req, Res>(area: string, api: ApiDefinition<Req, Res>): AreaApi {
  return { area, api: api as unknown as ApiDefinition<never, never> };
}

export const allApis: AreaApi[] = [
  entry('cluster', apiVersionsApi),
  entry('cluster', metadataApi),
  entry('sasl', saslHandshakeApi),
  entry('produce', produceApi),
  entry('produce', initProducerIdApi),
  entry('fetch', fetchApi),
  entry('fetch', listOffsetsApi),
  entry('admin', createTopicsApi),
  entry('admin', deleteTopicsApi),
  entry('admin', createPartitionsApi),
  entry('admin', deleteRecordsApi),
  entry('configs', describeConfigsApi),
  entry('configs', alterConfigsApi),
  entry('configs', incrementalAlterConfigsApi),
  entry('txn', addPartitionsToTxnApi),
  entry('txn', addOffsetsToTxnApi),
  entry('txn', endTxnApi),
  entry('txn', txnOffsetCommitApi),
];

/** `ApiVersions` -> `api-versions`, the codec files' prefix. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
