/**
 * Escaping for the HTML reports. Every string that comes from a user or a
 * topology file (names, descriptions, labels, paths, log lines) goes through
 * `escapeHtml` before it reaches the page; data for the charts travels as
 * JSON inside a `<script type="application/json">`, where `jsonForScript`
 * makes sure no value can close the script element.
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * JSON safe inside `<script type="application/json">`: `<` (so `</script>` or
 * `<!--` in a label cannot end or change the element), `>` and `&` become
 * \u escapes, which JSON.parse reads back as the same characters; U+2028 and
 * U+2029 likewise, for older parsers that treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Tagged template that escapes every interpolated value, except those already
 * made safe with `raw`: html`<td>${name}</td>` can never inject markup.
 * Arrays are joined (each element escaped unless it is raw).
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += toHtml(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup that is already safe (built by `html` or from constants). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Marks constant markup as safe. Never pass user text here. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function toHtml(v: unknown): string {
  if (v instanceof SafeHtml) return v.text;
  if (Array.isArray(v)) return v.map(toHtml).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(String(v));
}
