/**
 * Finding dialogs, and following the forks of one INVITE (RFC 3261
 * §12.1.2, §12.2.2, §13.2.2.4; RFC 6026).
 *
 * A forking proxy may turn one INVITE into several early dialogs — one per
 * remote tag — and, since several branches may answer 2xx, into several
 * confirmed ones (§13.2.2.4, RFC 6026). A DialogSet holds the dialogs
 * of one INVITE keyed by dialogKey; receiveResponse files each response of
 * that INVITE under its dialog. Which confirmed dialog to keep is the TU's
 * call: it ACKs every 2xx and sends BYE on the ones it does not want
 * (§13.2.2.4), and ends the early dialogs still pending with terminateEarly
 * once the INVITE transaction is over (64·T1 after the first 2xx).
 */
import { callId, from, tagOf, to } from '../message/headers.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import {
  dialogFromResponse,
  terminate,
  type CreateOptions,
  type Dialog,
  type DialogId,
} from './dialog.ts';
import { updateFromResponse } from './update.ts';

/**
 * A string equal for equal dialog ids: Call-ID compares byte by byte
 * (§20.8), tags case-insensitively (§7.3.1, as the transaction keys do).
 */
export function dialogKey(id: DialogId): string {
  return JSON.stringify([
    id.callId,
    id.localTag.toLowerCase(),
    id.remoteTag?.toLowerCase() ?? null,
  ]);
}

/**
 * The id of the dialog a received request belongs to, as the receiving UA
 * sees it (§12.2.2): local tag = To tag, remote tag = From tag. Undefined
 * when the To has no tag: the request is outside any dialog. A request
 * with an id that matches no dialog is answered 481 (§12.2.2).
 */
export function requestDialogId(request: SipRequest): DialogId | undefined {
  const localTag = tagOf(to(request));
  if (localTag === undefined) return undefined;
  return { callId: callId(request), localTag, remoteTag: tagOf(from(request)) };
}

/**
 * The id of the dialog a received response belongs to, as the UAC sees it
 * (§12.1.2): local tag = From tag, remote tag = To tag (undefined for a
 * response without one). Undefined when the From has no tag.
 */
export function responseDialogId(response: SipResponse): DialogId | undefined {
  const localTag = tagOf(from(response));
  if (localTag === undefined) return undefined;
  return { callId: callId(response), localTag, remoteTag: tagOf(to(response)) };
}

/** Dialogs keyed by dialogKey; never mutated — functions return a new map. */
export type DialogSet = ReadonlyMap<string, Dialog>;

/** A copy of `set` with `dialog` filed under its key (added or replaced). */
export function withDialog(set: DialogSet, dialog: Dialog): DialogSet {
  return new Map(set).set(dialogKey(dialog.id), dialog);
}

/** The dialog of `set` a received request belongs to (§12.2.2), if any. */
export function findDialogForRequest(set: DialogSet, request: SipRequest): Dialog | undefined {
  const id = requestDialogId(request);
  return id === undefined ? undefined : set.get(dialogKey(id));
}

/** What a response to the INVITE did to its dialogs. */
export type ForkResult =
  /** 100, a 1xx without To tag, or a response for a dialog that is over. */
  | { readonly kind: 'ignored'; readonly set: DialogSet }
  /** A 101-199 with a To tag: a new early dialog, or one already known. */
  | {
      readonly kind: 'early';
      readonly set: DialogSet;
      readonly dialog: Dialog;
      readonly created: boolean;
    }
  | {
      readonly kind: 'confirmed';
      readonly set: DialogSet;
      readonly dialog: Dialog;
      /** The dialog was confirmed already: a retransmitted 2xx, to ACK again (§13.2.2.4). */
      readonly retransmission: boolean;
      /** Another dialog of the set was confirmed first: a further fork's 2xx (RFC 6026). */
      readonly fork: boolean;
    }
  /** A non-2xx final response: every early dialog is over (§12.3). */
  | { readonly kind: 'failed'; readonly set: DialogSet; readonly terminated: readonly Dialog[] };

/**
 * Files a response to `invite` (the UAC's own INVITE) under its dialog:
 * creates the dialog (dialogFromResponse) or moves it along
 * (updateFromResponse). A 2xx for one remote tag confirms that dialog only;
 * the others stay as they are.
 *
 * Throws what dialogFromResponse and updateFromResponse throw.
 */
export function receiveResponse(
  set: DialogSet,
  invite: SipRequest,
  response: SipResponse,
  opts: CreateOptions = {},
): ForkResult {
  if (response.status >= 300) return { kind: 'failed', ...terminateEarly(set) };
  const id = responseDialogId(response);
  const provisional = response.status < 200;
  if (response.status === 100 || id === undefined || (provisional && id.remoteTag === undefined)) {
    return { kind: 'ignored', set };
  }
  const existing = set.get(dialogKey(id));
  if (existing === undefined) return created(set, invite, response, opts);
  // A 1xx overtaken by its branch's 2xx, or any response after the end.
  if (existing.state === 'terminated' || (existing.state === 'confirmed' && provisional)) {
    return { kind: 'ignored', set };
  }
  const dialog = updateFromResponse(existing, response);
  const next = withDialog(set, dialog);
  if (provisional) return { kind: 'early', set: next, dialog, created: false };
  const retransmission = existing.state === 'confirmed';
  return {
    kind: 'confirmed',
    set: next,
    dialog,
    retransmission,
    fork: !retransmission && anyConfirmed(set),
  };
}

function created(
  set: DialogSet,
  invite: SipRequest,
  response: SipResponse,
  opts: CreateOptions,
): ForkResult {
  const dialog = dialogFromResponse(invite, response, opts);
  if (dialog === undefined) return { kind: 'ignored', set };
  const next = withDialog(set, dialog);
  if (dialog.state === 'early') return { kind: 'early', set: next, dialog, created: true };
  return { kind: 'confirmed', set: next, dialog, retransmission: false, fork: anyConfirmed(set) };
}

function anyConfirmed(set: DialogSet): boolean {
  for (const d of set.values()) if (d.state === 'confirmed') return true;
  return false;
}

/**
 * Terminates every early dialog of the set: after a non-2xx final response
 * (§12.3), or when the INVITE transaction is over — 64·T1 after the first
 * 2xx, "all the early dialogs that have not transitioned to established
 * dialogs are terminated" (§13.2.2.4). Confirmed dialogs are left alone.
 */
export function terminateEarly(set: DialogSet): { set: DialogSet; terminated: readonly Dialog[] } {
  const terminated: Dialog[] = [];
  const next = new Map(set);
  for (const [key, dialog] of set) {
    if (dialog.state !== 'early') continue;
    const ended = terminate(dialog);
    terminated.push(ended);
    next.set(key, ended);
  }
  return { set: next, terminated };
}
