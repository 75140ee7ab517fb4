/**
 * The dialog layer (RFC 3261 §12, §13.2.2.4, §9.1, §8.1.1; RFC 6026 for
 * forked 2xx): dialogs as plain data and pure functions over them, and the
 * requests a UA builds. No I/O, no timers: the TU owns the dialogs and
 * hands requests to the transaction layer, which adds the Via.
 */
export * from './dialog.ts';
export * from './update.ts';
export * from './route.ts';
export * from './requests.ts';
export * from './dialog-set.ts';
