import { expect } from '@esm-bundle/chai';
import type { Session } from '#shared/api.ts';
import { connectionStateOf, retryDelayMs, RETRY_MAX_MS } from './connection-state.ts';
import { sameSipIdentity, uaSettings, USER_AGENT } from './ua-config.ts';
import { apiUrl, domainOf, wsUrl } from './urls.ts';

const session: Session = {
  user: { username: 'alice', displayName: 'Alice A.' },
  sip: {
    uri: 'sip:alice@gw.example',
    authUser: 's-1234',
    password: 'secret',
    wsPath: '/sip',
    iceServers: ['stun:stun.example:3478'],
  },
  lines: [],
  expiresAt: '2030-01-01T00:00:00Z',
};

describe('urls', () => {
  it('wsUrl: wss on https, ws on http, the origin host and port', () => {
    expect(wsUrl('https://gw.example', '/sip')).to.equal('wss://gw.example/sip');
    expect(wsUrl('http://127.0.0.1:8080', '/sip')).to.equal('ws://127.0.0.1:8080/sip');
    expect(wsUrl('https://gw.example:8443/app/', 'sip')).to.equal('wss://gw.example:8443/sip');
    expect(wsUrl('https://gw.example', 'wss://other.example/ws')).to.equal(
      'wss://other.example/ws',
    );
    expect(() => wsUrl('file:///x', '/sip')).to.throw(TypeError);
  });
  it('apiUrl: paths on the origin', () => {
    expect(apiUrl('https://gw.example/', '/api/session')).to.equal(
      'https://gw.example/api/session',
    );
    expect(apiUrl('http://127.0.0.1:8080', '/api/events')).to.equal(
      'http://127.0.0.1:8080/api/events',
    );
  });
  it('domainOf: hostport of an AOR', () => {
    expect(domainOf('sip:alice@gw.example')).to.equal('gw.example');
    expect(domainOf('sip:alice@127.0.0.1:5060;transport=ws')).to.equal('127.0.0.1:5060');
    expect(domainOf('sips:gw.example')).to.equal('gw.example');
    expect(() => domainOf('alice')).to.throw(TypeError);
  });
});

describe('uaSettings', () => {
  it('configures JsSIP from the session', () => {
    const s = uaSettings(session, 'https://gw.example', '0b7e6f2e-4f3c-4a55-9d1e-4f6c3a2b1c0d');
    expect(s.wsUrl).to.equal('wss://gw.example/sip');
    expect(s.domain).to.equal('gw.example');
    expect(s.config).to.include({
      uri: 'sip:alice@gw.example',
      authorization_user: 's-1234',
      password: 'secret',
      display_name: 'Alice A.',
      register: true,
      session_timers: true,
      user_agent: USER_AGENT,
      instance_id: '0b7e6f2e-4f3c-4a55-9d1e-4f6c3a2b1c0d',
    });
    expect(s.config.connection_recovery_min_interval).to.be.within(1, 2);
    expect(s.config.connection_recovery_max_interval).to.be.within(10, 30);
    expect(s.pcConfig).to.deep.equal({ iceServers: [{ urls: 'stun:stun.example:3478' }] });
  });
  it('tells a changed SIP identity', () => {
    expect(sameSipIdentity(session, { ...session, expiresAt: 'later' })).to.equal(true);
    const other = { ...session, sip: { ...session.sip, password: 'new' } };
    expect(sameSipIdentity(session, other)).to.equal(false);
  });
});

describe('connection state', () => {
  const facts = { signedIn: true, online: true, registered: false, troubled: false };
  it('derives what the user sees', () => {
    expect(connectionStateOf({ ...facts, signedIn: false, online: false })).to.equal('signed-out');
    expect(connectionStateOf({ ...facts, online: false, registered: true })).to.equal('offline');
    expect(connectionStateOf(facts)).to.equal('connecting');
    expect(connectionStateOf({ ...facts, registered: true, troubled: true })).to.equal('connected');
    expect(connectionStateOf({ ...facts, troubled: true })).to.equal('reconnecting');
  });
  it('backs off by doubling with jitter, up to the maximum', () => {
    expect(retryDelayMs(1, () => 1)).to.equal(1000);
    expect(retryDelayMs(1, () => 0)).to.equal(500);
    expect(retryDelayMs(3, () => 1)).to.equal(4000);
    expect(retryDelayMs(30, () => 1)).to.equal(RETRY_MAX_MS);
    expect(retryDelayMs(30, () => 0)).to.equal(RETRY_MAX_MS / 2);
  });
});

describe('ICE servers from the session', () => {
  it('keeps STUN URLs and splits TURN credentials out of the URL', async () => {
    const { iceServer } = await import('./ua-config.ts');
    expect(iceServer('stun:stun.example:3478')).to.deep.equal({ urls: 'stun:stun.example:3478' });
    expect(iceServer('turn:ann:s%40cret@turn.example:3478')).to.deep.equal({
      urls: 'turn:turn.example:3478',
      username: 'ann',
      credential: 's@cret',
    });
    expect(iceServer('turns:u:p@t.example:5349?transport=tcp').urls).to.equal(
      'turns:t.example:5349?transport=tcp',
    );
  });
});
