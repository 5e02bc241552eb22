// Client-side scenarios for socket-node's integration tests, driven by JUnit.
// Usage: node scenarios.js <scenario> '<json args>'. Prints one JSON line with what the
// clients observed; the Java test asserts on it. Everything here is the official
// socket.io-client, over real sockets.
'use strict';
const { io } = require('socket.io-client');

const [, , name, rawArgs] = process.argv;
const args = rawArgs ? JSON.parse(rawArgs) : {};
const TIMEOUT_MS = args.timeoutMs || 20000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const once = (emitter, event, ms = 5000) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`timed out waiting for '${event}'`)), ms);
  emitter.once(event, (...values) => { clearTimeout(timer); resolve(values); });
});
// Emits with an acknowledgement and resolves with every argument of the reply.
const ack = (socket, ...values) => new Promise((resolve, reject) => {
  socket.timeout(5000).emit(...values, (err, ...reply) => (err ? reject(err) : resolve(reply)));
});
const connect = async (url, opts = {}) => {
  const socket = io(url, { reconnection: false, forceNew: true, ...opts });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
};
const transportsOf = (mode) => ({ websocket: ['websocket'], polling: ['polling'] }[mode] || ['polling', 'websocket']);

const scenarios = {
  // Connect, get the greeting, echo JSON and binary through an ack, both directions of binary.
  async basic({ url, mode }) {
    const socket = io(url, { reconnection: false, transports: transportsOf(mode), upgrade: mode !== 'polling' });
    const [hello] = await once(socket, 'hello');
    const echoed = await ack(socket, 'echo', { a: 1, nested: [true, null, 'x'] }, Buffer.from([1, 2, 3, 255]));
    socket.emit('binary-please');
    const [meta, bytes] = await once(socket, 'binary-data');
    const result = {
      connected: socket.connected,
      id: socket.id,
      engineId: socket.io.engine.id,
      transport: socket.io.engine.transport.name,
      hello,
      echoJson: echoed[0],
      echoBinary: Array.from(echoed[1]),
      serverBinaryMeta: { label: meta.label, nested: Array.from(meta.nested) },
      serverBinary: Array.from(bytes),
    };
    socket.close();
    return result;
  },

  // Default client: starts polling and upgrades to websocket; events work before and after.
  async upgrade({ url }) {
    const socket = io(url, { reconnection: false, autoConnect: false });
    let first = null;
    let upgraded = false;
    // The upgrade can finish before 'connect' is seen, so watch from the engine's open on.
    socket.io.on('open', () => {
      first = socket.io.engine.transport.name;
      socket.io.engine.on('upgrade', () => { upgraded = true; });
    });
    socket.connect();
    await once(socket, 'connect');
    const before = await socket.timeout(5000).emitWithAck('echo', 'before');
    const deadline = Date.now() + 8000;
    while (!upgraded && Date.now() < deadline) await sleep(20);
    const after = await socket.timeout(5000).emitWithAck('echo', 'after');
    const result = { first, upgraded, final: socket.io.engine.transport.name, before, after, engineId: socket.io.engine.id };
    socket.close();
    return result;
  },

  // Auth middleware on /admin, and an unknown namespace.
  async namespaces({ url }) {
    const refused = io(`${url}/admin`, { reconnection: false, auth: { token: 'wrong' } });
    const [error] = await once(refused, 'connect_error');
    refused.close();
    const admitted = io(`${url}/admin`, { reconnection: false, auth: { token: 'letmein' } });
    const [adminHello] = await once(admitted, 'admin-hello');
    const main = admitted.io.socket('/');
    const [mainHello] = await once(main, 'hello');
    admitted.close();
    main.close();
    const unknown = io(`${url}/nope`, { reconnection: false });
    const [unknownError] = await once(unknown, 'connect_error');
    unknown.close();
    return {
      refusedMessage: error.message, refusedData: error.data,
      adminHello, mainHelloNode: mainHello.node,
      unknownMessage: unknownError.message,
    };
  },

  // Rooms and broadcast-except-sender between three clients on possibly several nodes.
  async rooms({ urls, mode }) {
    const opts = { transports: transportsOf(mode) };
    const clients = await Promise.all([0, 1, 2].map((i) => connect(urls[i % urls.length], opts)));
    const got = clients.map(() => ({ room: [], broadcast: [], all: [] }));
    clients.forEach((c, i) => {
      c.on('room-message', (m) => got[i].room.push(m));
      c.on('broadcasted', (m) => got[i].broadcast.push(m));
      c.on('all', (m) => got[i].all.push(m));
    });
    await clients[0].timeout(5000).emitWithAck('join', 'r1');
    await clients[1].timeout(5000).emitWithAck('join', 'r1');
    await clients[2].timeout(5000).emitWithAck('to-room', 'r1', 'for r1');
    await clients[0].timeout(5000).emitWithAck('broadcast', 'from 0');
    await clients[1].timeout(5000).emitWithAck('emit-all', 'to all');
    await sleep(args.settleMs || 500);
    clients.forEach((c) => c.close());
    return { got };
  },

  // The server emits with an ack; one client answers, one stays silent.
  async serverAck({ url }) {
    const answering = await connect(url, { transports: ['websocket'] });
    answering.on('question', (text, bytes, callback) => callback({ answer: `${text} pong`, size: bytes.length }));
    answering.emit('ask');
    const [answered] = await once(answering, 'answer');
    const silent = await connect(url, { transports: ['websocket'] });
    silent.on('question', () => { /* never acknowledges */ });
    silent.emit('ask');
    const [timedOut] = await once(silent, 'answer', 8000);
    answering.close();
    silent.close();
    return { answered, timedOut };
  },

  // A server-side disconnect: the client is told and stays disconnected.
  async serverDisconnect({ url }) {
    const socket = io(url, { transports: ['websocket'] }); // reconnection on: must not reconnect
    await once(socket, 'connect');
    socket.emit('kick-me');
    const [reason] = await once(socket, 'disconnect');
    await sleep(1500);
    const result = { reason, connectedAfter: socket.connected, active: socket.active };
    socket.close();
    return result;
  },

  // emit("bye") then disconnect(true) on the server: the client gets "bye", then the DISCONNECT,
  // and stays away. A bystander on the same node keeps its connection and its echo.
  async serverKick({ url, mode }) {
    const bystander = await connect(url, { transports: transportsOf(mode), upgrade: mode !== 'polling' });
    const socket = io(url, { transports: transportsOf(mode), upgrade: mode !== 'polling', reconnectionDelay: 100 });
    await once(socket, 'connect');
    const got = [];
    socket.on('bye', (m) => got.push(m));
    let reconnects = 0;
    socket.io.on('reconnect_attempt', () => { reconnects += 1; });
    socket.emit('kick-hard');
    const [reason] = await once(socket, 'disconnect');
    await sleep(1500);
    const echoed = await bystander.timeout(5000).emitWithAck('echo', 'still here');
    const result = { got, reason, reconnects, connectedAfter: socket.connected, active: socket.active,
      bystanderConnected: bystander.connected, echoed };
    socket.close();
    bystander.close();
    return result;
  },

  // Many clients hold connections; reports how each disconnects and whether it comes back.
  async hold({ url, count, mode, waitMs }) {
    const clients = await Promise.all(Array.from({ length: count }, () =>
      connect(url, { transports: transportsOf(mode), reconnection: true, reconnectionDelay: 200 })));
    const reasons = [];
    clients.forEach((c) => c.on('disconnect', (r) => reasons.push(r)));
    process.stdout.write(JSON.stringify({ ready: true }) + '\n');
    await sleep(waitMs);
    const result = { reasons, reconnected: clients.filter((c) => c.connected).length };
    clients.forEach((c) => c.close());
    return result;
  },

  // The fleet-wide operations, asked of the server of clients[controller] (see node-peer.js and the
  // Java ClusterOps for the events): fetch with filters, socketsJoin/Leave, broadcast with acks,
  // serverSideEmit with and without acks, emit/join/ack on a remote socket, disconnectSockets.
  async clusterOps({ clients: specs, controller }) {
    const clients = [];
    for (const spec of specs) {
      const socket = await connect(spec.url, { transports: ['websocket'], auth: { user: spec.user } });
      const seen = { direct: [], disconnect: null };
      socket.on('question', (text, cb) => cb(`answer-${spec.user}`));
      socket.on('direct', (m) => seen.direct.push(m));
      socket.on('disconnect', (reason) => { seen.disconnect = reason; });
      clients.push({ socket, seen, spec });
    }
    for (const c of clients) if (c.spec.vip) await c.socket.timeout(5000).emitWithAck('join', 'vip');
    const ctl = clients[controller];
    const call = (...values) => ctl.socket.timeout(15000).emitWithAck(...values);
    const summary = (list) => list.map((s) => ({
      user: s.user || '', rooms: s.rooms.filter((r) => r !== s.id), ownRoom: s.rooms.includes(s.id),
      idKnown: clients.some((c) => c.socket.id === s.id), address: s.address, authUser: s.authUser, eio: s.query,
    })).sort((a, b) => a.user.localeCompare(b.user));
    const sorted = (r) => ({ complete: r.complete, answers: r.answers.map((a) => JSON.stringify(a)).sort() });
    const waitFor = async (check, ms = 8000) => {
      const deadline = Date.now() + ms;
      while (!check() && Date.now() < deadline) await sleep(50);
      return check();
    };
    const other = clients.find((c) => c.spec.url !== ctl.spec.url);
    // Node's classic adapter applies socketsJoin/Leave/disconnectSockets to its own sockets only when
    // its request comes back from Redis, so what it fetches right after may not show them yet.
    const fetchUntil = async (opts, count) => {
      const deadline = Date.now() + 8000;
      let found = await call('fetch', opts);
      while (found.length !== count && Date.now() < deadline) {
        await sleep(100);
        found = await call('fetch', opts);
      }
      return summary(found);
    };
    const note = `note-${Math.random().toString(36).slice(2)}`;
    const r = {};
    r.all = summary(await call('fetch', {}));
    if (args.legacy) {
      // The Node adapter's allRooms() asks every server (its allSockets() is local only since 8.0).
      const rooms = await call('all-rooms');
      r.allRoomsHasOtherServersRooms = clients.filter((c) => c.spec.url !== ctl.spec.url)
        .every((c) => rooms.includes(c.socket.id));
    }
    r.vip = summary(await call('fetch', { rooms: ['vip'] }));
    r.notVip = summary(await call('fetch', { except: ['vip'] }));
    await call('sockets-join', { rooms: ['vip'] }, 'gold');
    r.gold = await fetchUntil({ rooms: ['gold'] }, 2);
    const keeper = clients.find((c) => c.spec.vip && c.spec.url !== ctl.spec.url);
    await call('sockets-leave', { rooms: ['gold'], except: [keeper.socket.id] }, 'vip');
    r.vipAfterLeave = await fetchUntil({ rooms: ['vip'] }, 1);
    r.askAll = sorted(await call('ask-all', {}));
    r.askGoldExceptVip = sorted(await call('ask-all', { rooms: ['gold'], except: ['vip'] }));
    r.ping = sorted(await call('server-ping', 'hi'));
    await call('server-note', note);
    const deadline = Date.now() + 8000;
    let notes = [];
    while (!notes.includes(note) && Date.now() < deadline) {
      notes = await other.socket.timeout(5000).emitWithAck('notes');
      if (!notes.includes(note)) await sleep(100);
    }
    r.noteElsewhere = notes.filter((n) => n === note).length;
    r.noteHere = (await call('notes')).filter((n) => n === note).length;
    await call('remote-direct', other.spec.user, 'psst');
    r.directDelivered = await waitFor(() => other.seen.direct.length > 0);
    r.direct = other.seen.direct;
    r.touched = (await fetchUntil({ rooms: ['touched'] }, 1)).map((s) => s.user);
    r.remoteAsk = await call('remote-ask', other.spec.user);
    await call('disconnect-sockets', { rooms: ['gold'] }, true);
    await waitFor(() => clients.filter((c) => c.spec.vip).every((c) => !c.socket.connected));
    await sleep(300);
    r.disconnects = clients.map((c) => ({ user: c.spec.user, reason: c.seen.disconnect, connected: c.socket.connected }));
    r.afterDisconnect = (await fetchUntil({}, 2)).map((s) => s.user);
    clients.forEach((c) => c.socket.close());
    return r;
  },

  // The demo's presence: perUrl clients on each URL; the first presence client 0 hears that
  // lists `nodes` nodes holding `clients` clients in all.
  async presence({ urls, perUrl, nodes, clients: total }) {
    const clients = [];
    for (const url of urls) for (let i = 0; i < perUrl; i++) clients.push(await connect(url, { transports: ['websocket'] }));
    const deadline = Date.now() + 15000;
    let last = null;
    while (Date.now() < deadline) {
      [last] = await once(clients[0], 'presence', 5000);
      const sum = last.nodes.reduce((n, node) => n + node.clients, 0);
      if (last.nodes.length === nodes && sum === total) break;
    }
    clients.forEach((c) => c.close());
    return last;
  },

  // One client in a room records what another node's broadcasts bring it (VolatileAcrossNodesIT).
  // Polling: the handler of the first event holds Node's event loop for holdMs, so no poll is held
  // while the rest arrive at the server (what a volatile packet is dropped for).
  async volatileAcross({ url, mode, holdMs, room, trigger, announceHold }) {
    const socket = await connect(url, { transports: transportsOf(mode), upgrade: false });
    const got = [];
    socket.on('n', (n) => {
      got.push(n);
      if (n === 1 && mode === 'polling') {
        // Tells a sender waiting for it that no poll is held from now on (a pipe write is synchronous on Linux).
        if (announceHold) process.stdout.write(JSON.stringify({ ready: 'holding' }) + '\n');
        const until = Date.now() + holdMs;
        while (Date.now() < until) { /* no re-poll until the other packets reached the server */ }
      }
    });
    let asked = 0;
    socket.on('ask', (cb) => { asked += 1; cb('acked'); });
    await socket.timeout(5000).emitWithAck('join', room);
    process.stdout.write(JSON.stringify({ ready: true }) + '\n');
    const ended = once(socket, 'end', 30000);
    let replies = null;
    if (trigger) {
      // A Node socket.io peer sends the burst (node-peer.js volatile-burst).
      const ctl = await connect(trigger, { transports: ['websocket'] });
      replies = await ctl.timeout(30000).emitWithAck('volatile-burst', room);
      ctl.close();
    }
    await ended;
    socket.close();
    return { got, asked, replies };
  },

  // Clients spread over several URLs; one emits a broadcast; who got what.
  async fleet({ urls, perUrl, event, trigger, payload, mode }) {
    const clients = [];
    for (const url of urls) {
      for (let i = 0; i < perUrl; i++) clients.push({ url, socket: await connect(url, { transports: transportsOf(mode) }) });
    }
    const received = clients.map(() => []);
    clients.forEach((c, i) => c.socket.on(event, (...values) => received[i].push(values.map((v) =>
      Buffer.isBuffer(v) ? { binary: Array.from(v) } : v))));
    await clients[0].socket.timeout(5000).emitWithAck(trigger, payload);
    await sleep(args.settleMs || 800);
    clients.forEach((c) => c.socket.close());
    return { received: received.map((r, i) => ({ url: clients[i].url, events: r })) };
  },
};

(async () => {
  const timer = setTimeout(() => { console.error(`scenario '${name}' timed out`); process.exit(3); }, TIMEOUT_MS);
  try {
    const result = await scenarios[name](args);
    console.log(JSON.stringify(result));
    clearTimeout(timer);
    process.exit(0);
  } catch (e) {
    console.error(`scenario '${name}' failed: ${e && e.stack || e}`);
    process.exit(1);
  }
})();
