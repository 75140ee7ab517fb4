import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinegateError } from '#shared/errors.ts';
import { parseConfigText } from './load.ts';

const group = (extra: string) => `
lineGroups:
  - id: hfo
    registrar: { host: pbx.example }
${extra}`;

describe('PBX profiles', () => {
  it('hfo-crown-centrex fills in the verified codes of seed 004 and its pickup code', () => {
    const c = parseConfigText(group('    profile: hfo-crown-centrex'), 't.yaml');
    const g = c.lineGroups[0];
    assert.ok(g);
    assert.equal(g.pickupCode, '*8<NUMBER>');
    const codes = g.featureCodes.map((f) => f.code);
    for (const code of [
      '*31',
      '*32',
      '*72*<NUMBER>',
      '*72*',
      '*72*<NUMBER>*<SECONDS>',
      '*73*',
      '*78',
      '*79',
      '*76',
      '*77',
      '*80',
      '*99',
      '*991',
    ])
      assert.ok(codes.includes(code), code);
    assert.equal(
      g.featureCodes.find((f) => f.code === '*990')?.offer,
      false,
      '*990 is a target, not a function',
    );
  });

  it('refuses a feature code with a doubled or unknown placeholder, naming the key', () => {
    for (const code of ['*72*<NUMBER><NUMBER>', '*1<MINUTES>', '*7 2'])
      assert.throws(
        () =>
          parseConfigText(group(`    featureCodes: [{ name: Bad, code: "${code}" }]`), 't.yaml'),
        /featureCodes.*code|code.*featureCodes/s,
        code,
      );
  });

  it('a group that sets its own codes or pickup code keeps them; generic has none', () => {
    const own = parseConfigText(
      group(
        '    profile: hfo-crown-centrex\n    featureCodes: [{ name: Mine, code: "*1" }]\n    pickupCode: "**<NUMBER>"',
      ),
      't.yaml',
    ).lineGroups[0];
    assert.ok(own);
    assert.deepEqual(own.featureCodes, [{ name: 'Mine', code: '*1', offer: true }]);
    assert.equal(own.pickupCode, '**<NUMBER>');
    const generic = parseConfigText(group(''), 't.yaml').lineGroups[0];
    assert.deepEqual([generic?.featureCodes, generic?.pickupCode], [[], undefined]);
  });

  it('an unknown profile is a config error naming the key', () => {
    assert.throws(
      () => parseConfigText(group('    profile: acme-9000'), 't.yaml'),
      (e: unknown) =>
        e instanceof LinegateError &&
        /t\.yaml:\d+: lineGroups\[0\]\.profile: Invalid option/.test(e.message),
    );
  });
});
