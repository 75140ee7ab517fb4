/**
 * Line registration benchmark (issue #4): `npm run bench:lines` prints one
 * JSON object. 2,000 lines of one group against the local Kamailio
 * (registerDelayMs 0): wall time and CPU of this process to register all of
 * them; CPU of one refresh window (short reregisterSeconds, every line
 * refreshes once), scaled to an hour of steady refreshing at the default
 * 600 s; and the un-REGISTER of all on stop. CPU is process.cpuUsage() of
 * the whole gateway process (timers, HTTP server, the odd status poll), so
 * the per-hour figure is an upper bound for the refreshes themselves.
 */
import { cpus, release } from 'node:os';
import { configSchema } from '../../gateway/config/schema.ts';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import { refreshDelaySeconds } from '../../gateway/lines/machine.ts';
import { createLogger } from '../../gateway/log.ts';
import { startPbx } from '../pbx/world.ts';
import { pollUntil } from '../pbx/sys.ts';

const FROM = 10_000;
const COUNT = Number(process.env['BENCH_LINES'] ?? 2000);
/** Short lifetime for the measured refresh window (Kamailio's min_expires is 10). */
const BENCH_REREGISTER_S = 20;
/** What an hour is scaled to: the default "Reregister nach" (seed 004). */
const CONFIGURED_REREGISTER_S = 600;

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return Math.round((d.user + d.system) / 100) / 10;
};

const registeredAt = (gw: Gateway): Map<string, string | undefined> =>
  new Map(gw.lines().groups.flatMap((g) => g.lines.map((l) => [l.id, l.registeredAt])));

async function main(): Promise<void> {
  const pbx = await startPbx({ accounts: { from: FROM, to: FROM + COUNT - 1 } });
  let gw: Gateway | undefined;
  try {
    const config = configSchema.parse({
      server: { port: 0 },
      sip: { port: 0 },
      data: ':memory:',
      log: { level: 'warn' },
      lineGroups: [
        {
          id: 'bench',
          registrar: { host: '127.0.0.1', port: pbx.port },
          reregisterSeconds: BENCH_REREGISTER_S,
          registerDelayMs: 0,
          natRefreshSeconds: 0,
          lines: Array.from({ length: COUNT }, (_, i) => ({
            usernames: String(FROM + i),
            password: `pw${FROM + i}`,
          })),
        },
      ],
    });
    await pbx.registrations(); // load fetch() before measuring
    const log = createLogger('warn');
    const allRegistered = () => (gw?.lines().counts.registered ?? 0) === COUNT;

    // Phase 1: register all.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    gw = await startGateway({ config, log, linesStopMs: 20_000 });
    if (!(await pollUntil(allRegistered, 60_000, 50)))
      throw new Error('not all lines registered in 60 s');
    const register = { wallMs: Math.round(performance.now() - t0), cpuMs: cpuMs(cpu0) };
    const atPbx = (await pbx.registrations()).length;

    // Phase 2: one refresh period; every line refreshes once in it.
    const period = refreshDelaySeconds(BENCH_REREGISTER_S) * 1000;
    const before = registeredAt(gw);
    const cpu1 = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, period));
    const windowCpu = cpuMs(cpu1);
    const after = registeredAt(gw);
    const refreshes = [...after].filter(([id, at]) => at !== before.get(id)).length;
    const perRefreshMs = windowCpu / Math.max(1, refreshes);
    const refreshesPerHour = (COUNT * 3600) / refreshDelaySeconds(CONFIGURED_REREGISTER_S);
    const cpuSecondsPerHour = (perRefreshMs * refreshesPerHour) / 1000;

    // Phase 3: un-REGISTER all.
    const cpu2 = process.cpuUsage();
    const t2 = performance.now();
    await gw.stop();
    gw = undefined;
    const unregister = {
      wallMs: Math.round(performance.now() - t2),
      cpuMs: cpuMs(cpu2),
      leftAtPbx: (await pbx.registrations()).length,
    };

    process.stdout.write(
      `${JSON.stringify({
        bench: 'lines',
        lines: COUNT,
        registerDelayMs: 0,
        register: {
          ...register,
          cpuMsPerLine: Math.round((register.cpuMs / COUNT) * 1000) / 1000,
          registeredAtPbx: atPbx,
        },
        refresh: {
          reregisterSeconds: BENCH_REREGISTER_S,
          windowMs: period,
          refreshes,
          cpuMs: windowCpu,
          cpuMsPerRefresh: Math.round(perRefreshMs * 1000) / 1000,
          scaledTo: {
            reregisterSeconds: CONFIGURED_REREGISTER_S,
            refreshesPerHour: Math.round(refreshesPerHour),
            cpuSecondsPerHour: Math.round(cpuSecondsPerHour * 10) / 10,
            cpuPercentOfOneCore: Math.round((cpuSecondsPerHour / 3600) * 100 * 1000) / 1000,
          },
        },
        unregister,
        machine: {
          cpu: cpus()[0]?.model ?? 'unknown',
          cores: cpus().length,
          node: process.version,
          os: `${process.platform} ${release()}`,
        },
      })}\n`,
    );
  } finally {
    await gw?.stop();
    await pbx.stop();
  }
}

await main();
