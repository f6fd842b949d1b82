// Sparkplug B payloads through npm sparkplug-payload (Eclipse Tahu's JavaScript codec), for Fabrica's interop tests.
//   node payload.js decode   stdin: one base64 payload per line  -> stdout: one JSON object per line
//   node payload.js encode   stdin: one JSON payload per line    -> stdout: one base64 payload per line
// JSON conventions both ways: 64-bit integers (Long) as decimal strings, bytes as {"$bytes": "<base64>"},
// non-finite numbers and -0 as {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}. A line that fails prints {"error": "..."}.
"use strict";
const readline = require("readline");
const Long = require("long");
const sparkplug = require("sparkplug-payload").get("spBv1.0");

const mode = process.argv[2];
if (mode !== "decode" && mode !== "encode") {
  process.stderr.write("usage: node payload.js decode|encode\n");
  process.exit(2);
}

function toJson(value) {
  if (value === null || value === undefined) return value ?? null;
  if (Long.isLong(value)) return value.toString();
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  if (typeof value === "number" && !Number.isFinite(value)) return { $number: String(value) };
  if (Object.is(value, -0)) return { $number: "-0" };
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}

const unsigned64 = new Set(["uint64", "datetime", "uint32"]);
function fromJson(value, type) {
  if (value === null || value === undefined) return value;
  if (typeof value === "object" && "$bytes" in value) return Buffer.from(value.$bytes, "base64");
  if (typeof value === "object" && "$number" in value) return Number(value.$number);
  if (typeof value === "string" && type && /^(u?int64|datetime|uint32)$/i.test(type)) {
    return Long.fromString(value, unsigned64.has(type.toLowerCase()));
  }
  return value;
}

function prepare(payload) {
  if (payload.timestamp !== undefined) payload.timestamp = fromJson(payload.timestamp, "uint64");
  if (payload.seq !== undefined) payload.seq = fromJson(payload.seq, "uint64");
  for (const metric of payload.metrics || []) {
    metric.value = fromJson(metric.value, metric.type);
    if (metric.timestamp !== undefined) metric.timestamp = fromJson(metric.timestamp, "uint64");
    if (metric.alias !== undefined) metric.alias = fromJson(metric.alias, "uint64");
  }
  return payload;
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  if (!line.trim()) return;
  try {
    if (mode === "decode") {
      const decoded = sparkplug.decodePayload(Buffer.from(line.trim(), "base64"));
      process.stdout.write(JSON.stringify(toJson(decoded)) + "\n");
    } else {
      const encoded = sparkplug.encodePayload(prepare(JSON.parse(line)));
      process.stdout.write(Buffer.from(encoded).toString("base64") + "\n");
    }
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e && e.stack || e) }) + "\n");
  }
});
