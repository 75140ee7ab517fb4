/**
 * A page for looking at the views without a gateway: `npx vite`, then open
 * /test-support/preview.html?scene=dial|pickup|call|waiting|ended|journal|settings|kiosk|signin
 * (add &lang=de, &theme=dark). It runs on the fake phone; not part of the build.
 */
import '../app/lg-app.ts';
import { setLocalePref } from '../i18n/index.ts';
import { setTheme } from '../app/theme.ts';
import { COLLEAGUE, FEATURE_CODES, FakePhone, LINE_A } from './fake-phone.ts';
import { FakeTones } from './helpers.ts';

const q = new URLSearchParams(location.search);
const scene = q.get('scene') ?? 'dial';
setLocalePref(q.get('lang') === 'de' ? 'de' : 'en');
setTheme(q.get('theme') === 'dark' ? 'dark' : 'light');
localStorage.setItem('linegate.notify-asked', '1');
localStorage.setItem(
  'linegate.history',
  JSON.stringify([
    {
      id: 'a',
      direction: 'incoming',
      number: '0891234',
      name: 'Bob Builder',
      line: 'hfo/201',
      startedAt: Date.now() - 60000,
      endedAt: Date.now() - 50000,
      reason: 'missed',
    },
    {
      id: 'b',
      direction: 'outgoing',
      number: '202',
      line: 'hfo/202',
      startedAt: Date.now() - 3600000,
      answeredAt: Date.now() - 3590000,
      endedAt: Date.now() - 3500000,
      reason: 'local-hangup',
    },
  ]),
);
const phone = new FakePhone();
phone.resumeResult = scene !== 'signin';
phone.updateLine(LINE_A.id, { featureCodes: FEATURE_CODES });
if (scene === 'pickup') {
  phone.setColleagues([
    { ...COLLEAGUE, ringing: 1 },
    { ...COLLEAGUE, id: 'hfo/206', label: 'Reception', number: '206', pickup: '*8206' },
  ]);
}
phone.forwardingRules = [
  { line: LINE_A.id, when: 'busy', calls: 'external', target: '+4989123456', enabled: true },
];
const app = document.createElement('lg-app');
app.search = scene === 'kiosk' ? '?kiosk=1&dial=100&label=Reception' : '';
app.tones = new FakeTones();
app.phone = phone;
document.body.append(app);
async function play(): Promise<void> {
  if (scene === 'call' || scene === 'waiting') {
    const a = await phone.call('+4989123456');
    phone.remoteAnswer(a);
    const b = await phone.call('201');
    phone.remoteAnswer(b);
    if (scene === 'waiting')
      phone.simulateIncoming({ name: 'Carol', number: '0301234', divertedFrom: { number: '299' } });
  }
  if (scene === 'ended') {
    const a = await phone.call('+4989123456');
    phone.remoteEnd(a, 'busy', 486);
  }
  if (scene === 'journal') location.hash = '#/journal';
  if (scene === 'settings') location.hash = '#/settings';
}
setTimeout(() => void play(), 50);
