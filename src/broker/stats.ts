/**
 * Traffic counters of the broker, read by the platform's `/metrics` (src/server/metrics.ts):
 * bytes and records appended per topic, bytes served by Fetch per topic, and each request's API
 * and handling time. Kept free of a metrics library so the broker runs on its own; the HTTP
 * server turns them into Prometheus counters and a latency histogram.
 */

/** Told of every decoded request once it is answered: its API name and seconds spent. */
export type RequestObserver = (api: string, seconds: number) => void;

export interface TopicTraffic {
  /** Record-set bytes appended (Produce requests and in-process writers). */
  bytesIn: number;
  /** Records in those appends (batch header counts; producer retries answered as duplicates excluded). */
  recordsIn: number;
  /** Record bytes returned by Fetch. */
  bytesOut: number;
}

export class BrokerStats {
  private readonly byTopic = new Map<string, TopicTraffic>();
  private readonly requestObservers = new Set<RequestObserver>();

  private traffic(topic: string): TopicTraffic {
    let t = this.byTopic.get(topic);
    if (t === undefined) this.byTopic.set(topic, (t = { bytesIn: 0, recordsIn: 0, bytesOut: 0 }));
    return t;
  }

  appended(topic: string, bytes: number, records: number): void {
    const t = this.traffic(topic);
    t.bytesIn += bytes;
    t.recordsIn += records;
  }

  fetched(topic: string, bytes: number): void {
    if (bytes > 0) this.traffic(topic).bytesOut += bytes;
  }

  /** Per-topic totals since the broker started. */
  topics(): ReadonlyMap<string, Readonly<TopicTraffic>> {
    return this.byTopic;
  }

  request(api: string, seconds: number): void {
    for (const o of this.requestObservers) o(api, seconds);
  }

  /** Subscribes to answered requests; returns the unsubscribe function. */
  onRequest(observer: RequestObserver): () => void {
    this.requestObservers.add(observer);
    return () => this.requestObservers.delete(observer);
  }
}
