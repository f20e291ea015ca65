/**
 * Request frames captured from real clients (test/broker/fixtures/*.bin, recorded by
 * test/broker/fixtures/capture.ts): librdkafka 2.0.2 via kcat, kafkajs 2.2.4 and kafka-python
 * 2.0.2. Each file is a whole frame: INT32 size, request header, body. Every one must decode to
 * its last byte, and the fields the clients are known to send must come out right.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiVersionCodec } from '../../../src/broker/apis/api.ts';
import { decodeRequestHeader } from '../../../src/broker/apis/request-header.ts';
import type { RequestHeader } from '../../../src/broker/apis/request-header.ts';
import { decodeBatchRecords } from '../../../src/broker/protocol/record-batch.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import type { ProduceRequest } from '../../../src/broker/apis/produce/index.ts';
import { allApis, kebab } from './all-apis.ts';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

function codecFor(apiKey: number, version: number): ApiVersionCodec<unknown, unknown> | undefined {
  const api = allApis.find((a) => a.api.apiKey === apiKey)?.api;
  return api?.codecs.find((c) => c.version === version) as ApiVersionCodec<unknown, unknown> | undefined;
}

function load(file: string): { header: RequestHeader; body: unknown } {
  const frame = readFileSync(`${fixturesDir}${file}`);
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  const r = new Reader(frame, 4);
  const header = decodeRequestHeader(r, (key, version) => codecFor(key, version)?.flexible ?? false);
  const codec = codecFor(header.requestApiKey, header.requestApiVersion);
  if (!codec) throw new Error(`${file}: no codec for api ${header.requestApiKey} v${header.requestApiVersion}`);
  const body = codec.decodeRequest(r);
  expect(r.remaining).toBe(0);
  return { header, body };
}

const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.bin')).sort();

describe('captured client requests', () => {
  it('has fixtures', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file} decodes whole, with the api and version its name says`, () => {
      const { header } = load(file);
      const m = /^([a-z-]+)-v(\d+)(\.[a-z-]+)?\.bin$/.exec(file);
      expect(m).not.toBeNull();
      const api = allApis.find((a) => a.api.apiKey === header.requestApiKey)!.api;
      expect(kebab(api.name)).toBe(m![1]);
      expect(header.requestApiVersion).toBe(Number(m![2]));
    });
  }

  it('librdkafka ApiVersions v3: flexible header and client software fields', () => {
    const { header, body } = load('api-versions-v3.bin');
    expect(header).toMatchObject({ requestApiKey: 18, requestApiVersion: 3, clientId: 'rdkafka' });
    expect(body).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
  });

  it('kafkajs ApiVersions v2 and kafka-python ApiVersions v0 have empty bodies', () => {
    expect(load('api-versions-v2.bin')).toMatchObject({ header: { clientId: 'kafkajs-capture' }, body: {} });
    expect(load('api-versions-v0.bin')).toMatchObject({ header: { clientId: 'kafka-python-capture' }, body: {} });
  });

  it('Metadata: kafka-python v0 asks for all topics, kcat v4 for brokers only, kafkajs v6 for one topic', () => {
    expect(load('metadata-v0.bin').body).toEqual({ topics: null });
    expect(load('metadata-v1.bin').body).toEqual({ topics: null });
    expect(load('metadata-v4.bin').body).toEqual({ topics: [], allowAutoTopicCreation: false });
    expect(load('metadata-v6.bin').body).toEqual({ topics: [{ name: 'capture-topic' }], allowAutoTopicCreation: false });
  });

  for (const file of ['produce-v7.bin', 'produce-v7.kafkajs.bin']) {
    it(`${file}: carries a RecordBatch v2 with the produced record`, async () => {
      const req = load(file).body as ProduceRequest;
      expect(req).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
      const partition = req.topicData[0].partitionData[0];
      expect(req.topicData[0].name).toBe('capture-topic');
      const records = await decodeBatchRecords(partition.records!);
      expect(records.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['key1', 'hello']]);
    });
  }

  it('librdkafka ListOffsets v2 asks for the earliest offset, read_committed', () => {
    expect(load('list-offsets-v2.bin').body).toEqual({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 'capture-topic', partitions: [{ partitionIndex: 0, timestamp: -2n }] }],
    });
  });

  it('librdkafka Fetch v11: a full fetch without a session and an empty rack', () => {
    expect(load('fetch-v11.bin').body).toEqual({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        { topic: 'capture-topic', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1048576 }] },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
  });

  it('kafkajs CreateTopics v3 and DescribeConfigs v2', () => {
    expect(load('create-topics-v3.bin').body).toEqual({
      topics: [{ name: 'capture-topic', numPartitions: 3, replicationFactor: -1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(load('describe-configs-v2.bin').body).toEqual({
      resources: [{ resourceType: 2, resourceName: 'capture-topic', configurationKeys: null }],
      includeSynonyms: true,
    });
  });

  it('kafka-python SaslHandshake v0 asks for PLAIN', () => {
    expect(load('sasl-handshake-v0.bin').body).toEqual({ mechanism: 'PLAIN' });
  });
});
