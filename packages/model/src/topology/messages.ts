/**
 * How validation messages read: the value found (`showValue`), what was expected (`expected`), accepted values
 * listed (`listOr`), and the known word an unknown one was probably meant to be (`didYouMean`).
 */

/** Words longer than this are not compared with the known ones (the edit distance is quadratic in the length). */
const MAX_GUESS_LENGTH = 100;

/** A key as messages and paths show it: at most 60 characters, so a huge key cannot make a huge message. */
export function shortKey(key: string): string {
  return key.length > 60 ? `${key.slice(0, 57)}...` : key;
}

/** How a message shows the value it found: strings quoted (so `"5 m"` shows its space), containers by kind. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

export function expected(what: string, v: unknown): string {
  return `expected ${what}, got ${showValue(v)}`;
}

export const quote = (s: string): string => JSON.stringify(s);

/** `a, b or c`: how messages list the accepted values. */
export function listOr(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/**
 * The known word `word` was probably meant to be: equal ignoring case, `-`, `_` and a unit suffix (a Kubernetes user
 * writes `terminationGracePeriodSeconds`, a reader of params.ts `socketOpenTimeoutMs`), or within a small edit
 * distance (`maxConection`).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > MAX_GUESS_LENGTH) return undefined; // no key is this long: nothing to guess, and no quadratic work
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const w = norm(word);
  const exact = candidates.find((c) => norm(c) === w);
  if (exact !== undefined) return exact;
  const stripped = w.replace(/(milliseconds|millis|seconds|secs|sec|ms)$/, '');
  const unitless = candidates.find((c) => norm(c) === stripped);
  if (unitless !== undefined) return unitless;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(w, norm(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 4)) ? best : undefined;
}

/**
 * Edit distance counting a swap of two neighbours as one edit (`lable` → `label`): optimal string alignment, on three
 * rolling rows (a file may have thousands of unknown keys, each compared with every known one).
 */
function editDistance(a: string, b: string): number {
  let prev2 = new Int32Array(b.length + 1);
  let prev = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, prev2[j - 2]! + 1);
    }
    [prev2, prev, row] = [prev, row, prev2];
  }
  return prev[b.length]!;
}

export function unknownKeyMessage(key: string, known: readonly string[], withGuess = true): string {
  const guess = withGuess ? didYouMean(key, known) : undefined;
  return guess !== undefined
    ? `unknown key ${quote(shortKey(key))} (did you mean ${quote(guess)}?)`
    : `unknown key ${quote(shortKey(key))}: expected one of ${known.join(', ')}`;
}
