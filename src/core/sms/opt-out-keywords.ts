export type KeywordAction = 'opt-out' | 'opt-in';

/** Twilio's standard opt-out words, plus 退订 / TD as Chinese carriers use them. */
export const OPT_OUT_KEYWORDS: readonly string[] = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'TD', '退订'];
export const OPT_IN_KEYWORDS: readonly string[] = ['START', 'UNSTOP', 'YES'];

const OUT = new Set(OPT_OUT_KEYWORDS);
const IN = new Set(OPT_IN_KEYWORDS);

/**
 * What an inbound text asks for. Like Twilio, only a message that is the keyword alone counts
 * ("stop", " Stop! ", "退订。"), so "don't stop the offers" opts nobody out.
 */
export function keywordActionOf(body: string): KeywordAction | null {
  const word = body
    .normalize('NFKC')
    .trim()
    .replace(/^[\s"'“”‘’]+|[\s.!?,;:。！？，；："'“”‘’]+$/gu, '')
    .toUpperCase();
  if (OUT.has(word)) return 'opt-out';
  if (IN.has(word)) return 'opt-in';
  return null;
}
