// Differential-test driver for npm digital-link.js (GS1's GS1 Digital Link SDK).
// One URI per line on stdin; one JSON answer per line on stdout, in order:
//   {"valid":…,"grammar":…,"checkDigitKnown":…,"identifier":{"01":"…"},"qualifiers":{"21":"…"},"attributes":{…}}
//   | {"valid":false,"grammar":false,"error":"…"}
// "valid" is DigitalLink.isValid(): the ABNF grammar of the re-encoded URI and the key's check digit. "grammar" is the
// grammar alone (the library's own validateUrl over removeCustomPath(toWebUriString())), and "checkDigitKnown" says
// whether the library knows where the key's check digit is (src/checkDigit.js keyCodeToPosition): for the other keys
// isValid() is false whatever the value, so a comparison can only use the grammar.
'use strict';
const { DigitalLink, Utils } = require('digital-link.js');
const { validateUrl } = require('digital-link.js/src/util.js');
const knownCheckDigits = ['8003', '414', '00', '8018', '253', '402', '255', '01'];
const readline = require('readline');

const rl = readline.createInterface({ input: process.stdin, terminal: false });
const out = [];
rl.on('line', (line) => {
  if (!line.trim()) return;
  let answer;
  try {
    const dl = DigitalLink(line);
    const key = Object.keys(dl.getIdentifier())[0];
    answer = {
      valid: dl.isValid(),
      grammar: validateUrl(Utils.removeCustomPath(dl.toWebUriString(), dl.getDomain())),
      checkDigitKnown: knownCheckDigits.includes(key),
      identifier: dl.getIdentifier(),
      qualifiers: dl.getKeyQualifiers(),
      attributes: dl.getAttributes(),
    };
  } catch (e) {
    answer = { valid: false, grammar: false, error: String(e && e.message ? e.message : e) };
  }
  out.push(JSON.stringify(answer));
});
rl.on('close', () => process.stdout.write(out.join('\n') + (out.length ? '\n' : '')));
