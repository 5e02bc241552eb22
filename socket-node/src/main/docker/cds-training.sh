#!/bin/bash
# Builds socket-node's application class-data sharing archive (AppCDS): starts the node with
# -XX:ArchiveClassesAtExit, takes it through what a fresh node does first — /readyz, a polling
# handshake and CONNECT, a websocket that joins "/" — and stops it with SIGTERM; at exit the JVM
# writes every class it loaded to the archive. A node started with -XX:SharedArchiveFile=ARCHIVE
# then maps those classes instead of loading and verifying them one by one.
# Usage: cds-training.sh JAR ARCHIVE [PORT]   (the image runs it at build time; bash's /dev/tcp is the client)
set -euo pipefail

jar=$1
archive=$2
port=${3:-3000}

# No drain at the end: the training clients need no gradual goodbye.
java -XX:ArchiveClassesAtExit="$archive" -jar "$jar" --port "$port" --drain-seconds 0 &
node=$!

# One HTTP/1.1 exchange; prints the response.
request() {
    local reply
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf '%b' "$1" >&3
    reply=$(timeout 5 cat <&3 || true)
    exec 3<&-
    printf '%s' "$reply"
}

ready=""
for _ in $(seq 1 600); do
    if (request 'GET /readyz HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n' | head -1 | grep -q ' 200') 2>/dev/null; then
        ready=yes
        break
    fi
    sleep 0.1
done
if [ -z "$ready" ]; then
    echo "cds-training: socket-node never became ready" >&2
    kill -TERM "$node" || true
    exit 1
fi

handshake=$(request 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n')
sid=$(printf '%s' "$handshake" | grep -o '"sid":"[^"]*"' | head -1 | cut -d'"' -f4)
request "POST /socket.io/?EIO=4&transport=polling&sid=$sid HTTP/1.1\r\nHost: training\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: 2\r\nConnection: close\r\n\r\n40" >/dev/null
request "GET /socket.io/?EIO=4&transport=polling&sid=$sid HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n" >/dev/null

# A websocket: the upgrade, then "40" (CONNECT to "/") as a masked text frame with a zero mask, then a close frame.
request 'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: training\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\x81\x82\x00\x00\x00\x0040\x88\x80\x00\x00\x00\x00' >/dev/null

kill -TERM "$node"
wait "$node" || true
test -s "$archive"
