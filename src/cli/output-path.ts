import { accessSync, constants, mkdirSync, realpathSync, renameSync, rmSync, statfsSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { UsageError } from './cli-error.js';
import type { CliIO } from './cli-io.js';
import { NamedError } from '../core/errors/named-error.js';

/** What an `--out` names: a file to write, or a directory to write files into. */
export type OutputKind = 'file' | 'dir';

/**
 * Kernel file systems that look like directories but hold no files of ours: writing there
 * fails (or, for /proc, can spin), so a path on one is refused before the run.
 */
const SPECIAL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
]);
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Checks before a command runs that its output can be written where `--out` says, so a long
 * run is not lost at the end: the path is not on /proc, /sys or /dev or another special file,
 * is not a file where a directory is needed (or the other way round), and it or the nearest
 * directory it would be created in is writable. Returns the absolute path.
 */
export function checkOutputPath(flag: string, path: string, kind: OutputKind): string {
  const target = resolve(path);
  const refuse = (why: string): never => {
    throw new UsageError(`${flag} ${path}: ${why}; nothing was run`);
  };
  let existing = target;
  let stats = statOrUndefined(existing);
  while (!stats) {
    const up = dirname(existing);
    if (up === existing) refuse('no part of the path exists');
    existing = up;
    stats = statOrUndefined(existing);
  }
  const real = realpathSync(existing);
  const root = SPECIAL_ROOTS.find((r) => real === r || real.startsWith(r + sep));
  const fsType = specialFileSystem(real);
  if (root || fsType) refuse(`${real} is on ${fsType ? `the ${fsType} file system` : root}, which holds no ordinary files; write to a regular directory`);

  const what = kind === 'dir' ? 'a directory to write into' : 'a file to write';
  if (existing === target) {
    if (kind === 'dir' && !stats.isDirectory()) refuse(`is ${describe(stats)}; ${flag} takes ${what}`);
    if (kind === 'file' && !stats.isFile()) refuse(`is ${describe(stats)}; ${flag} takes ${what}`);
    if (!writable(target)) refuse(`is not writable`);
    // A file is replaced through a temporary file next to it.
    if (kind === 'file' && !writable(dirname(target))) refuse(`its directory ${dirname(target)} is not writable`);
    return target;
  }
  if (!stats.isDirectory()) refuse(`${existing} is ${describe(stats)}, so ${target} cannot be created there`);
  if (!writable(existing)) refuse(`${existing} is not writable, so ${target} cannot be created there`);
  return target;
}

/** The results of a command could not be written where asked; they went to standard output instead. */
export class OutputWriteError extends NamedError {
  readonly code = 'OUTPUT_WRITE_FAILED';
  override readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'OutputWriteError';
  }
}

/**
 * Writes the files of a finished run, each whole or not at all (creating their directory).
 * A write that fails even so does not lose the results: `fallback` is printed to standard
 * output, then an OutputWriteError says what failed.
 */
export function writeOutputs(io: CliIO, files: ReadonlyArray<{ file: string; text: string }>, fallback: string | undefined): void {
  for (const { file, text } of files) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, text);
    } catch (err) {
      if (fallback !== undefined) io.out(fallback);
      const e = err as NodeJS.ErrnoException;
      throw new OutputWriteError(
        `could not write ${file}: ${e.code ? `${e.code} ` : ''}${e.message.replace(/^[A-Z]+: /, '')}; ` +
          (fallback !== undefined ? 'the results were printed to standard output instead' : 'the results were printed to standard output above'),
      );
    }
  }
}

/** Writes a file so that a reader never sees it half-written, and leaves nothing behind when it cannot. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The write's own error is the one to report.
    }
    throw err;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function specialFileSystem(path: string): string | undefined {
  try {
    return SPECIAL_FILE_SYSTEMS.get(Number(statfsSync(path).type));
  } catch {
    return undefined;
  }
}

function describe(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFile()) return 'a file';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}
