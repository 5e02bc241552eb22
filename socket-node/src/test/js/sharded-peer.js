// A Node socket.io 4.8 server with @socket.io/redis-adapter's createShardedAdapter (Redis 7
// SSUBSCRIBE/SPUBLISH): the reference peer socket-node must interoperate with in sharded mode,
// on one Redis or a Redis Cluster. It also runs official socket.io-clients against any server.
// Usage: node sharded-peer.js PORT REDIS_URL SUBSCRIPTION_MODE [cluster]
// Prints "listening", then reads one JSON command per line on stdin and answers each with one
// JSON line {id, result} or {id, error}. Commands (op):
//   connect {url, name, rooms}        a client; it answers 'question' with "<name> answers <arg>"
//   events {name}                     what that client received so far: [[event, ...args], …]
//   emit {room?, event, payload}      io(.to(room)).emit(event, payload, Buffer [9,8,7])
//   fetch {room?}                     io(.in(room)).fetchSockets() as {id, rooms, data}
//   remoteEmit {room, event, payload} fetchSockets() in room, then socket.emit on each
//   join {room?, rooms} / leave …     io(.in(room)).socketsJoin / socketsLeave
//   disconnect {room?}                io(.in(room)).disconnectSockets(true)
//   serverSideEmit {arg}              io.serverSideEmit('note', arg)
//   serverSideEmitWithAck {arg}       io.serverSideEmitWithAck('ping-server', arg) (the adapter's 5 s)
//   emitWithAck {room?, arg}          io(.to(room)).timeout(5000).emitWithAck('question', arg)
//   notes                             the 'note' server-side emits this server received
'use strict';
const { createServer } = require('http');
const readline = require('readline');
const { Server } = require('socket.io');
const { io: connectClient } = require('socket.io-client');
const { createShardedAdapter } = require('@socket.io/redis-adapter');
const { createClient, createCluster } = require('redis');

const [, , port, redisUrl, subscriptionMode, topology] = process.argv;

const clients = new Map();
const notes = [];

const plain = (value) => (Buffer.isBuffer(value) ? { binary: Array.from(value) } : value);

async function redisClients() {
  if (topology === 'cluster') {
    const url = new URL(redisUrl);
    const cluster = createCluster({
      rootNodes: [{ url: `redis://${url.host}` }],
      defaults: { password: decodeURIComponent(url.password) || undefined },
    });
    await cluster.connect();
    // node-redis' cluster client holds its sharded subscriptions on the shard owning each channel.
    return [cluster, cluster];
  }
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return [pub, sub];
}

const ops = {
  async connect({ url, name, rooms = [] }) {
    const socket = connectClient(url, { reconnection: false, forceNew: true, transports: ['websocket'], auth: { name, rooms } });
    const received = [];
    socket.onAny((event, ...args) => received.push([event, ...args.map(plain)]));
    socket.on('question', (arg, ack) => ack(`${name} answers ${arg}`));
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    // The server joins the rooms on connection: wait until it says so.
    await new Promise((resolve) => (received.some((e) => e[0] === 'ready') ? resolve() : socket.once('ready', resolve)));
    clients.set(name, { socket, received });
    return { id: socket.id };
  },
  async events({ name }) {
    const client = clients.get(name);
    return { connected: client.socket.connected, events: client.received.filter((e) => e[0] !== 'ready') };
  },
  async emit({ room, event, payload }, io) {
    (room ? io.to(room) : io).emit(event, payload, Buffer.from([9, 8, 7]));
    return {};
  },
  async fetch({ room }, io) {
    const sockets = await (room ? io.in(room) : io).fetchSockets();
    return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data }));
  },
  async remoteEmit({ room, event, payload }, io) {
    const sockets = await io.in(room).fetchSockets();
    sockets.forEach((s) => s.emit(event, payload));
    return { count: sockets.length };
  },
  async join({ room, rooms }, io) {
    (room ? io.in(room) : io).socketsJoin(rooms);
    return {};
  },
  async leave({ room, rooms }, io) {
    (room ? io.in(room) : io).socketsLeave(rooms);
    return {};
  },
  async disconnect({ room }, io) {
    (room ? io.in(room) : io).disconnectSockets(true);
    return {};
  },
  async serverSideEmit({ arg }, io) {
    io.serverSideEmit('note', arg);
    return {};
  },
  async serverSideEmitWithAck({ arg }, io) {
    return (await io.serverSideEmitWithAck('ping-server', arg)).sort();
  },
  async emitWithAck({ room, arg }, io) {
    return (await (room ? io.to(room) : io).timeout(5000).emitWithAck('question', arg)).sort();
  },
  async notes() {
    return notes;
  },
};

(async () => {
  const [pub, sub] = await redisClients();
  const httpServer = createServer();
  const io = new Server(httpServer, { adapter: createShardedAdapter(pub, sub, { subscriptionMode }) });
  io.on('connection', (socket) => {
    socket.data = { name: socket.handshake.auth.name, server: 'node' };
    (socket.handshake.auth.rooms || []).forEach((room) => socket.join(room));
    socket.emit('ready');
  });
  io.on('note', (arg) => notes.push(arg));
  io.on('ping-server', (arg, callback) => callback(`node answers ${arg}`));
  httpServer.listen(Number(port), '127.0.0.1', () => console.log('listening'));

  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', async (line) => {
    const command = JSON.parse(line);
    try {
      const result = await ops[command.op](command, io);
      console.log(JSON.stringify({ id: command.id, result }));
    } catch (e) {
      console.log(JSON.stringify({ id: command.id, error: String(e && e.message || e) }));
    }
  });
  lines.on('close', () => process.exit(0));
})().catch((e) => { console.error(e); process.exit(1); });
