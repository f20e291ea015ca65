/**
 * ListGroups v0 (API key 16). Kafka grammar:
 *
 * ListGroups Request (Version: 0) =>
 *
 * ListGroups Response (Version: 0) => error_code [groups]
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { ListGroupsRequest, ListGroupsResponse, ListedGroup } from './list-groups-types.ts';

export function decodeListGroupsRequestV0(_r: Reader): ListGroupsRequest {
  return {};
}

/** Writes the groups array (unchanged through v2). */
export function encodeListedGroups(w: Writer, groups: readonly ListedGroup[]): void {
  w.array(groups, (w, g) => {
    w.string(g.groupId);
    w.string(g.protocolType);
  });
}

export function encodeListGroupsResponseV0(w: Writer, res: ListGroupsResponse): void {
  w.int16(res.errorCode);
  encodeListedGroups(w, res.groups);
}

export const listGroupsV0 = defineCodec(ApiKey.ListGroups, 0, decodeListGroupsRequestV0, encodeListGroupsResponseV0);
