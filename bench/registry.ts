/**
 * Schema registry benchmark (`npm run bench:registry`):
 * 1. lookups by id per second through the HTTP API (`GET /schemas/ids/{id}`, keep-alive, concurrent);
 * 2. serializer encode/decode records per second against raw avsc on the same records in the
 *    same run, and the ratio (the cost of Confluent's wire format and the id cache).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import avro from 'avsc';
import { Broker } from '../src/broker/index.ts';
import { InProcessTopicClient } from '../src/client/in-process.ts';
import { createSchemaRegistry, Deserializer, InProcessRegistryClient, Serializer } from '../src/schema-registry/index.ts';

/** The HTTP client side of the lookup benchmark (plain JS, run in a worker thread). */
const lookupWorker = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { url, ids, seconds, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const deadline = Date.now() + seconds * 1000;
let done = 0;
function get(path) {
  return new Promise((resolve, reject) => {
    http.get(url + path, { agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error('lookup answered ' + res.statusCode));
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}
async function loop(w) {
  for (let i = w; Date.now() < deadline; i += concurrency) {
    await get('/schemas/ids/' + ids[i % ids.length]);
    done++;
  }
}
Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w))).then(() => { agent.destroy(); parentPort.postMessage(done); });
`;
const schemasRegistered = 100;
const lookupSeconds = 3;
const lookupConcurrency = 32;
const records = 200_000;
const rounds = 3;

const userSchema = {
  type: 'record',
  name: 'User',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'email', type: ['null', 'string'], default: null },
    { name: 'score', type: 'double' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ],
};

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'runnel-bench-registry-'));
  const broker = await Broker.start({ dataDir, host: '127.0.0.1', port: 0 });
  const server = await createSchemaRegistry({ topics: new InProcessTopicClient(broker), host: '127.0.0.1', port: 0 });
  try {
    const ids: number[] = [];
    for (let i = 0; i < schemasRegistered; i++) {
      const schema = JSON.stringify({ ...userSchema, name: `User${i}` });
      ids.push((await server.registry.register(`bench-${i}-value`, { schema })).id);
    }

    // 1. HTTP lookups by id, from a worker thread so the client does not share the server's event loop.
    const started = performance.now();
    const lookups = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(lookupWorker, { eval: true, workerData: { url: server.url, ids, seconds: lookupSeconds, concurrency: lookupConcurrency } });
      worker.once('message', (n: number) => resolve(n));
      worker.once('error', reject);
    });
    const lookupRate = lookups / ((performance.now() - started) / 1000);
    console.log(`HTTP GET /schemas/ids/{id}: ${Math.round(lookupRate).toLocaleString('en-US')} lookups/s (${lookupConcurrency} concurrent, ${lookups} in ${lookupSeconds} s)`);

    // 2. Serializer vs raw avsc on the same records.
    const type = avro.Type.forSchema(userSchema as avro.Schema);
    const values = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `user-${i}`, email: i % 2 === 0 ? null : `u${i}@example.com`, score: i / 3, tags: ['a', 'b'] }));
    const client = new InProcessRegistryClient(server.registry);
    const serializer = new Serializer(client, { schemaType: 'AVRO', schema: JSON.stringify(userSchema) });
    const encoder = await serializer.forTopic('bench-serde');
    const deserializer = new Deserializer(client);
    await deserializer.prepare(encoder.schemaId);
    const rawBuffers = values.map((v) => type.toBuffer(v));
    const framed = values.map((v) => encoder.encode(v));

    const time = (fn: () => void): number => {
      let best = Infinity;
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        fn();
        best = Math.min(best, performance.now() - t0);
      }
      return records / (best / 1000);
    };
    const rawEncode = time(() => {
      for (let i = 0; i < records; i++) type.toBuffer(values[i % 1000]);
    });
    const ourEncode = time(() => {
      for (let i = 0; i < records; i++) encoder.encode(values[i % 1000]);
    });
    const rawDecode = time(() => {
      for (let i = 0; i < records; i++) type.fromBuffer(rawBuffers[i % 1000]);
    });
    const ourDecode = time(() => {
      for (let i = 0; i < records; i++) deserializer.decodeCached(framed[i % 1000]);
    });
    const asyncStart = performance.now();
    for (let i = 0; i < records; i++) await serializer.serialize('bench-serde', values[i % 1000]);
    const asyncEncode = records / ((performance.now() - asyncStart) / 1000);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`encode: raw avsc ${fmt(rawEncode)} rec/s, serializer ${fmt(ourEncode)} rec/s, ratio ${(ourEncode / rawEncode).toFixed(3)}`);
    console.log(`decode: raw avsc ${fmt(rawDecode)} rec/s, deserializer ${fmt(ourDecode)} rec/s, ratio ${(ourDecode / rawDecode).toFixed(3)}`);
    console.log(`encode through async serialize(topic, value): ${fmt(asyncEncode)} rec/s, ratio ${(asyncEncode / rawEncode).toFixed(3)} to raw avsc`);
  } finally {
    await server.close();
    await broker.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
