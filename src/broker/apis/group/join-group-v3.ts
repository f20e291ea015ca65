/**
 * JoinGroup v3 (API key 11): the same grammar as v2 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeJoinGroupRequestV2, encodeJoinGroupResponseV2 } from './join-group-v2.ts';

export { decodeJoinGroupRequestV2 as decodeJoinGroupRequestV3, encodeJoinGroupResponseV2 as encodeJoinGroupResponseV3 };

export const joinGroupV3 = defineCodec(ApiKey.JoinGroup, 3, decodeJoinGroupRequestV2, encodeJoinGroupResponseV2);
