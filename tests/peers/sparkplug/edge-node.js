// A Sparkplug B edge node run by npm sparkplug-client (Eclipse Tahu's JavaScript client), for Fabrica's interop tests.
//   node edge-node.js <mqtt url> <group> <edge node> <device> [<username> <password>]
// Reads commands from stdin, one per line, and reports on stdout, one JSON object per line:
//   births            publish NBIRTH (Temperature Double, Count Int64 + the client's bdSeq) and DBIRTH (Speed Int32, Running Boolean, Mode String)
//   ddata <n>         publish n DDATA messages: Speed = 1..n, Running toggles
//   skip              consume a seq number without publishing (makes a gap the host must notice)
//   ddeath            publish DDEATH
//   stop              publish NDEATH explicitly and disconnect cleanly
// On NCMD "Node Control/Rebirth" = true it republishes both births and reports {"event":"rebirth"}.
// Reports: {"event":"connected"}, {"event":"published","what":...,"seq":...}, {"event":"dcmd",...}, {"event":"error",...}.
"use strict";
const readline = require("readline");
const sparkplugClient = require("sparkplug-client");

const [url, groupId, edgeNode, deviceId, username = "edge", password = "edge"] = process.argv.slice(2);
if (!deviceId) {
  process.stderr.write("usage: node edge-node.js <mqtt url> <group> <edge node> <device>\n");
  process.exit(2);
}
const report = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const client = sparkplugClient.newClient({
  serverUrl: url,
  username,
  password,
  groupId,
  edgeNode,
  clientId: `fabrica-interop-${edgeNode}-${process.pid}`,
  version: "spBv1.0",
  publishDeath: true,
});

let speed = 0;
function births() {
  const now = Date.now();
  client.publishNodeBirth({
    timestamp: now,
    metrics: [
      { name: "Node Control/Rebirth", type: "Boolean", value: false },
      { name: "Temperature", alias: 1, type: "Double", value: 21.5, timestamp: now },
      { name: "Count", alias: 2, type: "Int64", value: 7, timestamp: now },
    ],
  });
  report({ event: "published", what: "NBIRTH", seq: 0 });
  client.publishDeviceBirth(deviceId, {
    timestamp: now,
    metrics: [
      { name: "Speed", alias: 10, type: "Int32", value: speed, timestamp: now },
      { name: "Running", alias: 11, type: "Boolean", value: false, timestamp: now },
      { name: "Mode", alias: 12, type: "String", value: "auto", timestamp: now },
    ],
  });
  report({ event: "published", what: "DBIRTH", seq: client.seq - 1 });
}

client.on("connect", () => report({ event: "connected" }));
client.on("error", (e) => report({ event: "error", message: String(e) }));
client.on("ncmd", (payload) => {
  for (const metric of payload.metrics || []) {
    if (metric.name === "Node Control/Rebirth" && metric.value === true) {
      births();
      report({ event: "rebirth" });
    }
  }
});
client.on("dcmd", (device, payload) => {
  report({ event: "dcmd", device, metrics: (payload.metrics || []).map((m) => ({ name: m.name, alias: m.alias !== undefined ? String(m.alias) : undefined, type: m.type, value: m.value })) });
});

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const [command, arg] = line.trim().split(/\s+/);
  try {
    switch (command) {
      case "births":
        births();
        break;
      case "ddata": {
        const n = Number(arg || 1);
        for (let i = 0; i < n; i++) {
          speed++;
          const now = Date.now();
          client.publishDeviceData(deviceId, {
            timestamp: now,
            metrics: [
              { alias: 10, type: "Int32", value: speed, timestamp: now },
              { alias: 11, type: "Boolean", value: speed % 2 === 1, timestamp: now },
            ],
          });
        }
        report({ event: "published", what: "DDATA", count: n, seq: client.seq - 1 });
        break;
      }
      case "skip":
        client.incrementSeqNum();
        report({ event: "skipped", seq: client.seq - 1 });
        break;
      case "ddeath":
        client.publishDeviceDeath(deviceId, { timestamp: Date.now(), metrics: [] });
        report({ event: "published", what: "DDEATH", seq: client.seq - 1 });
        break;
      case "stop":
        client.stop();
        report({ event: "stopped" });
        setTimeout(() => process.exit(0), 200);
        break;
      default:
        report({ event: "error", message: `unknown command ${command}` });
    }
  } catch (e) {
    report({ event: "error", message: String(e && e.stack || e) });
  }
});
rl.on("close", () => process.exit(0));
