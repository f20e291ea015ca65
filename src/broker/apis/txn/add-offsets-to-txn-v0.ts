/**
 * AddOffsetsToTxn v0 (apiKey 25). Grammar from Kafka's protocol guide:
 *
 *   AddOffsetsToTxn Request (Version: 0) => transactional_id producer_id producer_epoch group_id
 *     transactional_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     group_id => STRING
 *
 *   AddOffsetsToTxn Response (Version: 0) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 *     error_code => INT16
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './add-offsets-to-txn-types.ts';

export const addOffsetsToTxnV0: ApiVersionCodec<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = {
  apiKey: ApiKey.AddOffsetsToTxn,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): AddOffsetsToTxnRequest {
    const transactionalId = r.string();
    const producerId = r.int64();
    const producerEpoch = r.int16();
    const groupId = r.string();
    return { transactionalId, producerId, producerEpoch, groupId };
  },
  encodeResponse(w: Writer, res: AddOffsetsToTxnResponse): void {
    w.int32(res.throttleTimeMs).int16(res.errorCode);
  },
};
