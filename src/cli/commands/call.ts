import type { Command } from 'commander';
import { loadConfiguration } from '../../core/configuration/configuration.js';
import { CallDecider } from '../../core/decision/call-decider.js';
import type { Decision } from '../../core/decision/decision.js';
import { parseKeys } from '../../core/flows/key-presses.js';
import { LANGUAGES, type CustomerProfile, type Language } from '../../core/profile/customer-profile.js';
import { loadProfileFile } from '../../core/profile/profile-file.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from '../config-options.js';

interface CallFlags extends ConfigFlags {
  caller?: string;
  keys: string;
  profile?: string;
  lang?: string;
  hangupAfter?: string;
  json?: boolean;
  reference?: boolean;
  callId?: string;
}

/** The call id of `ivr-sim call` without --call-id. */
export const DEFAULT_CALL_ID = 'cli-call';

export function registerCallCommand(program: Command, io: CliIO): void {
  withConfigOptions(
    program
      .command('call')
      .description('run one call through its segment flow and the hand-off rules; print the transcript and the decision')
      .option('--caller <number>', 'caller number, looked up in the customers file')
      .option('--keys <keys>', 'keys pressed, e.g. "2,1" (each as its prompt ends) or "2@3.1,1@2" (seconds after the prompt starts)', '')
      .option('--profile <file>', 'a JSON profile to use instead of the customers file')
      .option('--lang <language>', `prompt language: ${LANGUAGES.join(' or ')} (default: the profile's, else zh-CN)`)
      .option('--hangup-after <sec>', 'the caller hangs up this many seconds into the IVR')
      .option('--call-id <id>', `the call's id; a live call's CallSid reproduces that call's rolling promotions (default ${DEFAULT_CALL_ID})`)
      .option('--reference', 'decide with json-rules-engine and unmemoised XState (slower; the same answer)')
      .option('--json', 'print the decision as JSON'),
  ).action(async (flags: CallFlags) => {
    if (!flags.caller && !flags.profile) throw new UsageError('call needs --caller <number> or --profile <file>');
    if (flags.lang !== undefined && !(LANGUAGES as readonly string[]).includes(flags.lang)) {
      throw new UsageError(`--lang ${flags.lang}: expected ${LANGUAGES.join(' or ')}`);
    }
    let keys;
    try {
      keys = parseKeys(flags.keys);
    } catch (err) {
      throw new UsageError(`--keys: ${(err as Error).message}`);
    }
    const hangup = flags.hangupAfter === undefined ? undefined : Number(flags.hangupAfter);
    if (hangup !== undefined && !(hangup >= 0)) throw new UsageError('--hangup-after must be a number of seconds >= 0');
    if (flags.callId !== undefined && flags.callId.trim() === '') throw new UsageError('--call-id: expected a call id, e.g. the CallSid of a live call');
    const profile: CustomerProfile | undefined = flags.profile ? loadProfileFile(flags.profile) : undefined;

    const decider = new CallDecider(loadConfiguration(configPaths(flags)));
    const input = {
      // The call id picks the rolling promotion, as a live call's CallSid does.
      callId: flags.callId ?? DEFAULT_CALL_ID,
      ...(flags.caller ? { caller: flags.caller } : {}),
      ...(profile ? { profile } : {}),
      keys,
      ...(flags.lang ? { language: flags.lang as Language } : {}),
      ...(hangup !== undefined ? { hangupInIvrSec: hangup } : {}),
      transcript: true,
    };
    const decision = flags.reference ? await decider.decideReference(input) : decider.decide(input);
    io.out(flags.json ? JSON.stringify(decision, null, 2) + '\n' : formatDecision(decision));
  });
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The transcript and the decision as a designer reads them. */
export function formatDecision(d: Decision): string {
  const lines: string[] = [];
  const rule = (r: string | null) => (r ? `rule ${r}` : 'default');
  lines.push(
    `Call from ${d.caller.phone} (${d.caller.known ? 'known customer' : 'not in customers file'}), ${d.caller.language}`,
    `Segment ${d.segment.id} (${rule(d.segment.rule)}, queue priority ${d.segment.priority}) → flow ${d.flow.id}   [config ${d.configVersion}]`,
    '',
  );
  for (const e of d.transcript ?? []) {
    const t = pad(`${e.atSec.toFixed(1)}s`, 8);
    const st = pad(`[${e.kind === 'state' ? e.state : e.state}]`, 26);
    if (e.kind === 'prompt') lines.push(`${t}${st}🔊 ${e.text}  (${e.promptId}, ${e.durationSec}s)`);
    else if (e.kind === 'key') lines.push(`${t}${st}⌨  key ${e.key}${e.bargeIn ? ' (barge-in)' : ''}`);
    else if (e.kind === 'noInput') lines.push(`${t}${st}…  no input`);
    else if (e.kind === 'hangup') lines.push(`${t}${st}✖  caller hung up`);
  }
  const f = d.flow;
  lines.push('');
  const did = [
    f.intents.length ? `intents ${f.intents.join(' → ')}` : 'no task chosen',
    f.hotKey ? `hot key ${f.hotKey}` : '',
    f.escalation ? `escalated after ${f.escalation}` : '',
    f.diagnosis ? `diagnosis ${[f.diagnosis.symptom, f.diagnosis.result, f.diagnosis.steps.length ? `steps ${f.diagnosis.steps.join(', ')}` : ''].filter(Boolean).join(', ')}` : '',
  ].filter(Boolean);
  lines.push(`Outcome  ${f.outcome} after ${f.ivrSec}s in the IVR (${did.join('; ')})`);
  if (d.route) {
    const ov = d.route.overflow.map((o) => `${o.queue} after ${o.afterSec}s`).join(', ');
    lines.push(`Route    queue ${d.route.queue}, priority ${d.route.priority} (${rule(d.route.rule)})${ov ? `; overflow to ${ov}` : ''}`);
  }
  if (d.tags.length) {
    lines.push('Tags');
    for (const t of d.tags) lines.push(`  • ${t.text}  [${t.severity}, rule ${t.rule}]`);
  } else if (d.route) lines.push('Tags     none');
  if (d.sms.length) {
    lines.push('SMS');
    for (const s of d.sms) lines.push(`  ✉ ${s.template} (${s.class}, rule ${s.rule})${Object.keys(s.vars).length ? ' ' + JSON.stringify(s.vars) : ''}`);
  } else lines.push('SMS      none');
  lines.push('', 'Why');
  for (const [set, names] of Object.entries(d.explanation.fired)) lines.push(`  ${pad(set, 9)} fired: ${names.length ? names.join(', ') : '—'}`);
  for (const s of d.explanation.skipped) lines.push(`  ${pad(s.ruleSet, 9)} not fired: ${s.rule} (missing ${s.missingFacts.join(', ')})`);
  for (const n of d.explanation.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}
