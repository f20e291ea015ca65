/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs beyond the grammar round trips:
 * hand-made bytes (including the flexible IncrementalAlterConfigs v1), version-dependent
 * defaults and error responses.
 */
import { describe, expect, it } from 'vitest';
import {
  AlterConfigOp,
  ConfigResourceType,
  ConfigSource,
  alterConfigsApi,
  describeConfigsApi,
  incrementalAlterConfigsApi,
} from '../../../src/broker/apis/configs/index.ts';
import type { DescribeConfigsResponse } from '../../../src/broker/apis/configs/index.ts';
import { ProtocolDecodeError, Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

describe('DescribeConfigs', () => {
  it('v0 decodes null configuration keys (all configs); v3 reads both flags', () => {
    const v0 = new Writer().int32(1).int8(ConfigResourceType.TOPIC).string('t').int32(-1).toBuffer();
    expect(describeConfigsApi.codecs[0].decodeRequest(new Reader(v0))).toEqual({
      resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }],
    });
    const v3 = new Writer().int32(1).int8(4).string('1').int32(1).string('log.dirs').bool(true).bool(false).toBuffer();
    expect(describeConfigsApi.codecs[3].decodeRequest(new Reader(v3))).toEqual({
      resources: [{ resourceType: 4, resourceName: '1', configurationKeys: ['log.dirs'] }],
      includeSynonyms: true,
      includeDocumentation: false,
    });
  });

  const res: DescribeConfigsResponse = {
    throttleTimeMs: 0,
    results: [
      {
        errorCode: 0,
        errorMessage: null,
        resourceType: 2,
        resourceName: 't',
        configs: [{ name: 'retention.ms', value: '604800000', readOnly: false, configSource: ConfigSource.DEFAULT_CONFIG, isSensitive: false }],
      },
    ],
  };

  function readHead(r: Reader): void {
    expect(r.int32()).toBe(0);
    expect(r.int32()).toBe(1);
    expect([r.int16(), r.nullableString(), r.int8(), r.string()]).toEqual([0, null, 2, 't']);
    expect(r.int32()).toBe(1);
    expect([r.string(), r.nullableString(), r.bool()]).toEqual(['retention.ms', '604800000', false]);
  }

  it('v0 derives is_default from the config source', () => {
    const w = new Writer();
    describeConfigsApi.codecs[0].encodeResponse(w, res);
    const r = new Reader(w.toBuffer());
    readHead(r);
    expect([r.bool(), r.bool()]).toEqual([true, false]); // is_default, is_sensitive
    expect(r.remaining).toBe(0);
  });

  it('v3 writes empty synonyms, UNKNOWN type and null documentation by default', () => {
    const w = new Writer();
    describeConfigsApi.codecs[3].encodeResponse(w, res);
    const r = new Reader(w.toBuffer());
    readHead(r);
    expect([r.int8(), r.bool(), r.int32(), r.int8(), r.nullableString()]).toEqual([5, false, 0, 0, null]);
    expect(r.remaining).toBe(0);
  });

  it('error response answers every resource', () => {
    const out = describeConfigsApi.errorResponse({ resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }] }, 3);
    expect(out.results).toEqual([{ errorCode: 3, errorMessage: null, resourceType: 2, resourceName: 't', configs: [] }]);
  });
});

describe('AlterConfigs', () => {
  it('v0 and v1 decode hand-made bytes', () => {
    const bytes = new Writer().int32(1).int8(2).string('t').int32(1).string('retention.ms').nullableString('1000').bool(true).toBuffer();
    for (const codec of alterConfigsApi.codecs) {
      expect(codec.decodeRequest(new Reader(bytes))).toEqual({
        resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '1000' }] }],
        validateOnly: true,
      });
    }
  });

  it('error response answers every resource', () => {
    const out = alterConfigsApi.errorResponse({ resources: [{ resourceType: 2, resourceName: 't', configs: [] }], validateOnly: false }, 40);
    expect(out.responses).toEqual([{ errorCode: 40, errorMessage: null, resourceType: 2, resourceName: 't' }]);
  });
});

describe('IncrementalAlterConfigs', () => {
  const expected = {
    resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'cleanup.policy', configOperation: AlterConfigOp.APPEND, value: 'compact' }] }],
    validateOnly: false,
  };

  it('v0 decodes hand-made bytes', () => {
    const bytes = new Writer().int32(1).int8(2).string('t').int32(1).string('cleanup.policy').int8(2).nullableString('compact').bool(false).toBuffer();
    expect(incrementalAlterConfigsApi.codecs[0].decodeRequest(new Reader(bytes))).toEqual(expected);
  });

  it('v1 decodes compact, tagged bytes and skips unknown tags', () => {
    const w = new Writer().uvarint(2).int8(2).compactString('t');
    w.uvarint(2).compactString('cleanup.policy').int8(2).compactNullableString('compact').taggedFields(new Map([[9, Buffer.from([1])]]));
    w.taggedFields(); // resource
    w.bool(false).taggedFields();
    const r = new Reader(w.toBuffer());
    expect(incrementalAlterConfigsApi.codecs[1].decodeRequest(r)).toEqual(expected);
    expect(r.remaining).toBe(0);
  });

  it('v1 rejects a non-compact (classic) encoding', () => {
    const classic = new Writer().int32(1).int8(2).string('t').int32(0).bool(false).toBuffer();
    expect(() => incrementalAlterConfigsApi.codecs[1].decodeRequest(new Reader(classic))).toThrow(ProtocolDecodeError);
  });

  it('v1 encodes compact strings and tag sections', () => {
    const w = new Writer();
    incrementalAlterConfigsApi.codecs[1].encodeResponse(w, {
      throttleTimeMs: 0,
      responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }],
    });
    expect([...w.toBuffer()]).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 2, 2, 0x74, 0, 0]);
  });
});
