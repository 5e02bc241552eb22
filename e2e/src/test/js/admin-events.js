// The admin UI's connection (socket.io-client on /admin with basic auth, as the stock UI makes it) on
// one node, and a plain client of another node that chats once under a name. Prints one JSON line per
// thing the admin connection hears about that client — {"config":…} first, then
// {"event":"socket_updated"|"event_received"|"event_sent", …} — and {"stats":…} for every
// server_stats (server id, polling clients, aggregated events), until "quit" on stdin.
// Usage: node admin-events.js '{"admin":"http://A","target":"http://B","username":…,"password":…}'
'use strict';
const readline = require('readline');
const { io } = require('socket.io-client');

const opts = JSON.parse(process.argv[2]);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const admin = io(opts.admin + '/admin', {
  transports: ['websocket'], forceNew: true, reconnection: false,
  auth: { type: 'basic', username: opts.username, password: opts.password },
});
let target = null;
const about = (id) => target !== null && id === target.id;
admin.on('connect_error', (e) => out({ error: e.message }));
admin.on('config', (config) => {
  out({ config });
  // The client connects once the admin connection listens, so everything about it is heard.
  target = io(opts.target, { transports: ['websocket'], forceNew: true });
  target.once('connect', () => {
    out({ target: target.id });
    target.emit('chat', { from: 'ada', text: 'hello admins' }, () => out({ chatted: true }));
  });
});
admin.on('socket_updated', (s) => { if (about(s.id)) out({ event: 'socket_updated', nsp: s.nsp, data: s.data }); });
admin.on('event_received', (nsp, id, args) => { if (about(id)) out({ event: 'event_received', nsp, args }); });
admin.on('event_sent', (nsp, id, args) => { if (about(id)) out({ event: 'event_sent', nsp, args }); });
admin.on('all_sockets', (sockets) => out({ allSockets: sockets.length }));
admin.on('server_stats', (s) => out({
  stats: { serverId: s.serverId, clientsCount: s.clientsCount, pollingClientsCount: s.pollingClientsCount,
    aggregatedEvents: s.aggregatedEvents },
}));
admin.on('disconnect', (reason) => out({ event: 'disconnect', reason }));
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'quit') {
    admin.close();
    if (target) target.close();
    process.exit(0);
  }
});
