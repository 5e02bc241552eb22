// Client-side scenarios for the server API tests (ServerApiIT, DynamicNamespacesIT,
// EngineOptionsIT, CompressionIT), driven by JUnit like scenarios.js: node server-api.js
// <scenario> '<json args>' prints one JSON line with what the official socket.io-client saw.
'use strict';
const { io } = require('socket.io-client');
const { Fetch } = require('engine.io-client');
const WebSocket = require('ws');

const [, , name, rawArgs] = process.argv;
const args = rawArgs ? JSON.parse(rawArgs) : {};
const TIMEOUT_MS = args.timeoutMs || 30000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const once = (emitter, event, ms = 5000) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`timed out waiting for '${event}'`)), ms);
  emitter.once(event, (...values) => { clearTimeout(timer); resolve(values); });
});
// Emits with an ack; resolves with the reply's first value, or 'timeout' when none comes within ms.
const ask = (socket, ms, ...values) => socket.timeout(ms).emitWithAck(...values).catch(() => 'timeout');
// What a connect_error carried, read at once: the client aborts its request (emptying responseText) right after.
const describeError = (err) => ({
  message: err.message,
  data: err.data === undefined ? null : err.data,
  description: typeof err.description === 'number' ? err.description : null,
  responseText: err.context && typeof err.context.responseText === 'string' ? err.context.responseText : null,
});
// Connects; events named in `early` are recorded from the start (a server may emit them with its CONNECT reply).
const connect = async (url, opts = {}, early = []) => {
  const socket = io(url, { reconnection: false, forceNew: true, ...opts });
  socket.early = {};
  early.forEach((ev) => socket.once(ev, (...v) => { socket.early[ev] = v; }));
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (err) => reject(Object.assign(new Error(err.message), describeError(err))));
  });
  return socket;
};
// Waits for an event that may already have come with the connection.
const early = async (socket, event) => socket.early[event] || once(socket, event);
const connectError = async (url, opts = {}) => {
  const socket = io(url, { reconnection: false, forceNew: true, ...opts });
  const described = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect_error')), 8000);
    socket.once('connect_error', (err) => { clearTimeout(timer); resolve(describeError(err)); });
  });
  socket.close();
  return described;
};
const transportsOf = (mode) => ({ websocket: ['websocket'], polling: ['polling'] }[mode] || ['polling', 'websocket']);

const scenarios = {
  // once/off: a once-handler answers the first emit only; off removes one handler, then all of an event's.
  async onceOff({ url, mode }) {
    const s = await connect(url, { transports: transportsOf(mode) });
    const result = {
      once: [await ask(s, 1000, 'once'), await ask(s, 1000, 'once')],
      counted: await ask(s, 1000, 'counted'),
      dropped: await ask(s, 1000, 'drop-counted'),
      countedAfterOff: await ask(s, 1000, 'counted'),
      other: await ask(s, 1000, 'other'),
      droppedAll: await ask(s, 1000, 'drop-all-other'),
      otherAfterOffAll: await ask(s, 1000, 'other'),
    };
    s.close();
    return result;
  },

  // onAny / offAny / onAnyOutgoing / offAnyOutgoing, as the server recorded them.
  async anyHandlers({ url, mode }) {
    const s = await connect(url, { transports: transportsOf(mode) });
    const got = [];
    s.on('direct', (v) => got.push(['direct', v]));
    s.on('broadcasted', (v) => got.push(['broadcasted', v]));
    s.emit('alpha', 1, { b: 2 });
    s.emit('beta');
    const incoming = await ask(s, 3000, 'incoming?');
    await ask(s, 3000, 'stop-any');
    s.emit('gamma');
    const incomingAfterOff = await ask(s, 3000, 'incoming?');
    await ask(s, 3000, 'send-some');
    const outgoing = await ask(s, 3000, 'outgoing?');
    await ask(s, 3000, 'stop-outgoing');
    await ask(s, 3000, 'send-some');
    const outgoingAfterOff = await ask(s, 3000, 'outgoing?');
    s.close();
    return { incoming, incomingAfterOff, outgoing, outgoingAfterOff, got };
  },

  // prependAny/prependAnyOutgoing and listenersAny/listenersAnyOutgoing, seen from the server.
  async anyOrder({ url, mode }) {
    const s = await connect(url, { transports: transportsOf(mode) });
    const order = await ask(s, 3000, 'any-order?');
    s.close();
    return order;
  },

  // socket.use: a refused event reaches no handler and no ack; the server's error handler speaks;
  // middleware may change the arguments, take its time, and an error handler may disconnect.
  async packetMiddleware({ url, mode }) {
    const s = await connect(url, { transports: transportsOf(mode) });
    const errors = [];
    s.on('error-seen', (m) => errors.push(m));
    const forbidden = await ask(s, 1000, 'forbidden', 'x');
    const decorated = await ask(s, 3000, 'decorate', 'x');
    const started = Date.now();
    const slow = await ask(s, 5000, 'slow', 'y');
    const slowMs = Date.now() - started;
    const stillConnected = s.connected;
    s.emit('kick-forbidden');
    const [reason] = await once(s, 'disconnect');
    s.close();
    return { forbidden, decorated, slow, slowMs, errors, stillConnected, reason };
  },

  // Joins rooms, then leaves in one of three ways; the server records what its handlers saw.
  async disconnecting({ url, mode, how }) {
    const s = await connect(url, { transports: transportsOf(mode) });
    await ask(s, 3000, 'join', 'r1');
    await ask(s, 3000, 'join', 'r2');
    const id = s.id;
    if (how === 'client') {
      s.disconnect();
    } else if (how === 'server') {
      s.emit('kick-me');
      await once(s, 'disconnect');
    } else {
      s.io.engine.close();
    }
    await sleep(300);
    s.close();
    return { id };
  },

  // socket.request and socket.handshake as the server reports them.
  async handshake({ url, mode, origin }) {
    const opts = { transports: transportsOf(mode), query: { foo: 'bar' } };
    if (origin) opts.extraHeaders = { origin }; // polling (node XHR) may refuse to set it; websocket sends it
    if (origin) opts.origin = origin;
    const before = Date.now();
    const s = await connect(url, opts);
    const info = await ask(s, 3000, 'handshake?');
    s.close();
    return { before, after: Date.now(), parsedTime: Date.parse(info.time), info };
  },

  // Plain, volatile and plain emits in one go, to the socket and as broadcasts.
  async volatileEmits({ url, mode }) {
    const s = await connect(url, { transports: transportsOf(mode), upgrade: false });
    const direct = [];
    const broadcast = [];
    s.on('v', (n) => direct.push(n));
    s.on('b', (n) => broadcast.push(n));
    s.emit('volatile-burst');
    await once(s, 'burst-done');
    await sleep(200);
    s.close();
    return { direct, broadcast };
  },

  // Plain, volatile and plain emits from the Node-facing API (in() alias, compress(false)).
  async aliases({ url }) {
    const a = await connect(url, { transports: ['websocket'] });
    const b = await connect(url, { transports: ['websocket'] });
    const gotA = [];
    const gotB = [];
    a.on('room-news', (m) => gotA.push(m));
    b.on('room-news', (m) => gotB.push(m));
    await ask(a, 3000, 'join', 'lobby');
    await ask(b, 3000, 'join', 'lobby');
    await ask(a, 3000, 'in-lobby', 'via in()');
    await ask(a, 3000, 'socket-in-lobby', 'via socket.in()');
    await sleep(300);
    a.close();
    b.close();
    return { gotA, gotB };
  },

  // Dynamic namespaces: a pattern's child, a filter's child, inherited middleware and handlers.
  async dynamicNamespaces({ url }) {
    const result = {};
    const one = await connect(`${url}/dyn-1`, { auth: { token: 'ok' } }, ['welcome']);
    const [welcome] = await early(one, 'welcome').catch(() => [null]);
    result.welcome = welcome;
    result.second = (await ask(one, 3000, 'second-handler?'));
    result.refusedByInherited = await connectError(`${url}/dyn-2`, { auth: { token: 'nope' } });
    result.noMatch = await connectError(`${url}/dyn-x`);
    const two = await connect(`${url}/dyn-2`, { auth: { token: 'ok' } });
    result.asyncFilter = await connect(`${url}/async-7`, {}, ['async-welcome']).then(async (s) => {
      const [w] = await early(s, 'async-welcome');
      s.close();
      return w;
    });
    result.asyncFilterRefused = await connectError(`${url}/other-7`);
    const fromParent = [[], []];
    one.on('to-children', (m) => fromParent[0].push(m));
    two.on('to-children', (m) => fromParent[1].push(m));
    const main = await connect(url);
    await ask(main, 3000, 'parent-emit', 'hello children');
    await sleep(300);
    result.fromParent = fromParent;
    result.children = await ask(main, 3000, 'children?');
    // parent.to(room) / parent.except(room): the room's sockets in every child, or all but them.
    const roomNews = [[], []];
    const others = [[], []];
    [one, two].forEach((s, i) => {
      s.on('club-news', (m) => roomNews[i].push(m));
      s.on('not-club', (m) => others[i].push(m));
    });
    await ask(one, 3000, 'join', 'club');
    await ask(main, 3000, 'parent-to', 'club', 'for members');
    await sleep(300);
    result.parentTo = roomNews;
    result.parentExcept = others;
    one.close();
    two.close();
    main.close();
    return result;
  },

  // cleanupEmptyChildNamespaces: a child whose last socket left is gone; the next client makes it anew.
  async cleanupChildren({ url }) {
    const main = await connect(url);
    const a = await connect(`${url}/game-1`, {}, ['made']);
    const b = await connect(`${url}/game-1`, {}, ['made']);
    const result = { madeA: (await early(a, 'made'))[0], madeB: (await early(b, 'made'))[0] };
    a.close();
    await sleep(300);
    result.childrenWithOneLeft = await ask(main, 3000, 'children?');
    b.close();
    const deadline = Date.now() + 10000;
    do {
      await sleep(100);
      result.childrenWhenEmpty = await ask(main, 3000, 'children?');
    } while (result.childrenWhenEmpty.length > 0 && Date.now() < deadline);
    const c = await connect(`${url}/game-1`, {}, ['made']);
    result.madeAgain = (await early(c, 'made'))[0];
    result.childrenAgain = await ask(main, 3000, 'children?');
    c.close();
    main.close();
    return result;
  },

  // A child emptied and forgotten while a slow middleware admits a new client: the client ends up in the
  // child made anew, not in the forgotten one.
  async retiredWhileAdmitting({ url }) {
    const main = await connect(url);
    const a = await connect(`${url}/game-2`);
    const late = connect(`${url}/game-2`, { auth: { slow: true } }, ['made']);
    await sleep(300);
    a.close();
    const b = await late;
    const result = { made: (await early(b, 'made'))[0], children: await ask(main, 3000, 'children?') };
    b.close();
    main.close();
    return result;
  },

  // Async namespace middleware: admitted after the delay, refused with its message and data, or "Internal error".
  async asyncMiddleware({ url }) {
    const started = Date.now();
    const ok = await connect(`${url}/async-mw`, { auth: { token: 'ok' } }, ['welcome']);
    const admittedMs = Date.now() - started;
    const [welcome] = await early(ok, 'welcome');
    ok.close();
    const refused = await connectError(`${url}/async-mw`, { auth: { token: 'bad' } });
    const broken = await connectError(`${url}/async-mw`, { auth: { token: 'explode' } });
    return { admittedMs, welcome, refused, broken };
  },

  // One client per case; what each saw (connected or the error).
  async engineOptions({ cases }) {
    const out = {};
    for (const c of cases) {
      try {
        const s = await connect(c.url, c.opts);
        const echo = await ask(s, 3000, 'echo', 'hi');
        out[c.name] = { connected: true, transport: s.io.engine.transport.name, echo };
        const upgrades = [];
        s.io.engine.on('upgrade', (t) => upgrades.push(t.name));
        await sleep(c.watchMs || 0);
        out[c.name].upgrades = upgrades;
        out[c.name].final = s.io.engine.transport.name;
        s.close();
      } catch (err) {
        out[c.name] = { connected: false, message: err.message, description: err.description, responseText: err.responseText };
      }
    }
    return out;
  },

  // engine.use, the cookie option and the initial_headers/headers events (EngineHooksIT): the official
  // client (with a cookie jar, withCredentials) connects, is annotated by the middleware and upgrades;
  // another is refused by the middleware; raw requests read the response headers.
  async engineHooks({ url, host }) {
    const out = {};
    const s = await connect(url, { withCredentials: true, query: { user: 'ann' } }, ['whoami']);
    out.sid = s.io.engine.id;
    [out.whoami] = await early(s, 'whoami');
    await new Promise((resolve) => (s.io.engine.transport.name === 'websocket'
      ? resolve() : s.io.engine.once('upgrade', resolve)));
    out.echo = await ask(s, 3000, 'echo', 'after upgrade');
    out.jar = Object.fromEntries([...s.io.engine._cookieJar.cookies].map(([k, v]) => [k, v.value]));
    s.close();
    out.refused = await connectError(url, { transports: ['polling'], query: { deny: 'yes' } });
    const pick = (res) => ({ setCookie: res.headers.get('set-cookie'), initial: res.headers.get('x-initial'),
      every: res.headers.get('x-every'), middleware: res.headers.get('x-middleware') });
    const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    out.handshake = pick(handshake);
    const sid = JSON.parse((await handshake.text()).slice(1)).sid;
    out.poll = pick(await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`, {
      method: 'POST', body: '40' }));
    const upgradeHeaders = (query) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${host}/socket.io/?EIO=4&transport=websocket${query}`);
      ws.on('upgrade', (res) => { resolve({ setCookie: res.headers['set-cookie'] || null, initial: res.headers['x-initial'] || null,
        every: res.headers['x-every'] || null, middleware: res.headers['x-middleware'] || null }); ws.close(); });
      ws.on('error', reject);
    });
    out.websocket = await upgradeHeaders('');
    out.upgrade = await upgradeHeaders(`&sid=${encodeURIComponent(sid)}`);
    return out;
  },

  // A polling session whose websocket upgrade never sends its probe: how long until the server drops
  // the websocket, and whether the polling session lives on.
  async upgradeTimeout({ url, host }) {
    const s = await connect(url, { transports: ['polling'], upgrade: false });
    const sid = s.io.engine.id;
    const ws = new WebSocket(`ws://${host}/socket.io/?EIO=4&transport=websocket&sid=${encodeURIComponent(sid)}`);
    await once(ws, 'open');
    const opened = Date.now();
    await once(ws, 'close', 15000);
    const closedAfterMs = Date.now() - opened;
    const echo = await ask(s, 3000, 'echo', 'still polling');
    const result = { closedAfterMs, echo, transport: s.io.engine.transport.name, connected: s.connected };
    s.close();
    return result;
  },

  // Large, compressible payloads over long-polling with the fetch transport (which sends
  // Accept-Encoding and decodes, as a browser does): the Content-Encoding of each response.
  async httpCompression({ url }) {
    const encodings = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (...a) => {
      const response = await realFetch(...a);
      const body = await response.clone().text();
      encodings.push({ encoding: response.headers.get('content-encoding'), length: body.length, big: body.includes('zzzz') });
      return response;
    };
    const s = await connect(url, { transports: [Fetch] });
    const received = [];
    s.on('big', (text) => received.push(text.length));
    for (const ev of ['send-big', 'send-big-plain', 'send-small']) {
      encodings.length = 0;
      s.emit(ev);
      await once(s, 'big');
      await sleep(100);
      received.push(encodings.filter((e) => e.big).map((e) => e.encoding));
    }
    s.close();
    globalThis.fetch = realFetch;
    return { received };
  },

  // A large compressible message each way over a websocket; the extension negotiated and the bytes on the wire.
  async perMessageDeflate({ url }) {
    const s = await connect(url, { transports: ['websocket'] });
    const ws = s.io.engine.transport.ws;
    const extensions = ws.extensions;
    const before = ws._socket.bytesRead;
    const [text] = await new Promise((resolve) => { s.once('big', (...v) => resolve(v)); s.emit('send-big'); });
    const bigReadBytes = ws._socket.bytesRead - before;
    const beforePlain = ws._socket.bytesRead;
    await new Promise((resolve) => { s.once('big', resolve); s.emit('send-big-plain'); });
    const plainReadBytes = ws._socket.bytesRead - beforePlain;
    const echoed = await ask(s, 5000, 'echo', 'y'.repeat(50000));
    s.close();
    return { extensions, length: text.length, bigReadBytes, plainReadBytes, echoedLength: echoed.length };
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
