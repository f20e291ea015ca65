/**
 * OffsetCommit v4 (API key 8): the same grammar as v3 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeOffsetCommitRequestV3, encodeOffsetCommitResponseV3 } from './offset-commit-v3.ts';

export { decodeOffsetCommitRequestV3 as decodeOffsetCommitRequestV4, encodeOffsetCommitResponseV3 as encodeOffsetCommitResponseV4 };

export const offsetCommitV4 = defineCodec(ApiKey.OffsetCommit, 4, decodeOffsetCommitRequestV3, encodeOffsetCommitResponseV3);
