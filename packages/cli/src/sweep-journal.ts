/**
 * The finished cells of a sweep that has not finished, kept so that an interrupted sweep (Ctrl-C, SIGTERM, a killed
 * job) resumes where it stopped: rerun the same command and only the missing cells are judged. One JSON line per
 * cell, appended as each cell finishes, after a header line naming the sweep (its fingerprint: the file's bytes,
 * seed, axes and tool version) and the shard. A cell's verdict depends only on the seed and its topology, so a
 * resumed sweep writes the same bytes as one that never stopped.
 *
 * The file is input like a shard file: a header of another sweep is refused with the difference named (and
 * `--restart` to discard it), every cell is validated against the grid, and only a last line cut short by the
 * interruption is dropped (that cell is judged again).
 */
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ShardSpec, type SweepCell, type SweepDefinition, shardIssues, sweepDifference } from '@stampede/check';
import { UsageError } from './errors.ts';

export const JOURNAL_FORMAT = 'stampede-sweep-partial';
const JOURNAL_VERSION = 1;

interface JournalHeader {
  format: typeof JOURNAL_FORMAT;
  version: typeof JOURNAL_VERSION;
  sweep: SweepDefinition;
  shard: ShardSpec | null;
}

/** `cells.partial.jsonl`, or `cells.partial-shard-2-of-4.jsonl` for a shard (shards may share a directory). */
export function journalPath(out: string, shard: ShardSpec | undefined): string {
  return join(out, shard === undefined ? 'cells.partial.jsonl' : `cells.partial-shard-${shard.index}-of-${shard.count}.jsonl`);
}

export interface Journal {
  path: string;
  /** cells finished by an earlier, interrupted run of this sweep, in file order */
  resumed: SweepCell[];
  /** appends one finished cell (the header first, on the first cell) */
  add(cell: SweepCell): void;
  /** the sweep finished and its files are written: the journal is no longer needed */
  remove(): void;
}

const RESTART = 'rerun with --restart to discard them and start over, or pass another --out';

/**
 * Opens the journal of `definition` (and `shard`) in `out`: the cells it holds, validated, or none when there is no
 * journal or `restart` discards it. `cellsOfRun` are the indices this run judges: a cell outside them is a damaged file.
 */
export function openJournal(
  out: string,
  definition: SweepDefinition,
  shard: ShardSpec | undefined,
  cellsOfRun: readonly number[],
  restart: boolean,
): Journal {
  const path = journalPath(out, shard);
  if (restart) rmSync(path, { force: true });
  const kept = existsSync(path) ? readJournal(path, definition, shard, cellsOfRun) : undefined;
  // the file from here on: its valid lines only (a line an interruption cut short is dropped, so the next cell
  // does not land after it), or nothing until the first cell, which goes in with the header in one write
  if (kept !== undefined) writeFileSync(path, kept.validText);
  let started = kept !== undefined && kept.validText !== '';
  return {
    path,
    resumed: kept?.cells ?? [],
    add(cell) {
      const line = `${JSON.stringify(cell)}\n`;
      if (started) appendFileSync(path, line);
      else {
        const header: JournalHeader = { format: JOURNAL_FORMAT, version: JOURNAL_VERSION, sweep: definition, shard: shard ?? null };
        appendFileSync(path, `${JSON.stringify(header)}\n${line}`);
        started = true;
      }
    },
    remove() {
      rmSync(path, { force: true });
    },
  };
}

/** The kept cells, validated, and the file's text up to its last complete line (what the journal goes on from). */
function readJournal(
  path: string,
  definition: SweepDefinition,
  shard: ShardSpec | undefined,
  cellsOfRun: readonly number[],
): { cells: SweepCell[]; validText: string } {
  const damaged = (what: string) => new UsageError(`${path} holds the finished cells of an interrupted sweep but ${what}; ${RESTART}`);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // every complete line ends with a newline, so the last element is '' or a line an interruption cut short (that
  // cell is judged again): either way it goes
  lines.pop();
  if (lines.length === 0) return { cells: [], validText: '' };
  const validText = `${lines.join('\n')}\n`;
  let header: unknown;
  try {
    header = JSON.parse(lines[0]!);
  } catch {
    throw damaged('its first line is not JSON');
  }
  const h = header as Partial<JournalHeader> | null;
  if (typeof h !== 'object' || h === null || h.format !== JOURNAL_FORMAT)
    throw damaged(`its first line is not a "${JOURNAL_FORMAT}" header`);
  if (h.version !== JOURNAL_VERSION)
    throw damaged(`it is format version ${String(h.version)}, this stampede reads version ${JOURNAL_VERSION}`);
  const sameShard = (h.shard ?? null) === null ? shard === undefined : h.shard?.index === shard?.index && h.shard?.count === shard?.count;
  // the header's sweep is input too: the same validation as a shard's, before anything reads its axes
  if (shardIssues({ sweep: h.sweep, shard: { index: 1, count: 1 }, cells: [] }).length > 0) throw damaged('its header is damaged');
  if (typeof h.sweep !== 'object' || h.sweep === null || typeof h.sweep.fingerprint !== 'string') throw damaged('its header has no sweep');
  if (h.sweep.fingerprint !== definition.fingerprint || !sameShard) {
    const diff =
      h.sweep.fingerprint !== definition.fingerprint
        ? sweepDifference(definition, h.sweep)
        : `shard ${h.shard === null || h.shard === undefined ? 'none' : `${h.shard.index}/${h.shard.count}`} vs ${shard === undefined ? 'none' : `${shard.index}/${shard.count}`}`;
    throw new UsageError(`${path} holds the finished cells of another sweep (the kept cells vs this command: ${diff}); ${RESTART}`);
  }
  const cells: unknown[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    try {
      cells.push(JSON.parse(line));
    } catch {
      throw damaged(`line ${i + 2} is not JSON`);
    }
  }
  // the cells as a shard would hold them: the same validation as `merge` (coordinates in the grid, every field)
  const issues = shardIssues({ sweep: definition, shard: { index: 1, count: 1 }, cells });
  if (issues.length > 0) throw damaged(`it is damaged (${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''})`);
  const wanted = new Set(cellsOfRun);
  const seen = new Set<number>();
  for (const c of cells as SweepCell[]) {
    if (!wanted.has(c.index)) throw damaged(`it holds cell ${c.index}, which this run does not judge`);
    if (seen.has(c.index)) throw damaged(`it holds cell ${c.index} twice`);
    seen.add(c.index);
  }
  return { cells: cells as SweepCell[], validText };
}
