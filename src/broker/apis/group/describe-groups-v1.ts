/**
 * DescribeGroups v1 (API key 15): the request is unchanged from v0; the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * DescribeGroups Request (Version: 1) => [groups]
 *   (as v0)
 *
 * DescribeGroups Response (Version: 1) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => (as v0)
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { DescribeGroupsResponse } from './describe-groups-types.ts';
import { decodeDescribeGroupsRequestV0, encodeDescribedGroupsV0 } from './describe-groups-v0.ts';

export { decodeDescribeGroupsRequestV0 as decodeDescribeGroupsRequestV1 };

export function encodeDescribeGroupsResponseV1(w: Writer, res: DescribeGroupsResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  encodeDescribedGroupsV0(w, res.groups);
}

export const describeGroupsV1 = defineCodec(ApiKey.DescribeGroups, 1, decodeDescribeGroupsRequestV0, encodeDescribeGroupsResponseV1);
