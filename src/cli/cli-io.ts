/** Where a command writes. The real CLI uses the process streams; tests capture them. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** stderr is an interactive terminal (progress bars only then). */
  readonly interactive: boolean;
}

// A reader that stops early (`ivr-sim … | head`) closes the pipe: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

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
