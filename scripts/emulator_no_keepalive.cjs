// Preloaded into the firebase-tools process (NODE_OPTIONS=--require) by scripts/test.sh and
// scripts/start.sh: the emulator's requests to its Python function workers use no keep-alive.
//
// Why: the Functions emulator proxies each request to a worker (gunicorn, gthread) with Node's
// global HTTP agent, which keeps sockets alive for 5 s since Node 19. Gunicorn closes an idle
// keep-alive connection after 2 s. A request sent on a pooled socket just as gunicorn closes it
// fails with "socket hang up"; the emulator answers 500 and kills the worker. CI saw this on
// requests that followed their worker's previous one by exactly 2.0 s (firebase-debug.log:
// IDLE at 12:50:52.011, BUSY at 12:50:54.013, exited 8 ms later). A new connection per request
// on loopback costs nothing measurable, and removes the race. Deployed functions are unaffected:
// there is no such proxy in production.
"use strict";
const http = require("node:http");

http.globalAgent = new http.Agent({ keepAlive: false });
