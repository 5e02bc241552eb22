// Node socket.io 4.8 (default ws engine) with the benchmark's server behaviour: "echo"
// acknowledges its arguments, "broadcast" emits "msg" to everyone, "memory" reports the heap
// after a GC. With a Redis URL it joins a fleet through @socket.io/redis-adapter.
// Usage: node --expose-gc node-server.js HOST PORT PING_INTERVAL_MS PING_TIMEOUT_MS [REDIS_URL]
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');

const [, , host, port, pingInterval, pingTimeout, redisUrl] = process.argv;

(async () => {
  // /readyz as socket-node has it, for the cold-start scenario (socket.io leaves other paths to this handler).
  const httpServer = createServer((req, res) => {
    res.writeHead(req.url === '/readyz' ? 200 : 404);
    res.end();
  });
  const options = { pingInterval: Number(pingInterval), pingTimeout: Number(pingTimeout) };
  if (redisUrl) {
    const { createAdapter } = require('@socket.io/redis-adapter');
    const { createClient } = require('redis');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    options.adapter = createAdapter(pub, sub);
  }
  const io = new Server(httpServer, options);
  io.on('connection', (socket) => {
    socket.on('echo', (...args) => {
      const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
      if (ack) ack(...args);
    });
    socket.on('broadcast', (payload, ack) => {
      io.emit('msg', payload);
      if (typeof ack === 'function') ack();
    });
    socket.on('memory', (ack) => {
      for (let i = 0; i < 3; i++) global.gc();
      ack({ heapUsed: process.memoryUsage().heapUsed });
    });
  });
  httpServer.listen(Number(port), host, () => console.log('listening'));
})().catch((e) => { console.error(e); process.exit(1); });
