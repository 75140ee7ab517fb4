/**
 * What the PBX's caller gets when no device took a call (seed 003
 * "Ablehnen"): the devices' own answer (decline.byClient: clientChoice),
 * or the line group's fixed code — 180 meaning "keep the caller ringing".
 */
import type { LineGroupConfig } from '../config/schema.ts';
import type { SipResponse } from '../sip/message/types.ts';

/** What a device answers when its user refuses the call (JsSIP's terminate() sends 480). */
export const USER_REFUSALS: ReadonlySet<number> = new Set([480, 486, 600, 603]);

export type RefusalAnswer =
  | { readonly kind: 'final'; readonly status: number; readonly reason: string }
  | { readonly kind: 'keep-ringing' };

export function refusalAnswer(
  finals: readonly SipResponse[],
  byClient: LineGroupConfig['decline']['byClient'],
): RefusalAnswer {
  // Only a refusal by the user is the policy's business, not a device that vanished.
  if (byClient !== 'clientChoice' && finals.some((r) => USER_REFUSALS.has(r.status))) {
    if (byClient === 180) return { kind: 'keep-ringing' };
    return { kind: 'final', status: byClient, reason: REASONS[byClient] };
  }
  return { kind: 'final', ...bestFailure(finals) };
}

const REASONS = {
  480: 'Temporarily Unavailable',
  486: 'Busy Here',
  603: 'Decline',
} as const;

/**
 * Which device answer to pass to the caller when every device refused
 * (§16.7 step 6 in spirit): a 6xx wins (someone declined for everyone),
 * then 486 Busy, then the lowest other status; transport failures of
 * devices that vanished count as 480.
 */
export function bestFailure(finals: readonly SipResponse[]): { status: number; reason: string } {
  const six = finals.find((r) => r.status >= 600);
  if (six !== undefined) return { status: six.status, reason: six.reason };
  const busy = finals.find((r) => r.status === 486);
  if (busy !== undefined) return { status: 486, reason: busy.reason };
  const real = finals.filter((r) => r.status !== 503 && r.status !== 408 && r.status !== 487);
  const lowest = [...real].sort((a, b) => a.status - b.status)[0];
  if (lowest === undefined) return { status: 480, reason: 'Temporarily Unavailable' };
  return { status: lowest.status, reason: lowest.reason };
}
