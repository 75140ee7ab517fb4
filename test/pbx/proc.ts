// Child processes of the test PBX harness: spawning, liveness, teardown.
//
// Everything started here is tracked so that a crashing or interrupted test
// never leaves Kamailio, baresip or SIPp running: a process 'exit' hook (and
// SIGINT/SIGTERM/SIGHUP) SIGKILLs whatever is still tracked.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { findBinary, groupMembers, pollUntil, tail } from './sys.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /**
   * Resolves when it has exited. Reading it keeps the test process alive
   * until then (see SpawnOptions.unref).
   */
  readonly exited: Promise<Exit>;
  /** True once node has seen the child exit. */
  readonly done: () => boolean;
  /** Everything it wrote to stdout+stderr (the last MAX_OUTPUT characters). */
  readonly output: () => string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** TERM (or `signal`), then KILL after `graceMs`; resolves when it is gone. */
  readonly stop: (graceMs?: number, signal?: NodeJS.Signals) => Promise<void>;
}

export interface SpawnOptions {
  cwd: string;
  /** Own process group (setsid); stop() and the exit hook then signal the group. */
  group?: boolean;
  /** Also append stdout+stderr to this file (kept for debugging with keep: true). */
  logFile?: string;
  stdin?: string;
  /**
   * Servers (Kamailio, baresip) do not keep the test process alive: a test
   * that forgets stop() must not hang the run. When it ends, the exit hook
   * kills them. Awaiting `exited` re-references the process.
   */
  unref?: boolean;
}

const MAX_OUTPUT = 1 << 20;

interface Tracked {
  pid: number;
  group: boolean;
}
const tracked = new Set<Tracked>();
const cleanups = new Set<() => void>();

/** Runs a synchronous cleanup in the exit hook (e.g. removing lock files). */
export function onExit(fn: () => void): () => void {
  installExitHook();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function killSync(t: Tracked): void {
  try {
    process.kill(t.group ? -t.pid : t.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killEverything(): void {
  for (const t of tracked) killSync(t);
  tracked.clear();
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // best effort: the process is exiting
    }
  }
}

let hooked = false;
function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killEverything);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killEverything();
      // Keep the default meaning of the signal unless someone else handles it.
      process.removeListener(sig, handler);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

export function spawnProc(
  name: string,
  cmd: string,
  args: readonly string[],
  opts: SpawnOptions,
): Proc {
  installExitHook();
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    detached: opts.group === true,
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new Error(`${name}: could not start ${cmd}`);
  }
  const pid = child.pid;
  const entry: Tracked = { pid, group: opts.group === true };
  tracked.add(entry);
  if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);

  let out = '';
  let so = '';
  let se = '';
  const cap = (s: string): string => (s.length > MAX_OUTPUT ? s.slice(s.length - MAX_OUTPUT) : s);
  const log =
    opts.logFile === undefined ? undefined : createWriteStream(opts.logFile, { flags: 'a' });
  log?.on('error', () => undefined); // a removed world dir must not crash the test
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out = cap(out + d);
    so = cap(so + d);
    log?.write(d);
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    out = cap(out + d);
    se = cap(se + d);
    log?.write(d);
  });

  let isDone = false;
  const exited = new Promise<Exit>((resolve) => {
    child.on('error', (err) => {
      out += `\n[spawn error: ${err.message}]`;
    });
    child.on('close', (code, signal) => {
      isDone = true;
      log?.end();
      // A group leader may exit before its workers: the group stays tracked
      // until stop() has seen it empty.
      if (!entry.group) tracked.delete(entry);
      resolve({ code, signal });
    });
  });

  const streams = [child.stdout, child.stderr, child.stdin];
  const setRef = (on: boolean): void => {
    if (on) child.ref();
    else child.unref();
    // The stdio pipes are sockets that hold the event loop open as well.
    for (const st of streams) {
      const sock = st as unknown as { ref?: () => void; unref?: () => void } | null;
      if (on) sock?.ref?.();
      else sock?.unref?.();
    }
  };
  if (opts.unref === true) setRef(false);

  const gone = (): boolean => (entry.group ? isDone && groupMembers(pid).length === 0 : isDone);
  const signalIt = (sig: NodeJS.Signals): void => {
    try {
      process.kill(entry.group ? -pid : pid, sig);
    } catch {
      // already gone
    }
  };
  const stop = async (graceMs = 3000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (!gone()) {
      signalIt(signal);
      if (!(await pollUntil(gone, graceMs, 10))) {
        signalIt('SIGKILL');
        await pollUntil(gone, 5000, 10);
      }
    }
    setRef(true);
    await exited;
    tracked.delete(entry);
  };

  return {
    name,
    pid,
    child,
    get exited() {
      setRef(true);
      return exited;
    },
    done: () => isDone,
    output: () => out,
    stdout: () => so,
    stderr: () => se,
    stop,
  };
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export async function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; stdin?: string; timeoutMs?: number },
): Promise<string> {
  const p = spawnProc(cmd, findBinary(cmd), args, opts);
  const timer = setTimeout(() => void p.stop(0, 'SIGKILL'), opts.timeoutMs ?? 10_000);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  if (code !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail(p.output())}`,
    );
  }
  return p.stdout();
}
