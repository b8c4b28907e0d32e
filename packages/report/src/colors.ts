/**
 * Terminal colours: on when picocolors detects support (a terminal, or
 * FORCE_COLOR; off with NO_COLOR), and plain text everywhere else.
 */
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export const plain: Colors = pc.createColors(false);

/** Colours for output written to `stream`. */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  return pc.createColors(pc.isColorSupported && (stream.isTTY === true || 'FORCE_COLOR' in process.env));
}
