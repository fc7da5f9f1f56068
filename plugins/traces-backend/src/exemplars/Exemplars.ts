import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { MetricsResponse } from '@backstage-traces/plugin-traces-common';
import { PrometheusClient } from '../prometheus/PrometheusClient';
import { capExemplars } from './capExemplars';
import { readExemplarOptions } from './config';
import {
  attachExemplars,
  PrometheusExemplarSource,
  type ExemplarQuery,
} from './PrometheusExemplarSource';

/** How long an answer waits for Prometheus's exemplars after the store's answer. */
const PROMETHEUS_GRACE_MS = 2_000;

/**
 * Where the exemplars of TraceQL metrics answers come from, and how many: the trace store's
 * own (TraceQL metrics exemplars), or, with Prometheus configured, the metrics-generator's span
 * metrics exemplars for the queries span metrics can answer. At most `maxPerSeries` a series.
 */
export class Exemplars {
  static fromConfig(config: Config, logger: LoggerService): Exemplars {
    const options = readExemplarOptions(config);
    const prometheus =
      options.prometheus &&
      new PrometheusExemplarSource(
        new PrometheusClient(options.prometheus.connection, logger),
        options.prometheus,
        logger,
      );
    if (prometheus) {
      logger.info(
        `Exemplars: from span metrics in Prometheus at ${options.prometheus?.connection.baseUrl} where a query allows, else from the trace store`,
      );
    }
    return new Exemplars(options.maxPerSeries, prometheus);
  }

  constructor(
    /** `traces.exemplars.maxPerSeries`. */
    readonly maxPerSeries: number,
    private readonly prometheus?: PrometheusExemplarSource,
  ) {}

  /**
   * Runs the store's query, asking Prometheus for exemplars alongside, and answers with at
   * most `limit` exemplars a series: Prometheus's when it has some, else the store's.
   * Exemplars never hold a chart up: once the store has answered, Prometheus gets
   * `PROMETHEUS_GRACE_MS` more, then its request is dropped.
   */
  async around(
    request: ExemplarQuery,
    limit: number,
    queryStore: () => Promise<MetricsResponse>,
  ): Promise<MetricsResponse> {
    const controller = new AbortController();
    const prometheus =
      limit > 0 && this.prometheus
        ? this.prometheus.find({ ...request, signal: controller.signal })
        : undefined;
    try {
      const response = await queryStore();
      const found =
        prometheus &&
        (await Promise.race([
          prometheus,
          // ends with the abort below when Prometheus answers first
          sleep(PROMETHEUS_GRACE_MS, undefined, {
            signal: controller.signal,
          }).catch(() => undefined),
        ]));
      const series = found
        ? attachExemplars(response.series, found)
        : response.series;
      return { ...response, series: capExemplars(series, limit) };
    } finally {
      controller.abort();
    }
  }
}
