import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../config/schema.ts';
import { diffLines, lineChange, planGroups, type LinePlan } from './plan.ts';

const parse = (lines: unknown[], group: Record<string, unknown> = {}) =>
  configSchema.parse({
    lineGroups: [{ id: 'hfo', registrar: { host: 'pbx.example' }, lines, ...group }],
  });

describe('line plans', () => {
  it('expands entries into lines with ids, auth users and the group timing', () => {
    const [g] = planGroups(
      parse(
        [
          { usernames: '201-202', password: 'a' },
          { usernames: '22', password: 'b', authUser: 'acc22', numbers: ['0815'] },
        ],
        { retrySeconds: 5, reregisterSeconds: 60 },
      ),
    );
    assert.ok(g);
    assert.deepEqual(
      g.lines.map((l) => [l.id, l.authUser, l.password, l.numbers]),
      [
        ['hfo/201', '201', 'a', 'auto'],
        ['hfo/202', '202', 'a', 'auto'],
        ['hfo/22', 'acc22', 'b', ['0815']],
      ],
    );
    assert.deepEqual(g.registrar, { host: 'pbx.example', port: 5060 });
    const timing = g.lines[0]?.timing;
    assert.equal(timing?.reregisterSeconds, 60);
    assert.equal(timing.retryBaseSeconds, 5);
    assert.equal(
      timing.authRetrySeconds,
      300,
      'a wrong password never retries faster than the default',
    );
  });

  it('the schema wants an authUser when authUserFromUsername is false', () => {
    const r = configSchema.safeParse({
      lineGroups: [
        {
          id: 'g',
          registrar: { host: 'h' },
          authUserFromUsername: false,
          lines: [{ usernames: '1', password: 'p' }],
        },
      ],
    });
    assert.equal(r.success, false);
    assert.match(JSON.stringify(r.error.issues), /authUser is needed/);
  });

  it('classifies changes: registrar → move, credentials → reauth, numbers/timing → update', () => {
    const [base] = planGroups(parse([{ usernames: '201', password: 'a' }]))[0]?.lines ?? [];
    assert.ok(base);
    const with_ = (o: Partial<LinePlan>): LinePlan => ({ ...base, ...o });
    assert.equal(lineChange(base, with_({})), 'same');
    assert.equal(lineChange(base, with_({ registrar: { host: 'other', port: 5060 } })), 'move');
    assert.equal(
      lineChange(base, with_({ registrar: { host: 'pbx.example', port: 5070 } })),
      'move',
    );
    assert.equal(lineChange(base, with_({ password: 'b' })), 'reauth');
    assert.equal(lineChange(base, with_({ authUser: 'x' })), 'reauth');
    assert.equal(lineChange(base, with_({ numbers: ['1'] })), 'update');
    assert.equal(
      lineChange(base, with_({ timing: { ...base.timing, reregisterSeconds: 60 } })),
      'update',
    );
  });

  it('diffs two line lists by username', () => {
    const before = planGroups(parse([{ usernames: '201-203', password: 'a' }]))[0]?.lines ?? [];
    const after =
      planGroups(
        parse([
          { usernames: '202;204', password: 'a' },
          { usernames: '203', password: 'b' },
        ]),
      )[0]?.lines ?? [];
    const d = diffLines(before, after);
    assert.deepEqual(
      d.added.map((l) => l.username),
      ['204'],
    );
    assert.deepEqual(
      d.removed.map((l) => l.username),
      ['201'],
    );
    assert.deepEqual(
      d.changed.map((c) => [c.plan.username, c.change]),
      [['203', 'reauth']],
    );
  });
});
