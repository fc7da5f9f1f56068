import type { AttributeValue } from '@backstage-traces/plugin-traces-common';
import type { OtlpLogsRequest } from '../otlp/messages';
import { anyValue, hexId, keyValues, nanos } from '../otlp/values';
import { SourceTable } from './sources';
import { reject, type LogRow, type Rejections, type SourceRow } from './rows';

export interface LogBatch {
  sources: SourceRow[];
  logs: LogRow[];
  rejected: Rejections;
}

/**
 * An export request as rows. The store answers the log routes, which read logs of a trace,
 * so records without a trace ID are not kept: they are reported as rejected rather than
 * dropped silently.
 */
export function toLogBatch(request: OtlpLogsRequest): LogBatch {
  const sources = new SourceTable();
  const logs: LogRow[] = [];
  const rejected: Rejections = { count: 0, reasons: [] };
  for (const resourceLogs of request.resourceLogs ?? []) {
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      if (!scopeLogs.logRecords?.length) continue;
      const source = sources.add(resourceLogs.resource, scopeLogs.scope);
      for (const record of scopeLogs.logRecords) {
        if (record.traceId?.length !== 16) {
          reject(
            rejected,
            'log records without a 16-byte trace_id are not stored (the embedded store keeps logs of traces)',
          );
          continue;
        }
        if (record.spanId?.length && record.spanId.length !== 8) {
          reject(rejected, 'a log record has a span_id that is not 8 bytes');
          continue;
        }
        const body = anyValue(record.body);
        const time = nanos(record.timeUnixNano);
        const observed = nanos(record.observedTimeUnixNano);
        logs.push({
          traceId: hexId(record.traceId),
          spanId: record.spanId?.length ? hexId(record.spanId) : null,
          sourceKey: source.key,
          serviceName: source.serviceName,
          // The log data model: a missing time is read as the observed time.
          timeNs: time || observed,
          observedTimeNs: observed,
          severityNumber: record.severityNumber || null,
          severityText: record.severityText || null,
          body: bodyText(body),
          attributes: JSON.stringify(keyValues(record.attributes)),
        });
      }
    }
  }
  return { sources: [...sources.rows.values()], logs, rejected };
}

/** The body as text: strings as they are, structured bodies as JSON. */
function bodyText(body: AttributeValue): string {
  if (typeof body === 'string') return body;
  return body === null ? '' : JSON.stringify(body);
}
