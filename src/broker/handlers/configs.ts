/** DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics and the broker. */
import type { Broker } from '../broker.ts';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes.ts';
import { configTypeCode, describeTopicConfigs } from '../log/index.ts';
import type {
  AlterConfigsRequest,
  AlterConfigsResponse,
  DescribeConfigsRequest,
  DescribeConfigsResourceResult,
  DescribeConfigsResponse,
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from '../apis/configs/index.ts';
import { errorOf } from './admin.ts';

export const ResourceType = { topic: 2, broker: 4 } as const;
/** DescribeConfigs config sources (DescribeConfigsResponse.json). */
const ConfigSource = { topic: 1, staticBroker: 4, default: 5 } as const;
const IncrementalOp = { set: 0, delete: 1, append: 2, subtract: 3 } as const;

function brokerConfigs(broker: Broker): DescribeConfigsResourceResult[] {
  const entries: [string, string, 'BOOLEAN' | 'INT' | 'LONG' | 'STRING'][] = [
    ['broker.id', String(broker.nodeId), 'INT'],
    ['auto.create.topics.enable', String(broker.options.autoCreateTopics), 'BOOLEAN'],
    ['num.partitions', String(broker.options.defaultPartitions), 'INT'],
    ['default.replication.factor', '1', 'INT'],
    ['socket.request.max.bytes', String(broker.options.requestBytesMax), 'INT'],
    ['log.retention.check.interval.ms', String(broker.options.maintenanceIntervalMs), 'LONG'],
    ['log.dirs', broker.options.dataDir, 'STRING'],
  ];
  return entries.map(([name, value, type]) => ({
    name,
    value,
    readOnly: true,
    isDefault: false,
    configSource: ConfigSource.staticBroker,
    isSensitive: false,
    synonyms: [],
    configType: configTypeCode[type],
    documentation: null,
  }));
}

export function handleDescribeConfigs(broker: Broker) {
  return async (req: DescribeConfigsRequest): Promise<DescribeConfigsResponse> => ({
    throttleTimeMs: 0,
    results: req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      let configs: DescribeConfigsResourceResult[];
      if (r.resourceType === ResourceType.topic) {
        const topic = broker.topics.get(r.resourceName);
        if (!topic) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `topic '${r.resourceName}' does not exist`, configs: [] };
        configs = describeTopicConfigs(topic.configs).map((c) => ({
          name: c.name,
          value: c.value,
          readOnly: c.readOnly,
          isDefault: c.isDefault,
          configSource: c.isDefault ? ConfigSource.default : ConfigSource.topic,
          isSensitive: false,
          synonyms: req.includeSynonyms ? [{ name: c.name, value: c.value, source: c.isDefault ? ConfigSource.default : ConfigSource.topic }] : [],
          configType: configTypeCode[c.type],
          documentation: req.includeDocumentation ? c.documentation : null,
        }));
      } else if (r.resourceType === ResourceType.broker) {
        if (r.resourceName !== '' && r.resourceName !== String(broker.nodeId)) {
          return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `no broker '${r.resourceName}': this cluster has broker ${broker.nodeId}`, configs: [] };
        }
        configs = brokerConfigs(broker);
      } else {
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${r.resourceType} has no configs here (topics are 2, brokers 4)`, configs: [] };
      }
      if (r.configurationKeys !== null) configs = configs.filter((c) => r.configurationKeys!.includes(c.name));
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
    }),
  });
}

async function applyTopicConfigs(broker: Broker, name: string, next: Record<string, string>, validateOnly: boolean): Promise<void> {
  if (!broker.topics.get(name)) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist`);
  if (validateOnly) broker.topics.validateConfigs(next);
  else await broker.topics.setConfigs(name, next);
}

function notTopic(resourceType: number): KafkaProtocolError {
  return new KafkaProtocolError(
    ErrorCode.INVALID_REQUEST,
    resourceType === ResourceType.broker ? 'broker configs are read-only here: set them as `runnel start` options' : `resource type ${resourceType} cannot be altered`,
  );
}

export function handleAlterConfigs(broker: Broker) {
  return async (req: AlterConfigsRequest): Promise<AlterConfigsResponse> => {
    const responses = [];
    for (const r of req.resources) {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      try {
        if (r.resourceType !== ResourceType.topic) throw notTopic(r.resourceType);
        // AlterConfigs replaces the whole set of overrides.
        const next: Record<string, string> = {};
        for (const c of r.configs) if (c.value !== null) next[c.name] = c.value;
        await applyTopicConfigs(broker, r.resourceName, next, req.validateOnly);
        responses.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        responses.push({ ...base, ...errorOf(broker, err, 'alter configs') });
      }
    }
    return { throttleTimeMs: 0, responses };
  };
}

export function handleIncrementalAlterConfigs(broker: Broker) {
  return async (req: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> => {
    const responses = [];
    for (const r of req.resources) {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      try {
        if (r.resourceType !== ResourceType.topic) throw notTopic(r.resourceType);
        const topic = broker.topics.get(r.resourceName);
        if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${r.resourceName}' does not exist`);
        const next: Record<string, string> = { ...topic.configs };
        const effective = new Map(describeTopicConfigs(topic.configs).map((c) => [c.name, c.value]));
        for (const c of r.configs) {
          const list = (next[c.name] ?? effective.get(c.name) ?? '').split(',').filter((s) => s !== '');
          switch (c.configOperation) {
            case IncrementalOp.set:
              if (c.value === null) throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `SET of '${c.name}' needs a value`);
              next[c.name] = c.value;
              break;
            case IncrementalOp.delete:
              delete next[c.name];
              break;
            case IncrementalOp.append:
              next[c.name] = [...new Set([...list, ...(c.value ?? '').split(',').filter((s) => s !== '')])].join(',');
              break;
            case IncrementalOp.subtract: {
              const remove = new Set((c.value ?? '').split(','));
              next[c.name] = list.filter((v) => !remove.has(v)).join(',');
              break;
            }
            default:
              throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, `unknown config operation ${c.configOperation} for '${c.name}' (0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT)`);
          }
        }
        await applyTopicConfigs(broker, r.resourceName, next, req.validateOnly);
        responses.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        responses.push({ ...base, ...errorOf(broker, err, 'alter configs') });
      }
    }
    return { throttleTimeMs: 0, responses };
  };
}
