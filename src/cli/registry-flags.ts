/**
 * The schema registry side of the client commands: the `--registry URL` flag (env
 * `RUNNEL_REGISTRY`, default http://127.0.0.1:8081), loading the registry module only when a
 * command needs it, and turning registry failures into messages that say what to fix.
 *
 * The registry module (avsc, ajv, protobufjs) takes about a second to load, so `runnel produce`
 * and `runnel consume` import it only when a schema flag is given.
 */
import type { Command } from 'commander';
import { CliError } from './cli-error.ts';

export const SCHEMA_TYPES = ['avro', 'json', 'protobuf'] as const;
export type SchemaTypeName = (typeof SCHEMA_TYPES)[number];

export const REGISTRY_ENV = 'RUNNEL_REGISTRY';
export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081';

export type SchemaRegistryModule = typeof import('../schema-registry/index.ts');

export interface RegistryFlags {
  registry?: string;
}

/** Adds `--registry URL` to a command. */
export function addRegistryOption(cmd: Command): Command {
  return cmd.option('--registry <url>', `schema registry URL (env ${REGISTRY_ENV}; default ${DEFAULT_REGISTRY_URL})`);
}

/** Precedence: `--registry`, then `RUNNEL_REGISTRY`, then the default. */
export function registryUrl(flags: RegistryFlags, env: NodeJS.ProcessEnv = process.env): string {
  if (flags.registry !== undefined && flags.registry.trim() !== '') return flags.registry.trim();
  const fromEnv = env[REGISTRY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  return DEFAULT_REGISTRY_URL;
}

export function loadRegistryModule(): Promise<SchemaRegistryModule> {
  return import('../schema-registry/index.ts');
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  errorCode?: number;
  cause?: unknown;
}

/**
 * A registry error keeps Confluent's message and code; a failed connection says how to start a
 * registry or point at one.
 */
export function explainRegistryError(err: unknown, url: string): Error {
  if (err instanceof CliError) return err;
  const e = err as ErrorLike;
  if (e?.name === 'RegistryError') return new CliError(`${e.message ?? 'request failed'} (error ${e.errorCode ?? '?'})`, { cause: err });
  if (e?.name === 'SerializationError') return new CliError(e.message ?? 'serialization failed', { cause: err });
  if (e?.name === 'TypeError' && e.message === 'fetch failed') {
    const cause = e.cause as ErrorLike | undefined;
    const why = cause?.code ?? cause?.message ?? 'connection failed';
    return new CliError(`cannot reach the schema registry at ${url} (${why}); start one with 'runnel start', or point --registry / ${REGISTRY_ENV} at yours`, { cause: err });
  }
  if (err instanceof Error) return err;
  return new CliError(String(err));
}
