/**
 * ListGroups v2 (API key 16): the same grammar as v1 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeListGroupsRequestV1, encodeListGroupsResponseV1 } from './list-groups-v1.ts';

export { decodeListGroupsRequestV1 as decodeListGroupsRequestV2, encodeListGroupsResponseV1 as encodeListGroupsResponseV2 };

export const listGroupsV2 = defineCodec(ApiKey.ListGroups, 2, decodeListGroupsRequestV1, encodeListGroupsResponseV1);
