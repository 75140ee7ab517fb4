/**
 * tel: and sip: links opened with Linegate (issue #6). An installed app
 * gets them from its manifest's protocol_handlers; in a browser tab the
 * page asks with navigator.registerProtocolHandler (Chromium and Firefox;
 * both schemes are on the WHATWG safelist). Links land in the dial view
 * through `/?dial=%s` (launch.ts reads the number from the URL).
 */
export function canHandleLinks(): boolean {
  return typeof navigator.registerProtocolHandler === 'function';
}

/** Asks the browser to open tel: and sip: links here; false when it cannot. */
export function handlePhoneLinks(origin = location.origin): boolean {
  if (!canHandleLinks()) return false;
  try {
    for (const scheme of ['tel', 'sip'])
      navigator.registerProtocolHandler(scheme, `${origin}/?dial=%s`);
    return true;
  } catch {
    return false;
  }
}
