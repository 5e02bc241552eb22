// One process of the Node load generator: official socket.io-client 4.8 clients (websocket
// transport) spread round-robin over the given servers, driven by JSON lines on stdin:
//   {"cmd":"echo","ms":N}   every client loops emit("echo") with an ack for N ms
//   {"cmd":"emit","r":R}    the first client asks for broadcast round R
//   {"cmd":"stats"}         latencies (µs -> count) and operations since the last stats, then reset
// and answering with JSON lines on stdout: {"ev":"ready"}, {"ev":"round","r":R} once all of its
// clients have round R, {"ev":"echo"|"stats","ops":N,"hist":{...}}. Timestamps are
// process.hrtime (CLOCK_MONOTONIC, the clock Java's System.nanoTime reads too).
// Usage: node load-clients.js COUNT URL [URL...]
'use strict';
const { io } = require('socket.io-client');
const readline = require('readline');

const [, , countArg, ...urls] = process.argv;
const count = Number(countArg);
const clients = [];
let hist = new Map();
let ops = 0;
const rounds = new Map();

const now = () => Number(process.hrtime.bigint());
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');

function record(nanos) {
  const micros = Math.max(1, Math.round(nanos / 1000));
  hist.set(micros, (hist.get(micros) || 0) + 1);
  ops++;
}

function takeStats(ev) {
  send({ ev, ops, hist: Object.fromEntries(hist) });
  hist = new Map();
  ops = 0;
}

function onMsg(payload) {
  record(now() - payload.t);
  const seen = (rounds.get(payload.r) || 0) + 1;
  if (seen === clients.length) {
    rounds.delete(payload.r);
    send({ ev: 'round', r: payload.r });
  } else {
    rounds.set(payload.r, seen);
  }
}

function connectOne(i) {
  return new Promise((resolve, reject) => {
    const socket = io(urls[i % urls.length], { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60000 });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
    socket.on('msg', onMsg);
  });
}

function echo(ms) {
  let running = true;
  const loop = (socket) => {
    const sent = now();
    socket.emit('echo', { t: sent }, () => {
      if (running) {
        record(now() - sent);
        loop(socket);
      }
    });
  };
  clients.forEach(loop);
  setTimeout(() => {
    running = false;
    takeStats('echo');
  }, ms);
}

(async () => {
  for (let i = 0; i < count; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 50); j++) batch.push(connectOne(j));
    clients.push(...await Promise.all(batch));
  }
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const command = JSON.parse(line);
    if (command.cmd === 'echo') echo(command.ms);
    else if (command.cmd === 'emit') clients[0].emit('broadcast', { t: now(), r: command.r }, () => {});
    else if (command.cmd === 'stats') takeStats('stats');
  }).on('close', () => {
    clients.forEach((socket) => socket.disconnect());
    process.exit(0);
  });
  send({ ev: 'ready' });
})().catch((e) => {
  console.error(e && e.stack || String(e));
  process.exit(1);
});
