/**
 * Broker settings by Kafka's server.properties names, as `runnel start --config key=value`
 * takes them. Broker-level `log.*` names set the defaults of the matching topic configs, as in
 * Kafka (e.g. `log.retention.ms` is the default of every topic's `retention.ms`).
 */
import { validateTopicConfig } from './log/index.ts';
import type { BrokerOptions } from './broker.ts';

/** Broker `log.*`-style names and the topic config each one defaults. */
const topicDefaultNames: Readonly<Record<string, string>> = {
  'log.retention.ms': 'retention.ms',
  'log.retention.bytes': 'retention.bytes',
  'log.segment.bytes': 'segment.bytes',
  'log.roll.ms': 'segment.ms',
  'log.cleanup.policy': 'cleanup.policy',
  'log.cleaner.delete.retention.ms': 'delete.retention.ms',
  'log.cleaner.min.cleanable.ratio': 'min.cleanable.dirty.ratio',
  'log.cleaner.min.compaction.lag.ms': 'min.compaction.lag.ms',
  'log.index.interval.bytes': 'index.interval.bytes',
  'log.message.timestamp.type': 'message.timestamp.type',
  'message.max.bytes': 'max.message.bytes',
};

function parseBool(name: string, v: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`${name} must be true or false, got '${v}'`);
}

function parseInt32(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min}, got '${v}'`);
  return n;
}

/** Turns `key=value` broker settings into broker options; throws naming the bad key. */
export function brokerOptionsFromConfig(config: Readonly<Record<string, string>>): Partial<BrokerOptions> {
  const out: Partial<BrokerOptions> = {};
  const topicDefaults: Record<string, string> = {};
  for (const [name, value] of Object.entries(config)) {
    const topicName = topicDefaultNames[name];
    if (topicName) {
      try {
        validateTopicConfig(topicName, value);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      }
      topicDefaults[topicName] = value;
      continue;
    }
    switch (name) {
      case 'auto.create.topics.enable':
        out.autoCreateTopics = parseBool(name, value);
        break;
      case 'num.partitions':
        out.defaultPartitions = parseInt32(name, value, 1);
        break;
      case 'socket.request.max.bytes':
        out.requestBytesMax = parseInt32(name, value, 1024);
        break;
      case 'log.retention.check.interval.ms':
        out.maintenanceIntervalMs = parseInt32(name, value, 100);
        break;
      case 'log.page.cache.max.bytes': {
        const n = Number(value);
        if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number of bytes >= 0 (0: no bound), got '${value}'`);
        out.logPageCacheBytes = n;
        break;
      }
      case 'group.initial.rebalance.delay.ms':
        out.groupInitialRebalanceDelayMs = parseInt32(name, value, 0);
        break;
      case 'advertised.listeners': {
        // One PLAINTEXT listener: `PLAINTEXT://host:port` (the name may be omitted).
        const m = /^(?:[A-Za-z_]+:\/\/)?([^:/,]+):(\d+)$/.exec(value.trim());
        if (!m) throw new Error(`advertised.listeners must look like PLAINTEXT://host:port, got '${value}'`);
        out.advertisedHost = m[1];
        out.advertisedPort = parseInt32(name, m[2], 1);
        break;
      }
      case 'broker.id':
      case 'node.id':
        out.nodeId = parseInt32(name, value, 0);
        break;
      default:
        throw new Error(
          `unknown broker setting '${name}': use one of auto.create.topics.enable, num.partitions, socket.request.max.bytes, ` +
            `log.retention.check.interval.ms, log.page.cache.max.bytes, group.initial.rebalance.delay.ms, advertised.listeners, broker.id, ${Object.keys(topicDefaultNames).join(', ')}`,
        );
    }
  }
  if (Object.keys(topicDefaults).length > 0) out.defaultTopicConfigs = topicDefaults;
  return out;
}
