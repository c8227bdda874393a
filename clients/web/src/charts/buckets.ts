/** Choosing bucket sizes for charts, so a chart has a readable number of bars or points. */

const everySteps: readonly [string, number][] = [
  ['1s', 1],
  ['5s', 5],
  ['15s', 15],
  ['30s', 30],
  ['1m', 60],
  ['5m', 300],
  ['15m', 900],
  ['30m', 1800],
  ['1h', 3600],
  ['3h', 10_800],
  ['6h', 21_600],
  ['12h', 43_200],
  ['1d', 86_400],
  ['1w', 604_800],
  ['4w', 2_419_200],
  ['13w', 7_862_400],
  ['52w', 31_449_600],
];

/** The intervals offered in the time chart's menu. */
export const everyChoices: readonly string[] = everySteps.map(([every]) => every);

/** The smallest interval that cuts a span of seconds into at most maxBuckets buckets. */
export function chooseEvery(spanSeconds: number, maxBuckets = 400): string {
  for (const [every, seconds] of everySteps) {
    if (spanSeconds / seconds <= maxBuckets) return every;
  }
  const longest = everySteps[everySteps.length - 1];
  const weeks = Math.ceil(spanSeconds / maxBuckets / 604_800);
  return longest && weeks <= 52 ? longest[0] : `${weeks}w`;
}

/** Seconds in an interval such as "15m", "1h", "2d" or "1w"; NaN when it is not one. */
export function everySeconds(every: string): number {
  const match = /^(\d+)([smhdw])$/.exec(every.trim());
  if (!match) return Number.NaN;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}

/** A round bin width (1, 2, 2.5 or 5 × 10^k) giving about `bins` bins over [min, max]. */
export function niceWidth(min: number, max: number, bins = 40): number {
  const span = max - min;
  if (!Number.isFinite(span) || span <= 0) return 1;
  const raw = span / bins;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 2.5, 5, 10]) {
    if (raw <= factor * power) return factor * power;
  }
  return 10 * power;
}

/** Where bins start: the multiple of width at or below min. */
export function binOrigin(min: number, width: number): number {
  if (!Number.isFinite(min) || width <= 0) return 0;
  return Math.floor(min / width) * width;
}
