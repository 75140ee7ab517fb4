import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserConfig } from '../config/schema.ts';
import { afterSignInAction, parseAfterSignIn } from './api-after-sign-in.ts';

describe('after-sign-in bodies', () => {
  it('takes nothing, or digits with a name', () => {
    assert.deepEqual(parseAfterSignIn({ dial: null }), { ok: true, value: { dial: null } });
    assert.deepEqual(parseAfterSignIn({ dial: '*73*', name: ' Forwarding off ' }), {
      ok: true,
      value: { dial: '*73*', name: 'Forwarding off' },
    });
    assert.deepEqual(parseAfterSignIn({ dial: '*72*+49891234*20', name: 'x' }).ok, true);
  });

  it('refuses what is not, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [null, /send/],
      [[], /send/],
      ['*73*', /send/],
      [{}, /dial/],
      [{ dial: '', name: 'x' }, /dial/],
      [{ dial: '*73* ', name: 'x' }, /dial/],
      [{ dial: 'sip:evil@x', name: 'x' }, /dial/],
      [{ dial: '1'.repeat(33), name: 'x' }, /dial/],
      [{ dial: 73, name: 'x' }, /dial/],
      [{ dial: '*73*' }, /name/],
      [{ dial: '*73*', name: '   ' }, /name/],
      [{ dial: '*73*', name: 'a\r\nInjected: 1' }, /name/],
      [{ dial: '*73*', name: 'x'.repeat(101) }, /name/],
    ];
    for (const [body, why] of bad) {
      const r = parseAfterSignIn(body);
      assert.ok(!r.ok && why.test(r.error), JSON.stringify(body));
    }
  });

  it('is offered in the session only with exactly one line', () => {
    const user = (lines: string[]) => ({ username: 'a', lines }) as unknown as UserConfig;
    const set = { dial: '*73*', name: 'Off' };
    assert.deepEqual(afterSignInAction(user(['pbx/201']), set), {
      line: 'pbx/201',
      dial: '*73*',
      name: 'Off',
    });
    assert.equal(afterSignInAction(user(['pbx/201', 'pbx/202']), set), undefined);
    assert.equal(afterSignInAction(user([]), set), undefined);
    assert.equal(afterSignInAction(user(['pbx/201']), { dial: null }), undefined);
  });
});
