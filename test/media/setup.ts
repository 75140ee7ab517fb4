/** Call setup between test peers and the engine, with the retry the notes ask for. */
import type {
  CallMedia,
  ClientCodec,
  MediaEngine,
  MediaEvent,
  PbxCodec,
} from '../../gateway/media/index.ts';
import { BrowserPeer, PbxPeer, sleep } from './peers.ts';

export interface Setup {
  call: CallMedia;
  browser: BrowserPeer;
  pbx: PbxPeer;
  events: MediaEvent[];
  offerToBrowser?: string;
  answerToBrowser?: string;
}

export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(20);
  }
  return cond();
}

type Negotiate = (s: Setup) => Promise<void>;

/** PBX → browser: the PBX offers, the engine offers to the browser. */
export const pbxToBrowser: Negotiate = async (s) => {
  s.pbx.setAnswer(await s.call.pbxAnswer(s.pbx.offer()));
  s.offerToBrowser = await s.call.clientOffer();
  await s.call.setClientAnswer(await s.browser.answer(s.offerToBrowser));
};

/** Browser → PBX: the browser offers, the engine offers to the PBX. */
export const browserToPbx: Negotiate = async (s) => {
  const offer = await s.browser.offer();
  await s.call.setPbxAnswer(s.pbx.answer(await s.call.pbxOffer()));
  s.answerToBrowser = await s.call.clientAnswer(offer);
  s.browser.setAnswer(s.answerToBrowser);
};

/**
 * Sets up a call and waits until the client leg is connected. Between two
 * node-datachannel peers an early DTLS packet can fail certificate
 * verification: such an attempt is torn down and retried.
 */
export async function connect(
  engine: MediaEngine,
  codecs: { client: ClientCodec[]; pbx: PbxCodec[] },
  negotiate: Negotiate,
): Promise<Setup> {
  for (let attempt = 1; ; attempt++) {
    const pbx = new PbxPeer();
    await pbx.bind();
    const events: MediaEvent[] = [];
    const call = await engine.createCall(
      { clientCodecs: codecs.client, pbxCodecs: codecs.pbx },
      (e) => events.push(e),
    );
    const s: Setup = { call, browser: new BrowserPeer(), pbx, events };
    await negotiate(s);
    const up = await waitFor(
      () =>
        s.browser.open && events.some((e) => e.type === 'client-state' && e.state === 'connected'),
      8000,
    );
    if (up) {
      await sleep(100);
      return s;
    }
    await teardown(s);
    if (attempt === 3) throw new Error('client leg did not connect in 3 attempts');
  }
}

export async function teardown(s: Setup): Promise<void> {
  await s.call.close();
  s.browser.close();
  s.pbx.close();
}

/** Sends a tone every 20 ms from the chosen sides for `ms`. */
export async function pump(
  s: Setup,
  ms: number,
  from: { browser?: boolean; pbx?: boolean },
): Promise<void> {
  const timer = setInterval(() => {
    if (from.browser) s.browser.sendAudio();
    if (from.pbx) s.pbx.sendAudio();
  }, 20);
  await sleep(ms);
  clearInterval(timer);
  await sleep(100); // let the last packets through
}
