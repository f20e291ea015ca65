/**
 * `/metrics` in the Prometheus text format (prom-client), modest on purpose: broker log sizes
 * and end offsets, and per running statement its rows in/out, rows per second, lag and
 * watermark. Names follow Redpanda's low-cardinality style (`runnel_kafka_*`, `runnel_sql_*`).
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Broker } from '../broker/index.ts';
import type { SqlRuntime } from '../runtime/index.ts';

export function createMetrics(runtime: SqlRuntime, broker?: Broker): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'runnel_process_' });
  if (broker !== undefined) {
    new Gauge({
      name: 'runnel_kafka_log_bytes', help: 'Bytes held by the partition logs of each topic', labelNames: ['topic'], registers: [registry],
      collect() {
        this.reset();
        for (const t of broker.topics.list()) this.set({ topic: t.name }, t.partitions.reduce((n, p) => n + p.sizeBytes(), 0));
      },
    });
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
  return registry;
}
