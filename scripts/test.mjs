#!/usr/bin/env node
// npm test: every test, unit to end-to-end. `node scripts/test.mjs [part…]`
// runs only the named parts: static, unit, client, e2e.
//   static  typecheck (gateway+shared+test, client), lint, formatting
//   unit    node:test over gateway/** and shared/** *.test.ts (tsx loader)
//   client  @web/test-runner in Debian's Chromium over client/** *.test.ts
//   e2e     node:test over test/** *.test.ts (real Kamailio, baresip, SIPp, Chromium)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const all = ['static', 'unit', 'client', 'e2e'];
const parts = process.argv.slice(2).length ? process.argv.slice(2) : all;

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(cmd, args, env = {}) {
  console.log(`\n> ${cmd} ${args.length > 8 ? args.slice(0, 8).join(' ') + ' …' : args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args[0] ?? ''} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const bin = (n) => join('node_modules', '.bin', n);
// A test that hangs fails after this instead of stalling the whole run.
const TEST_TIMEOUT_MS = 180_000;
const nodeTest = (files, extra = []) => {
  if (!files.length) return;
  run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    ...extra,
    ...files,
  ]);
};

for (const part of parts) {
  switch (part) {
    case 'static':
      run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
      run(bin('tsc'), ['-p', 'client/tsconfig.json', '--noEmit']);
      run(bin('eslint'), ['.', '--max-warnings', '0']);
      run(bin('prettier'), ['--check', '--log-level', 'warn', '.']);
      break;
    case 'unit':
      nodeTest([...find('gateway'), ...find('shared')].sort());
      break;
    case 'client':
      if (find('client').length) run(bin('wtr'), ['--config', 'web-test-runner.config.js']);
      break;
    case 'e2e':
      // The PWA tests and `npm start` serve dist/client: build it once, before
      // test files that run side by side could each try to.
      run(process.execPath, [
        join('node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--logLevel',
        'warn',
      ]);
      // Cross-process tests start real peers on free loopback ports; two at a
      // time keeps a 2-core machine from starving their timers.
      nodeTest(find('test').sort(), ['--test-concurrency=2']);
      break;
    default:
      console.error(`unknown test part "${part}"; known: ${all.join(', ')}`);
      process.exit(2);
  }
}
