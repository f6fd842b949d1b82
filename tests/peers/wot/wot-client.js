// A generic W3C WoT client (node-wot, the reference implementation) driven by Fabrica's interop tests.
//   node wot-client.js consume <td-url> <token> <property> <action> <input-json>
//     fetches the Thing Description with the bearer token, consumes it, reads the property and invokes the action
//     through the TD's forms; prints {"title", "property", "action"} as one JSON line.
//   node wot-client.js subscribe <td-url> <token> <event>
//     subscribes to the event through the TD's form; prints {"subscribed"}, then {"event": data} on the first one.
//   node wot-client.js parse <token> <td-url>...
//     parses every TD with @node-wot/td-tools; prints {"parsed": [{"url", "title", "properties", "actions"}]}.
// Errors go to stderr and exit 1.
"use strict";
const { Servient } = require("@node-wot/core");
const { HttpClientFactory } = require("@node-wot/binding-http");
const TdTools = require("@node-wot/td-tools");

async function fetchTd(url, token) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return await response.text();
}

async function consume(url, token, property, action, input) {
  const td = JSON.parse(await fetchTd(url, token));
  const servient = new Servient();
  servient.addClientFactory(new HttpClientFactory(null));
  // node-wot signs requests for a Thing with the credentials stored under its id (BearerSecurityScheme, TD 1.1 §5.3.3.4).
  servient.addCredentials({ [td.id]: { token } });
  const WoT = await servient.start();
  try {
    const thing = await WoT.consume(td);
    const value = await (await thing.readProperty(property)).value();
    const output = await (await thing.invokeAction(action, JSON.parse(input))).value();
    return { title: td.title, property: value, action: output };
  } finally {
    await servient.shutdown();
  }
}

// Subscribes to an event and prints "subscribed", then the first event's data, as JSON lines; exits after it.
async function subscribe(url, token, event) {
  const td = JSON.parse(await fetchTd(url, token));
  const servient = new Servient();
  servient.addClientFactory(new HttpClientFactory(null));
  servient.addCredentials({ [td.id]: { token } });
  const WoT = await servient.start();
  const thing = await WoT.consume(td);
  const first = new Promise((resolve, reject) => {
    thing.subscribeEvent(event, async (data) => resolve(await data.value()), reject).then(
      () => process.stdout.write(JSON.stringify({ subscribed: event }) + "\n"), reject);
  });
  // No shutdown: node-wot has already sent the next long poll; the process exits after printing.
  return { event: await first };
}

async function parse(token, urls) {
  const parsed = [];
  for (const url of urls) {
    const thing = TdTools.parseTD(await fetchTd(url, token), true);
    parsed.push({ url, title: thing.title, properties: Object.keys(thing.properties ?? {}), actions: Object.keys(thing.actions ?? {}) });
  }
  return { parsed };
}

async function main(args) {
  if (args[0] === "consume" && args.length === 6) return consume(args[1], args[2], args[3], args[4], args[5]);
  if (args[0] === "parse" && args.length >= 3) return parse(args[1], args.slice(2));
  if (args[0] === "subscribe" && args.length === 4) return subscribe(args[1], args[2], args[3]);
  throw new Error("usage: wot-client.js consume <td-url> <token> <property> <action> <input-json> | parse <token> <td-url>...");
}

main(process.argv.slice(2)).then(
  (result) => { process.stdout.write(JSON.stringify(result) + "\n"); process.exit(0); },
  (error) => { process.stderr.write(`wot-client: ${error.stack ?? error}\n`); process.exit(1); });
