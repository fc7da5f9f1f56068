import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { TracesOptions } from '../config';
import { PrometheusClient } from '../prometheus/PrometheusClient';
import type { TempoClient } from '../tempo/TempoClient';
import type { TraceLoader } from '../traces/TraceLoader';
import { readServiceGraphOptions } from './config';
import { PrometheusGraphSource } from './prometheusGraphSource';
import { TraceSampleGraphSource } from './traceSampleGraphSource';
import type { ServiceGraphSource } from './types';

/**
 * Prometheus when `traces.prometheus.baseUrl` is set (complete counts from service graph
 * metrics), else a sample of recent traces from Tempo, else nothing (the route answers 503).
 */
export function createServiceGraphSource(deps: {
  config: Config;
  options: TracesOptions;
  tempo?: TempoClient;
  traces?: TraceLoader;
  logger: LoggerService;
}): ServiceGraphSource | undefined {
  const { config, options, tempo, traces, logger } = deps;
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
  if (tempo && traces) {
    logger.info(
      `Service graph: from samples of up to ${graph.sampleTraces} recent traces (set traces.prometheus.baseUrl to use service graph metrics)`,
    );
    return new TraceSampleGraphSource({
      tempo,
      traces,
      options,
      logger,
      sampleTraces: graph.sampleTraces,
      timeBudgetMs: graph.sampleTimeoutMs,
    });
  }
  return undefined;
}
