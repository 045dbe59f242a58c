import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../../core/time/clock.js';
import type { LiveCallCoordinator } from '../../core/telephony/live-call-coordinator.js';
import { CallNotRecordedError, CallStateUnavailableError, CallStateUnreadableError } from '../../core/telephony/live-call-errors.js';
import type { TraceLine } from '../../core/trace/trace-line.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { OUTAGE_SPOOL } from '../spool/spool.module.js';
import { PermanentSpoolError, type OutageSpool } from '../spool/outage-spool.js';
import type { StatusReport } from '../telephony/webhook-params.js';
import { CLOCK, LIVE_CALLS, LOGGER } from '../tokens.js';

const CALL_REPORT = 'call-report';
const TRACE_LINE = 'trace-line';

/** A status callback as spooled: what Twilio said, and when it said it (the hang-up time of a call still in the IVR). */
type SpooledReport = StatusReport & { atMs: number };

export type Recording =
  /** The line is in the stream now. */
  | { kind: 'recorded'; line: TraceLine }
  /** Nothing to record: a call this service never saw (or whose state expired), or one recorded before. */
  | { kind: 'nothing' }
  /** Redis could not take it: kept in the spool (on disk), recorded once Redis is back. */
  | { kind: 'spooled'; seq: number; fault: string };

/**
 * Records finished calls. While Redis is unreachable a status callback is spooled (the report
 * when the call's state cannot be read, the line when only the stream cannot take it) and
 * recorded once Redis is back; Twilio does not retry status callbacks, so it is answered 200 as
 * usual. Recording is once per CallSid however often the report or line is applied.
 */
@Injectable()
export class CallRecorder {
  constructor(
    @Inject(LIVE_CALLS) private readonly calls: LiveCallCoordinator,
    @Inject(OUTAGE_SPOOL) private readonly spool: OutageSpool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {
    spool.register(CALL_REPORT, (data) => this.applyReport(data));
    spool.register(TRACE_LINE, (data) => this.applyLine(data));
  }

  async finished(report: StatusReport): Promise<Recording> {
    const spooled: SpooledReport = { ...report, atMs: this.clock.now() };
    // Behind items already waiting, so that their calls are recorded first.
    if (!this.spool.isEmpty) return this.keep(CALL_REPORT, spooled, 'SPOOL_NOT_EMPTY');
    try {
      const line = await this.calls.completed(spooled);
      return line ? { kind: 'recorded', line } : { kind: 'nothing' };
    } catch (err) {
      if (err instanceof CallNotRecordedError) return this.keep(TRACE_LINE, err.line, err.code);
      if (err instanceof CallStateUnavailableError) return this.keep(CALL_REPORT, spooled, err.code);
      throw err;
    }
  }

  private async keep(kind: string, data: SpooledReport | TraceLine, fault: string): Promise<Recording> {
    const seq = await this.spool.add(kind, data);
    const callSid = kind === CALL_REPORT ? (data as SpooledReport).callSid : (data as TraceLine).callId;
    this.log.warn({ callSid, code: fault, spooled: seq }, 'call spooled: recorded when Redis takes it');
    return { kind: 'spooled', seq, fault };
  }

  private async applyReport(data: unknown): Promise<void> {
    const r = data as Partial<SpooledReport> | null;
    if (typeof r?.callSid !== 'string' || typeof r.callStatus !== 'string') throw new PermanentSpoolError('a spooled call report without CallSid or CallStatus');
    try {
      await this.calls.completed({ callSid: r.callSid, callStatus: r.callStatus, callDurationSec: r.callDurationSec ?? null, queueTimeSec: r.queueTimeSec ?? null, atMs: r.atMs ?? this.clock.now() });
    } catch (err) {
      if (err instanceof CallStateUnreadableError) throw new PermanentSpoolError(err.message, { cause: err });
      throw err;
    }
  }

  private async applyLine(data: unknown): Promise<void> {
    const line = data as Partial<TraceLine> | null;
    if (typeof line?.callId !== 'string') throw new PermanentSpoolError('a spooled trace line without callId');
    await this.calls.record(line as TraceLine);
  }
}
