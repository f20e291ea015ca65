/**
 * The settings every connector has (Kafka's `ConnectorConfig`, `SinkConnectorConfig`,
 * `SourceConnectorConfig`) and validation of a whole connector config into Kafka Connect's
 * `ConfigInfos` shape, the body of `PUT /connector-plugins/{type}/config/validate`:
 *
 *   {"name": "<class>", "error_count": 1, "groups": ["Common", ...],
 *    "configs": [{"definition": {"name", "type", "required", "default_value", "importance",
 *                 "documentation", "group", "width", "display_name", "dependents", "order"},
 *                 "value": {"name", "value", "recommended_values", "errors", "visible"}}]}
 */
import type { ConnectorConfig, ConnectorPlugin } from '../api.ts';
import { ConfigDef, atLeast, oneOf, type ConfigKey } from '../config-def.ts';
import { findConverter, findConnectorPlugin, findTransformation } from '../plugins.ts';

const common = 'Common';
const transformsGroup = 'Transforms';
const errorGroup = 'Error Handling';

export const commonConfigDef = new ConfigDef()
  .define({ name: 'name', type: 'string', importance: 'high', doc: 'Globally unique name to use for this connector.', group: common, displayName: 'Connector name' })
  .define({ name: 'connector.class', type: 'string', importance: 'high', doc: 'Name or alias of the class for this connector.', group: common, displayName: 'Connector class' })
  .define({ name: 'tasks.max', type: 'int', default: 1, importance: 'high', doc: 'Maximum number of tasks to use for this connector.', validator: atLeast(1), group: common, displayName: 'Tasks max' })
  .define({ name: 'key.converter', type: 'class', default: null, importance: 'low', doc: 'Converter class for the key.', group: common, validator: converterValidator })
  .define({ name: 'value.converter', type: 'class', default: null, importance: 'low', doc: 'Converter class for the value.', group: common, validator: converterValidator })
  .define({ name: 'header.converter', type: 'class', default: null, importance: 'low', doc: 'Header converter (headers pass through as bytes).', group: common })
  .define({ name: 'transforms', type: 'list', default: [], importance: 'low', doc: 'Aliases for the transformations to be applied to records.', group: transformsGroup })
  .define({ name: 'predicates', type: 'list', default: [], importance: 'low', doc: 'Aliases for predicates (accepted, not applied).', group: transformsGroup })
  .define({ name: 'errors.retry.timeout', type: 'long', default: 0, importance: 'medium', doc: 'Maximum duration in milliseconds that a failed operation will be reattempted.', group: errorGroup })
  .define({ name: 'errors.retry.delay.max.ms', type: 'long', default: 60000, importance: 'medium', doc: 'Maximum duration in milliseconds between consecutive retry attempts.', group: errorGroup })
  .define({ name: 'errors.tolerance', type: 'string', default: 'none', importance: 'medium', doc: 'Behavior for tolerating errors: none fails the task, all skips problematic records.', validator: oneOf('none', 'all'), group: errorGroup })
  .define({ name: 'errors.log.enable', type: 'boolean', default: false, importance: 'medium', doc: 'Log each error and the failed operation.', group: errorGroup })
  .define({ name: 'errors.log.include.messages', type: 'boolean', default: false, importance: 'medium', doc: 'Include the record in the error log.', group: errorGroup });

export const sinkConfigDef = commonConfigDef
  .merge(
    new ConfigDef()
      .define({ name: 'topics', type: 'list', default: [], importance: 'high', doc: 'List of topics to consume, separated by commas.', group: common })
      .define({ name: 'topics.regex', type: 'string', default: '', importance: 'high', doc: 'Regular expression giving topics to consume.', group: common, validator: regexValidator })
      .define({ name: 'errors.deadletterqueue.topic.name', type: 'string', default: '', importance: 'medium', doc: 'Topic for records that fail in conversion, transformation or delivery.', group: errorGroup })
      .define({ name: 'errors.deadletterqueue.topic.replication.factor', type: 'int', default: 3, importance: 'low', doc: 'Replication factor of the dead letter queue topic (one broker: ignored).', group: errorGroup })
      .define({ name: 'errors.deadletterqueue.context.headers.enable', type: 'boolean', default: false, importance: 'medium', doc: 'Add __connect.errors.* headers with the error context to dead letter records.', group: errorGroup }),
  );

export const sourceConfigDef = commonConfigDef.merge(
  new ConfigDef()
    .define({ name: 'topic.creation.default.partitions', type: 'int', default: -1, importance: 'low', doc: 'Partitions of topics this connector creates (-1: broker default).', group: 'Topic Creation' })
    .define({ name: 'offset.flush.timeout.ms', type: 'long', default: 5000, importance: 'low', doc: 'Accepted for compatibility.', group: common }),
);

function converterValidator(v: unknown, name: string): string | null {
  if (typeof v !== 'string' || v === '') return null;
  return findConverter(v) === undefined ? `Invalid value ${v} for configuration ${name}: Class ${v} could not be found.` : null;
}

function regexValidator(v: unknown, name: string): string | null {
  if (typeof v !== 'string' || v === '') return null;
  try {
    new RegExp(v);
    return null;
  } catch (err) {
    return `Invalid value ${v} for configuration ${name}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

export interface ConfigInfo {
  definition: {
    name: string;
    type: string;
    required: boolean;
    default_value: string | null;
    importance: string;
    documentation: string;
    group: string | null;
    width: string;
    display_name: string;
    dependents: string[];
    order: number;
  };
  value: { name: string; value: string | null; recommended_values: string[]; errors: string[]; visible: boolean };
}

/** Validates a connector config against the common keys, the plugin's keys and its transforms. */
export async function validateConnectorConfig(config: ConnectorConfig, pluginHint?: ConnectorPlugin): Promise<ConfigInfos> {
  const className = config['connector.class'] ?? pluginHint?.className ?? '';
  const plugin = pluginHint ?? findConnectorPlugin(className, config);
  const base = plugin?.type === 'source' ? sourceConfigDef : sinkConfigDef;
  const keyed: { key: ConfigKey; group: string }[] = [];
  const errors = new Map<string, string[]>();
  const add = (def: ConfigDef, fallbackGroup: string | null, raw: ConnectorConfig, prefix = '') => {
    const { errors: errs } = def.parse(raw);
    for (const key of def.keys()) {
      const full = { ...key, name: prefix + key.name };
      keyed.push({ key: full, group: key.group ?? fallbackGroup ?? common });
      if (errs[key.name]) errors.set(full.name, [...(errors.get(full.name) ?? []), ...errs[key.name]]);
    }
  };
  add(plugin?.type === 'source' ? sourceConfigDef : base, common, config);
  if (plugin === undefined) {
    errors.set('connector.class', [`Failed to find any class that implements Connector and which name matches ${className}`]);
  } else {
    add(plugin.configDef, plugin.className.slice(plugin.className.lastIndexOf('.') + 1), config);
    if (plugin.type === 'sink') {
      const topics = (config.topics ?? '').trim();
      const regex = (config['topics.regex'] ?? '').trim();
      if (topics !== '' && regex !== '') errors.set('topics', ['topics and topics.regex are mutually exclusive options, but both are set.']);
      else if (topics === '' && regex === '') errors.set('topics', ['Must configure one of topics or topics.regex']);
      const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
      if (dlq !== '' && topics.split(',').map((t) => t.trim()).includes(dlq)) {
        errors.set('errors.deadletterqueue.topic.name', [`The DLQ topic '${dlq}' may not be included in the list of topics ('topics=${topics}') consumed by the connector`]);
      }
    }
    const instance = plugin.create();
    if (instance.validate !== undefined) {
      try {
        const more = await instance.validate(config);
        for (const [k, v] of Object.entries(more)) if (v.length) errors.set(k, [...(errors.get(k) ?? []), ...v]);
      } catch (err) {
        errors.set('connector.class', [`validation failed: ${err instanceof Error ? err.message : String(err)}`]);
      }
    }
  }
  // Transforms: each alias needs a known type and a config its plugin accepts.
  for (const alias of (config.transforms ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const typeKey = `transforms.${alias}.type`;
    const type = config[typeKey];
    const t = type === undefined ? undefined : findTransformation(type);
    keyed.push({ key: { name: typeKey, type: 'class', importance: 'high', doc: 'Class for the transformation.' }, group: `Transforms: ${alias}` });
    if (t === undefined) {
      errors.set(typeKey, [type === undefined ? 'Missing required configuration "' + typeKey + '" which has no default value.' : `Invalid value ${type} for configuration ${typeKey}: Class ${type} could not be found.`]);
      continue;
    }
    const sub: Record<string, string> = {};
    const prefix = `transforms.${alias}.`;
    for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix) && k !== typeKey) sub[k.slice(prefix.length)] = v;
    add(t.configDef, `Transforms: ${alias}`, sub, prefix);
    try {
      t.create().configure(sub);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (![...errors.keys()].some((k) => k.startsWith(prefix))) errors.set(typeKey, [msg]);
    }
  }
  const groups: string[] = [];
  const configs: ConfigInfo[] = keyed.map(({ key, group }, i) => {
    if (!groups.includes(group)) groups.push(group);
    const value = config[key.name];
    return {
      definition: {
        name: key.name,
        type: key.type.toUpperCase(),
        required: !('default' in key),
        default_value: 'default' in key && key.default !== null ? (Array.isArray(key.default) ? key.default.join(',') : String(key.default)) : null,
        importance: key.importance.toUpperCase(),
        documentation: key.doc,
        group,
        width: 'NONE',
        display_name: key.displayName ?? key.name,
        dependents: [],
        order: i + 1,
      },
      value: { name: key.name, value: key.type === 'password' && value !== undefined ? '[hidden]' : (value ?? null), recommended_values: [...(key.recommendedValues ?? [])], errors: errors.get(key.name) ?? [], visible: true },
    };
  });
  // Errors on keys that have no definition row (e.g. a check across keys) still count.
  for (const [name, errs] of errors) {
    if (!configs.some((c) => c.definition.name === name)) {
      configs.push({
        definition: { name, type: 'STRING', required: false, default_value: null, importance: 'HIGH', documentation: '', group: common, width: 'NONE', display_name: name, dependents: [], order: configs.length + 1 },
        value: { name, value: config[name] ?? null, recommended_values: [], errors: errs, visible: true },
      });
    }
  }
  const errorCount = configs.reduce((n, c) => n + c.value.errors.length, 0);
  return { name: plugin?.className ?? className, error_count: errorCount, groups, configs };
}

/** Kafka's message for a config with errors, listing each. */
export function invalidConfigMessage(infos: ConfigInfos): string {
  const lines = infos.configs.filter((c) => c.value.errors.length > 0).map((c) => `${c.definition.name}: ${c.value.errors.join(', ')}`);
  return (
    `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n${lines.join('\n')}\n` +
    'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`'
  );
}
