// A Node socket.io 4.8 server with @socket.io/redis-adapter (or, with "streams", with
// @socket.io/redis-streams-adapter): the reference peer that socket-node must interoperate with
// on one Redis. Usage: node node-peer.js PORT REDIS_URL [pubsub|streams]
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');
const { createClient } = require('redis');

const [, , port, redisUrl, adapterKind = 'pubsub'] = process.argv;

// The fleet-wide operations, run on this server at a client's request (the same events as the
// Java TestApp's ClusterOps); each acknowledges with what the operation returned.
const target = (io, { rooms = [], except = [] } = {}) => {
  let op = io.timeout(3000);
  rooms.forEach((r) => { op = op.to(r); });
  except.forEach((r) => { op = op.except(r); });
  return op;
};
const describe = (s) => ({
  id: s.id, user: s.data && s.data.user, rooms: [...s.rooms].sort(), address: s.handshake.address,
  authUser: s.handshake.auth && s.handshake.auth.user, query: s.handshake.query && s.handshake.query.EIO,
});
const settled = async (promise) => {
  try {
    return { complete: true, answers: await promise };
  } catch (e) {
    return { complete: false, answers: e.responses || [] };
  }
};
const findByUser = async (io, user) => (await io.fetchSockets()).find((s) => s.data && s.data.user === user);
function installClusterOps(io, socket, notes) {
  socket.on('fetch', async (opts, ack) => ack((await target(io, opts).fetchSockets()).map(describe)));
  socket.on('sockets-join', (opts, room, ack) => { target(io, opts).socketsJoin(room); ack(); });
  socket.on('sockets-leave', (opts, room, ack) => { target(io, opts).socketsLeave(room); ack(); });
  socket.on('disconnect-sockets', (opts, close, ack) => { target(io, opts).disconnectSockets(close); ack(); });
  socket.on('ask-all', async (opts, ack) => ack(await settled(target(io, opts).emitWithAck('question', 'who?'))));
  socket.on('server-ping', async (text, ack) => ack(await settled(io.serverSideEmitWithAck('ping', text))));
  socket.on('server-note', (text, ack) => { io.serverSideEmit('note', text); ack(); });
  socket.on('notes', (ack) => ack(notes));
  socket.on('all-rooms', async (ack) => ack([...await io.of('/').adapter.allRooms()]));
  socket.on('remote-direct', async (user, text, ack) => {
    const remote = await findByUser(io, user);
    remote.emit('direct', text);
    remote.join('touched');
    ack();
  });
  socket.on('remote-ask', async (user, ack) => {
    const remote = await findByUser(io, user);
    try {
      ack(await remote.timeout(3000).emitWithAck('question', 'just you?'));
    } catch (e) {
      ack({ error: e.message });
    }
  });
}

(async () => {
  const pub = createClient({ url: redisUrl });
  let adapter;
  if (adapterKind === 'streams') {
    await pub.connect();
    adapter = require('@socket.io/redis-streams-adapter').createAdapter(pub);
  } else {
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    adapter = require('@socket.io/redis-adapter').createAdapter(pub, sub);
  }
  const httpServer = createServer();
  const io = new Server(httpServer, { adapter });
  const notes = [];
  io.on('ping', (text, cb) => cb({ node: 'node-peer', got: text }));
  io.on('note', (text) => notes.push(text));
  io.on('connection', (socket) => {
    if (socket.handshake.auth && socket.handshake.auth.user) socket.data.user = socket.handshake.auth.user;
    installClusterOps(io, socket, notes);
    socket.emit('hello', { node: 'node-peer', id: socket.id });
    socket.on('join', (room, ack) => { socket.join(room); ack && ack(); });
    socket.on('emit-all', (payload, ack) => { io.emit('all', payload, Buffer.from([9, 8, 7])); ack && ack(); });
    socket.on('to-room', (room, payload, ack) => { io.to(room).emit('room-message', payload); ack && ack(); });
    socket.on('broadcast', (payload, ack) => { socket.broadcast.emit('broadcasted', payload); ack && ack(); });
    // VolatileAcrossNodesIT: plain, volatile, plain, then a volatile broadcast with acks, to a room on other servers.
    socket.on('volatile-burst', async (room, ack) => {
      io.to(room).emit('n', 1);
      io.to(room).volatile.emit('n', 2);
      io.to(room).emit('n', 3);
      const replies = await settled(io.to(room).volatile.timeout(5000).emitWithAck('ask'));
      io.to(room).emit('end');
      ack(replies);
    });
  });
  httpServer.listen(Number(port), '127.0.0.1', () => console.log('listening'));
})().catch((e) => { console.error(e); process.exit(1); });
