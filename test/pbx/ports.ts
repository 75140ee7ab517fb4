// Free loopback ports for test peers, safe across concurrently running test files.
//
// Binding port 0 would not do: the child process binds later, and the kernel
// hands the same ephemeral port to the next caller. So a block is picked at
// random BELOW the ephemeral range (which starts at 32768 here), claimed with
// an O_EXCL lock file per port (shared by every test process on the machine),
// and only then checked by actually binding it. Locks of dead processes are
// taken over; live ones are released by releasePorts() or the exit hook.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit } from './proc.ts';
import { isAlive } from './sys.ts';

export const HOST = '127.0.0.1';

const LOCK_DIR = join(tmpdir(), 'linegate-ports');
const RANGE_LOW = 10_000;
const RANGE_HIGH = 32_000;
const held = new Set<number>();

onExit(() => {
  for (const port of held) unlock(port);
});

export interface PortNeeds {
  /** Number of consecutive ports (default 1). */
  count?: number;
  udp?: boolean;
  tcp?: boolean;
}

/** First port of `count` consecutive free loopback ports (even-aligned), locked for this process. */
export async function reservePorts(needs: PortNeeds = {}): Promise<number> {
  const count = needs.count ?? 1;
  const udp = needs.udp ?? true;
  const tcp = needs.tcp ?? false;
  sweepOnce();
  for (let attempt = 0; attempt < 500; attempt++) {
    const span = RANGE_HIGH - RANGE_LOW - count;
    const base = RANGE_LOW + 2 * Math.floor((Math.random() * span) / 2);
    const locked: number[] = [];
    let ok = true;
    for (let p = base; p < base + count && ok; p++) {
      if (lock(p)) locked.push(p);
      else ok = false;
    }
    if (ok) ok = await allBindable(base, count, udp, tcp);
    if (ok) return base;
    for (const p of locked) releasePort(p);
  }
  throw new Error(
    `no ${count} consecutive free loopback ports found in ${RANGE_LOW}..${RANGE_HIGH}`,
  );
}

export function releasePorts(base: number, count = 1): void {
  for (let p = base; p < base + count; p++) releasePort(p);
}

function releasePort(port: number): void {
  if (held.delete(port)) unlock(port);
}

let swept = false;
/** Drops the locks of test processes that were SIGKILLed (their exit hook never ran). */
function sweepOnce(): void {
  if (swept) return;
  swept = true;
  mkdirSync(LOCK_DIR, { recursive: true });
  for (const name of readdirSync(LOCK_DIR)) {
    const port = Number(name);
    if (Number.isInteger(port)) takeOverStale(port);
  }
}

function lockPath(port: number): string {
  return join(LOCK_DIR, String(port));
}

function lock(port: number): boolean {
  if (held.has(port)) return false;
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(lockPath(port), String(process.pid), { flag: 'wx' });
      held.add(port);
      return true;
    } catch {
      if (!takeOverStale(port)) return false;
    }
  }
  return false;
}

/** Removes the lock if the process that wrote it is gone; true if removed. */
function takeOverStale(port: number): boolean {
  let owner: number;
  try {
    owner = Number(readFileSync(lockPath(port), 'utf8'));
  } catch {
    return true; // vanished meanwhile: try again
  }
  // An empty file is a lock being written right now by a live process.
  if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) return false;
  unlock(port);
  return true;
}

function unlock(port: number): void {
  try {
    unlinkSync(lockPath(port));
  } catch {
    // already removed
  }
}

async function allBindable(
  base: number,
  count: number,
  udp: boolean,
  tcp: boolean,
): Promise<boolean> {
  for (let p = base; p < base + count; p++) {
    if (udp && !(await udpFree(p))) return false;
    if (tcp && !(await tcpFree(p))) return false;
  }
  return true;
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind(port, HOST, () => {
      s.close(() => {
        resolve(true);
      });
    });
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => {
      resolve(false);
    });
    srv.listen({ port, host: HOST, exclusive: true }, () => {
      srv.close(() => {
        resolve(true);
      });
    });
  });
}
