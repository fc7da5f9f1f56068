import { InputError } from '@backstage/errors';
import {
  fieldUses,
  type TraceQLFieldUse,
} from '@backstage-traces/plugin-traces-common';
import type { Redactor } from './Redactor';

const MATCHING_OPERATORS = new Set(['=~', '!~', '<', '<=', '>', '>=']);

/**
 * Refuses TraceQL that could read a masked value back. A filter such as
 * `{ span.http.request.header.authorization =~ "Bearer a.*" }` answers yes or no for each
 * guess and recovers a token one character at a time; `by(…)` on such an attribute turns its
 * values into series. So sensitive keys may only be tested for existence (`= nil`, `!= nil`)
 * or selected (their values come back masked), and free-text fields (span names, messages,
 * URLs, SQL), whose secrets are masked inside the text, may be compared with `=`/`!=` but not
 * matched or ordered. Works on the parsed query (`fieldUses`). Call it for every TraceQL a
 * route takes, before anything is sent upstream.
 *
 * @throws InputError naming the field and why.
 */
export function assertQueryRespectsRedaction(
  query: string | undefined,
  redactor: Redactor,
): void {
  if (!query || !redactor.enabled) return;
  for (const use of fieldUses(query)) {
    const problem = problemOf(use, redactor);
    if (problem) {
      throw new InputError(
        `The query may not use '${use.text}' (column ${
          use.from + 1
        }) ${problem}`,
      );
    }
  }
}

function problemOf(
  use: TraceQLFieldUse,
  redactor: Redactor,
): string | undefined {
  if (!use.intrinsic && redactor.isSensitiveKey(use.name)) {
    if (use.role === 'select') return undefined;
    if (
      use.role === 'filter' &&
      use.comparedToNil &&
      (use.operator === '=' || use.operator === '!=')
    ) {
      return undefined;
    }
    const what = {
      group: 'to group by',
      aggregate: 'in an aggregate',
      filter: 'in a filter',
      select: 'in select',
    }[use.role];
    return `${what}: its values are masked (traces.redaction), so only '${use.text} != nil', '= nil' and select(${use.text}) are allowed`;
  }
  if (
    use.role === 'filter' &&
    use.operator !== undefined &&
    MATCHING_OPERATORS.has(use.operator) &&
    redactor.isTextField(textFieldName(use))
  ) {
    return `with '${use.operator}': it holds free text with masked secrets inside (traces.redaction), which a pattern or ordering could test; compare it with '=' or '!=' instead`;
  }
  return undefined;
}

/** `span:name` → `name`, `trace:rootName` → `rootName`; attributes by their name. */
function textFieldName(use: TraceQLFieldUse): string {
  return use.intrinsic ? use.name.replace(/^(span|trace):/, '') : use.name;
}
