/**
 * RFC 4733 telephone-events: the 4-byte event payload (§2.3), DTMF event
 * codes (§3.2), and the packet schedule of one generated event: a first
 * packet with the marker bit (§2.5.1.3), updates every packet interval with
 * a growing duration, and the end packet sent three times (§2.5.1.4), all
 * with the timestamp of the event's start (§2.5.1.2).
 */
import { LinegateError } from '#shared/errors.ts';

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number; // −dBm0, 0..63
  duration: number; // timestamp units
}

const DIGITS = '0123456789*#ABCD';

/** Event code (§3.2) for a DTMF digit; 'flash' is event 16. */
export function dtmfEventCode(digit: string): number {
  if (digit === 'flash') return 16;
  const i = DIGITS.indexOf(digit.toUpperCase());
  if (digit.length !== 1 || i < 0) {
    throw new LinegateError('internal', `not a DTMF digit: ${JSON.stringify(digit)}`, {
      details: { digit },
    });
  }
  return i;
}

export function dtmfDigit(event: number): string | null {
  if (event === 16) return 'flash';
  return DIGITS[event] ?? null;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const b1 = payload[1] as number;
  return {
    event: payload[0] as number,
    end: (b1 & 0x80) !== 0,
    volume: b1 & 0x3f,
    duration: ((payload[2] as number) << 8) | (payload[3] as number),
  };
}

export function buildTelephoneEvent(e: TelephoneEvent): Buffer {
  const b = Buffer.alloc(4);
  b[0] = e.event & 0xff;
  b[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  b.writeUInt16BE(Math.min(0xffff, Math.max(0, Math.round(e.duration))), 2);
  return b;
}

export interface EventPacketPlan {
  /** When to send, relative to the start of the event. */
  atMs: number;
  marker: boolean;
  payload: TelephoneEvent;
}

export const DTMF_MIN_MS = 40;
export const DTMF_MAX_MS = 5000;
const DTMF_VOLUME = 10; // −10 dBm0, a typical DTMF level (§2.3.4)

/**
 * Packets for one event of `durationMs` at `clockRate`, one every `intervalMs`.
 * The duration field never exceeds 0xFFFF (§2.5.1.3 allows splitting longer
 * events; we cap the length instead).
 */
export function planEvent(
  event: number,
  durationMs: number,
  clockRate: number,
  intervalMs = 20,
): EventPacketPlan[] {
  const ms = Math.min(DTMF_MAX_MS, Math.max(DTMF_MIN_MS, Math.round(durationMs)));
  const units = (t: number) => Math.min(0xffff, Math.round((t * clockRate) / 1000));
  const plan: EventPacketPlan[] = [];
  for (let t = 0; t < ms; t += intervalMs) {
    plan.push({
      atMs: t,
      marker: t === 0,
      payload: { event, end: false, volume: DTMF_VOLUME, duration: units(t + intervalMs) },
    });
  }
  const final = { event, end: true, volume: DTMF_VOLUME, duration: units(ms) };
  for (let i = 0; i < 3; i++)
    plan.push({ atMs: ms + i * intervalMs, marker: false, payload: final });
  return plan;
}
