/**
 * Splits SQL scripts into statements at `;`, the way the shell and `runnel sql -f` need it:
 * semicolons inside quotes ('…', "…", `…`), comments (-- …, /* … *\/) and
 * `EXECUTE STATEMENT SET BEGIN …; …; END` blocks do not end a statement. Each piece keeps the
 * line it starts on, so an error's line in the statement maps back to the file.
 */

export interface ScriptStatement {
  readonly text: string;
  /** 1-based line of the statement's first character in the script. */
  readonly line: number;
}

/** Longest script accepted, in characters. */
export const SCRIPT_LENGTH_MAX = 10_000_000;

export interface SplitResult {
  readonly statements: ScriptStatement[];
  /** Text after the last `;` that is not blank or a comment (an unfinished statement). */
  readonly rest: string;
}

export function splitStatements(script: string): SplitResult {
  if (script.length > SCRIPT_LENGTH_MAX) throw new RangeError(`script longer than ${SCRIPT_LENGTH_MAX} characters`);
  const out: ScriptStatement[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let depth = 0; // inside BEGIN … END of a statement set
  let words: string[] = [];
  let i = 0;
  const n = script.length;
  const flush = (end: number) => {
    const text = script.slice(start, end);
    if (meaningful(text)) out.push({ text: text.trim(), line: startLine + leadingNewlines(text) });
  };
  while (i < n) {
    const c = script[i];
    if (c === '\n') { line++; i++; continue; }
    if (c === '-' && script[i + 1] === '-') { while (i < n && script[i] !== '\n') i++; continue; }
    if (c === '/' && script[i + 1] === '*') {
      i += 2;
      while (i < n && !(script[i] === '*' && script[i + 1] === '/')) { if (script[i] === '\n') line++; i++; }
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n) {
        if (script[i] === '\n') line++;
        if (script[i] === c) {
          if (script[i + 1] === c) { i += 2; continue; }
          break;
        }
        i++;
      }
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_$]/.test(script[j])) j++;
      const w = script.slice(i, j).toUpperCase();
      words.push(w);
      if (words.length > 4) words = words.slice(-4);
      if (w === 'BEGIN' && words.slice(-4, -1).join(' ') === 'EXECUTE STATEMENT SET') depth++;
      else if (w === 'END' && depth > 0) depth--;
      i = j;
      continue;
    }
    if (c === ';' && depth === 0) {
      flush(i);
      start = i + 1;
      startLine = line;
      words = [];
    }
    i++;
  }
  const tail = script.slice(start);
  return { statements: out, rest: meaningful(tail) ? tail.trim() : '' };
}

function leadingNewlines(text: string): number {
  const m = /^\s*/.exec(text);
  return (m?.[0].match(/\n/g) ?? []).length;
}

/** Whether text holds something besides whitespace and comments. */
function meaningful(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() !== '';
}
