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
import { createCore } from './calls/core.ts';
import { BindingStore } from './registrar/bindings.ts';
import { createSipStack } from './sip/stack.ts';
import { metaSecret } from './store/meta.ts';

export interface GatewayOptions {
  config: Config;
  log: Logger;
  now?: () => number;
  /** Built PWA; default dist/client of this checkout. */
  staticDir?: string;
}

export interface Gateway {
  readonly http: AddressInfo;
  /** The bound SIP UDP address. */
  readonly sip: { readonly address: string; readonly port: number };
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
    // The SIP stack starts before HTTP so that HTTP (and its WebSockets)
    // stops first and the stack last.
    const sip = await createSipStack({
      udp: {
        host: config.sip.host,
        port: config.sip.port,
        publicAddress: config.sip.publicAddress,
      },
      timers: config.sip.timers,
      log,
    });
    stack.push({ name: 'sip', stop: () => sip.close() });
    const passwords = new Map(config.users.map((u) => [u.username, u.password]));
    const core = createCore({
      sip,
      bindings: new BindingStore(),
      password: (u) => passwords.get(u),
      log: category(log, 'registrar'),
      now,
      nonceSecret: metaSecret(store.db, 'digest-nonce-secret'),
    });
    stack.push({ name: 'core', stop: () => core.close() });
    sip.onRequest((tx) => core.handle(tx));
    const http: HttpServer = createHttpServer({
      config: config.server,
      log: category(log, 'http'),
      metrics,
      version: VERSION,
      startedAt,
      now,
      staticDir: opts.staticDir ?? DEFAULT_STATIC_DIR,
      onSipSocket: (ws, req) => sip.attachWebSocket(ws, req),
    });
    const address = await http.listen();
    stack.push({ name: 'http', stop: () => http.close() });
    const scheme = config.server.tls ? 'https' : 'http';
    log.info(
      {
        cat: 'gateway',
        url: `${scheme}://${address.address}:${address.port}/`,
        sip: `${sip.udpAddress.address}:${sip.udpAddress.port}`,
        version: VERSION,
      },
      'gateway started',
    );
    return { http: address, sip: sip.udpAddress, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
