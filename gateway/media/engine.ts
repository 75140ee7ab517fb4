/**
 * The engine as the gateway process sees it: a pool of media worker
 * processes, a port pool, and per call a small proxy that turns method calls
 * into requests to the call's worker. The gateway process owns the ports, so
 * a worker that dies cannot take any with it: its pairs go back to the pool,
 * its calls get an 'ended' event, and a new worker takes its place.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isLinegateError, LinegateError } from '#shared/errors.ts';
import type { Logger } from '../log.ts';
import { DEFAULT_DTMF_MS } from './defaults.ts';
import { PortPool } from './port-pool.ts';
import type { OpName, Ops, WorkerMessage, WorkerUsage } from './protocol.ts';
import type {
  CallMedia,
  CallMediaOptions,
  EngineStatus,
  MediaEngine,
  MediaEvent,
} from './types.ts';

export interface EngineConfig {
  workers: number;
  rtpPorts: readonly [number, number];
  publicAddress: string;
  bindAddress: string;
  log: Logger;
}

interface Pending {
  resolve: (v: Ops[OpName]['result']) => void;
  reject: (e: unknown) => void;
}

interface CallRecord {
  id: string;
  port: number;
  slot: Slot;
  onEvent: ((e: MediaEvent) => void) | undefined;
  ended: boolean;
}

interface Slot {
  index: number;
  child: ChildProcess | null;
  pending: Map<number, Pending>;
  calls: Map<string, CallRecord>;
  restarts: number;
}

const WORKER_PATH = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The worker is TypeScript too: load it with the same tsx loader, wherever the gateway was started from. */
const TSX_LOADER = import.meta.resolve('tsx');
const MAX_BIND_ATTEMPTS = 5;
const QUARANTINE_MS = 60_000;

export class Engine implements MediaEngine {
  private readonly slots: Slot[];
  private readonly pool: PortPool;
  private nextId = 1;
  private closing = false;

  constructor(private readonly cfg: EngineConfig) {
    this.pool = new PortPool(cfg.rtpPorts);
    this.slots = Array.from({ length: Math.max(1, cfg.workers) }, (_, index) => ({
      index,
      child: null,
      pending: new Map(),
      calls: new Map(),
      restarts: 0,
    }));
    for (const slot of this.slots) this.spawn(slot);
  }

  private spawn(slot: Slot): void {
    const child = fork(WORKER_PATH, [], {
      execArgv: ['--import', TSX_LOADER],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.child = child;
    child.on('message', (m) => this.onMessage(slot, m as WorkerMessage));
    child.on('error', (err) =>
      this.cfg.log.error({ err, worker: slot.index }, 'media worker error'),
    );
    child.once('exit', (code, signal) => this.onExit(slot, child, code, signal));
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    switch (m.type) {
      case 'ready':
        this.cfg.log.debug({ worker: slot.index, workerPid: m.pid }, 'media worker ready');
        return;
      case 'reply': {
        const p = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else
          p.reject(new LinegateError(m.error.code, m.error.message, { details: m.error.details }));
        return;
      }
      case 'event':
        slot.calls.get(m.callId)?.onEvent?.(m.event);
        return;
      case 'log':
        this.cfg.log[m.level]({ ...m.data, worker: slot.index }, m.msg);
        return;
    }
  }

  private onExit(
    slot: Slot,
    child: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (slot.child !== child) return;
    slot.child = null;
    for (const p of slot.pending.values())
      p.reject(
        new LinegateError('internal', 'media worker exited', { details: { worker: slot.index } }),
      );
    slot.pending.clear();
    const calls = [...slot.calls.values()];
    slot.calls.clear();
    for (const rec of calls) {
      rec.ended = true;
      this.pool.release(rec.port);
    }
    if (this.closing) return;
    this.cfg.log.error(
      { worker: slot.index, code, signal, calls: calls.length },
      'media worker exited; its calls ended and ports freed',
    );
    for (const rec of calls) rec.onEvent?.({ type: 'ended', reason: 'worker-exit' });
    slot.restarts++;
    const delay = Math.min(5000, 100 * 2 ** Math.min(slot.restarts - 1, 6));
    setTimeout(() => {
      if (!this.closing) this.spawn(slot);
    }, delay).unref();
  }

  request<K extends OpName>(
    slot: Slot,
    op: K,
    callId: string,
    args: Ops[K]['args'],
  ): Promise<Ops[K]['result']> {
    const child = slot.child;
    if (!child?.connected) {
      return Promise.reject(
        new LinegateError('internal', 'media worker is not running', {
          details: { worker: slot.index },
        }),
      );
    }
    const id = this.nextId++;
    return new Promise<Ops[K]['result']>((resolve, reject) => {
      // The worker answers op K with Ops[K]['result'] (protocol.ts).
      slot.pending.set(id, { resolve, reject });
      child.send({ id, callId, op, args });
    });
  }

  private pickSlot(): Slot {
    const live = this.slots.filter((s) => s.child?.connected);
    const slot = live.sort((a, b) => a.calls.size - b.calls.size)[0];
    if (!slot) throw new LinegateError('internal', 'no media worker is running');
    return slot;
  }

  async createCall(
    options: CallMediaOptions,
    onEvent?: (e: MediaEvent) => void,
  ): Promise<CallMedia> {
    if (this.closing) throw new LinegateError('internal', 'media engine is closed');
    const slot = this.pickSlot();
    const id = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const port = this.pool.acquire();
      const rec: CallRecord = { id, port, slot, onEvent, ended: false };
      slot.calls.set(id, rec); // before the request: a crash meanwhile must free the port
      try {
        await this.request(slot, 'create', id, {
          options,
          publicAddress: this.cfg.publicAddress,
          bindAddress: this.cfg.bindAddress,
          rtpPort: port,
        });
        return new CallProxy(this, rec);
      } catch (e) {
        slot.calls.delete(id);
        if (
          isLinegateError(e) &&
          e.details['reason'] === 'port-in-use' &&
          attempt < MAX_BIND_ATTEMPTS
        ) {
          this.cfg.log.warn({ port }, 'RTP port held by another program; skipping it for a while');
          setTimeout(() => this.pool.release(port), QUARANTINE_MS).unref();
          continue;
        }
        if (!rec.ended) this.pool.release(port);
        throw e;
      }
    }
  }

  /** Ends a call's record and returns its ports (idempotent). */
  forget(rec: CallRecord): void {
    if (rec.ended) return;
    rec.ended = true;
    rec.slot.calls.delete(rec.id);
    this.pool.release(rec.port);
  }

  status(): EngineStatus {
    return {
      workers: this.slots.map((s) => ({
        index: s.index,
        pid: s.child?.pid ?? null,
        calls: s.calls.size,
        rtpPorts: s.calls.size * 2,
        restarts: s.restarts,
      })),
      portsAvailable: this.pool.available,
    };
  }

  async usage(): Promise<WorkerUsage[]> {
    const live = this.slots.filter((s) => s.child?.connected);
    return Promise.all(live.map((s) => this.request(s, 'usage', '', {})));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map((slot) => {
        const child = slot.child;
        if (!child) return Promise.resolve();
        return new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }),
    );
  }

  crashWorkerForTest(index: number): void {
    this.slots[index]?.child?.kill('SIGKILL');
  }
}

class CallProxy implements CallMedia {
  constructor(
    private readonly engine: Engine,
    private readonly rec: CallRecord,
  ) {}

  get id(): string {
    return this.rec.id;
  }

  private ask<K extends OpName>(op: K, args: Ops[K]['args']): Promise<Ops[K]['result']> {
    if (this.rec.ended) {
      return Promise.reject(
        new LinegateError('internal', 'media of this call has ended', {
          details: { callId: this.rec.id },
        }),
      );
    }
    return this.engine.request(this.rec.slot, op, this.rec.id, args);
  }

  clientOffer(opts = {}): Promise<string> {
    return this.ask('clientOffer', { opts });
  }
  clientAnswer(sdp: string, opts = {}): Promise<string> {
    return this.ask('clientAnswer', { sdp, opts });
  }
  async setClientAnswer(sdp: string): Promise<void> {
    await this.ask('setClientAnswer', { sdp });
  }
  pbxOffer(opts = {}): Promise<string> {
    return this.ask('pbxOffer', { opts });
  }
  pbxAnswer(sdp: string, opts = {}): Promise<string> {
    return this.ask('pbxAnswer', { sdp, opts });
  }
  async setPbxAnswer(sdp: string): Promise<void> {
    await this.ask('setPbxAnswer', { sdp });
  }
  async sendDtmf(digit: string, durationMs = DEFAULT_DTMF_MS): Promise<void> {
    await this.ask('sendDtmf', { digit, durationMs });
  }
  stats(): ReturnType<CallMedia['stats']> {
    return this.ask('stats', {});
  }
  async close(): Promise<void> {
    if (this.rec.ended) return;
    try {
      await this.engine.request(this.rec.slot, 'close', this.rec.id, {});
    } catch {
      // the worker is gone: nothing left to close there
    } finally {
      this.engine.forget(this.rec);
    }
  }
}
