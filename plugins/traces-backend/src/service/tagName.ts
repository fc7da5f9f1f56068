import { InputError } from '@backstage/errors';

const SCOPES = [
  'resource.',
  'span.',
  'event.',
  'link.',
  'instrumentation.',
  'parent.',
];
const INTRINSICS = new Set([
  'duration',
  'name',
  'status',
  'statusMessage',
  'kind',
  'rootName',
  'rootServiceName',
  'traceDuration',
  'event:name',
  'event:timeSinceStart',
  'instrumentation:name',
  'instrumentation:version',
  'span:duration',
  'span:kind',
  'span:name',
  'span:status',
  'span:statusMessage',
  'trace:duration',
  'trace:rootName',
  'trace:rootService',
  'trace:id',
  'span:id',
  'span:parentID',
  'link:traceID',
  'link:spanID',
]);

/**
 * Tempo's v2 tag-values route wants a TraceQL identifier and answers a bare `service.name`
 * with HTTP 500. A bare attribute name means "span or resource", which is TraceQL's
 * unscoped `.service.name`, so that is what we send.
 */
export function toTraceQLTagName(tag: string): string {
  const name = tag.trim();
  if (!name) throw new InputError('The tag name is empty');
  if (name.length > 256)
    throw new InputError('The tag name is longer than 256 characters');
  if (INTRINSICS.has(name) || name.startsWith('.')) return name;
  if (
    SCOPES.some(scope => name.startsWith(scope) && name.length > scope.length)
  ) {
    return name;
  }
  if (/^[a-z]+:/.test(name)) {
    throw new InputError(`'${name}' is not a TraceQL intrinsic`);
  }
  return `.${name}`;
}
