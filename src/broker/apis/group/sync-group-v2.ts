/**
 * SyncGroup v2 (API key 14): the same grammar as v1 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeSyncGroupRequestV1, encodeSyncGroupResponseV1 } from './sync-group-v1.ts';

export { decodeSyncGroupRequestV1 as decodeSyncGroupRequestV2, encodeSyncGroupResponseV1 as encodeSyncGroupResponseV2 };

export const syncGroupV2 = defineCodec(ApiKey.SyncGroup, 2, decodeSyncGroupRequestV1, encodeSyncGroupResponseV1);
