/**
 * Pure SIP transaction state machines (RFC 3261 §17 as updated by RFC 6026)
 * and the matching keys the transaction layer files them under. See
 * types.ts for the contract between a machine and the layer that runs it;
 * fake-clock.ts runs a machine on virtual time for tests.
 */
export * from './types.ts';
export * from './invite-client.ts';
export * from './non-invite-client.ts';
export * from './invite-server.ts';
export * from './non-invite-server.ts';
export * from './keys.ts';
