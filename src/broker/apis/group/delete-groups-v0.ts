/**
 * DeleteGroups v0 (API key 42). Kafka grammar:
 *
 * DeleteGroups Request (Version: 0) => [groups_names]
 *   groups_names => STRING
 *
 * DeleteGroups Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => group_id error_code
 *     group_id => STRING
 *     error_code => INT16
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from './delete-groups-types.ts';

export function decodeDeleteGroupsRequestV0(r: Reader): DeleteGroupsRequest {
  const groupsNames = r.array((r) => r.string());
  return { groupsNames };
}

export function encodeDeleteGroupsResponseV0(w: Writer, res: DeleteGroupsResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.results, (w, g) => {
    w.string(g.groupId);
    w.int16(g.errorCode);
  });
}

export const deleteGroupsV0 = defineCodec(ApiKey.DeleteGroups, 0, decodeDeleteGroupsRequestV0, encodeDeleteGroupsResponseV0);
