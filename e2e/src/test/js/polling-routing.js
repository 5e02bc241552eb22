// Speaks Engine.IO long-polling by hand through nginx and records which node answered each
// request (the X-Socketfleet-Node header): every request of a session must reach the node
// that issued its sid. Usage: node polling-routing.js '{"url":…,"sessions":20,"rounds":5}'
'use strict';
const http = require('http');

const { url, sessions, rounds } = JSON.parse(process.argv[2]);
const base = new URL(url);

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, agent: false,
      headers: body ? { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': Buffer.byteLength(body) } : {} },
    (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, node: res.headers['x-socketfleet-node'], body: data }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    if (body) req.write(body);
    req.end();
  });
}

async function session() {
  const open = await request('GET', '/socket.io/?EIO=4&transport=polling');
  const sid = JSON.parse(open.body.slice(1)).sid;
  const nodes = [open.node];
  const statuses = [open.status];
  const q = `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
  const post = await request('POST', q, '40');
  nodes.push(post.node); statuses.push(post.status);
  const connect = await request('GET', q);
  nodes.push(connect.node); statuses.push(connect.status);
  for (let i = 0; i < rounds; i++) {
    const p = await request('POST', q, `42["chat",{"from":"poller","text":"round ${i}"}]`);
    const g = await request('GET', q);
    nodes.push(p.node, g.node); statuses.push(p.status, g.status);
  }
  await request('POST', q, '1');
  return { sid, nodes, statuses };
}

(async () => {
  const results = await Promise.all(Array.from({ length: sessions }, session));
  console.log(JSON.stringify({ results }));
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
