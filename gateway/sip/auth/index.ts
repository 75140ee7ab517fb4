/** SIP Digest authentication: header parameters, UAC answers and state, UAS challenges. */
export * from './params.ts';
export * from './digest.ts';
export * from './client.ts';
export * from './client-state.ts';
export * from './server.ts';
