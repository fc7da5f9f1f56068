import { InputError } from '@backstage/errors';
import type {
  AttributeValue,
  TagsResponse,
  TagValue,
  TagValuesResponse,
} from '@backstage-traces/plugin-traces-common';
import {
  parseTraceQLAttribute,
  SPAN_KINDS,
  STATUS_CODES,
} from '@backstage-traces/plugin-traces-common';
import type {
  TagsRequest,
  TagValuesRequest,
} from '@backstage-traces/plugin-traces-node';
import { loadSpans, rowsOf, type LoadedSpan } from '../read/loadSpans';
import { otlp } from '../otlp/schema';
import { keyValues } from '../otlp/values';
import type { SearchContext } from './searchTraces';
import { scopeToSql, sourceInScope } from './scopeSql';

/** Spans read for tag names and values: the most recent ones in scope and range. */
export const TAG_SAMPLE_SPANS = 10_000;

/** Tempo 2.7's intrinsic tag names (`/api/v2/search/tags`). */
const INTRINSICS = [
  'duration',
  'event:name',
  'event:timeSinceStart',
  'instrumentation:name',
  'instrumentation:version',
  'kind',
  'name',
  'rootName',
  'rootServiceName',
  'span:duration',
  'span:kind',
  'span:name',
  'span:status',
  'span:statusMessage',
  'status',
  'statusMessage',
  'trace:duration',
  'trace:rootName',
  'trace:rootService',
  'traceDuration',
];

/** Tag names per scope, from the resources in scope and the most recent spans. */
export async function getTags(
  context: SearchContext,
  request: TagsRequest,
): Promise<TagsResponse> {
  const wanted = (name: string) =>
    !request.tagScope || request.tagScope === name;
  const spans = await recentSpans(
    context,
    request,
    wanted('event') || wanted('link'),
  );
  const inScope = (await context.sources.all()).filter(s =>
    sourceInScope(request.scope, s),
  );
  const scopes: TagsResponse['scopes'] = [];
  const add = (name: string, keys: Iterable<string>) => {
    const tags = [...new Set(keys)].sort();
    if (wanted(name) && (tags.length > 0 || name === 'intrinsic'))
      scopes.push({ name, tags });
  };
  add(
    'resource',
    inScope.flatMap(s => Object.keys(s.resourceAttributes)),
  );
  add(
    'span',
    spans.flatMap(s => Object.keys(s.attributes)),
  );
  add('intrinsic', INTRINSICS);
  add(
    'event',
    spans.flatMap(s =>
      (s.events ?? []).flatMap(e => Object.keys(e.attributes)),
    ),
  );
  add(
    'link',
    spans.flatMap(s => (s.links ?? []).flatMap(l => Object.keys(l.attributes))),
  );
  if (wanted('instrumentation')) {
    const rows = rowsOf<{ scope_payload: Buffer }>(
      await context.db.raw(
        `select scope_payload from span_sources where id in (${
          inScope.map(() => '?').join(',') || 'null'
        })`,
        inScope.map(s => s.id),
      ),
    );
    add(
      'instrumentation',
      rows.flatMap(row =>
        Object.keys(
          keyValues(
            (
              otlp.InstrumentationScope.decode(row.scope_payload) as {
                attributes?: [];
              }
            ).attributes,
          ),
        ),
      ),
    );
  }
  return { scopes };
}

/**
 * Values of one tag on the most recent spans in scope. The filter is a hint the interface
 * allows a store to leave out; the scope always applies.
 */
export async function getTagValues(
  context: SearchContext,
  request: TagValuesRequest,
): Promise<TagValuesResponse> {
  const read = valueReader(request.tag);
  const values = new Map<string, TagValue>();
  const add = (value: AttributeValue | undefined, type?: string) => {
    if (value === undefined || value === null) return;
    const tagValue = typed(value, type);
    values.set(`${tagValue.type}:${tagValue.value}`, tagValue);
  };
  if (read.kind === 'trace') {
    const sql = await scope(context, request);
    const rows = sql
      ? rowsOf<{ value: string | null }>(
          await context.db.raw(
            `select distinct t.${
              read.column
            } as value from traces t where t.trace_id in (select s.trace_id from spans s where ${
              sql.sql
            }${rangeSql(request)}) and t.${read.column} is not null`,
            sql.bindings,
          ),
        )
      : [];
    for (const row of rows) add(row.value ?? undefined);
  } else {
    const spans = await recentSpans(context, request, read.kind === 'event');
    for (const span of spans) read.values(span, add);
  }
  return {
    tag: request.tag,
    values: [...values.values()].sort((a, b) => a.value.localeCompare(b.value)),
  };
}

type ReadValues = (
  span: LoadedSpan,
  add: (value: AttributeValue | undefined, type?: string) => void,
) => void;

type Reader =
  | { kind: 'trace'; column: string }
  | { kind: 'span' | 'event'; values: ReadValues };

function valueReader(tag: string): Reader {
  const intrinsic = (values: ReadValues): Reader => ({
    kind: 'span',
    values,
  });
  switch (tag) {
    case 'name':
    case 'span:name':
      return intrinsic((span, add) => add(span.name));
    case 'status':
    case 'span:status':
      return intrinsic((span, add) =>
        add(STATUS_CODES[span.statusCode], 'keyword'),
      );
    case 'kind':
    case 'span:kind':
      return intrinsic((span, add) => add(SPAN_KINDS[span.kind], 'keyword'));
    case 'statusMessage':
    case 'span:statusMessage':
      return intrinsic((span, add) => add(span.statusMessage || undefined));
    case 'rootName':
    case 'trace:rootName':
      return { kind: 'trace', column: 'root_span_name' };
    case 'rootServiceName':
    case 'trace:rootService':
      return { kind: 'trace', column: 'root_service_name' };
    case 'event:name':
      return {
        kind: 'event',
        values: (span, add) => span.events?.forEach(e => add(e.name)),
      };
    default:
      break;
  }
  const attribute = parseTraceQLAttribute(tag);
  if (
    !attribute ||
    !['', 'resource', 'span', 'event'].includes(attribute.scope)
  ) {
    throw new InputError(
      `The embedded store has no values for the tag '${tag}': use a scoped attribute (resource.x, span.x, event.x), an unscoped one (.x) or name, status, kind, statusMessage, rootName, rootServiceName, event:name`,
    );
  }
  const { scope: scopeName, name: key } = attribute;
  if (scopeName === 'event') {
    return {
      kind: 'event',
      values: (span, add) =>
        span.events?.forEach(e => add(e.attributes[key] as AttributeValue)),
    };
  }
  return intrinsic((span, add) => {
    if (scopeName !== 'resource') add(span.attributes[key] as AttributeValue);
    if (scopeName !== 'span')
      add(span.resourceAttributes[key] as AttributeValue);
  });
}

/** Tempo's tag value types: string, int, float, bool, keyword. */
function typed(value: AttributeValue, type?: string): TagValue {
  if (type) return { type, value: String(value) };
  if (typeof value === 'number') {
    return {
      type: Number.isInteger(value) ? 'int' : 'float',
      value: String(value),
    };
  }
  if (typeof value === 'boolean') return { type: 'bool', value: String(value) };
  if (typeof value === 'string') return { type: 'string', value };
  return { type: 'string', value: JSON.stringify(value) };
}

async function scope(
  context: SearchContext,
  request: TagsRequest | TagValuesRequest,
) {
  return scopeToSql(request.scope, await context.sources.all());
}

function rangeSql(request: { start?: number; end?: number }): string {
  return [
    request.start !== undefined &&
      ` and s.start_ns >= ${
        BigInt(Math.floor(request.start)) * 1_000_000_000n
      }`,
    request.end !== undefined &&
      ` and s.start_ns <= ${BigInt(Math.ceil(request.end)) * 1_000_000_000n}`,
  ]
    .filter(Boolean)
    .join('');
}

/** The most recent spans in scope (and range), whole. */
async function recentSpans(
  context: SearchContext,
  request: TagsRequest | TagValuesRequest,
  events: boolean,
): Promise<LoadedSpan[]> {
  const sql = await scope(context, request);
  if (!sql) return [];
  const traceIds = rowsOf<{ trace_id: string }>(
    await context.db.raw(
      `select distinct trace_id from (select s.trace_id from spans s where ${
        sql.sql
      }${rangeSql(
        request,
      )} order by s.start_ns desc limit ${TAG_SAMPLE_SPANS}) recent`,
      sql.bindings,
    ),
  ).map(r => r.trace_id);
  const spans: LoadedSpan[] = [];
  for (
    let i = 0;
    i < traceIds.length && spans.length < TAG_SAMPLE_SPANS;
    i += 200
  ) {
    spans.push(
      ...(await loadSpans(
        context.db,
        context.sources,
        traceIds.slice(i, i + 200),
        {
          where: sql,
          events,
        },
      )),
    );
  }
  return spans;
}
