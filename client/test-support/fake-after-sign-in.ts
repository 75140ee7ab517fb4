/**
 * The gateway's checks of an after-sign-in action for the fake phone
 * (FakePhone.setAfterSignIn), so that component tests can provoke the
 * refusals the gateway gives: 409 'not-single-line' unless the user has
 * exactly one line, 400 ('failed' with a reason) for a bad number or name.
 */
import { isAfterSignInDial, MAX_AFTER_SIGN_IN_NAME } from '../phone/after-sign-in.ts';
import { PhoneError, type AfterSignIn, type AfterSignInAction } from '../phone/types.ts';

/** The action as the gateway keeps it, or the PhoneError it answers with. */
export function checkAfterSignIn(action: AfterSignIn, lines: readonly string[]): AfterSignIn {
  if (lines.length !== 1) {
    throw new PhoneError('not-single-line', 'after sign-in needs exactly one line');
  }
  if (action.dial === null) return { dial: null };
  if (!isAfterSignInDial(action.dial)) {
    throw new PhoneError('failed', 'dial must be digits, *, # and a leading + (at most 32)');
  }
  const name = action.name.trim();
  if (name === '' || name.length > MAX_AFTER_SIGN_IN_NAME) {
    throw new PhoneError('failed', 'name must be 1 to 100 characters');
  }
  return { dial: action.dial, name };
}

/** Session.afterSignIn as the gateway derives it: the setting, while the user has one line. */
export function sessionAction(
  setting: AfterSignIn,
  lines: readonly string[],
): AfterSignInAction | undefined {
  const [line] = lines;
  if (setting.dial === null || line === undefined || lines.length !== 1) return undefined;
  return { line, dial: setting.dial, name: setting.name };
}
