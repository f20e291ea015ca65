/**
 * Request and response headers (Kafka's RequestHeader.json and ResponseHeader.json).
 *
 *   Request Header v1 => request_api_key request_api_version correlation_id client_id
 *     request_api_key => INT16
 *     request_api_version => INT16
 *     correlation_id => INT32
 *     client_id => NULLABLE_STRING
 *
 *   Request Header v2 => request_api_key request_api_version correlation_id client_id TAG_BUFFER
 *     (client_id stays a classic NULLABLE_STRING with an INT16 length: an old broker must be able
 *     to read the header of any ApiVersions request, even one of a version it does not know)
 *
 *   Response Header v0 => correlation_id
 *     correlation_id => INT32
 *
 *   Response Header v1 => correlation_id TAG_BUFFER
 *
 * Flexible API versions use request header v2 and response header v1. The one exception is the
 * ApiVersions response, which is always sent with header v0 so that a client can parse the answer
 * whatever version it asked for (KIP-511).
 */
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import { ApiKey } from './api.ts';

export type RequestHeaderVersion = 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

export interface RequestHeader {
  requestApiKey: number;
  requestApiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Tagged fields of header v2, kept raw by tag; no tag is defined for the request header yet. */
  taggedFields?: Map<number, Buffer>;
}

/** The request header version of an API version whose codec has the given `flexible` flag. */
export function requestHeaderVersion(flexible: boolean): RequestHeaderVersion {
  return flexible ? 2 : 1;
}

/** The response header version for (apiKey, flexible): v1 when flexible, except ApiVersions (always v0). */
export function responseHeaderVersion(apiKey: number, flexible: boolean): ResponseHeaderVersion {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return flexible ? 1 : 0;
}

/**
 * Reads a request header. The header's own version depends on the API version it announces, so
 * `flexible` may be a function of (apiKey, apiVersion), asked once the first fields are read;
 * answer false for an API version the broker does not know (its body will not be read anyway).
 *
 * @example
 *   const header = decodeRequestHeader(r, (key, version) => codecFor(key, version)?.flexible ?? false);
 */
export function decodeRequestHeader(
  r: Reader,
  flexible: boolean | ((apiKey: number, apiVersion: number) => boolean),
): RequestHeader {
  const requestApiKey = r.int16();
  const requestApiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  const header: RequestHeader = { requestApiKey, requestApiVersion, correlationId, clientId };
  const isFlexible = typeof flexible === 'function' ? flexible(requestApiKey, requestApiVersion) : flexible;
  if (isFlexible) {
    const tagged = r.taggedFields();
    if (tagged) header.taggedFields = tagged;
  }
  return header;
}

/** Writes a response header of the given version (see {@link responseHeaderVersion}). */
export function encodeResponseHeader(w: Writer, correlationId: number, version: ResponseHeaderVersion): void {
  w.int32(correlationId);
  if (version === 1) w.taggedFields();
}
