/**
 * Traffic counters of the broker, read by the platform's `/metrics` (src/server/metrics.ts):
 * bytes and records appended per topic, bytes served by Fetch per topic, and each request's API
 * and handling time, the time to its answer being written, and each append's write and fdatasync wait. Kept free of a metrics library so the broker runs on its own; the HTTP
 * server turns them into Prometheus counters and a latency histogram.
 */

/** Told of every decoded request once it is answered: its API name and seconds spent. */
export type RequestObserver = (api: string, seconds: number) => void;

/**
 * Told of every append through the write path (Produce and in-process writers): the records it
 * answers for, seconds spent in the synchronous part (split, CRC check, write) and, for acks=all,
 * waiting for the group commit's fdatasync afterwards (null otherwise).
 */
export type AppendObserver = (topic: string, records: number, appendSeconds: number, syncSeconds: number | null) => void;

export interface TopicTraffic {
  /** Record-set bytes appended (Produce requests and in-process writers). */
  bytesIn: number;
  /** Records in those appends (batch header counts; producer retries answered as duplicates excluded). */
  recordsIn: number;
  /** Record bytes returned by Fetch. */
  bytesOut: number;
}

/** A set of subscribers to one kind of event. */
class Observers<Args extends unknown[]> {
  private readonly set = new Set<(...args: Args) => void>();

  get any(): boolean {
    return this.set.size > 0;
  }

  emit(...args: Args): void {
    for (const o of this.set) o(...args);
  }

  /** Returns the unsubscribe function. */
  add(observer: (...args: Args) => void): () => void {
    this.set.add(observer);
    return () => void this.set.delete(observer);
  }
}

export class BrokerStats {
  private readonly byTopic = new Map<string, TopicTraffic>();
  private readonly requests = new Observers<Parameters<RequestObserver>>();
  private readonly answers = new Observers<Parameters<RequestObserver>>();
  private readonly appends = new Observers<Parameters<AppendObserver>>();

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
    this.requests.emit(api, seconds);
  }

  /** Subscribes to handled requests (decode to encoded response); returns the unsubscribe function. */
  onRequest(observer: RequestObserver): () => void {
    return this.requests.add(observer);
  }

  /** Whether anyone subscribed to {@link onAnswered}: the dispatcher times writes only then. */
  get timesAnswers(): boolean {
    return this.answers.any;
  }

  answered(api: string, seconds: number): void {
    this.answers.emit(api, seconds);
  }

  /**
   * Subscribes to the time from a request's frame being read whole to its response being
   * written to the socket (or, without a response, to being handled): what a client sees of the
   * broker, waits for earlier responses on the connection included. Returns the unsubscribe function.
   */
  onAnswered(observer: RequestObserver): () => void {
    return this.answers.add(observer);
  }

  /** Whether anyone subscribed to {@link onAppend}: the write path times appends only then. */
  get timesAppends(): boolean {
    return this.appends.any;
  }

  appendTimed(topic: string, records: number, appendSeconds: number, syncSeconds: number | null): void {
    this.appends.emit(topic, records, appendSeconds, syncSeconds);
  }

  /** Subscribes to the timing of each append (see {@link AppendObserver}); returns the unsubscribe function. */
  onAppend(observer: AppendObserver): () => void {
    return this.appends.add(observer);
  }
}
