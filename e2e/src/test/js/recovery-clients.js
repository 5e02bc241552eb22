// Official socket.io clients with their default options (polling first, then websocket;
// reconnection on) held open against a fleet whose nodes run the streams adapter, each in a room,
// while a publisher sends a steady stream of numbered room messages. Steered over stdin by the
// end-to-end tests; one JSON line per answer.
// Usage: node recovery-clients.js '{"url":…,"count":300,"rooms":10,"intervalMs":50[,"transports":["websocket"]]}'
//   report -> per-node counts, how many are connected, how many messages arrived so far and how many
//             clients got at least one of them
//   route URL -> every client's next connection goes to URL (a benchmark without a load balancer in
//             front: this is the balancer taking a dead server out)
//   start [URL] -> the publisher starts (through the fleet, or at URL): every intervalMs one message
//             to each room, numbered per room
//   stop   -> the publisher stops; once every client has its room's last message (or 30 s passed),
//             what each client got: lost (of the messages the server acknowledged), duplicated, out of
//             order, and what its reconnects were
//   open N -> N more clients (while the stream goes on, too: each owes only the messages sent after
//             its join was acknowledged), answered with a report once every one is set up
//   close N -> the N clients opened last leave (socket.close()); they count no more, in reports and tallies
//   quit
'use strict';
const readline = require('readline');
const { io } = require('socket.io-client');

const opts = JSON.parse(process.argv[2]);
const rooms = opts.rooms || 10;
const intervalMs = opts.intervalMs || 50;
const clients = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const sent = new Array(rooms).fill(0);
// Numbers go on from step to step; a step counts from these (a message of an earlier step arriving late is not one of its own).
let stepStart = new Array(rooms).fill(0);
const sentThisStep = () => sent.reduce((n, count, r) => n + count - stepStart[r], 0);
// The messages the server acknowledged, per room: those every member must get. One whose ack never
// came (the publisher's own connection was cut while it was in flight) may or may not have gone out.
let acked = Array.from({ length: rooms }, () => new Set());
// When each acknowledged message was acknowledged (room -> seq -> ms), to count what clients missed while away.
let ackedAt = Array.from({ length: rooms }, () => new Map());
let publisher = null;
let publishing = null;

function open(i) {
  const room = `room-${i % rooms}`;
  // Default options unless told otherwise: a benchmark with thousands of clients may leave out long-polling.
  const socket = io(opts.url, { forceNew: true, ...(opts.transports ? { transports: opts.transports } : {}) });
  const client = {
    socket, room, node: null, nodes: [], ids: [], connects: 0, trace: [], recovered: 0, fresh: 0,
    joined: false, got: [], late: 0, downAt: null, recoverMs: [], reasons: [], away: [], left: false,
    // The first message of its room it must get: one emitted after its join was acknowledged reaches it
    // wherever it is; one emitted before may or may not.
    from: 0,
  };
  // What the client went through while being set up, for the message of one that is not set up in time.
  const trace = client.trace;
  const started = Date.now();
  let settingUp = true;
  const note = (what) => { if (settingUp && trace.length < 40) trace.push(`${Date.now() - started}ms ${what}`); };
  socket.io.on('open', () => {
    note(`engine open ${socket.io.engine.transport.name} ${socket.io.engine.id}`);
    socket.io.engine.on('upgrading', (t) => note(`upgrading to ${t.name}`));
    socket.io.engine.on('upgradeError', (e) => note(`upgrade failed: ${e && e.message}`));
    socket.io.engine.on('upgrade', (t) => note(`upgraded to ${t.name}`));
  });
  socket.io.on('error', (e) => note(`manager error ${e && e.message}`));
  socket.io.on('close', (reason, d) => note(`manager close ${reason} ${d && d.message ? d.message : ''}`));
  socket.io.on('reconnect_attempt', (n) => note(`reconnect attempt ${n} to ${socket.io.uri}`));
  socket.on('connect_error', (e) => note(`connect_error ${e && e.message}`));
  socket.on('welcome', (w) => { note(`welcome from ${w.node}`); client.node = w.node; client.nodes.push(w.node); });
  // An emit whose connection breaks before its ack is not sent again (socket.io-client's default): ask
  // until the server says yes; joining twice is harmless.
  const join = () => socket.timeout(5000).emitWithAck('join', room).then(() => {
    note('joined');
    client.from = sent[i % rooms];
    client.joined = true;
  }, (e) => { note(`join not acknowledged: ${e && e.message}`); join(); });
  socket.on('chat', (m) => {
    const [r, seq] = m.text.split(':');
    if (r !== room) return;
    if (Number(seq) >= stepStart[i % rooms]) client.got.push(Number(seq));
    else client.late++;
  });
  socket.on('disconnect', (reason) => {
    note(`disconnect ${reason}`);
    client.downAt = Date.now();
    client.reasons.push(reason);
  });
  socket.on('connect', () => {
    note(`connect ${socket.id} recovered ${socket.recovered}`);
    client.connects++;
    client.ids.push(socket.id);
    if (client.connects === 1) {
      join();
    } else if (socket.recovered) {
      client.recovered++;
    } else {
      client.fresh++;
      socket.emit('join', room, () => {});  // as an application does when its session was not recovered
    }
    if (client.downAt !== null) {
      client.recoverMs.push(Date.now() - client.downAt);
      client.away.push([client.downAt, Date.now()]);
      client.downAt = null;
    }
  });
  clients[i] = client;
  const deadline = Date.now() + 60000;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (client.joined && client.node) {
        settingUp = false;
        resolve();
      } else if (Date.now() > deadline) {
        reject(new Error(`client ${i} not set up within 60 s: connected ${socket.connected}, joined ${client.joined}, `
          + `welcome ${client.node !== null}, trace ${JSON.stringify(trace)}`));
      } else setTimeout(check, 20);
    };
    check();
  });
}

const staying = () => clients.filter((c) => !c.left);

function report() {
  const perNode = {};
  for (const c of staying()) if (c.socket.connected && c.node) perNode[c.node] = (perNode[c.node] || 0) + 1;
  return {
    count: staying().length,
    connected: staying().filter((c) => c.socket.connected).length,
    perNode,
    received: staying().reduce((n, c) => n + c.got.length, 0),
    withMessage: staying().filter((c) => c.got.length > 0).length,
    sent: sentThisStep(),
  };
}

// Through the fleet like everyone else (if its node goes, it reconnects and sends what it buffered),
// or straight to one node the step leaves alone, so the stream goes on while clients are away.
async function startPublishing(url) {
  resetTally();
  publisher = io(url, { forceNew: true, transports: ['websocket'] });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`publisher could not connect to ${url}`)), 20000);
    publisher.once('connect', () => { clearTimeout(timer); resolve(); });
  });
  const socket = publisher;
  publishing = (async () => {
    while (publisher) {
      const acks = [];
      for (let r = 0; r < rooms; r++) {
        const seq = sent[r]++;
        acks.push(socket.timeout(15000).emitWithAck('chat', { from: 'publisher', room: `room-${r}`, text: `room-${r}:${seq}` })
          .then(() => { acked[r].add(seq); ackedAt[r].set(seq, Date.now()); }, () => {}));
      }
      await Promise.all(acks);
      await sleep(intervalMs);
    }
  })();
  return { started: true };
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function stopPublishing() {
  const p = publisher;
  publisher = null;
  await publishing;
  p.close();
  const clients = staying();
  const roomOf = (c) => Number(c.room.split('-')[1]);
  // The acknowledged messages client c owes: those of its room from its first on.
  const owed = (c) => [...acked[roomOf(c)]].filter((s) => s >= c.from);
  const has = (c) => { const seen = new Set(c.got); return owed(c).every((s) => seen.has(s)); };
  // A client whose connection died silently finds out by its ping timeout (25 s + 20 s by default), then recovers.
  const deadline = Date.now() + 90000;
  while (Date.now() < deadline && !clients.every(has)) await sleep(100);
  let lost = 0; let duplicated = 0; let outOfOrder = 0; const clientsWithLoss = [];
  for (const c of clients) {
    const expected = owed(c).length;
    const seen = new Set(c.got);
    let missing = 0;
    for (const s of owed(c)) if (!seen.has(s)) missing++;
    lost += missing;
    duplicated += c.got.length - seen.size;
    for (let k = 1; k < c.got.length; k++) if (c.got[k] <= c.got[k - 1]) outOfOrder++;
    if (missing > 0 || c.got.length !== seen.size || c.fresh > 0) {
      // The client's trace: where it went, why it left, whether it came back recovered, and which messages it lacks.
      const lacks = owed(c).filter((s) => !seen.has(s)).sort((a, b) => a - b);
      clientsWithLoss.push({
        node: c.nodes, ids: c.ids, reasons: c.reasons, recovered: c.recovered, fresh: c.fresh, missing,
        got: c.got.length, expected, lacks: lacks.length > 6 ? [...lacks.slice(0, 3), '…', ...lacks.slice(-3)] : lacks,
        away: c.away.map(([down, up]) => up - down),
      });
    }
  }
  const reconnected = clients.filter((c) => c.connects > 1);
  // Messages acknowledged while a client was away: what recovery had to bring it.
  let sentWhileAway = 0;
  for (const c of reconnected) {
    for (const [down, up] of c.away) {
      for (const at of ackedAt[roomOf(c)].values()) if (at >= down && at <= up) sentWhileAway++;
    }
  }
  const recoverMs = reconnected.flatMap((c) => c.recoverMs);
  const result = {
    clients: clients.length,
    sent: sentThisStep(),
    acked: acked.reduce((n, set) => n + set.size, 0),
    deliveriesExpected: clients.reduce((n, c) => n + owed(c).length, 0),
    // Of the acknowledged messages owed; one whose ack was lost may have gone out too, and is counted apart.
    delivered: clients.reduce((n, c) => n + new Set(c.got.filter((seq) => acked[roomOf(c)].has(seq) && seq >= c.from)).size, 0),
    lateFromEarlierSteps: clients.reduce((n, c) => n + c.late, 0),
    deliveredUnacknowledged: clients.reduce((n, c) => n + new Set(c.got.filter((seq) => !acked[roomOf(c)].has(seq))).size, 0),
    lost, duplicated, outOfOrder, clientsWithLoss: clientsWithLoss.slice(0, 5),
    reconnected: reconnected.length,
    sentWhileAway,
    recoveredEveryTime: reconnected.filter((c) => c.fresh === 0 && c.recovered === c.connects - 1).length,
    sameId: reconnected.filter((c) => new Set(c.ids).size === 1).length,
    freshSessions: clients.reduce((n, c) => n + c.fresh, 0),
    movedFrom: reconnected.reduce((acc, c) => ({ ...acc, [c.nodes[0]]: (acc[c.nodes[0]] || 0) + 1 }), {}),
    reasons: clients.flatMap((c) => c.reasons).reduce((acc, r) => ({ ...acc, [r]: (acc[r] || 0) + 1 }), {}),
    recoverMsMedian: percentile(recoverMs, 0.5),
    recoverMsMax: percentile(recoverMs, 1),
    recoverMsMin: percentile(recoverMs, 0),
  };
  resetTally();
  return result;
}

// A step counts from a clean slate: what happened before it (setting up, an earlier step) is not its doing.
function resetTally() {
  stepStart = [...sent];
  acked = Array.from({ length: rooms }, () => new Set());
  ackedAt = Array.from({ length: rooms }, () => new Map());
  for (const c of clients) {
    // From where each client is (or was last, if it is between two connections right now: rebalancing goes on).
    c.got = []; c.late = 0; c.connects = 1; c.ids = [c.ids[c.ids.length - 1]]; c.recovered = 0; c.fresh = 0; c.recoverMs = [];
    c.reasons = []; c.away = []; c.nodes = [c.node];
    if (c.downAt !== null) c.downAt = Date.now();
  }
}

async function openMore(count) {
  const first = clients.length;
  const opening = [];
  for (let i = first; i < first + count; i++) {
    opening.push(open(i));
    if (i % 20 === 19) await sleep(50);  // a gentle ramp, not a handshake storm
  }
  await Promise.all(opening);
}

function closeLast(count) {
  const open = staying();
  for (const c of open.slice(Math.max(0, open.length - count))) {
    c.left = true;
    c.socket.close();
  }
}

(async () => {
  await openMore(opts.count === undefined ? 300 : opts.count);
  // Clients whose connection broke while they were being set up, and what they went through.
  const troubled = clients.filter((c) => c.reasons.length > 0);
  out({ ready: true, ...report(), brokenWhileSettingUp: troubled.length, traces: troubled.slice(0, 3).map((c) => c.trace) });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const command = line.trim();
    if (command === 'report') out(report());
    else if (command === 'start') out(await startPublishing(opts.url));
    else if (command.startsWith('start ')) out(await startPublishing(command.substring(6)));
    else if (command === 'stop') out(await stopPublishing());
    else if (command.startsWith('route ')) { staying().forEach((c) => { c.socket.io.uri = command.substring(6); }); out(report()); }
    else if (command.startsWith('open ')) { await openMore(Number(command.substring(5))); out(report()); }
    else if (command.startsWith('close ')) { closeLast(Number(command.substring(6))); out(report()); }
    else if (command === 'quit') break;
  }
  if (publisher) publisher.close();
  clients.forEach((c) => c.socket.close());
  process.exit(0);
})().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1); });
