/**
 * `runnel consume TOPIC`: prints records of a topic, like `kcat -C` and `rpk topic consume`.
 *
 * Without `-g` it reads as an anonymous consumer (a throwaway group that commits nothing);
 * with `-g GROUP` it resumes from the group's committed offsets and commits what it printed.
 * `-o` takes rpk's offset grammar (offset-spec.ts); `-f` kcat's format tokens
 * (record-format.ts); `-c N` stops after N records; `-e` exits at the end of the log.
 *
 * @example
 *   runnel consume orders -o -10 -e -f '%p/%o %k=%s\n'
 *   runnel consume orders -g billing -c 100 -J
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { CliError } from './cli-error.ts';
import { gatherPlanInputs, planPartitions } from './consume-plan.ts';
import { ConsumeSession } from './consume-session.ts';
import { addClientOptions, explainKafkaError, openClient, requireTopics, type ClientContext, type ClientFlags } from './kafka-client.ts';
import { OFFSET_HELP, parseOffsetSpec } from './offset-spec.ts';
import { compileRecordFormat, FORMAT_HELP, formatRecordJson, type ConsumedRecord, type RecordFormatter } from './record-format.ts';
import { addRegistryOption, registryUrl, SCHEMA_TYPES, type RegistryFlags, type SchemaTypeName } from './registry-flags.ts';
import { createSchemaDecoder, looksFramed, type SchemaDecoder } from './schema-codec.ts';
import { StdoutWriter } from './stdout-writer.ts';

interface ConsumeFlags extends ClientFlags, RegistryFlags {
  valueFormat?: SchemaTypeName;
  keyFormat?: SchemaTypeName;
  decode?: boolean;
  offset?: string;
  fromBeginning?: boolean;
  group?: string;
  format?: string;
  json?: boolean;
  max?: number;
  num?: number;
  exitAtEnd?: boolean;
  partition: number[];
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a positive whole number`);
  return n;
}

function collectPartitions(value: string, previous: number[]): number[] {
  const out = [...previous];
  for (const part of value.split(',')) {
    const n = Number(part);
    if (part.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`'${part}' is not a partition number`);
    out.push(n);
  }
  return out;
}

export function headerList(headers: IHeaders | undefined): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')]);
  }
  return out;
}

function toRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  return { topic, partition, offset: m.offset, timestampMs: m.timestamp, key: m.key, value: m.value, headers: headerList(m.headers) };
}

/**
 * Turns keys and values in Confluent's wire format into JSON text before printing. A record
 * that cannot be decoded is printed as it is, with a warning naming it; the run then exits 1.
 */
class RecordDecoding {
  failures = 0;

  constructor(
    private readonly decoder: SchemaDecoder,
    /** Decode keys / values: 'always' (a format was given) or 'framed' (--decode: when the magic byte says so). */
    private readonly key: 'always' | 'framed' | 'never',
    private readonly value: 'always' | 'framed' | 'never',
  ) {}

  async apply(r: ConsumedRecord): Promise<ConsumedRecord> {
    const key = await this.part(r, 'key', this.key, r.key);
    const value = await this.part(r, 'value', this.value, r.value);
    return { ...r, key: key.bytes, value: value.bytes, keyIsJson: key.json, valueIsJson: value.json };
  }

  private async part(r: ConsumedRecord, name: string, mode: 'always' | 'framed' | 'never', bytes: Buffer | null): Promise<{ bytes: Buffer | null; json: boolean }> {
    if (bytes === null || mode === 'never' || (mode === 'framed' && !looksFramed(bytes))) return { bytes, json: false };
    try {
      if (!looksFramed(bytes)) throw new CliError(`not in the Confluent wire format (first byte ${bytes.length === 0 ? 'none' : `0x${bytes[0].toString(16).padStart(2, '0')}`}, expected 0x00)`);
      return { bytes: Buffer.from(await this.decoder.decode(bytes), 'utf8'), json: true };
    } catch (err) {
      this.failures++;
      process.stderr.write(`runnel: ${r.topic} partition ${r.partition} offset ${r.offset}: cannot decode the ${name}: ${(err as Error).message}; printed as is\n`);
      return { bytes, json: false };
    }
  }
}

async function createDecoding(flags: ConsumeFlags): Promise<RecordDecoding | null> {
  const mode = (format: SchemaTypeName | undefined) => (format !== undefined ? 'always' : flags.decode === true ? 'framed' : 'never');
  const key = mode(flags.keyFormat);
  const value = mode(flags.valueFormat);
  if (key === 'never' && value === 'never') return null;
  return new RecordDecoding(await createSchemaDecoder(registryUrl(flags)), key, value);
}

interface RunOptions {
  topic: string;
  groupId: string;
  commit: boolean;
  formatter: RecordFormatter;
  decoding: RecordDecoding | null;
  out: StdoutWriter;
  explain: (err: unknown) => Error;
}

function createConsumer(ctx: ClientContext, groupId: string): Consumer {
  const c = ctx.settings.consumer;
  return ctx.kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    ...(c.sessionTimeoutMs !== undefined ? { sessionTimeout: c.sessionTimeoutMs } : {}),
    ...(c.heartbeatIntervalMs !== undefined ? { heartbeatInterval: c.heartbeatIntervalMs } : {}),
    ...(c.rebalanceTimeoutMs !== undefined ? { rebalanceTimeout: c.rebalanceTimeoutMs } : {}),
    ...(c.minBytes !== undefined ? { minBytes: c.minBytes } : {}),
    ...(c.maxBytes !== undefined ? { maxBytes: c.maxBytes } : {}),
    ...(c.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: c.maxBytesPerPartition } : {}),
    ...(c.maxWaitTimeMs !== undefined ? { maxWaitTimeInMs: c.maxWaitTimeMs } : { maxWaitTimeInMs: 500 }),
    ...(c.readUncommitted !== undefined ? { readUncommitted: c.readUncommitted } : {}),
    ...(ctx.settings.metadataMaxAgeMs !== undefined ? { metadataMaxAge: ctx.settings.metadataMaxAgeMs } : {}),
  });
}

async function runConsumer(consumer: Consumer, session: ConsumeSession, o: RunOptions): Promise<void> {
  let crashed: unknown = null;
  let lastWarning = '';
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) {
      crashed = e.payload.error;
      session.stop();
      return;
    }
    // kafkajs restarts the consumer after retriable errors; say so once per distinct error.
    const warning = `runnel: ${o.explain(e.payload.error).message}; retrying (Ctrl-C to stop)\n`;
    if (warning !== lastWarning) process.stderr.write(warning);
    lastWarning = warning;
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const partitions = e.payload.memberAssignment[o.topic] ?? [];
    const unwanted = partitions.filter((p) => !session.wanted(p));
    if (unwanted.length > 0) consumer.pause([{ topic: o.topic, partitions: unwanted }]);
    for (const p of partitions) {
      const target = session.seekTarget(p, o.commit);
      if (target !== null) consumer.seek({ topic: o.topic, partition: p, offset: target.toString() });
    }
    session.onAssigned(partitions);
  });
  // Batches of only control records or aborted records never reach eachBatch; they still move
  // the position, which matters for -e and ranges.
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    if (!session.stopping) session.advance(e.payload.partition, BigInt(e.payload.lastOffset) + 1n);
  });
  await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, isRunning, isStale }) => {
      const until = session.plan(batch.partition)?.until ?? null;
      const chunks: Buffer[] = [];
      let next: bigint | null = null;
      for (const m of batch.messages) {
        if (session.stopping || session.reachedMax() || !isRunning() || isStale()) break;
        const offset = BigInt(m.offset);
        if (until !== null && offset >= until) {
          next = offset;
          break;
        }
        const record = toRecord(batch.topic, batch.partition, m);
        chunks.push(o.formatter(o.decoding === null ? record : await o.decoding.apply(record)));
        resolveOffset(m.offset);
        next = offset + 1n;
        session.countPrinted();
      }
      if (chunks.length > 0) await o.out.write(Buffer.concat(chunks));
      if (o.commit && next !== null) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (until !== null && next > until ? until : next).toString() }]);
      if (next !== null) session.advance(batch.partition, next);
      if (session.reachedMax()) session.stop();
    },
  });
  await session.done;
  if (crashed !== null) throw crashed;
}

async function consume(topic: string, flags: ConsumeFlags): Promise<void> {
  const spec = parseOffsetSpec(flags.fromBeginning === true ? 'start' : (flags.offset ?? defaultOffset(flags)));
  const formatter = flags.json === true ? formatRecordJson : compileRecordFormat(flags.format ?? '%s\\n');
  const ctx = openClient(flags);
  const groupFlag = flags.group ?? ctx.settings.consumer.groupId ?? null;
  const max = flags.max ?? flags.num ?? null;
  const anonymousGroup = `runnel-cli-${randomBytes(6).toString('hex')}`;
  const decoding = await createDecoding(flags);
  const out = new StdoutWriter();
  const admin = ctx.kafka.admin();
  let consumer: Consumer | null = null;
  const stopOnSignal = () => session?.stop();
  let session: ConsumeSession | null = null;
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await admin.connect();
    await requireTopics(admin, [topic]);
    const plans = planPartitions(spec, await gatherPlanInputs(admin, topic, spec, groupFlag), flags.exitAtEnd === true);
    for (const p of flags.partition) {
      if (!plans.some((plan) => plan.partition === p)) throw new CliError(`topic '${topic}' has no partition ${p} (it has ${plans.length}: 0..${plans.length - 1})`);
    }
    session = new ConsumeSession(plans, flags.partition.length > 0 ? new Set(flags.partition) : null, max);
    out.onClosed(() => session?.stop());
    if (session.nothingToRead()) return;
    const groupId = groupFlag ?? anonymousGroup;
    consumer = createConsumer(ctx, groupId);
    await runConsumer(consumer, session, { topic, groupId, commit: groupFlag !== null && ctx.settings.consumer.enableAutoCommit !== false, formatter, decoding, out, explain: (err) => explainKafkaError(err, ctx.settings) });
  } catch (err) {
    throw explainKafkaError(err, ctx.settings);
  } finally {
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    const c = consumer;
    const cleanedUp = await settlesWithin(SHUTDOWN_MS_MAX, async () => {
      if (c !== null) await c.disconnect().catch(() => undefined);
      // The throwaway group of an anonymous run holds nothing worth keeping.
      if (c !== null && groupFlag === null) await admin.deleteGroups([anonymousGroup]).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    });
    await out.end();
    if (decoding !== null && decoding.failures > 0) {
      process.stderr.write(`runnel: ${decoding.failures} key${decoding.failures === 1 ? '' : 's'} or values could not be decoded\n`);
      process.exitCode = 1;
    }
    if (!cleanedUp) {
      // kafkajs is still retrying (the broker went away); its timers would keep the process alive.
      process.stderr.write(`runnel: could not leave the group within ${SHUTDOWN_MS_MAX} ms; exiting anyway\n`);
      process.exit(process.exitCode ?? 0);
    }
  }
}

/** Leaving the group and disconnecting may take this long before the command gives up. */
const SHUTDOWN_MS_MAX = 5000;

/** Runs `work`; resolves true when it finished (or failed) within `ms`, false when it is still going. */
async function settlesWithin(ms: number, work: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work().then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function defaultOffset(flags: ConsumeFlags): string {
  const reset = flags.property.some((p) => /^auto\.offset\.reset=(latest|largest|end)$/i.test(p));
  return reset ? 'end' : 'start';
}

const CONSUME_HELP = `
Offsets (-o), per partition; an end bound is exclusive and makes the command exit:
  start | end         from the oldest record | only new records
  +N | -N             N after the start | the last N
  N | N:M | :N        from offset N | N up to M | the start up to N
  :end                everything there now, then exit (like -e)
  @TS | @TS:end       from a time | from a time to the current end
  @TS1:TS2 | @:TS     between two times (TS2 may be a duration after TS1, e.g. 1h) | up to a time
  TS: unix ms, unix s, 2024-05-01, 2024-05-01T10:00:00Z, or -1h30m (ago)

Format tokens (-f): %s value  %k key  %t topic  %p partition  %o offset  %T timestamp (ms)
  %h headers (k=v,...)  %K %S key/value length  %%  \\n \\t \\xHH

Examples:
  runnel consume orders -o -10 -e -f '%p/%o %k=%s\\n'
  runnel consume orders -o @-1h:end -J
  runnel consume orders -g billing -c 100
  runnel consume orders -e --value-format avro -J     # values as JSON, schemas from --registry
`;

export function registerConsume(program: Command): void {
  const cmd = program
    .command('consume')
    .description('print records of a topic (Ctrl-C to stop)')
    .argument('<topic>', 'topic to read')
    .option('-o, --offset <spec>', `where to start and stop: ${OFFSET_HELP} (default start; with -g it applies where the group has no committed offset)`)
    .option('--from-beginning', 'same as -o start')
    .option('-g, --group <group>', 'consume as this group: resume from its committed offsets and commit what is printed')
    .option('-p, --partition <n[,n...]>', 'read only these partitions (repeatable)', collectPartitions, [])
    .option('-f, --format <format>', `kcat-style record format: ${FORMAT_HELP} (default '%s\\n')`)
    .option('-J, --json', 'print each record as one JSON object per line')
    .option('-c, --max <n>', 'exit after N records', parseCount)
    .addOption(new Option('-n, --num <n>', 'same as --max (rpk)').argParser(parseCount).hideHelp())
    .option('-e, --exit-at-end', 'exit when every partition reaches the end of its log (as kcat -e)')
    .addOption(new Option('--value-format <format>', 'decode values from the Confluent wire format (schema from the registry) to JSON').choices(SCHEMA_TYPES))
    .addOption(new Option('--key-format <format>', 'decode keys likewise').choices(SCHEMA_TYPES))
    .option('--decode', 'decode keys and values that start with the wire format magic byte; print others as they are')
    .action((topic: string, flags: ConsumeFlags) => consume(topic, flags))
    .addHelpText('after', CONSUME_HELP);
  addRegistryOption(cmd);
  addClientOptions(cmd);
}
