/**
 * SIP message-layer benchmark: `npx tsx test/bench/sip.bench.ts` prints one
 * JSON object. Rates are per second on one core (the loop is single-threaded).
 * Goal: ≥ 100,000 INVITE parses per second per core.
 */
import { measureUdpTransactions } from './sip-udp.ts';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { callId, cseq, from, tagOf, to, topVia } from '../../gateway/sip/message/headers.ts';
import { parseMessage } from '../../gateway/sip/message/parse.ts';
import { sample200, sampleInvite } from '../../gateway/sip/message/samples.ts';
import { serializeMessage } from '../../gateway/sip/message/serialize.ts';
import type { SipMessage } from '../../gateway/sip/message/types.ts';

const SAMPLE_MS = Number(process.env['BENCH_MS'] ?? 300);
const SAMPLES = 5;

/** Calls per second of fn over about `ms` milliseconds, in batches of 1000. */
function sample(fn: () => unknown, ms: number): number {
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    now = process.hrtime.bigint();
  }
  return calls / (Number(now - start) / 1e9);
}

/**
 * Median of SAMPLES samples after a warm-up as long as one sample: the
 * median shrugs off JIT tiering and the odd neighbour on a shared machine.
 */
function rate(fn: () => unknown): number {
  sample(fn, SAMPLE_MS);
  const rates = Array.from({ length: SAMPLES }, () => sample(fn, SAMPLE_MS)).sort((a, b) => a - b);
  return Math.round(rates[Math.floor(SAMPLES / 2)] ?? 0);
}

function parsed(data: Buffer): SipMessage {
  const r = parseMessage(data, { framing: 'datagram' });
  if (!r.ok) throw r.error;
  return r.message;
}

/** What the transaction and dialog layers read from every message they see. */
function typedAccess(data: Buffer): string {
  const msg = parsed(data);
  const via = topVia(msg);
  const fromTag = tagOf(from(msg));
  const toTag = tagOf(to(msg));
  return `${via.params.get('branch') ?? ''}${fromTag ?? ''}${toTag ?? ''}${cseq(msg).seq}${callId(msg)}`;
}

export async function runSipBenchmarks(): Promise<Record<string, unknown>> {
  const invite = sampleInvite();
  const ok = sample200();
  const inviteMsg = parsed(invite);
  const okMsg = parsed(ok);
  const results: Record<string, unknown> = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    inviteBytes: invite.length,
    okBytes: ok.length,
    parseInvitePerSec: rate(() => parseMessage(invite, { framing: 'datagram' })),
    parse200PerSec: rate(() => parseMessage(ok, { framing: 'datagram' })),
    serializeInvitePerSec: rate(() => serializeMessage(inviteMsg)),
    serialize200PerSec: rate(() => serializeMessage(okMsg)),
    typedAccessInvitePerSec: rate(() => typedAccess(invite)),
    typedAccess200PerSec: rate(() => typedAccess(ok)),
  };
  return { ...results, ...(await measureUdpTransactions()) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await runSipBenchmarks()));
}
