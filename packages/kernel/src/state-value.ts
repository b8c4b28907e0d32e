/**
 * A state value as one stable string, the form the trace hash folds and logs
 * print: "a", "a.b", and "p.(x.y|z)" for parallel regions. A machine without
 * child states (xstate's value `{}`) reads "()".
 */
export function stateValueString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  const keys = Object.keys(value).sort();
  const parts = keys.map((k) => {
    const sub = (value as Record<string, unknown>)[k];
    if (sub && typeof sub === 'object' && Object.keys(sub).length === 0) return k;
    return `${k}.${stateValueString(sub)}`;
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join('|')})`;
}
