/** Which call the views show, and the commands that touch more than one call. */
import type { MessageKey } from '../i18n/index.ts';
import type { CallView, Phone } from '../phone/types.ts';

export const isRinging = (c: CallView): boolean =>
  c.direction === 'incoming' && c.state === 'ringing';
export const isLive = (c: CallView): boolean => c.state !== 'ended' && !isRinging(c);

/** The first incoming call still ringing (for the full-screen view). */
export function ringingCall(calls: readonly CallView[]): CallView | undefined {
  return calls.find(isRinging);
}

/**
 * The call the in-call view is about: the one we talk on, else the newest
 * one being set up or held, else the newest ended one (to show its reason).
 */
export function focusCall(calls: readonly CallView[]): CallView | undefined {
  const live = calls.filter(isLive);
  return (
    live.find((c) => c.state === 'active' && !c.held) ??
    live.at(-1) ??
    calls.filter((c) => c.state === 'ended').at(-1)
  );
}

/**
 * The phone holds the calls that are up when it places, answers or swaps
 * to another (client/phone/calls.ts), so these are thin: one place for the
 * views to call, should that ever change.
 */
export function placeCall(phone: Phone, number: string, line?: string): Promise<string> {
  return phone.call(number, line === undefined ? undefined : { line });
}

export function answerCall(phone: Phone, id: string): Promise<void> {
  return phone.answer(id);
}

/** The words for where a call stands. */
export function callStateKey(c: CallView): MessageKey {
  switch (c.state) {
    case 'ringing':
      return 'call.state.ringing';
    case 'dialing':
      return 'call.state.dialing';
    case 'progress':
      return 'call.state.progress';
    case 'ended':
      return 'call.state.ended';
    case 'active':
      if (c.held) return 'call.state.held';
      return c.remoteHeld ? 'call.state.remoteHeld' : 'call.state.active';
  }
}
