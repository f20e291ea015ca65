/**
 * The transforms users reach for first, under Kafka's and Debezium's class names and our short
 * names, plus the chain the worker builds from `transforms=a,b` and `transforms.a.type=...`.
 */
import type { ConnectorConfig, ConnectRecord, Transformation } from '../api.ts';
import { findTransformation, registerTransformation } from '../plugins.ts';
import { ConnectError } from '../errors.ts';
import { ExtractNewRecordState, extractNewRecordStateConfig } from './extract-new-record-state.ts';
import { InsertField, insertFieldConfig } from './insert-field.ts';
import { RegexRouter, regexRouterConfig } from './regex-router.ts';
import { ReplaceField, replaceFieldConfig } from './replace-field.ts';
import { TimestampConverter, timestampConverterConfig } from './timestamp-converter.ts';

export { ExtractNewRecordState, InsertField, RegexRouter, ReplaceField, TimestampConverter };

const kafka = 'org.apache.kafka.connect.transforms';
registerTransformation({ className: 'io.debezium.transforms.ExtractNewRecordState', aliases: ['ExtractNewRecordState', 'UnwrapFromEnvelope', 'io.debezium.transforms.UnwrapFromEnvelope'], configDef: extractNewRecordStateConfig, create: () => new ExtractNewRecordState() });
registerTransformation({ className: `${kafka}.RegexRouter`, aliases: ['RegexRouter'], configDef: regexRouterConfig, create: () => new RegexRouter() });
for (const [side, suffix] of [['value', 'Value'], ['key', 'Key']] as const) {
  registerTransformation({ className: `${kafka}.InsertField$${suffix}`, aliases: [`InsertField$${suffix}`], configDef: insertFieldConfig, create: () => new InsertField(side) });
  registerTransformation({ className: `${kafka}.ReplaceField$${suffix}`, aliases: [`ReplaceField$${suffix}`], configDef: replaceFieldConfig, create: () => new ReplaceField(side) });
  registerTransformation({ className: `${kafka}.TimestampConverter$${suffix}`, aliases: [`TimestampConverter$${suffix}`], configDef: timestampConverterConfig, create: () => new TimestampConverter(side) });
}

/** Longest transform chain accepted. */
const transformsMax = 64;

export interface TransformChain {
  apply<R extends ConnectRecord>(record: R): R | null;
  close(): void;
}

/** Builds `transforms=a,b` with `transforms.a.type` and `transforms.a.*` from a connector config. */
export function buildTransformChain(config: ConnectorConfig): TransformChain {
  const names = (config.transforms ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length > transformsMax) throw new ConnectError('config', `at most ${transformsMax} transforms`);
  const chain: Transformation[] = names.map((alias) => {
    const type = config[`transforms.${alias}.type`];
    if (type === undefined) throw new ConnectError('config', `Invalid value null for configuration transforms.${alias}.type: Not a Transformation`);
    const plugin = findTransformation(type);
    if (plugin === undefined) throw new ConnectError('config', `Invalid value ${type} for configuration transforms.${alias}.type: Class ${type} could not be found.`);
    const prefix = `transforms.${alias}.`;
    const sub: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix) && k !== `${prefix}type`) sub[k.slice(prefix.length)] = v;
    const t = plugin.create();
    try {
      t.configure(sub);
    } catch (err) {
      throw new ConnectError('config', `transforms.${alias}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return t;
  });
  return {
    apply<R extends ConnectRecord>(record: R): R | null {
      let r: R | null = record;
      for (const t of chain) {
        if (r === null) return null;
        r = t.apply(r);
      }
      return r;
    },
    close() {
      for (const t of chain) t.close?.();
    },
  };
}
