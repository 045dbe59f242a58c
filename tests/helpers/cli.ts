import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';

/** Runs `ivr-sim` in-process with the given arguments: its exit code and what it printed. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}
