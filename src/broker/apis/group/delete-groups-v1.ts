/**
 * DeleteGroups v1 (API key 42): the same grammar as v0 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeDeleteGroupsRequestV0, encodeDeleteGroupsResponseV0 } from './delete-groups-v0.ts';

export { decodeDeleteGroupsRequestV0 as decodeDeleteGroupsRequestV1, encodeDeleteGroupsResponseV0 as encodeDeleteGroupsResponseV1 };

export const deleteGroupsV1 = defineCodec(ApiKey.DeleteGroups, 1, decodeDeleteGroupsRequestV0, encodeDeleteGroupsResponseV0);
