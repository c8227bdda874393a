/**
 * Text for cell values, exact where JavaScript numbers are not: 64-bit integers,
 * microsecond and nanosecond timestamps, and decimals stay bigint until printed.
 */

/** Arrow's TimeUnit enum order: SECOND, MILLISECOND, MICROSECOND, NANOSECOND. */
export type TimeUnitIndex = 0 | 1 | 2 | 3;

const ticksPerSecond: readonly bigint[] = [1n, 1_000n, 1_000_000n, 1_000_000_000n];
const fractionDigits: readonly number[] = [0, 3, 6, 9];

const groupedCount = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1,234,567 */
export function formatCount(value: number | bigint): string {
  return groupedCount.format(value);
}

/** 12.3 MiB */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit] ?? 'B'}`;
}

/** 1.2 s, 340 ms */
export function formatMilliseconds(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  return `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;
}

export function formatInteger(value: number | bigint): string {
  return typeof value === 'bigint' ? value.toString() : Number.isInteger(value) ? value.toFixed(0) : String(value);
}

/** The shortest text that reads back as the same double; exponents only at the extremes. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (Object.is(value, -0)) return '-0';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e15 || magnitude < 1e-6)) return value.toExponential();
  return String(value);
}

/** A two's-complement integer from little-endian 32-bit words (Arrow's decimal storage). */
export function bigintFromWords(words: Uint32Array): bigint {
  let result = 0n;
  for (let index = words.length - 1; index >= 0; index -= 1) {
    result = (result << 32n) | BigInt(words[index] ?? 0);
  }
  const bits = BigInt(words.length * 32);
  const signBit = 1n << (bits - 1n);
  return result & signBit ? result - (1n << bits) : result;
}

/** 12345n with scale 2 → "123.45"; exact for any precision. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
}

/** Splits a tick count into whole seconds (floored) and the non-negative remainder in ticks. */
function splitTicks(raw: bigint, unit: TimeUnitIndex): [bigint, bigint] {
  const perSecond = ticksPerSecond[unit] ?? 1n;
  let seconds = raw / perSecond;
  let remainder = raw % perSecond;
  if (remainder < 0n) {
    seconds -= 1n;
    remainder += perSecond;
  }
  return [seconds, remainder];
}

function fractionText(remainder: bigint, unit: TimeUnitIndex): string {
  const digits = fractionDigits[unit] ?? 0;
  return digits === 0 ? '' : `.${remainder.toString().padStart(digits, '0')}`;
}

/** YYYY-MM-DD HH:MM:SS of a count of seconds since the epoch, read on a UTC clock. */
function wallClock(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return '(out of range)';
  return (
    `${formatYear(date.getUTCFullYear())}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

function offsetFormat(timeZone: string): Intl.DateTimeFormat | null {
  if (!offsetFormats.has(timeZone)) {
    try {
      offsetFormats.set(timeZone, new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }));
    } catch {
      offsetFormats.set(timeZone, null);
    }
  }
  return offsetFormats.get(timeZone) ?? null;
}

/** The zone's offset from UTC in minutes at an instant; null for an unknown zone. */
export function zoneOffsetMinutes(timeZone: string, epochSeconds: number): number | null {
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  const format = offsetFormat(timeZone);
  if (!format) return null;
  const name =
    format.formatToParts(new Date(epochSeconds * 1000)).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? '0'));
}

function isUtc(timeZone: string): boolean {
  return ['utc', 'etc/utc', 'z', '+00:00', 'gmt', 'etc/gmt'].includes(timeZone.toLowerCase());
}

/**
 * 2024-01-12 13:46:40.000000Z for UTC, 2024-01-12 14:46:40.000000+01:00 in another zone,
 * and no suffix for a timestamp without a zone. Sub-second digits follow the unit.
 */
export function formatTimestamp(raw: bigint, unit: TimeUnitIndex, timeZone: string | null): string {
  const [seconds, remainder] = splitTicks(raw, unit);
  const fraction = fractionText(remainder, unit);
  const epochSeconds = Number(seconds);
  if (timeZone === null || timeZone === '') return `${wallClock(epochSeconds)}${fraction}`;
  if (isUtc(timeZone)) return `${wallClock(epochSeconds)}${fraction}Z`;
  const offset = zoneOffsetMinutes(timeZone, epochSeconds);
  if (offset === null) return `${wallClock(epochSeconds)}${fraction}Z`;
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return `${wallClock(epochSeconds + offset * 60)}${fraction}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

/** Days since the epoch → YYYY-MM-DD. */
export function formatDateDays(days: number): string {
  return wallClock(days * 86_400).slice(0, -9);
}

/** Time of day → HH:MM:SS[.fraction]. */
export function formatTimeOfDay(raw: bigint, unit: TimeUnitIndex): string {
  const [seconds, remainder] = splitTicks(raw, unit);
  const total = Number(seconds);
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}${fractionText(remainder, unit)}`;
}

/** A duration → [-][Nd ]HH:MM:SS[.fraction], fraction trimmed of trailing zeros. */
export function formatDuration(raw: bigint, unit: TimeUnitIndex): string {
  const negative = raw < 0n;
  const [seconds, remainder] = splitTicks(negative ? -raw : raw, unit);
  const total = Number(seconds);
  const days = Math.floor(total / 86_400);
  const clock = `${pad(Math.floor(total / 3600) % 24)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
  const fraction = fractionText(remainder, unit).replace(/\.?0+$/, '');
  return `${negative ? '-' : ''}${days > 0 ? `${days}d ` : ''}${clock}${fraction}`;
}

/** 0x0a1b2c… (20 B) */
export function formatBinary(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 12), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `0x${shown}${bytes.length > 12 ? '…' : ''} (${bytes.length} B)`;
}

/** JSON for nested values, with bigints as digits. */
export function formatNested(value: unknown): string {
  const plain =
    value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function'
      ? (value.toJSON as () => unknown)()
      : value;
  if (plain === undefined) return 'null';
  return JSON.stringify(plain, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
