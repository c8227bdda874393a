/**
 * JSON text for request bodies. Unlike JSON.stringify it writes bigint values as
 * plain JSON numbers, so int64 filter values beyond 2^53 reach the server exactly.
 */
export function toJsonText(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'bigint') return item;
    marks.push(item.toString());
    return `\u0000bigint:${marks.length - 1}\u0000`;
  });
  if (marks.length === 0) return text;
  return text.replace(/"\\u0000bigint:(\d+)\\u0000"/g, (_match, index: string) => marks[Number(index)] ?? '0');
}
