// Proves the test PBX harness: Kamailio, baresip phones and SIPp on free
// loopback ports, real audio through real peers, and a clean teardown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeWav, dominantFrequency, rms, startPbx, type Phone } from './world.ts';

/** Audio that must make it through a call; there is no event for "enough audio". */
const CALL_AUDIO_MS = 3000;

async function assertHeard(phone: Phone, hz: number, known: readonly string[] = []): Promise<void> {
  const file = await phone.waitRecording(known);
  const a = await analyzeWav(file);
  assert.ok(a.seconds >= 2, `${phone.ext} recorded only ${a.seconds.toFixed(2)} s (${file})`);
  assert.ok(
    Math.abs(a.dominantHz - hz) <= 30,
    `${phone.ext} heard ${a.dominantHz} Hz, expected ~${hz} Hz (${file})`,
  );
  assert.ok(a.rms > 0.05, `${phone.ext} heard a level of only ${a.rms.toFixed(4)} (${file})`);
}

test('wav analysis finds the tone and its level', () => {
  const rate = 8000;
  const samples = Float32Array.from(
    { length: rate },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate),
  );
  assert.ok(Math.abs(dominantFrequency(samples, rate) - 440) <= 1);
  assert.ok(Math.abs(rms(samples) - 0.5 / Math.SQRT2) < 0.01);
  assert.equal(dominantFrequency(new Float32Array(10), rate), 0);
});

test('two baresip phones call each other through Kamailio', async (t) => {
  const pbx = await startPbx();
  t.after(() => pbx.stop());

  const [a, b] = await Promise.all([
    pbx.addPhone('202', { toneHz: 440 }),
    pbx.addPhone('203', { answer: 'auto', toneHz: 1000 }),
  ]);
  const regs = await pbx.waitRegistered(['202', '203']);
  for (const phone of [a, b]) {
    const reg = regs.find((r) => r.aor === phone.ext);
    assert.ok(reg, `${phone.ext} is not in the location table`);
    assert.ok(
      reg.contact.endsWith(`@127.0.0.1:${phone.sipPort}`),
      `contact of ${phone.ext}: ${reg.contact}`,
    );
    assert.ok(reg.expires > 0);
  }

  await a.dial('203');
  await Promise.all([a.waitEvent('CALL_ESTABLISHED'), b.waitEvent('CALL_ESTABLISHED')]);
  await new Promise((r) => setTimeout(r, CALL_AUDIO_MS));
  await a.hangup();
  await Promise.all([a.waitEvent('CALL_CLOSED'), b.waitEvent('CALL_CLOSED')]);

  await assertHeard(b, 440);
  await assertHeard(a, 1000);
});

test('a SIPp caller (digest auth as 201) reaches a baresip phone', async (t) => {
  const pbx = await startPbx();
  t.after(() => pbx.stop());

  const phone = await pbx.addPhone('202');
  const known = await phone.recordings();
  const caller = await pbx.sipp(
    [
      '-sf',
      'uac-call.xml',
      pbx.address,
      '-key',
      'caller',
      '201',
      '-key',
      'callee',
      '202',
      '-au',
      '201',
      '-ap',
      'pw201',
      '-m',
      '1',
      '-d',
      String(CALL_AUDIO_MS),
      '-timeout',
      '20s',
      '-trace_err',
    ],
    { name: 'uac-201' },
  );
  const result = await caller.exited;
  assert.equal(result.code, 0, `SIPp failed:\n${result.stdout.slice(-2000)}\n${result.stderr}`);
  await phone.waitEvent('CALL_CLOSED');

  await assertHeard(phone, 440, known);
});
