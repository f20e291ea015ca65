/**
 * Output of the list/describe commands: `--format text` (aligned tables, rpk-style upper-case
 * headers), `--format json` and `--format yaml` (the same data, for scripts).
 */
import { createRequire } from 'node:module';
import { Option, type Command } from 'commander';

/** `yaml` loads only for `--format yaml`. */
const require = createRequire(import.meta.url);
const toYaml = (value: unknown): string => (require('yaml') as typeof import('yaml')).stringify(value);

export const OUTPUT_FORMATS = ['text', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function addFormatOption(cmd: Command): Command {
  return cmd.addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'));
}

export type Cell = string | number | bigint | boolean | null | undefined;

/** Left-aligned columns separated by two spaces; null and undefined print as '-'. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Renders `data` as JSON or YAML, or calls `text` for the human form. */
export function render(format: OutputFormat, data: unknown, text: () => string): string {
  switch (format) {
    case 'json':
      return JSON.stringify(data, jsonReplacer, 2) + '\n';
    case 'yaml':
      return toYaml(JSON.parse(JSON.stringify(data, jsonReplacer)) as unknown);
    case 'text':
      return text();
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

export function print(format: OutputFormat, data: unknown, text: () => string): void {
  process.stdout.write(render(format, data, text));
}
