// Logs in to the admin UI's /admin namespace as the stock UI does (socket.io-client, basic auth) and
// prints what the server says: {"config":…} (the features the UI may use) or {"error":…}, then exits
// (also when the connection drops before the config, e.g. its node is draining, or after 20 s).
// Usage: node admin-config.js '{"url":"http://HOST:PORT","username":…,"password":…}'
'use strict';
const { io } = require('socket.io-client');

const opts = JSON.parse(process.argv[2]);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const admin = io(opts.url + '/admin', {
  transports: ['websocket'], forceNew: true, reconnection: false,
  auth: { type: 'basic', username: opts.username, password: opts.password },
});
admin.on('connect_error', (e) => {
  out({ error: e.message });
  process.exit(0);
});
let answered = false;
admin.on('disconnect', (reason) => {
  if (answered) return;
  out({ error: 'disconnected: ' + reason });
  process.exit(0);
});
setTimeout(() => {
  out({ error: 'no answer within 20 s' });
  process.exit(0);
}, 20000).unref();
admin.on('config', (config) => {
  answered = true;
  out({ config });
  admin.close();
  process.exit(0);
});
