/**
 * ApiVersions and Metadata beyond the grammar round trips: hand-made bytes, the v3 tagged
 * fields, the unsupported-version fallback, defaults for absent fields and error responses.
 */
import { describe, expect, it } from 'vitest';
import { apiVersionsApi, encodeApiVersionsFallback, metadataApi } from '../../../src/broker/apis/cluster/index.ts';
import type { MetadataResponse } from '../../../src/broker/apis/cluster/index.ts';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.ts';
import { ProtocolDecodeError, Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

const [apiVersionsV0, , , apiVersionsV3] = apiVersionsApi.codecs;

describe('ApiVersions', () => {
  it('v0: empty request, response bytes as the grammar says', () => {
    expect(apiVersionsV0.decodeRequest(new Reader(Buffer.alloc(0)))).toEqual({});
    const w = new Writer();
    apiVersionsV0.encodeResponse(w, { errorCode: 0, apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 8 }], throttleTimeMs: 99 });
    // error_code, [api_keys] count 1, (3, 0, 8); v0 has no throttle_time_ms
    expect([...w.toBuffer()]).toEqual([0, 0, 0, 0, 0, 1, 0, 3, 0, 0, 0, 8]);
  });

  it('v3: decodes a request with compact strings and tagged fields', () => {
    const w = new Writer().compactString('librdkafka').compactString('2.0.2');
    w.taggedFields(new Map([[7, Buffer.from('x')]])); // unknown tags are skipped
    const r = new Reader(w.toBuffer());
    expect(apiVersionsV3.decodeRequest(r)).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
    expect(r.remaining).toBe(0);
  });

  it('v3: rejects a null client software name', () => {
    const bytes = Buffer.from([0, 1, 0x61, 0]);
    expect(() => apiVersionsV3.decodeRequest(new Reader(bytes))).toThrow(ProtocolDecodeError);
  });

  it('v3: encodes the response with compact arrays and the feature tagged fields', () => {
    const w = new Writer();
    apiVersionsV3.encodeResponse(w, {
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
      throttleTimeMs: 5,
      supportedFeatures: [{ name: 'f', minVersion: 1, maxVersion: 2 }],
      finalizedFeaturesEpoch: 9n,
      finalizedFeatures: [{ name: 'g', maxVersionLevel: 4, minVersionLevel: 3 }],
    });
    const r = new Reader(w.toBuffer());
    expect(r.int16()).toBe(0);
    expect(r.uvarint()).toBe(2); // one api key, compact
    expect([r.int16(), r.int16(), r.int16()]).toEqual([18, 0, 3]);
    expect(r.taggedFields()).toBeUndefined();
    expect(r.int32()).toBe(5);
    const tags = r.taggedFields()!;
    expect([...tags.keys()]).toEqual([0, 1, 2]);
    const f = new Reader(tags.get(0)!);
    expect(f.compactArray((x) => ({ name: x.compactString(), min: x.int16(), max: x.int16(), tags: x.taggedFields() }))).toEqual([
      { name: 'f', min: 1, max: 2, tags: undefined },
    ]);
    expect(new Reader(tags.get(1)!).int64()).toBe(9n);
    const g = new Reader(tags.get(2)!);
    expect(g.compactArray((x) => [x.compactString(), x.int16(), x.int16(), x.taggedFields()])).toEqual([['g', 4, 3, undefined]]);
    expect(r.remaining).toBe(0);
  });

  it('v3: writes an empty tag section when no features are given', () => {
    const w = new Writer();
    apiVersionsV3.encodeResponse(w, { errorCode: 0, apiKeys: [] });
    expect([...w.toBuffer()]).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('answers an unsupported version in the v0 format with UNSUPPORTED_VERSION and our ranges', () => {
    const w = new Writer();
    encodeApiVersionsFallback(w, [{ apiKey: 18, minVersion: 0, maxVersion: 3 }]);
    const r = new Reader(w.toBuffer());
    expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(r.array((x) => [x.int16(), x.int16(), x.int16()])).toEqual([[18, 0, 3]]);
    expect(r.remaining).toBe(0);
  });

  it('error response carries the code', () => {
    expect(apiVersionsApi.errorResponse({}, ErrorCode.UNKNOWN_SERVER_ERROR)).toEqual({ errorCode: -1, apiKeys: [], throttleTimeMs: 0 });
  });
});

describe('Metadata', () => {
  const codec = (v: number) => metadataApi.codecs[v];

  it('v0: an empty topics array means all topics (null)', () => {
    expect(codec(0).decodeRequest(new Reader(Buffer.from([0, 0, 0, 0])))).toEqual({ topics: null });
    const one = new Writer().int32(1).string('t').toBuffer();
    expect(codec(0).decodeRequest(new Reader(one))).toEqual({ topics: [{ name: 't' }] });
  });

  it('v0: a null topics array is an error (v0 arrays are not nullable)', () => {
    expect(() => codec(0).decodeRequest(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])))).toThrow(ProtocolDecodeError);
  });

  it('v1+: null means all topics, empty means none', () => {
    expect(codec(1).decodeRequest(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])))).toEqual({ topics: null });
    expect(codec(1).decodeRequest(new Reader(Buffer.from([0, 0, 0, 0])))).toEqual({ topics: [] });
  });

  it('v4: reads allow_auto_topic_creation', () => {
    const bytes = Buffer.from([0xff, 0xff, 0xff, 0xff, 0]);
    expect(codec(4).decodeRequest(new Reader(bytes))).toEqual({ topics: null, allowAutoTopicCreation: false });
  });

  it('v8: writes the spec defaults for fields the response leaves out', () => {
    const res: MetadataResponse = {
      brokers: [{ nodeId: 1, host: 'h', port: 9092 }],
      topics: [{ errorCode: 0, name: 't', partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] }],
    };
    const w = new Writer();
    codec(8).encodeResponse(w, res);
    const r = new Reader(w.toBuffer());
    expect(r.int32()).toBe(0); // throttle_time_ms
    expect(r.array((x) => [x.int32(), x.string(), x.int32(), x.nullableString()])).toEqual([[1, 'h', 9092, null]]);
    expect(r.nullableString()).toBeNull(); // cluster_id
    expect(r.int32()).toBe(-1); // controller_id
    const topics = r.array((x) => ({
      errorCode: x.int16(),
      name: x.string(),
      isInternal: x.bool(),
      partitions: x.array((p) => [p.int16(), p.int32(), p.int32(), p.int32(), p.array((q) => q.int32()), p.array((q) => q.int32()), p.array((q) => q.int32())]),
      ops: x.int32(),
    }));
    expect(topics).toEqual([{ errorCode: 0, name: 't', isInternal: false, partitions: [[0, 0, 1, -1, [1], [1], []]], ops: -2147483648 }]);
    expect(r.int32()).toBe(-2147483648);
    expect(r.remaining).toBe(0);
  });

  it('error response answers each requested topic', () => {
    const res = metadataApi.errorResponse({ topics: [{ name: 'a' }, { name: 'b' }] }, ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([['a', -1], ['b', -1]]);
    expect(metadataApi.errorResponse({ topics: null }, 3).topics).toEqual([]);
  });
});
