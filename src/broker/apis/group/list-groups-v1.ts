/**
 * ListGroups v1 (API key 16): the request is unchanged (empty); the response adds
 * throttle_time_ms. Kafka grammar:
 *
 * ListGroups Request (Version: 1) =>
 *
 * ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { ListGroupsResponse } from './list-groups-types.ts';
import { decodeListGroupsRequestV0, encodeListedGroups } from './list-groups-v0.ts';

export { decodeListGroupsRequestV0 as decodeListGroupsRequestV1 };

export function encodeListGroupsResponseV1(w: Writer, res: ListGroupsResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.int16(res.errorCode);
  encodeListedGroups(w, res.groups);
}

export const listGroupsV1 = defineCodec(ApiKey.ListGroups, 1, decodeListGroupsRequestV0, encodeListGroupsResponseV1);
