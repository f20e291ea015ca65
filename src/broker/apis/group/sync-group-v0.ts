/**
 * SyncGroup v0 (API key 14). Kafka grammar:
 *
 * SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Response (Version: 0) => error_code assignment
 *   error_code => INT16
 *   assignment => BYTES
 */
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { defineCodec } from './define-codec.ts';
import type { SyncGroupRequest, SyncGroupRequestAssignment, SyncGroupResponse } from './sync-group-types.ts';

/** Reads one entry of the assignments array (unchanged through v3). */
export function decodeSyncGroupAssignment(r: Reader): SyncGroupRequestAssignment {
  const memberId = r.string();
  const assignment = r.bytes();
  return { memberId, assignment };
}

export function decodeSyncGroupRequestV0(r: Reader): SyncGroupRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const assignments = r.array(decodeSyncGroupAssignment);
  return { groupId, generationId, memberId, assignments };
}

export function encodeSyncGroupResponseV0(w: Writer, res: SyncGroupResponse): void {
  w.int16(res.errorCode);
  w.bytes(res.assignment);
}

export const syncGroupV0 = defineCodec(ApiKey.SyncGroup, 0, decodeSyncGroupRequestV0, encodeSyncGroupResponseV0);
