import { expect } from 'vitest';
import { waitOf } from '../telephony/live-driver.js';
import type { KeyPress } from '../../src/core/flows/key-presses.js';
import { pathOf, twilioPost, type FormParams } from '../helpers/twilio.js';
import { find, parseXml, type XmlElement } from '../helpers/xml.js';
import type { Harness } from './harness.js';

export interface DrivenCall {
  callSid: string;
  /** Every TwiML document the service answered with, parsed. */
  responses: XmlElement[];
  /** The last one: what the caller hears as the IVR lets go (Enqueue or Hangup). */
  last: XmlElement;
}

export interface DriveOptions {
  /** How a silent window reaches the service: Gather's empty-result action, or the Redirect after it. */
  noInputVia?: 'action' | 'redirect';
  from?: string;
}

/**
 * Plays Twilio and a caller against the service: posts the incoming call, then follows each
 * <Gather>. Keys are pressed like a trace's keys (`afterSec` after the waiting prompts start; as
 * they end when absent); a key that would come after the window is not pressed there, and the
 * window runs out instead. The manual clock is moved to the moment of each press.
 */
export async function driveCall(h: Harness, callSid: string, caller: string, keys: readonly KeyPress[], opts: DriveOptions = {}): Promise<DrivenCall> {
  const base: FormParams = { CallSid: callSid, AccountSid: h.env.twilio.accountSid, From: opts.from ?? caller, To: '+861008600', CallStatus: 'in-progress', Direction: 'inbound' };
  const responses: XmlElement[] = [];
  let res = await twilioPost(h.server, '/voice/incoming', base).expect(200);
  responses.push(parseXml(res.text));
  let k = 0;
  for (let guard = 0; guard < 100; guard++) {
    const doc = responses.at(-1)!;
    const gather = find(doc, 'Gather');
    if (!gather) break;
    const wait = waitOf((await h.store.get(callSid))!.value);
    const windowSec = wait.promptSec + wait.timeoutSec;
    const press = keys[k];
    const at = press ? (press.afterSec ?? wait.promptSec) : Infinity;
    if (press && at <= windowSec) {
      h.clock.set(wait.promptsStartMs + at * 1000);
      res = await twilioPost(h.server, pathOf(gather.attrs['action']!), { ...base, Digits: press.key, FinishedOnKey: '' }).expect(200);
      k++;
    } else {
      h.clock.set(wait.promptsStartMs + windowSec * 1000);
      if (opts.noInputVia === 'redirect') {
        const redirect = find(doc, 'Redirect');
        expect(redirect, 'a Redirect follows the Gather').toBeDefined();
        res = await twilioPost(h.server, pathOf(redirect!.children[0] as string), base).expect(200);
      } else {
        res = await twilioPost(h.server, pathOf(gather.attrs['action']!), { ...base, Digits: '' }).expect(200);
      }
    }
    responses.push(parseXml(res.text));
  }
  return { callSid, responses, last: responses.at(-1)! };
}
