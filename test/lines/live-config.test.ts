/**
 * Issue #4, live config changes: the gateway watches its config file; a
 * line added there registers, a line removed un-REGISTERs, an invalid file
 * is refused with key and line while the running lines stay, and a change
 * of the sip section is reported as needing a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../gateway/config/load.ts';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import { startPbx, type Pbx } from '../pbx/world.ts';
import { captureLog, gatewayYaml, pollUntil } from './support.ts';

let pbx: Pbx;
let gw: Gateway;
const dir = mkdtempSync(join(tmpdir(), 'lg-live-'));
const file = join(dir, 'linegate.yaml');
const { log, lines: logLines } = captureLog();

const yaml = (usernames: string, sip?: string) =>
  gatewayYaml(
    `  - id: hfo
    registrar: { host: 127.0.0.1, port: ${pbx.port} }
    registerDelayMs: 50
    lines:
      - { usernames: "${usernames}", password: pw }
`,
    sip === undefined ? {} : { sip },
  );

const aors = async () => (await pbx.registrations()).map((r) => r.aor).sort();

before(async () => {
  pbx = await startPbx({ accounts: { from: 4001, to: 4003, password: () => 'pw' } });
  writeFileSync(file, yaml('4001'));
  const config = loadConfig({ kind: 'file', path: file, via: 'flag' }).config;
  gw = await startGateway({ config, log, configFile: file });
  await pbx.waitRegistered(['4001']);
});

after(async () => {
  await gw.stop();
  await pbx.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('live config changes', () => {
  it('a line added to the file registers without a restart', async () => {
    writeFileSync(file, yaml('4001-4003'));
    await pbx.waitRegistered(['4001', '4002', '4003'], 5000);
    assert.ok(logLines.some((l) => l.cat === 'config' && /applied to the SIP lines/.test(l.msg)));
  });

  it('a line removed from the file un-REGISTERs; the others stay', async () => {
    writeFileSync(file, yaml('4001;4003'));
    assert.ok(
      await pollUntil(async () => (await aors()).join() === '4001,4003', 5000, 100),
      (await aors()).join(),
    );
    assert.deepEqual(
      gw.lines().groups[0]?.lines.map((l) => l.id),
      ['hfo/4001', 'hfo/4003'],
    );
  });

  it('an invalid file is refused with key and line; the running lines stay', async () => {
    writeFileSync(file, yaml('4001;40x3-4'));
    const refused = await pollUntil(
      () =>
        logLines.some(
          (l) => l.cat === 'config' && l.level === 'error' && /config change refused/.test(l.msg),
        ),
      5000,
    );
    assert.ok(refused);
    const err = logLines.find((l) => l.cat === 'config' && l.level === 'error');
    assert.match(err?.msg ?? '', /linegate\.yaml:\d+: lineGroups\[0\]\.lines\[0\]\.usernames: /);
    assert.equal(gw.lines().counts.registered, 2);
    assert.deepEqual(await aors(), ['4001', '4003']);
  });

  it('sip, server and media changes are reported as needing a restart', async () => {
    writeFileSync(file, yaml('4001;4003', '{ port: 5999 }'));
    const warned = await pollUntil(
      () =>
        logLines.some(
          (l) => l.cat === 'config' && l.level === 'warn' && /needs a restart/.test(l.msg),
        ),
      5000,
    );
    assert.ok(warned);
    assert.deepEqual(await aors(), ['4001', '4003']);
  });

  it('reload() (SIGHUP) re-reads the file at once', () => {
    writeFileSync(file, yaml('4001'));
    const r = gw.reload();
    assert.equal(r.kind, 'changed');
  });
});
