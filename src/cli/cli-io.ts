/** Where a command writes. The real CLI uses the process streams; tests capture them. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** stderr is an interactive terminal (progress bars only then). */
  readonly interactive: boolean;
}

export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY),
};

/** Collects output in memory, for tests. */
export function bufferIO(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    interactive: false,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}
