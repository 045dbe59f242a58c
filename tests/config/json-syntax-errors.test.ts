import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { cli } from '../helpers/cli.js';

let copy: ConfigCopy | undefined;
afterEach(() => copy?.remove());

describe('a JSON syntax error is located as file:line:column', () => {
  it('in a flow file', async () => {
    copy = copyConfig();
    copy.write('flows/campus.json', '{\n  "id": "campus",\n  "initial": "welcome",\n}\n');
    const r = await cli('validate', '--flows', copy.paths.flowsDir, '--rules', copy.paths.rulesDir, '--customers', copy.paths.customersFile);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: ${copy.paths.flowsDir}/campus.json:4:1: not valid JSON: Expected double-quoted property name`);
    expect(r.err).not.toMatch(/position \d+/);
  });

  it('in a rules file and in the customers file', async () => {
    copy = copyConfig();
    copy.write('rules/routing.json', '{\n  "rules": [\n    { "name": "x", }\n  ]\n}\n');
    copy.write('customers.json', '[\n  {"phone": "+8613800000001" "vipLevel": "gold"}\n]\n');
    const r = await cli('validate', '--flows', copy.paths.flowsDir, '--rules', copy.paths.rulesDir, '--customers', copy.paths.customersFile);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: ${copy.paths.rulesDir}/routing.json:3:20: not valid JSON`);
    expect(r.err).toContain(`error: ${copy.paths.customersFile}:2:30: not valid JSON`);
  });

  it('in a staffing file', async () => {
    copy = copyConfig();
    const staffing = join(copy.dir, 'staffing.json');
    writeFileSync(staffing, '{\n  "queues": [,]\n}\n');
    const r = await cli('replay', 'data/traces/golden.jsonl', '--staffing', staffing);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${staffing}:2:14: $: is not valid JSON at line 2, column 14`);
    expect(r.err).not.toMatch(/position \d+/);
  });

  it('a missing configuration file is "file not found", said once', async () => {
    const r = await cli('validate', '--customers', '/nonexistent/customers.json');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: /nonexistent/customers.json: file not found (ENOENT)\n');
    expect(r.err.match(/ENOENT/g)).toHaveLength(1);
    const staffing = await cli('replay', 'data/traces/golden.jsonl', '--staffing', '/nonexistent/staffing.json');
    expect(staffing).toMatchObject({ code: 1, err: 'ivr-sim: staffing file could not be read\n  /nonexistent/staffing.json: $: file not found (ENOENT)\n' });
  });
});
