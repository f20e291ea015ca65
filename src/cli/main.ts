/**
 * The `runnel` command. `start` runs the platform; the client commands talk to a running
 * platform (or any Kafka cluster) over public protocols.
 */
import { Command, CommanderError } from 'commander';
import { registerConsume } from './consume.ts';
import { registerGroup } from './group.ts';
import { registerNexmark } from './nexmark.ts';
import { registerProduce } from './produce.ts';
import { registerStart } from './start.ts';
import { registerTopic } from './topic.ts';

export function buildProgram(): Command {
  const program = new Command('runnel')
    .description('Runnel: a streaming data platform in one process')
    .showHelpAfterError('(run with --help for usage)');
  registerStart(program);
  registerTopic(program);
  registerProduce(program);
  registerConsume(program);
  registerGroup(program);
  registerNexmark(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    process.stderr.write(`runnel: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
