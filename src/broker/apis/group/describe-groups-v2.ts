/**
 * DescribeGroups v2 (API key 15): the same grammar as v1 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeDescribeGroupsRequestV1, encodeDescribeGroupsResponseV1 } from './describe-groups-v1.ts';

export { decodeDescribeGroupsRequestV1 as decodeDescribeGroupsRequestV2, encodeDescribeGroupsResponseV1 as encodeDescribeGroupsResponseV2 };

export const describeGroupsV2 = defineCodec(ApiKey.DescribeGroups, 2, decodeDescribeGroupsRequestV1, encodeDescribeGroupsResponseV1);
