/**
 * Prometheus metrics. Each gateway owns its registry (not prom-client's
 * global one), so several gateways can run in one process in tests.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
}

export function createMetrics(version: string): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'linegate_' });
  const info = new Gauge({
    name: 'linegate_build_info',
    help: 'Linegate version running in this process (always 1).',
    labelNames: ['version'],
    registers: [registry],
  });
  info.set({ version }, 1);
  return { registry };
}
