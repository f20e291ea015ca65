/**
 * `runnel group list|describe|reset-offsets|delete`: consumer groups over the Kafka protocol
 * (ListGroups, DescribeGroups, OffsetFetch, ListOffsets, OffsetCommit, DeleteGroups).
 *
 * @example
 *   runnel group describe billing
 *   runnel group reset-offsets billing --topic orders --to-earliest --execute
 */
import type { Command } from 'commander';
import { CliError } from './cli-error.ts';
import { describeGroup, formatGroupReport } from './group-describe.ts';
import { executeReset, parseScenario, parseTopicScope, planReset, requireInactive, type ResetFlags, type TopicScope } from './group-reset.ts';
import { addClientOptions, requireTopics, withAdmin, type ClientFlags } from './kafka-client.ts';
import { addFormatOption, formatTable, print, type OutputFormat } from './output.ts';
import { TIMESTAMP_HELP } from './timestamps.ts';

interface FormatFlags extends ClientFlags {
  format: OutputFormat;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function listGroups(flags: FormatFlags): Promise<void> {
  const rows = await withAdmin(flags, async (admin) => {
    const { groups } = await admin.listGroups();
    if (groups.length === 0) return [];
    const described = await admin.describeGroups(groups.map((g) => g.groupId));
    return described.groups
      .map((g) => ({ group: g.groupId, state: g.state, protocolType: g.protocolType, members: g.members.length }))
      .sort((a, b) => a.group.localeCompare(b.group));
  });
  print(flags.format, rows, () => formatTable(['GROUP', 'STATE', 'PROTOCOL-TYPE', 'MEMBERS'], rows.map((r) => [r.group, r.state, r.protocolType || '-', r.members])));
}

async function describeGroups(groups: string[], flags: FormatFlags): Promise<void> {
  const reports = await withAdmin(flags, async (admin) => {
    const out = [];
    for (const g of groups) out.push(await describeGroup(admin, g));
    return out;
  });
  print(flags.format, reports.length === 1 ? reports[0] : reports, () => reports.map(formatGroupReport).join('\n'));
}

interface ResetCommandFlags extends FormatFlags, ResetFlags {
  topic: string[];
  allTopics?: boolean;
  dryRun?: boolean;
  execute?: boolean;
}

async function resetOffsets(group: string, flags: ResetCommandFlags): Promise<void> {
  const scenario = parseScenario(flags);
  if (flags.dryRun === true && flags.execute === true) throw new CliError('choose --dry-run or --execute, not both');
  if (flags.topic.length === 0 && flags.allTopics !== true) throw new CliError('say which offsets to reset: --topic TOPIC[:PARTITIONS] (repeatable) or --all-topics');
  if (flags.topic.length > 0 && flags.allTopics === true) throw new CliError('choose --topic or --all-topics, not both');
  const execute = flags.execute === true;
  if (!execute && flags.dryRun !== true) {
    process.stderr.write('runnel: no offsets were changed: add --execute to commit the new offsets (or --dry-run to only show them)\n');
  }
  const rows = await withAdmin(flags, async (admin) => {
    let scopes: TopicScope[] = flags.topic.map(parseTopicScope);
    if (flags.allTopics === true) {
      const committed = await admin.fetchOffsets({ groupId: group });
      scopes = committed.filter((t) => t.partitions.some((p) => BigInt(p.offset) >= 0n)).map((t) => ({ topic: t.topic, partitions: null }));
      if (scopes.length === 0) throw new CliError(`group '${group}' has no committed offsets, so --all-topics names nothing; use --topic TOPIC`);
    } else {
      await requireTopics(admin, scopes.map((s) => s.topic));
    }
    if (execute) await requireInactive(admin, group);
    const plan = await planReset(admin, group, scopes, scenario);
    if (execute) await executeReset(admin, group, plan);
    return plan;
  });
  print(flags.format, rows, () => formatTable(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET'], rows.map((r) => [r.group, r.topic, r.partition, r.currentOffset, r.newOffset])));
}

async function deleteGroups(groups: string[], flags: FormatFlags): Promise<void> {
  const rows = await withAdmin(flags, async (admin) => {
    const results = await admin.deleteGroups(groups).catch((err: { groups?: { groupId: string; error?: { type?: string; message?: string } }[] }) => {
      if (err.groups === undefined) throw err;
      return err.groups;
    });
    return results.map((r) => ({ group: r.groupId, status: r.error === undefined ? 'OK' : `${r.error.type ?? 'ERROR'}: ${r.error.message ?? ''}` }));
  });
  print(flags.format, rows, () => formatTable(['GROUP', 'STATUS'], rows.map((r) => [r.group, r.status])));
  if (rows.some((r) => r.status !== 'OK')) process.exitCode = 1;
}

export function registerGroup(program: Command): void {
  const group = program.command('group').description('list, describe, reset and delete consumer groups');

  addFormatOption(addClientOptions(group.command('list').alias('ls').description('list consumer groups with state and member count').action((flags: FormatFlags) => listGroups(flags))));

  addFormatOption(
    addClientOptions(
      group
        .command('describe')
        .description('members, assignments, committed offsets, log end offsets and lag per partition')
        .argument('<groups...>', 'group ids')
        .action((groups: string[], flags: FormatFlags) => describeGroups(groups, flags)),
    ),
  );

  addFormatOption(
    addClientOptions(
      group
        .command('reset-offsets')
        .description("move a group's committed offsets (the group must have no running consumers)")
        .argument('<group>', 'group id')
        .option('-t, --topic <topic[:partitions]>', 'topic, optionally with partitions: orders or orders:0,1 (repeatable)', collect, [])
        .option('--all-topics', 'every topic the group has committed offsets for')
        .option('--to-earliest', 'to the start of each log')
        .option('--to-latest', 'to the end of each log (skip everything there now)')
        .option('--to-offset <offset>', 'to this offset')
        .option('--to-datetime <ts>', `to the first record at or after ${TIMESTAMP_HELP}`)
        .option('--shift-by <n>', 'move by n (negative goes back)')
        .option('--dry-run', 'show the new offsets, change nothing (the default)')
        .option('--execute', 'commit the new offsets')
        .action((name: string, flags: ResetCommandFlags) => resetOffsets(name, flags))
        .addHelpText(
          'after',
          `
Examples:
  runnel group reset-offsets billing --topic orders --to-earliest --dry-run
  runnel group reset-offsets billing --topic orders:0,1 --to-offset 42 --execute
  runnel group reset-offsets billing --all-topics --to-datetime 2024-05-01T10:00:00Z --execute`,
        ),
    ),
  );

  addFormatOption(
    addClientOptions(
      group
        .command('delete')
        .description('delete inactive groups and their committed offsets')
        .argument('<groups...>', 'group ids')
        .action((groups: string[], flags: FormatFlags) => deleteGroups(groups, flags)),
    ),
  );
}
