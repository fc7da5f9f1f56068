import { InputError } from '@backstage/errors';
import {
  fieldUses,
  parseTraceQLAttribute,
  validateTraceQL,
} from '@backstage-traces/plugin-traces-common';

const MAX_TAG_NAME_LENGTH = 256;
// C0 and C1 controls and DEL: no attribute has them, and Go's URL parser refuses them.
const CONTROL = /\p{Cc}/u;

/**
 * A tag name from the URL (`/tags/:name/values`) as the TraceQL identifier the stores take:
 * an intrinsic (`status`, `span:name`), a scoped or unscoped attribute (`span.http.route`,
 * `.x`, `resource."a b"`), or a bare attribute name, which means "span or resource", i.e.
 * TraceQL's unscoped `.name` (Tempo's v2 tag-values route answers a bare `service.name`
 * with HTTP 500). Anything else is a 400 before it reaches a store: the name becomes a
 * segment of Tempo's URL, where `/`, `.` or `..` would be read as a path.
 */
export function toTraceQLTagName(tag: string): string {
  const name = tag.trim();
  const shown = JSON.stringify(
    name.length > 60 ? `${name.slice(0, 60)}…` : name,
  );
  const invalid = (why: string) =>
    new InputError(`The tag name ${shown} ${why}`);
  if (!name) throw new InputError('The tag name is empty');
  if (name.length > MAX_TAG_NAME_LENGTH) {
    throw invalid(`is longer than ${MAX_TAG_NAME_LENGTH} characters`);
  }
  if (CONTROL.test(name)) throw invalid('contains a control character');
  if (name.includes('/')) {
    throw invalid(
      "contains '/', which Tempo's tag-values API cannot take (it reads it as a path)",
    );
  }
  if (isIntrinsic(name)) return name;
  if (/^[a-z]+:/.test(name)) throw invalid('is not a TraceQL intrinsic');

  const identifier = name.startsWith('.') || hasScope(name) ? name : `.${name}`;
  const attribute = parseTraceQLAttribute(identifier);
  if (!attribute) {
    throw invalid(
      `is not a TraceQL attribute: write scope.name, such as span.http.route, .name or span."a name with spaces"`,
    );
  }
  if (attribute.name.startsWith('.')) {
    throw invalid('is not a TraceQL attribute: a name cannot start with a dot');
  }
  return identifier;
}

function hasScope(name: string): boolean {
  return /^(resource|span|event|link|instrumentation|parent)\./.test(name);
}

/** True when TraceQL reads the whole name as one intrinsic (`duration`, `trace:rootService`). */
function isIntrinsic(name: string): boolean {
  const query = `{ ${name} != nil }`;
  if (!validateTraceQL(query).valid) return false;
  const uses = fieldUses(query);
  return (
    uses.length === 1 &&
    uses[0].intrinsic &&
    uses[0].from === 2 &&
    uses[0].to === 2 + name.length
  );
}
