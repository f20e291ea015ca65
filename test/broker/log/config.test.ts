import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/index.ts';
import { InvalidConfigError, acceptedNotActedOn, defaultLogConfig, describeTopicConfigs, parseTopicConfigs } from '../../../src/broker/log/index.ts';

function error(fn: () => unknown): InvalidConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidConfigError) return e;
    throw e;
  }
  throw new Error('expected an InvalidConfigError');
}

describe('topic configs', () => {
  it("has Kafka's defaults", () => {
    expect(defaultLogConfig).toEqual({
      segmentBytes: 1073741824,
      segmentMs: 604800000,
      segmentIndexBytes: 10485760,
      indexIntervalBytes: 4096,
      retentionMs: 604800000,
      retentionBytes: -1,
      cleanupPolicy: ['delete'],
      deleteRetentionMs: 86400000,
      minCompactionLagMs: 0,
      minCleanableDirtyRatio: 0.5,
      maxMessageBytes: 1048588,
      messageTimestampType: 'CreateTime',
      fileDeleteDelayMs: 60000,
    });
  });

  it('parses overrides over a base', () => {
    const c = parseTopicConfigs({ 'cleanup.policy': 'compact,delete', 'retention.ms': '9223372036854775807' }, { 'segment.bytes': '1048576' });
    expect(c.cleanupPolicy).toEqual(['compact', 'delete']);
    expect(c.segmentBytes).toBe(1048576);
    expect(c.retentionMs).toBeGreaterThan(9e18);
    expect(parseTopicConfigs({ 'min.cleanable.dirty.ratio': '0.1', 'message.timestamp.type': 'LogAppendTime' })).toMatchObject({ minCleanableDirtyRatio: 0.1, messageTimestampType: 'LogAppendTime' });
  });

  it('names the bad key and why', () => {
    const e = error(() => parseTopicConfigs({ 'retention.ms': 'abc' }));
    expect(e.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(e.configName).toBe('retention.ms');
    expect(e.message).toBe("retention.ms must be a long >= -1, got 'abc'");
    expect(error(() => parseTopicConfigs({ 'retention.ms': '-2' })).message).toContain('>= -1');
    expect(error(() => parseTopicConfigs({ 'segment.bytes': '99999999999' })).message).toBe("segment.bytes must be an int >= 14, got '99999999999'");
    expect(error(() => parseTopicConfigs({ 'cleanup.policy': 'compact,forever' })).configName).toBe('cleanup.policy');
    expect(error(() => parseTopicConfigs({ 'min.cleanable.dirty.ratio': '1.5' })).message).toContain('between 0 and 1');
    expect(error(() => parseTopicConfigs({ 'message.timestamp.type': 'Now' })).message).toContain('CreateTime, LogAppendTime');
    expect(error(() => parseTopicConfigs({ 'confluent.value.schema.validation': 'yes' })).message).toContain('boolean');
    expect(error(() => parseTopicConfigs({}, { 'segment.ms': '0' })).configName).toBe('segment.ms');
  });

  it('rejects unknown names but accepts the allowlist and the Confluent schema-validation flags', () => {
    expect(error(() => parseTopicConfigs({ 'retention.hours': '1' })).message).toBe("unknown topic config 'retention.hours'");
    expect(acceptedNotActedOn).toContain('min.insync.replicas');
    expect(acceptedNotActedOn).toContain('compression.type');
    expect(() => parseTopicConfigs({ 'min.insync.replicas': '2', 'compression.type': 'zstd', 'confluent.key.schema.validation': 'true', 'confluent.value.schema.validation': 'false' })).not.toThrow();
  });

  it('describes every config with defaults and overrides', () => {
    const described = describeTopicConfigs({ 'retention.ms': '1000' });
    const retention = described.find((c) => c.name === 'retention.ms')!;
    expect(retention).toMatchObject({ value: '1000', isDefault: false, isSensitive: false, readOnly: false, type: 'LONG' });
    expect(described.find((c) => c.name === 'cleanup.policy')).toMatchObject({ value: 'delete', isDefault: true, type: 'LIST' });
    expect(described.every((c) => c.documentation.length > 0)).toBe(true);
    expect(described.map((c) => c.name)).toContain('confluent.value.schema.validation');
  });
});
