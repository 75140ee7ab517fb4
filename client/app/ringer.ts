import type { Phone } from '../phone/types.ts';
import { isLive, isRinging } from './calls.ts';
import type { TonePlayer, ToneKind } from './tones.ts';

/**
 * Rings while an incoming call waits: the ringtone when idle, a soft
 * call-waiting beep during another call, silence otherwise.
 */
export class Ringer {
  private playing: ToneKind | undefined;

  constructor(private readonly tones: TonePlayer) {}

  update(phone: Phone): void {
    const ringing = phone.calls.some(isRinging);
    const want: ToneKind | undefined = ringing
      ? phone.calls.some(isLive)
        ? 'waiting'
        : 'ring'
      : undefined;
    if (want === this.playing) return;
    this.playing = want;
    if (want) this.tones.play(want, phone.devices.output);
    else this.tones.stop();
  }

  stop(): void {
    this.playing = undefined;
    this.tones.stop();
  }
}
