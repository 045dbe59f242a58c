import { basename, dirname, join, relative } from 'node:path';
import type { SchemaName } from '../config/schema-validator.js';
import type { ConfigPaths } from '../configuration/configuration.js';

/** The rule files the service reads from the rules directory. */
export const RULE_FILE_NAMES = ['segments', 'routing', 'popups', 'sms', 'sms-templates', 'contact-policy'] as const;

/** A file the flow editor may change, by its repository-relative name (`flows/vip-gold.json`). */
export interface EditableFile {
  path: string;
  /** Where it is on disk. */
  file: string;
  kind: 'flow' | 'prompts' | 'rules';
  schema: SchemaName;
}

const FLOW_FILE = /^flows\/([A-Za-z0-9][A-Za-z0-9_-]*)\.json$/;
const RULES_FILE = /^rules\/([A-Za-z0-9][A-Za-z0-9_-]*)\.json$/;

/**
 * The file behind an editable name, or why the name is refused: only segment flows
 * (`flows/*.json`), the prompts (`flows/prompts.json`) and the rule files (`rules/*.json`).
 */
export function editableFile(path: string, paths: Pick<ConfigPaths, 'flowsDir' | 'rulesDir'>): EditableFile | string {
  const flow = FLOW_FILE.exec(path);
  if (flow) {
    const file = join(paths.flowsDir, `${flow[1]}.json`);
    return flow[1] === 'prompts' ? { path, file, kind: 'prompts', schema: 'prompts' } : { path, file, kind: 'flow', schema: 'flow' };
  }
  const rules = RULES_FILE.exec(path);
  if (rules) {
    const name = rules[1]!;
    if (!(RULE_FILE_NAMES as readonly string[]).includes(name)) return `not a rule file the service reads; rule files: ${RULE_FILE_NAMES.map((n) => `rules/${n}.json`).join(', ')}`;
    const schema: SchemaName = name === 'sms-templates' ? 'sms-templates' : name === 'contact-policy' ? 'contact-policy' : 'rules';
    return { path, file: join(paths.rulesDir, `${name}.json`), kind: 'rules', schema };
  }
  return `only flows/<name>.json, flows/prompts.json and rules/<name>.json can be edited`;
}

/**
 * The repository-relative name of a configuration file (`flows/shared/self-diagnosis.json`,
 * `rules/routing.json`), whatever directories FLOWS_DIR and RULES_DIR point at; other files
 * keep their own name.
 */
export function repoPath(file: string, paths: ConfigPaths): string {
  if (file === paths.flowsDir) return 'flows';
  if (file === paths.rulesDir) return 'rules';
  for (const [dir, name] of [[paths.flowsDir, 'flows'], [paths.rulesDir, 'rules']] as const) {
    const rel = relative(dir, file);
    if (rel && !rel.startsWith('..') && !rel.startsWith('/')) return `${name}/${rel.split('\\').join('/')}`;
  }
  if (file === paths.customersFile) return `data/${basename(file)}`;
  return basename(dirname(file)) ? `${basename(dirname(file))}/${basename(file)}` : file;
}
