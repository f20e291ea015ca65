/**
 * `runnel schema register|get|list|check|delete|config`: the schema registry over its REST API,
 * so it works the same against Runnel's registry and Confluent's. Flags follow the Confluent
 * CLI (`confluent schema-registry schema create --subject S --schema FILE --type avro`); the
 * work is done by the registry module's command implementations, this file wires flags and
 * output (`--format text|json|yaml`, as the other commands).
 *
 * `check` exits 1 when the schema is incompatible, so scripts and CI can gate on it.
 *
 * @example
 *   runnel schema register --subject orders-value --schema order.avsc
 *   runnel schema check --subject orders-value --schema order-v2.avsc
 *   runnel schema delete --subject orders-value --version 1 --permanent
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CliError } from './cli-error.ts';
import { addFormatOption, render, type OutputFormat } from './output.ts';
import { addRegistryOption, explainRegistryError, loadRegistryModule, registryUrl, SCHEMA_TYPES, type RegistryFlags, type SchemaRegistryModule, type SchemaTypeName } from './registry-flags.ts';

const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'];

interface CommonFlags extends RegistryFlags {
  format: OutputFormat;
}

interface SchemaFlags extends CommonFlags {
  subject: string;
  schema: string;
  type?: SchemaTypeName;
  references?: string;
  normalize?: boolean;
  version?: string;
}

interface GetFlags extends CommonFlags {
  subject?: string;
  version?: string;
  showReferences?: boolean;
}

interface ListFlags extends CommonFlags {
  subjectPrefix?: string;
  all?: boolean;
}

interface DeleteFlags extends CommonFlags {
  subject: string;
  version?: string;
  permanent?: boolean;
}

interface ConfigFlags extends CommonFlags {
  subject?: string;
  compatibility?: string;
  delete?: boolean;
}

type CommandResult = Awaited<ReturnType<SchemaRegistryModule['schemaCli']['schemaGet']>>;

/** Runs one command implementation and prints its result in the chosen format. */
async function runAndPrint(flags: CommonFlags, work: (cli: SchemaRegistryModule['schemaCli'], registry: string) => Promise<CommandResult>, after?: (result: CommandResult) => void): Promise<void> {
  const url = registryUrl(flags);
  let result: CommandResult;
  try {
    const { schemaCli } = await loadRegistryModule();
    result = await work(schemaCli, url);
  } catch (err) {
    throw explainRegistryError(err, url);
  }
  process.stdout.write(render(flags.format, result.data, () => `${result.text}\n`));
  after?.(result);
}

/** `--version`: a number, `latest` or -1 (and `all` where the command allows it). */
function versionParser(allowAll: boolean): (value: string) => string {
  return (value) => {
    if (value === 'latest' || value === '-1' || (allowAll && value === 'all') || /^[1-9][0-9]*$/.test(value)) return value;
    throw new InvalidArgumentError(`'${value}' is not a version: use a number, latest${allowAll ? ' or all' : ''}`);
  };
}

function parseSchemaId(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a schema ID (a whole number, as 'runnel schema list' shows)`);
  return Number(value);
}

function parseCompatibility(value: string): string {
  const level = value.toUpperCase();
  if (!COMPATIBILITY_LEVELS.includes(level)) throw new InvalidArgumentError(`'${value}' is not a compatibility level: use one of ${COMPATIBILITY_LEVELS.join(', ')}`);
  return level;
}

function typeOption(): Option {
  return new Option('--type <type>', 'schema type (default avro)').choices(SCHEMA_TYPES);
}

function common(cmd: Command): Command {
  addRegistryOption(cmd);
  return addFormatOption(cmd);
}

function registerRegister(schema: Command): void {
  const cmd = schema
    .command('register')
    .alias('create')
    .description('register a schema under a subject (the same schema again returns the same ID)')
    .requiredOption('--subject <subject>', 'subject, e.g. orders-value')
    .requiredOption('--schema <file|text>', 'schema file, or the schema text itself')
    .addOption(typeOption())
    .option('--references <file|json>', 'file (or JSON text) with [{"name", "subject", "version"}] for the schemas this one imports')
    .option('--normalize', 'normalize the schema before looking for an existing version')
    .action((flags: SchemaFlags) =>
      runAndPrint(flags, (cli, registry) => cli.schemaRegister({ registry, subject: flags.subject, schema: flags.schema, type: flags.type, references: flags.references, normalize: flags.normalize })),
    )
    .addHelpText(
      'after',
      `
Examples:
  runnel schema register --subject orders-value --schema order.avsc
  runnel schema register --subject users-value --type json --schema '{"type":"object"}'
  runnel schema register --subject shop-value --type protobuf --schema shop.proto --references refs.json`,
    );
  common(cmd);
}

function registerGet(schema: Command): void {
  const cmd = schema
    .command('get')
    .alias('describe')
    .description('show a schema by ID, or a version of a subject')
    .argument('[id]', 'schema ID', parseSchemaId)
    .option('--subject <subject>', 'subject to show (instead of an ID)')
    .option('--version <version>', 'version of --subject: a number or latest (default latest)', versionParser(false))
    .option('--show-references', 'list the schemas this one references')
    .action((id: number | undefined, flags: GetFlags) => {
      if (id === undefined && flags.subject === undefined) throw new CliError('say which schema: runnel schema get ID, or runnel schema get --subject SUBJECT [--version N]');
      if (id !== undefined && flags.subject !== undefined) throw new CliError('give a schema ID or --subject, not both');
      return runAndPrint(flags, (cli, registry) => cli.schemaGet({ registry, id, subject: flags.subject, version: flags.version, showReferences: flags.showReferences }));
    })
    .addHelpText(
      'after',
      `
Examples:
  runnel schema get 1
  runnel schema get --subject orders-value --version 2 --format json`,
    );
  common(cmd);
}

function registerList(schema: Command): void {
  const cmd = schema
    .command('list')
    .description('list the schemas of every subject, one row per version')
    .option('--subject-prefix <prefix>', 'only subjects starting with this')
    .option('--all', 'include soft-deleted schemas')
    .action((flags: ListFlags) => runAndPrint(flags, (cli, registry) => cli.schemaList({ registry, subjectPrefix: flags.subjectPrefix, all: flags.all })));
  common(cmd);
}

function registerCheck(schema: Command): void {
  const cmd = schema
    .command('check')
    .description("test a schema against a subject's compatibility level (exit 1 when incompatible)")
    .requiredOption('--subject <subject>', 'subject to check against')
    .requiredOption('--schema <file|text>', 'the new schema: a file, or the schema text itself')
    .addOption(typeOption())
    .option('--references <file|json>', 'file (or JSON text) with the references of the new schema')
    .option('--version <version>', 'version to check against: a number, latest (default) or all', versionParser(true))
    .action((flags: SchemaFlags) =>
      runAndPrint(
        flags,
        (cli, registry) => cli.schemaCheck({ registry, subject: flags.subject, schema: flags.schema, type: flags.type, references: flags.references, version: flags.version }),
        (result) => {
          if ((result.data as { is_compatible?: boolean }).is_compatible !== true) process.exitCode = 1;
        },
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  runnel schema check --subject orders-value --schema order-v2.avsc
  runnel schema check --subject orders-value --schema order-v2.avsc --version all`,
    );
  common(cmd);
}

function registerDelete(schema: Command): void {
  const cmd = schema
    .command('delete')
    .description('delete a subject or one of its versions (soft first; --permanent after a soft delete)')
    .requiredOption('--subject <subject>', 'subject to delete from')
    .option('--version <version>', 'a number, latest, or all (default: the whole subject)', versionParser(true))
    .option('--permanent', 'hard-delete what was soft-deleted before (the registry forgets it)')
    .action((flags: DeleteFlags) => runAndPrint(flags, (cli, registry) => cli.schemaDelete({ registry, subject: flags.subject, version: flags.version, permanent: flags.permanent })))
    .addHelpText(
      'after',
      `
Examples:
  runnel schema delete --subject orders-value --version 1
  runnel schema delete --subject orders-value --version 1 --permanent
  runnel schema delete --subject orders-value                 # every version, soft`,
    );
  common(cmd);
}

function registerConfig(schema: Command): void {
  const cmd = schema
    .command('config')
    .description('show or set the compatibility level of the registry or of a subject')
    .option('--subject <subject>', 'subject (default: the registry-wide setting)')
    .option('--compatibility <level>', `set the level: ${COMPATIBILITY_LEVELS.join(', ')}`, parseCompatibility)
    .option('--delete', "remove the setting (a subject falls back to the registry's)")
    .action((flags: ConfigFlags) => {
      if (flags.delete === true && flags.compatibility !== undefined) throw new CliError('choose --compatibility or --delete, not both');
      return runAndPrint(flags, (cli, registry) => cli.schemaConfig({ registry, subject: flags.subject, compatibility: flags.compatibility, delete: flags.delete }));
    })
    .addHelpText(
      'after',
      `
Examples:
  runnel schema config
  runnel schema config --subject orders-value --compatibility FULL
  runnel schema config --subject orders-value --delete`,
    );
  common(cmd);
}

export function registerSchema(program: Command): void {
  const schema = program.command('schema').description('manage schemas in the schema registry (Confluent REST API)');
  registerRegister(schema);
  registerGet(schema);
  registerList(schema);
  registerCheck(schema);
  registerDelete(schema);
  registerConfig(schema);
}
