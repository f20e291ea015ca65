/**
 * `runnel nexmark`: generates the Nexmark benchmark's person, auction and bid streams into three
 * topics of a running platform (or any Kafka cluster with a Confluent-compatible registry):
 * registers their Avro value schemas over the registry's REST API, creates the topics when
 * missing, and writes wire-format records through kafkajs with the event time as the record
 * timestamp. Progress goes to stderr every second; the summary line to stdout.
 *
 * @example
 *   runnel nexmark --events 10000000                  # as fast as possible
 *   runnel nexmark --events 1000000 --rate 50000      # paced: event time follows the wall clock
 *   runnel nexmark --prefix nx_ --partitions 4 --seed 7 -b broker:9092 --registry http://sr:8081
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Admin } from 'kafkajs';
import { CliError } from './cli-error.ts';
import { addClientOptions, explainKafkaError, openClient, type ClientFlags } from './kafka-client.ts';

const REGISTRY_ENV = 'RUNNEL_REGISTRY';
const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081';
/** Event-time rate when neither --event-rate nor --rate is given: the benchmark suite's TPS. */
const EVENT_RATE_DEFAULT = 10_000_000;
const EVENTS_DEFAULT = 1_000_000;

interface NexmarkFlags extends ClientFlags {
  bootstrap?: string;
  registry?: string;
  events: number;
  rate: number;
  eventRate?: number;
  seed: number;
  partitions: number;
  prefix: string;
  baseTime?: number;
  outOfOrder: number;
  quiet?: boolean;
}

function nonNegativeInt(what: string) {
  return (value: string): number => {
    const n = Number(value.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`'${value}' is not a ${what} (a whole number, 0 or more)`);
    return n;
  };
}

function positiveInt(what: string) {
  return (value: string): number => {
    const n = nonNegativeInt(what)(value);
    if (n === 0) throw new InvalidArgumentError(`${what} must be at least 1`);
    return n;
  };
}

/** `now`, milliseconds since the epoch, or an ISO-8601 time. */
export function parseBaseTime(value: string, nowMs: number = Date.now()): number {
  if (value === 'now') return nowMs;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`'${value}' is not a time: use 'now', milliseconds since the epoch or ISO-8601 (2024-01-01T00:00:00Z)`);
  return ms;
}

export function registerNexmark(program: Command): void {
  const cmd = program
    .command('nexmark')
    .description('generate the Nexmark person/auction/bid streams into three topics with registered Avro schemas')
    .option('--events <n>', 'events to generate (persons:auctions:bids = 1:3:46)', nonNegativeInt('number of events'), EVENTS_DEFAULT)
    .option('--rate <events/s>', 'emission rate; 0 sends as fast as possible', nonNegativeInt('rate'), 0)
    .option('--event-rate <events/s>', `event-time rate, the spacing of dateTime (default: --rate when set, else ${EVENT_RATE_DEFAULT})`, positiveInt('event rate'))
    .option('--seed <n>', 'seed of the generator: the same seed and flags give the same events', nonNegativeInt('seed'), 0)
    .option('--partitions <n>', 'partitions of topics that do not exist yet', positiveInt('partition count'), 1)
    .option('--prefix <prefix>', 'topic name prefix: <prefix>person, <prefix>auction, <prefix>bid', '')
    .option('--base-time <time>', "event time of the first event: 'now', epoch ms or ISO-8601 (default 2024-01-01T00:00:00Z; 'now' with --rate)", (v: string) => parseBaseTime(v))
    .option('--out-of-order <n>', 'events per out-of-order group (1 keeps event time monotone)', positiveInt('group size'), 1)
    .option('--bootstrap <host:port,...>', 'same as -b')
    .option('--registry <url>', `schema registry URL (env ${REGISTRY_ENV}; default ${DEFAULT_REGISTRY_URL})`)
    .option('-q, --quiet', 'no progress lines on stderr')
    .action((flags: NexmarkFlags) => runNexmark(flags))
    .addHelpText(
      'after',
      `
Topics are created with retention.ms=-1 (event times are synthetic and may lie in the past).
The bid, auction and person value schemas are registered as <topic>-value.

Examples:
  runnel nexmark --events 10000000
  runnel nexmark --events 1000000 --rate 50000 --base-time now
  runnel nexmark --prefix nx_ --partitions 4 --seed 7`,
    );
  addClientOptions(cmd);
}

function registryUrl(flags: NexmarkFlags): string {
  const fromEnv = process.env[REGISTRY_ENV];
  if (flags.registry !== undefined && flags.registry.trim() !== '') return flags.registry.trim();
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  return DEFAULT_REGISTRY_URL;
}

/** Creates the missing topics; returns the partition count of each (existing ones keep theirs). */
async function ensureTopics(admin: Admin, topics: readonly string[], partitions: number): Promise<Map<string, number>> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, configEntries: [{ name: 'retention.ms', value: '-1' }] })),
      waitForLeaders: true,
    });
  }
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
  return new Map(metadata.map((t) => [t.name, t.partitions.length]));
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function runNexmark(flags: NexmarkFlags): Promise<void> {
  if (flags.bootstrap !== undefined && flags.brokers === undefined) flags.brokers = flags.bootstrap;
  // The generator and the registry client load avsc and friends: only for this command.
  const nexmark = await import('../connectors/nexmark/index.ts');
  const { HttpRegistryClient } = await import('../schema-registry/index.ts');
  const url = registryUrl(flags);
  const config = nexmark.nexmarkConfig({
    numEvents: flags.events,
    seed: flags.seed,
    firstEventRate: flags.eventRate ?? (flags.rate > 0 ? flags.rate : EVENT_RATE_DEFAULT),
    nextEventRate: flags.eventRate ?? (flags.rate > 0 ? flags.rate : EVENT_RATE_DEFAULT),
    outOfOrderGroupSize: flags.outOfOrder,
    ...(flags.baseTime !== undefined ? { baseTimeMs: flags.baseTime } : flags.rate > 0 ? { baseTimeMs: Date.now() } : {}),
  });
  const topics = nexmark.nexmarkTopics(flags.prefix);
  const ctx = openClient(flags);
  const admin = ctx.kafka.admin();
  const producer = ctx.kafka.producer({ allowAutoTopicCreation: false });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    await admin.connect();
    const counts = await ensureTopics(admin, Object.values(topics), flags.partitions);
    const partitions = Math.min(...[...counts.values()]);
    await producer.connect();
    if (!flags.quiet) {
      process.stderr.write(
        `nexmark: ${formatCount(config.numEvents)} events into ${Object.values(topics).join(', ')} (${partitions} partition${partitions === 1 ? '' : 's'}), seed ${config.seed}, ` +
          `event time from ${new Date(config.baseTimeMs).toISOString()} at ${formatCount(config.firstEventRate)} events/s\n`,
      );
    }
    const sink = new nexmark.KafkaJsNexmarkSink(producer, topics, partitions);
    const registry = new HttpRegistryClient(url);
    const result = await nexmark
      .writeNexmark({
        config,
        registry,
        topics,
        sink,
        rateEventsPerSec: flags.rate,
        signal: abort.signal,
        onProgress: (p) => {
          if (flags.quiet || p.events === config.numEvents) return;
          const rate = p.events / (p.elapsedMs / 1000);
          process.stderr.write(`nexmark: ${formatCount(p.events)} events, ${formatCount(rate)} events/s\n`);
        },
      })
      .catch((err: unknown) => {
        const e = err as { name?: string; message?: string };
        if (e?.name === 'RegistryError') throw new CliError(`schema registry at ${url}: ${e.message ?? 'request failed'}`, { cause: err });
        if (e?.name === 'TypeError' && e.message === 'fetch failed') {
          throw new CliError(`cannot reach the schema registry at ${url}; start one with 'runnel start', or point --registry / ${REGISTRY_ENV} at yours`, { cause: err });
        }
        throw err;
      });
    const seconds = result.elapsedMs / 1000;
    process.stdout.write(
      `nexmark: ${formatCount(result.events)} events (${formatCount(result.persons)} persons, ${formatCount(result.auctions)} auctions, ${formatCount(result.bids)} bids, ` +
        `${(result.bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s: ${formatCount(result.events / Math.max(seconds, 1e-9))} events/s\n`,
    );
  } catch (err) {
    throw explainKafkaError(err, ctx.settings);
  } finally {
    process.off('SIGINT', onSignal);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
