/**
 * Media engine benchmark: `npx tsx test/bench/media.bench.ts [--quick]`
 * prints ONE JSON object. For relay (PCMA on both legs) and transcoding
 * (Opus ⇄ PCMA) it ramps up concurrent calls — node-datachannel "browsers"
 * and UDP "PBXs" in generator child processes, 50 packets/s each way, on
 * 127.0.0.1 — and reports the largest N with < 1 % loss each way and a
 * main-thread event-loop p99 < 20 ms, with the engine's CPU (gateway process
 * + media workers) per call, calls per core, memory per call, setup time.
 * Goals: ≥ 300 relay calls and ≥ 100 transcoded calls per core.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../gateway/log.ts';
import {
  createMediaEngine,
  type CallMedia,
  type ClientCodec,
  type MediaEngine,
} from '../../gateway/media/index.ts';
import { runGenerator, type GenReply, type GenRequest } from '../media/loadgen.ts';

const GENERATORS = 2;
const LOSS_LIMIT = 0.01;
const P99_LIMIT_MS = 20;
/** A step counts only if the generators really offered (nearly) 50 packets/s per call and direction. */
const MIN_OFFERED_PPS = 48;

interface Gen {
  child: ChildProcess;
  queue: Promise<unknown>;
}

type Reply<T extends GenReply['t']> = Extract<GenReply, { t: T }>;

function ask<T extends GenReply['t']>(g: Gen, req: GenRequest): Promise<Reply<T>> {
  // One request at a time per generator: replies carry no id.
  const run = () =>
    new Promise<Reply<T>>((resolve) => {
      g.child.once('message', (m) => resolve(m as Reply<T>));
      g.child.send(req);
    });
  const p = g.queue.then(run, run);
  g.queue = p;
  return p;
}

interface Live {
  id: string;
  call: CallMedia;
  gen: Gen;
}

interface Mode {
  name: 'relay' | 'transcode';
  client: ClientCodec[];
  steps: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

/** Sets up `count` calls on one generator; retries the ones whose DTLS setup failed. */
async function addCalls(
  engine: MediaEngine,
  gen: Gen,
  count: number,
  client: ClientCodec[],
  setupMs: number[],
): Promise<Live[]> {
  const live: Live[] = [];
  for (let round = 0; round < 3 && live.length < count; round++) {
    const ids = Array.from({ length: count - live.length }, () => randomUUID());
    const offers = new Map((await ask<'pbxOffers'>(gen, { t: 'pbxOffers', ids })).offers);
    const made = await Promise.all(
      ids.map(async (id) => {
        const t0 = performance.now();
        const call = await engine.createCall({ clientCodecs: client, pbxCodecs: ['PCMA', 'PCMU'] });
        const pbxAnswer = await call.pbxAnswer(offers.get(id) ?? '');
        const clientOffer = await call.clientOffer();
        setupMs.push(performance.now() - t0);
        return { id, call, pbxAnswer, clientOffer };
      }),
    );
    const items = made.map(({ id, pbxAnswer, clientOffer }) => ({ id, pbxAnswer, clientOffer }));
    const answers = new Map((await ask<'answers'>(gen, { t: 'answer', items })).answers);
    const failedSetup = new Set<string>();
    await Promise.all(
      made.map((m) =>
        m.call.setClientAnswer(answers.get(m.id) ?? '').catch(() => failedSetup.add(m.id)),
      ),
    );
    const res = await ask<'connected'>(gen, {
      t: 'waitConnected',
      ids: ids.filter((id) => !failedSetup.has(id)),
      timeoutMs: 15_000,
    });
    res.failed.push(...failedSetup);
    const ok = new Set(res.ok);
    for (const m of made) {
      if (ok.has(m.id)) live.push({ id: m.id, call: m.call, gen });
      else await m.call.close();
    }
    if (res.failed.length) await ask<'dropped'>(gen, { t: 'drop', ids: res.failed });
  }
  return live;
}

async function snapshot(gens: Gen[]) {
  const snaps = await Promise.all(gens.map((g) => ask<'snapshot'>(g, { t: 'snapshot' })));
  return snaps.reduce(
    (a, s) => ({
      toPbxSent: a.toPbxSent + s.toPbxSent,
      toPbxRecv: a.toPbxRecv + s.toPbxRecv,
      toBrowserSent: a.toBrowserSent + s.toBrowserSent,
      toBrowserRecv: a.toBrowserRecv + s.toBrowserRecv,
    }),
    { toPbxSent: 0, toPbxRecv: 0, toBrowserSent: 0, toBrowserRecv: 0 },
  );
}

async function engineUsage(engine: MediaEngine) {
  const workers = await engine.usage();
  const own = process.cpuUsage();
  return {
    cpuMs: workers.reduce((n, w) => n + w.cpuMs, 0) + (own.user + own.system) / 1000,
    rssBytes: workers.reduce((n, w) => n + w.rssBytes, 0),
  };
}

/** One measurement window at the current load. */
async function measure(engine: MediaEngine, gens: Gen[], n: number, windowMs: number) {
  await sleep(2000); // warm-up: jitter buffers, JIT, first RTCP
  // Resolution 1 ms: the histogram includes the sampling interval, so p99 is ≥ 1 ms even when idle.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const u0 = await engineUsage(engine);
  const s0 = await snapshot(gens);
  const t0 = performance.now();
  loop.enable();
  await sleep(windowMs);
  loop.disable();
  const s1 = await snapshot(gens);
  const u1 = await engineUsage(engine);
  const wall = performance.now() - t0;
  const lossToPbx = 1 - (s1.toPbxRecv - s0.toPbxRecv) / Math.max(1, s1.toPbxSent - s0.toPbxSent);
  const lossToBrowser =
    1 - (s1.toBrowserRecv - s0.toBrowserRecv) / Math.max(1, s1.toBrowserSent - s0.toBrowserSent);
  const engineCores = (u1.cpuMs - u0.cpuMs) / wall;
  // What the generators actually offered, per call and direction (goal: 50/s).
  const offeredPps =
    Math.min(s1.toPbxSent - s0.toPbxSent, s1.toBrowserSent - s0.toBrowserSent) / (wall / 1000) / n;
  const loopP99Ms = loop.percentile(99) / 1e6;
  const round = (x: number, d = 4) => Number(x.toFixed(d));
  return {
    calls: n,
    lossToPbx: round(Math.max(0, lossToPbx)),
    lossToBrowser: round(Math.max(0, lossToBrowser)),
    loopP99Ms: round(loopP99Ms, 2),
    engineCpuPercent: round(engineCores * 100, 1),
    cpuPercentPerCall: round((engineCores * 100) / n, 4),
    workerRssMB: round(u1.rssBytes / 2 ** 20, 1),
    offeredPpsPerCall: round(offeredPps, 1),
    ok:
      lossToPbx < LOSS_LIMIT &&
      lossToBrowser < LOSS_LIMIT &&
      loopP99Ms < P99_LIMIT_MS &&
      offeredPps >= MIN_OFFERED_PPS,
  };
}

type Step = Awaited<ReturnType<typeof measure>>;

function limit(s: Step): string {
  if (s.offeredPpsPerCall < MIN_OFFERED_PPS)
    return `load generators could not offer 50 packets/s at ${s.calls} calls (machine saturated)`;
  if (s.loopP99Ms >= P99_LIMIT_MS) return `event-loop p99 ${s.loopP99Ms} ms at ${s.calls} calls`;
  return `loss ${Math.max(s.lossToPbx, s.lossToBrowser) * 100} % at ${s.calls} calls`;
}

async function runMode(engine: MediaEngine, gens: Gen[], mode: Mode, windowMs: number) {
  const live: Live[] = [];
  const setupMs: number[] = [];
  const setupCpuMs: number[] = [];
  const steps: Step[] = [];
  const rss0 = (await engineUsage(engine)).rssBytes;
  for (const n of mode.steps) {
    const add = n - live.length;
    const per = gens.map((_, i) => Math.floor(add / gens.length) + (i < add % gens.length ? 1 : 0));
    const before = await engineUsage(engine);
    const added = await Promise.all(
      gens.map((g, i) => addCalls(engine, g, per[i] ?? 0, mode.client, setupMs)),
    );
    live.push(...added.flat());
    // Includes the media the earlier calls carried meanwhile: an upper bound.
    setupCpuMs.push(((await engineUsage(engine)).cpuMs - before.cpuMs) / Math.max(1, add));
    const step = await measure(engine, gens, live.length, windowMs);
    steps.push(step);
    if (!step.ok) break;
  }
  const best = [...steps].reverse().find((s) => s.ok) ?? null;
  const last = steps.at(-1);
  const memoryPerCallKB = last
    ? Math.round((last.workerRssMB * 2 ** 20 - rss0) / last.calls / 1024)
    : null;
  await Promise.all(live.map((l) => l.call.close()));
  await Promise.all(
    gens.map((g) =>
      ask<'dropped'>(g, { t: 'drop', ids: live.filter((l) => l.gen === g).map((l) => l.id) }),
    ),
  );
  return {
    maxCalls: best?.calls ?? 0,
    callsPerCore: best ? Math.round(best.calls / (best.engineCpuPercent / 100)) : 0,
    cpuPercentPerCall: best?.cpuPercentPerCall ?? null,
    memoryPerCallKB,
    // Latency of createCall + pbxAnswer + clientOffer (ICE gathering) while a batch is set up at once.
    setupMs: {
      median: Math.round(median(setupMs) * 10) / 10,
      p95: Math.round(p95(setupMs) * 10) / 10,
    },
    // Engine CPU while the first batch was set up (no other calls yet), per call.
    setupCpuMsPerCall: Math.round((setupCpuMs[0] ?? 0) * 10) / 10,
    limitedBy: !last || best === last ? 'last step passed (raise the ramp)' : limit(last),
    steps,
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const workers = availableParallelism();
  const self = fileURLToPath(import.meta.url);
  const gens: Gen[] = Array.from({ length: GENERATORS }, () => ({
    child: fork(self, ['--generator'], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      serialization: 'advanced',
    }),
    queue: Promise.resolve(),
  }));
  await sleep(1000); // generators load
  const modes: Mode[] = [
    {
      name: 'relay',
      client: ['PCMA'],
      steps: quick ? [20] : [100, 200, 300, 400, 500, 600, 700, 800],
    },
    {
      name: 'transcode',
      client: ['opus'],
      steps: quick ? [10] : [50, 100, 150, 200, 250, 300, 350],
    },
  ];
  const windowMs = quick ? 3000 : 8000;
  const started = Date.now();
  const results: Record<string, unknown> = {};
  for (const mode of modes) {
    // A fresh engine per mode: memory per call is measured from its idle baseline.
    // RTP ports below the ephemeral range (32768+), which the generators' sockets draw from.
    const engine = createMediaEngine({
      workers,
      rtpPorts: [24000, 26999],
      publicAddress: '127.0.0.1',
      log: createLogger('error'),
    });
    await sleep(1500);
    results[mode.name] = await runMode(engine, gens, mode, windowMs);
    await engine.close();
  }
  for (const g of gens) g.child.kill();
  const out = {
    bench: 'media',
    quick,
    ...(quick
      ? { note: 'smoke run: at this few calls the per-call figures are dominated by fixed cost' }
      : {}),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      node: process.version,
    },
    engineWorkers: workers,
    generators: GENERATORS,
    packetsPerSecondEachWay: 50,
    criteria: { lossBelow: LOSS_LIMIT, loopP99BelowMs: P99_LIMIT_MS },
    goals: { relayCallsPerCore: 300, transcodeCallsPerCore: 100 },
    ...results,
    durationS: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

if (process.argv.includes('--generator')) runGenerator();
else void main();
