// Many official socket.io clients held open against a fleet, steered over stdin by the
// end-to-end tests. Usage: node fleet-clients.js '{"url":…,"count":300,"mode":"websocket"}'
// Prints {"ready":…} once all are connected, then answers each command line with one JSON line:
//   report     -> per-node counts, disconnect reasons, how many are connected now, and how many
//                 nodes each client's latest demo presence listed
//   broadcast  -> one client sends a chat message; how many clients got it, and how often
//   echo       -> every client sends a chat with an ack; how many acks came back
//   forget-presence -> drops what each client last heard of presence, so the next report shows only news
//   quit
'use strict';
const readline = require('readline');
const { io } = require('socket.io-client');

const opts = JSON.parse(process.argv[2]);
const transports = { websocket: ['websocket'], polling: ['polling'] }[opts.mode] || ['polling', 'websocket'];
const clients = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function open(i) {
  const socket = io(opts.url, {
    transports, upgrade: opts.mode !== 'polling', forceNew: true,
    reconnectionDelay: 500, reconnectionDelayMax: 2000,
  });
  const client = { socket, node: null, disconnects: [], errors: [], chats: new Map(), transportsSeen: new Set(), presence: [] };
  socket.on('welcome', (w) => { client.node = w.node; });
  socket.on('presence', (p) => { client.presence = p.nodes.map((n) => n.node); });
  socket.on('disconnect', (reason) => client.disconnects.push(reason));
  socket.on('connect_error', (e) => client.errors.push(e.message));
  socket.on('chat', (m) => client.chats.set(m.text, (client.chats.get(m.text) || 0) + 1));
  socket.on('connect', () => client.transportsSeen.add(socket.io.engine.transport.name));
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
  for (const c of clients) for (const r of c.disconnects) reasons[r] = (reasons[r] || 0) + 1;
  const errors = {};
  for (const c of clients) for (const e of c.errors) errors[e] = (errors[e] || 0) + 1;
  const presence = {};
  for (const c of clients) presence[c.presence.length] = (presence[c.presence.length] || 0) + 1;
  return {
    count: clients.length,
    connected: clients.filter((c) => c.socket.connected).length,
    perNode, reasons, errors, presence,
    disconnected: clients.filter((c) => c.disconnects.length > 0).length,
    transports: clients.map((c) => c.socket.connected ? c.socket.io.engine.transport.name : 'none')
      .reduce((acc, t) => ({ ...acc, [t]: (acc[t] || 0) + 1 }), {}),
  };
}

async function broadcast() {
  const text = `broadcast-${Date.now()}-${Math.random()}`;
  const sender = clients.find((c) => c.socket.connected);
  const ack = await sender.socket.timeout(5000).emitWithAck('chat', { from: 'e2e', text }).catch((e) => ({ error: e.message }));
  const deadline = Date.now() + 8000;
  const connected = () => clients.filter((c) => c.socket.connected);
  while (Date.now() < deadline && connected().some((c) => !c.chats.has(text))) await sleep(50);
  const times = clients.map((c) => c.chats.get(text) || 0);
  return {
    ack,
    connected: connected().length,
    received: times.filter((t) => t > 0).length,
    exactlyOnce: times.filter((t) => t === 1).length,
    duplicates: times.filter((t) => t > 1).length,
  };
}

async function echo() {
  const results = await Promise.all(clients.map((c, i) =>
    c.socket.timeout(8000).emitWithAck('chat', { from: `c${i}`, text: `echo ${i}` }).then((r) => r.ok === true).catch(() => false)));
  return { acked: results.filter(Boolean).length, count: clients.length };
}

(async () => {
  const batch = opts.batch || 50;
  for (let i = 0; i < opts.count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, opts.count - i) }, (_, j) => open(i + j)));
  }
  out({ ready: true, ...report() });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const command = line.trim();
    if (command === 'report') out(report());
    else if (command === 'broadcast') out(await broadcast());
    else if (command === 'echo') out(await echo());
    else if (command === 'forget-presence') { clients.forEach((c) => { c.presence = []; }); out({ ok: true }); }
    else if (command === 'quit') break;
  }
  clients.forEach((c) => c.socket.close());
  process.exit(0);
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
