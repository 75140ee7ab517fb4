/** A stand-in for fetch in the phone's API tests: canned answers, and what it was asked. */
import { PhoneError } from '../phone/types.ts';

export const ORIGIN = 'https://gw.example';

export interface Seen {
  url: string;
  init: RequestInit;
}

/** A fetch that answers from `reply` and records what it was asked. */
export function stubFetch(reply: (seen: Seen) => Response | Promise<Response>): {
  fetch: typeof fetch;
  seen: Seen[];
} {
  const seen: Seen[] = [];
  const f = (input: string | URL, init: RequestInit = {}) => {
    const s = { url: input.toString(), init };
    seen.push(s);
    return Promise.resolve(reply(s));
  };
  return { fetch: f as unknown as typeof fetch, seen };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** The PhoneError `p` rejects with (anything else fails the test). */
export async function rejection(p: Promise<unknown>): Promise<PhoneError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PhoneError) return err;
    throw err;
  }
  throw new Error('resolved, expected a PhoneError');
}
