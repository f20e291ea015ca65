/**
 * OffsetFetch v1 (API key 9): the same grammar as v0 (offsets come from __consumer_offsets instead of ZooKeeper).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeOffsetFetchRequestV0, encodeOffsetFetchResponseV0 } from './offset-fetch-v0.ts';

export { decodeOffsetFetchRequestV0 as decodeOffsetFetchRequestV1, encodeOffsetFetchResponseV0 as encodeOffsetFetchResponseV1 };

export const offsetFetchV1 = defineCodec(ApiKey.OffsetFetch, 1, decodeOffsetFetchRequestV0, encodeOffsetFetchResponseV0);
