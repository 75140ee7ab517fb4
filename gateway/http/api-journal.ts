/**
 * GET /api/journal (issue #7): the signed-in user's call journal, newest
 * first — the calls of their lines, and those they made or answered —
 * with paging and filters:
 *
 *   ?limit=50 (1..200)  &before=<ms, the `at` of the last entry seen>
 *   &result=missed|answered|declined|busy|cancelled|unavailable|not-found|failed|interrupted
 *   &line=<group/username> (one of the user's lines)
 *
 * 200 { entries: JournalEntry[], next?: before-value (absent on the last page) } | 400 | 401.
 * A page never ends inside a group of calls that started in the same ms (store/journal.ts page()).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JOURNAL_RESULTS } from '#shared/api.ts';
import type { Journal, JournalResult } from '../store/journal.ts';
import { fail, signedIn, type SessionLookup } from './api-session.ts';
import { sendJson } from './server.ts';

const RESULTS: ReadonlySet<string> = new Set(JOURNAL_RESULTS);

export interface JournalApiOptions extends SessionLookup {
  readonly journal: Journal;
}

export function createJournalApi(
  opts: JournalApiOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/journal') return false;
    if (req.method !== 'GET') {
      fail(res, 405, 'bad-request', 'use GET', { allow: 'GET' });
      return true;
    }
    const user = signedIn(req, res, opts);
    if (user === undefined) return true;
    const q = url.searchParams;
    const limit = q.has('limit') ? Number(q.get('limit')) : 50;
    const before = q.has('before') ? Number(q.get('before')) : undefined;
    const result = q.get('result') ?? undefined;
    const line = q.get('line') ?? undefined;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      return bad(res, 'limit must be 1..200');
    if (before !== undefined && !Number.isFinite(before))
      return bad(res, 'before must be a time in ms');
    if (result !== undefined && !RESULTS.has(result))
      return bad(res, `result must be one of ${[...RESULTS].join(', ')}`);
    if (line !== undefined && !user.lines.includes(line))
      return bad(res, `line ${line} is not one of yours`);
    const page = opts.journal.page({
      lines: user.lines,
      user: user.username,
      limit,
      ...(before === undefined ? {} : { before }),
      ...(result === undefined ? {} : { result: result as JournalResult }),
      ...(line === undefined ? {} : { line }),
    });
    sendJson(res, 200, page);
    return true;
  };
}

function bad(res: ServerResponse, error: string): true {
  fail(res, 400, 'bad-request', error);
  return true;
}
