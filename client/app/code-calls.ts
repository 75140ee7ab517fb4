/**
 * Calls the app placed to a feature code (seeds 000/003): from the line's
 * feature-code menu, or as the after-sign-in action. The call view names
 * them by the code's name and says that the PBX's answer is not evaluated.
 */
export interface CodeCall {
  /** The call's id (Phone.call's result). */
  readonly id: string;
  /** The feature code's name. */
  readonly name: string;
  readonly kind: 'feature-code' | 'after-sign-in';
}

/**
 * Fired (bubbling, composed) by the feature-code menu as it places a call,
 * with the promise of the call's id: the menu leaves the page once the
 * call is up, so the event cannot wait for the id.
 */
export const CODE_CALL_EVENT = 'lg-code-call';

export interface CodeCallDetail {
  readonly name: string;
  readonly placed: Promise<string>;
}

/** The code calls known so far, by call id. */
export class CodeCalls {
  readonly #calls = new Map<string, CodeCall>();

  add(call: CodeCall): void {
    this.#calls.set(call.id, call);
  }

  get(id: string): CodeCall | undefined {
    return this.#calls.get(id);
  }
}
