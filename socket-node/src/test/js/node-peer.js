// A Node socket.io 4.8 server with @socket.io/redis-adapter: the reference peer that
// socket-node must interoperate with on one Redis. Usage: node node-peer.js PORT REDIS_URL
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const [, , port, redisUrl] = process.argv;

(async () => {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const httpServer = createServer();
  const io = new Server(httpServer, { adapter: createAdapter(pub, sub) });
  io.on('connection', (socket) => {
    socket.emit('hello', { node: 'node-peer', id: socket.id });
    socket.on('join', (room, ack) => { socket.join(room); ack && ack(); });
    socket.on('emit-all', (payload, ack) => { io.emit('all', payload, Buffer.from([9, 8, 7])); ack && ack(); });
    socket.on('to-room', (room, payload, ack) => { io.to(room).emit('room-message', payload); ack && ack(); });
    socket.on('broadcast', (payload, ack) => { socket.broadcast.emit('broadcasted', payload); ack && ack(); });
  });
  httpServer.listen(Number(port), '127.0.0.1', () => console.log('listening'));
})().catch((e) => { console.error(e); process.exit(1); });
