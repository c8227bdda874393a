import { describe, expect, it } from 'vitest';
import {
  bigintFromWords,
  formatBinary,
  formatBytes,
  formatCount,
  formatDateDays,
  formatDecimal,
  formatDuration,
  formatFloat,
  formatInteger,
  formatMilliseconds,
  formatNested,
  formatTimeOfDay,
  formatTimestamp,
  zoneOffsetMinutes,
} from './format';

const SECOND = 0;
const MILLI = 1;
const MICRO = 2;
const NANO = 3;

describe('formatTimestamp', () => {
  it('prints UTC with Z and the unit’s digits, like the server’s JSON', () => {
    expect(formatTimestamp(1_705_067_200_000_000n, MICRO, 'UTC')).toBe('2024-01-12 13:46:40.000000Z');
    expect(formatTimestamp(1_705_067_200n, SECOND, 'UTC')).toBe('2024-01-12 13:46:40Z');
    expect(formatTimestamp(1_705_067_200_123n, MILLI, 'Etc/UTC')).toBe('2024-01-12 13:46:40.123Z');
    expect(formatTimestamp(1_705_067_200_123_456_789n, NANO, 'UTC')).toBe('2024-01-12 13:46:40.123456789Z');
  });
  it('keeps microseconds that a double would round away', () => {
    expect(formatTimestamp(1_705_067_200_000_001n, MICRO, 'UTC')).toBe('2024-01-12 13:46:40.000001Z');
    expect(formatTimestamp(9_007_199_254_740_993_001n, NANO, 'UTC')).toBe('2255-06-05 23:47:34.740993001Z');
  });
  it('handles instants before 1970', () => {
    expect(formatTimestamp(-1n, MICRO, 'UTC')).toBe('1969-12-31 23:59:59.999999Z');
    expect(formatTimestamp(-86_400_000_000n, MICRO, 'UTC')).toBe('1969-12-31 00:00:00.000000Z');
  });
  it('prints a timestamp without zone as a wall clock', () => {
    expect(formatTimestamp(0n, MILLI, null)).toBe('1970-01-01 00:00:00.000');
  });
  it('prints other zones with their offset at that instant, across daylight saving', () => {
    // 2024-01-15T12:00:00Z and 2024-07-15T12:00:00Z
    expect(formatTimestamp(1_705_320_000n, SECOND, 'Europe/Berlin')).toBe('2024-01-15 13:00:00+01:00');
    expect(formatTimestamp(1_721_044_800n, SECOND, 'Europe/Berlin')).toBe('2024-07-15 14:00:00+02:00');
    expect(formatTimestamp(1_721_044_800n, SECOND, 'America/New_York')).toBe('2024-07-15 08:00:00-04:00');
    expect(formatTimestamp(1_721_044_800_000n, MILLI, 'Asia/Kolkata')).toBe('2024-07-15 17:30:00.000+05:30');
  });
  it('reads fixed offsets', () => {
    expect(formatTimestamp(0n, SECOND, '+05:45')).toBe('1970-01-01 05:45:00+05:45');
    expect(formatTimestamp(0n, SECOND, '-0330')).toBe('1969-12-31 20:30:00-03:30');
    expect(zoneOffsetMinutes('Nowhere/Special', 0)).toBeNull();
  });
  it('falls back to UTC for a zone the browser does not know', () => {
    expect(formatTimestamp(0n, SECOND, 'Nowhere/Special')).toBe('1970-01-01 00:00:00Z');
  });
  it('prints years beyond 9999 with a sign', () => {
    expect(formatTimestamp(253_402_300_800n, SECOND, 'UTC')).toBe('+010000-01-01 00:00:00Z');
  });
});

describe('dates, times and durations', () => {
  it('prints dates from days', () => {
    expect(formatDateDays(0)).toBe('1970-01-01');
    expect(formatDateDays(19_723)).toBe('2024-01-01');
    expect(formatDateDays(-1)).toBe('1969-12-31');
  });
  it('prints times of day', () => {
    expect(formatTimeOfDay(45_296_000_001n, MICRO)).toBe('12:34:56.000001');
    expect(formatTimeOfDay(86_399n, SECOND)).toBe('23:59:59');
  });
  it('prints durations', () => {
    expect(formatDuration(1_500n, MILLI)).toBe('00:00:01.5');
    expect(formatDuration(90_061n, SECOND)).toBe('1d 01:01:01');
    expect(formatDuration(-2_000_000n, MICRO)).toBe('-00:00:02');
  });
});

describe('decimals', () => {
  it('places the decimal point exactly', () => {
    expect(formatDecimal(12_345n, 2)).toBe('123.45');
    expect(formatDecimal(-5n, 3)).toBe('-0.005');
    expect(formatDecimal(7n, 0)).toBe('7');
    expect(formatDecimal(7n, -2)).toBe('700');
    expect(formatDecimal(-99_999_999_999_999_999_999_999_999_999_999_999_999n, 10)).toBe(
      '-9999999999999999999999999999.9999999999',
    );
  });
  it('reads two’s-complement words', () => {
    expect(bigintFromWords(new Uint32Array([12_345, 0, 0, 0]))).toBe(12_345n);
    expect(bigintFromWords(new Uint32Array([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]))).toBe(-1n);
    expect(bigintFromWords(new Uint32Array([0, 0, 0, 0x80000000]))).toBe(-(2n ** 127n));
    expect(bigintFromWords(new Uint32Array([1, 1]))).toBe(2n ** 32n + 1n);
  });
});

describe('numbers', () => {
  it('prints 64-bit integers exactly', () => {
    expect(formatInteger(9_223_372_036_854_775_807n)).toBe('9223372036854775807');
    expect(formatInteger(-12)).toBe('-12');
  });
  it('prints doubles in their shortest exact form', () => {
    expect(formatFloat(180.605)).toBe('180.605');
    expect(formatFloat(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatFloat(1e21)).toBe('1e+21');
    expect(formatFloat(1.5e-9)).toBe('1.5e-9');
    expect(formatFloat(Number.NaN)).toBe('NaN');
    expect(formatFloat(-Infinity)).toBe('-∞');
    expect(formatFloat(-0)).toBe('-0');
  });
  it('groups counts and sizes', () => {
    expect(formatCount(10_000_000)).toBe('10,000,000');
    expect(formatCount(12_345_678_901_234_567_890n)).toBe('12,345,678,901,234,567,890');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_845_056)).toBe('12.3 MiB');
    expect(formatBytes(536 * 1024 * 1024)).toBe('536 MiB');
    expect(formatMilliseconds(340.4)).toBe('340 ms');
    expect(formatMilliseconds(1234)).toBe('1.23 s');
  });
});

describe('other values', () => {
  it('shows binary as a short hex preview', () => {
    expect(formatBinary(new Uint8Array([0, 1, 171]))).toBe('0x0001ab (3 B)');
    expect(formatBinary(new Uint8Array(20))).toBe('0x000000000000000000000000… (20 B)');
  });
  it('shows nested values as JSON', () => {
    expect(formatNested({ toJSON: () => ({ a: 1n, b: [1, 2] }) })).toBe('{"a":"1","b":[1,2]}');
    expect(formatNested(undefined)).toBe('null');
  });
});
