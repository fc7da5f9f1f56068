import { InputError } from '@backstage/errors';
import {
  parseConditionList,
  TraceQLInputError,
  traceqlAttribute,
  traceqlString,
  type TagValue,
} from '@backstage-traces/plugin-traces-common';
import type { TraceScope } from '@backstage-traces/plugin-traces-node';

/*
 * Tempo's tag and tag-value endpoints do not run `q` as TraceQL. Tempo 2.7 keeps only what
 * `traceql.ExtractMatchers` (pkg/traceql/extractmatcher.go) pulls out of it with two regular
 * expressions — a single `{ … }` without `||`, conditions without spaces in their values —
 * and answers **unfiltered** when nothing is left, when a condition or the tag is unscoped
 * (`.service.name`: "mingled" conditions) or when the rest does not parse. Entity-scoped
 * requests must not rely on that: the backend builds every `q` itself, from conditions it
 * checked, one request per service (no `||`), with scoped tag names, and sends it only if
 * Tempo would extract exactly those conditions. Values the scope itself fixes
 * (`resource.service.name` of an entity) are answered from the scope, as Tempo returns
 * nothing for a tag that `q` already pins.
 */

// Go: regexp.MustCompile(`[\p{L}\p{N}._\-:" ]+\s*(=|<=|>=|=~|!=|>|<|!~)\s*(?:"[\p{L}\p{N}\p{P}\p{M}\p{S}]+"|true|false|[a-z]+|[0-9smh]+)`)
const MATCHERS =
  /[\p{L}\p{N}._\-:" ]+[\t\n\f\r ]*(=|<=|>=|=~|!=|>|<|!~)[\t\n\f\r ]*(?:"[\p{L}\p{N}\p{P}\p{M}\p{S}]+"|true|false|[a-z]+|[0-9smh]+)/gu;
// Go: regexp.MustCompile(`^(\{[^|{}]*[^|{}]}?|\{[^|{}]*=~[^{}]*})$`)
const SINGLE_FILTER = /^(\{[^|{}]*[^|{}]\}?|\{[^|{}]*=~[^{}]*\})$/u;

/** What Tempo 2.7's ExtractMatchers keeps of a tag request's `q` (`{}` means unfiltered). */
export function tempoExtractMatchers(query: string): string {
  const q = query.trim();
  if (!q || !SINGLE_FILTER.test(q)) return '{}';
  const matchers = q.match(MATCHERS) ?? [];
  return `{${matchers.map(m => m.trim()).join(' && ')}}`;
}

/** One `q` Tempo will apply as written, or undefined when there are no conditions. */
export function exactTagQuery(conditions: string[]): string | undefined {
  if (conditions.length === 0) return undefined;
  const q = `{ ${conditions.join(' && ')} }`;
  if (tempoExtractMatchers(q) !== `{${conditions.join(' && ')}}`) {
    throw new InputError(
      `Tempo cannot apply the tag filter ${q}: its tag endpoints only read conditions whose values have no spaces or braces, so the answer would not be limited to it`,
    );
  }
  return q;
}

/** A scoped tag-value request, or a value the scope itself fixes. */
export type TagValueRequest =
  | { kind: 'tempo'; tag: string; q?: string }
  | { kind: 'known'; value: TagValue };

interface ScopeCondition {
  attribute: string;
  value: string;
  /** True for the access boundary (the entity's services); false for default filters. */
  boundary: boolean;
}

/** The scope's equality conditions, one list per service (Tempo ignores `||`). */
function scopeConditions(scope: TraceScope): ScopeCondition[][] {
  const shared: ScopeCondition[] = [];
  if (scope.serviceNamespace) {
    shared.push({
      attribute: traceqlAttribute('resource', 'service.namespace'),
      value: scope.serviceNamespace,
      boundary: true,
    });
  }
  for (const match of [scope.environment, scope.cluster]) {
    if (match) {
      shared.push({
        attribute: traceqlAttribute('resource', match.attribute),
        value: match.value,
        boundary: false,
      });
    }
  }
  if (!scope.serviceNames) return [shared];
  return scope.serviceNames.map(name => [
    {
      attribute: traceqlAttribute('resource', 'service.name'),
      value: name,
      boundary: true,
    },
    ...shared,
  ]);
}

/**
 * The Tempo requests that answer `tag`'s values within the access scope and the user's
 * filter. `tag` is a TraceQL identifier (`.service.name`, `span.x`, `status`).
 */
export function tagValueRequests(
  tag: string,
  scope: TraceScope,
  userQ: string | undefined,
): TagValueRequest[] {
  let user: string[];
  try {
    user = parseConditionList(userQ);
  } catch (error) {
    if (error instanceof TraceQLInputError)
      throw new InputError(`Invalid tag filter: ${error.message}`);
    throw error;
  }
  // Unscoped names make Tempo drop every condition: ask for each scope instead.
  const perService = scopeConditions(scope);
  const tags =
    tag.startsWith('.') && (user.length || perService.some(c => c.length))
      ? [`resource${tag}`, `span${tag}`]
      : [tag];
  const requests: TagValueRequest[] = [];
  for (const conditionsOfService of perService) {
    for (const scopedTag of tags) {
      const pinned = conditionsOfService.find(c => c.attribute === scopedTag);
      if (pinned?.boundary) {
        requests.push({
          kind: 'known',
          value: { type: 'string', value: pinned.value },
        });
        continue;
      }
      // A default filter (the environment) is not a boundary: its own values stay listed.
      const conditions = [
        ...conditionsOfService
          .filter(c => c !== pinned)
          .map(c => `${c.attribute} = ${traceqlString(c.value)}`),
        ...user,
      ];
      requests.push({
        kind: 'tempo',
        tag: scopedTag,
        q: exactTagQuery(conditions),
      });
    }
  }
  return requests;
}

/** The `q` of each tag-name request within the access scope (one per service). */
export function tagNameQueries(scope: TraceScope): Array<string | undefined> {
  return scopeConditions(scope).map(conditions =>
    exactTagQuery(
      conditions.map(c => `${c.attribute} = ${traceqlString(c.value)}`),
    ),
  );
}
