// SIPp runs for the test PBX: scenario files with the world's media paths
// filled in, and background processes with their own free ports.
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { spawnProc, type Exit } from './proc.ts';
import { findBinary } from './sys.ts';
import { HOST, type PortNeeds } from './ports.ts';

const SCENARIO_DIR = fileURLToPath(new URL('sipp/', import.meta.url));

/** Scenarios shipped in test/pbx/sipp/. */
export const SCENARIOS = [
  'uac-call',
  'uac-late-offer',
  'register',
  'uas-answer',
  'uas-early-media',
  'uas-302',
  'uas-announce',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/**
 * Writes a scenario into `sippDir` with @MEDIA_DIR@ replaced by `mediaDir`:
 * SIPp does not expand -key values inside rtp_stream="…", so media paths must
 * be literal in the XML. `tone` swaps the streamed tone file (tone<hz>.ulaw).
 * `source` is a shipped scenario name (ScenarioName) or a path to any scenario file.
 */
export function writeScenario(
  source: string,
  sippDir: string,
  mediaDir: string,
  toneHz?: number,
): string {
  const path =
    isAbsolute(source) || source.endsWith('.xml') ? source : join(SCENARIO_DIR, `${source}.xml`);
  let xml = readFileSync(path, 'utf8').replaceAll('@MEDIA_DIR@', mediaDir);
  let name = basename(path, '.xml');
  if (toneHz !== undefined) {
    xml = xml.replace(/tone\d+\.ulaw/g, `tone${toneHz}.ulaw`);
    name += `-${toneHz}`;
  }
  mkdirSync(sippDir, { recursive: true });
  const out = join(sippDir, `${name}.xml`);
  writeFileSync(out, xml);
  return out;
}

export interface SippResult extends Exit {
  stdout: string;
  stderr: string;
}

export interface SippRun {
  readonly pid: number;
  /** SIP port (-p) it listens on: reuse it for a server scenario after register.xml. */
  readonly port: number;
  /** -mp: SIPp binds this and +2. */
  readonly mediaPort: number;
  readonly args: readonly string[];
  readonly exited: Promise<SippResult>;
  output(): string;
  kill(): Promise<void>;
}

export interface SippRunOptions {
  /** Working directory (its logs, -trace_* files and relative -sf paths). */
  cwd: string;
  logName: string;
  /** Port allocator (the world's, so it releases them when it stops). */
  reserve: (needs: PortNeeds) => Promise<number>;
}

const has = (args: readonly string[], flag: string): boolean => args.includes(flag);

/**
 * Starts SIPp in the background. Adds -i/-mi 127.0.0.1, -nostdin, and a free
 * -p / -mp unless `args` has them (each SIPp binds -mp and -mp+2 even without
 * media, so every run needs its own).
 */
export async function startSipp(args: readonly string[], opts: SippRunOptions): Promise<SippRun> {
  const extra: string[] = [];
  let port = valueOf(args, '-p');
  if (port === undefined) {
    port = await opts.reserve({ count: 1, udp: true });
    extra.push('-p', String(port));
  }
  let mediaPort = valueOf(args, '-mp');
  if (mediaPort === undefined) {
    mediaPort = await opts.reserve({ count: 4, udp: true });
    extra.push('-mp', String(mediaPort));
  }
  if (!has(args, '-i')) extra.push('-i', HOST);
  if (!has(args, '-mi')) extra.push('-mi', HOST);
  if (!has(args, '-nostdin')) extra.push('-nostdin');
  const all = [...args, ...extra];
  mkdirSync(opts.cwd, { recursive: true });
  // unref: a server scenario nobody waits for must not keep the test process alive.
  const proc = spawnProc('sipp', findBinary('sipp'), all, {
    cwd: opts.cwd,
    logFile: join(opts.cwd, `${opts.logName}.out`),
    unref: true,
  });
  let exited: Promise<SippResult> | undefined;
  return {
    pid: proc.pid,
    port,
    mediaPort,
    args: all,
    get exited() {
      exited ??= proc.exited.then((e) => ({ ...e, stdout: proc.stdout(), stderr: proc.stderr() }));
      return exited;
    },
    output: () => proc.output(),
    kill: () => proc.stop(1000),
  };
}

function valueOf(args: readonly string[], flag: string): number | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v)) throw new Error(`sipp: ${flag} needs a port number`);
  return v;
}
