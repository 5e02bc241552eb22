// Node socket.io 4.8 with connection state recovery on, for the recovery benchmark, serving the
// same events as socket-node's demo app (welcome, join, chat to a room).
// Usage: node recovery-server.js HOST PORT REDIS_URL pubsub|streams
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');
const { createClient } = require('redis');

const [, , host, port, redisUrl, adapterKind] = process.argv;

(async () => {
  const pub = createClient({ url: redisUrl });
  await pub.connect();
  let adapter;
  if (adapterKind === 'streams') {
    adapter = require('@socket.io/redis-streams-adapter').createAdapter(pub);
  } else {
    const sub = pub.duplicate();
    await sub.connect();
    adapter = require('@socket.io/redis-adapter').createAdapter(pub, sub);
  }
  const name = `node-${port}`;
  const io = new Server(createServer(), { adapter, connectionStateRecovery: { maxDisconnectionDuration: 120000 } });
  io.on('connection', (socket) => {
    socket.emit('welcome', { node: name, transport: socket.conn.transport.name });
    socket.on('join', (room, ack) => { socket.join(room); ack({ ok: true }); });
    socket.on('chat', (m, ack) => {
      const said = { from: m.from, text: m.text, node: name };
      if (m.room) io.to(m.room).emit('chat', said); else io.emit('chat', said);
      ack({ ok: true });
    });
  });
  io.httpServer.listen(Number(port), host, () => console.log('listening'));
})().catch((e) => { console.error(e); process.exit(1); });
