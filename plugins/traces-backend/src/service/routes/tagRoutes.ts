import type { Router } from 'express';
import { z } from 'zod';
import type {
  TagsResponse,
  TagValuesResponse,
} from '@backstage-traces/plugin-traces-common';
import type { TagScopeName } from '@backstage-traces/plugin-traces-node';
import { assertQueryRespectsRedaction } from '../../redaction/traceqlGuard';
import { redactTagValues } from '../../redaction/redactResponses';
import {
  entityRefParam,
  epochSeconds,
  parseParams,
  resolveRange,
  searchRangeLimit,
} from '../params';
import { toTraceQLTagName } from '../tagName';
import { scopeOf } from '../traceScope';
import { ServerTiming } from '../../lib/serverTiming';
import { requireTraceStore, resolveAccess, type RouteContext } from './context';

const TAG_SCOPES = [
  'resource',
  'span',
  'intrinsic',
  'event',
  'link',
  'instrumentation',
] as const satisfies readonly TagScopeName[];

export function registerTagRoutes(router: Router, context: RouteContext) {
  const rangeParams = {
    entityRef: entityRefParam,
    start: epochSeconds.optional(),
    end: epochSeconds.optional(),
  };
  const tagsSchema = z.object({
    scope: z
      .enum(TAG_SCOPES, { message: `must be one of ${TAG_SCOPES.join(', ')}` })
      .optional(),
    ...rangeParams,
  });
  const valuesSchema = z.object({
    q: z.string().max(2048).optional(),
    ...rangeParams,
  });

  /** Without a range Tempo answers from recent data only; a given range is bounded. */
  function tagRange(params: { start?: number; end?: number }) {
    if (params.start === undefined && params.end === undefined) return {};
    return resolveRange(params, searchRangeLimit(context.options));
  }

  router.get('/tags', async (req, res) => {
    const params = parseParams(tagsSchema, req.query);
    const store = requireTraceStore(context);
    const timing = new ServerTiming();
    const response: TagsResponse = await timing.collect(async () => {
      const access = await resolveAccess(context, req, params.entityRef);
      return store.getTags({
        scope: scopeOf(access, context.options),
        tagScope: params.scope,
        ...tagRange(params),
      });
    });
    res.setHeader('Server-Timing', timing.header({ total: true }));
    res.json(response);
  });

  router.get('/tags/:name/values', async (req, res) => {
    const tag = toTraceQLTagName(req.params.name);
    const params = parseParams(valuesSchema, req.query);
    assertQueryRespectsRedaction(params.q, context.redactor);
    const store = requireTraceStore(context);
    const timing = new ServerTiming();
    const response: TagValuesResponse = await timing.collect(async () => {
      const access = await resolveAccess(context, req, params.entityRef);
      return store.getTagValues({
        scope: scopeOf(access, context.options),
        tag,
        filter: stripBraces(params.q),
        ...tagRange(params),
      });
    });
    response.values = redactTagValues(
      tag,
      response.values,
      context.redactor,
    ).sort((a, b) => a.value.localeCompare(b.value));
    res.setHeader('Server-Timing', timing.header({ total: true }));
    res.json(response);
  });
}

/** `{ a = "b" }` → `a = "b"`; tag-value filters are a single spanset. */
function stripBraces(q: string | undefined): string | undefined {
  const inner = q
    ?.trim()
    .replace(/^\{([\s\S]*)\}$/, '$1')
    .trim();
  return inner || undefined;
}
