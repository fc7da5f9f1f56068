import type { AttributeValue, Attributes, TraceResource } from '../types';
import { SPAN_KINDS, STATUS_CODES } from '../types';
import {
  COMPACT_TRACE_FORMAT,
  createCompactColumns,
  type CompactAttributes,
  type CompactTrace,
} from './CompactTrace';
import { runSteps } from '../runSteps';
import { stableOrderBy } from './stableOrderBy';
import { StringTable, type StringInterner } from './StringTable';

/**
 * One span as a producer hands it to `CompactTraceBuilder.addSpan`: primitives only, strings
 * already interned (`builder.string`), times in nanoseconds from the builder's time origin.
 */
export interface CompactSpanInput {
  /** 16 lowercase hex characters; '' when the span has none. */
  spanId: string;
  /** '' for a root. */
  parentSpanId: string;
  name: number;
  resource: number;
  /** OTLP number: index into SPAN_KINDS; out of range becomes unspecified. */
  kind: number;
  /** OTLP number: index into STATUS_CODES; out of range becomes unset. */
  status: number;
  /** String index, or -1 for none. */
  statusMessage: number;
  start: number;
  /** Before `start` is read as `start` (a zero-length span). */
  end: number;
  attributes: CompactAttributes;
}

type Sparse<T> = Record<number, T>;

const NO_ID = '0'.repeat(16);

/**
 * The one place that writes the compact trace layout (`CompactTrace`). Every wire format is a
 * thin producer that feeds it — Tempo protobuf in the backend, OTLP/Tempo JSON, Jaeger JSON,
 * API `Trace`s — so a new span field is added here and read in one place per format.
 *
 * Producers may add spans in any order and set a span's resource or scope after adding it
 * (protobuf does not promise field order). The builder interns strings, dedupes resources,
 * orders rows by start time (stably), turns parent IDs into row indexes, and writes times as
 * deltas. Times are nanoseconds relative to a time origin the producer sets once (any time of
 * the trace): offsets stay exact as numbers for traces shorter than 104 days, and no BigInt
 * is made per span.
 */
export class CompactTraceBuilder {
  readonly table: StringInterner;
  private origin: bigint | undefined;
  private traceId = '';
  private partial = false;
  private partialMessage: string | undefined;
  private bounds: [number, number] | undefined;

  private readonly resources: CompactTrace['resources'] = [];
  private readonly resourceByKey = new Map<string, number>();

  // Raw spans in the order they were added; rows are ordered in `build`.
  private readonly ids: string[] = [];
  private readonly parents: string[] = [];
  private readonly names: number[] = [];
  private readonly resourceOf: number[] = [];
  private readonly kinds: number[] = [];
  private readonly statuses: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly attributeLists: CompactAttributes[] = [];
  private readonly statusMessages: Sparse<number> = {};
  private readonly events: Sparse<Array<[number, number, CompactAttributes]>> =
    {};
  private readonly links: Sparse<Array<[string, string, CompactAttributes]>> =
    {};
  private readonly scopes: Sparse<[number, number?]> = {};
  private readonly scopeTuples = new Map<
    number,
    Map<number, [number, number?]>
  >();
  private readonly redactedKeys: Sparse<number[]> = {};
  /** After `build`: the row of each span handle. */
  private rows: Int32Array | undefined;
  /** `copySpan`'s source and its string indexes here (+1; 0 = not yet). */
  private copySource: CompactTrace | undefined;
  private copyStrings = new Int32Array(0);

  constructor(table: StringInterner = new StringTable()) {
    this.table = table;
  }

  get spanCount(): number {
    return this.ids.length;
  }

  /** Interns a string; span fields and attributes take the returned index. */
  string(value: string): number {
    return this.table.add(value);
  }

  get hasTraceId(): boolean {
    return this.traceId !== '';
  }

  /** The first trace ID given wins (OTLP repeats it on every span). */
  setTraceId(traceId: string): void {
    if (!this.traceId && traceId) this.traceId = traceId;
  }

  setPartial(message?: string): void {
    this.partial = true;
    this.partialMessage = message;
  }

  /**
   * The trace's start and end, when the producer knows them (an API `Trace`); otherwise
   * they are the earliest span start and the latest span end.
   */
  setBounds(start: number, end: number): void {
    this.bounds = [start, end];
  }

  /** Sets the time origin (nanoseconds since the epoch) unless one is set already. */
  setTimeOrigin(nanos: bigint | string): void {
    if (this.origin === undefined) this.origin = BigInt(nanos);
  }

  get hasTimeOrigin(): boolean {
    return this.origin !== undefined;
  }

  /**
   * Nanoseconds since the epoch (decimal text, a number or a bigint) as an offset from the
   * time origin, which the first call sets. Unparsable text reads as 0, as proto3 does.
   */
  offset(nanos: string | number | bigint | undefined): number {
    const value = toBigInt(nanos);
    if (this.origin === undefined) this.origin = value;
    return Number(value - this.origin);
  }

  /**
   * A resource by its attributes; the same attributes give the same index (Tempo may split
   * one process's spans over several batches). The service name is `service.name`.
   */
  resource(attributes: Attributes): number {
    const key = JSON.stringify(
      Object.keys(attributes)
        .sort()
        .map(k => [k, attributes[k]]),
    );
    const existing = this.resourceByKey.get(key);
    if (existing !== undefined) return existing;
    const serviceName = attributeText(attributes['service.name'] ?? null);
    const namespace = attributeText(attributes['service.namespace'] ?? null);
    const index = this.addResource({
      serviceName: serviceName || 'unknown_service',
      ...(namespace && { serviceNamespace: namespace }),
      attributes,
    });
    this.resourceByKey.set(key, index);
    return index;
  }

  /** A resource exactly as given (an API `Trace`'s, with its redactions and owners). */
  addResource(resource: TraceResource): number {
    this.resources.push({
      serviceName: this.string(resource.serviceName),
      ...(resource.serviceNamespace !== undefined && {
        serviceNamespace: this.string(resource.serviceNamespace),
      }),
      attributes: this.attributes(resource.attributes),
      ...(resource.redactedKeys && {
        redactedKeys: resource.redactedKeys.map(k => this.string(k)),
      }),
      ...(resource.owners && { owners: resource.owners }),
    });
    return this.resources.length - 1;
  }

  /** A compact attribute list, from an attribute map or empty to fill with `addAttribute`. */
  attributes(source?: Attributes): CompactAttributes {
    const out: CompactAttributes = [];
    if (source) {
      for (const key of Object.keys(source)) {
        this.addAttribute(out, this.string(key), source[key]);
      }
    }
    return out;
  }

  /** Appends key (string index) = value; string values are interned. */
  addAttribute(
    list: CompactAttributes,
    key: number,
    value: AttributeValue,
  ): void {
    if (typeof value === 'string') list.push(key, this.string(value));
    else list.push(-key - 1, value);
  }

  /** Appends key = value where both are string indexes already. */
  addStringAttribute(list: CompactAttributes, key: number, value: number) {
    list.push(key, value);
  }

  /** Adds a span; answers its handle for the setters below. */
  addSpan(span: CompactSpanInput): number {
    const handle = this.ids.length;
    this.ids.push(span.spanId || NO_ID);
    this.parents.push(span.parentSpanId);
    this.names.push(span.name);
    this.resourceOf.push(span.resource);
    this.kinds.push(
      span.kind >= 0 && span.kind < SPAN_KINDS.length ? span.kind : 0,
    );
    this.statuses.push(
      span.status >= 0 && span.status < STATUS_CODES.length ? span.status : 0,
    );
    this.starts.push(span.start);
    this.ends.push(span.end < span.start ? span.start : span.end);
    this.attributeLists.push(span.attributes);
    if (span.statusMessage >= 0) {
      this.statusMessages[handle] = span.statusMessage;
    }
    return handle;
  }

  setResource(span: number, resource: number): void {
    this.resourceOf[span] = resource;
  }

  /** `version` -1 for none. */
  setScope(span: number, name: number, version: number): void {
    // One tuple per scope, shared by its spans: a scope has thousands of them.
    let byVersion = this.scopeTuples.get(name);
    if (!byVersion) {
      byVersion = new Map();
      this.scopeTuples.set(name, byVersion);
    }
    let tuple = byVersion.get(version);
    if (!tuple) {
      tuple = version >= 0 ? [name, version] : [name];
      byVersion.set(version, tuple);
    }
    this.scopes[span] = tuple;
  }

  /** `time` in nanoseconds from the time origin. */
  addEvent(
    span: number,
    name: number,
    time: number,
    attributes: CompactAttributes,
  ): void {
    (this.events[span] ??= []).push([name, time, attributes]);
  }

  addLink(
    span: number,
    traceId: string,
    spanId: string,
    attributes: CompactAttributes,
  ): void {
    (this.links[span] ??= []).push([traceId, spanId, attributes]);
  }

  /** Keys (string indexes) whose values were masked before the trace reached the builder. */
  setRedactedKeys(span: number, keys: number[]): void {
    if (keys.length) this.redactedKeys[span] = keys;
  }

  /**
   * Copies the resources of another compact trace (a window keeps all of a trace's
   * resources, so resource indexes mean the same in every window).
   */
  copyResources(source: CompactTrace): void {
    const map = this.stringsOf(source);
    for (const resource of source.resources) {
      this.resources.push({
        ...resource,
        serviceName: map(resource.serviceName),
        ...(resource.serviceNamespace !== undefined && {
          serviceNamespace: map(resource.serviceNamespace),
        }),
        attributes: this.copyAttributes(resource.attributes, map),
        ...(resource.redactedKeys && {
          redactedKeys: resource.redactedKeys.map(map),
        }),
      });
    }
  }

  /**
   * Copies one row of another compact trace with every field, strings interned here: a
   * window of a large trace is cut this way. Its parent goes by span ID, so a parent that is
   * not copied makes the span an orphan of that ID. Set the time origin to the source's
   * start; `start` is the row's start in nanoseconds from it (events keep their offsets).
   */
  copySpan(source: CompactTrace, row: number, start: number): number {
    const map = this.stringsOf(source);
    const columns = source.spans;
    const parentRow = columns.parent[row];
    let parentSpanId = '';
    if (parentRow >= 0) {
      parentSpanId = columns.ids.slice(parentRow * 16, parentRow * 16 + 16);
    } else if (parentRow === -2) parentSpanId = columns.orphanParents[row];
    const message = columns.statusMessage[row];
    const handle = this.addSpan({
      spanId: columns.ids.slice(row * 16, row * 16 + 16),
      parentSpanId,
      name: map(columns.name[row]),
      resource: columns.resource[row],
      kind: columns.kind[row],
      status: columns.status[row],
      statusMessage: message === undefined ? -1 : map(message),
      start,
      end: start + columns.durationNanos[row],
      attributes: this.copyAttributes(columns.attributes[row], map),
    });
    const events = columns.events[row];
    if (events) {
      for (const [name, time, list] of events) {
        this.addEvent(handle, map(name), time, this.copyAttributes(list, map));
      }
    }
    const links = columns.links[row];
    if (links) {
      for (const [traceId, spanId, list] of links) {
        this.addLink(handle, traceId, spanId, this.copyAttributes(list, map));
      }
    }
    const scope = columns.scope[row];
    if (scope) {
      this.setScope(
        handle,
        map(scope[0]),
        scope[1] === undefined ? -1 : map(scope[1]),
      );
    }
    const redacted = columns.redactedKeys[row];
    if (redacted) this.setRedactedKeys(handle, redacted.map(map));
    return handle;
  }

  /** After `build`: the row a span handle ended up in. */
  rowOf(handle: number): number {
    if (!this.rows) throw new Error('rowOf is answered after build');
    return this.rows[handle];
  }

  /** Maps string indexes of `source` to this table, each string interned once. */
  stringsOf(source: CompactTrace): (index: number) => number {
    if (this.copySource !== source) {
      this.copySource = source;
      this.copyStrings = new Int32Array(source.strings.length);
    }
    const mapped = this.copyStrings;
    const strings = source.strings;
    return (index: number) => {
      let out = mapped[index] - 1;
      if (out === -1) {
        out = this.string(strings[index]);
        mapped[index] = out + 1;
      }
      return out;
    };
  }

  private copyAttributes(
    list: CompactAttributes,
    map: (index: number) => number,
  ): CompactAttributes {
    const out: CompactAttributes = new Array(list.length);
    for (let i = 0; i < list.length; i += 2) {
      const k = list[i] as number;
      if (k >= 0) {
        out[i] = map(k);
        out[i + 1] = map(list[i + 1] as number);
      } else {
        out[i] = -map(-k - 1) - 1;
        out[i + 1] = list[i + 1];
      }
    }
    return out;
  }

  /** The compact trace; undefined when no span was added (and no bounds set). */
  build(fallbackTraceId = ''): CompactTrace | undefined {
    return runSteps(this.buildSteps(fallbackTraceId));
  }

  /** As `build`, yielding between slices of work (see the backend's `runSliced`). */
  *buildSteps(fallbackTraceId = ''): Generator<void, CompactTrace | undefined> {
    const n = this.ids.length;
    if (n === 0 && !this.bounds) return undefined;
    const { starts, ends } = this;
    let [first, last] = this.bounds ?? [starts[0], ends[0]];
    if (!this.bounds) {
      for (let i = 1; i < n; i++) {
        if (starts[i] < first) first = starts[i];
        if (ends[i] > last) last = ends[i];
      }
    }
    const keys = Float64Array.from(starts);
    // Stable, so spans starting together keep the order they were added in.
    const order = yield* stableOrderBy(keys);
    this.rows = new Int32Array(n);
    for (let row = 0; row < n; row++) this.rows[order[row]] = row;
    const rowOf = new Map<string, number>();
    for (let row = 0; row < n; row++) {
      if ((row & 16383) === 16383) yield;
      rowOf.set(this.ids[order[row]], row);
    }

    const spans = createCompactColumns(n);
    const ids: string[] = new Array(n);
    let previous = first;
    for (let row = 0; row < n; row++) {
      if ((row & 8191) === 8191) yield;
      const i = order[row];
      ids[row] = this.ids[i];
      const parentId = this.parents[i];
      if (!parentId) spans.parent[row] = -1;
      else {
        const parentRow = rowOf.get(parentId);
        if (parentRow === undefined) {
          spans.parent[row] = -2;
          spans.orphanParents[row] = parentId;
        } else spans.parent[row] = parentRow;
      }
      spans.name[row] = this.names[i];
      spans.resource[row] = this.resourceOf[i];
      spans.kind[row] = this.kinds[i];
      spans.status[row] = this.statuses[i];
      const message = this.statusMessages[i];
      if (message !== undefined) spans.statusMessage[row] = message;
      spans.startDelta[row] = starts[i] - previous;
      previous = starts[i];
      spans.durationNanos[row] = ends[i] - starts[i];
      spans.attributes[row] = this.attributeLists[i];
      const events = this.events[i];
      if (events) {
        spans.events[row] = events.map(([name, time, attributes]) => [
          name,
          time - first,
          attributes,
        ]);
      }
      const links = this.links[i];
      if (links) spans.links[row] = links;
      const scope = this.scopes[i];
      if (scope) spans.scope[row] = scope;
      const redacted = this.redactedKeys[i];
      if (redacted) spans.redactedKeys[row] = redacted;
    }
    spans.ids = ids.join('');

    const origin = this.origin ?? 0n;
    return {
      format: COMPACT_TRACE_FORMAT,
      traceId: this.traceId || fallbackTraceId.padStart(32, '0'),
      startTimeUnixNano: (origin + BigInt(first)).toString(),
      endTimeUnixNano: (origin + BigInt(last)).toString(),
      ...(this.partial && { partial: true }),
      ...(this.partialMessage !== undefined && {
        partialMessage: this.partialMessage,
      }),
      strings: this.table.strings,
      resources: this.resources,
      spans,
    };
  }
}

/** The string form of an attribute value, for service names and display. */
export function attributeText(value: AttributeValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function toBigInt(value: string | number | bigint | undefined): bigint {
  if (typeof value === 'bigint') return value;
  if (value === undefined || value === '') return 0n;
  try {
    return BigInt(typeof value === 'number' ? Math.trunc(value) : value);
  } catch {
    return 0n;
  }
}
