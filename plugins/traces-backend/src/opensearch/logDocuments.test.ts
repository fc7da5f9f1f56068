import { DEFAULT_LOG_FIELDS } from './config';
import {
  flattenExcept,
  getPath,
  isoFromNanos,
  toLogRecord,
} from './logDocuments';

describe('log documents', () => {
  it('reads dot paths through nested objects, dotted keys and mixtures', () => {
    expect(
      getPath(
        { resource: { service: { name: 'a' } } },
        'resource.service.name',
      ),
    ).toBe('a');
    expect(
      getPath({ resource: { 'service.name': 'b' } }, 'resource.service.name'),
    ).toBe('b');
    expect(
      getPath({ 'resource.service.name': 'c' }, 'resource.service.name'),
    ).toBe('c');
    expect(
      getPath(
        { 'severity.text': 'WARN', severity: { text: 'x' } },
        'severity.text',
      ),
    ).toBe('WARN');
    // A prefix that leads nowhere does not hide a shorter one that does.
    expect(
      getPath(
        { resource: { service: {}, 'service.name': 'd' } },
        'resource.service.name',
      ),
    ).toBe('d');
    expect(
      getPath({ resource: 'flat' }, 'resource.service.name'),
    ).toBeUndefined();
    expect(getPath({ a: [{ b: 1 }] }, 'a.b')).toBeUndefined();
  });

  it('flattens everything but the excluded fields and their children', () => {
    expect(
      flattenExcept(
        {
          body: { nested: 'gone' },
          bodyText: 'kept',
          attributes: {
            'http.route': '/x',
            retries: 2,
            tags: ['a', 'b'],
            empty: {},
          },
          big: BigInt('12345678901234567890'),
          nothing: null,
        },
        ['body'],
      ),
    ).toEqual({
      bodyText: 'kept',
      'attributes.http.route': '/x',
      'attributes.retries': 2,
      'attributes.tags': ['a', 'b'],
      big: '12345678901234567890',
      nothing: null,
    });
  });

  it('formats epoch nanoseconds as ISO, keeping sub-millisecond digits', () => {
    expect(isoFromNanos(BigInt('1795549350524064365'))).toBe(
      '2026-11-24T19:42:30.524064365Z',
    );
    expect(isoFromNanos(BigInt('1795549350524000000'))).toBe(
      '2026-11-24T19:42:30.524Z',
    );
    expect(isoFromNanos(BigInt('1795549350524000001'))).toBe(
      '2026-11-24T19:42:30.524000001Z',
    );
    expect(isoFromNanos(BigInt(-1))).toBeUndefined();
  });

  it('falls back to the document’s timestamp and derives severity text from the number', () => {
    const record = toLogRecord(
      {
        _index: 'ss4o_logs-default-namespace',
        _id: '1',
        _source: {
          '@timestamp': '2026-11-24T19:42:30.524+01:00',
          severity: { number: 14 },
          body: 42,
        },
      },
      DEFAULT_LOG_FIELDS,
    );
    expect(record).toEqual({
      id: '1',
      timestamp: '2026-11-24T18:42:30.524Z',
      severity: 'WARN',
      severityNumber: 14,
      message: '42',
      fields: {},
    });
  });

  it('ignores severity numbers outside 1-24 and keeps a written severity text', () => {
    const record = toLogRecord(
      {
        _index: 'i',
        _id: '2',
        _source: {
          '@timestamp': 1795549350524,
          severity: { text: 'Information', number: 0 },
        },
        sort: [BigInt('1795549350524000000'), '2'],
      },
      DEFAULT_LOG_FIELDS,
      BigInt('1795549350524000000'),
    );
    expect(record.severity).toBe('Information');
    expect(record.severityNumber).toBeUndefined();
    expect(record.timestamp).toBe('2026-11-24T19:42:30.524Z');
    expect(record.message).toBe('');
  });
});
