/**
 * SaslHandshake v1 (apiKey 17): the same on the wire as v0; after a v1 handshake the SASL tokens
 * travel inside SaslAuthenticate requests instead of raw.
 *
 *   SaslHandshake Request (Version: 1) => mechanism
 *     mechanism => STRING
 *
 *   SaslHandshake Response (Version: 1) => error_code [mechanisms]
 *     error_code => INT16
 *     mechanisms => STRING
 */
import type { ApiVersionCodec } from '../api.ts';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './sasl-handshake-types.ts';
import { saslHandshakeV0 } from './sasl-handshake-v0.ts';

export const saslHandshakeV1: ApiVersionCodec<SaslHandshakeRequest, SaslHandshakeResponse> = { ...saslHandshakeV0, version: 1 };
