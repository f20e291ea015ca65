/**
 * The broker's traffic on `/metrics`: kcat produces and consumes over the Kafka protocol, then
 * the Prometheus text is scraped over HTTP — bytes in/out and records in per topic, requests and
 * their latency histograms per API (handling, and frame read to response written), the written log
 * data counted in the page cache, each append's
 * write and fdatasync wait as the broker reports them, and prom-client's process metrics under one prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import { startHttpServer, type HttpServer } from '../../src/server/index.ts';
import { startEnv, type Env } from '../connectors/kafka/helpers.ts';
import { randomTopic, run } from '../helpers/broker.ts';

let env: Env;
let sql: SqlRuntime;
let http: HttpServer;

beforeAll(async () => {
  env = await startEnv();
  sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
  http = await startHttpServer({ host: '127.0.0.1', port: 0, runtime: sql, broker: env.broker });
});
afterAll(async () => {
  await http?.close();
  await sql?.close();
  await env?.stop();
});

/** The value of one sample line, e.g. `name{label="x"} 12`; undefined when absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('broker metrics on /metrics', () => {
  it('count what kcat produced and consumed, and the requests it made', async () => {
    const topic = randomTopic('metered');
    const bootstrap = `127.0.0.1:${env.broker.port}`;
    const lines = Array.from({ length: 40 }, (_, i) => `k${i % 4}:${'v'.repeat(100)}${i}`);
    const appends: [number, number | null][] = [];
    let appendedRecords = 0;
    const unobserve = env.broker.stats.onAppend((t, records, appendSeconds, syncSeconds) => {
      if (t !== topic) return;
      appendedRecords += records;
      appends.push([appendSeconds, syncSeconds]);
    });
    const produced = await run('kcat', ['-b', bootstrap, '-P', '-t', topic, '-K', ':', '-X', 'acks=all'], { input: `${lines.join('\n')}\n`, timeoutMs: 30_000 });
    unobserve();
    expect(produced.code).toBe(0);
    // Each acks=all append is timed in its write and its wait for the group-commit fdatasync.
    expect(appends.length).toBeGreaterThanOrEqual(1);
    expect(appendedRecords).toBe(40);
    for (const [appendSeconds, syncSeconds] of appends) {
      expect(appendSeconds).toBeGreaterThanOrEqual(0);
      expect(syncSeconds).not.toBeNull();
      expect(syncSeconds).toBeGreaterThanOrEqual(0);
    }
    const consumed = await run('kcat', ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%s\n'], { timeoutMs: 30_000 });
    expect(consumed.stdout.trim().split('\n')).toHaveLength(40);

    const text = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
    const topicLabel = `topic="${topic}"`;
    expect(sample(text, 'runnel_kafka_topic_records_in_total', topicLabel)).toBe(40);
    const bytesIn = sample(text, 'runnel_kafka_topic_bytes_in_total', topicLabel)!;
    // 40 values of ~103 bytes plus keys and batch framing.
    expect(bytesIn).toBeGreaterThan(40 * 103);
    expect(bytesIn).toBeLessThan(40 * 103 + 40 * 40 + 4 * 61);
    // The consumer read every stored batch (stored bytes equal the produced bytes).
    expect(sample(text, 'runnel_kafka_topic_bytes_out_total', topicLabel)).toBeGreaterThanOrEqual(bytesIn);

    for (const api of ['Produce', 'Fetch', 'Metadata', 'ApiVersions']) {
      const requests = sample(text, 'runnel_kafka_requests_total', `api="${api}"`);
      expect(requests, api).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'runnel_kafka_request_duration_seconds_count', `api="${api}"`), api).toBe(requests);
      expect(sample(text, 'runnel_kafka_request_duration_seconds_bucket', `le="+Inf",api="${api}"`), api).toBe(requests);
    }
    expect(text).toMatch(/^# TYPE runnel_kafka_request_duration_seconds histogram$/m);
    // Answer time runs from the frame read to the response written: it covers the handling time.
    for (const api of ['Produce', 'Metadata']) {
      expect(sample(text, 'runnel_kafka_request_answer_seconds_count', `api="${api}"`), api).toBe(sample(text, 'runnel_kafka_requests_total', `api="${api}"`));
      const handled = sample(text, 'runnel_kafka_request_duration_seconds_sum', `api="${api}"`)!;
      expect(sample(text, 'runnel_kafka_request_answer_seconds_sum', `api="${api}"`), api).toBeGreaterThanOrEqual(handled);
    }
    expect(text).toMatch(/^# TYPE runnel_kafka_topic_bytes_in_total counter$/m);
    // What the acks=all appends made durable is counted as cached; far below the bound, nothing dropped.
    const unlabeled = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(unlabeled('runnel_kafka_log_page_cache_bytes')).toBeGreaterThanOrEqual(bytesIn);
    expect(unlabeled('runnel_kafka_log_page_cache_dropped_bytes_total')).toBe(0);

    // prom-client's default metrics carry one prefix, not runnel_process_process_….
    expect(text).not.toMatch(/runnel_process_process_|runnel_process_nodejs_/);
    expect(text).toMatch(/^runnel_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^runnel_nodejs_eventloop_lag_seconds \d/m);
  });
});
