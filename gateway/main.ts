/**
 * Composition root: find and validate the config, start the gateway, stop it
 * cleanly on SIGINT/SIGTERM (the SIP lines un-REGISTER first). A config error
 * is printed with its key and line and the process exits 78 (EX_CONFIG)
 * before anything is started. SIGHUP re-reads the config file (it is also
 * watched): line groups and users change without a restart.
 */
import { isLinegateError } from '#shared/errors.ts';
import { findConfig, loadConfig, type LoadedConfig } from './config/load.ts';
import { startGateway } from './gateway.ts';
import { category, createLogger } from './log.ts';

const EX_CONFIG = 78;
const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(findConfig(process.argv.slice(2), process.env, process.cwd()));
  } catch (e) {
    if (isLinegateError(e)) {
      process.stderr.write(`linegate: ${e.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw e;
  }
  const { config, source } = loaded;
  const log = createLogger(config.log.level);
  const boot = category(log, 'gateway');
  if (source.kind === 'defaults') {
    boot.info(
      'no config file (looked for --config FILE, LINEGATE_CONFIG, ./linegate.yaml): running on built-in defaults ' +
        'with no SIP lines. Copy linegate.example.yaml to linegate.yaml and add your line groups and users.',
    );
  } else {
    boot.info({ file: source.path, via: source.via }, 'config loaded');
  }

  const configFile = source.kind === 'file' ? source.path : undefined;
  const gateway = await startGateway({
    config,
    log,
    ...(configFile === undefined ? {} : { configFile }),
  }).catch((e: unknown) => {
    boot.fatal({ err: e }, isLinegateError(e) ? e.message : 'gateway failed to start');
    process.exit(isLinegateError(e) && e.code.startsWith('config') ? EX_CONFIG : 1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    boot.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      boot.error('clean stop took too long; exiting');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    force.unref();
    gateway.stop().then(
      () => {
        boot.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        boot.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGHUP', () => {
    boot.info({ signal: 'SIGHUP' }, 're-reading the config file');
    gateway.reload();
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by `npm start` (scripts/start.mjs) with an IPC channel: when that
  // wrapper dies — even by SIGKILL, which it cannot pass on — the channel
  // closes, and the gateway stops instead of holding its ports as an orphan.
  if (process.send !== undefined) process.on('disconnect', () => stop('parent-exited'));
}

void main();
