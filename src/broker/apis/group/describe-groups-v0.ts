/**
 * DescribeGroups v0 (API key 15). Kafka grammar:
 *
 * DescribeGroups Request (Version: 0) => [groups]
 *   groups => STRING
 *
 * DescribeGroups Response (Version: 0) => [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { DescribedGroup, DescribeGroupsRequest, DescribeGroupsResponse } from './describe-groups-types.ts';

export function decodeDescribeGroupsRequestV0(r: Reader): DescribeGroupsRequest {
  const groups = r.array((r) => r.string());
  return { groups };
}

/** Writes the groups array of v0-v2. */
export function encodeDescribedGroupsV0(w: Writer, groups: readonly DescribedGroup[]): void {
  w.array(groups, (w, g) => {
    w.int16(g.errorCode);
    w.string(g.groupId);
    w.string(g.groupState);
    w.string(g.protocolType);
    w.string(g.protocolData);
    w.array(g.members, (w, m) => {
      w.string(m.memberId);
      w.string(m.clientId);
      w.string(m.clientHost);
      w.bytes(m.memberMetadata);
      w.bytes(m.memberAssignment);
    });
  });
}

export function encodeDescribeGroupsResponseV0(w: Writer, res: DescribeGroupsResponse): void {
  encodeDescribedGroupsV0(w, res.groups);
}

export const describeGroupsV0 = defineCodec(ApiKey.DescribeGroups, 0, decodeDescribeGroupsRequestV0, encodeDescribeGroupsResponseV0);
