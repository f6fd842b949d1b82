// Differential-test driver for npm epc-tds (EPC Tag Data Standard codec by Sergio S.).
// Reads one JSON request per line on stdin, writes one JSON answer per line on stdout, in order:
//   {"op":"decode","hex":"3074…"}     -> {"tag":"urn:epc:tag:…","id":"urn:epc:id:…"} | {"error":"…"}
//   {"op":"encode","tag":"urn:epc:tag:…"} -> {"hex":"…"} | {"error":"…"}
//   {"op":"check","digits":"061414112345"} -> {"check":2}
'use strict';
const tds = require('epc-tds');
const readline = require('readline');

const rl = readline.createInterface({ input: process.stdin, terminal: false });
const out = [];
rl.on('line', (line) => {
  if (!line.trim()) return;
  const request = JSON.parse(line);
  let answer;
  try {
    if (request.op === 'decode') {
      const epc = tds.valueOf(request.hex);
      answer = { tag: epc.toTagURI(), id: epc.toIdURI() };
    } else if (request.op === 'encode') {
      answer = { hex: tds.fromTagURI(request.tag).toHexString() };
    } else if (request.op === 'check') {
      answer = { check: tds.Utils.computeCheckDigit(request.digits) };
    } else {
      answer = { error: 'unknown op' };
    }
  } catch (e) {
    answer = { error: String(e && e.message ? e.message : e) };
  }
  out.push(JSON.stringify(answer));
  if (out.length >= 1000) process.stdout.write(out.splice(0).join('\n') + '\n');
});
rl.on('close', () => {
  if (out.length) process.stdout.write(out.join('\n') + '\n');
});
