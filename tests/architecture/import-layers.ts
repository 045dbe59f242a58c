import { dirname, posix } from 'node:path';

/**
 * The layers of src/, bottom up: the framework-free core; the adapters to the outside (Redis,
 * Twilio, the environment, logging); and the shells a process starts in (the Nest service, the
 * command line, the SMS worker), which share the adapters and never import one another.
 */
export type Layer = 'core' | 'infra' | 'app' | 'cli' | 'worker';

const SHELLS: ReadonlySet<Layer> = new Set(['app', 'cli', 'worker']);

/** Packages that reach the outside or a framework: only infra and the shells use them. */
const OUTSIDE_PACKAGES = ['@nestjs/', 'bullmq', 'twilio', 'ioredis', 'pino'];
/** Nest is the service's framework: the adapters every shell shares stay free of it. */
const FRAMEWORK_PACKAGES = ['@nestjs/'];

/** The layer of a file, by its path under src/ (posix separators); undefined when no layer claims it. */
export function layerOf(srcPath: string): Layer | undefined {
  if (srcPath === 'main.ts') return 'app'; // `npm start`, the service's entry point
  const top = srcPath.split('/')[0];
  return top === 'core' || top === 'infra' || top === 'app' || top === 'cli' || top === 'worker' ? top : undefined;
}

/** The module specifiers a TypeScript file imports or re-exports, static and dynamic. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]!);
  return found;
}

const isPackage = (spec: string, names: readonly string[]) => names.some((n) => (n.endsWith('/') ? spec.startsWith(n) : spec === n || spec.startsWith(`${n}/`)));

/**
 * Every import that breaks the layering, as "file imports 'specifier': why". `files` maps a path
 * under src/ (posix) to its source text.
 */
export function layeringViolations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, source] of files) {
    const from = layerOf(file);
    if (from === undefined) {
      out.push(`src/${file} is in no layer: put it under src/core, src/infra, src/app, src/cli or src/worker`);
      continue;
    }
    for (const spec of importSpecifiers(source)) {
      const why = reason(from, file, spec);
      if (why) out.push(`src/${file} imports '${spec}': ${why}`);
    }
  }
  return out;
}

function reason(from: Layer, file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) {
    if (from === 'core' && isPackage(spec, OUTSIDE_PACKAGES)) return `the core imports no framework or outside-world client (${spec})`;
    if (from === 'infra' && isPackage(spec, FRAMEWORK_PACKAGES)) return 'the shared adapters import no NestJS; Nest glue belongs in src/app';
    return undefined;
  }
  const target = posix.normalize(posix.join(dirname(file), spec));
  if (target.startsWith('..')) return 'reaches outside src/';
  const to = layerOf(target);
  if (file.startsWith('core/errors/')) return 'core/errors (the NamedError base) is below every other layer and imports nothing from src/';
  if (file.startsWith('core/config/') && !target.startsWith('core/config/') && !target.startsWith('core/errors/')) {
    return 'core/config is the bottom layer (reading, locating and validating a document; the issue shape) and imports only core/config';
  }
  if (to === undefined || to === from) return undefined;
  if (from === 'core') return `the core imports nothing above it (this is ${to})`;
  if (from === 'infra' && SHELLS.has(to)) return `the adapters in src/infra import no shell (this is ${to})`;
  if (SHELLS.has(from) && SHELLS.has(to)) return `a shell imports no other shell (${from} → ${to}); share it from src/infra or src/core`;
  return undefined;
}

/** The files that construct an Ajv validator: there is to be one, shared by every document format. */
export function ajvConstructions(files: ReadonlyMap<string, string>): string[] {
  return [...files].filter(([, source]) => /\bnew\s+Ajv\w*\s*\(|\bAjv\w*\s*\(\s*\{/.test(source)).map(([file]) => `src/${file}`);
}
