import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locateJsonSyntaxError } from '../../src/core/config/json-syntax.js';
import { agentsAt, daySchedule } from '../../src/core/staffing/shift-schedule.js';
import {
  checkStaffing,
  loadStaffingFile,
  parseStaffing,
  serializeStaffing,
} from '../../src/core/staffing/staffing-file.js';
import { StaffingFileError } from '../../src/core/staffing/staffing-file-error.js';
import { overrideStaffing } from '../../src/core/staffing/staffing-override.js';

const SAMPLE = new URL('../../data/staffing.json', import.meta.url);
const ROUTED_QUEUES = ['vip-diamond', 'vip', 'vip-card', '4g', 'data', 'campus', 'general', 'tech'];

function minimal(): Record<string, unknown> {
  return {
    serviceLevel: { target: 0.8, thresholdSec: 30 },
    queues: [{ id: 'vip' }, { id: 'general' }],
    groups: [{ id: 'floor', skills: { general: 1 }, agents: 5 }],
  };
}

function issuesOf(value: unknown): Array<{ path: string; message: string }> {
  try {
    checkStaffing(value, 'staffing.json');
  } catch (error) {
    expect(error).toBeInstanceOf(StaffingFileError);
    const e = error as StaffingFileError;
    expect(e.code).toBe('STAFFING_INVALID');
    expect(e.exitCode).toBe(1);
    for (const issue of e.issues) expect(issue.file).toBe('staffing.json');
    return e.issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected the staffing file to be refused');
}

describe('the sample staffing file', () => {
  const { staffing, warnings } = parseStaffing(readFileSync(SAMPLE, 'utf8'), 'data/staffing.json');

  it('passes the schema and the cross-checks without warnings', () => {
    expect(warnings).toEqual([]);
  });

  it('staffs every queue the routing rules use', () => {
    expect(staffing.queues.map((q) => q.id).sort()).toEqual([...ROUTED_QUEUES].sort());
    for (const queue of ROUTED_QUEUES) {
      expect(staffing.groups.some((g) => queue in g.skills), queue).toBe(true);
    }
  });

  it('looks like a mid-size hotline: 40 to 60 agents by day, fewer at night', () => {
    const total = (minute: number) =>
      staffing.groups.reduce((sum, g) => sum + agentsAt(daySchedule(g), minute), 0);
    const midday = total(14 * 60);
    expect(midday).toBeGreaterThanOrEqual(40);
    expect(midday).toBeLessThanOrEqual(60);
    expect(total(3 * 60)).toBeLessThan(midday / 3);
  });

  it('lets VIP desks take general calls as overflow, at a lower skill priority than their VIP work', () => {
    const vipDesks = staffing.groups.filter((g) => g.skills.vip === 1 || g.skills['vip-diamond'] === 1);
    expect(vipDesks.length).toBeGreaterThan(0);
    for (const desk of vipDesks) {
      expect(desk.skills.general).toBeGreaterThan(1);
    }
  });

  it('survives a save and load round trip unchanged', () => {
    const again = parseStaffing(serializeStaffing(staffing), 'saved.json').staffing;
    expect(again).toEqual(staffing);
    expect(serializeStaffing(again)).toBe(serializeStaffing(staffing));
  });
});

describe('loading a staffing file', () => {
  it('fills in the default interval and wrap time', () => {
    const { staffing } = checkStaffing(minimal(), 'staffing.json');
    expect(staffing.intervalMin).toBe(30);
    expect(staffing.defaultWrapSec).toBe(0);
  });

  it('reads through the given reader and names the file when it cannot', async () => {
    const loaded = await loadStaffingFile('in-memory.json', async () => JSON.stringify(minimal()));
    expect(loaded.staffing.groups[0]!.id).toBe('floor');
    const failure = loadStaffingFile('missing.json', async () => {
      throw new Error('ENOENT: no such file');
    });
    await expect(failure).rejects.toMatchObject({
      code: 'STAFFING_UNREADABLE',
      issues: [{ file: 'missing.json', path: '$', message: expect.stringContaining('ENOENT') }],
    });
  });

  it('points at the line and column of malformed JSON', () => {
    try {
      parseStaffing('{\n  "queues": [,]\n}', 'broken.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'STAFFING_NOT_JSON' });
      const issue = (error as StaffingFileError).issues[0]!;
      expect(issue.file).toBe('broken.json');
      expect(issue.message).toMatch(/line 2, column 14/);
    }
  });

  it('reports every schema problem at once, each with its JSON path and what was expected', () => {
    const doc = minimal();
    doc.serviceLevel = { target: 1.5 };
    doc.intervalMin = 'half an hour';
    doc.groups = [
      { id: 'floor', skills: { general: 0 }, agents: -2, wrapsec: 10 },
      { id: 'night', skills: { general: 1 }, shifts: [{ from: '8:00', to: '25:00', agents: 2 }] },
      { id: 'both', skills: { general: 1 }, agents: 1, shifts: [{ from: '08:00', to: '09:00', agents: 1 }] },
    ];
    expect(issuesOf(doc)).toEqual(
      expect.arrayContaining([
        { path: '$.serviceLevel.target', message: 'must be <= 1 (got 1.5)' },
        { path: '$.serviceLevel.thresholdSec', message: 'is required' },
        { path: '$.intervalMin', message: 'must be an integer (got "half an hour")' },
        { path: '$.groups[0].skills.general', message: 'must be >= 1 (got 0)' },
        { path: '$.groups[0].agents', message: 'must be >= 0 (got -2)' },
        {
          path: '$.groups[0].wrapsec',
          message: "is not a known property (did you mean 'wrapSec'?); expected one of: id, name, skills, wrapSec, agents, shifts",
        },
        { path: '$.groups[1].shifts[0].from', message: 'must be a time of day as HH:MM, from 00:00 to 23:59 (got "8:00")' },
        { path: '$.groups[1].shifts[0].to', message: 'must be a time of day as HH:MM, from 00:00 to 24:00 (got "25:00")' },
        { path: '$.groups[2]', message: "must set exactly one of 'agents' (the same number all day) or 'shifts'" },
      ]),
    );
  });

  it('refuses skills that name queues the file does not define, suggesting the near miss', () => {
    const doc = minimal();
    doc.queues = [{ id: 'vip-diamond' }, { id: 'vip' }, { id: 'general' }];
    doc.groups = [{ id: 'floor', skills: { general: 1, 'vip-diamnod': 2 }, agents: 5 }];
    expect(issuesOf(doc)).toEqual([
      {
        path: '$.groups[0].skills["vip-diamnod"]',
        message: "names unknown queue 'vip-diamnod' (did you mean 'vip-diamond'?); known queues: vip-diamond, vip, general",
      },
    ]);
  });

  it('refuses overlapping shifts within a group, including ones that run past midnight', () => {
    const doc = minimal();
    doc.groups = [
      {
        id: 'floor',
        skills: { general: 1 },
        shifts: [
          { from: '08:00', to: '16:00', agents: 5 },
          { from: '15:00', to: '20:00', agents: 3 },
          { from: '22:00', to: '09:00', agents: 1 },
        ],
      },
    ];
    expect(issuesOf(doc)).toEqual([
      { path: '$.groups[0].shifts[1]', message: "overlaps shifts[0] (08:00–16:00); a group's shifts must not overlap" },
      { path: '$.groups[0].shifts[2]', message: "overlaps shifts[0] (08:00–16:00); a group's shifts must not overlap" },
    ]);
  });

  it('refuses duplicate ids and an interval that does not divide the day', () => {
    const doc = minimal();
    doc.intervalMin = 7;
    doc.queues = [{ id: 'vip' }, { id: 'vip' }];
    doc.groups = [
      { id: 'floor', skills: { vip: 1 }, agents: 5 },
      { id: 'floor', skills: { vip: 1 }, agents: 5 },
    ];
    expect(issuesOf(doc)).toEqual([
      { path: '$.intervalMin', message: 'must divide the 1440-minute day evenly (got 7)' },
      { path: '$.queues[1].id', message: "duplicates queue id 'vip' of $.queues[0]" },
      { path: '$.groups[1].id', message: "duplicates group id 'floor' of $.groups[0]" },
    ]);
  });

  it('warns about a queue that no agent can ever answer', () => {
    const { warnings } = checkStaffing(minimal(), 'staffing.json');
    expect(warnings).toEqual([
      {
        file: 'staffing.json',
        path: '$.queues[0]',
        message: "no group has a skill for queue 'vip'; its calls are never answered",
        severity: 'warning',
      },
    ]);
  });

  it('puts every problem in the error message, one per line', () => {
    const doc = minimal();
    doc.groups = [{ id: 'floor', skills: { nope: 1 }, agents: -1 }];
    expect(() => checkStaffing(doc, 'staffing.json')).toThrow(
      /staffing file has 1 problem\n {2}staffing\.json: \$\.groups\[0\]\.agents: must be >= 0 \(got -1\)/,
    );
  });
});

describe('shift schedules', () => {
  it('turns shifts into head-count change points, with gaps unstaffed and night shifts wrapping', () => {
    const schedule = daySchedule({
      id: 'floor',
      skills: { general: 1 },
      shifts: [
        { from: '22:00', to: '06:00', agents: 2 },
        { from: '08:00', to: '17:30', agents: 9 },
      ],
    });
    expect(schedule).toEqual([
      { minute: 0, agents: 2 },
      { minute: 360, agents: 0 },
      { minute: 480, agents: 9 },
      { minute: 1050, agents: 0 },
      { minute: 1320, agents: 2 },
    ]);
    expect(agentsAt(schedule, 7 * 60)).toBe(0);
    expect(agentsAt(schedule, 23 * 60)).toBe(2);
  });

  it('treats a single agents number as the same head count all day', () => {
    expect(daySchedule({ id: 'floor', skills: { general: 1 }, agents: 4 })).toEqual([{ minute: 0, agents: 4 }]);
  });
});

describe('the per-queue staffing override', () => {
  const { staffing: base } = parseStaffing(readFileSync(SAMPLE, 'utf8'), 'data/staffing.json');

  it('serves each listed queue with exactly its dedicated agents and leaves the other queues to the file\'s groups', () => {
    const what = overrideStaffing('general=35, vip=8', base);
    expect(what.groups.slice(-2)).toEqual([
      { id: 'general-only', name: '35 dedicated agents for general', skills: { general: 1 }, agents: 35 },
      { id: 'vip-only', name: '8 dedicated agents for vip', skills: { vip: 1 }, agents: 8 },
    ]);
    // Nobody else takes general or vip calls any more …
    for (const group of what.groups.slice(0, -2)) expect(Object.keys(group.skills)).not.toContain('general');
    for (const group of what.groups.slice(0, -2)) expect(Object.keys(group.skills)).not.toContain('vip');
    // … and every other queue keeps the groups, shifts and skill priorities it had.
    const desk = (id: string) => what.groups.find((g) => g.id === id)!;
    const original = (id: string) => base.groups.find((g) => g.id === id)!;
    expect(desk('vip-desk')).toEqual({ ...original('vip-desk'), skills: { 'vip-diamond': 2, 'vip-card': 2 } });
    expect(desk('network-support')).toEqual(original('network-support'));
    expect(desk('general-floor').skills).toEqual({ campus: 2, data: 2, '4g': 2 });
    for (const queue of ['vip-diamond', 'vip-card', '4g', 'data', 'campus', 'tech']) {
      const minute = 10 * 60;
      const before = base.groups.filter((g) => queue in g.skills).reduce((n, g) => n + agentsAt(daySchedule(g), minute), 0);
      const after = what.groups.filter((g) => queue in g.skills).reduce((n, g) => n + agentsAt(daySchedule(g), minute), 0);
      expect(after, queue).toBe(before);
    }
    expect(what.queues).toBe(base.queues);
    expect(what.serviceLevel).toBe(base.serviceLevel);
    expect(checkStaffing(what, 'override').staffing).toEqual(what);
  });

  it('drops a group left with no skill, and names the dedicated group apart from the file\'s own', () => {
    const own = {
      ...base,
      groups: [...base.groups, { id: 'night-tech', skills: { tech: 1 }, agents: 2 }, { id: 'tech-only', skills: { tech: 2, general: 3 }, agents: 1 }],
    };
    const what = overrideStaffing('tech=3', own);
    expect(what.groups.map((g) => g.id)).not.toContain('night-tech');
    expect(what.groups.find((g) => g.id === 'tech-only')).toEqual({ id: 'tech-only', skills: { general: 3 }, agents: 1 });
    expect(what.groups.filter((g) => 'tech' in g.skills)).toEqual([{ id: 'tech-only-2', name: '3 dedicated agents for tech', skills: { tech: 1 }, agents: 3 }]);
    expect(checkStaffing(what, 'override').staffing).toEqual(what);
  });

  it('explains every malformed part of the spec', () => {
    try {
      overrideStaffing('general=35,vipp=8,tech,data=-1,general=2', base);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StaffingFileError);
      const e = error as StaffingFileError;
      expect(e.code).toBe('STAFFING_OVERRIDE_INVALID');
      expect(e.exitCode).toBe(2);
      expect(e.issues.map((i) => `${i.path} ${i.message}`)).toEqual([
        "$[1] names unknown queue 'vipp' (did you mean 'vip'?); known queues: vip-diamond, vip, vip-card, 4g, data, campus, general, tech",
        "$[2] 'tech' is not of the form queue=agents",
        "$[3] agents for 'data' must be a whole number >= 0, got '-1'",
        "$[4] gives queue 'general' a second time",
      ]);
    }
  });

  it('refuses an empty spec', () => {
    expect(() => overrideStaffing('  ', base)).toThrow(/is empty; expected 'queue=agents' pairs/);
  });
});

describe('locating JSON syntax errors', () => {
  it('finds nothing wrong with valid JSON, whatever its shape', () => {
    for (const text of ['{}', '[]', ' 0 ', '-1.5e+3', '"a\\u00e9\\n"', '{"a":[true,false,null,{"b":""}]}']) {
      expect(locateJsonSyntaxError(text), text).toBeUndefined();
    }
  });

  it('points at the first character that cannot continue the document', () => {
    expect(locateJsonSyntaxError('{\n  "a": 1,\n  "b": 2,\n}')).toEqual({ offset: 22, line: 4, column: 1 });
    expect(locateJsonSyntaxError('{"a": 01}')).toEqual({ offset: 7, line: 1, column: 8 });
    expect(locateJsonSyntaxError('{"a": 1')).toEqual({ offset: 7, line: 1, column: 8 });
  });
});
