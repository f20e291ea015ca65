import { describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/apis/api.ts';
import {
  decodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from '../../../src/broker/apis/request-header.ts';
import { ProtocolDecodeError, Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

describe('request header', () => {
  it('decodes header v1 byte for byte', () => {
    // api_key 3, api_version 4, correlation_id 7, client_id "kc"
    const bytes = Buffer.from([0, 3, 0, 4, 0, 0, 0, 7, 0, 2, 0x6b, 0x63, 0xaa]);
    const r = new Reader(bytes);
    expect(decodeRequestHeader(r, false)).toEqual({ requestApiKey: 3, requestApiVersion: 4, correlationId: 7, clientId: 'kc' });
    expect(r.remaining).toBe(1); // the body starts here
  });

  it('decodes a null client id', () => {
    const bytes = Buffer.from([0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff]);
    expect(decodeRequestHeader(new Reader(bytes), false).clientId).toBeNull();
  });

  it('decodes header v2: a classic INT16-length client id, then tagged fields', () => {
    const w = new Writer().int16(18).int16(3).int32(42).string('rdkafka');
    w.taggedFields(new Map([[5, Buffer.from([1, 2])]]));
    const r = new Reader(w.toBuffer());
    const seen: [number, number][] = [];
    const header = decodeRequestHeader(r, (key, version) => {
      seen.push([key, version]);
      return true;
    });
    expect(seen).toEqual([[18, 3]]);
    expect(header.clientId).toBe('rdkafka');
    expect(header.taggedFields?.get(5)).toEqual(Buffer.from([1, 2]));
    expect(r.remaining).toBe(0);
  });

  it('leaves an empty tagged section out of the header', () => {
    const w = new Writer().int16(0).int16(9).int32(1).string('c').uvarint(0);
    const header = decodeRequestHeader(new Reader(w.toBuffer()), true);
    expect(header).toEqual({ requestApiKey: 0, requestApiVersion: 9, correlationId: 1, clientId: 'c' });
  });

  it('throws ProtocolDecodeError on a truncated header', () => {
    const bytes = Buffer.from([0, 3, 0, 4, 0, 0, 0, 7, 0, 5, 0x6b]);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeRequestHeader(new Reader(bytes.subarray(0, n)), false)).toThrow(ProtocolDecodeError);
    }
    const flexible = Buffer.from([0, 3, 0, 9, 0, 0, 0, 7, 0xff, 0xff]); // no tag section
    expect(() => decodeRequestHeader(new Reader(flexible), true)).toThrow(ProtocolDecodeError);
  });

  it('picks header versions from the flexible flag, ApiVersions responses always v0', () => {
    expect(requestHeaderVersion(false)).toBe(1);
    expect(requestHeaderVersion(true)).toBe(2);
    expect(responseHeaderVersion(ApiKey.Metadata, false)).toBe(0);
    expect(responseHeaderVersion(ApiKey.Metadata, true)).toBe(1);
    expect(responseHeaderVersion(ApiKey.ApiVersions, true)).toBe(0);
    expect(responseHeaderVersion(ApiKey.ApiVersions, false)).toBe(0);
  });

  it('encodes response headers v0 and v1', () => {
    const w0 = new Writer();
    encodeResponseHeader(w0, 0x01020304, 0);
    expect([...w0.toBuffer()]).toEqual([1, 2, 3, 4]);
    const w1 = new Writer();
    encodeResponseHeader(w1, 5, 1);
    expect([...w1.toBuffer()]).toEqual([0, 0, 0, 5, 0]);
  });
});
