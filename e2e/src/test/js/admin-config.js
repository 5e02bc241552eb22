// Logs in to the admin UI's /admin namespace as the stock UI does (socket.io-client, basic auth) and
// prints what the server says: {"config":…} (the features the UI may use) or {"error":…}, then exits.
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
admin.on('config', (config) => {
  out({ config });
  admin.close();
  process.exit(0);
});
