/**
 * `runnel connector create|list|status|pause|resume|stop|restart|delete|offsets`: connectors over
 * the Kafka Connect REST API (`--connect`, default http://127.0.0.1:8083), so it works the same
 * against Runnel and a Kafka Connect cluster. `create -f` takes the JSON users post to Connect
 * (`{"name": ..., "config": {...}}`) or a bare config map with a `name` key.
 *
 * @example
 *   runnel connector create -f datagen.json
 *   runnel connector status datagen
 *   runnel connector restart datagen --include-tasks --only-failed
 *   runnel connector offsets datagen --reset   # after `runnel connector stop datagen`
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError } from './cli-error.ts';
import { addFormatOption, formatTable, render, type OutputFormat } from './output.ts';

const defaultConnectUrl = 'http://127.0.0.1:8083';

interface Flags {
  connect: string;
  format: OutputFormat;
}

/** One REST call; Connect's `{"error_code", "message"}` becomes a CliError with the message. */
async function call(flags: Flags, method: string, path: string, body?: unknown): Promise<unknown> {
  const base = flags.connect.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new CliError(`cannot reach Kafka Connect at ${base} (${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}); is \`runnel start\` running, or pass --connect URL`);
  }
  const text = await res.text();
  const parsed: unknown = text === '' ? null : JSON.parse(text);
  if (!res.ok) {
    const message = (parsed as { message?: string } | null)?.message ?? `HTTP ${res.status}`;
    throw new CliError(message);
  }
  return parsed;
}

function print(flags: Flags, data: unknown, text: () => string): void {
  process.stdout.write(render(flags.format, data, text));
}

interface StateInfo {
  name: string;
  type: string;
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

function statusText(s: StateInfo): string {
  const lines = [`${s.name} (${s.type}): ${s.connector.state}`];
  if (s.connector.trace) lines.push(`  ${s.connector.trace.split('\n')[0]}`);
  lines.push(formatTable(['TASK', 'STATE', 'WORKER', 'TRACE'], s.tasks.map((t) => [t.id, t.state, t.worker_id, t.trace?.split('\n')[0] ?? ''])));
  return lines.join('\n');
}

export function registerConnector(program: Command): void {
  const connector = program.command('connector').description('manage Kafka Connect connectors over the Connect REST API');
  const sub = (name: string, description: string) => addFormatOption(connector.command(name).description(description).option('--connect <url>', 'Kafka Connect REST URL', defaultConnectUrl));

  sub('create', 'create a connector from a JSON file ({"name", "config"} or a config map with "name")')
    .requiredOption('-f, --file <path>', 'connector JSON ("-" for stdin)')
    .action(async (o: Flags & { file: string }) => {
      const text = o.file === '-' ? await readStdin() : await readFile(o.file, 'utf8').catch((err: unknown) => {
        throw new CliError(`cannot read ${o.file}: ${err instanceof Error ? err.message : String(err)}`);
      });
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        throw new CliError(`${o.file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      const body = json.config !== undefined ? json : { name: json.name, config: json };
      const info = (await call(o, 'POST', '/connectors', body)) as { name: string; type: string; tasks: unknown[] };
      print(o, info, () => `created ${info.type} connector ${info.name} with ${info.tasks.length} task(s)\n`);
    });

  sub('list', 'list connectors with their states').action(async (o: Flags) => {
    const all = (await call(o, 'GET', '/connectors?expand=status')) as Record<string, { status: StateInfo }>;
    const rows = Object.values(all).map((x) => x.status);
    print(o, rows, () => formatTable(['NAME', 'TYPE', 'STATE', 'TASKS'], rows.map((s) => [s.name, s.type, s.connector.state, s.tasks.map((t) => `${t.id}:${t.state}`).join(' ')])));
  });

  sub('status', 'show a connector and its tasks')
    .argument('<name>')
    .action(async (name: string, o: Flags) => {
      const s = (await call(o, 'GET', `/connectors/${encodeURIComponent(name)}/status`)) as StateInfo;
      print(o, s, () => statusText(s));
    });

  for (const [verb, done] of [
    ['pause', 'paused'],
    ['resume', 'resumed'],
    ['stop', 'stopped'],
  ] as const) {
    sub(verb, `${verb} a connector`)
      .argument('<name>')
      .action(async (name: string, o: Flags) => {
        await call(o, 'PUT', `/connectors/${encodeURIComponent(name)}/${verb}`);
        print(o, { name, result: done }, () => `${done} ${name}\n`);
      });
  }

  sub('restart', 'restart a connector (and its tasks with --include-tasks), or one task with --task')
    .argument('<name>')
    .option('--include-tasks', 'restart the tasks too')
    .option('--only-failed', 'restart only what is FAILED')
    .option('--task <id>', 'restart only this task')
    .action(async (name: string, o: Flags & { includeTasks?: boolean; onlyFailed?: boolean; task?: string }) => {
      const n = encodeURIComponent(name);
      if (o.task !== undefined) {
        await call(o, 'POST', `/connectors/${n}/tasks/${encodeURIComponent(o.task)}/restart`);
        print(o, { name, task: Number(o.task), result: 'restarted' }, () => `restarted task ${name}-${o.task}\n`);
        return;
      }
      const s = (await call(o, 'POST', `/connectors/${n}/restart?includeTasks=${o.includeTasks === true}&onlyFailed=${o.onlyFailed === true}`)) as StateInfo | null;
      print(o, s ?? { name, result: 'restarted' }, () => (s === null ? `restarted ${name}\n` : statusText(s)));
    });

  sub('delete', 'delete a connector (its offsets stay)')
    .argument('<name>')
    .action(async (name: string, o: Flags) => {
      await call(o, 'DELETE', `/connectors/${encodeURIComponent(name)}`);
      print(o, { name, result: 'deleted' }, () => `deleted ${name}\n`);
    });

  sub('offsets', 'show a connector\'s offsets; --set FILE or --reset change them (the connector must be stopped)')
    .argument('<name>')
    .option('--set <path>', 'JSON {"offsets": [{"partition": {...}, "offset": {...}}]} to apply (PATCH)')
    .option('--reset', 'remove all committed offsets (DELETE)')
    .action(async (name: string, o: Flags & { set?: string; reset?: boolean }) => {
      const path = `/connectors/${encodeURIComponent(name)}/offsets`;
      if (o.set !== undefined && o.reset) throw new CliError('use either --set or --reset');
      if (o.reset || o.set !== undefined) {
        const body = o.set === undefined ? undefined : (JSON.parse(await readFile(o.set, 'utf8')) as unknown);
        const r = (await call(o, o.reset ? 'DELETE' : 'PATCH', path, body)) as { message: string };
        print(o, r, () => `${r.message}\n`);
        return;
      }
      const r = (await call(o, 'GET', path)) as { offsets: { partition: unknown; offset: unknown }[] };
      print(o, r, () => formatTable(['PARTITION', 'OFFSET'], r.offsets.map((x) => [JSON.stringify(x.partition), JSON.stringify(x.offset)])));
    });
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}
