import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { TracesOptions } from '../config';
import { PrometheusClient } from '../prometheus/PrometheusClient';
import type { TraceStore } from '@backstage-traces/plugin-traces-node';
import { readServiceGraphOptions } from './config';
import { PrometheusGraphSource } from './prometheusGraphSource';
import { TraceSampleGraphSource } from './traceSampleGraphSource';
import type { ServiceGraphSource } from './types';

/**
 * Prometheus when `traces.prometheus.baseUrl` is set (complete counts from service graph
 * metrics), else a sample of recent traces from the trace store, else nothing (the route
 * answers 503).
 */
export function createServiceGraphSource(deps: {
  config: Config;
  options: TracesOptions;
  traces?: TraceStore;
  logger: LoggerService;
}): ServiceGraphSource | undefined {
  const { config, options, traces, logger } = deps;
  const graph = readServiceGraphOptions(config);
  if (graph.prometheus) {
    const { connection, ...queryOptions } = graph.prometheus;
    logger.info(
      `Service graph: from Prometheus series at ${connection.baseUrl}`,
    );
    return new PrometheusGraphSource(
      new PrometheusClient(connection, logger),
      queryOptions,
    );
  }
  if (traces) {
    logger.info(
      `Service graph: from samples of up to ${graph.sampleTraces} recent traces (set traces.prometheus.baseUrl to use service graph metrics)`,
    );
    return new TraceSampleGraphSource({
      traces,
      options,
      logger,
      sampleTraces: graph.sampleTraces,
      timeBudgetMs: graph.sampleTimeoutMs,
    });
  }
  return undefined;
}
