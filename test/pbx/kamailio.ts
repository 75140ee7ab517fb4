// Kamailio, the test PBX: process control, kamcmd, and the location table.
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run, spawnProc, type Proc } from './proc.ts';
import { findBinary, pollUntil, tail } from './sys.ts';

export const KAMAILIO_CFG = fileURLToPath(new URL('kamailio.cfg', import.meta.url));

export interface KamailioOptions {
  /** World directory: run/ and kamailio.log go there. */
  dir: string;
  /** SIP, UDP. */
  port: number;
  /** JSON-RPC over HTTP, TCP. */
  httpPort: number;
  /** UDP worker processes (default 2). */
  children?: number;
  /** Shared memory in MB (default 64: a few thousand registrations fit easily). */
  shmMb?: number;
  startTimeoutMs?: number;
}

export interface Kamailio {
  readonly ctl: string;
  readonly pid: () => number | undefined;
  readonly start: () => Promise<void>;
  readonly stop: () => Promise<void>;
  /** One kamcmd command; rejects on a kamcmd error ("error: 500 - ..."). */
  readonly kamcmd: (...args: string[]) => Promise<string>;
  /** Many kamcmd commands over one connection (kamcmd's interactive mode on stdin). */
  readonly kamcmdBatch: (lines: readonly string[]) => Promise<string>;
  /** JSON-RPC over HTTP (no reply size limit, unlike kamcmd); resolves with `result`. */
  readonly rpc: (method: string, ...params: (string | number)[]) => Promise<unknown>;
  readonly log: () => string;
}

const KAMCMD_ERROR = /^error: \d+ - .*$/m;

export function kamailio(opts: KamailioOptions): Kamailio {
  const runDir = join(opts.dir, 'run');
  mkdirSync(runDir, { recursive: true });
  const ctl = `unix:${join(runDir, 'kamailio.ctl')}`;
  const logFile = join(opts.dir, 'kamailio.log');
  let proc: Proc | undefined;
  let history = '';

  const kamcmd = async (...args: string[]): Promise<string> => {
    const out = await run('kamcmd', ['-s', ctl, ...args], { cwd: opts.dir, timeoutMs: 15_000 });
    const err = KAMCMD_ERROR.exec(out);
    if (err !== null) throw new Error(`kamcmd ${args.join(' ')}: ${err[0]}`);
    return out;
  };

  const kamcmdBatch = async (lines: readonly string[]): Promise<string> => {
    if (lines.some((l) => l.includes('\n'))) throw new Error('kamcmd batch: one command per line');
    const out = await run('kamcmd', ['-s', ctl], {
      cwd: opts.dir,
      stdin: `${lines.join('\n')}\n`,
      timeoutMs: 60_000,
    });
    const err = KAMCMD_ERROR.exec(out);
    if (err !== null) throw new Error(`kamcmd batch (${lines.length} commands): ${err[0]}`);
    return out;
  };

  const start = async (): Promise<void> => {
    if (proc !== undefined && !proc.done()) throw new Error('kamailio already running');
    // -DD: stay in the foreground; -E: log to stderr. No -P pid file: a stale
    // one blocks the next start. Own process group (detached) so stop() and
    // the exit hook reach the workers too.
    const defines = {
      SIP_PORT: opts.port,
      HTTP_PORT: opts.httpPort,
      CTL: `"${ctl}"`,
      CHILDREN: opts.children ?? 2,
    };
    const args = [
      ...['-f', KAMAILIO_CFG, '-DD', '-E', '-Y', runDir],
      ...Object.entries(defines).flatMap(([k, v]) => ['-A', `${k}=${v}`]),
      ...['-m', String(opts.shmMb ?? 64)],
      ...['-M', '32'], // private memory per process, MB: big RPC replies (ul.dump)
    ];
    const p = spawnProc('kamailio', findBinary('kamailio'), args, {
      cwd: opts.dir,
      group: true,
      logFile,
      unref: true,
    });
    proc = p;
    const answered = await pollUntil(
      async () => {
        if (p.done()) return true;
        try {
          await run('kamcmd', ['-s', ctl, 'core.uptime'], { cwd: opts.dir, timeoutMs: 2000 });
          return true;
        } catch {
          return false;
        }
      },
      opts.startTimeoutMs ?? 10_000,
      20,
    );
    if (!answered || p.done()) {
      const why = p.done() ? 'exited' : 'did not answer kamcmd core.uptime';
      await p.stop(0, 'SIGKILL');
      throw new Error(`kamailio on udp 127.0.0.1:${opts.port} ${why}; log:\n${tail(p.output())}`);
    }
  };

  const stop = async (): Promise<void> => {
    const p = proc;
    if (p === undefined) return;
    await p.stop(3000);
    history += p.output();
  };

  const rpc = async (method: string, ...params: (string | number)[]): Promise<unknown> => {
    const res = await fetch(`http://127.0.0.1:${opts.httpPort}/RPC`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as {
      result?: unknown;
      error?: { code: number; message: string };
    };
    if (body.error !== undefined)
      throw new Error(`kamailio rpc ${method}: ${body.error.code} ${body.error.message}`);
    return body.result;
  };

  return {
    ctl,
    pid: () => proc?.pid,
    start,
    stop,
    kamcmd,
    kamcmdBatch,
    rpc,
    log: () => history + (proc?.done() === false ? proc.output() : ''),
  };
}

// ---- ul.dump -------------------------------------------------------------

/** One contact of Kamailio's location table. */
export interface Registration {
  /** The AoR as stored: the user part only ("202"), the cfg does not use domains. */
  aor: string;
  contact: string;
  /** Seconds left. */
  expires: number;
  callId: string;
  cseq: number;
  userAgent: string;
  /** Source address if it differed from the Contact ("[not set]" otherwise). */
  received: string;
  /** The contact's fields as ul.dump reports them (Socket, Instance, Last-Modified …). */
  fields: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

/**
 * Contacts of the JSON-RPC `ul.dump` result, one entry per contact:
 * { Domains: [{ Domain: { AoRs: [{ Info: { AoR, Contacts: [{ Contact: {…} }] } }] } }] }.
 */
export function parseUlDump(result: unknown): Registration[] {
  const out: Registration[] = [];
  for (const d of arr(obj(result)['Domains'])) {
    for (const a of arr(obj(obj(d)['Domain'])['AoRs'])) {
      const info = obj(obj(a)['Info']);
      for (const c of arr(info['Contacts'])) {
        const f = obj(obj(c)['Contact']);
        out.push({
          aor: str(info['AoR']),
          contact: str(f['Address']),
          expires: Number(f['Expires']),
          callId: str(f['Call-ID']),
          cseq: Number(f['CSeq']),
          userAgent: str(f['User-Agent']),
          received: str(f['Received']),
          fields: f,
        });
      }
    }
  }
  return out;
}
