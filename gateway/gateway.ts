/**
 * The gateway as one object: started from a validated config, stopped in
 * reverse order. main.ts adds the process around it (argv, signals, exit
 * codes); tests start it in-process.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/schema.ts';
import { createMetrics } from './http/metrics.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { category, type Logger } from './log.ts';
import { openStore, type Store } from './store/db.ts';
import { VERSION } from './version.ts';
import { attachSipWebSocket } from './sip/transport/ws-placeholder.ts';

export interface GatewayOptions {
  config: Config;
  log: Logger;
  now?: () => number;
  /** Built PWA; default dist/client of this checkout. */
  staticDir?: string;
}

export interface Gateway {
  readonly http: AddressInfo;
  stop(): Promise<void>;
}

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../dist/client', import.meta.url));

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { config, log } = opts;
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const stack: { name: string; stop: () => Promise<void> | void }[] = [];
  const stopAll = async () => {
    for (const part of stack.reverse()) {
      try {
        await part.stop();
        log.debug({ part: part.name }, 'stopped');
      } catch (err) {
        log.error({ err, part: part.name }, 'stop failed');
      }
    }
    stack.length = 0;
  };
  try {
    const store: Store = openStore(config.data);
    stack.push({ name: 'store', stop: () => store.close() });
    const metrics = createMetrics(VERSION);
    const sipLog = category(log, 'sip.transport');
    const http: HttpServer = createHttpServer({
      config: config.server,
      log: category(log, 'http'),
      metrics,
      version: VERSION,
      startedAt,
      now,
      staticDir: opts.staticDir ?? DEFAULT_STATIC_DIR,
      onSipSocket: (ws, req) => attachSipWebSocket(ws, req, sipLog),
    });
    const address = await http.listen();
    stack.push({ name: 'http', stop: () => http.close() });
    const scheme = config.server.tls ? 'https' : 'http';
    log.info(
      { cat: 'gateway', url: `${scheme}://${address.address}:${address.port}/`, version: VERSION },
      'gateway started',
    );
    return { http: address, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
