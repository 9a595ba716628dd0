#!/usr/bin/env bash
# Builds the `helm` CLI the chart tests use, from the pinned Go module, into a cache outside
# the repo:
#   $RAMP_CACHE_DIR/helm-<version>/bin/helm        (RAMP_CACHE_DIR defaults to ~/.cache/ramp)
# Skips the build when the binary already exists. Safe to re-run and to run concurrently
# (a second caller waits for the first, then finds the binary).
# The version is pinned here; test/unit/chart/helm.ts reads the same line to find the binary.
set -euo pipefail
HELM_VERSION=v3.22.0
version=$HELM_VERSION
major=${version%%.*}                       # v3 → module helm.sh/helm/v3
module="helm.sh/helm/$major"
cache=${RAMP_CACHE_DIR:-$HOME/.cache/ramp}
key="helm-$version"
bin="$cache/$key/bin"

if [ -x "$bin/helm" ]; then
  echo "helm present: $bin/helm"
  exit 0
fi
mkdir -p "$cache"
exec 9>"$cache/$key.build.lock"
if ! flock -n 9; then
  echo "another build of $key is running; waiting for it to finish"
  flock 9
fi
if [ -x "$bin/helm" ]; then
  echo "helm present: $bin/helm"
  exit 0
fi

export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS="-trimpath"
unset GOOS GOARCH
start=$(date +%s)
step() { printf '[%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

step "resolving $module@$version"
gomod=$(go mod download -json "$module@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
[ -f "$gomod" ] || { echo "cannot download $module@$version from the Go module proxy ($(go env GOPROXY))" >&2; exit 1; }

# Helm's Makefile stamps its own version and the Kubernetes version its lint rules and
# `helm template` assume (Capabilities.KubeVersion) from the client-go it is built with.
clientgo=$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -n1)
[ -n "$clientgo" ] || { echo "cannot find the k8s.io/client-go version in $gomod" >&2; exit 1; }
ldf="-s -w \
 -X $module/internal/version.version=$version \
 -X $module/internal/version.gitTreeState=clean \
 -X $module/pkg/lint/rules.k8sVersionMajor=1 -X $module/pkg/lint/rules.k8sVersionMinor=$clientgo \
 -X $module/pkg/chartutil.k8sVersionMajor=1 -X $module/pkg/chartutil.k8sVersionMinor=$clientgo"

step "building $module/cmd/helm@$version (first build downloads its modules; a few minutes on 2 cores)"
mkdir -p "$bin"
tmp=$(mktemp -d "$cache/$key.gobin.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" go install -ldflags "$ldf" "$module/cmd/helm@$version"
mv "$tmp/helm" "$bin/helm"
step "done: $bin/helm"
"$bin/helm" version
