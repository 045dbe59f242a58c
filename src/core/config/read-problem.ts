/**
 * Why a file could not be read, in words: "file not found (ENOENT)" rather than Node's
 * "ENOENT: no such file or directory, open '…'", which repeats the code and the path that
 * the caller's message names already.
 */
export function readProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'file not found (ENOENT)';
    case 'EISDIR':
      return 'is a directory, not a file (EISDIR)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${e.code})`;
    default: {
      const message = e instanceof Error ? e.message : String(err);
      // Node's messages start with the code: "EIO: i/o error, read".
      return e?.code && !message.startsWith(e.code) ? `cannot read: ${message} (${e.code})` : `cannot read: ${message}`;
    }
  }
}
