import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  getEntityServiceScope,
  traceqlString,
  TracesClient,
  tracesEntityReadPermission,
  TRACES_SEARCH_TYPE,
  TRACES_SERVICE_NAME_ANNOTATION,
  type MetricsResponse,
  type TracesApi,
  type TracesSearchDocument,
} from '@backstage-traces/plugin-traces-common';
import { Readable } from 'node:stream';
import { readLookbackMinutes } from './config';

const MAX_VALUES = 50;
const STEP_SECONDS = 300;
const SERVICE_LABEL = 'resource.service.name';

/**
 * Indexes traced services, one document per claiming entity: the entity's services that Tempo
 * saw in the lookback window, with span names, HTTP routes and server request and error rates,
 * all read through the traces backend with this backend's own credentials. Documents are
 * visible to whoever may read the entity's traces (`traces.entity.read`).
 */
export class TracesCollatorFactory implements DocumentCollatorFactory {
  readonly type = TRACES_SEARCH_TYPE;
  readonly visibilityPermission = tracesEntityReadPermission;

  static fromConfig(
    config: Config,
    deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      catalog: CatalogService;
      logger: LoggerService;
      /** Replaces the HTTP client of the traces backend, e.g. in tests. */
      traces?: TracesApi;
    },
  ) {
    return new TracesCollatorFactory({
      ...deps,
      traces: deps.traces ?? new TracesClient({ discoveryApi: deps.discovery }),
      lookbackMinutes: readLookbackMinutes(config),
    });
  }

  private constructor(
    private readonly deps: {
      auth: AuthService;
      catalog: CatalogService;
      logger: LoggerService;
      traces: TracesApi;
      lookbackMinutes: number;
    },
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.collect());
  }

  private async *collect(): AsyncGenerator<TracesSearchDocument> {
    const { auth, catalog, traces, lookbackMinutes, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'traces',
    });
    const end = Math.ceil(Date.now() / 1000 / STEP_SECONDS) * STEP_SECONDS;
    const range = { start: end - lookbackMinutes * 60, end };

    let traced: Set<string>;
    try {
      const services = await traces.getTagValues(
        { tag: SERVICE_LABEL, ...range },
        { token },
      );
      traced = new Set(services.values.map(v => v.value));
    } catch (error) {
      // Fails this collator only; the search backend keeps indexing the other types.
      logger.warn(
        `Not indexing traced services: the traces backend could not list them: ${reason(
          error,
        )}`,
      );
      throw error;
    }

    const [requests, errors] = await Promise.all([
      this.ratesByService('{ kind = server }', range, token),
      this.ratesByService('{ kind = server && status = error }', range, token),
    ]);

    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${TRACES_SERVICE_NAME_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      { credentials },
    );

    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      const scope = getEntityServiceScope(entity);
      for (const serviceName of scope.serviceNames) {
        if (!traced.has(serviceName)) continue;
        const filter = `{ ${SERVICE_LABEL} = ${traceqlString(serviceName)} }`;
        const [spanNames, httpRoutes] = await Promise.all(
          ['name', 'span.http.route'].map(tag =>
            traces
              .getTagValues(
                { tag, query: filter, entityRef, ...range },
                { token },
              )
              .then(body =>
                body.values
                  .map(v => v.value)
                  .sort()
                  .slice(0, MAX_VALUES),
              ),
          ),
        );
        yield toDocument(entity, {
          entityRef,
          serviceName,
          serviceNamespace: scope.serviceNamespace,
          spanNames,
          httpRoutes,
          requestRate: requests?.get(serviceName) ?? (requests && 0),
          errorRate: errors?.get(serviceName) ?? (errors && 0),
          lookbackMinutes,
        });
      }
    }
  }

  /** Mean per-second rate of each service; undefined (rates left out) when metrics fail. */
  private async ratesByService(
    filter: string,
    range: { start: number; end: number },
    token: string,
  ): Promise<Map<string, number> | undefined> {
    try {
      const body = await this.deps.traces.queryMetrics(
        {
          query: `${filter} | rate() by (${SERVICE_LABEL})`,
          ...range,
          step: `${STEP_SECONDS}s`,
        },
        { token },
      );
      return meanRates(body, (range.end - range.start) / STEP_SECONDS);
    } catch (error) {
      this.deps.logger.warn(
        `Indexing traced services without rates: ${filter} | rate() failed: ${reason(
          error,
        )}`,
      );
      return undefined;
    }
  }
}

/** Steps without samples had no spans: the mean is over every step of the range. */
export function meanRates(
  body: MetricsResponse,
  steps: number,
): Map<string, number> {
  const rates = new Map<string, number>();
  for (const series of body.series) {
    const service = series.labels[SERVICE_LABEL];
    if (typeof service !== 'string') continue;
    const sum = series.samples.reduce(
      (total, sample) =>
        total + (Number.isFinite(sample.value) ? sample.value : 0),
      0,
    );
    rates.set(service, sum / Math.max(steps, 1));
  }
  return rates;
}

function toDocument(
  entity: Entity,
  fields: Omit<
    TracesSearchDocument,
    'title' | 'text' | 'location' | 'entityTitle' | 'owner' | 'authorization'
  >,
): TracesSearchDocument {
  const { kind, namespace, name } = parseEntityRef(fields.entityRef);
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const title = fields.serviceNamespace
    ? `${fields.serviceNamespace}/${fields.serviceName}`
    : fields.serviceName;
  return {
    ...fields,
    title,
    text: [
      `Service ${title} of ${entity.metadata.title ?? name}`,
      owner && `owned by ${owner}`,
      ...fields.httpRoutes,
      ...fields.spanNames,
    ]
      .filter(Boolean)
      .join('\n'),
    location: `/catalog/${namespace}/${kind.toLocaleLowerCase(
      'en-US',
    )}/${name}/traces`,
    ...(entity.metadata.title && { entityTitle: entity.metadata.title }),
    ...(owner && { owner }),
    authorization: { resourceRef: fields.entityRef },
  };
}

/** The backend's own message (it names the upstream), not ResponseError's generic one. */
function reason(error: unknown): string {
  if (ResponseError.is(error)) {
    return `${error.statusCode}: ${error.body.error.message}`;
  }
  return String(error);
}
