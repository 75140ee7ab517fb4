/**
 * A page for looking at the views without a gateway: `npx vite`, then open
 * /test-support/preview.html?scene=dial|pickup|call|waiting|ended|journal|settings|kiosk|signin|after-sign-in
 * (add &lang=de, &theme=dark). It runs on the fake phone; not part of the build.
 * Line 201 is in Munich (numbers shown grouped). `after-sign-in`: a user with
 * one line signs in with the form and the app dials the action set in the
 * settings; `settings&lines=1` shows that setting.
 */
import '../app/lg-app.ts';
import { setLocalePref } from '../i18n/index.ts';
import { setTheme } from '../app/theme.ts';
import { COLLEAGUE, FEATURE_CODES, FakePhone, LINE_A, MUNICH } from './fake-phone.ts';
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
phone.resumeResult = scene !== 'signin' && scene !== 'after-sign-in';
phone.updateLine(LINE_A.id, { featureCodes: FEATURE_CODES, location: MUNICH });
if (scene === 'after-sign-in' || q.get('lines') === '1') {
  phone.setLines(phone.lines.filter((l) => l.id === LINE_A.id));
  phone.afterSignInSetting = { dial: '*72*0891234*20', name: 'Forward after time' };
}
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
  if (scene === 'after-sign-in') {
    const form = app.shadowRoot?.querySelector('lg-sign-in')?.shadowRoot;
    const field = (id: string) => form?.querySelector<HTMLInputElement>(`#${id}`);
    const [user, password] = [field('username'), field('password')];
    if (user && password) [user.value, password.value] = ['alice', 'secret'];
    form?.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
  }
}
setTimeout(() => void play(), 50);
