// A Node socket.io 4.8 server with @socket.io/redis-streams-adapter 0.3.1 and connection state
// recovery, running the same app as the tests' RecoveryApp. Usage: node node-streams-peer.js PORT REDIS_URL
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-streams-adapter');
const { createClient } = require('redis');

const [, , port, redisUrl] = process.argv;

(async () => {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const httpServer = createServer();
  const io = new Server(httpServer, {
    adapter: createAdapter(redis),
    connectionStateRecovery: { maxDisconnectionDuration: 120000 },
  });
  io.on('connection', (socket) => {
    if (!socket.recovered) {
      socket.join(socket.handshake.auth.room);
      socket.data.name = socket.handshake.auth.name;
    }
    socket.on('publish', (room, from, count, ack) => {
      for (let i = from; i < from + count; i++) io.to(room).emit('msg', i);
      ack(count);
    });
    socket.on('whoami', (ack) => ack({
      id: socket.id, recovered: socket.recovered, rooms: [...socket.rooms].sort(), data: socket.data, node: 'node-peer',
    }));
  });
  httpServer.listen(Number(port), '127.0.0.1', () => console.log('listening'));
})().catch((e) => { console.error(e); process.exit(1); });
