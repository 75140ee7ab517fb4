/** RFC 3326 Reason of the BYE the gateway sends when it ends a call (call.ts). */
import type { EndCause } from '../call.ts';

/** RFC 3326 Reason for our BYE: Q.850 16 normal clearing, 41 temporary failure, 102 timer expiry. */
export function q850(cause: EndCause): string {
  switch (cause.kind) {
    case 'bye':
    case 'shutdown':
    case 'client-gone':
      return 'Q.850;cause=16;text="Normal call clearing"';
    case 'session-expired':
    case 'no-ack':
      return 'Q.850;cause=102;text="Recovery on timer expiry"';
    case 'media':
    case 'dialog-gone':
      return 'Q.850;cause=41;text="Temporary failure"';
  }
}
