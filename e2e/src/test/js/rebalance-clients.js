// Official socket.io clients held open against a fleet while it rebalances, steered over stdin.
// Usage: node rebalance-clients.js '{"url":…,"count":3000}'
// Prints {"ready":…} once all are connected, then answers each command line with one JSON line:
//   report -> how many are connected, per node, and the disconnects ("transport close") per
//             second since the start, as {second: count}
//   open N  -> N more clients, answered once they are connected
//   close N -> the N clients opened last leave (socket.close())
//   quit
'use strict';
const readline = require('readline');
const { io } = require('socket.io-client');

const opts = JSON.parse(process.argv[2]);
const started = Date.now();
const clients = [];
const closesPerSecond = {};
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function open(i) {
  // The official client's reconnection defaults, as an application would have them.
  const socket = io(opts.url, { transports: ['websocket'], forceNew: true });
  const client = { socket, node: null, reasons: {} };
  socket.on('welcome', (w) => { client.node = w.node; });
  socket.on('disconnect', (reason) => {
    client.node = null;
    if (reason === 'io client disconnect') return; // told to leave: not a reconnect
    client.reasons[reason] = (client.reasons[reason] || 0) + 1;
    const second = Math.floor((Date.now() - started) / 1000);
    closesPerSecond[second] = (closesPerSecond[second] || 0) + 1;
  });
  clients[i] = client;
  return new Promise((resolve) => {
    const check = () => (client.node ? resolve() : setTimeout(check, 20));
    check();
  });
}

function report() {
  const perNode = {};
  for (const c of clients) if (c.socket.connected && c.node) perNode[c.node] = (perNode[c.node] || 0) + 1;
  const reasons = {};
  for (const c of clients) for (const [r, n] of Object.entries(c.reasons)) reasons[r] = (reasons[r] || 0) + n;
  return {
    at: Date.now() - started,
    count: clients.filter((c) => !c.left).length,
    connected: clients.filter((c) => !c.left && c.socket.connected && c.node).length,
    perNode, reasons, closesPerSecond,
  };
}

async function openMore(count) {
  const batch = opts.batch || 100;
  const first = clients.length;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => open(first + i + j)));
  }
}

function closeLast(count) {
  const open = clients.filter((c) => !c.left);
  for (const c of open.slice(Math.max(0, open.length - count))) {
    c.left = true;
    c.socket.close();
  }
}

(async () => {
  await openMore(opts.count);
  out({ ready: true, ...report() });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const command = line.trim();
    const [verb, arg] = command.split(' ');
    if (command === 'report') out(report());
    else if (verb === 'open') { await openMore(Number(arg)); out(report()); }
    else if (verb === 'close') { closeLast(Number(arg)); out(report()); }
    else if (command === 'quit') break;
  }
  clients.forEach((c) => c.socket.close());
  process.exit(0);
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
