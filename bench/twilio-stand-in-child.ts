// The Twilio Messages API stand-in in a process of its own, so a benchmark measures the sender
// side only. Prints {"baseUrl": …} once listening; stops when its stdin closes.
import { TwilioRestStandIn } from '../tests/helpers/twilio-rest-stand-in.js';

const api = await new TwilioRestStandIn().start();
process.stdout.write(JSON.stringify({ baseUrl: api.baseUrl }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => void api.close().then(() => process.exit(0)));
