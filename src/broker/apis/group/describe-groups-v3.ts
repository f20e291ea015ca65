/**
 * DescribeGroups v3 (API key 15): the request may ask for authorized operations, which each
 * group of the response carries. Kafka grammar:
 *
 * DescribeGroups Request (Version: 3) => [groups] include_authorized_operations
 *   groups => STRING
 *   include_authorized_operations => BOOLEAN
 *
 * DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
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
 *     authorized_operations => INT32
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './describe-groups-types.ts';

/** AuthorizedOperations when they were not asked for (INT32 min, as in the spec's default). */
export const authorizedOperationsOmitted = -2147483648;

export function decodeDescribeGroupsRequestV3(r: Reader): DescribeGroupsRequest {
  const groups = r.array((r) => r.string());
  const includeAuthorizedOperations = r.bool();
  return { groups, includeAuthorizedOperations };
}

export function encodeDescribeGroupsResponseV3(w: Writer, res: DescribeGroupsResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.array(res.groups, (w, g) => {
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
    w.int32(g.authorizedOperations ?? authorizedOperationsOmitted);
  });
}

export const describeGroupsV3 = defineCodec(ApiKey.DescribeGroups, 3, decodeDescribeGroupsRequestV3, encodeDescribeGroupsResponseV3);
