/**
 * SaslHandshake v0 (apiKey 17). After a successful v0 handshake the client sends raw, unframed
 * SASL tokens (kafka-python 2.0.2 does this). Grammar from Kafka's protocol guide:
 *
 *   SaslHandshake Request (Version: 0) => mechanism
 *     mechanism => STRING
 *
 *   SaslHandshake Response (Version: 0) => error_code [mechanisms]
 *     error_code => INT16
 *     mechanisms => STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './sasl-handshake-types.ts';

export const saslHandshakeV0: ApiVersionCodec<SaslHandshakeRequest, SaslHandshakeResponse> = {
  apiKey: ApiKey.SaslHandshake,
  version: 0,
  flexible: false,
  decodeRequest(r: Reader): SaslHandshakeRequest {
    return { mechanism: r.string() };
  },
  encodeResponse(w: Writer, res: SaslHandshakeResponse): void {
    w.int16(res.errorCode);
    w.array(res.mechanisms, (w, m) => w.string(m));
  },
};
