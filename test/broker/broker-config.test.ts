import { describe, expect, it } from 'vitest';
import { brokerOptionsFromConfig } from '../../src/broker/index.ts';
import { run } from '../helpers/broker.ts';

describe('broker settings by Kafka names', () => {
  it('maps broker settings and log.* topic defaults', () => {
    expect(
      brokerOptionsFromConfig({
        'auto.create.topics.enable': 'false',
        'num.partitions': '3',
        'log.retention.ms': '3600000',
        'log.cleanup.policy': 'compact',
        'message.max.bytes': '2000000',
      }),
    ).toEqual({
      autoCreateTopics: false,
      defaultPartitions: 3,
      defaultTopicConfigs: { 'retention.ms': '3600000', 'cleanup.policy': 'compact', 'max.message.bytes': '2000000' },
    });
  });

  it('takes advertised.listeners as Kafka writes it', () => {
    expect(brokerOptionsFromConfig({ 'advertised.listeners': 'PLAINTEXT://kafka.internal:19092' })).toEqual({ advertisedHost: 'kafka.internal', advertisedPort: 19092 });
  });

  it('takes log.page.cache.max.bytes, 0 for no bound', () => {
    expect(brokerOptionsFromConfig({ 'log.page.cache.max.bytes': '0' })).toEqual({ logPageCacheBytes: 0 });
    expect(brokerOptionsFromConfig({ 'log.page.cache.max.bytes': String(2 ** 33) })).toEqual({ logPageCacheBytes: 2 ** 33 });
  });

  it.each([
    [{ 'log.page.cache.max.bytes': '-1' }, /log.page.cache.max.bytes must be a whole number of bytes >= 0 \(0: no bound\), got '-1'/],
    [{ 'advertised.listeners': 'kafka.internal' }, /advertised.listeners must look like PLAINTEXT:\/\/host:port/],
    [{ 'auto.create.topics.enable': 'yes' }, /auto.create.topics.enable must be true or false, got 'yes'/],
    [{ 'num.partitions': '0' }, /num.partitions must be a whole number >= 1/],
    [{ 'log.retention.ms': 'soon' }, /log.retention.ms: .*retention.ms/],
    [{ 'log.flush.everything': 'true' }, /unknown broker setting 'log.flush.everything'/],
  ])('rejects %o with a message saying what to fix', (config, message) => {
    expect(() => brokerOptionsFromConfig(config)).toThrow(message);
  });

  it('runnel start refuses a bad setting with that message and a non-zero exit', async () => {
    const bin = new URL('../../bin/runnel.mjs', import.meta.url).pathname;
    const res = await run(process.execPath, [bin, 'start', '--data-dir', '/tmp/runnel-never-created', '--kafka-port', '0', '-c', 'num.partitions=zero']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("num.partitions must be a whole number >= 1, got 'zero'");
  });
});
