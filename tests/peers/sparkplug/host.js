// A Sparkplug B host application built on npm mqtt + sparkplug-payload (Eclipse Tahu's JavaScript codec), for
// Fabrica's interop tests of the edge's Sparkplug uplink.
//   node host.js <mqtt url> <group> [<username> <password>]
// Subscribes (persistent session, so a broker restart loses nothing) to spBv1.0/<group>/#, decodes every message with sparkplug-payload and reports on stdout, one JSON
// object per line: {"event":"message","type":"NBIRTH","node":...,"device":...,"seq":...,"bdSeq":...,
// "metrics":[{"name","alias","type","value","timestamp","historical"}]} (64-bit values as decimal strings).
// Commands on stdin, one per line:
//   rebirth <edge node>                                  NCMD Node Control/Rebirth = true
//   dcmd <edge node> <device> <metric name> <type> <value>   DCMD writing one metric (by name)
"use strict";
const readline = require("readline");
const Long = require("long");
const mqtt = require("mqtt");
const sparkplug = require("sparkplug-payload").get("spBv1.0");

const [url, group, username = "host", password = "host"] = process.argv.slice(2);
if (!group) {
  process.stderr.write("usage: node host.js <mqtt url> <group> [<username> <password>]\n");
  process.exit(2);
}
const report = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
const plain = (v) => (Long.isLong(v) ? v.toString() : v === undefined ? null : v);

const client = mqtt.connect(url, { username, password, clientId: `fabrica-host-${process.pid}`, clean: false, protocolVersion: 4 });
client.on("connect", () => {
  client.subscribe(`spBv1.0/${group}/#`, { qos: 1 }, (err) => report(err ? { event: "error", message: String(err) } : { event: "subscribed" }));
});
client.on("error", (e) => report({ event: "error", message: String(e) }));
client.on("message", (topic, message) => {
  const [, , type, node, device] = topic.split("/");
  if (type === "NCMD" || type === "DCMD") return;
  try {
    const payload = sparkplug.decodePayload(message);
    const metrics = (payload.metrics || []).map((m) => ({
      name: m.name ?? null,
      alias: m.alias === undefined || m.alias === null ? null : plain(m.alias),
      type: m.type ?? null,
      value: plain(m.value),
      timestamp: m.timestamp === undefined ? null : plain(m.timestamp),
      historical: !!m.isHistorical,
    }));
    const bd = metrics.find((m) => m.name === "bdSeq");
    report({ event: "message", type, node, device: device ?? null, seq: payload.seq === undefined || payload.seq === null ? null : Number(plain(payload.seq)), bdSeq: bd ? bd.value : null, metrics });
  } catch (e) {
    report({ event: "error", message: `decode ${topic}: ${e}` });
  }
});

function publish(topic, metrics) {
  const payload = sparkplug.encodePayload({ timestamp: Date.now(), metrics });
  client.publish(topic, payload, { qos: 0 }, (err) => report(err ? { event: "error", message: String(err) } : { event: "sent", topic }));
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const [command, node, device, name, type, value] = line.trim().split(/\s+/);
  try {
    switch (command) {
      case "rebirth":
        publish(`spBv1.0/${group}/NCMD/${node}`, [{ name: "Node Control/Rebirth", type: "Boolean", value: true }]);
        break;
      case "dcmd": {
        const typed = type === "Boolean" ? value === "true" : type === "String" ? value : Number(value);
        publish(`spBv1.0/${group}/DCMD/${node}/${device}`, [{ name, type, value: typed }]);
        break;
      }
      default:
        report({ event: "error", message: `unknown command ${command}` });
    }
  } catch (e) {
    report({ event: "error", message: String(e && e.stack || e) });
  }
});
rl.on("close", () => { client.end(true); process.exit(0); });
