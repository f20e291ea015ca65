/** Runs `runnel start` as a child process, as users and scripts do, and waits for its ready line. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface PlatformProcess {
  child: ChildProcess;
  /** Endpoints from the ready line, e.g. { kafka: '127.0.0.1:40123' }. */
  endpoints: Record<string, string>;
  stderr: () => string;
  /** Waits for exit after a signal; resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const binPath = new URL('../../bin/runnel.mjs', import.meta.url).pathname;

const portFlags = ['--kafka-port', '--registry-port', '--connect-port', '--http-port'];

/**
 * Starts `runnel start` with `args`. Listeners whose port the args leave unset get port 0, so
 * parallel test files never collide on the defaults (9092, 8081, 8083, 8080).
 */
export function startPlatformProcess(args: readonly string[], timeoutMs = 30_000): Promise<PlatformProcess> {
  const fullArgs = [...args];
  for (const flag of portFlags) if (!fullArgs.includes(flag)) fullArgs.push(flag, '0');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, 'start', ...fullArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runnel start did not print its ready line within ${timeoutMs} ms\n${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`runnel start exited ${code} before it was ready\n${err}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('runnel ready '));
      if (!line) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const endpoints = Object.fromEntries(
        line
          .slice('runnel ready '.length)
          .split(' ')
          .map((kv) => kv.split('=', 2) as [string, string]),
      );
      resolve({
        child,
        endpoints,
        stderr: () => err,
        stop(signal: NodeJS.Signals = 'SIGTERM') {
          return new Promise((res) => {
            if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
            child.once('exit', (code) => res(code));
            child.kill(signal);
          });
        },
      });
    });
  });
}

/** POSTs a statement to the HTTP API at `httpBase`; throws with the answer unless it succeeded. */
export async function postStatement(httpBase: string, statement: string, properties: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${httpBase}/v1/statements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ statement, properties }) });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${statement}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}
