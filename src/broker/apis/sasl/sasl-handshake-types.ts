/**
 * SaslHandshake (apiKey 17): the version-independent request and response, with the spec's field
 * names (SaslHandshakeRequest.json / SaslHandshakeResponse.json) in camelCase.
 */

export interface SaslHandshakeRequest {
  /** The SASL mechanism the client wants, e.g. "PLAIN" or "SCRAM-SHA-256". */
  mechanism: string;
}

export interface SaslHandshakeResponse {
  errorCode: number;
  /** The mechanisms the broker enables (empty while Runnel has no SASL listener). */
  mechanisms: string[];
}
