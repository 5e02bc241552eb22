// Connection state recovery scenarios for socket-node's integration tests, with the official
// socket.io-client and its default options unless a scenario says otherwise.
// Usage: node recovery.js <scenario> '<json args>'. Prints one JSON line with what was observed.
'use strict';
const { io } = require('socket.io-client');

const [, , name, rawArgs] = process.argv;
const args = rawArgs ? JSON.parse(rawArgs) : {};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const once = (emitter, event, ms = 20000) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`timed out waiting for '${event}'`)), ms);
  emitter.once(event, (...values) => { clearTimeout(timer); resolve(values); });
});
const until = async (check, ms = 20000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
};
const connect = async (url, opts) => {
  const socket = io(url, { forceNew: true, ...opts });
  await once(socket, 'connect');
  return socket;
};
// Every 'msg' a socket gets, its first argument (the offset comes after).
const record = (socket) => {
  const got = [];
  socket.on('msg', (n) => got.push(n));
  return got;
};

const scenarios = {
  // A client loses its transport; while it is away its room gets messages; it comes back.
  async recover({ url, away = 3, clientOptions = {} }) {
    const socket = await connect(url, { auth: { room: 'r1', name: 'alice' }, ...clientOptions });
    const got = record(socket);
    const firstId = socket.id;
    const before = await socket.emitWithAck('publish', 'r1', 0, 3);
    await until(() => got.length === 3);
    const other = await connect(url, { auth: { room: 'elsewhere', name: 'bob' }, reconnection: false });
    const gone = once(socket, 'disconnect');  // emitted synchronously by close()
    socket.io.engine.close();
    await gone;
    await other.emitWithAck('publish', 'r1', 3, away);
    await other.emitWithAck('publish', 'elsewhere', 100, 2);
    if (!socket.connected) await once(socket, 'connect');
    const complete = await until(() => got.length >= 3 + away, 10000);
    await sleep(300);  // anything extra would show up here
    const who = await socket.emitWithAck('whoami');
    const result = { firstId, id: socket.id, recovered: socket.recovered, before, complete, got, who };
    socket.close();
    other.close();
    return result;
  },

  // A client of one server loses its transport and comes back to another (through 'to'); while
  // it is away, a client of a third server publishes to its room.
  async move({ from, to, publisher, away = 5 }) {
    const socket = await connect(from, { auth: { room: 'moving', name: 'erin' } });
    const got = record(socket);
    const firstId = socket.id;
    const other = await connect(publisher, { auth: { room: 'elsewhere', name: 'frank' }, reconnection: false });
    await other.emitWithAck('publish', 'moving', 0, 3);
    await until(() => got.length === 3);
    const whoBefore = await socket.emitWithAck('whoami');
    socket.io.uri = to;  // the next connection goes to the other server
    const gone = once(socket, 'disconnect');
    socket.io.engine.close();
    await gone;
    await other.emitWithAck('publish', 'moving', 3, away);
    if (!socket.connected) await once(socket, 'connect');
    const complete = await until(() => got.length >= 3 + away, 15000);
    await other.emitWithAck('publish', 'moving', 3 + away, 2);
    const live = await until(() => got.length >= 5 + away, 15000);
    await sleep(300);
    const who = await socket.emitWithAck('whoami');
    const result = { firstId, id: socket.id, recovered: socket.recovered, complete, live, got, whoBefore, who };
    socket.close();
    other.close();
    return result;
  },

  // A client of a node that is about to drain: it tells the server something to remember (socket.data),
  // says it is ready, and once the drain closes its transport comes back through 'to'.
  async drained({ from, to }) {
    const socket = io(from, { forceNew: true, auth: { room: 'drained', name: 'gina' } });
    await once(socket, 'welcome');  // an event with an offset: without one there is nothing to recover from
    const firstId = socket.id;
    await socket.emitWithAck('remember', 'blue');
    const gone = once(socket, 'disconnect', 60000);
    console.log(JSON.stringify({ ready: true }));
    const [reason] = await gone;
    socket.io.uri = to;
    if (!socket.connected) await once(socket, 'connect', 60000);
    const who = await socket.emitWithAck('whoami');
    const result = { firstId, id: socket.id, reason, recovered: socket.recovered, who };
    socket.close();
    return result;
  },

  // The client stays away longer than the window: a fresh session.
  async late({ url, awayMs }) {
    const socket = await connect(url, {
      auth: { room: 'r1', name: 'carol' }, reconnectionDelay: awayMs, reconnectionDelayMax: awayMs, randomizationFactor: 0,
    });
    const got = record(socket);
    const firstId = socket.id;
    await socket.emitWithAck('publish', 'r1', 0, 1);
    await until(() => got.length === 1);
    const gone = once(socket, 'disconnect');  // emitted synchronously by close()
    socket.io.engine.close();
    await gone;
    await once(socket, 'connect', awayMs + 20000);
    const who = await socket.emitWithAck('whoami');
    const result = { firstId, id: socket.id, recovered: socket.recovered, who };
    socket.close();
    return result;
  },

  // The client leaves the namespace itself and connects again: nothing to recover.
  async leaves({ url }) {
    const socket = await connect(url, { auth: { room: 'r1', name: 'dave' } });
    const got = record(socket);
    const firstId = socket.id;
    await socket.emitWithAck('publish', 'r1', 0, 1);
    await until(() => got.length === 1);
    socket.disconnect();
    socket.connect();
    await once(socket, 'connect');
    const result = { firstId, id: socket.id, recovered: socket.recovered };
    socket.close();
    return result;
  },
};

const fn = scenarios[name];
if (!fn) {
  console.error(`unknown scenario ${name}`);
  process.exit(2);
}
fn(args).then((result) => {
  console.log(JSON.stringify(result));
  process.exit(0);
}, (e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
