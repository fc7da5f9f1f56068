import type { Router } from 'express';
import { z } from 'zod';
import type {
  TagsResponse,
  TagValuesResponse,
} from '@backstage-traces/plugin-traces-common';
import { combineConditions } from '@backstage-traces/plugin-traces-common';
import { accessConditions } from '../buildTempoQuery';
import { entityRefParam, epochSeconds, parseParams } from '../params';
import { toTraceQLTagName } from '../tagName';
import { requireTempo, tenantOf, type RouteContext } from './context';

const TAG_SCOPES = [
  'resource',
  'span',
  'intrinsic',
  'event',
  'link',
  'instrumentation',
] as const;

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

  router.get('/tags', async (req, res) => {
    const params = parseParams(tagsSchema, req.query);
    const tempo = requireTempo(context);
    const access = await context.access.resolve(req, params.entityRef);
    const body = await tempo.tags(
      {
        scope: params.scope,
        q: scopedFilter(context, access),
        start: floor(params.start),
        end: ceil(params.end),
      },
      tenantOf(access),
    );
    const response: TagsResponse = {
      scopes: (body.scopes ?? []).map(scope => ({
        name: scope.name ?? '',
        tags: [...(scope.tags ?? [])].sort(),
      })),
    };
    res.json(response);
  });

  router.get('/tags/:name/values', async (req, res) => {
    const tag = toTraceQLTagName(req.params.name);
    const params = parseParams(valuesSchema, req.query);
    const tempo = requireTempo(context);
    const access = await context.access.resolve(req, params.entityRef);
    // Tempo ignores a malformed `q` here and answers unfiltered, so the user's filter is
    // only a hint; the entity scope is always ours and well-formed.
    const userFilter = stripBraces(params.q);
    const scope = scopedFilter(context, access, userFilter);
    const body = await tempo.tagValues(
      tag,
      { q: scope, start: floor(params.start), end: ceil(params.end) },
      tenantOf(access),
    );
    const response: TagValuesResponse = {
      tag,
      values: (body.tagValues ?? [])
        .map(v => ({ type: v.type ?? 'string', value: v.value ?? '' }))
        .sort((a, b) => a.value.localeCompare(b.value)),
    };
    res.json(response);
  });
}

function scopedFilter(
  context: RouteContext,
  access: Parameters<typeof accessConditions>[0],
  extra?: string,
): string | undefined {
  const condition = combineConditions(
    ...accessConditions(access, context.options),
    extra,
  );
  return condition ? `{ ${condition} }` : undefined;
}

/** `{ a = "b" }` → `a = "b"`; tag-value filters are a single spanset. */
function stripBraces(q: string | undefined): string | undefined {
  const inner = q
    ?.trim()
    .replace(/^\{([\s\S]*)\}$/, '$1')
    .trim();
  return inner || undefined;
}

function floor(n?: number) {
  return n === undefined ? undefined : Math.floor(n);
}

function ceil(n?: number) {
  return n === undefined ? undefined : Math.ceil(n);
}
