import { describe, expect, it } from 'vitest';
import { toJsonText } from './json';

describe('toJsonText', () => {
  it('is JSON.stringify without bigints', () => {
    const value = { a: [1, 'x', null, true], b: { c: 'd"e' } };
    expect(toJsonText(value)).toBe(JSON.stringify(value));
  });
  it('writes bigints as exact JSON numbers', () => {
    expect(toJsonText({ values: [-9223372036854775808n, 18446744073709551615n, 1n] })).toBe(
      '{"values":[-9223372036854775808,18446744073709551615,1]}',
    );
  });
  it('leaves strings that look like the marker alone', () => {
    expect(toJsonText({ a: 'bigint:0', b: 2n })).toBe('{"a":"bigint:0","b":2}');
  });
});
