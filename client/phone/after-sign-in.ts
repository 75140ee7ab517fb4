/**
 * What the gateway accepts as an after-sign-in action (shared/api.ts
 * AfterSignIn): the number to dial and the name the user knows it by.
 */

/** Digits, *, # and a leading +, at most this many characters. */
export const MAX_AFTER_SIGN_IN_DIAL = 32;
/** At most this many characters. */
export const MAX_AFTER_SIGN_IN_NAME = 100;

export function isAfterSignInDial(dial: string): boolean {
  return dial.length <= MAX_AFTER_SIGN_IN_DIAL && /^\+?[0-9*#]+$/.test(dial);
}
