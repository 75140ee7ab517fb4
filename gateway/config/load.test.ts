import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { fileURLToPath } from 'node:url';
import { findConfig, loadConfig, parseConfigText } from './load.ts';

function problems(text: string): { key: string; line: number | undefined; message: string }[] {
  try {
    parseConfigText(text, 'test.yaml');
  } catch (e) {
    assert.ok(isLinegateError(e));
    return e.details['problems'] as { key: string; line: number; message: string }[];
  }
  assert.fail('config was accepted');
}

const group = `lineGroups:
  - id: hfo
    registrar: { host: 127.0.0.1, port: 5070 }
    lines:
      - { usernames: "201-203;207", password: pw }
`;

describe('config loader', () => {
  it('starts on defaults for an empty file', () => {
    const c = parseConfigText('', 'x.yaml');
    assert.equal(c.server.host, '127.0.0.1');
    assert.equal(c.server.port, 8080);
    assert.equal(c.data, './data');
    assert.deepEqual(c.media.rtpPorts, [20000, 20999]);
    assert.equal(c.sip.timers.t1, 500);
  });

  it('expands username ranges and applies group defaults', () => {
    const c = parseConfigText(group, 'x.yaml');
    const g = c.lineGroups[0]!;
    assert.deepEqual(g.lines[0]!.usernames, ['201', '202', '203', '207']);
    assert.equal(g.reregisterSeconds, 600);
    assert.equal(g.registerDelayMs, 300);
    assert.deepEqual(g.decline, {
      noClient: 486,
      byClient: 'clientChoice',
      hideDeclineButton: false,
    });
  });

  it('names an unknown key and its line', () => {
    const p = problems('server:\n  port: 8080\n  prot: 9\n');
    assert.deepEqual(
      p.map((x) => [x.key, x.line]),
      [['server.prot', 3]],
    );
  });

  it('names a bad value and its line', () => {
    const p = problems('server:\n  port: 70000\n');
    assert.equal(p[0]!.key, 'server.port');
    assert.equal(p[0]!.line, 2);
  });

  it('refuses a malformed range, naming it', () => {
    const p = problems(group.replace('201-203;207', '201-1x9'));
    assert.equal(p[0]!.key, 'lineGroups[0].lines[0].usernames');
    assert.equal(p[0]!.line, 5);
    assert.match(p[0]!.message, /201-1x9/);
  });

  it('refuses a reversed range', () => {
    assert.match(
      problems(group.replace('201-203', '203-201'))[0]!.message,
      /start is greater than end/,
    );
  });

  it('refuses users of unknown lines', () => {
    const p = problems(`${group}users:\n  - { username: alice, password: s, lines: [hfo/299] }\n`);
    assert.equal(p[0]!.key, 'users[0].lines[0]');
    assert.equal(p[0]!.line, 7);
  });

  it('refuses plain HTTP on a non-loopback address', () => {
    const p = problems('server:\n  host: 0.0.0.0\n');
    assert.equal(p[0]!.key, 'server.host');
    assert.match(p[0]!.message, /loopback only/);
  });

  it('reports YAML syntax errors with a line', () => {
    assert.throws(() => parseConfigText('server:\n  port: [8080\n', 'bad.yaml'), /bad\.yaml:\d+/);
  });

  it('finds the file by flag, env, then ./linegate.yaml', () => {
    assert.deepEqual(findConfig(['--config', 'a.yaml'], {}, '/x'), {
      kind: 'file',
      path: '/x/a.yaml',
      via: 'flag',
    });
    assert.deepEqual(findConfig(['--config=b.yaml'], {}, '/x'), {
      kind: 'file',
      path: '/x/b.yaml',
      via: 'flag',
    });
    assert.deepEqual(findConfig([], { LINEGATE_CONFIG: '/c.yaml' }, '/x'), {
      kind: 'file',
      path: '/c.yaml',
      via: 'env',
    });
    assert.deepEqual(findConfig([], {}, '/nonexistent-dir'), { kind: 'defaults' });
    assert.throws(() => findConfig(['--config'], {}, '/x'), /needs a file name/);
  });
});

describe('linegate.example.yaml', () => {
  it('is a valid config', () => {
    const example = fileURLToPath(new URL('../../linegate.example.yaml', import.meta.url));
    const { config } = loadConfig({ kind: 'file', path: example, via: 'flag' });
    assert.equal(config.lineGroups[0]?.id, 'hfo');
    assert.deepEqual(config.users[0]?.lines, ['hfo/201']);
  });
});
