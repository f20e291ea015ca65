/**
 * `runnel topic describe`: gathers a topic's summary, configs and partitions (leader,
 * replicas, log start offset, high watermark) and prints them in rpk's three sections.
 */
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { formatTable } from './output.ts';

const { ConfigResourceTypes, ConfigSource } = kafkajs;

export interface TopicConfigEntry {
  name: string;
  value: string | null;
  source: string;
  readOnly: boolean;
  sensitive: boolean;
}

export interface PartitionDescription {
  partition: number;
  leader: number;
  replicas: number[];
  inSyncReplicas: number[];
  logStartOffset: string;
  highWatermark: string;
}

export interface TopicDescription {
  name: string;
  partitions: number;
  replicas: number;
  /** Records between log start and high watermark, summed over partitions (an upper bound for compacted topics). */
  records: string;
  configs: TopicConfigEntry[];
  partitionDetails: PartitionDescription[];
}

/** kafkajs exports ConfigSource as a plain object (name -> number), so invert it once. */
const SOURCE_NAMES = new Map<number, string>(Object.entries(ConfigSource as unknown as Record<string, number>).map(([name, n]) => [n, name]));

function sourceName(source: number): string {
  return SOURCE_NAMES.get(source) ?? `UNKNOWN(${source})`;
}

export async function describeTopic(admin: Admin, topic: string): Promise<TopicDescription> {
  const [{ topics }, offsets, { resources }] = await Promise.all([
    admin.fetchTopicMetadata({ topics: [topic] }),
    admin.fetchTopicOffsets(topic),
    admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false }),
  ]);
  const metadata = topics[0];
  const byPartition = new Map(offsets.map((o) => [o.partition, o]));
  const partitionDetails = metadata.partitions
    .map((p) => ({
      partition: p.partitionId,
      leader: p.leader,
      replicas: p.replicas,
      inSyncReplicas: p.isr,
      logStartOffset: byPartition.get(p.partitionId)?.low ?? '-1',
      highWatermark: byPartition.get(p.partitionId)?.high ?? '-1',
    }))
    .sort((a, b) => a.partition - b.partition);
  const records = partitionDetails.reduce((sum, p) => sum + (BigInt(p.highWatermark) - BigInt(p.logStartOffset)), 0n);
  const configs = (resources[0]?.configEntries ?? [])
    .map((e) => ({ name: e.configName, value: e.configValue, source: sourceName(e.configSource), readOnly: e.readOnly, sensitive: e.isSensitive }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: metadata.name,
    partitions: partitionDetails.length,
    replicas: partitionDetails[0]?.replicas.length ?? 0,
    records: records.toString(),
    configs,
    partitionDetails,
  };
}

function section(title: string, body: string): string {
  return `${title}\n${'='.repeat(title.length)}\n${body}`;
}

export function formatTopicDescription(d: TopicDescription): string {
  const summary = formatTable(['NAME', d.name], [
    ['PARTITIONS', d.partitions],
    ['REPLICAS', d.replicas],
    ['RECORDS', d.records],
  ]);
  const configs = formatTable(['KEY', 'VALUE', 'SOURCE'], d.configs.map((c) => [c.name, c.sensitive ? '(sensitive)' : c.value, c.source]));
  const partitions = formatTable(
    ['PARTITION', 'LEADER', 'REPLICAS', 'IN-SYNC-REPLICAS', 'LOG-START-OFFSET', 'HIGH-WATERMARK'],
    d.partitionDetails.map((p) => [p.partition, p.leader, `[${p.replicas.join(' ')}]`, `[${p.inSyncReplicas.join(' ')}]`, p.logStartOffset, p.highWatermark]),
  );
  return [section('SUMMARY', summary), section('CONFIGS', configs), section('PARTITIONS', partitions)].join('\n');
}
