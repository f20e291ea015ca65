/**
 * SASL APIs. Runnel has no SASL listener yet, so the handler answers every handshake with
 * UNSUPPORTED_SASL_MECHANISM and an empty mechanism list, which clients report clearly.
 */
import type { ApiDefinition } from '../api.ts';
import { ApiKey } from '../api.ts';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './sasl-handshake-types.ts';
import { saslHandshakeV0 } from './sasl-handshake-v0.ts';
import { saslHandshakeV1 } from './sasl-handshake-v1.ts';

export type { SaslHandshakeRequest, SaslHandshakeResponse } from './sasl-handshake-types.ts';

export const saslHandshakeApi: ApiDefinition<SaslHandshakeRequest, SaslHandshakeResponse> = {
  apiKey: ApiKey.SaslHandshake,
  name: 'SaslHandshake',
  codecs: [saslHandshakeV0, saslHandshakeV1],
  errorResponse(_req: SaslHandshakeRequest, errorCode: number): SaslHandshakeResponse {
    return { errorCode, mechanisms: [] };
  },
};
