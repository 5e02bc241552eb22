#!/usr/bin/env bash
# socketfleet on minikube. Builds both images inside minikube (no registry), each tagged by a
# hash of what it is built from, so a changed tree always runs freshly built images; installs
# the CRD, RBAC and the operator; applies the example fleet; then checks one by one what only a
# real cluster can show (README: "What only a cluster can confirm") and names each that fails.
#   deploy/minikube-demo.sh          set everything up, then check it
#   deploy/minikube-demo.sh --check  only check what is deployed (it scales the fleet and
#                                    deletes one socket-node pod on the way)
#   deploy/minikube-demo.sh --tags   print the two image names this tree builds
#   deploy/minikube-demo.sh --down   remove everything this script created
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NAMESPACE=socketfleet-demo
OPERATOR_NAMESPACE=socketfleet-system
FLEET=deploy/examples/chat.yaml
FLEET_NAME=chat

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed; $2"; }

# A hash of the Dockerfile and of every file its COPY lines take from the build context: any
# change to what goes into an image gives it a new tag, so a stale image can never be the one
# that runs.
content_tag() {
  local dockerfile=$1 sources=()
  mapfile -t sources < <(awk '$1 == "COPY" && $2 !~ /^--from=/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }' "$dockerfile")
  ((${#sources[@]} > 0)) || fail "$dockerfile copies nothing from the build context"
  { sha256sum "$dockerfile"
    find "${sources[@]}" -type f ! -path '*/target/*' ! -path '*/node_modules/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-12
}

node_image() { echo "socketfleet/socket-node:0.1.0-$(content_tag socket-node/Dockerfile)"; }
operator_image() { echo "socketfleet/operator:0.1.0-$(content_tag operator/Dockerfile)"; }

build_image() {  # DOCKERFILE IMAGE
  if minikube image ls 2>/dev/null | grep -qF "$2"; then
    echo "$2 is already in minikube (built from exactly this content)"
  else
    minikube image build -f "$1" -t "$2" . || fail "building $2 failed (minikube image build -f $1 .)"
  fi
}

# deploy/ with the operator image replaced by the one just built (a kustomize images: edit in a
# throw-away overlay; kustomize takes a base only by relative path, hence the link).
operator_manifests() {  # IMAGE
  local overlay status=0
  overlay=$(mktemp -d)
  ln -s "$PWD/deploy" "$overlay/base"
  cat >"$overlay/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [base]
images:
  - name: socketfleet/operator
    newName: ${1%:*}
    newTag: ${1##*:}
YAML
  kubectl kustomize "$overlay" || status=$?
  rm -rf "$overlay"
  return "$status"
}

# The example fleet with its socket-nodes on the image just built (never pulled: it is only in minikube).
fleet_manifest() {  # IMAGE
  kubectl patch --local -f "$FLEET" --type merge -o yaml \
    -p "{\"spec\":{\"node\":{\"image\":\"$1\",\"imagePullPolicy\":\"Never\"}}}"
}

down() {
  step "Deleting the demo fleet and namespace $NAMESPACE"
  kubectl delete namespace "$NAMESPACE" --ignore-not-found --wait=true
  step "Removing the operator, its RBAC and the CRD"
  kubectl delete -k deploy/ --ignore-not-found --wait=true
  step "Removing socketfleet images from minikube"
  local image
  for image in $(minikube image ls 2>/dev/null | grep -E 'socketfleet/(operator|socket-node):' || true); do
    minikube image rm "$image" >/dev/null 2>&1 || true
  done
  step "Done. (minikube itself is left running: 'minikube stop' stops it.)"
}

up() {
  need minikube "see https://minikube.sigs.k8s.io/docs/start/"
  need kubectl "install kubectl matching your cluster version"
  need curl "install curl"

  step "Starting minikube (if it is not running)"
  if ! minikube status >/dev/null 2>&1; then
    # Calico enforces NetworkPolicy (minikube's default network does not), so Redis stays fleet-only.
    minikube start --cpus=2 --memory=4g --cni=calico || fail "minikube did not start; see 'minikube logs'"
  fi
  kubectl config use-context minikube >/dev/null || fail "no 'minikube' kubectl context"

  local node operator
  node=$(node_image)
  operator=$(operator_image)
  step "Building $node inside minikube"
  build_image socket-node/Dockerfile "$node"
  step "Building $operator inside minikube"
  build_image operator/Dockerfile "$operator"

  step "Installing the CRD, RBAC and the operator (deploy/, running $operator)"
  operator_manifests "$operator" | kubectl apply -f - || fail "applying deploy/ failed"
  kubectl -n "$OPERATOR_NAMESPACE" rollout status deployment/socketfleet-operator --timeout=180s \
    || fail "the operator did not become ready; see 'kubectl -n $OPERATOR_NAMESPACE logs deploy/socketfleet-operator'"

  step "Applying the example fleet $FLEET in namespace $NAMESPACE (socket-nodes run $node)"
  kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -
  fleet_manifest "$node" | kubectl -n "$NAMESPACE" apply -f - || fail "applying $FLEET failed"

  check_all "$node" "$operator"

  cat <<INFO

  Open $URL in several browser windows:
    * each window names, in large type, the socket-node it is connected to;
    * a chat message typed in one window appears in all of them, across nodes;
    * '?transport=polling' starts with long-polling and upgrades (sid routing in nginx).

  Scale and watch new windows land on new nodes (open ones stay connected):
    kubectl -n $NAMESPACE scale socketfleet/$FLEET_NAME --replicas=3
    kubectl -n $NAMESPACE get socketfleet $FLEET_NAME -w
    kubectl -n $NAMESPACE describe socketfleet $FLEET_NAME     # events: backends changed

  Remove everything: $0 --down
INFO
}

# ---------------------------------------------------------------------------------------------
# The checks: each prints ok or FAILED with its reason; the script fails at the end if any did.

FAILED=()
PASSED=0
URL=

check() {  # DESCRIPTION FUNCTION [ARGS…]
  local what=$1
  shift
  printf '  ... %s\n' "$what"
  if "$@"; then
    printf '  \033[32mok\033[0m     %s\n' "$what"
    PASSED=$((PASSED + 1))
  else
    printf '  \033[31mFAILED\033[0m %s\n' "$what"
    FAILED+=("$what")
  fi
}

why() { printf '         %s\n' "$*" >&2; return 1; }

fleet() { kubectl -n "$NAMESPACE" "$@"; }

pods_of() {  # COMPONENT → pod names
  fleet get pods -l "app.kubernetes.io/instance=$FLEET_NAME,app.kubernetes.io/component=$1" \
    --field-selector=status.phase=Running -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'
}

nginx_conf() { fleet get configmap "$FLEET_NAME-nginx" -o jsonpath='{.data.nginx\.conf}'; }
config_id() { nginx_conf | sed -n 's/.*X-Socketfleet-Config \([0-9a-f]*\) always;.*/\1/p'; }
upstream_servers() { nginx_conf | grep -cE '^ *server [^ ]+ weight=' || true; }
served_config_id() {
  curl -s -o /dev/null -D - --max-time 5 "$URL/nginx-healthz" | tr -d '\r' | sed -n 's/^[Xx]-[Ss]ocketfleet-[Cc]onfig: //p'
}
handshake_sid() {
  curl -fsS --max-time 5 "$URL/socket.io/?EIO=4&transport=polling" | sed -n 's/^0{"sid":"\([^"]*\)".*/\1/p'
}

# The Deployment's pods are the image just built: its template names it and its rollout is done.
deployment_runs() {  # IMAGE NAMESPACE DEPLOYMENT
  local image
  image=$(kubectl -n "$2" get deployment "$3" -o jsonpath='{.spec.template.spec.containers[0].image}') || return 1
  [[ $image == "$1" ]] || { why "deployment/$3 runs $image, not $1"; return 1; }
  kubectl -n "$2" rollout status "deployment/$3" --timeout=180s >/dev/null || why "deployment/$3 has not rolled out $1"
}

fleet_ready() {
  fleet wait "socketfleet/$FLEET_NAME" --for=condition=Ready --timeout=300s >/dev/null \
    || why "see 'kubectl -n $NAMESPACE describe socketfleet/$FLEET_NAME'"
}

engineio_handshake() {
  local sid
  sid=$(handshake_sid) || true
  [[ -n $sid ]] || why "GET $URL/socket.io/?EIO=4&transport=polling gave no Engine.IO open packet"
}

websocket_upgrade() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --http1.1 \
    -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: c29ja2V0ZmxlZXQtZGVtbyE=' "$URL/socket.io/?EIO=4&transport=websocket") || true
  [[ $code == 101 ]] || why "the websocket handshake through nginx answered $code, not 101"
}

# Each polling session is opened by one node and must keep reaching it: with several nodes,
# requests that lose their way answer 400 "Session ID unknown".
sid_routing() {
  local i sid code
  for i in $(seq 1 12); do
    sid=$(handshake_sid) || true
    [[ -n $sid ]] || { why "handshake $i failed"; return 1; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST --data '40' \
      "$URL/socket.io/?EIO=4&transport=polling&sid=$sid") || true
    [[ $code == 200 ]] || { why "session $i: its next request answered $code (routed to another node?)"; return 1; }
  done
}

nodes_on_redis() {
  local pod
  for pod in $(pods_of socket-node); do
    fleet get --raw "/api/v1/namespaces/$NAMESPACE/pods/$pod:3000/proxy/metrics" | grep -qE '^socketfleet_redis_connected 1(\.0)?$' \
      || { why "$pod is not connected to Redis (its /metrics: socketfleet_redis_connected)"; return 1; }
  done
}

# The metrics exporter beside nginx reads stub_status on the pod's loopback and serves it on port 9113.
nginx_exported() {
  local pod
  for pod in $(pods_of nginx); do
    fleet get --raw "/api/v1/namespaces/$NAMESPACE/pods/$pod:9113/proxy/metrics" | grep -qE '^nginx_up 1(\.0)?$' \
      || { why "$pod's metrics exporter cannot read nginx's stub_status (its /metrics: nginx_up)"; return 1; }
  done
}

# A pod outside the fleet tries Redis at its pod address; the NetworkPolicy must drop it.
redis_isolated() {
  local redis_pod redis_ip image answer
  redis_pod=$(pods_of redis | head -n 1)
  redis_ip=$(fleet get pod "$redis_pod" -o jsonpath='{.status.podIP}')
  image=$(fleet get pod "$redis_pod" -o jsonpath='{.spec.containers[0].image}')
  answer=$(fleet run "outsider-$RANDOM" --image="$image" --restart=Never --rm -i --quiet --command -- \
    sh -c "timeout 5 redis-cli -h $redis_ip -p 6379 PING 2>&1; echo exit=\$?" 2>&1) || true
  if grep -qE 'NOAUTH|PONG|WRONGPASS' <<<"$answer"; then
    why "a pod outside the fleet reached Redis ($answer): NetworkPolicy is not enforced (minikube start --cni=calico)"
  fi
  grep -q 'exit=' <<<"$answer" || why "the probe pod did not run: $answer"
}

# One Engine.IO websocket held open through nginx, in plain bash, until STOPFILE appears or
# SECONDS pass; fails as soon as the connection ends. A pong ("3") sent every second re-arms
# the node's ping timer, so the node never needs to ping and no frame needs parsing: reading
# only watches for the end of the stream.
hold_websocket() {  # HOST PORT SECONDS STOPFILE
  local host=$1 port=$2 seconds=$3 stop=$4 ws line status end next_pong=0
  trap '' PIPE  # a write to a closed connection fails instead of killing the shell
  exec {ws}<>"/dev/tcp/$host/$port" || return 1
  printf 'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c29ja2V0ZmxlZXQtZGVtbyE=\r\nSec-WebSocket-Version: 13\r\n\r\n' \
    "$host" "$port" >&"$ws"
  IFS= read -r -t 10 -u "$ws" line && [[ $line == "HTTP/1.1 101"* ]] || return 1
  end=$((SECONDS + seconds))
  while ((SECONDS < end)) && [[ ! -e $stop ]]; do
    if ((SECONDS >= next_pong)); then
      printf '\x81\x81\x00\x00\x00\x003' >&"$ws" || return 1  # text frame "3", zero mask
      next_pong=$((SECONDS + 1))
    fi
    status=0
    LC_ALL=C IFS= read -r -N 1 -t 1 -u "$ws" _ || status=$?
    ((status == 0 || status > 128)) || return 1
  done
  exec {ws}>&-
  [[ -e $stop ]]
}

# Scaling 3 → 5 with a kubectl rollout-restart stamp on the node Deployment and a websocket
# open through nginx. Runs the scale once; the outcomes are reported as separate checks.
SCALE_LOG=
scale_with_open_websocket() {
  SCALE_LOG=$(mktemp -d)
  local hostport=${URL#http://}
  hostport=${hostport%%/*}
  # Always from 3 (a second --check finds 5), so the scale changes the backends for real.
  fleet scale "socketfleet/$FLEET_NAME" --replicas=3 >/dev/null
  fleet rollout restart "deployment/$FLEET_NAME-node" >/dev/null
  fleet rollout status "deployment/$FLEET_NAME-node" --timeout=300s >/dev/null
  fleet_ready 2>/dev/null
  local settle=$((SECONDS + 120))  # until the pods the restart replaced have drained away
  while (($(pods_of socket-node | wc -l) != 3 && SECONDS < settle)); do sleep 2; done
  pods_of socket-node | sort >"$SCALE_LOG/nodes-before"
  fleet get pods -l "app.kubernetes.io/instance=$FLEET_NAME,app.kubernetes.io/component=nginx" \
    -o jsonpath='{range .items[*]}{.metadata.name}={.status.containerStatuses[0].restartCount}{"\n"}{end}' | sort >"$SCALE_LOG/nginx-before"
  (hold_websocket "${hostport%:*}" "${hostport##*:}" 300 "$SCALE_LOG/stop" && echo held || echo closed) >"$SCALE_LOG/websocket" 2>/dev/null &
  local holder=$!
  sleep 2
  fleet scale "socketfleet/$FLEET_NAME" --replicas=5 >/dev/null
  local deadline=$((SECONDS + 240)) id=
  while ((SECONDS < deadline)); do
    if [[ $(upstream_servers) == 5 ]]; then
      id=$(config_id)
      [[ $(served_config_id) == "$id" ]] && break
    fi
    sleep 2
  done
  echo "$id" >"$SCALE_LOG/config-id"  # empty when the ConfigMap never listed 5 servers
  served_config_id >"$SCALE_LOG/served-id"
  sleep 3
  touch "$SCALE_LOG/stop"
  wait "$holder"
  fleet get pods -l "app.kubernetes.io/instance=$FLEET_NAME,app.kubernetes.io/component=nginx" \
    -o jsonpath='{range .items[*]}{.metadata.name}={.status.containerStatuses[0].restartCount}{"\n"}{end}' | sort >"$SCALE_LOG/nginx-after"
  pods_of socket-node | sort >"$SCALE_LOG/nodes-after"
}

scale_reaches_nginx() {
  local id served
  id=$(cat "$SCALE_LOG/config-id")
  served=$(cat "$SCALE_LOG/served-id")
  [[ -n $id && $served == "$id" ]] \
    || why "ConfigMap: $(upstream_servers) upstream servers, config $id; nginx serves config '${served:-none}' (kubelet volume refresh or nginx reload missing)"
}

# The operator asks each nginx pod over the pod network which config it serves (ConfigApplied).
operator_confirms_config() {
  local id message
  id=$(cat "$SCALE_LOG/config-id")
  fleet wait "socketfleet/$FLEET_NAME" --for=condition=ConfigApplied --timeout=120s >/dev/null || true
  message=$(fleet get socketfleet "$FLEET_NAME" -o jsonpath='{.status.conditions[?(@.type=="ConfigApplied")].message}')
  [[ -n $id && $message == *"serve config $id"* && $message != *"not yet"* ]] \
    || why "ConfigApplied says '$message'; nginx.conf has config ${id:-none}"
}

nginx_reloaded_in_place() {
  cmp -s "$SCALE_LOG/nginx-before" "$SCALE_LOG/nginx-after" \
    || why "nginx pods before: $(tr '\n' ' ' <"$SCALE_LOG/nginx-before"); after: $(tr '\n' ' ' <"$SCALE_LOG/nginx-after")"
}

websocket_survived() {
  [[ $(cat "$SCALE_LOG/websocket") == held ]] || why "the websocket through nginx did not stay open until nginx served the new config"
}

scale_kept_others_fields() {
  local stamp replaced
  stamp=$(fleet get deployment "$FLEET_NAME-node" -o jsonpath='{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')
  [[ -n $stamp ]] || { why "kubectl's restartedAt annotation is gone from the node pod template"; return 1; }
  replaced=$(comm -23 "$SCALE_LOG/nodes-before" "$SCALE_LOG/nodes-after" | tr '\n' ' ')
  [[ -z $replaced ]] || why "the scale replaced socket-node pods: $replaced"
}

# A deleted socket-node drains: while it terminates but still serves, its sessions' sid entry
# stays in nginx's map, and it leaves the upstream (no new connections).
drain_keeps_sessions() {
  local pod ip token deadline conf
  pod=$(pods_of socket-node | head -n 1)
  ip=$(fleet get pod "$pod" -o jsonpath='{.status.podIP}')
  [[ $ip == *.*.*.* ]] || { why "pod $pod has no IPv4 address ($ip); this check reads IPv4 route tokens"; return 1; }
  local octets=()
  IFS=. read -r -a octets <<<"$ip"
  token=$(printf '%02x%02x%02x%02x0bb8' "${octets[@]}")
  fleet delete pod "$pod" --wait=false >/dev/null
  deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    conf=$(nginx_conf)
    if grep -qF "\"~^$token" <<<"$conf" && ! grep -qF "server $ip:3000 " <<<"$conf"; then
      return 0
    fi
    sleep 1
  done
  why "while $pod terminated, nginx.conf never kept its sid entry ($token) with it out of the upstream"
}

# nginx reached at its own pod address through the API server: on an IPv6-only cluster that
# address is IPv6, and nginx must listen there.
nginx_on_pod_address() {
  local pod
  pod=$(pods_of nginx | head -n 1)
  fleet get --raw "/api/v1/namespaces/$NAMESPACE/pods/$pod:8080/proxy/nginx-healthz" >/dev/null \
    || why "nginx does not answer on its pod address $(fleet get pod "$pod" -o jsonpath='{.status.podIP}')"
}

check_all() {  # NODE_IMAGE OPERATOR_IMAGE
  step "Checking what only a cluster can confirm"
  check "the operator runs the image just built ($2)" deployment_runs "$2" "$OPERATOR_NAMESPACE" socketfleet-operator
  check "the fleet turns Ready (kubectl wait; node and nginx rollouts finished)" fleet_ready
  if [[ ${#FAILED[@]} -gt 0 ]]; then
    summary
  fi
  URL=$(minikube service -n "$NAMESPACE" "$FLEET_NAME-nginx" --url | head -n 1) || fail "no URL for service $FLEET_NAME-nginx"
  check "socket-nodes run the image just built ($1)" deployment_runs "$1" "$NAMESPACE" "$FLEET_NAME-node"
  check "Engine.IO handshake through the nginx Service" engineio_handshake
  check "websocket upgrade through the nginx Service" websocket_upgrade
  check "polling sessions keep reaching their own node (sid routing on pod IPs)" sid_routing
  check "every socket-node is connected to Redis (password from the Secret)" nodes_on_redis
  check "a pod outside the fleet cannot reach Redis (NetworkPolicy enforced)" redis_isolated
  check "nginx answers on its own pod address (IPv6 on an IPv6-only cluster)" nginx_on_pod_address
  check "the exporter beside every nginx pod reads its stub_status (nginx_up 1 on port 9113)" nginx_exported
  step "Scaling 3 → 5 with a websocket open and a 'kubectl rollout restart' stamp on the nodes"
  scale_with_open_websocket || true  # (run outside errexit: what goes wrong shows in the checks below)
  check "a scale reaches nginx: ConfigMap rewritten, kubelet refreshed the volume, nginx serves the new X-Socketfleet-Config" \
    scale_reaches_nginx
  check "the operator confirms it: ConfigApplied, every ready nginx pod serves that config" operator_confirms_config
  check "nginx reloaded in place (same pods, no restarts)" nginx_reloaded_in_place
  check "a websocket open through nginx stayed up across the reload" websocket_survived
  check "server-side apply: the scale kept kubectl's restartedAt stamp and replaced no socket-node" scale_kept_others_fields
  check "a terminating socket-node keeps its sessions' route while it drains (EndpointSlice serving/terminating)" drain_keeps_sessions
  rm -rf "$SCALE_LOG"
  if ! fleet get pods -o jsonpath='{.items[*].status.podIPs[*].ip}' | grep -q ':'; then
    printf '  note   IPv6-only: not checked here (this cluster gives pods IPv4 addresses)\n'
  fi
  summary
}

summary() {
  if [[ ${#FAILED[@]} -gt 0 ]]; then
    printf '\n\033[31m%d check(s) failed:\033[0m\n' "${#FAILED[@]}"
    printf '  - %s\n' "${FAILED[@]}"
    exit 1
  fi
  printf '\nAll %d checks passed.\n' "$PASSED"
}

check_only() {
  need kubectl "install kubectl"
  need minikube "see https://minikube.sigs.k8s.io/docs/start/"
  need curl "install curl"
  check_all "$(node_image)" "$(operator_image)"
}

case "${1:-}" in
  --down) need kubectl "install kubectl"; need minikube "see https://minikube.sigs.k8s.io/docs/start/"; down ;;
  --check) check_only ;;
  --tags) node_image; operator_image ;;
  "") up ;;
  *) fail "unknown argument '$1' (use --check, --tags, --down or nothing)" ;;
esac
