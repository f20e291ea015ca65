/**
 * The idempotent producer across a dropped connection: a proxy between client and broker lets
 * a Produce request reach the broker, then cuts both sockets instead of relaying the response.
 * The client cannot know whether the write happened and retries with the same producer id and
 * sequence; the broker must recognise the duplicate, so every record is stored exactly once
 * and in order.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsDir, debianPython, randomTopic, run, startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { readLog } from '../helpers/log-records.ts';

const produceApiKey = 0;
/** Frames larger than this are not something a test client sends; the proxy gives up. */
const proxyFrameBytesMax = 64 * 1024 * 1024;

/**
 * A TCP proxy that parses Kafka frames in both directions (4-byte size, then apiKey int16,
 * apiVersion int16, correlationId int32 in requests; correlationId int32 in responses) and
 * forwards them unchanged, except that for the Produce requests `drop(n)` picks (n counts
 * Produce requests from 0) it forwards the request and, when the broker's response arrives,
 * destroys both sockets instead of relaying it.
 */
class ProduceDropProxy {
  readonly server: Server;
  targetPort = 0;
  produceRequests = 0;
  responsesDropped = 0;
  private readonly sockets = new Set<Socket>();
  /** New connections wait for this before reaching the broker (see `onDrop`). */
  private gate: Promise<void> = Promise.resolve();

  /** `onDrop` runs after a response is dropped; connections made meanwhile wait for it. */
  constructor(
    private readonly drop: (n: number) => boolean,
    private readonly onDrop: () => Promise<void> = async () => undefined,
  ) {
    this.server = createServer((client) => void this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
  }

  private async accept(client: Socket): Promise<void> {
    this.track(client);
    client.pause();
    await this.gate;
    if (client.destroyed) return;
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.track(upstream);
    const doomed = new Set<number>();
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', cut);
    upstream.on('close', cut);
    frames(client, cut, (frame) => {
      if (frame.readInt16BE(4) === produceApiKey && this.drop(this.produceRequests++)) doomed.add(frame.readInt32BE(8));
      upstream.write(frame);
    });
    frames(upstream, cut, (frame) => {
      if (doomed.has(frame.readInt32BE(4))) {
        this.responsesDropped++;
        cut();
        this.gate = this.onDrop();
        return;
      }
      client.write(frame);
    });
    client.resume();
  }
}

/** Calls `onFrame` with each whole size-prefixed frame (prefix included) read from `s`. */
function frames(s: Socket, fail: () => void, onFrame: (frame: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  s.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const size = buf.readInt32BE(0);
      if (size < 4 || size > proxyFrameBytesMax) return fail();
      if (buf.length < 4 + size) break;
      onFrame(buf.subarray(0, 4 + size));
      buf = buf.subarray(4 + size);
    }
  });
}

let tb: TestBroker;
let proxy: ProduceDropProxy;
let proxyBootstrap: string;
beforeAll(async () => {
  // Drop the responses of Produce requests 0, 2 and 4: some writes succeed in between.
  proxy = new ProduceDropProxy((n) => n === 0 || n === 2 || n === 4);
  const proxyPort = await proxy.listen();
  tb = await startTestBroker({ advertisedHost: '127.0.0.1', advertisedPort: proxyPort });
  proxy.targetPort = tb.broker.port;
  proxyBootstrap = `127.0.0.1:${proxyPort}`;
});
afterAll(async () => {
  await proxy?.close();
  await tb?.stop();
});

const partitions = 2;
const recordCount = 200;

/** Every record stored exactly once, in the order produced, per partition. */
async function expectExactlyOnce(topic: string): Promise<void> {
  const t = tb.broker.topics.get(topic)!;
  for (let p = 0; p < partitions; p++) {
    const stored = await readLog(t.partitions[p]);
    const expected = Array.from({ length: recordCount }, (_, i) => i)
      .filter((i) => i % partitions === p)
      .map((i) => `v${i}`);
    expect(stored.map((r) => r.value)).toEqual(expected);
    expect(stored.map((r) => r.offset)).toEqual(expected.map((_, i) => i));
  }
}

describe('idempotent producer behind a connection that drops Produce responses', () => {
  for (const codec of ['none', 'zstd', 'lz4']) {
    it(`python3-confluent-kafka (librdkafka, enable.idempotence=true, compression ${codec}) stores each record once`, async () => {
      const topic = randomTopic('idem-rdkafka');
      await tb.broker.topics.create(topic, partitions);
      proxy.produceRequests = 0;
      proxy.responsesDropped = 0;
      const config = { 'enable.idempotence': true, 'compression.codec': codec, 'linger.ms': 5, 'batch.num.messages': 20, 'retry.backoff.ms': 50, 'reconnect.backoff.ms': 50 };
      const input = Array.from({ length: recordCount }, (_, i) => JSON.stringify({ key: `k${i}`, value: `v${i}`, partition: i % partitions })).join('\n');
      const res = await run(debianPython, [clientsDir + 'confluent_client.py', 'produce', proxyBootstrap, topic, JSON.stringify(config)], { input, timeoutMs: 60_000 });
      expect(res.stderr).not.toContain('errors');
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ acked: recordCount });
      expect(proxy.responsesDropped).toBe(3);
      await expectExactlyOnce(topic);
    });
  }

  it('kafkajs (idempotent: true) stores each record once', async () => {
    const topic = randomTopic('idem-kafkajs');
    await tb.broker.topics.create(topic, partitions);
    proxy.produceRequests = 0;
    proxy.responsesDropped = 0;
    const kafka = new Kafka({ clientId: 'idem-test', brokers: [proxyBootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50 } });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let start = 0; start < recordCount; start += 20) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${start + j}`, value: `v${start + j}`, partition: (start + j) % partitions })),
        });
      }
    } finally {
      await producer.disconnect();
    }
    expect(proxy.responsesDropped).toBe(3);
    await expectExactlyOnce(topic);
  });
});

describe('idempotent producer whose retry reaches a restarted broker', () => {
  it('python3-confluent-kafka: the restarted broker still knows the producer and drops the duplicate', async () => {
    let restarted = 0;
    let own: TestBroker | null = null;
    const restartProxy = new ProduceDropProxy(
      (n) => n === 1,
      async () => {
        await own!.restart();
        restarted++;
      },
    );
    const port = await restartProxy.listen();
    own = await startTestBroker({ advertisedHost: '127.0.0.1', advertisedPort: port });
    restartProxy.targetPort = own.broker.port;
    try {
      const topic = randomTopic('idem-restart');
      await own.broker.topics.create(topic, partitions);
      const config = { 'enable.idempotence': true, 'linger.ms': 5, 'batch.num.messages': 20, 'retry.backoff.ms': 50, 'reconnect.backoff.ms': 50 };
      const input = Array.from({ length: recordCount }, (_, i) => JSON.stringify({ key: `k${i}`, value: `v${i}`, partition: i % partitions })).join('\n');
      const res = await run(debianPython, [clientsDir + 'confluent_client.py', 'produce', `127.0.0.1:${port}`, topic, JSON.stringify(config)], { input, timeoutMs: 60_000 });
      expect(res.stderr).not.toContain('errors');
      expect(res.code).toBe(0);
      expect(restartProxy.responsesDropped).toBe(1);
      expect(restarted).toBe(1);
      const t = own.broker.topics.get(topic)!;
      for (let p = 0; p < partitions; p++) {
        const stored = await readLog(t.partitions[p]);
        expect(stored.map((r) => r.value)).toEqual(Array.from({ length: recordCount }, (_, i) => i).filter((i) => i % partitions === p).map((i) => `v${i}`));
      }
    } finally {
      await restartProxy.close();
      await own.stop();
    }
  });
});
