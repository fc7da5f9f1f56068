import { isTraceIdParam, parseTraceIdParam } from './ids';

describe('parseTraceIdParam', () => {
  it('pads IDs whose leading zeros were stripped, as Tempo and Grafana show them', () => {
    expect(parseTraceIdParam('f067aa0ba902b7d0c6e1b8e4f3a2c1')).toBe(
      '00f067aa0ba902b7d0c6e1b8e4f3a2c1',
    );
    expect(parseTraceIdParam('1')).toBe('00000000000000000000000000000001');
  });

  it('lowercases 16- and 32-character IDs and trims pasted whitespace', () => {
    expect(parseTraceIdParam(' 4BF92F3577B34DA6A3CE929D0E0E4736\n')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(parseTraceIdParam('a3ce929d0e0e4736')).toBe(
      '0000000000000000a3ce929d0e0e4736',
    );
  });

  it.each(['', '0', '0'.repeat(32), 'xyz', 'a'.repeat(33), '12 34'])(
    'refuses %j',
    id => {
      expect(parseTraceIdParam(id)).toBeUndefined();
      expect(isTraceIdParam(id)).toBe(false);
    },
  );
});
