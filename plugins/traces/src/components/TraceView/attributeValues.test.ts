import { MASKED_VALUE } from '@backstage-traces/plugin-traces-common';
import {
  attributeRows,
  isMasked,
  valueKind,
  valueText,
} from './attributeValues';

describe('valueKind and valueText', () => {
  it('classifies values by type', () => {
    expect(valueKind('a')).toBe('string');
    expect(valueKind(3)).toBe('number');
    expect(valueKind(false)).toBe('boolean');
    expect(valueKind(null)).toBe('null');
    expect(valueKind([1])).toBe('array');
    expect(valueKind({ a: 1 })).toBe('object');
  });

  it('renders structures as JSON and scalars as text', () => {
    expect(valueText(42)).toBe('42');
    expect(valueText(true)).toBe('true');
    expect(valueText(null)).toBe('null');
    expect(valueText({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});

describe('isMasked', () => {
  it('recognises redacted keys and the backend mask text', () => {
    expect(
      isMasked('http.request.header.authorization', 'x', [
        'http.request.header.authorization',
      ]),
    ).toBe(true);
    expect(isMasked('db.password', MASKED_VALUE)).toBe(true);
    expect(isMasked('db.user', 'alice', ['db.password'])).toBe(false);
  });
});

describe('attributeRows', () => {
  const attributes = { 'b.key': 'Value', 'a.key': 5, secret: MASKED_VALUE };

  it('sorts by key and marks masked values', () => {
    expect(attributeRows(attributes, '')).toEqual([
      { key: 'a.key', value: 5, masked: false },
      { key: 'b.key', value: 'Value', masked: false },
      { key: 'secret', value: MASKED_VALUE, masked: true },
    ]);
  });

  it('filters on key or value, ignoring case', () => {
    expect(attributeRows(attributes, 'VALUE').map(r => r.key)).toEqual([
      'b.key',
    ]);
    expect(attributeRows(attributes, 'a.k').map(r => r.key)).toEqual(['a.key']);
    expect(attributeRows(attributes, '5').map(r => r.key)).toEqual(['a.key']);
  });
});
