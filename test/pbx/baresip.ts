// baresip phones registered at the test PBX: they play a tone, record what
// they hear, and are driven over baresip's ctrl_tcp (netstring-framed JSON).
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnProc, type Proc } from './proc.ts';
import { findBinary, pollUntil, tail } from './sys.ts';
import { HOST, releasePorts, reservePorts } from './ports.ts';
import { Ctrl, type PhoneEvent } from './ctrl.ts';

export type { PhoneEvent } from './ctrl.ts';

export interface PhoneOptions {
  /** 'auto' answers every call; 'manual' rings until answer() (default 'auto'). */
  answer?: 'auto' | 'manual';
  /** Tone the phone sends, Hz (default 1000). */
  toneHz?: number;
  /** Digest password (default "pw<ext>", the cfg's built-in accounts). */
  password?: string;
  /** REGISTER interval, s (default 300, like a desk phone). */
  regint?: number;
  /** ms to wait for "200 OK" to the REGISTER (default 10000). */
  registerTimeoutMs?: number;
}

export interface Phone {
  readonly ext: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  /** Directory of received ("-dec.wav") and sent ("-enc.wav") recordings. */
  readonly recDir: string;
  /** All ctrl_tcp events so far, oldest first. */
  readonly events: readonly PhoneEvent[];
  /** Places a call; resolves when baresip accepted the command (not when answered). */
  dial(target: string): Promise<void>;
  hangup(): Promise<void>;
  /** Answers the ringing call (answer: 'manual'). */
  answer(): Promise<void>;
  /** Any ctrl_tcp command ("reginfo", "listcalls", "answermode auto" …); resolves with its text. */
  command(command: string, params?: string): Promise<string>;
  /**
   * The next event of `type` after the last one a waitEvent returned (events
   * that already arrived count, so call it after dial()). Rejects on timeout
   * with the events seen so far.
   */
  waitEvent(type: string, timeoutMs?: number): Promise<PhoneEvent>;
  /** Received-audio recordings ("-dec.wav"), oldest first. */
  recordings(): Promise<string[]>;
  /** Waits until a received recording newer than `known` exists and has stopped growing. */
  waitRecording(known?: readonly string[], timeoutMs?: number): Promise<string>;
  log(): string;
  /** SIGTERM (baresip un-REGISTERs), SIGKILL after 3 s. */
  stop(): Promise<void>;
}

export interface PhoneContext {
  /** World directory; the phone gets <dir>/phones/<ext>-<sipPort>/. */
  dir: string;
  pbxPort: number;
  /** Path of an 8 kHz mono PCM16 tone WAV. */
  toneWav: string;
}

export async function startPhone(
  ext: string,
  ctx: PhoneContext,
  opts: PhoneOptions = {},
): Promise<Phone> {
  // baresip binds SIP on udp+tcp P and its TLS listener on tcp P+1.
  const sipPort = await reservePorts({ count: 2, udp: true, tcp: true });
  const ctrlPort = await reservePorts({ count: 1, udp: false, tcp: true });
  const rtpBase = await reservePorts({ count: 20, udp: true });
  const release = (): void => {
    releasePorts(sipPort, 2);
    releasePorts(ctrlPort, 1);
    releasePorts(rtpBase, 20);
  };
  const home = join(ctx.dir, 'phones', `${ext}-${sipPort}`);
  const recDir = join(home, 'rec');
  mkdirSync(recDir, { recursive: true });
  writeConfig(home, { sipPort, ctrlPort, rtpBase, recDir, toneWav: ctx.toneWav });
  const account = `<sip:${ext}@${HOST}:${ctx.pbxPort}>;auth_pass=${opts.password ?? `pw${ext}`};answermode=${opts.answer ?? 'auto'};regint=${opts.regint ?? 300};audio_codecs=PCMU,PCMA`;
  writeFileSync(join(home, 'accounts'), `${account}\n`);
  writeFileSync(join(home, 'contacts'), '');

  let proc: Proc;
  try {
    proc = spawnProc(`baresip ${ext}`, findBinary('baresip'), ['-f', home], {
      cwd: home,
      logFile: join(home, 'baresip.log'),
      unref: true,
    });
  } catch (e) {
    release();
    throw e;
  }
  try {
    await waitRegistered(proc, ext, opts.registerTimeoutMs ?? 10_000);
    const ctrl = await Ctrl.open(ctrlPort, 5000);
    return makePhone({ ext, sipPort, ctrlPort, recDir, proc, ctrl, release });
  } catch (e) {
    await proc.stop(0, 'SIGKILL');
    release();
    throw e;
  }
}

function writeConfig(
  home: string,
  c: { sipPort: number; ctrlPort: number; rtpBase: number; recDir: string; toneWav: string },
): void {
  // As in the reference world: no sound card (ALSA "null"), aufile plays the
  // tone, sndfile records both directions into snd_path.
  const lines = [
    ['poll_method', 'epoll'],
    ['sip_listen', `${HOST}:${c.sipPort}`],
    ['net_interface', HOST], // "lo" fails in baresip 1.0
    ['call_local_timeout', '120'],
    ['call_max_calls', '4'],
    ['audio_player', 'alsa,null'],
    ['audio_alert', 'alsa,null'],
    ['audio_source', `aufile,${c.toneWav}`],
    ['ausrc_srate', '8000'],
    ['ausrc_channels', '1'],
    ['auplay_srate', '8000'],
    ['auplay_channels', '1'],
    ['audio_buffer', '20-160'],
    ['rtp_ports', `${c.rtpBase}-${c.rtpBase + 19}`],
    ['rtp_timeout', '0'],
    ['rtp_stats', 'yes'],
    ['jitter_buffer_delay', '5-10'],
    ['module_path', '/usr/lib/baresip/modules'],
    ['module', 'g711.so'],
    ['module', 'alsa.so'],
    ['module', 'aufile.so'],
    ['module', 'sndfile.so'],
    ['module_tmp', 'uuid.so'],
    ['module_tmp', 'account.so'],
    ['module_app', 'menu.so'],
    ['module_app', 'ctrl_tcp.so'],
    ['ctrl_tcp_listen', `${HOST}:${c.ctrlPort}`],
    ['snd_path', c.recDir],
  ];
  writeFileSync(join(home, 'config'), lines.map(([k, v]) => `${k}\t\t${v}`).join('\n') + '\n');
}

/** Without ANSI colours (baresip paints errors red). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const plain = (text: string): string => text.replace(ANSI, '');

/**
 * baresip logs "<aor>: {0/UDP/v4} 200 OK (pbxworld) [1 binding]" once
 * registered, or "reg: <aor>: 401 Unauthorized (pbxworld)" when it gave up.
 */
async function waitRegistered(proc: Proc, ext: string, timeoutMs: number): Promise<void> {
  const rejected = (): string | undefined =>
    /reg: \S+: (\d{3} [^\n]*)/.exec(plain(proc.output()))?.[1];
  const ok = await pollUntil(
    () => proc.done() || / 200 OK /.test(proc.output()) || rejected() !== undefined,
    timeoutMs,
    10,
  );
  const log = tail(plain(proc.output()), 8);
  const no = rejected();
  if (no !== undefined) {
    throw new Error(
      `baresip ${ext}: REGISTER rejected with "${no}" (no such account or wrong password? see pbx.addAccount); log:\n${log}`,
    );
  }
  if (!ok || proc.done()) {
    throw new Error(
      `baresip ${ext} ${proc.done() ? 'exited' : `did not register within ${timeoutMs} ms`}; log:\n${log}`,
    );
  }
}

interface PhoneParts {
  ext: string;
  sipPort: number;
  ctrlPort: number;
  recDir: string;
  proc: Proc;
  ctrl: Ctrl;
  release: () => void;
}

function makePhone(p: PhoneParts): Phone {
  let cursor = 0;
  let stopped: Promise<void> | undefined;
  const recordings = async (): Promise<string[]> => {
    const names = (await readdir(p.recDir)).filter((n) => n.endsWith('-dec.wav'));
    const withTimes = await Promise.all(
      names.map(async (n) => ({
        path: join(p.recDir, n),
        t: (await stat(join(p.recDir, n))).birthtimeMs,
      })),
    );
    return withTimes.sort((a, b) => a.t - b.t || a.path.localeCompare(b.path)).map((x) => x.path);
  };
  const phone: Phone = {
    ext: p.ext,
    sipPort: p.sipPort,
    ctrlPort: p.ctrlPort,
    recDir: p.recDir,
    events: p.ctrl.events,
    dial: async (target) => {
      await p.ctrl.command('dial', target);
    },
    hangup: async () => {
      await p.ctrl.command('hangup');
    },
    answer: async () => {
      await p.ctrl.command('accept');
    },
    command: (command, params) => p.ctrl.command(command, params),
    waitEvent: async (type, timeoutMs = 10_000) => {
      const i = await p.ctrl
        .waitFor((e) => e.type === type, cursor, timeoutMs)
        .catch((e: unknown) => {
          const seen = p.ctrl.events
            .map((ev) => `${ev.type}${ev.param === '' ? '' : ` (${ev.param})`}`)
            .join(', ');
          throw new Error(
            `phone ${p.ext}: no ${type} within ${timeoutMs} ms; events: ${seen || 'none'}`,
            { cause: e },
          );
        });
      cursor = i + 1;
      return p.ctrl.events[i]!;
    },
    recordings,
    waitRecording: async (known = [], timeoutMs = 5000) => {
      let found: string | undefined;
      let lastSize = -1;
      // baresip finalises the file when the call closes; wait until a new
      // one exists and its size is stable between two polls.
      const ok = await pollUntil(
        async () => {
          found ??= (await recordings()).find((r) => !known.includes(r));
          if (found === undefined) return false;
          const size = (await stat(found)).size;
          const stable = size === lastSize && size > 44;
          lastSize = size;
          return stable;
        },
        timeoutMs,
        50,
      );
      if (!ok || found === undefined)
        throw new Error(`phone ${p.ext}: no new recording in ${p.recDir} within ${timeoutMs} ms`);
      return found;
    },
    log: () => p.proc.output(),
    stop: () => {
      stopped ??= (async () => {
        p.ctrl.close();
        await p.proc.stop(3000);
        p.release(); // once only: the ports may belong to someone else afterwards
      })();
      return stopped;
    },
  };
  return phone;
}
