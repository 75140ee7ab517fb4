/**
 * Generates RFC 4733 DTMF events on a leg (for SIP INFO dtmf-relay from the
 * browser): one event at a time, each on the leg's own stream with a fresh
 * timestamp (§2.5.1.2), audio of that direction held back meanwhile, and a
 * pause between digits so the receiver sees separate events.
 */
import { LinegateError } from '#shared/errors.ts';
import type { LegCore } from './leg.ts';
import type { Path } from './path.ts';
import { buildTelephoneEvent, dtmfEventCode, planEvent } from './rfc4733.ts';
import { buildRtp } from './rtp.ts';

const INTER_DIGIT_MS = 50;

interface Job {
  event: number;
  durationMs: number;
  resolve: () => void;
}

export class DtmfSender {
  private readonly queue: Job[] = [];
  private busy = false;
  private current: Job | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly leg: LegCore,
    private readonly path: Path,
    private readonly now: () => number,
  ) {}

  /** Resolves when the event's last packet is out; throws if the leg has no telephone-event. */
  send(digit: string, durationMs: number): Promise<void> {
    const event = dtmfEventCode(digit);
    if (!this.leg.neg?.dtmf) {
      return Promise.reject(
        new LinegateError('internal', `the ${this.leg.name} leg did not negotiate telephone-event`),
      );
    }
    return new Promise((resolve) => {
      this.queue.push({ event, durationMs, resolve });
      if (!this.busy) this.next();
    });
  }

  private next(): void {
    const job = this.queue.shift();
    const dtmf = this.leg.neg?.dtmf;
    if (!job || this.closed) {
      this.busy = false;
      return;
    }
    if (!dtmf) {
      job.resolve();
      this.next();
      return;
    }
    this.busy = true;
    this.current = job;
    const startAt = this.now();
    const out = this.leg.out;
    const startTs = out.extrapolate(startAt, dtmf.clockRate, 0);
    const plan = planEvent(job.event, job.durationMs, dtmf.clockRate);
    this.path.suppressAudio = true;
    plan.forEach((p, i) => {
      this.later(p.atMs, () => {
        const now = this.now();
        const header = {
          marker: p.marker,
          payloadType: dtmf.pt,
          seq: out.nextSeq(),
          timestamp: startTs,
          ssrc: out.ssrc,
        };
        if (this.leg.sending)
          this.leg.send(buildRtp(header, buildTelephoneEvent(p.payload)), startTs, now, 4);
        if (i < plan.length - 1) return;
        // Audio resumes at "now" on our clock, after the event (not at its start).
        out.ts = (startTs + Math.round(((now - startAt) * dtmf.clockRate) / 1000)) >>> 0;
        out.anchorMs = now;
        this.path.suppressAudio = false;
        this.path.rebase();
        this.current = null;
        job.resolve();
        this.later(INTER_DIGIT_MS, () => this.next());
      });
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.current?.resolve();
    for (const job of this.queue.splice(0)) job.resolve();
    this.path.suppressAudio = false;
  }
}
