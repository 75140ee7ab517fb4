/** Defaults shared by the engine and its workers. */
export const DEFAULT_DTMF_MS = 100;
