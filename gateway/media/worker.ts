/**
 * Entry of a media worker process. Calls live here; the gateway process
 * only sends requests (protocol.ts). A separate process, not a worker
 * thread: node-datachannel keeps N-API constructors in process-wide statics
 * and aborts the whole process when a second thread creates a track, and a
 * native crash in a process takes down only that worker's calls.
 */
import { performance } from 'node:perf_hooks';
import { isLinegateError } from '#shared/errors.ts';
import { Call } from './call.ts';
import { DEFAULT_DTMF_MS } from './defaults.ts';
import type { LogLevel, OpName, Ops, Request, WireError, WorkerMessage } from './protocol.ts';

const calls = new Map<string, Call>();
const now = () => performance.now();

function post(m: WorkerMessage): void {
  // With a callback, a send to a gone parent (EPIPE) is reported there instead of crashing us.
  if (process.connected) process.send?.(m, undefined, {}, () => undefined);
}

function log(level: LogLevel, msg: string, data: Record<string, unknown> = {}): void {
  post({ type: 'log', level, msg, data });
}

function callOf(id: string): Call {
  const call = calls.get(id);
  if (!call) throw new Error(`no call ${id} in this media worker`);
  return call;
}

async function create(req: Extract<Request, { op: 'create' }>): Promise<null> {
  if (calls.has(req.callId)) throw new Error(`call ${req.callId} exists`);
  const call = new Call(
    req.callId,
    req.args,
    (event) => post({ type: 'event', callId: req.callId, event }),
    now,
  );
  try {
    await call.init();
  } catch (e) {
    call.close();
    throw e;
  }
  calls.set(req.callId, call);
  return null;
}

async function handle(req: Request): Promise<Ops[OpName]['result']> {
  switch (req.op) {
    case 'create':
      return create(req);
    case 'clientOffer':
      return callOf(req.callId).client.offer(req.args.opts);
    case 'clientAnswer':
      return callOf(req.callId).client.answer(req.args.sdp, req.args.opts);
    case 'setClientAnswer':
      callOf(req.callId).client.setAnswer(req.args.sdp);
      return null;
    case 'pbxOffer':
      return callOf(req.callId).pbx.offer(req.args.opts);
    case 'pbxAnswer':
      return callOf(req.callId).pbx.answer(req.args.sdp, req.args.opts);
    case 'setPbxAnswer':
      callOf(req.callId).pbx.setAnswer(req.args.sdp);
      return null;
    case 'sendDtmf':
      await callOf(req.callId).dtmf.send(req.args.digit, req.args.durationMs || DEFAULT_DTMF_MS);
      return null;
    case 'stats':
      return callOf(req.callId).stats();
    case 'close':
      calls.get(req.callId)?.close();
      calls.delete(req.callId);
      return null;
    case 'usage': {
      const cpu = process.cpuUsage();
      return {
        pid: process.pid,
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssBytes: process.memoryUsage.rss(),
      };
    }
  }
}

function toWire(e: unknown): WireError {
  if (isLinegateError(e)) return { code: e.code, message: e.message, details: { ...e.details } };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), details: {} };
}

process.on('message', (raw) => {
  const req = raw as Request;
  handle(req).then(
    (value) => post({ type: 'reply', id: req.id, ok: true, value }),
    (e: unknown) => {
      if (req.op !== 'create')
        log('warn', 'media request failed', { op: req.op, callId: req.callId, err: String(e) });
      post({ type: 'reply', id: req.id, ok: false, error: toWire(e) });
    },
  );
});

// RTCP reports are due every few seconds per leg; one timer serves all calls.
setInterval(() => {
  const n = now();
  const wall = Date.now();
  for (const call of calls.values()) call.tick(n, wall);
}, 1000).unref();

// Without the gateway (it stopped, or crashed) there is nobody to ask for
// anything: leave at once. The OS frees the sockets; closing the peer
// connections first could block on libdatachannel's threads and keep an
// orphan holding RTP ports (and the gateway's stdout) alive.
process.on('disconnect', () => process.exit(0));

post({ type: 'ready', pid: process.pid });
