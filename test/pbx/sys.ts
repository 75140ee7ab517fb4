// Process and file-system helpers of the test PBX harness (Linux: reads /proc).
import { accessSync, constants, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian package that provides each binary the harness runs. */
const PACKAGES: Readonly<Record<string, string>> = {
  kamailio: 'kamailio',
  kamcmd: 'kamailio',
  sipp: 'sip-tester',
  baresip: 'baresip-core',
  sox: 'sox',
};

const found = new Map<string, string>();

/** Absolute path of a binary; /usr/sbin is searched too (kamailio lives there, often not in PATH). */
export function findBinary(name: string): string {
  const cached = found.get(name);
  if (cached !== undefined) return cached;
  const dirs = [
    ...(process.env['PATH'] ?? '').split(delimiter),
    '/usr/local/sbin',
    '/usr/sbin',
    '/sbin',
  ];
  for (const dir of dirs) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      found.set(name, path);
      return path;
    } catch {
      // not in this directory
    }
  }
  const pkg = PACKAGES[name] ?? name;
  throw new Error(`${name} not found: run .ci/run or apt-get install ${pkg}`);
}

/** State letter of a process from /proc/<pid>/stat, undefined when it is gone. */
function procState(pid: number): { state: string; pgrp: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) S ppid pgrp ..." — comm may contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '?', pgrp: Number(fields[2]) };
}

/**
 * Running and not a zombie. PID 1 in the test containers reaps orphans late,
 * so a killed process can linger as a zombie and `kill -0` would still succeed.
 */
export function isAlive(pid: number): boolean {
  const st = procState(pid);
  return st !== undefined && st.state !== 'Z' && st.state !== 'X';
}

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = procState(pid);
    if (st !== undefined && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') out.push(pid);
  }
  return out;
}

/**
 * Live pids whose command line mentions `dir` or whose working directory is
 * inside it (used to find leftovers of a dead test run).
 */
export function pidsUsing(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid || !isAlive(pid)) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (
        cwd === dir ||
        cwd.startsWith(`${dir}/`) ||
        readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(dir)
      )
        out.push(pid);
    } catch {
      // exited meanwhile, or not ours to inspect
    }
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true; false on timeout. */
export async function pollUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}

/** Last lines of a log, for error messages. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** rm -rf that never throws (used in teardown). */
export function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // best effort
  }
}
