/**
 * DescribeGroups v4 (API key 15): the request is unchanged from v3; each member of the response
 * gains its group instance id. Kafka grammar:
 *
 * DescribeGroups Request (Version: 4) => [groups] include_authorized_operations
 *   (as v3)
 *
 * DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id group_instance_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       group_instance_id => NULLABLE_STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 *     authorized_operations => INT32
 */
import { ApiKey } from '../api.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { DescribeGroupsResponse } from './describe-groups-types.ts';
import { authorizedOperationsOmitted, decodeDescribeGroupsRequestV3 } from './describe-groups-v3.ts';

export { decodeDescribeGroupsRequestV3 as decodeDescribeGroupsRequestV4 };

export function encodeDescribeGroupsResponseV4(w: Writer, res: DescribeGroupsResponse): void {
  w.int32(res.throttleTimeMs ?? 0);
  w.array(res.groups, (w, g) => {
    w.int16(g.errorCode);
    w.string(g.groupId);
    w.string(g.groupState);
    w.string(g.protocolType);
    w.string(g.protocolData);
    w.array(g.members, (w, m) => {
      w.string(m.memberId);
      w.nullableString(m.groupInstanceId ?? null);
      w.string(m.clientId);
      w.string(m.clientHost);
      w.bytes(m.memberMetadata);
      w.bytes(m.memberAssignment);
    });
    w.int32(g.authorizedOperations ?? authorizedOperationsOmitted);
  });
}

export const describeGroupsV4 = defineCodec(ApiKey.DescribeGroups, 4, decodeDescribeGroupsRequestV3, encodeDescribeGroupsResponseV4);
