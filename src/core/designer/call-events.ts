import type { TranscriptEntry } from '../flows/ivr-result.js';

/**
 * The caller events a call sent its flow, read back from the call's transcript: between two
 * states the IVR player rested in, a key or a timeout if one is recorded, else the prompt ended.
 * The transcript has one state entry per step, so this is the walk's exact event sequence.
 */
export function eventsOfTranscript(transcript: readonly TranscriptEntry[]): string[] {
  const events: string[] = [];
  let started = false;
  let pending: string | null = null;
  for (const e of transcript) {
    if (e.kind === 'state') {
      if (started) events.push(pending ?? 'PROMPT_END');
      started = true;
      pending = null;
    } else if (e.kind === 'key') pending = `KEY.${e.key}`;
    else if (e.kind === 'noInput') pending = 'NO_INPUT';
    else if (e.kind === 'hangup') break;
  }
  return events;
}
