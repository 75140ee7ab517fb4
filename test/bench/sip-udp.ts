/**
 * Transactions per second through the UDP transport on loopback: a client
 * stack keeps WINDOW requests in flight toward a server stack whose core
 * answers at once (OPTIONS → 200; INVITE → 480, ACKed by the transaction
 * layer), both in this process — so the figure includes both ends' parsing,
 * transaction matching and serialization. Median of SAMPLES windows.
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../gateway/log.ts';
import { createRequest } from '../../gateway/sip/dialog/requests.ts';
import { parseUri } from '../../gateway/sip/message/uri.ts';
import {
  answerUnhandled,
  createSipStack,
  udpDestination,
  type SipStack,
} from '../../gateway/sip/stack.ts';

const WINDOW = 200;
const WARMUP_MS = 1000;
const SAMPLE_MS = 2000;
const SAMPLES = 3;

async function pair(): Promise<{ client: SipStack; server: SipStack }> {
  const log = createLogger('silent');
  const opts = { udp: { host: '127.0.0.1', port: 0 }, timers: {}, log, maxTransactions: 2_000_000 };
  const server = await createSipStack(opts);
  server.onRequest((tx) => answerUnhandled(tx));
  const client = await createSipStack(opts);
  return { client, server };
}

/** Runs `method` transactions with WINDOW in flight; returns completed transactions per second (median) and CPU µs per transaction. */
async function measure(
  method: 'OPTIONS' | 'INVITE',
): Promise<{ perSec: number; cpuUsPerTx: number }> {
  const { client, server } = await pair();
  const target = parseUri(`sip:bench@127.0.0.1:${server.udpAddress.port}`);
  const contact = parseUri(`sip:bench@${client.udpSentBy}`);
  const dest = udpDestination('127.0.0.1', server.udpAddress.port);
  let done = 0;
  let running = true;
  const callIdBase = randomBytes(6).toString('hex');
  let n = 0;
  const send = () => {
    if (!running) return;
    const req = createRequest({
      method,
      requestUri: target,
      from: { uri: contact },
      to: { uri: target },
      callId: `${callIdBase}-${n++}`,
      cseq: 1,
      contact,
    });
    client.sendRequest(req, dest, {
      onFinal: () => {
        done++;
        send();
      },
    });
  };
  for (let i = 0; i < WINDOW; i++) send();
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const rates: number[] = [];
  let cpu = 0;
  let txs = 0;
  for (let s = 0; s < SAMPLES; s++) {
    const d0 = done;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const c = process.cpuUsage(c0);
    const count = done - d0;
    rates.push((count * 1000) / (performance.now() - t0));
    cpu += c.user + c.system;
    txs += count;
  }
  running = false;
  await new Promise((r) => setTimeout(r, 200));
  await client.close();
  await server.close();
  rates.sort((a, b) => a - b);
  return {
    perSec: Math.round(rates[Math.floor(rates.length / 2)] ?? 0),
    cpuUsPerTx: Math.round((cpu / Math.max(1, txs)) * 10) / 10,
  };
}

export async function measureUdpTransactions(): Promise<Record<string, number>> {
  const options = await measure('OPTIONS');
  const invite = await measure('INVITE');
  return {
    udpOptionsTransactionsPerSec: options.perSec,
    udpOptionsCpuUsPerTransaction: options.cpuUsPerTx,
    udpInviteTransactionsPerSec: invite.perSec,
    udpInviteCpuUsPerTransaction: invite.cpuUsPerTx,
    udpWindow: WINDOW,
  };
}
