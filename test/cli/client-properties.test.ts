import { describe, expect, it } from 'vitest';
import { applyClientProperties, defaultClientSettings, describeClientProperties } from '../../src/cli/client-properties.ts';
import { resolveClientSettings, kafkaConfig } from '../../src/cli/kafka-client.ts';
import { CliError } from '../../src/cli/cli-error.ts';

describe('client properties', () => {
  it('maps librdkafka names onto settings', () => {
    const s = defaultClientSettings();
    applyClientProperties(s, {
      'client.id': 'me',
      'security.protocol': 'SASL_SSL',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'u',
      'sasl.password': 'p',
      'request.required.acks': '1',
      'compression.codec': 'zstd',
      'fetch.wait.max.ms': '100',
      'isolation.level': 'read_uncommitted',
      'auto.offset.reset': 'smallest',
    });
    expect(s.clientId).toBe('me');
    expect(s.ssl).toBe(true);
    expect(s.saslMechanism).toBe('scram-sha-512');
    expect(s.producer).toMatchObject({ acks: 1, compression: 'zstd' });
    expect(s.consumer).toMatchObject({ maxWaitTimeMs: 100, readUncommitted: true, autoOffsetReset: 'earliest' });
    const config = kafkaConfig(s, false);
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
  });

  it('rejects unknown properties and bad values with what to type', () => {
    expect(() => applyClientProperties(defaultClientSettings(), { 'bootstrap.server': 'x:1' })).toThrow(/unknown client property 'bootstrap.server'.*-X list/);
    expect(() => applyClientProperties(defaultClientSettings(), { acks: 'some' })).toThrow(/-X acks=some: expected one of all, -1, 0, 1/);
    expect(() => applyClientProperties(defaultClientSettings(), { 'session.timeout.ms': '1.5' })).toThrow(CliError);
  });

  it('lists every property for -X list', () => {
    const text = describeClientProperties();
    expect(text).toMatch(/bootstrap\.servers/);
    expect(text).toMatch(/alias metadata\.broker\.list, brokers/);
  });

  it('takes brokers from -b, then -X, then RUNNEL_BROKERS, then the default', () => {
    expect(resolveClientSettings({ property: [] }, {}).brokers).toEqual(['127.0.0.1:9092']);
    expect(resolveClientSettings({ property: [] }, { RUNNEL_BROKERS: 'a:1,b:2' }).brokers).toEqual(['a:1', 'b:2']);
    expect(resolveClientSettings({ property: ['bootstrap.servers=c:3'] }, { RUNNEL_BROKERS: 'a:1' }).brokers).toEqual(['c:3']);
    expect(resolveClientSettings({ brokers: 'd:4', property: ['bootstrap.servers=c:3'] }, { RUNNEL_BROKERS: 'a:1' }).brokers).toEqual(['d:4']);
    expect(() => resolveClientSettings({ brokers: 'nohost', property: [] }, {})).toThrow(/'nohost' is not host:port/);
    expect(() => resolveClientSettings({ property: ['novalue'] }, {})).toThrow(/expected key=value/);
  });

  it('asks for SASL credentials when a SASL protocol has none', () => {
    const s = resolveClientSettings({ property: ['security.protocol=sasl_plaintext'] }, {});
    expect(() => kafkaConfig(s, false)).toThrow(/sasl\.username/);
  });
});
