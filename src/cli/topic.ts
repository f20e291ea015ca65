/**
 * `runnel topic create|list|describe|delete|alter`: topic administration over the Kafka
 * protocol (CreateTopics, Metadata, ListOffsets, DescribeConfigs, AlterConfigs,
 * CreatePartitions, DeleteTopics), with rpk's flag names where rpk has one.
 *
 * @example
 *   runnel topic create orders -p 3 -c cleanup.policy=compact
 *   runnel topic describe orders --format yaml
 *   runnel topic alter orders --set retention.ms=86400000 --partitions 6
 */
import { InvalidArgumentError, type Command } from 'commander';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { CliError } from './cli-error.ts';
import { addClientOptions, requireTopics, withAdmin, type ClientFlags } from './kafka-client.ts';
import { addFormatOption, formatTable, print, type OutputFormat } from './output.ts';
import { describeTopic, formatTopicDescription } from './topic-describe.ts';

const { ConfigResourceTypes } = kafkajs;

interface FormatFlags extends ClientFlags {
  format: OutputFormat;
}

interface TopicStatus {
  topic: string;
  status: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseInteger(what: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${what} '${value}' is not a whole number of at least ${min}`);
    return n;
  };
}

/** A count of at least 1, or -1 for the broker's default. */
function parseCountOrDefault(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || (n < 1 && n !== -1)) throw new InvalidArgumentError(`${what} '${value}' must be 1 or more (or -1 for the broker's default)`);
    return n;
  };
}

/** Parses repeated `key=value` topic configs, as `-c` and `--set` take them. */
export function parseConfigPairs(pairs: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of pairs) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new CliError(`${flag} ${kv}: expected key=value, e.g. ${flag} retention.ms=86400000`);
    out[kv.slice(0, eq).trim()] = kv.slice(eq + 1);
  }
  return out;
}

function printStatuses(format: OutputFormat, statuses: readonly TopicStatus[]): void {
  print(format, statuses, () => formatTable(['TOPIC', 'STATUS'], statuses.map((s) => [s.topic, s.status])));
  if (statuses.some((s) => s.status !== 'OK' && !s.status.startsWith('OK'))) process.exitCode = 1;
}

function errorStatus(err: unknown): string {
  const e = err as { type?: string; message?: string; errors?: { type?: string; message?: string }[] };
  const inner = e.errors?.[0] ?? e;
  return inner.type !== undefined ? `${inner.type}: ${inner.message ?? ''}` : (inner.message ?? String(err));
}

interface CreateFlags extends FormatFlags {
  partitions: number;
  replicas: number;
  topicConfig: string[];
  ifNotExists?: boolean;
}

async function createTopics(topics: string[], flags: CreateFlags): Promise<void> {
  const configs = parseConfigPairs(flags.topicConfig, '-c');
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  const statuses = await withAdmin(flags, async (admin) => {
    const out: TopicStatus[] = [];
    for (const topic of topics) {
      try {
        const created = await admin.createTopics({ topics: [{ topic, numPartitions: flags.partitions, replicationFactor: flags.replicas, configEntries }] });
        if (created) out.push({ topic, status: 'OK' });
        else out.push({ topic, status: flags.ifNotExists === true ? 'OK (already exists)' : 'TOPIC_ALREADY_EXISTS: the topic already exists (pass --if-not-exists to accept that)' });
      } catch (err) {
        out.push({ topic, status: errorStatus(err) });
      }
    }
    return out;
  });
  printStatuses(flags.format, statuses);
}

interface ListFlags extends FormatFlags {
  internal?: boolean;
}

async function listTopics(flags: ListFlags): Promise<void> {
  const rows = await withAdmin(flags, async (admin) => {
    const names = (await admin.listTopics()).filter((t) => flags.internal === true || !t.startsWith('__')).sort();
    if (names.length === 0) return [];
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    return topics
      .map((t) => ({ name: t.name, partitions: t.partitions.length, replicas: t.partitions[0]?.replicas.length ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
  print(flags.format, rows, () => formatTable(['NAME', 'PARTITIONS', 'REPLICAS'], rows.map((r) => [r.name, r.partitions, r.replicas])));
}

async function describeTopics(topics: string[], flags: FormatFlags): Promise<void> {
  const descriptions = await withAdmin(flags, async (admin) => {
    await requireTopics(admin, topics);
    const out = [];
    for (const topic of topics) out.push(await describeTopic(admin, topic));
    return out;
  });
  const data = descriptions.length === 1 ? descriptions[0] : descriptions;
  print(flags.format, data, () => descriptions.map(formatTopicDescription).join('\n'));
}

interface DeleteFlags extends FormatFlags {
  ifExists?: boolean;
}

async function deleteTopics(topics: string[], flags: DeleteFlags): Promise<void> {
  const statuses = await withAdmin(flags, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const out: TopicStatus[] = [];
    for (const topic of topics) {
      if (!existing.has(topic)) {
        out.push({ topic, status: flags.ifExists === true ? 'OK (did not exist)' : 'UNKNOWN_TOPIC_OR_PARTITION: no such topic (runnel topic list shows the topics)' });
        continue;
      }
      try {
        await admin.deleteTopics({ topics: [topic] });
        out.push({ topic, status: 'OK' });
      } catch (err) {
        out.push({ topic, status: errorStatus(err) });
      }
    }
    return out;
  });
  printStatuses(flags.format, statuses);
}

interface AlterFlags extends FormatFlags {
  set: string[];
  delete: string[];
  partitions?: number;
}

/** The topic's own (non-default) configs with `set` applied and `remove` dropped. */
async function mergedConfigs(admin: Admin, topic: string, set: Record<string, string>, remove: readonly string[]): Promise<Record<string, string>> {
  const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
  const current: Record<string, string> = {};
  for (const e of resources[0]?.configEntries ?? []) {
    if (!e.isDefault && e.configSource === kafkajs.ConfigSource.TOPIC_CONFIG) current[e.configName] = e.configValue;
  }
  for (const k of remove) delete current[k];
  return { ...current, ...set };
}

async function alterTopic(topic: string, flags: AlterFlags): Promise<void> {
  const set = parseConfigPairs(flags.set, '--set');
  if (Object.keys(set).length === 0 && flags.delete.length === 0 && flags.partitions === undefined) {
    throw new CliError(`nothing to change: pass --set key=value, --delete key or --partitions N`);
  }
  const changes = await withAdmin(flags, async (admin) => {
    await requireTopics(admin, [topic]);
    const done: { topic: string; change: string; status: string }[] = [];
    if (flags.partitions !== undefined) {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const current = topics[0].partitions.length;
      if (flags.partitions < current) throw new CliError(`topic '${topic}' has ${current} partitions; Kafka can add partitions but not remove them (use --partitions ${current} or more)`);
      if (flags.partitions > current) await admin.createPartitions({ topicPartitions: [{ topic, count: flags.partitions }] });
      done.push({ topic, change: `partitions=${flags.partitions}`, status: flags.partitions > current ? 'OK' : 'OK (unchanged)' });
    }
    if (Object.keys(set).length > 0 || flags.delete.length > 0) {
      const configs = await mergedConfigs(admin, topic, set, flags.delete);
      const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries }] });
      for (const [k, v] of Object.entries(set)) done.push({ topic, change: `${k}=${v}`, status: 'OK' });
      for (const k of flags.delete) done.push({ topic, change: `${k} (reset to default)`, status: 'OK' });
    }
    return done;
  });
  print(flags.format, changes, () => formatTable(['TOPIC', 'CHANGE', 'STATUS'], changes.map((c) => [c.topic, c.change, c.status])));
}

export function registerTopic(program: Command): void {
  const topic = program.command('topic').description('create, list, describe, alter and delete topics');

  const create = topic
    .command('create')
    .description('create topics')
    .argument('<topics...>', 'topic names')
    .option('-p, --partitions <n>', 'partitions per topic (-1 = broker default)', parseCountOrDefault('partition count'), -1)
    .option('-r, --replicas <n>', 'replication factor (-1 = broker default)', parseCountOrDefault('replication factor'), -1)
    .option('-c, --topic-config <key=value>', 'topic config, e.g. cleanup.policy=compact (repeatable)', collect, [])
    .option('--if-not-exists', 'succeed when the topic already exists')
    .action((topics: string[], flags: CreateFlags) => createTopics(topics, flags));
  addFormatOption(addClientOptions(create));

  const list = topic
    .command('list')
    .alias('ls')
    .description('list topics with partition and replica counts')
    .option('-i, --internal', 'include internal topics (__consumer_offsets, ...)')
    .action((flags: ListFlags) => listTopics(flags));
  addFormatOption(addClientOptions(list));

  const describe = topic
    .command('describe')
    .alias('info')
    .description('show a topic: summary, configs and per-partition leader, offsets')
    .argument('<topics...>', 'topic names')
    .action((topics: string[], flags: FormatFlags) => describeTopics(topics, flags));
  addFormatOption(addClientOptions(describe));

  const del = topic
    .command('delete')
    .description('delete topics and their data')
    .argument('<topics...>', 'topic names')
    .option('--if-exists', 'succeed when a topic does not exist')
    .action((topics: string[], flags: DeleteFlags) => deleteTopics(topics, flags));
  addFormatOption(addClientOptions(del));

  const alter = topic
    .command('alter')
    .description('change topic configs or add partitions')
    .argument('<topic>', 'topic name')
    .option('-s, --set <key=value>', 'set a topic config (repeatable)', collect, [])
    .option('-d, --delete <key>', 'remove a topic config, back to the default (repeatable)', collect, [])
    .option('-p, --partitions <n>', 'grow the topic to this many partitions', parseInteger('partition count', 1))
    .action((name: string, flags: AlterFlags) => alterTopic(name, flags));
  addFormatOption(addClientOptions(alter));
}
