import { formatTraceIssue } from '../core/trace/trace-error.js';
import type { CliIO } from './cli-io.js';

/** The reader's account of lines left out with `--on-error skip`. */
interface Skipped {
  skipped: number;
  skippedLines?: ReadonlyArray<{ line: number; field: string; reason: string; message: string }>;
}

/** Says on stderr which lines `--on-error skip` left out (the first ten), so a tester can fix them. */
export function reportSkippedLines(io: CliIO, trace: string, input: Skipped): void {
  const shown = input.skippedLines ?? [];
  if (input.skipped === 0 || shown.length === 0) return;
  const n = input.skipped;
  let text = `skipped ${n} line${n === 1 ? '' : 's'} of ${trace} (--on-error skip)${n > shown.length ? `; the first ${shown.length}` : ''}:\n`;
  for (const s of shown) text += `  ${formatTraceIssue(trace, s)} [${s.reason}]\n`;
  io.err(text);
}
