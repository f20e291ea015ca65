/**
 * JoinGroup v4 (API key 11): the same grammar as v3; from v4 a new member must join twice, first getting its member id with MEMBER_ID_REQUIRED.
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeJoinGroupRequestV3, encodeJoinGroupResponseV3 } from './join-group-v3.ts';

export { decodeJoinGroupRequestV3 as decodeJoinGroupRequestV4, encodeJoinGroupResponseV3 as encodeJoinGroupResponseV4 };

export const joinGroupV4 = defineCodec(ApiKey.JoinGroup, 4, decodeJoinGroupRequestV3, encodeJoinGroupResponseV3);
