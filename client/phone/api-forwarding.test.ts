import { expect } from '@esm-bundle/chai';
import type { ForwardRule } from '#shared/api.ts';
import { createSessionApi, parseForwarding } from './api.ts';
import { ORIGIN, json, rejection, stubFetch } from '../test-support/fetch-stub.ts';
import { PhoneError } from './types.ts';

const rule: ForwardRule = {
  line: 'hfo/22',
  when: 'busy',
  calls: 'external',
  target: '+4989123',
  enabled: true,
};

describe('forwarding API', () => {
  it('GETs /api/forwarding with same-origin credentials', async () => {
    const { fetch, seen } = stubFetch(() => json(200, { rules: [rule] }));
    expect(await createSessionApi(ORIGIN, fetch).forwarding()).to.deep.equal([rule]);
    expect(seen[0]?.url).to.equal('https://gw.example/api/forwarding');
    expect(seen[0]?.init.method).to.equal('GET');
    expect(seen[0]?.init.credentials).to.equal('same-origin');
  });

  it('PUTs {rules} as JSON and returns the rules the gateway kept', async () => {
    const kept = { ...rule, enabled: false };
    const { fetch, seen } = stubFetch(() => json(200, { rules: [kept] }));
    expect(await createSessionApi(ORIGIN, fetch).setForwarding([rule])).to.deep.equal([kept]);
    expect(seen[0]?.url).to.equal('https://gw.example/api/forwarding');
    expect(seen[0]?.init.method).to.equal('PUT');
    expect(seen[0]?.init.credentials).to.equal('same-origin');
    expect(seen[0]?.init.headers).to.deep.include({ 'content-type': 'application/json' });
    expect(JSON.parse(seen[0]?.init.body as string)).to.deep.equal({ rules: [rule] });
  });

  it("400 → failed with the gateway's reason, 401 → not-connected, no answer → network", async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    const reason = 'rule 0: target must be a number (digits, *, #, leading +)';
    const e400 = await rejection(
      api(json(400, { error: reason, code: 'bad-request' })).setForwarding([rule]),
    );
    expect(e400.code).to.equal('failed');
    expect(e400.message).to.equal(reason);
    const e401 = await rejection(api(json(401, { error: 'sign in first' })).forwarding());
    expect(e401.code).to.equal('not-connected');
    const put401 = await rejection(api(json(401, {})).setForwarding([]));
    expect(put401.code).to.equal('not-connected');
    const offline = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const down = createSessionApi(ORIGIN, offline);
    expect((await rejection(down.forwarding())).code).to.equal('network');
    expect((await rejection(down.setForwarding([rule]))).code).to.equal('network');
  });

  it('refuses an answer without a rules list, drops rules it cannot read', async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    expect((await rejection(api(json(200, [rule])).forwarding())).code).to.equal('failed');
    expect((await rejection(api(new Response('<html>')).forwarding())).code).to.equal('failed');
    expect(() => parseForwarding({ rules: 'none' })).to.throw(PhoneError);
    expect(
      parseForwarding({
        rules: [
          rule,
          null,
          { ...rule, when: 'sometimes' },
          { ...rule, calls: 'some' },
          { ...rule, target: 42 },
          { ...rule, line: '' },
          { ...rule, enabled: 'yes' },
          { ...rule, extra: 1, when: 'always' },
        ],
      }),
    ).to.deep.equal([rule, { ...rule, when: 'always' }]);
  });
});
