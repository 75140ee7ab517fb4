import { expect } from '@esm-bundle/chai';
import type { ApiLine, JournalEntry, Session } from '#shared/api.ts';
import {
  createSessionApi,
  journalUrl,
  LinesStream,
  parseJournalPage,
  parseLines,
  parseLocation,
  parseSession,
} from './api.ts';
import { FakeEventSource } from '../test-support/fake-event-source.ts';
import { ORIGIN, json, rejection, stubFetch } from '../test-support/fetch-stub.ts';
import { PhoneError } from './types.ts';

const session: Session = {
  user: { username: 'alice', displayName: 'Alice' },
  sip: {
    uri: 'sip:alice@gw.example',
    authUser: 'a1',
    password: 'p1',
    wsPath: '/sip',
    iceServers: [],
  },
  lines: [
    {
      id: 'hfo/22',
      label: 'Sales',
      number: '22',
      registered: true,
      ringing: 0,
      active: 0,
      decline: 'choice',
      dnd: false,
      featureCodes: [{ name: 'Forward', code: '*72*<NUMBER>' }],
    },
  ],
  expiresAt: '2030-01-01T00:00:00.000Z',
};

describe('session API', () => {
  it('signIn POSTs JSON with same-origin credentials and returns the session', async () => {
    const { fetch, seen } = stubFetch(() => json(201, session));
    const got = await createSessionApi(ORIGIN, fetch).signIn('alice', 'pw');
    expect(got).to.deep.equal(session);
    const [req] = seen;
    expect(req?.url).to.equal('https://gw.example/api/session');
    expect(req?.init.method).to.equal('POST');
    expect(req?.init.credentials).to.equal('same-origin');
    expect(req?.init.headers).to.deep.include({ 'content-type': 'application/json' });
    expect(JSON.parse(req?.init.body as string)).to.deep.equal({
      username: 'alice',
      password: 'pw',
    });
  });

  it('signIn: 401 credentials, 429 rate-limited (with the wait), 500 failed', async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    const e401 = await rejection(
      api(json(401, { error: 'wrong username or password', code: 'credentials' })).signIn('a', 'b'),
    );
    expect(e401.code).to.equal('credentials');
    expect(e401.message).to.equal('wrong username or password');
    const e429 = await rejection(
      api(json(429, { error: 'too many', code: 'rate-limited' }, { 'retry-after': '30' })).signIn(
        'a',
        'b',
      ),
    );
    expect(e429.code).to.equal('rate-limited');
    expect(e429.message).to.contain('30 s');
    const e500 = await rejection(api(new Response('boom', { status: 500 })).signIn('a', 'b'));
    expect(e500.code).to.equal('failed');
    expect(e500.message).to.contain('500');
  });

  it('a fetch that cannot reach the gateway is a network error', async () => {
    const offline = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const api = createSessionApi(ORIGIN, offline);
    expect((await rejection(api.signIn('a', 'b'))).code).to.equal('network');
    expect((await rejection(api.resume())).code).to.equal('network');
    expect((await rejection(api.signOut())).code).to.equal('network');
  });

  it('resume: GET → the session, 401 → undefined', async () => {
    const { fetch, seen } = stubFetch(() => json(200, session));
    expect(await createSessionApi(ORIGIN, fetch).resume()).to.deep.equal(session);
    expect(seen[0]?.init.method).to.equal('GET');
    expect(seen[0]?.init.credentials).to.equal('same-origin');
    const none = stubFetch(() => json(401, { error: 'no session', code: 'unauthenticated' }));
    expect(await createSessionApi(ORIGIN, none.fetch).resume()).to.equal(undefined);
  });

  it('signOut: DELETE; 204 and 401 both mean signed out', async () => {
    const { fetch, seen } = stubFetch(() => new Response(null, { status: 204 }));
    await createSessionApi(ORIGIN, fetch).signOut();
    expect(seen[0]?.init.method).to.equal('DELETE');
    await createSessionApi(ORIGIN, stubFetch(() => json(401, {})).fetch).signOut();
  });

  it('refuses a session it cannot run on', async () => {
    const bad = stubFetch(() => json(200, { user: { username: 'a' } }));
    expect((await rejection(createSessionApi(ORIGIN, bad.fetch).resume())).code).to.equal('failed');
    const notJson = stubFetch(() => new Response('<html>', { status: 200 }));
    expect((await rejection(createSessionApi(ORIGIN, notJson.fetch).resume())).code).to.equal(
      'failed',
    );
  });

  it('parseSession fills what is optional', () => {
    const s = parseSession({
      user: { username: 'bob' },
      sip: {
        uri: 'sip:bob@x',
        authUser: 'b',
        password: 'p',
        wsPath: '/sip',
        iceServers: [1, 'stun:x'],
      },
    });
    expect(s.user.displayName).to.equal('bob');
    expect(s.sip.iceServers).to.deep.equal(['stun:x']);
    expect(s.lines).to.deep.equal([]);
  });

  it('parseLines keeps lines with an id and defaults the rest', () => {
    expect(parseLines({})).to.equal(undefined);
    expect(parseLines([null, { label: 'no id' }, { id: 'g/1', number: '1' }])).to.deep.equal([
      {
        id: 'g/1',
        label: '1',
        number: '1',
        registered: false,
        ringing: 0,
        active: 0,
        decline: 'choice',
        dnd: false,
        featureCodes: [],
      },
    ]);
  });

  it('parseLines keeps well-formed feature codes only', () => {
    const [line] =
      parseLines([
        {
          id: 'g/1',
          featureCodes: [
            { name: ' Hide number ', code: '*31' },
            { name: 'Forward', code: '*72*<NUMBER>#' },
            { name: 'After time', code: '*72*<NUMBER>*<SECONDS>' },
            { name: 'Seconds only', code: '*9<SECONDS>#' },
            { name: 'Two numbers', code: '*1<NUMBER>*<NUMBER>' },
            { name: 'Two times', code: '*1<SECONDS>*<SECONDS>' },
            { name: 'Lower case', code: '*72*<seconds>' },
            { name: 'Unknown', code: '*72*<OTHER>' },
            { name: 'Letters', code: '*7a' },
            { name: '', code: '*1' },
            { name: 'Empty', code: '' },
            { code: '*2' },
            'junk',
          ],
        },
      ]) ?? [];
    expect(line?.featureCodes).to.deep.equal([
      { name: 'Hide number', code: '*31' },
      { name: 'Forward', code: '*72*<NUMBER>#' },
      { name: 'After time', code: '*72*<NUMBER>*<SECONDS>' },
      { name: 'Seconds only', code: '*9<SECONDS>#' },
    ]);
    expect(parseLines([{ id: 'g/2', featureCodes: 'none' }])?.[0]?.featureCodes).to.deep.equal([]);
  });

  it("parseLines keeps a line group's location, and drops one it cannot use", () => {
    const munich = {
      countryCode: '49',
      areaCode: '89',
      outsideLine: '0',
      pbxNumber: '12345',
      extensionDigits: 3,
    };
    const [line] =
      parseLines([{ id: 'g/1', location: { ...munich, dialAreaCodeLocally: true } }]) ?? [];
    expect(line?.location).to.deep.equal({ ...munich, dialAreaCodeLocally: true });
    expect(parseLocation(munich)).to.deep.equal(munich);
    expect(parseLocation({ ...munich, countryCode: '+49' })?.countryCode).to.equal('+49');
    for (const bad of [
      null,
      'munich',
      { ...munich, countryCode: 'DE' },
      { ...munich, countryCode: '' },
      { ...munich, areaCode: 89 },
      { ...munich, outsideLine: undefined },
      { ...munich, pbxNumber: null },
      { ...munich, extensionDigits: '3' },
      { ...munich, extensionDigits: 2.5 },
      { ...munich, dialAreaCodeLocally: 'yes' },
    ]) {
      expect(parseLocation(bad), JSON.stringify(bad)).to.equal(undefined);
    }
    const [plain] = parseLines([{ id: 'g/1', location: { ...munich, areaCode: 89 } }]) ?? [];
    expect(plain !== undefined && 'location' in plain, 'location left out').to.equal(false);
  });

  it('parseSession keeps the after-sign-in action, and drops one it cannot dial', () => {
    const base = { ...session, lines: [] };
    const action = { line: 'hfo/22', dial: '*72*0891234*20', name: 'Forward after time' };
    expect(parseSession({ ...base, afterSignIn: action }).afterSignIn).to.deep.equal(action);
    expect(
      parseSession({ ...base, afterSignIn: { ...action, name: '' } }).afterSignIn,
    ).to.deep.equal({ ...action, name: action.dial });
    for (const bad of [
      null,
      '*72*',
      { ...action, line: '' },
      { ...action, line: undefined },
      { ...action, dial: '' },
      { ...action, dial: '*72*+49' },
      { ...action, dial: 'abc' },
      { ...action, dial: '1'.repeat(33) },
    ]) {
      const parsed = parseSession({ ...base, afterSignIn: bad });
      expect('afterSignIn' in parsed, JSON.stringify(bad)).to.equal(false);
    }
    expect('afterSignIn' in parseSession(base)).to.equal(false);
  });
});

const entry: JournalEntry = {
  id: 'c1',
  direction: 'incoming',
  line: 'hfo/22',
  user: 'alice',
  remoteNumber: '0891234',
  remoteName: 'Bob',
  calledNumber: '22',
  divertedFrom: '23',
  at: 1_700_000_000_000,
  answeredAt: 1_700_000_002_000,
  endedAt: 1_700_000_060_000,
  result: 'answered',
};

describe('journal API', () => {
  it('GETs /api/journal with the query and same-origin credentials', async () => {
    const { fetch, seen } = stubFetch(() =>
      json(200, { entries: [{ ...entry, stats: { jitter: 1 } }], next: entry.at }),
    );
    const api = createSessionApi(ORIGIN, fetch);
    const page = await api.journal({ result: 'missed', line: 'hfo/22', before: 5, limit: 20 });
    expect(page).to.deep.equal({ entries: [entry], next: entry.at });
    const url = new URL(seen[0]!.url);
    expect(url.pathname).to.equal('/api/journal');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      limit: '20',
      before: '5',
      result: 'missed',
      line: 'hfo/22',
    });
    expect(seen[0]?.init.method).to.equal('GET');
    expect(seen[0]?.init.credentials).to.equal('same-origin');
    await api.journal();
    expect(seen[1]?.url).to.equal('https://gw.example/api/journal');
  });

  it('401 → not-connected, 400 → failed with the text, no answer → network', async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    const e401 = await rejection(api(json(401, { error: 'sign in first', code: 'x' })).journal());
    expect(e401.code).to.equal('not-connected');
    const bad = json(400, { error: 'line hfo/9 is not one of yours', code: 'bad-request' });
    const e400 = await rejection(api(bad).journal({ line: 'hfo/9' }));
    expect(e400.code).to.equal('failed');
    expect(e400.message).to.equal('line hfo/9 is not one of yours');
    const offline = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    expect((await rejection(createSessionApi(ORIGIN, offline).journal())).code).to.equal('network');
  });

  it('an unreadable or foreign answer is failed', async () => {
    const api = (r: Response) => createSessionApi(ORIGIN, stubFetch(() => r).fetch);
    const notJson = await rejection(api(new Response('<html>', { status: 200 })).journal());
    expect(notJson.code).to.equal('failed');
    const noList = await rejection(api(json(200, { entries: 'none' })).journal());
    expect(noList.code).to.equal('failed');
    expect(() => parseJournalPage(null)).to.throw(PhoneError);
    expect(() => parseJournalPage([entry])).to.throw(PhoneError);
  });

  it('drops entries it cannot show and fields of the wrong type', () => {
    const page = parseJournalPage({
      entries: [
        null,
        'c0',
        { ...entry, id: '' },
        { ...entry, id: 'no-time', at: 'yesterday' },
        { ...entry, id: 'no-line', line: undefined },
        { ...entry, id: 'sideways', direction: 'sideways' },
        { ...entry, id: 'no-number', remoteNumber: 42 },
        {
          id: 'c2',
          direction: 'outgoing',
          line: 'hfo/22',
          remoteNumber: '',
          at: 5,
          user: null,
          remoteName: 7,
          answeredAt: 'soon',
          endedAt: Infinity,
          result: 'exploded',
          status: 486,
        },
        { id: 'c3', direction: 'incoming', line: 'hfo/22', remoteNumber: '1', at: 4 },
        {
          id: 'c4',
          direction: 'incoming',
          line: 'hfo/22',
          remoteNumber: '1',
          at: 3,
          forwardedBy: 7,
          pickedUp: 'yes',
        },
      ],
      next: 'later',
    });
    expect(page).to.deep.equal({
      entries: [
        { id: 'c2', direction: 'outgoing', line: 'hfo/22', remoteNumber: '', at: 5, status: 486 },
        { id: 'c3', direction: 'incoming', line: 'hfo/22', remoteNumber: '1', at: 4 },
        { id: 'c4', direction: 'incoming', line: 'hfo/22', remoteNumber: '1', at: 3 },
      ],
    });
    expect(parseJournalPage({ entries: [] })).to.deep.equal({ entries: [] });
  });

  it('keeps who forwarded a call and whether it was picked up', () => {
    const forwarded: JournalEntry = {
      ...entry,
      id: 'f1',
      result: 'forwarded',
      forwardedTo: '+49891234',
      forwardedBy: 'bob',
    };
    const picked: JournalEntry = { ...entry, id: 'p1', user: 'carol', pickedUp: true };
    expect(parseJournalPage({ entries: [forwarded, picked] }).entries).to.deep.equal([
      forwarded,
      picked,
    ]);
    const notPicked = parseJournalPage({ entries: [{ ...entry, pickedUp: false }] }).entries[0];
    expect(notPicked !== undefined && 'pickedUp' in notPicked, 'pickedUp left out').to.equal(false);
  });

  it('journalUrl leaves out what is not set', () => {
    expect(journalUrl(ORIGIN, {})).to.equal('https://gw.example/api/journal');
    expect(journalUrl(ORIGIN, { line: 'a/b c' })).to.equal(
      'https://gw.example/api/journal?line=a%2Fb+c',
    );
  });
});

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('LinesStream', () => {
  beforeEach(() => (FakeEventSource.instances = []));

  function open(onRefused?: () => void) {
    const got: ApiLine[][] = [];
    const stream = new LinesStream({
      origin: ORIGIN,
      onLines: (l) => got.push(l),
      ...(onRefused ? { onRefused } : {}),
      EventSource: FakeEventSource as unknown as typeof EventSource,
      retryDelayMs: () => 5,
    });
    return { stream, got };
  }

  it('listens to /api/events and hands over `lines` events', () => {
    const { stream, got } = open();
    const source = FakeEventSource.instances[0]!;
    expect(source.url).to.equal('https://gw.example/api/events');
    source.open();
    source.lines(session.lines);
    source.lines('not json');
    source.lines({ not: 'a list' });
    expect(got).to.deep.equal([session.lines]);
    stream.close();
    expect(source.closed).to.equal(true);
  });

  it('leaves network errors to EventSource and reopens after it gave up', async () => {
    let refused = 0;
    const { stream, got } = open(() => refused++);
    const first = FakeEventSource.instances[0]!;
    first.fail(false); // EventSource retries by itself
    await tick(20);
    expect(FakeEventSource.instances).to.have.length(1);
    first.fail(true); // e.g. a 502 while the gateway restarts
    expect(refused).to.equal(1);
    await tick(20);
    expect(FakeEventSource.instances).to.have.length(2);
    FakeEventSource.instances[1]!.lines([]);
    expect(got).to.deep.equal([[]]);
    stream.close();
  });

  it('stays closed once closed, also when closed by onRefused', async () => {
    const holder: { stream?: LinesStream } = {};
    const opened = open(() => holder.stream?.close());
    holder.stream = opened.stream;
    const { stream } = opened;
    FakeEventSource.instances[0]!.fail(true);
    await tick(20);
    expect(FakeEventSource.instances).to.have.length(1);
    expect(stream.closed).to.equal(true);
  });
});
