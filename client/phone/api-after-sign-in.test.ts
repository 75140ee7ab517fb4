import { expect } from '@esm-bundle/chai';
import type { AfterSignIn } from '#shared/api.ts';
import { createSessionApi, parseAfterSignIn } from './api.ts';
import { ORIGIN, json, rejection, stubFetch } from '../test-support/fetch-stub.ts';
import { PhoneError } from './types.ts';

const ACTION: AfterSignIn = { dial: '*72*0891234*20', name: 'Forward after time' };

describe('after-sign-in API', () => {
  it('GETs /api/after-sign-in with same-origin credentials: an action or nothing', async () => {
    const { fetch, seen } = stubFetch(() => json(200, ACTION));
    expect(await createSessionApi(ORIGIN, fetch).afterSignIn()).to.deep.equal(ACTION);
    expect(seen[0]?.url).to.equal('https://gw.example/api/after-sign-in');
    expect(seen[0]?.init.method).to.equal('GET');
    expect(seen[0]?.init.credentials).to.equal('same-origin');
    const none = stubFetch(() => json(200, { dial: null }));
    expect(await createSessionApi(ORIGIN, none.fetch).afterSignIn()).to.deep.equal({ dial: null });
  });

  it('PUTs the action as JSON and returns it as the gateway kept it', async () => {
    const { fetch, seen } = stubFetch((s) => json(200, JSON.parse(s.init.body as string)));
    const api = createSessionApi(ORIGIN, fetch);
    expect(await api.setAfterSignIn(ACTION)).to.deep.equal(ACTION);
    expect(seen[0]?.url).to.equal('https://gw.example/api/after-sign-in');
    expect(seen[0]?.init.method).to.equal('PUT');
    expect(seen[0]?.init.headers).to.deep.include({ 'content-type': 'application/json' });
    expect(JSON.parse(seen[0]?.init.body as string)).to.deep.equal(ACTION);
    expect(await api.setAfterSignIn({ dial: null })).to.deep.equal({ dial: null });
    expect(JSON.parse(seen[1]?.init.body as string)).to.deep.equal({ dial: null });
  });

  it("409 not-single-line → not-single-line, 400 → failed with the gateway's reason", async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    const several = json(409, {
      error: 'after sign-in needs exactly one line',
      code: 'not-single-line',
    });
    const e409 = await rejection(api(several).setAfterSignIn(ACTION));
    expect(e409.code).to.equal('not-single-line');
    expect(e409.message).to.equal('after sign-in needs exactly one line');
    const other409 = await rejection(
      api(json(409, { error: 'busy', code: 'conflict' })).setAfterSignIn(ACTION),
    );
    expect(other409.code).to.equal('failed');
    const reason = 'dial must be digits, *, # and a leading + (at most 32)';
    const e400 = await rejection(
      api(json(400, { error: reason, code: 'bad-request' })).setAfterSignIn({
        dial: 'x',
        name: 'X',
      }),
    );
    expect(e400.code).to.equal('failed');
    expect(e400.message).to.equal(reason);
  });

  it('401 → not-connected, no answer → network', async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    expect((await rejection(api(json(401, {})).afterSignIn())).code).to.equal('not-connected');
    expect((await rejection(api(json(401, {})).setAfterSignIn(ACTION))).code).to.equal(
      'not-connected',
    );
    const offline = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const down = createSessionApi(ORIGIN, offline);
    expect((await rejection(down.afterSignIn())).code).to.equal('network');
    expect((await rejection(down.setAfterSignIn(ACTION))).code).to.equal('network');
  });

  it('refuses an answer that is no action; a missing name is the number', async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    expect((await rejection(api(json(200, [ACTION])).afterSignIn())).code).to.equal('failed');
    expect((await rejection(api(new Response('<html>')).afterSignIn())).code).to.equal('failed');
    for (const bad of [null, {}, { dial: 42 }, { dial: '' }, { dial: 'abc', name: 'x' }]) {
      expect(() => parseAfterSignIn(bad), JSON.stringify(bad)).to.throw(PhoneError);
    }
    expect(parseAfterSignIn({ dial: '*31' })).to.deep.equal({ dial: '*31', name: '*31' });
    expect(parseAfterSignIn({ dial: '*31', name: '  Hide  ' })).to.deep.equal({
      dial: '*31',
      name: 'Hide',
    });
  });
});
