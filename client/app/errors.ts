/**
 * Failures of phone commands travel up as an `lg-error` event; the shell
 * shows them in its alert region, so no failure is silent.
 */
import type { MessageKey, Params } from '../i18n/index.ts';
import { errorKey } from './end-reason.ts';

export interface ErrorDetail {
  readonly key: MessageKey;
  readonly params?: Params;
}

export const ERROR_EVENT = 'lg-error';

export function reportError(from: EventTarget, detail: ErrorDetail): void {
  from.dispatchEvent(
    new CustomEvent<ErrorDetail>(ERROR_EVENT, { detail, bubbles: true, composed: true }),
  );
}

/** Runs a command; a rejection becomes an `lg-error` event. True when it worked. */
export async function attempt(
  from: EventTarget,
  command: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await command();
    return true;
  } catch (err) {
    reportError(from, { key: errorKey(err) });
    return false;
  }
}

/** The same for commands that return nothing but may throw. */
export function attemptSync(from: EventTarget, command: () => void): void {
  try {
    command();
  } catch (err) {
    reportError(from, { key: errorKey(err) });
  }
}

declare global {
  interface HTMLElementEventMap {
    'lg-error': CustomEvent<ErrorDetail>;
  }
}
