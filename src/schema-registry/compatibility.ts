/**
 * Compatibility levels (Confluent's `CompatibilityChecker`): which earlier versions a new schema
 * is checked against and in which direction.
 *
 * - BACKWARD: the new schema reads data written with the latest version;
 * - FORWARD: the latest version reads data written with the new schema;
 * - FULL: both; `_TRANSITIVE`: against every earlier version, not only the latest.
 *
 * Earlier versions are checked newest first and the check stops at the first incompatible one,
 * whose number and schema are added to the messages, as Confluent reports them.
 */
import type { ParsedSchema } from './formats/index.ts';
import type { CompatibilityLevel } from './types.ts';

export interface PreviousVersion {
  version: number;
  parsed: ParsedSchema;
}

/**
 * Incompatibility messages of `candidate` against `previous` (oldest first), empty when compatible.
 * The last message names the level, as Confluent's does.
 */
export function checkCompatibility(level: CompatibilityLevel, candidate: ParsedSchema, previous: readonly PreviousVersion[]): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? [...previous].reverse() : [previous[previous.length - 1]];
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  for (const old of against) {
    const messages: string[] = [];
    if (backward) messages.push(...candidate.backwardIncompatibilities(old.parsed));
    if (forward) messages.push(...old.parsed.backwardIncompatibilities(candidate));
    if (messages.length > 0) {
      messages.push(`{oldSchemaVersion: ${old.version}}`, `{oldSchema: '${old.parsed.canonical}'}`, `{validateFields: 'false', compatibility: '${level}'}`);
      return messages;
    }
  }
  return [];
}

/** Whether a schema written by `writer` can be read with `reader` (the format's own rules). */
export function canRead(reader: ParsedSchema, writer: ParsedSchema): boolean {
  return reader.backwardIncompatibilities(writer).length === 0;
}
