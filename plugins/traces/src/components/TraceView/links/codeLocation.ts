/**
 * Where a span's code is: OpenTelemetry's `code.*` attributes, in the current semantic
 * conventions (`code.file.path`, `code.line.number`, `code.function.name`) and the older ones
 * (`code.filepath`, `code.lineno`, `code.function` with `code.namespace`), and how to turn
 * them into a link into the owning entity's repository.
 */

export interface CodeLocation {
  filePath?: string;
  line?: number;
  /** The function, qualified with its namespace (class, module) when the span says it. */
  functionName?: string;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  return undefined;
}

function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0
    ? number
    : undefined;
}

/** The span's code location, or undefined when it names neither a file nor a function. */
export function codeLocationOf(
  attributes: Record<string, unknown>,
): CodeLocation | undefined {
  const filePath =
    text(attributes['code.file.path']) ?? text(attributes['code.filepath']);
  const line =
    positiveInteger(attributes['code.line.number']) ??
    positiveInteger(attributes['code.lineno']);
  // `code.function.name` is fully qualified; the old `code.function` went with `code.namespace`.
  const current = text(attributes['code.function.name']);
  const old = text(attributes['code.function']);
  const namespace = text(attributes['code.namespace']);
  let functionName = current;
  if (!functionName && old)
    functionName = namespace ? `${namespace}.${old}` : old;
  if (!filePath && !functionName) return undefined;
  return {
    ...(filePath && { filePath }),
    ...(line && { line }),
    ...(functionName && { functionName }),
  };
}

/** `orders.js:42`, the file's last segment with its line. */
export function shortLocation(location: CodeLocation): string | undefined {
  if (!location.filePath) return undefined;
  const file = location.filePath.split(/[\\/]/).pop() ?? location.filePath;
  return location.line ? `${file}:${location.line}` : file;
}

/** The `url:` form of `backstage.io/source-location`, as a URL; other forms have no link. */
export function sourceLocationUrl(
  annotation: string | undefined,
): URL | undefined {
  const match = /^url:(.+)$/.exec(annotation?.trim() ?? '');
  if (!match) return undefined;
  try {
    return new URL(match[1]);
  } catch {
    return undefined;
  }
}

const isAbsolute = (path: string) =>
  path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);

/**
 * The span's file path relative to the entity's source location, or undefined when it
 * cannot be told. A relative path already is. An absolute path (where the file was on the
 * machine that ran it) is cut after `pathPrefix` when it starts with it (the
 * `backstage-traces.io/source-path-prefix` annotation, e.g. `/app` in a container), or else
 * after the longest tail of the source location's own path that it contains: a checkout of
 * `…/tree/main/services/orders` at `/build/services/orders/src/a.js` gives `src/a.js`.
 */
export function repositoryPath(
  filePath: string,
  source: URL,
  pathPrefix?: string,
): string | undefined {
  const path = filePath.replace(/\\/g, '/');
  if (!isAbsolute(path)) return path.replace(/^(\.\/)+/, '');
  if (pathPrefix) {
    const prefix = pathPrefix.replace(/\\/g, '/').replace(/\/+$/, '');
    if (path.startsWith(`${prefix}/`)) return path.slice(prefix.length + 1);
  }
  const segments = decodeURIComponent(source.pathname)
    .split('/')
    .filter(Boolean);
  // Longest tail first; at least the last segment (the directory the location points at).
  for (let from = 0; from < segments.length; from++) {
    const tail = `/${segments.slice(from).join('/')}/`;
    const at = path.lastIndexOf(tail);
    if (at >= 0) return path.slice(at + tail.length);
  }
  return undefined;
}
