// Preloaded into the firebase-tools process (NODE_OPTIONS=--require) beside
// emulator_no_keepalive.cjs: each Python function worker gets a port no other worker was given.
//
// Why: the Functions emulator starts a worker on `portfinder.getPortPromise({port: 8081 +
// random(0, 1000)})`, the first port from there that is free *now*; the worker binds it a second
// later, once Python has started. Two workers started within that second (two tasks at once in
// one emulator suite, or the two suites scripts/test.sh runs side by side) can be handed the same
// port: the second fails with "Address already in use", and its request or task fails (CI saw a
// runAccountDeletion task lost this way). Here a port handed out is not handed out again for 30 s
// (the lookups run one at a time, so two cannot pass the check together), and with
// SESSIONBASE_WORKER_PORTS=<first port> this process takes its workers' ports from its own range
// of 2,000 (scripts/test.sh gives each of its suites one), so two suites never meet.
"use strict";
const path = require("node:path");

// The copy firebase-tools itself loads (patched in its module cache before it runs).
const tools = path.join(__dirname, "..", "node_modules", "firebase-tools", "lib");
const portfinder = require(require.resolve("portfinder", { paths: [tools] }));

const WORKERS_FROM = 8081; // firebase-tools: 8081 + randomInt(0, 1000), also the discovery port
const WORKERS_TO = 9081;
const HELD_MS = 30_000;
const first = Number(process.env.SESSIONBASE_WORKER_PORTS || 0);
const handed = new Map(); // port -> when it was handed out
const lookup = portfinder.getPortPromise;
let queue = Promise.resolve();

async function workerPort(options) {
  const now = Date.now();
  for (const [port, at] of handed) if (now - at > HELD_MS) handed.delete(port);
  let port = first ? first + (options.port - WORKERS_FROM) : options.port;
  const stopPort = first ? first + 1999 : 65535;
  for (;;) {
    port = await lookup.call(portfinder, { ...options, port, stopPort });
    if (!handed.has(port)) break;
    port += 1;
  }
  handed.set(port, now);
  return port;
}

portfinder.getPortPromise = function (options = {}) {
  if (!(options.port >= WORKERS_FROM && options.port < WORKERS_TO)) {
    return lookup.call(portfinder, options);
  }
  const found = queue.then(() => workerPort(options));
  queue = found.catch(() => undefined);
  return found;
};
