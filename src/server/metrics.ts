/**
 * `/metrics` in the Prometheus text format (prom-client), modest on purpose: broker log sizes,
 * end offsets and traffic per topic (bytes in/out, records in), the written log data held in and
 * dropped from the page cache, requests and their latency per Kafka API, per running statement
 * its rows in/out, rows per second, lag and watermark, and prom-client's process and Node.js
 * metrics. Names follow Redpanda's low-cardinality style
 * (`runnel_kafka_*`, `runnel_sql_*`, `runnel_process_*`, `runnel_nodejs_*`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Broker } from '../broker/index.ts';
import type { SqlRuntime } from '../runtime/index.ts';

/** Upper bounds (seconds) of the request latency buckets: from a cached metadata answer to a long-polling fetch. */
const requestSecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Metrics {
  registry: Registry;
  /** Stops observing the broker (the HTTP server closes). */
  close(): void;
}

/** A counter whose value is read from a running total at scrape time. */
function totalsCounter(registry: Registry, name: string, help: string, label: string, read: () => Iterable<[string, number]>): void {
  new Counter({
    name, help, labelNames: [label], registers: [registry],
    collect() {
      this.reset();
      for (const [key, value] of read()) this.inc({ [label]: key }, value);
    },
  });
}

export function createMetrics(runtime: SqlRuntime, broker?: Broker): Metrics {
  const registry = new Registry();
  // prom-client's names already start with process_ or nodejs_: one prefix only.
  collectDefaultMetrics({ register: registry, prefix: 'runnel_' });
  let unobserve = (): void => {};
  if (broker !== undefined) {
    const traffic = (field: 'bytesIn' | 'recordsIn' | 'bytesOut') => function* (): Iterable<[string, number]> {
      for (const [topic, t] of broker.stats.topics()) yield [topic, t[field]];
    };
    totalsCounter(registry, 'runnel_kafka_topic_bytes_in_total', 'Record-set bytes appended to each topic (Produce requests and in-process writers)', 'topic', traffic('bytesIn'));
    totalsCounter(registry, 'runnel_kafka_topic_records_in_total', 'Records appended to each topic', 'topic', traffic('recordsIn'));
    totalsCounter(registry, 'runnel_kafka_topic_bytes_out_total', 'Record bytes served by Fetch from each topic', 'topic', traffic('bytesOut'));
    const requests = new Counter({ name: 'runnel_kafka_requests_total', help: 'Kafka protocol requests answered, by API', labelNames: ['api'], registers: [registry] });
    const latency = new Histogram({
      name: 'runnel_kafka_request_duration_seconds', help: 'Time from decoding a Kafka request to its encoded response (fetch long-polls included), by API',
      labelNames: ['api'], buckets: requestSecondsBuckets, registers: [registry],
    });
    const answer = new Histogram({
      name: 'runnel_kafka_request_answer_seconds', help: 'Time from reading a Kafka request frame whole to writing its response to the socket (waits for earlier responses on the connection included), by API',
      labelNames: ['api'], buckets: requestSecondsBuckets, registers: [registry],
    });
    const unobserveRequests = broker.stats.onRequest((api, seconds) => {
      requests.inc({ api });
      latency.observe({ api }, seconds);
    });
    const unobserveAnswers = broker.stats.onAnswered((api, seconds) => answer.observe({ api }, seconds));
    unobserve = () => {
      unobserveRequests();
      unobserveAnswers();
    };
    new Gauge({
      name: 'runnel_kafka_log_bytes', help: 'Bytes held by the partition logs of each topic', labelNames: ['topic'], registers: [registry],
      collect() {
        this.reset();
        for (const t of broker.topics.list()) this.set({ topic: t.name }, t.partitions.reduce((n, p) => n + p.sizeBytes(), 0));
      },
    });
    const pageCache = broker.topics.pageCache;
    if (pageCache !== undefined) {
      new Gauge({
        name: 'runnel_kafka_log_page_cache_bytes', help: 'Written, durable log data the broker counts as still in the page cache (at most log.page.cache.max.bytes plus one 8 MiB drop step)', registers: [registry],
        collect() {
          this.set(pageCache.heldBytes);
        },
      });
      new Counter({
        name: 'runnel_kafka_log_page_cache_dropped_bytes_total', help: 'Written log data dropped from the page cache beyond log.page.cache.max.bytes', registers: [registry],
        collect() {
          this.reset();
          this.inc(pageCache.droppedBytes);
        },
      });
    }
    new Gauge({
      name: 'runnel_kafka_max_offset', help: 'Sum over partitions of the log end offset (records ever appended) of each topic', labelNames: ['topic'], registers: [registry],
      collect() {
        this.reset();
        for (const t of broker.topics.list()) this.set({ topic: t.name }, t.partitions.reduce((n, p) => n + Number(p.logEndOffset), 0));
      },
    });
  }
  const last = new Map<string, { at: number; rowsIn: number }>();
  const gauge = (name: string, help: string, value: (s: ReturnType<SqlRuntime['statements']['running']>[number]) => number | null) =>
    new Gauge({
      name, help, labelNames: ['statement'], registers: [registry],
      collect() {
        this.reset();
        for (const s of runtime.statements.running()) {
          const v = value(s);
          if (v !== null) this.set({ statement: s.name }, v);
        }
      },
    });
  gauge('runnel_sql_statement_rows_in_total', 'Rows the statement has read from its sources', (s) => s.metrics.rowsIn);
  gauge('runnel_sql_statement_rows_out_total', 'Records the statement has written to its sink', (s) => s.metrics.rowsOut);
  gauge('runnel_sql_statement_lag_records', 'Records not yet read by the statement, over all source partitions', (s) => s.metrics.lag);
  gauge('runnel_sql_statement_late_records_dropped_total', 'Rows dropped as late (their window had closed), over all operators', (s) => s.metrics.lateRecordsDropped);
  gauge('runnel_sql_statement_watermark_ms', 'Current watermark of the statement (epoch ms)', (s) => (s.metrics.watermark === null ? null : Date.parse(s.metrics.watermark)));
  gauge('runnel_sql_statement_rows_in_per_second', 'Rows read per second since the previous scrape', (s) => {
    const now = Date.now();
    const prev = last.get(s.id);
    last.set(s.id, { at: now, rowsIn: s.metrics.rowsIn });
    if (prev === undefined || now <= prev.at) return 0;
    return ((s.metrics.rowsIn - prev.rowsIn) * 1000) / (now - prev.at);
  });
  new Gauge({
    name: 'runnel_sql_statements', help: 'Statements by status', labelNames: ['status'], registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const s of runtime.statements.list()) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });
  return { registry, close: unobserve };
}
