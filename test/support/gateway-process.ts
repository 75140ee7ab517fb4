/**
 * Runs the gateway as users do (scripts/start.mjs, i.e. `npm start`) in a
 * child process with a config file of the test's, and reads its JSON log.
 * Ports are 0 in test configs: the gateway logs the URL it actually got.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

export interface LogLine {
  level: string;
  msg: string;
  cat?: string;
  [k: string]: unknown;
}

export interface GatewayProcess {
  child: ChildProcess;
  dir: string;
  logs: LogLine[];
  stderr: () => string;
  /** Resolves with the first log line matching, or rejects after timeoutMs. */
  waitLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  cleanup(): void;
}

export function tempDir(prefix = 'lg-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts `node scripts/start.mjs --config <dir>/linegate.yaml` with the given YAML. */
export function runGateway(
  yaml: string,
  opts: { args?: string[]; dir?: string } = {},
): GatewayProcess {
  const dir = opts.dir ?? tempDir();
  const file = join(dir, 'linegate.yaml');
  writeFileSync(file, yaml);
  const child = spawn(
    process.execPath,
    [join(ROOT, 'scripts', 'start.mjs'), ...(opts.args ?? ['--config', file])],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LINEGATE_CONFIG: '' },
    },
  );
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      return; // vite's build output, not a log line
    }
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitLog = (match: (l: LogLine) => boolean, timeoutMs = 30_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const hit = logs.find(match);
        if (hit) {
          done();
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${err}`));
      }, timeoutMs);
      const onExit = () => {
        done();
        reject(new Error(`gateway exited before the log line; stderr: ${err}`));
      };
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', onExit);
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });
  return {
    child,
    dir,
    logs,
    stderr: () => err,
    waitLog,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    cleanup: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // A process the wrapper started (the gateway, a media worker) may outlive
      // it and still hold these pipes: they must not keep the test alive.
      child.stdout.destroy();
      child.stderr.destroy();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a gateway and returns its base URL once it logged "gateway started". */
export async function startedUrl(gw: GatewayProcess): Promise<URL> {
  const line = await gw.waitLog((l) => l.msg === 'gateway started');
  return new URL(String(line['url']));
}
