/**
 * `runnel produce TOPIC`: one record per line of stdin, as `kcat -P` does. Flags follow kcat:
 * `-K` splits each line into key and value at the first separator, `-k` gives every record the
 * same key, `-H k=v` adds headers, `-p` picks the partition, `-z` compresses, `-D` changes the
 * delimiter. Empty lines are skipped. Records are sent in batches, in order.
 *
 * @example
 *   printf 'u1:hello\nu2:world\n' | runnel produce greetings -K : -H source=cli -z zstd
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import kafkajs from 'kafkajs';
import type { CompressionTypes as CompressionType, Message, Producer } from 'kafkajs';
import { CliError } from './cli-error.ts';
import { COMPRESSION_NAMES, parseAcks, type ClientSettings, type CompressionName } from './client-properties.ts';
import { addClientOptions, explainKafkaError, openClient, type ClientFlags } from './kafka-client.ts';
import { MessageSplitter, unescapeFlag } from './message-splitter.ts';
import { addRegistryOption, registryUrl, SCHEMA_TYPES, type RegistryFlags, type SchemaTypeName } from './registry-flags.ts';
import { createSchemaEncoder, type SchemaEncoder } from './schema-codec.ts';

const { CompressionTypes, Partitioners } = kafkajs;

/** Records per ProduceRequest, and bytes buffered before a send. */
const BATCH_RECORDS_MAX = 1000;
const BATCH_BYTES_MAX = 1024 * 1024;
/** Longest message read from stdin. */
const MESSAGE_BYTES_MAX = 64 * 1024 * 1024;

interface ProduceFlags extends ClientFlags, RegistryFlags {
  valueSchema?: string;
  valueFormat?: SchemaTypeName;
  keySchema?: string;
  keyFormat?: SchemaTypeName;
  keySeparator?: string;
  key?: string;
  header: string[];
  partition?: number;
  compression?: CompressionName;
  acks?: string;
  delimiter: string;
  quiet?: boolean;
}

const COMPRESSION_TYPES: Record<CompressionName, CompressionType> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePartition(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < -1) throw new InvalidArgumentError(`'${value}' is not a partition number (0, 1, ...; -1 lets the partitioner choose)`);
  return n;
}

/** Parses `-H name=value` flags into kafkajs headers; repeated names keep every value. */
export function parseHeaders(flags: readonly string[]): Record<string, Buffer[]> {
  const headers: Record<string, Buffer[]> = {};
  for (const h of flags) {
    const eq = h.indexOf('=');
    if (eq <= 0) throw new CliError(`-H ${h}: expected name=value, e.g. -H source=cli`);
    const name = h.slice(0, eq);
    (headers[name] ??= []).push(Buffer.from(h.slice(eq + 1), 'utf8'));
  }
  return headers;
}

/** Builds the record for one input line. */
export function toMessage(line: Buffer, keySeparator: Buffer | null, fixedKey: Buffer | null): Message {
  if (keySeparator === null) return { key: fixedKey, value: line };
  const at = line.indexOf(keySeparator);
  if (at < 0) return { key: fixedKey, value: line };
  return { key: line.subarray(0, at), value: line.subarray(at + keySeparator.length) };
}

class Batcher {
  private messages: Message[] = [];
  private bytes = 0;
  sent = 0;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly settings: ClientSettings,
    private readonly extra: { headers: Record<string, Buffer[]>; partition?: number },
  ) {}

  async add(message: Message): Promise<void> {
    if (Object.keys(this.extra.headers).length > 0) message.headers = this.extra.headers;
    if (this.extra.partition !== undefined && this.extra.partition >= 0) message.partition = this.extra.partition;
    this.messages.push(message);
    this.bytes += (message.value as Buffer).length + ((message.key as Buffer | null)?.length ?? 0);
    if (this.messages.length >= BATCH_RECORDS_MAX || this.bytes >= BATCH_BYTES_MAX) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.messages.length === 0) return;
    const messages = this.messages;
    this.messages = [];
    this.bytes = 0;
    const p = this.settings.producer;
    await this.producer.send({
      topic: this.topic,
      messages,
      acks: p.acks ?? -1,
      compression: COMPRESSION_TYPES[p.compression ?? 'none'],
      ...(p.ackTimeoutMs !== undefined ? { timeout: p.ackTimeoutMs } : {}),
    });
    this.sent += messages.length;
  }
}

async function checkPartition(ctx: ReturnType<typeof openClient>, topic: string, partition: number): Promise<void> {
  const admin = ctx.kafka.admin();
  try {
    await admin.connect();
    if (!(await admin.listTopics()).includes(topic)) return; // auto-created on first send, or an error then
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const count = topics[0].partitions.length;
    if (partition >= count) throw new CliError(`topic '${topic}' has ${count} partition${count === 1 ? '' : 's'} (0..${count - 1}); -p ${partition} does not exist`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

interface Encoders {
  key: SchemaEncoder | null;
  value: SchemaEncoder | null;
}

/** The schema encoders asked for by `--value-schema/--value-format` and `--key-schema/--key-format`. */
async function createEncoders(topic: string, flags: ProduceFlags): Promise<Encoders> {
  const wantValue = flags.valueSchema !== undefined || flags.valueFormat !== undefined;
  const wantKey = flags.keySchema !== undefined || flags.keyFormat !== undefined;
  if (!wantValue && !wantKey) return { key: null, value: null };
  const registry = registryUrl(flags);
  return {
    value: wantValue ? await createSchemaEncoder({ topic, isKey: false, schema: flags.valueSchema, format: flags.valueFormat, registry }) : null,
    key: wantKey ? await createSchemaEncoder({ topic, isKey: true, schema: flags.keySchema, format: flags.keyFormat, registry }) : null,
  };
}

/** Encodes a record's key and value with their schemas; errors name the input line. */
function encodeMessage(message: Message, encoders: Encoders, where: string): Message {
  const encode = (encoder: SchemaEncoder, part: 'key' | 'value', bytes: Buffer) => {
    try {
      return encoder.encode(bytes.toString('utf8'));
    } catch (err) {
      throw new CliError(`${where}: ${part} ${(err as Error).message}`, { cause: err });
    }
  };
  if (encoders.value !== null && message.value !== null) message.value = encode(encoders.value, 'value', message.value as Buffer);
  if (encoders.key !== null && message.key !== null && message.key !== undefined) message.key = encode(encoders.key, 'key', message.key as Buffer);
  return message;
}

async function produce(topic: string, flags: ProduceFlags): Promise<void> {
  const ctx = openClient(flags);
  const s = ctx.settings;
  if (flags.compression !== undefined) s.producer.compression = flags.compression;
  if (flags.acks !== undefined) s.producer.acks = parseAcks(flags.acks, '--acks');
  const headers = parseHeaders(flags.header);
  const keySeparator = flags.keySeparator === undefined ? null : unescapeFlag(flags.keySeparator);
  if (keySeparator !== null && keySeparator.length === 0) throw new CliError('-K is empty: pass the key separator, e.g. -K :');
  const fixedKey = flags.key === undefined ? null : Buffer.from(flags.key, 'utf8');
  const splitter = new MessageSplitter(unescapeFlag(flags.delimiter), MESSAGE_BYTES_MAX);
  const producer = ctx.kafka.producer({
    // murmur2 of the key, as Java's client; named so kafkajs does not warn about its v2 change.
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: s.producer.allowAutoTopicCreation ?? true,
    ...(s.producer.idempotent !== undefined ? { idempotent: s.producer.idempotent } : {}),
    ...(s.producer.maxInFlightRequests !== undefined ? { maxInFlightRequests: s.producer.maxInFlightRequests } : {}),
    ...(s.metadataMaxAgeMs !== undefined ? { metadataMaxAge: s.metadataMaxAgeMs } : {}),
  });
  const batcher = new Batcher(producer, topic, s, { headers, partition: flags.partition });
  const unit = flags.delimiter === '\\n' ? 'line' : 'message';
  let lineNumber = 0;
  try {
    const encoders = await createEncoders(topic, flags);
    if (flags.partition !== undefined && flags.partition >= 0) await checkPartition(ctx, topic, flags.partition);
    await producer.connect();
    if (process.stdin.isTTY === true && flags.quiet !== true) process.stderr.write(`runnel: type records for '${topic}', one per line; Ctrl-D to finish\n`);
    const add = async (lines: Buffer[]) => {
      for (const line of lines) {
        lineNumber++;
        if (line.length === 0) continue;
        const message = toMessage(line, keySeparator, fixedKey);
        let encoded: Message;
        try {
          encoded = encodeMessage(message, encoders, `${unit} ${lineNumber}`);
        } catch (err) {
          // What came before the bad record goes out, so the count in the message is exact.
          await batcher.flush();
          throw new CliError(`${(err as Error).message}\n(${batcher.sent} record${batcher.sent === 1 ? '' : 's'} before it ${batcher.sent === 1 ? 'was' : 'were'} produced; nothing after it)`, { cause: err });
        }
        await batcher.add(encoded);
      }
    };
    for await (const chunk of process.stdin) {
      await add(splitter.push(chunk as Buffer));
      await batcher.flush(); // what was typed so far goes out now, as kcat does interactively
    }
    await add(splitter.end());
    await batcher.flush();
  } catch (err) {
    const e = err as { type?: string };
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') throw new CliError(`topic '${topic}' does not exist and the broker did not create it; create it with: runnel topic create ${topic}`, { cause: err });
    throw explainKafkaError(err, s);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  if (flags.quiet !== true) process.stderr.write(`runnel: produced ${batcher.sent} record${batcher.sent === 1 ? '' : 's'} to '${topic}'\n`);
}

export function registerProduce(program: Command): void {
  const cmd = program
    .command('produce')
    .description('write stdin to a topic, one record per line (empty lines are skipped)')
    .argument('<topic>', 'topic to write to')
    .option('-K, --key-separator <sep>', "split each line into key and value at the first <sep> (e.g. ':' or '\\t')")
    .option('-k, --key <key>', 'key for every record')
    .option('-H, --header <name=value>', 'header on every record (repeatable)', collect, [])
    .option('-p, --partition <n>', 'partition to write to (default: murmur2 of the key, as the Java client)', parsePartition)
    .addOption(new Option('-z, --compression <codec>', 'batch compression').choices(COMPRESSION_NAMES))
    .addOption(new Option('--acks <acks>', 'acknowledgement: all (-1, the default), 1 or 0').choices(['all', '-1', '1', '0']))
    .option('-D, --delimiter <delim>', 'message delimiter', '\\n')
    .option('-q, --quiet', 'do not print the summary line on stderr')
    .option('--value-schema <subject|file>', 'encode each value (a JSON line) in the Confluent wire format with this schema file (registered under <topic>-value) or subject (its latest version)')
    .addOption(new Option('--value-format <format>', 'encode values with a schema of this type (default: the schema file extension, or the subject; without --value-schema: <topic>-value)').choices(SCHEMA_TYPES))
    .option('--key-schema <subject|file>', 'as --value-schema, for keys (<topic>-key)')
    .addOption(new Option('--key-format <format>', 'as --value-format, for keys').choices(SCHEMA_TYPES))
    .action((topic: string, flags: ProduceFlags) => produce(topic, flags))
    .addHelpText(
      'after',
      `
Examples:
  printf 'u1:hello\\nu2:world\\n' | runnel produce greetings -K :
  runnel produce logs -z zstd --acks 1 -H source=app < app.log
  runnel produce events -p 0 -k fixed-key -D '\\0' < records.bin
  runnel produce orders --value-schema order.avsc < orders.jsonl
  echo '{"id": 1}' | runnel produce orders --value-format avro     # latest of orders-value`,
    );
  addRegistryOption(cmd);
  addClientOptions(cmd);
}
