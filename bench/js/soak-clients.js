// The well-behaved half of the soak test: official socket.io-client instances that keep coming
// and going — websocket only, polling only, and polling that upgrades — each echoing with an ack
// every second and now and then asking for a broadcast, leaving either cleanly or by cutting its
// connection. Prints one JSON line of counts every REPORT_MS.
// Usage: node soak-clients.js URL CLIENTS REPORT_MS
'use strict';
const { io } = require('socket.io-client');

const [, , url, clientsArg, reportArg] = process.argv;
const CLIENTS = Number(clientsArg || 100);
const REPORT_MS = Number(reportArg || 60000);
const MODES = [
  { name: 'websocket', opts: { transports: ['websocket'] } },
  { name: 'polling', opts: { transports: ['polling'], upgrade: false } },
  { name: 'upgrade', opts: {} },
];
const counts = { started: 0, connected: 0, acked: 0, ackTimeouts: 0, broadcastsReceived: 0, cleanClose: 0,
  abruptClose: 0, connectErrors: 0, unexpectedDisconnects: 0 };

// Cuts the connection under the client without any Engine.IO goodbye.
function cut(socket) {
  const transport = socket.io.engine && socket.io.engine.transport;
  if (transport && transport.ws && transport.ws._socket) {
    transport.ws._socket.destroy();
  } else if (transport && transport.pollXhr) {
    // Drop the held poll's connection and forget the client: no close packet ever goes out.
    socket.io.engine.removeAllListeners();
    transport.removeAllListeners();
    transport.pollXhr.abort();
    socket.io.engine.clearTimeoutFn(socket.io.engine._pingTimeoutTimer);
  } else {
    socket.io.engine.close();
  }
}

function client() {
  const mode = MODES[counts.started % MODES.length];
  counts.started++;
  const socket = io(url, { forceNew: true, reconnection: false, ...mode.opts });
  let leaving = false;
  const lifeMs = 2000 + Math.random() * 18000;
  const ticker = setInterval(() => {
    if (!socket.connected) return;
    socket.timeout(5000).emit('echo', { n: counts.acked, pad: 'x'.repeat(200) }, (err) => {
      if (err) counts.ackTimeouts++; else counts.acked++;
    });
    if (Math.random() < 0.05) socket.emit('broadcast', 'b'.repeat(1000), () => {});
  }, 1000);
  socket.on('connect', () => { counts.connected++; });
  socket.on('msg', () => { counts.broadcastsReceived++; });
  socket.on('connect_error', () => { counts.connectErrors++; });
  socket.on('disconnect', () => { if (!leaving) counts.unexpectedDisconnects++; });
  setTimeout(() => {
    leaving = true;
    clearInterval(ticker);
    if (Math.random() < 0.4) {
      counts.abruptClose++;
      cut(socket);
    } else {
      counts.cleanClose++;
      socket.close();
    }
    setTimeout(client, Math.random() * 500);
  }, lifeMs);
}

for (let i = 0; i < CLIENTS; i++) setTimeout(client, Math.random() * 2000);
setInterval(() => console.log(JSON.stringify(counts)), REPORT_MS);
process.on('SIGTERM', () => process.exit(0));
