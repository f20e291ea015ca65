/**
 * The `runnel` command. `start` runs the platform; the client commands talk to a running
 * platform (or any Kafka cluster) over public protocols.
 *
 * Only the module of the command being run is loaded (`runnel consume` does not load the
 * schema or group commands): every command is a new process, and loading modules through tsx
 * is most of a short command's run time. Help and unknown commands load them all.
 */
import { Command, CommanderError } from 'commander';

type Registrar = (program: Command) => void;

/** Command name -> loader of the function that adds it to the program, in help order. */
const COMMANDS: ReadonlyMap<string, () => Promise<Registrar>> = new Map([
  ['start', async () => (await import('./start.ts')).registerStart],
  ['topic', async () => (await import('./topic.ts')).registerTopic],
  ['produce', async () => (await import('./produce.ts')).registerProduce],
  ['consume', async () => (await import('./consume.ts')).registerConsume],
  ['group', async () => (await import('./group.ts')).registerGroup],
  ['schema', async () => (await import('./schema.ts')).registerSchema],
  ['nexmark', async () => (await import('./nexmark.ts')).registerNexmark],
  ['connector', async () => (await import('./connector.ts')).registerConnector],
  ['sql', async () => (await import('./sql.ts')).registerSql],
]);

/** The program with the command named by `argv[0]`, or with every command when it names none. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('runnel')
    .description('Runnel: a streaming data platform in one process')
    .showHelpAfterError('(run with --help for usage)');
  const only = argv.length > 0 ? COMMANDS.get(argv[0]) : undefined;
  const loaders = only !== undefined ? [only] : [...COMMANDS.values()];
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    process.stderr.write(`runnel: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
