// The test PBX "world": Kamailio on a free loopback port, plus baresip phones
// and SIPp runs attached to it, all in one temp dir and torn down together.
//
//   const pbx = await startPbx();
//   t.after(() => pbx.stop());
//   const a = await pbx.addPhone('202', { toneHz: 440 });
//
// Built-in accounts 201..210 (password "pw<ext>"), realm "pbxworld"; feature
// codes, forwarding, pickup and 302 handling: see kamailio.cfg and README.md.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit } from './proc.ts';
import { isAlive, pidsUsing, pollUntil, removeDir } from './sys.ts';
import { HOST, releasePorts, reservePorts, type PortNeeds } from './ports.ts';
import { kamailio, parseUlDump, type Registration } from './kamailio.ts';
import { startPhone, type Phone, type PhoneOptions } from './baresip.ts';
import { SCENARIOS, startSipp, writeScenario, type SippRun } from './sipp.ts';
import { makeTone } from './wav.ts';

export type { Registration } from './kamailio.ts';
export type { Phone, PhoneEvent, PhoneOptions } from './baresip.ts';
export type { SippResult, SippRun } from './sipp.ts';
export { analyzeWav, dominantFrequency, parseWav, rms, type WavAnalysis } from './wav.ts';

export const REALM = 'pbxworld';
const WORLD_PREFIX = 'linegate-pbx-';

export interface AccountRange {
  from: number;
  to: number;
  /** Default: "pw<ext>", like the built-in accounts. */
  password?: (ext: number) => string;
}

export interface PbxOptions {
  /** Extra accounts, added right after start (and again after restart()). */
  accounts?: AccountRange;
  /** Kamailio UDP workers (default 2). */
  children?: number;
  /** Kamailio shared memory, MB (default 64). */
  shmMb?: number;
  /** Keep the world directory (logs, recordings) after stop(); also env LINEGATE_PBX_KEEP=1. */
  keep?: boolean;
}

export interface Pbx {
  readonly host: typeof HOST;
  readonly port: number;
  readonly realm: typeof REALM;
  /** "127.0.0.1:<port>": SIPp's remote host argument, a registrar's host:port. */
  readonly address: string;
  /** The world's temp dir (kamailio.log, phones/, sipp/, media/). */
  readonly dir: string;
  /** Tones: tone<hz>.wav (8 kHz mono PCM16) and tone<hz>.ulaw. */
  readonly mediaDir: string;
  /** SIPp's working dir; the shipped scenarios are there as <name>.xml. */
  readonly sippDir: string;
  /** kamcmd -s <ctl> ARGS…; numeric strings need "s:" (e.g. htable.sets fwd s:202 s:204). */
  kamcmd(...args: string[]): Promise<string>;
  kamcmdBatch(lines: readonly string[]): Promise<string>;
  /** JSON-RPC over HTTP: any RPC, result as JSON, no size limit (e.g. rpc('htable.dump', 'users')). */
  rpc(method: string, ...params: (string | number)[]): Promise<unknown>;
  /** Kamailio's JSON-RPC port (POST http://127.0.0.1:<httpPort>/RPC). */
  readonly httpPort: number;
  /** Adds (or changes) an account; kept across restart(). */
  addAccount(ext: string | number, password: string): Promise<void>;
  addAccounts(range: AccountRange): Promise<void>;
  /** Kamailio's location table (ul.dump over JSON-RPC: fine with thousands), one entry per contact. */
  registrations(): Promise<Registration[]>;
  /** Polls the location table until every AoR (e.g. "202") has a contact. */
  waitRegistered(aors: readonly (string | number)[], timeoutMs?: number): Promise<Registration[]>;
  addPhone(ext: string | number, opts?: PhoneOptions): Promise<Phone>;
  /** Tone files for `hz`, generated on first use. */
  tone(hz: number): Promise<{ wav: string; ulaw: string }>;
  /** Writes a scenario variant streaming tone<hz>.ulaw; returns its path for -sf. */
  scenario(name: string, opts?: { toneHz?: number }): Promise<string>;
  /** SIPp in the background (cwd sippDir, own -p/-mp unless given). */
  sipp(args: readonly string[], opts?: { name?: string }): Promise<SippRun>;
  /** Free loopback ports for your own peers (e.g. the gateway), released by stop(). */
  reservePorts(needs?: PortNeeds): Promise<number>;
  /** Stops and starts Kamailio on the same port: registrations and runtime htable changes are lost, accounts re-added. */
  restart(): Promise<void>;
  /** Phones (they un-REGISTER), SIPps, then Kamailio's process group; idempotent. */
  stop(): Promise<void>;
  /** Kamailio's output so far (all runs). */
  log(): string;
}

export async function startPbx(opts: PbxOptions = {}): Promise<Pbx> {
  reapDeadWorlds();
  const dir = mkdtempSync(join(tmpdir(), WORLD_PREFIX));
  writeFileSync(join(dir, 'owner'), String(process.pid));
  const keep = opts.keep === true || process.env['LINEGATE_PBX_KEEP'] === '1';
  if (keep) writeFileSync(join(dir, 'keep'), '');
  const forgetDir = keep
    ? () => false
    : onExit(() => {
        removeDir(dir);
      });
  const mediaDir = join(dir, 'media');
  const sippDir = join(dir, 'sipp');

  const blocks: { base: number; count: number }[] = [];
  const reserve = async (needs: PortNeeds = {}): Promise<number> => {
    const base = await reservePorts(needs);
    blocks.push({ base, count: needs.count ?? 1 });
    return base;
  };
  const phones = new Set<Phone>();
  const sipps = new Set<SippRun>();
  const accounts = new Map<string, string>();
  let stopped: Promise<void> | undefined;

  const port = await reserve({ count: 1, udp: true });
  const httpPort = await reserve({ count: 1, udp: false, tcp: true });
  const kam = kamailio({
    dir,
    port,
    httpPort,
    ...(opts.children === undefined ? {} : { children: opts.children }),
    ...(opts.shmMb === undefined ? {} : { shmMb: opts.shmMb }),
  });

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.allSettled([...phones].map((p) => p.stop()));
      await Promise.allSettled([...sipps].map((s) => s.kill()));
      await kam.stop();
      for (const b of blocks) releasePorts(b.base, b.count);
      forgetDir();
      if (!keep) removeDir(dir);
    })();
    return stopped;
  };

  const applyAccounts = async (entries: Iterable<[string, string]>): Promise<void> => {
    const lines = [...entries].map(([ext, pw]) => `htable.sets users s:${ext} s:${pw}`);
    // kamcmd reads one command per stdin line: a few thousand take ~0.2 s.
    for (let i = 0; i < lines.length; i += 5000) await kam.kamcmdBatch(lines.slice(i, i + 5000));
  };
  const addAccounts = async (range: AccountRange): Promise<void> => {
    const added: [string, string][] = [];
    for (let ext = range.from; ext <= range.to; ext++) {
      const pw = checkToken(range.password?.(ext) ?? `pw${ext}`, 'password');
      accounts.set(String(ext), pw);
      added.push([String(ext), pw]);
    }
    await applyAccounts(added);
  };

  try {
    await Promise.all([makeTone(mediaDir, 440), makeTone(mediaDir, 1000)]);
    for (const s of SCENARIOS) writeScenario(s, sippDir, mediaDir);
    await kam.start();
    if (opts.accounts !== undefined) await addAccounts(opts.accounts);
  } catch (e) {
    await stop();
    throw e;
  }

  const registrations = async (): Promise<Registration[]> => parseUlDump(await kam.rpc('ul.dump'));

  return {
    host: HOST,
    port,
    realm: REALM,
    address: `${HOST}:${port}`,
    dir,
    mediaDir,
    sippDir,
    kamcmd: kam.kamcmd,
    kamcmdBatch: kam.kamcmdBatch,
    rpc: kam.rpc,
    httpPort,
    addAccount: async (ext, password) => {
      accounts.set(checkToken(String(ext), 'extension'), checkToken(password, 'password'));
      await applyAccounts([[String(ext), password]]);
    },
    addAccounts,
    registrations,
    waitRegistered: async (aors, timeoutMs = 10_000) => {
      const want = aors.map(String);
      let regs: Registration[] = [];
      const ok = await pollUntil(
        async () => {
          regs = await registrations();
          return want.every((a) => regs.some((r) => r.aor === a));
        },
        timeoutMs,
        100,
      );
      if (!ok) {
        const missing = want.filter((a) => !regs.some((r) => r.aor === a));
        throw new Error(
          `not registered at the PBX within ${timeoutMs} ms: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ' …' : ''}`,
        );
      }
      return regs;
    },
    addPhone: async (ext, phoneOpts = {}) => {
      if (stopped !== undefined) throw new Error('addPhone after stop()');
      const { wav } = await makeTone(mediaDir, phoneOpts.toneHz ?? 1000);
      const phone = await startPhone(String(ext), { dir, pbxPort: port, toneWav: wav }, phoneOpts);
      phones.add(phone);
      return phone;
    },
    tone: (hz) => makeTone(mediaDir, hz),
    scenario: async (name, scenarioOpts = {}) => {
      if (scenarioOpts.toneHz !== undefined) await makeTone(mediaDir, scenarioOpts.toneHz);
      return writeScenario(name, sippDir, mediaDir, scenarioOpts.toneHz);
    },
    sipp: async (args, sippOpts = {}) => {
      if (stopped !== undefined) throw new Error('sipp after stop()');
      const run = await startSipp(args, {
        cwd: sippDir,
        logName: sippOpts.name ?? `sipp-${sipps.size + 1}`,
        reserve,
      });
      sipps.add(run);
      return run;
    },
    reservePorts: reserve,
    restart: async () => {
      await kam.stop();
      await kam.start();
      await applyAccounts(accounts);
    },
    stop,
    log: kam.log,
  };
}

/** Accounts go through kamcmd's whitespace-separated command line. */
function checkToken(value: string, what: string): string {
  if (value === '' || /\s/.test(value))
    throw new Error(`${what} "${value}" must be non-empty without whitespace`);
  return value;
}

/**
 * Kills what a test process that died without its exit hook (SIGKILL, OOM)
 * left behind: every process whose command line or working dir is in the dead
 * world's dir (Kamailio's ctl socket, baresip's -f, SIPp's cwd), then removes the dir
 * (unless it was started with keep).
 */
function reapDeadWorlds(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(WORLD_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'owner'), 'utf8'));
    } catch {
      continue; // being created right now, or not ours
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    for (const pid of pidsUsing(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (!existsSync(join(dir, 'keep'))) removeDir(dir);
  }
}
