import { expect } from '@esm-bundle/chai';
import type { ApiColleagueLine, ApiLine, Session } from '#shared/api.ts';
import { FakeEventSource } from '../test-support/fake-event-source.ts';
import { ORIGIN, json } from '../test-support/fetch-stub.ts';
import {
  LinesStream,
  createSessionApi,
  parseColleagues,
  parseFunctions,
  parseLines,
} from './api.ts';

const bob: ApiColleagueLine = {
  id: 'hfo/205',
  label: 'Bob',
  number: '205',
  ringing: 1,
  pickup: '*8205',
  viaLine: 'hfo/22',
};

const line: ApiLine = {
  id: 'hfo/22',
  label: 'Sales',
  number: '22',
  registered: true,
  ringing: 0,
  active: 0,
  decline: 'choice',
  dnd: false,
  featureCodes: [],
  functions: { hold: true, transfer: false, dtmf: true, secondCall: false },
};

const session: Session = {
  user: { username: 'alice', displayName: 'Alice' },
  sip: {
    uri: 'sip:alice@gw.example',
    authUser: 'a1',
    password: 'p1',
    wsPath: '/sip',
    iceServers: [],
  },
  lines: [line],
  colleagues: [bob],
  expiresAt: '2030-01-01T00:00:00.000Z',
};

const answering = (body: unknown) => (() => Promise.resolve(json(200, body))) as typeof fetch;

describe('colleagues and line functions from the API', () => {
  it('a session brings the colleagues’ lines and the lines’ functions (sign in, resume)', async () => {
    expect(await createSessionApi(ORIGIN, answering(session)).resume()).to.deep.equal(session);
    const signedIn = await createSessionApi(ORIGIN, answering(session)).signIn('alice', 'pw');
    expect(signedIn.colleagues).to.deep.equal([bob]);
    expect(signedIn.lines[0]?.functions).to.deep.equal(line.functions);
  });

  it('a session of an older gateway has neither', async () => {
    const { colleagues: _, ...old } = session;
    const { functions: __, ...oldLine } = line;
    const got = await createSessionApi(ORIGIN, answering({ ...old, lines: [oldLine] })).resume();
    expect(got).not.to.have.property('colleagues');
    expect(got?.lines[0]).not.to.have.property('functions');
  });

  it('drops colleagues it cannot pick up from and defaults the rest', () => {
    expect(parseColleagues({ not: 'a list' })).to.equal(undefined);
    expect(
      parseColleagues([
        null,
        'hfo/206',
        { ...bob, id: '' },
        { ...bob, id: 'no-pickup', pickup: undefined },
        { ...bob, id: 'empty-pickup', pickup: '' },
        { ...bob, id: 'odd-pickup', pickup: '*8<NUMBER>' },
        { ...bob, id: 'no-via', viaLine: undefined },
        { ...bob, id: 'empty-via', viaLine: '' },
        bob,
        { id: 'hfo/207', number: '207', pickup: '*8207', viaLine: 'hfo/22', ringing: 'yes' },
        { id: 'hfo/208', label: 7, pickup: '*8208#', viaLine: 'hfo/22', ringing: -1 },
        { id: 'hfo/209', label: '', number: '', pickup: '*8', viaLine: 'hfo/22', ringing: NaN },
      ]),
    ).to.deep.equal([
      bob,
      {
        id: 'hfo/207',
        label: '207',
        number: '207',
        ringing: 0,
        pickup: '*8207',
        viaLine: 'hfo/22',
      },
      {
        id: 'hfo/208',
        label: 'hfo/208',
        number: '',
        ringing: 0,
        pickup: '*8208#',
        viaLine: 'hfo/22',
      },
      { id: 'hfo/209', label: 'hfo/209', number: '', ringing: 0, pickup: '*8', viaLine: 'hfo/22' },
    ]);
  });

  it('a session with a malformed colleagues field still works', async () => {
    const odd = await createSessionApi(
      ORIGIN,
      answering({ ...session, colleagues: 'none' }),
    ).resume();
    expect(odd).not.to.have.property('colleagues');
    const some = await createSessionApi(
      ORIGIN,
      answering({ ...session, colleagues: [{ id: 'x' }, bob] }),
    ).resume();
    expect(some?.colleagues).to.deep.equal([bob]);
  });

  it('only an explicit false forbids a function', () => {
    expect(parseFunctions(undefined)).to.equal(undefined);
    expect(parseFunctions('none')).to.equal(undefined);
    expect(parseFunctions({ hold: false, transfer: 0, dtmf: 'no' })).to.deep.equal({
      hold: false,
      transfer: true,
      dtmf: true,
      secondCall: true,
    });
    expect(parseLines([{ id: 'g/1', functions: null }])?.[0]).not.to.have.property('functions');
  });
});

describe('LinesStream: colleagues', () => {
  beforeEach(() => (FakeEventSource.instances = []));

  it('hands over `colleagues` events, ignoring malformed ones', () => {
    const colleagues: ApiColleagueLine[][] = [];
    const lines: ApiLine[][] = [];
    const stream = new LinesStream({
      origin: ORIGIN,
      onLines: (l) => lines.push(l),
      onColleagues: (c) => colleagues.push(c),
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    const source = FakeEventSource.instances[0]!;
    source.open();
    source.emit('colleagues', [bob, { id: 'broken' }]);
    source.emit('colleagues', 'not json');
    source.emit('colleagues', { not: 'a list' });
    source.emit('colleagues', [{ ...bob, ringing: 0 }]);
    source.emit('colleagues', []);
    source.lines([line]);
    expect(colleagues).to.deep.equal([[bob], [{ ...bob, ringing: 0 }], []]);
    expect(lines).to.deep.equal([[line]]);
    stream.close();
  });

  it('colleagues events without a listener for them do no harm', () => {
    const lines: ApiLine[][] = [];
    const stream = new LinesStream({
      origin: ORIGIN,
      onLines: (l) => lines.push(l),
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    FakeEventSource.instances[0]!.emit('colleagues', [bob]);
    FakeEventSource.instances[0]!.lines([]);
    expect(lines).to.deep.equal([[]]);
    stream.close();
  });
});
