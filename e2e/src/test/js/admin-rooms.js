// The admin UI's connection, as the stock UI makes it (socket.io-client on /admin with basic
// auth), watching rooms change while it stays connected, plus one plain client on another node.
// Usage: node admin-rooms.js '{"admin":"http://A","target":"http://B","username":…,"password":…}'
// Prints {"ready":true,"id":<the plain client's socket id>} once both are connected, then one line
// per room_joined / room_left the admin connection receives. Commands on stdin:
//   join ROOM / leave ROOM -> the admin UI's own join/leave command on the plain client's socket
//   upgrading -> one more client on the target node, polling first then upgrading; prints its id
//                ({"upgrading":id}); the admin connection's socket_updated lines follow
'use strict';
const readline = require('readline');
const { io } = require('socket.io-client');

const opts = JSON.parse(process.argv[2]);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const target = io(opts.target, { transports: ['websocket'], forceNew: true });
target.once('connect', () => {
  const admin = io(opts.admin + '/admin', {
    transports: ['websocket'], forceNew: true, reconnection: false,
    auth: { type: 'basic', username: opts.username, password: opts.password },
  });
  admin.on('connect_error', (e) => out({ error: e.message }));
  admin.on('room_joined', (nsp, room, id) => out({ event: 'room_joined', nsp, room, id }));
  admin.on('room_left', (nsp, room, id) => out({ event: 'room_left', nsp, room, id }));
  admin.on('socket_updated', (s) => out({ event: 'socket_updated', nsp: s.nsp, id: s.id, transport: s.transport }));
  admin.on('disconnect', (reason) => out({ event: 'disconnect', reason }));
  admin.once('all_sockets', () => {
    out({ ready: true, id: target.id });
    readline.createInterface({ input: process.stdin }).on('line', (line) => {
      const [command, room] = line.trim().split(/\s+/);
      if (command === 'join' || command === 'leave') {
        admin.emit(command, '/', room, target.id);
      } else if (command === 'upgrading') {
        const late = io(opts.target, { transports: ['polling', 'websocket'], forceNew: true });
        late.once('connect', () => out({ upgrading: late.id }));
      } else if (command === 'quit') {
        admin.close();
        target.close();
        process.exit(0);
      }
    });
  });
});
target.on('connect_error', (e) => out({ error: e.message }));
