/**
 * Text from a topology or a shard file (names, labels, log lines that quote
 * them) on its way to the terminal: a label could otherwise carry escape
 * sequences that move the cursor, erase lines or recolour the summary (a fake
 * `recovered yes`). C0 and C1 control characters (ESC among them, so no
 * escape sequence survives), DEL, and the Unicode line separators and
 * bidirectional overrides are shown as visible escapes, `\x1b`, `\n`,
 * `\u202e`, so the text stays readable and honest. JSON output keeps the
 * original strings: JSON escapes them already.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as a visible escape (see above); printable text is unchanged. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Whether `text` has a character `safeText` would escape. */
export function hasUnsafeText(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}
