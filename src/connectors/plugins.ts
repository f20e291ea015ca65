/**
 * The plugin registry: connectors, transforms and converters by class name and alias, so a
 * config copied from Kafka's, Debezium's or Confluent's docs finds the same plugin as our short
 * names. Plugins register themselves at import time (see `builtin.ts`).
 */
import type { ConnectorConfig, ConnectorPlugin, Converter, TransformationPlugin } from './api.ts';
import type { RegistryClient } from '../schema-registry/index.ts';

const connectors: ConnectorPlugin[] = [];
const transforms = new Map<string, TransformationPlugin>();

export interface ConverterEnv {
  /** The platform's own registry, used unless the converter's `schema.registry.url` points elsewhere. */
  readonly registry: RegistryClient | null;
  /** The URL of the platform's own registry: a converter configured with it uses `registry` directly. */
  readonly registryUrl?: string;
}

export interface ConverterPlugin {
  readonly className: string;
  readonly aliases: readonly string[];
  create(env: ConverterEnv): Converter;
}
const converters = new Map<string, ConverterPlugin>();

/** Adds a connector plugin; a later registration of the same class name replaces the earlier one. */
export function registerConnectorPlugin(plugin: ConnectorPlugin): void {
  const i = connectors.findIndex((p) => p.className === plugin.className && p.accepts === plugin.accepts);
  if (i >= 0) connectors.splice(i, 1);
  connectors.push(plugin);
}

export function registerTransformation(plugin: TransformationPlugin): void {
  for (const name of [plugin.className, ...plugin.aliases]) transforms.set(name, plugin);
}

export function registerConverter(plugin: ConverterPlugin): void {
  for (const name of [plugin.className, ...plugin.aliases]) converters.set(name, plugin);
}

/**
 * The plugin for a `connector.class` value: by class name or alias, then (for names shared by
 * several plugins) the first whose `accepts(config)` is true. A bare simple name
 * (`PostgresConnector`) matches a class name ending in `.PostgresConnector`, as Connect allows.
 */
export function findConnectorPlugin(name: string, config: ConnectorConfig = {}): ConnectorPlugin | undefined {
  const candidates = connectors.filter((p) => p.className === name || p.aliases.includes(name) || p.className.endsWith(`.${name}`));
  if (candidates.length <= 1) return candidates[0];
  return candidates.find((p) => p.accepts?.(config) ?? true);
}

export function connectorPlugins(): readonly ConnectorPlugin[] {
  return connectors;
}

export function findTransformation(name: string): TransformationPlugin | undefined {
  return transforms.get(name);
}

export function transformationPlugins(): TransformationPlugin[] {
  return [...new Set(transforms.values())];
}

export function findConverter(name: string): ConverterPlugin | undefined {
  return converters.get(name);
}
