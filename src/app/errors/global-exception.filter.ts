import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { LiveCallCoordinator } from '../../core/telephony/live-call-coordinator.js';
import { requestPath, type HttpReply, type HttpRequest } from '../http-types.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { latencyMs } from '../logging/request-timing.js';
import { TwimlRenderer } from '../telephony/twiml-renderer.js';
import { LIVE_CALLS, LOGGER } from '../tokens.js';

/** HTTP status of each named error a request can cause. Anything else in a voice webhook still gets TwiML. */
const STATUS_BY_CODE: Record<string, number> = {
  TWILIO_SIGNATURE_MISSING: 400,
  TWILIO_SIGNATURE_INVALID: 403,
  TWILIO_ACCOUNT_MISMATCH: 403,
  CALL_SID_MISSING: 400,
  WEBHOOK_PARAM_INVALID: 400,
  AGENT_REQUEST_INVALID: 400,
  DESIGNER_REQUEST_INVALID: 400,
  DESIGNER_FLOW_NOT_FOUND: 404,
  DESIGNER_WALK_FAILED: 422,
  DESIGNER_DRAFT_INVALID: 422,
  DESIGNER_VERSION_CONFLICT: 409,
  DESIGNER_VERSION_NOT_FOUND: 404,
  DESIGNER_COMPARE_BUSY: 429,
  INTERNAL_TOKEN_MISSING: 401,
  INTERNAL_TOKEN_INVALID: 401,
};

const JSON_TYPE = 'application/json; charset=utf-8';

/** Said when even the fault turn cannot be built: a caller never hears dead air. */
const LAST_RESORT_TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="cmn-CN" voice="Polly.Zhiyu">抱歉，系统暂时出现故障，正在为您转接人工服务，请稍候。</Say><Enqueue>general</Enqueue></Response>';

/**
 * The one place errors become HTTP responses. Requests that cannot be Twilio's (unsigned, badly
 * signed, without CallSid) get 400/403; a failure while answering a real call gets an apology and
 * the default queue as TwiML with status 200, so Twilio plays it instead of its error message.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(LIVE_CALLS) private readonly calls: LiveCallCoordinator,
    @Inject(TwimlRenderer) private readonly twiml: TwimlRenderer,
  ) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<HttpRequest>();
    const res = http.getResponse<HttpReply>();
    if (res.sent || res.raw.headersSent) return;
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
    // A 404 repeats the URL, which may carry the internal token (?token=…): never log or echo it.
    const message = (err instanceof Error ? err.message : String(err)).replace(/([?&]token=)[A-Za-z0-9._~%+-]+/gi, '$1***');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const callSid = typeof body['CallSid'] === 'string' ? body['CallSid'] : undefined;
    const path = requestPath(req);
    const base = { webhook: path, method: req.method, ...(callSid ? { callSid } : {}), latencyMs: latencyMs(req) };

    const known = code !== undefined ? STATUS_BY_CODE[code] : undefined;
    if (known !== undefined) {
      this.log.warn({ ...base, code, status: known }, message);
      // Errors that say more (a draft's issues, the version being served) carry their own fields.
      const fields = typeof (err as { responseFields?: unknown }).responseFields === 'function' ? (err as { responseFields(): Record<string, unknown> }).responseFields() : {};
      res.code(known).type(JSON_TYPE).send(JSON.stringify({ error: code, message, ...fields }));
      return;
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      this.log.warn({ ...base, status }, message);
      res.code(status).type(JSON_TYPE).send(JSON.stringify({ error: `HTTP_${status}`, message }));
      return;
    }
    if (path.startsWith('/voice/')) {
      this.log.error({ ...base, code: code ?? 'INTERNAL_ERROR', status: 200, err: message, stack: err instanceof Error ? err.stack : undefined }, 'webhook failed; the caller hears an apology and is queued');
      res.code(200).type('text/xml; charset=utf-8').send(this.faultTwiml(callSid ?? '', code ?? 'INTERNAL_ERROR'));
      return;
    }
    this.log.error({ ...base, status: 500, err: message, stack: err instanceof Error ? err.stack : undefined }, 'request failed');
    res.code(500).type(JSON_TYPE).send(JSON.stringify({ error: code ?? 'INTERNAL_ERROR', message: 'internal error' }));
  }

  private faultTwiml(callSid: string, code: string): string {
    try {
      return this.twiml.turn(this.calls.faultTurnFor(callSid, code));
    } catch {
      return LAST_RESORT_TWIML;
    }
  }
}
