/**
 * The B2BUA (issue #5): takes INVITEs from the PBX for lines and from
 * registered browsers, routes requests within calls to their Call, and
 * keeps the indexes — dialog → call leg, WebSocket → calls — that let a
 * call end cleanly whichever way it goes (BYE, a closed WebSocket, a dead
 * media worker, gateway shutdown).
 *
 * Who may do what: a browser calls out as the user it registered as, on
 * that user's own lines only (X-Linegate-Line names one; default the
 * first); a call to a line rings the devices of the users who own it.
 */
import type { UserConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { LineInfo } from '../lines/manager.ts';
import type { MediaEngine } from '../media/index.ts';
import type { BindingStore } from '../registrar/bindings.ts';
import { requestDialogId, dialogKey } from '../sip/dialog/index.ts';
import { from, getHeader } from '../sip/message/headers.ts';
import { formatUri } from '../sip/message/uri.ts';
import type { SipRequest, SipUri } from '../sip/message/types.ts';
import type { ServerTransaction, SipStack } from '../sip/stack.ts';
import { realClock, type Clock } from '../sip/transport/clock.ts';
import { Call, type EndCause } from './call.ts';
import {
  CALL_ALLOW,
  pbxTarget,
  type Pickable,
  type CallJournal,
  type Device,
  type SetupContext,
} from './context.ts';
import { startIncoming } from './incoming.ts';
import { diallable, dialString, pickupNumber } from './choices.ts';
import { forwardTarget } from './forward-target.ts';
import type { ForwardRule } from '#shared/api.ts';
import type { Leg } from './leg.ts';
import { startOutgoing, type OutgoingHandle } from './outgoing.ts';

export interface B2buaOptions {
  readonly sip: SipStack;
  readonly media: MediaEngine;
  readonly bindings: BindingStore;
  readonly lineInfo: (id: string) => LineInfo | undefined;
  /** The users of the running config (they change on reload). */
  readonly users: () => readonly UserConfig[];
  /** Category 'calls'. */
  readonly log: Logger;
  readonly now: () => number;
  readonly clock?: Clock;
  readonly timers: { readonly t1: number; readonly t2: number };
  /** Our Contact toward browsers. */
  readonly clientContact: SipUri;
  readonly clientDomain: string;
  readonly userAgent: string;
  /** Default 180 s. */
  readonly ringTimeoutMs?: number;
  /** STUN/TURN servers for the browser leg (media.iceServers). */
  readonly iceServers?: readonly string[];
  /** A user's forwarding rules (default: none). */
  readonly forwardingRules?: (user: string) => readonly ForwardRule[];
  /** Do-not-disturb of a line (default: never). */
  readonly dnd?: (lineId: string) => boolean;
  /** Where calls are written down (lines of groups with journal: true). */
  readonly journal?: CallJournal;
  /** Call counters for /metrics. */
  readonly onCall?: (event: CallEvent) => void;
}

export type CallEvent =
  | { readonly type: 'started'; readonly direction: 'incoming' | 'outgoing' }
  | {
      readonly type: 'ended';
      readonly direction: 'incoming' | 'outgoing';
      readonly cause: EndCause['kind'];
      readonly seconds: number;
    };

export interface B2bua {
  /** An INVITE from the PBX for a line (no To tag). */
  incoming(tx: ServerTransaction, lineId: string): void;
  /** An INVITE from a registered browser (no To tag). */
  outgoing(tx: ServerTransaction): void;
  /** A request with a To tag: true when a call took it (else the core answers 481). */
  inDialog(tx: ServerTransaction): boolean;
  /** An ACK for the TU (2xx ACKs). */
  ack(ack: SipRequest): void;
  /** A browser's WebSocket closed: its calls end, its pending call setups are cancelled. */
  flowClosed(connectionId: string): void;
  /** Calls up now. */
  readonly active: number;
  /** Calls ringing at the devices of a line, and calls up on it (outgoing set-ups included). */
  lineActivity(lineId: string): { ringing: number; active: number };
  /** Ends every call (BYE on both legs), at most `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

const NO_JOURNAL: CallJournal = {
  offered: () => undefined,
  answered: () => undefined,
  ended: () => undefined,
};

export function createB2bua(opts: B2buaOptions): B2bua {
  const clock = opts.clock ?? realClock;
  const legs = new Map<string, { call: Call; leg: Leg }>();
  const calls = new Set<Call>();
  const setups = new Map<string, Set<OutgoingHandle>>();
  const ringingByLine = new Map<string, number>();
  /** Ringing calls per line, for gateway-side pickup. */
  const pickable = new Map<string, Set<Pickable>>();
  const dialing = new Set<{ readonly lineId: string; readonly handle: OutgoingHandle }>();
  const bump = (map: Map<string, number>, key: string, delta: number) => {
    const n = (map.get(key) ?? 0) + delta;
    if (n > 0) map.set(key, n);
    else map.delete(key);
  };
  const startedAt = new Map<Call, number>();
  const log = opts.log;
  const journalOf = (line: LineInfo): CallJournal =>
    line.journal && opts.journal !== undefined ? opts.journal : NO_JOURNAL;

  const env = {
    sip: opts.sip,
    clock,
    t1: opts.timers.t1,
    t2: opts.timers.t2,
    log,
    allow: CALL_ALLOW,
    contact: {
      client: `<${formatUri(opts.clientContact)}>`,
      pbx: '', // per line: set by the call (see contactFor)
    },
    ended: (call: Call, cause: EndCause, stats: unknown) => {
      const line = opts.lineInfo(call.info.line);
      if (line !== undefined)
        journalOf(line).ended(call.info.id, { at: opts.now(), result: 'answered', stats });
      calls.delete(call);
      legs.delete(call.client.key);
      legs.delete(call.pbx.key);
      const seconds = (clock.now() - (startedAt.get(call) ?? clock.now())) / 1000;
      startedAt.delete(call);
      opts.onCall?.({ type: 'ended', direction: call.info.direction, cause: cause.kind, seconds });
    },
  };

  const ctx: SetupContext = {
    sip: opts.sip,
    env,
    log,
    createMedia: (o, onEvent) =>
      opts.media.createCall({ ...o, iceServers: opts.iceServers ?? [] }, onEvent),
    devices: (lineId) => devicesOf(lineId),
    dnd: (lineId) => opts.dnd?.(lineId) ?? false,
    secondCallRefused: (line) =>
      !line.functions.secondCall &&
      [...calls].some((c) => c.info.line === line.plan.id && c.active),
    forwarding: (line, caller, devices) =>
      forwardTarget(
        {
          users: opts.users,
          rules: (u) => opts.forwardingRules?.(u) ?? [],
          busyOn: (lineId) =>
            new Set([...calls].filter((c) => c.info.line === lineId).map((c) => c.info.user)),
          log,
        },
        line,
        caller,
        devices,
      ),
    start: (parts) => {
      const call = new Call(parts.info, parts.client, parts.pbx, parts.media, {
        ...env,
        contact: { client: env.contact.client, pbx: pbxContactOf(parts.pbx) },
        functions: () =>
          opts.lineInfo(parts.info.line)?.functions ?? { hold: true, transfer: true, dtmf: true },
        referTarget: (number) => {
          const line = opts.lineInfo(parts.info.line);
          return line === undefined ? `sip:${number}@invalid` : formatUri(pbxTarget(line, number));
        },
      });
      calls.add(call);
      legs.set(call.client.key, { call, leg: call.client });
      legs.set(call.pbx.key, { call, leg: call.pbx });
      startedAt.set(call, clock.now());
      for (const e of parts.events) call.mediaEvent(e);
      call.startSessionTimer('client', parts.timers.client);
      call.startSessionTimer('pbx', parts.timers.pbx);
      opts.onCall?.({ type: 'started', direction: call.info.direction });
      return call;
    },
    ringing: (lineId, delta, call) => {
      bump(ringingByLine, lineId, delta);
      let set = pickable.get(lineId);
      if (delta > 0) {
        if (set === undefined) pickable.set(lineId, (set = new Set()));
        set.add(call);
      } else if (set !== undefined) {
        set.delete(call);
        if (set.size === 0) pickable.delete(lineId);
      }
    },
    journal: (line) => journalOf(line),
    now: opts.now,
    clientContact: opts.clientContact,
    clientDomain: opts.clientDomain,
    pbxSentBy: opts.sip.udpSentBy,
    userAgent: opts.userAgent,
    ringTimeoutMs: opts.ringTimeoutMs ?? 180_000,
  };

  function devicesOf(lineId: string): Device[] {
    const now = opts.now();
    const out: Device[] = [];
    for (const user of opts.users()) {
      if (!user.lines.includes(lineId)) continue;
      for (const binding of opts.bindings.lookup(user.username, now)) {
        const flow = opts.sip.connectionFor(binding.flowId);
        if (flow !== undefined) out.push({ binding, flow });
      }
    }
    return out;
  }

  function outgoing(tx: ServerTransaction): void {
    if (tx.flow.transport === 'udp') {
      tx.reply(403, 'Forbidden');
      return;
    }
    const connectionId = tx.flow.connectionId;
    const who = callingUser(tx.request, connectionId);
    if (who === undefined) {
      tx.reply(403, 'Forbidden - From is not the user registered on this connection');
      return;
    }
    const choice = chooseLine(who, getHeader(tx.request, 'X-Linegate-Line'));
    if (!choice.ok) {
      tx.reply(403, `Forbidden - ${choice.reason}`);
      return;
    }
    const line = opts.lineInfo(choice.line);
    if (line === undefined) {
      tx.reply(404, `Not Found - line ${choice.line} is not configured`);
      return;
    }
    const typed = diallable(tx.request);
    if (typed === undefined) {
      tx.reply(484, 'Address Incomplete - dial digits, *, # and a leading +');
      return;
    }
    // The line group's location (seed 004): +E.164 and national numbers become what the PBX dials.
    const target = dialString(typed, line);
    if (target === undefined) {
      tx.reply(484, 'Address Incomplete - not a number this line can dial');
      return;
    }
    const picked = pickupOf(typed, who, line);
    if (picked !== undefined) {
      void picked.pickUp(tx, who.username).then((took) => {
        // Too late to pick up at the gateway: the PBX's own pickup may still find it.
        if (!took && tx.state !== 'Terminated') startCall(tx, who, line, target);
      });
      return;
    }
    startCall(tx, who, line, target);
  }

  /**
   * A call to the group's pickup code with the number of a colleague's line
   * that rings here (issue #7): the gateway hands the call over itself; the
   * PBX never sees the pickup. Only for users with `pickup: true`.
   */
  function pickupOf(typed: string, who: UserConfig, line: LineInfo): Pickable | undefined {
    if (!who.pickup || line.pickupCode === undefined) return undefined;
    const number = pickupNumber(line.pickupCode, typed);
    if (number === undefined) return undefined;
    const group = line.plan.group;
    for (const [lineId, calls] of pickable) {
      if (!lineId.startsWith(`${group}/`)) continue;
      const other = opts.lineInfo(lineId);
      if (other === undefined) continue;
      if (other.plan.username !== number && !other.numbers.includes(number)) continue;
      const first = calls.values().next().value;
      if (first !== undefined) return first;
    }
    return undefined;
  }

  function startCall(tx: ServerTransaction, who: UserConfig, line: LineInfo, target: string) {
    const connectionId = tx.flow.transport === 'udp' ? '' : tx.flow.connectionId;
    const handle = startOutgoing(ctx, tx, { user: who.username, line, target });
    const entry = { lineId: line.plan.id, handle };
    dialing.add(entry);
    void handle.done.finally(() => dialing.delete(entry));
    let set = setups.get(connectionId);
    if (set === undefined) setups.set(connectionId, (set = new Set()));
    set.add(handle);
    void handle.done.finally(() => {
      set.delete(handle);
      if (set.size === 0 && setups.get(connectionId) === set) setups.delete(connectionId);
    });
  }

  /** The registered user behind this connection whose AOR the From names (a user can only use their own lines). */
  function callingUser(req: SipRequest, connectionId: string): UserConfig | undefined {
    let fromUser: string | undefined;
    try {
      const uri = from(req).uri;
      fromUser = uri.kind === 'sip' ? uri.user : undefined;
    } catch {
      return undefined;
    }
    if (fromUser === undefined) return undefined;
    const registered = opts.bindings
      .lookup(fromUser, opts.now())
      .some((b) => b.flowId === connectionId);
    if (!registered) return undefined;
    return opts.users().find((u) => u.username === fromUser);
  }

  function chooseLine(
    user: UserConfig,
    wanted: string | undefined,
  ): { ok: true; line: string } | { ok: false; reason: string } {
    if (wanted !== undefined) {
      const id = wanted.trim();
      if (!user.lines.includes(id)) return { ok: false, reason: `line ${id} is not yours` };
      return { ok: true, line: id };
    }
    const first = user.lines[0];
    if (first === undefined) return { ok: false, reason: 'you have no line to call out on' };
    return { ok: true, line: first };
  }

  function inDialog(tx: ServerTransaction): boolean {
    const entry = lookup(tx.request);
    if (entry === undefined) return false;
    entry.call.onRequest(entry.leg, tx);
    return true;
  }

  function lookup(req: SipRequest): { call: Call; leg: Leg } | undefined {
    try {
      const id = requestDialogId(req);
      return id === undefined ? undefined : legs.get(dialogKey(id));
    } catch {
      return undefined;
    }
  }

  return {
    incoming: (tx, lineId) => {
      const line = opts.lineInfo(lineId);
      if (line === undefined) {
        tx.reply(404, 'Not Found');
        return;
      }
      startIncoming(ctx, tx, line);
    },
    outgoing,
    inDialog,
    ack: (ack) => {
      const entry = lookup(ack);
      if (entry !== undefined) entry.call.onAck(entry.leg, ack);
    },
    flowClosed: (connectionId) => {
      for (const handle of setups.get(connectionId) ?? []) handle.abort();
      for (const call of [...calls]) {
        if (call.client.connectionId === connectionId) void call.end({ kind: 'client-gone' });
      }
    },
    get active() {
      return calls.size;
    },
    lineActivity: (lineId) => {
      let active = 0;
      for (const c of calls) if (c.info.line === lineId) active++;
      // A set-up that became a call is counted as the call.
      for (const d of dialing) if (d.lineId === lineId && !d.handle.established) active++;
      return { ringing: ringingByLine.get(lineId) ?? 0, active };
    },
    stop: async (timeoutMs = 3000) => {
      const ending = [...calls].map((c) => c.end({ kind: 'shutdown' }));
      let timer: ReturnType<Clock['setTimer']> | undefined;
      const bound = new Promise<void>((resolve) => (timer = clock.setTimer(timeoutMs, resolve)));
      await Promise.race([Promise.allSettled(ending), bound]);
      if (timer !== undefined) clock.clearTimer(timer);
    },
  };
}

function pbxContactOf(pbx: Leg): string {
  return `<${formatUri(pbx.dialog.localTarget)}>`;
}
