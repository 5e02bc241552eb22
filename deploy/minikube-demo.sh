#!/usr/bin/env bash
# socketfleet on minikube: builds both images inside minikube (no registry needed), installs
# the CRD and the operator, applies the example fleet and prints its URL.
#   deploy/minikube-demo.sh          set everything up
#   deploy/minikube-demo.sh --down   remove everything this script created
set -euo pipefail
cd "$(dirname "$0")/.."

NAMESPACE=socketfleet-demo
FLEET=deploy/examples/chat.yaml
NODE_IMAGE=socketfleet/socket-node:0.1.0
OPERATOR_IMAGE=socketfleet/operator:0.1.0

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed; $2"
}

down() {
  step "Deleting the demo fleet and namespace $NAMESPACE"
  kubectl delete namespace "$NAMESPACE" --ignore-not-found --wait=true
  step "Removing the operator, its RBAC and the CRD"
  kubectl delete -k deploy/ --ignore-not-found --wait=true
  step "Removing the images from minikube"
  minikube image rm "$NODE_IMAGE" "$OPERATOR_IMAGE" >/dev/null 2>&1 || true
  step "Done. (minikube itself is left running: 'minikube stop' stops it.)"
}

up() {
  need minikube "see https://minikube.sigs.k8s.io/docs/start/"
  need kubectl "install kubectl matching your cluster version"

  step "Starting minikube (if it is not running)"
  if ! minikube status >/dev/null 2>&1; then
    # Calico enforces NetworkPolicy (minikube's default network does not), so Redis stays fleet-only.
    minikube start --cpus=2 --memory=4g --cni=calico || fail "minikube did not start; see 'minikube logs'"
  fi
  kubectl config use-context minikube >/dev/null || fail "no 'minikube' kubectl context"

  step "Building $NODE_IMAGE inside minikube"
  minikube image build -f socket-node/Dockerfile -t "$NODE_IMAGE" . || fail "socket-node image build failed"
  step "Building $OPERATOR_IMAGE inside minikube"
  minikube image build -f operator/Dockerfile -t "$OPERATOR_IMAGE" . || fail "operator image build failed"

  step "Installing the CRD, RBAC and the operator (kubectl apply -k deploy/)"
  kubectl apply -k deploy/ || fail "applying deploy/ failed"
  kubectl -n socketfleet-system rollout status deployment/socketfleet-operator --timeout=180s \
    || fail "the operator did not become ready; see 'kubectl -n socketfleet-system logs deploy/socketfleet-operator'"

  step "Applying the example fleet $FLEET in namespace $NAMESPACE"
  kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -
  kubectl -n "$NAMESPACE" apply -f "$FLEET" || fail "applying $FLEET failed"

  step "Waiting for the fleet's Ready condition"
  kubectl -n "$NAMESPACE" wait socketfleet/chat --for=condition=Ready --timeout=300s \
    || fail "the fleet is not Ready; see 'kubectl -n $NAMESPACE describe socketfleet/chat'"
  kubectl -n "$NAMESPACE" get socketfleet chat

  step "The fleet's URL"
  local url
  url=$(minikube service -n "$NAMESPACE" chat-nginx --url | head -n 1) || fail "no URL for service chat-nginx"
  cat <<INFO

  Open $url in several browser windows:
    * each window names, in large type, the socket-node it is connected to;
    * a chat message typed in one window appears in all of them, across nodes;
    * '?transport=polling' starts with long-polling and upgrades (sid routing in nginx).

  Scale and watch new windows land on new nodes (open ones stay connected):
    kubectl -n $NAMESPACE scale socketfleet/chat --replicas=5
    kubectl -n $NAMESPACE get socketfleet chat -w
    kubectl -n $NAMESPACE describe socketfleet chat     # events: backends changed

  Remove everything: $0 --down
INFO
}

case "${1:-}" in
  --down) need kubectl "install kubectl"; need minikube "see https://minikube.sigs.k8s.io/docs/start/"; down ;;
  "") up ;;
  *) fail "unknown argument '$1' (use --down or nothing)" ;;
esac
