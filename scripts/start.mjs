#!/usr/bin/env node
// npm start: builds the PWA when it is missing or older than its sources,
// then runs the gateway (TypeScript through tsx) with the same arguments,
// e.g. `npm start -- --config /etc/linegate.yaml`. Signals are passed on so
// SIGINT/SIGTERM stop the gateway cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const built = join(root, 'dist', 'client', 'index.html');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

const sources = ['client', 'public', 'shared', 'vite.config.ts', 'package.json'].map((p) =>
  join(root, p),
);
const stale = !existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
if (stale) {
  console.error('linegate: building the web app (vite build)…');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('linegate: the web app failed to build');
    process.exit(r.status ?? 1);
  }
}

const tsx = import.meta.resolve('tsx');
const child = spawn(
  process.execPath,
  ['--import', tsx, join(root, 'gateway', 'main.ts'), ...process.argv.slice(2)],
  // The IPC channel only tells the gateway when this wrapper is gone (gateway/main.ts).
  { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] },
);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
