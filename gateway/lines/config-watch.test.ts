import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConfigText } from '../config/load.ts';
import { compareConfigs, readReload } from './config-watch.ts';

const base = `sip: { port: 0 }
data: ":memory:"
lineGroups:
  - id: hfo
    registrar: { host: 127.0.0.1 }
    lines:
      - { usernames: "201-202", password: pw }
users:
  - { username: alice, password: a, lines: [hfo/201] }
`;
const running = parseConfigText(base, 'a.yaml');
const dir = mkdtempSync(join(tmpdir(), 'lg-reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('config reload', () => {
  it('nothing changed', () => {
    assert.deepEqual(compareConfigs(running, parseConfigText(base, 'b.yaml')), {
      kind: 'unchanged',
    });
  });

  it('line groups and users apply; server, sip, media, data, log only say they need a restart', () => {
    const next = parseConfigText(
      base
        .replace('201-202', '201-203')
        .replace('port: 0', 'port: 5099')
        .replace('password: a', 'password: b'),
      'b.yaml',
    );
    const r = compareConfigs(running, next);
    assert.ok(r.kind === 'changed');
    assert.equal(r.linesChanged, true);
    assert.equal(r.usersChanged, true);
    assert.deepEqual(r.restartNeeded, ['sip']);
    assert.equal(r.config.sip.port, 0, 'the running sip section stays');
    assert.deepEqual(r.config.lineGroups[0]?.lines[0]?.usernames, ['201', '202', '203']);
  });

  it('an invalid file is refused with key and line, the running config stays', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, base.replace('201-202', '201-1x9'));
    const r = readReload(file, running);
    assert.ok(r.kind === 'invalid');
    assert.match(
      r.message,
      /bad\.yaml:7: lineGroups\[0\]\.lines\[0\]\.usernames: malformed range "201-1x9"/,
    );
  });

  it('a user naming a removed line is refused too', () => {
    const file = join(dir, 'ref.yaml');
    writeFileSync(file, base.replace('201-202', '202'));
    const r = readReload(file, running);
    assert.ok(r.kind === 'invalid');
    assert.match(r.message, /users\[0\]\.lines\[0\]: unknown line "hfo\/201"/);
  });
});
