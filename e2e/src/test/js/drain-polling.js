// Official socket.io clients on long-polling only, each sending a chat with an ack every few
// hundred milliseconds, while the test drains a node behind nginx. Every ack is counted per node,
// so the test can tell that a draining node's sessions kept working until it closed them.
// Usage: node drain-polling.js '{"url":…,"count":12,"intervalMs":250}'
// Prints {"ready":…} once all are connected, then answers each command line with one JSON line:
//   mark    -> from now on, acks are also counted in acksAfterMark
//   open N  -> N more clients; the node each one landed on
//   report  -> per client: the nodes it was on, acks per node, disconnect reasons, connect errors
//   quit
'use strict';
const readline = require('readline');
const { io } = require('socket.io-client');

const opts = JSON.parse(process.argv[2]);
const clients = [];
let markedAt = Infinity;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function open() {
  const socket = io(opts.url, {
    transports: ['polling'], upgrade: false, forceNew: true,
    reconnectionDelay: 300, reconnectionDelayMax: 1000,
  });
  const client = { socket, node: null, nodes: [], acks: {}, acksAfterMark: {}, failedAcks: 0, disconnects: [], errors: [] };
  socket.on('welcome', (w) => { client.node = w.node; client.nodes.push(w.node); });
  socket.on('disconnect', (reason) => { client.node = null; client.disconnects.push(reason); });
  socket.on('connect_error', (e) => client.errors.push(e.message));
  const tick = async () => {
    const node = client.node;
    if (node && socket.connected) {
      try {
        const reply = await socket.timeout(3000).emitWithAck('chat', { from: 'drain-test', text: 'tick' });
        if (reply && reply.ok) {
          client.acks[node] = (client.acks[node] || 0) + 1;
          if (Date.now() > markedAt) client.acksAfterMark[node] = (client.acksAfterMark[node] || 0) + 1;
        }
      } catch (e) {
        client.failedAcks++;
      }
    }
    if (!client.closed) client.timer = setTimeout(tick, opts.intervalMs);
  };
  client.timer = setTimeout(tick, opts.intervalMs);
  clients.push(client);
  return new Promise((resolve) => {
    const check = () => (client.node ? resolve(client) : setTimeout(check, 20));
    check();
  });
}

function report() {
  return clients.map((c) => ({
    nodes: c.nodes, acks: c.acks, acksAfterMark: c.acksAfterMark, failedAcks: c.failedAcks, disconnects: c.disconnects, errors: c.errors,
    connected: c.socket.connected,
  }));
}

(async () => {
  const first = await Promise.all(Array.from({ length: opts.count }, open));
  out({ ready: first.map((c) => c.node) });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const [command, arg] = line.trim().split(/\s+/);
    if (command === 'mark') {
      markedAt = Date.now();
      out({ markedAt });
    } else if (command === 'open') {
      const more = await Promise.all(Array.from({ length: Number(arg) }, open));
      out({ opened: more.map((c) => c.node) });
    } else if (command === 'report') {
      out({ clients: report() });
    } else if (command === 'quit') {
      break;
    }
  }
  for (const c of clients) { c.closed = true; clearTimeout(c.timer); c.socket.close(); }
  process.exit(0);
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
