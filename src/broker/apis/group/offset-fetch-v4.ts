/**
 * OffsetFetch v4 (API key 9): the same grammar as v3 (the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeOffsetFetchRequestV3, encodeOffsetFetchResponseV3 } from './offset-fetch-v3.ts';

export { decodeOffsetFetchRequestV3 as decodeOffsetFetchRequestV4, encodeOffsetFetchResponseV3 as encodeOffsetFetchResponseV4 };

export const offsetFetchV4 = defineCodec(ApiKey.OffsetFetch, 4, decodeOffsetFetchRequestV3, encodeOffsetFetchResponseV3);
