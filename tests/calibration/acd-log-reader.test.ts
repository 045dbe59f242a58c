import { afterAll, describe, expect, it } from 'vitest';
import { AcdLogError, type AcdIssueReason } from '../../src/core/calibration/acd-log.js';
import { readAcdLog } from '../../src/core/calibration/acd-log-reader.js';
import { parseColumnMapping } from '../../src/core/calibration/column-mapping.js';
import { parseTimeZone } from '../../src/core/calibration/time-zone.js';
import { scratch } from '../helpers/trace-files.js';

const tmp = scratch();
afterAll(() => tmp.remove());

const HEAD = 'callId,customerId,queue,arrivalTime,waitSec,outcome,talkSec,agentId';
const GOOD = [
  'c1,k1,general,2026-03-02T09:00:00+08:00,0,answered,200,a1',
  'c2,,general,2026-03-02T09:00:10+08:00,35.5,abandoned,,',
  'c3,0,billing,2026-03-02T09:01:00+08:00,12,ANSWERED,180,a2',
];

/** The reason a log with `bad` as its fourth row is refused for, and where. */
function refusal(bad: string, name: string): AcdLogError {
  const file = tmp.file(name, [HEAD, ...GOOD, bad, 'c9,k9,general,2026-03-02T09:30:00+08:00,3,answered,60,a1']);
  try {
    readAcdLog(file, { name });
  } catch (err) {
    return err as AcdLogError;
  }
  throw new Error('the log was read');
}

describe('reading an ACD log', () => {
  it('reads answered and abandoned calls with their local date, unknown customers (empty or 0) left unknown', () => {
    const { calls, stats } = readAcdLog(tmp.file('good.csv', [HEAD, ...GOOD]));
    expect(calls.map((c) => [c.callId, c.outcome, c.queue, c.waitSec, c.talkSec, c.agentId, c.customerId, c.date, c.offsetMin])).toEqual([
      ['c1', 'answered', 'general', 0, 200, 'a1', 'k1', '2026-03-02', 480],
      ['c2', 'abandoned', 'general', 35.5, 0, undefined, undefined, '2026-03-02', 480],
      ['c3', 'answered', 'billing', 12, 180, 'a2', undefined, '2026-03-02', 480],
    ]);
    expect(stats).toMatchObject({ rows: 3, calls: 3, otherDays: 0 });
  });

  it('reads JSON Lines with the same names', () => {
    const file = tmp.file('good.jsonl', [
      { callId: 'j1', queue: 'general', arrivalTime: '2026-03-02T09:00:00Z', waitSec: 4, outcome: 'answered', talkSec: 100, agentId: 7 },
      { callId: 'j2', arrivalTime: '2026-03-02T09:00:05Z', waitSec: 40, outcome: 'abandoned' },
    ]);
    const { calls } = readAcdLog(file);
    expect(calls.map((c) => [c.callId, c.queue, c.agentId])).toEqual([
      ['j1', 'general', '7'],
      ['j2', 'main', undefined],
    ]);
  });

  it('maps an export\'s column names and joins a date and a clock column, in the given time zone', () => {
    const file = tmp.file('export.csv', ['call_id;date;q_start;q_wait;result;talk;agent;skill', 'x1;2026-03-02;09:15:00;5;answered;120;a1;sales', 'x2;2026-03-02;23:59:59;2;answered;60;a1;sales']);
    const columns = parseColumnMapping('callId=call_id,arrivalTime=date+q_start,waitSec=q_wait,outcome=result,talkSec=talk,agentId=agent,queue=skill');
    const { calls } = readAcdLog(file, { columns, timeZone: parseTimeZone('Asia/Shanghai')! });
    expect(calls.map((c) => [c.callId, new Date(c.epochMs).toISOString(), c.offsetMin, c.date, c.queue])).toEqual([
      ['x1', '2026-03-02T01:15:00.000Z', 480, '2026-03-02', 'sales'],
      ['x2', '2026-03-02T15:59:59.000Z', 480, '2026-03-02', 'sales'],
    ]);
  });

  it('turns queue names an id cannot hold into ids, keeping the names', () => {
    const file = tmp.file('names.csv', [HEAD, 'c1,,Sales Line 2,2026-03-02T09:00:00+08:00,0,answered,200,a1', 'c2,,_vip,2026-03-02T09:00:01+08:00,0,answered,200,a1']);
    const { calls, stats } = readAcdLog(file);
    expect(calls.map((c) => c.queue)).toEqual(['Sales_Line_2', 'q_vip']);
    expect(stats.queueNames).toEqual({ Sales_Line_2: 'Sales Line 2', q_vip: '_vip' });
  });

  it('follows daylight-saving time in an IANA zone', () => {
    const file = tmp.file('berlin.csv', [HEAD, 'w1,,general,2026-03-28 09:00:00,0,answered,10,a1', 's1,,general,2026-03-30 09:00:00,0,answered,10,a1']);
    const { calls } = readAcdLog(file, { timeZone: parseTimeZone('Europe/Berlin')! });
    expect(calls.map((c) => [new Date(c.epochMs).toISOString(), c.offsetMin, c.date])).toEqual([
      ['2026-03-28T08:00:00.000Z', 60, '2026-03-28'],
      ['2026-03-30T07:00:00.000Z', 120, '2026-03-30'],
    ]);
  });

  it('takes one day with --day and counts the rows of the others', () => {
    const file = tmp.file('two-days.csv', [HEAD, ...GOOD, 'c4,k4,general,2026-03-03T09:00:00+08:00,0,answered,90,a1']);
    const { calls, stats } = readAcdLog(file, { day: '2026-03-03' });
    expect(calls.map((c) => c.callId)).toEqual(['c4']);
    expect(stats.otherDays).toBe(3);
  });

  it('names a header without a needed column and how to map it', () => {
    const file = tmp.file('header.csv', ['id,arrivalTime,waitSec,outcome', 'c1,2026-03-02T09:00:00Z,0,answered']);
    expect(() => readAcdLog(file, { name: 'header.csv' })).toThrow(/header\.csv: the header has no column callId.*--columns/);
  });

  it('refuses a bad --columns with what is wrong', () => {
    expect(() => parseColumnMapping('calId=call_id')).toThrow(/"calId" is not a field/);
    expect(() => parseColumnMapping('queue=a+b')).toThrow(/only arrivalTime may join/);
  });
});

describe('bad rows: each reason counted with its first line numbers; fail by default, skip on request', () => {
  const cases: [AcdIssueReason, string, RegExp][] = [
    ['negativeWait', 'b1,k2,general,2026-03-02T09:02:00+08:00,-3,answered,100,a1', /bad\.csv:5 at \/waitSec: waitSec is -3/],
    ['talkOnAbandoned', 'b1,k2,general,2026-03-02T09:02:00+08:00,30,abandoned,100,', /bad\.csv:5 at \/talkSec: an abandoned call has talkSec 100/],
    ['outOfOrder', 'b1,k2,general,2026-03-02T08:59:00+08:00,3,answered,100,a1', /bad\.csv:5 at \/arrivalTime: arrives at 2026-03-02T08:59:00\+08:00, before the call on line 4/],
    ['unparseableDate', 'b1,k2,general,02/03/2026 09:02,3,answered,100,a1', /bad\.csv:5 at \/arrivalTime: "02\/03\/2026 09:02" is not an ISO-8601 date-time/],
    ['duplicateCallId', 'c1,k2,general,2026-03-02T09:02:00+08:00,3,answered,100,a1', /bad\.csv:5 at \/callId: callId "c1" is already used on line 2/],
    ['invalid', 'b1,k2,general,2026-03-02T09:02:00+08:00,3,answered,,a1', /bad\.csv:5 at \/talkSec: is required on an answered call/],
    ['syntax', 'b1,k2,general,2026-03-02T09:02:00+08:00,3', /bad\.csv:5: the row does not have the header's 8 cells/],
  ];
  for (const [reason, row, message] of cases) {
    it(`${reason}: the read fails naming the file, line and field, with the count per reason`, () => {
      const err = refusal(row, 'bad.csv');
      expect(err).toBeInstanceOf(AcdLogError);
      expect(err.code).toBe('ACD_LOG_INVALID');
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`  ${reason}: 1 row (line 5)`);
      expect(err.issues.map((i) => [i.line, i.reason])).toEqual([[5, reason]]);
    });

    it(`${reason}: --on-error skip leaves the row out and counts it`, () => {
      const file = tmp.file(`skip-${reason}.csv`, [HEAD, ...GOOD, row, 'c9,k9,general,2026-03-02T09:30:00+08:00,3,answered,60,a1']);
      const { calls, stats } = readAcdLog(file, { onError: 'skip' });
      expect(calls.map((c) => c.callId)).toEqual(['c1', 'c2', 'c3', 'c9']);
      expect(stats.leftOut[reason]).toEqual({ count: 1, firstLines: [5] });
    });
  }

  it('outOfOrder: --sort reads the rows in arrival order instead', () => {
    const file = tmp.file('unsorted.csv', [HEAD, GOOD[2]!, GOOD[0]!, GOOD[1]!]);
    expect(readAcdLog(file, { sort: true }).calls.map((c) => c.callId)).toEqual(['c1', 'c2', 'c3']);
  });

  it('unknownOutcome: other outcome values are left out and counted by value even in fail mode', () => {
    const file = tmp.file('outcomes.csv', [HEAD, ...GOOD, 'o1,,general,2026-03-02T09:05:00+08:00,3,transferred,,', 'o2,,general,2026-03-02T09:06:00+08:00,3,Overflow,,', 'o3,,general,2026-03-02T09:07:00+08:00,3,transferred,,']);
    const { calls, stats } = readAcdLog(file);
    expect(calls).toHaveLength(3);
    expect(stats.leftOut.unknownOutcome).toEqual({ count: 3, firstLines: [5, 6, 7] });
    expect(stats.unknownOutcomes).toEqual({ transferred: 2, overflow: 1 });
  });

  it('lists every reason at once, each with its first five lines', () => {
    const rows = [HEAD, ...GOOD];
    for (let i = 0; i < 7; i++) rows.push(`n${i},,general,2026-03-02T09:1${i}:00+08:00,-1,answered,10,a1`);
    rows.push('d1,,general,not-a-date,1,answered,10,a1');
    const file = tmp.file('many.csv', rows);
    const err = (() => {
      try {
        readAcdLog(file, { name: 'many.csv' });
      } catch (e) {
        return e as AcdLogError;
      }
      throw new Error('read');
    })();
    expect(err.message).toContain('  negativeWait: 7 rows (lines 5, 6, 7, 8, 9, …)');
    expect(err.message).toContain('  unparseableDate: 1 row (line 12)');
  });

  it('a time without an offset needs --timezone, and says so', () => {
    const file = tmp.file('local.csv', [HEAD, 'c1,,general,2026-03-02 09:00:00,0,answered,10,a1']);
    expect(() => readAcdLog(file, { name: 'local.csv' })).toThrow(/local\.csv:2 at \/arrivalTime: "2026-03-02 09:00:00" has no UTC offset; give the log's time zone with --timezone/);
    expect(readAcdLog(file, { timeZone: parseTimeZone('+08:00')! }).calls[0]!.epochMs).toBe(Date.parse('2026-03-02T01:00:00Z'));
  });
});
