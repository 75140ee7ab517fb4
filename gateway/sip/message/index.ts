/**
 * The SIP message layer's public API (RFC 3261 §7, §19, §20, §25): parse,
 * read and edit, serialize and build messages. The layers above import from
 * here; the other files of this folder are its internals.
 */
export * from './types.ts';
export * from './headers.ts';
export {
  MAX_HEADER_COUNT,
  MAX_LINE_LENGTH,
  MAX_MESSAGE_SIZE,
  isKeepAlive,
  parseMessage,
} from './parse.ts';
export { serializeMessage, startLine } from './serialize.ts';
export {
  BRANCH_COOKIE,
  REASON_PHRASES,
  createResponse,
  generateBranch,
  generateCallId,
  generateTag,
  reasonPhrase,
} from './build.ts';
export type { ResponseOptions } from './build.ts';
export { escapeComponent, formatUri, parseUri, unescapeComponent, uriEquals } from './uri.ts';
export { hostEquals, isHost, isIPv4, isIPv6 } from './host.ts';
export { MAX_UINT32 } from './scalars.ts';
