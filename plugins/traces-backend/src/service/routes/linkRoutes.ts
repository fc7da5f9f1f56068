import type { Router } from 'express';
import { z } from 'zod';
import {
  normalizeSpanId,
  parseTraceIdParam,
  TRACE_ID_FORMAT,
} from '@backstage-traces/plugin-traces-common';
import { parseParams } from '../params';
import { serviceNameParam } from './ownersRoute';

/** Where the app mounts the traces pages (`page:traces`). */
export const TRACES_PAGE_PATH = '/traces';

const RFC_3339 =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** A point in time as Grafana writes it: epoch milliseconds (`${__from}`) or RFC 3339. */
const timeParam = z
  .string()
  .trim()
  .refine(value => /^\d{1,15}$/.test(value) || RFC_3339.test(value), {
    message: 'must be epoch milliseconds or an RFC 3339 time',
  })
  .transform(value => (/^\d+$/.test(value) ? Number(value) : Date.parse(value)))
  .refine(value => Number.isFinite(value), { message: 'is not a valid time' });

/**
 * Deep links for Grafana and other tools, which cannot know entity refs or attach a
 * Backstage token. They only validate and redirect to the app's traces pages; the app asks
 * the user to sign in first, then resolves owners with the user's own catalog access.
 */
export function registerLinkRoutes(
  router: Router,
  deps: { appBaseUrl: string },
) {
  const pages = `${deps.appBaseUrl.replace(/\/+$/, '')}${TRACES_PAGE_PATH}`;
  const serviceSchema = z.object({
    serviceName: serviceNameParam,
    namespace: serviceNameParam.optional(),
  });
  const traceSchema = z
    .object({
      traceId: z.string().transform((raw, ctx) => {
        const id = parseTraceIdParam(raw);
        if (!id) {
          ctx.addIssue({
            code: 'custom',
            message: `expected ${TRACE_ID_FORMAT}`,
          });
          return z.NEVER;
        }
        return id;
      }),
      spanId: z
        .string()
        .transform((raw, ctx) => {
          const id = normalizeSpanId(raw.trim());
          if (!id || /^0+$/.test(id)) {
            ctx.addIssue({
              code: 'custom',
              message: 'expected 1 to 16 hexadecimal characters',
            });
            return z.NEVER;
          }
          return id;
        })
        .optional(),
      from: timeParam.optional(),
      to: timeParam.optional(),
    })
    .refine(p => p.from === undefined || p.to === undefined || p.from < p.to, {
      message: "'from' must be before 'to'",
    });

  router.get('/links/service/:serviceName', (req, res) => {
    const params = parseParams(serviceSchema, {
      serviceName: req.params.serviceName,
      namespace: req.query.namespace,
    });
    const query = new URLSearchParams();
    if (params.namespace) query.set('namespace', params.namespace);
    res.redirect(
      302,
      `${pages}/services/${encodeURIComponent(params.serviceName)}${suffix(
        query,
      )}`,
    );
  });

  router.get('/links/trace/:traceId', (req, res) => {
    const params = parseParams(traceSchema, {
      traceId: req.params.traceId,
      spanId: req.query.spanId || undefined,
      from: req.query.from || undefined,
      to: req.query.to || undefined,
    });
    const query = new URLSearchParams();
    if (params.spanId) query.set('spanId', params.spanId);
    if (params.from !== undefined) query.set('from', String(params.from));
    if (params.to !== undefined) query.set('to', String(params.to));
    res.redirect(302, `${pages}/trace/${params.traceId}${suffix(query)}`);
  });
}

function suffix(query: URLSearchParams): string {
  const text = query.toString();
  return text ? `?${text}` : '';
}
