/**
 * Prometheus metrics. Each gateway owns its registry (not prom-client's
 * global one), so several gateways can run in one process in tests.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { LINE_STATES, type StateCounts } from '../lines/status.ts';

/** Per-group line state counts, read at every scrape. */
export type LineCountsSource = () => readonly {
  readonly group: string;
  readonly counts: StateCounts;
}[];

export interface LineMetrics {
  /** A REGISTER exchange failed; `reason` is a bounded label (timeout, auth, 503 …). */
  failure(group: string, reason: string): void;
  /** Where the gauges read the line states from (the line manager, once it exists). */
  setSource(source: LineCountsSource): void;
}

export interface CallMetrics {
  started(direction: 'incoming' | 'outgoing'): void;
  ended(direction: 'incoming' | 'outgoing', cause: string, seconds: number): void;
  /** Where the gauges read the live call count and free RTP ports from. */
  setSource(source: () => { active: number; portsAvailable: number }): void;
}

export interface Metrics {
  registry: Registry;
  lines: LineMetrics;
  calls: CallMetrics;
}

export function createMetrics(version: string): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'linegate_' });
  const info = new Gauge({
    name: 'linegate_build_info',
    help: 'Linegate version running in this process (always 1).',
    labelNames: ['version'],
    registers: [registry],
  });
  info.set({ version }, 1);
  return { registry, lines: lineMetrics(registry), calls: callMetrics(registry) };
}

function callMetrics(registry: Registry): CallMetrics {
  let source = () => ({ active: 0, portsAvailable: 0 });
  new Gauge({
    name: 'linegate_calls_active',
    help: 'Calls up now (both legs connected).',
    registers: [registry],
    collect() {
      this.set(source().active);
    },
  });
  new Gauge({
    name: 'linegate_rtp_ports_available',
    help: 'Free RTP port pairs of media.rtpPorts.',
    registers: [registry],
    collect() {
      this.set(source().portsAvailable);
    },
  });
  const started = new Counter({
    name: 'linegate_calls_total',
    help: 'Calls connected, per direction.',
    labelNames: ['direction'],
    registers: [registry],
  });
  const ended = new Counter({
    name: 'linegate_calls_ended_total',
    help: 'Calls ended, per direction and cause (bye, client-gone, media, no-ack, session-expired, dialog-gone, shutdown).',
    labelNames: ['direction', 'cause'],
    registers: [registry],
  });
  const seconds = new Counter({
    name: 'linegate_call_seconds_total',
    help: 'Seconds of connected calls, per direction.',
    labelNames: ['direction'],
    registers: [registry],
  });
  return {
    started: (direction) => started.inc({ direction }),
    ended: (direction, cause, s) => {
      ended.inc({ direction, cause });
      seconds.inc({ direction }, s);
    },
    setSource: (s) => (source = s),
  };
}

function lineMetrics(registry: Registry): LineMetrics {
  let source: LineCountsSource = () => [];
  new Gauge({
    name: 'linegate_lines_registered',
    help: 'SIP lines currently registered at their PBX, per line group.',
    labelNames: ['group'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { group, counts } of source()) this.set({ group }, counts.registered);
    },
  });
  new Gauge({
    name: 'linegate_lines',
    help: 'SIP lines per line group and registration state.',
    labelNames: ['group', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { group, counts } of source()) {
        for (const state of LINE_STATES) this.set({ group, state }, counts[state]);
      }
    },
  });
  const failures = new Counter({
    name: 'linegate_line_registration_failures_total',
    help: 'Failed REGISTER exchanges of SIP lines, per line group and reason (timeout, transport, auth, bad-response, or the SIP status).',
    labelNames: ['group', 'reason'],
    registers: [registry],
  });
  return {
    failure: (group, reason) => failures.inc({ group, reason }),
    setSource: (s) => (source = s),
  };
}
