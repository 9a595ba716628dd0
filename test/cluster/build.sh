#!/usr/bin/env bash
# Builds the local test control plane from pinned Go modules into a cache outside the repo:
#   $RAMP_CACHE_DIR/k8s/<versions>/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl,etcd,kwok}
# Skips the build when the binaries already exist. Prints progress; safe to re-run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
cache=${RAMP_CACHE_DIR:-$HOME/.cache/ramp}
key="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
bin="$cache/$key/bin"
work="$cache/$key/src"
want=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

missing=()
for b in "${want[@]}"; do [ -x "$bin/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "control plane binaries present: $bin"
  exit 0
fi
# One build per version key at a time: a second caller (CI step, `ramp cluster up`, a test run)
# waits for the first and then finds the binaries present.
mkdir -p "$cache"
exec 9>"$cache/$key.build.lock"
if ! flock -n 9; then
  echo "another build of $key is running; waiting for it to finish"
  flock 9
fi
missing=()
for b in "${want[@]}"; do [ -x "$bin/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "control plane binaries present: $bin"
  exit 0
fi
echo "building control plane binaries (${missing[*]}) into $bin"
echo "the first build takes about 10 minutes on 2 cores (9m12s measured, empty Go caches); later runs reuse the binaries"

export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS="-trimpath -mod=mod"
unset GOOS GOARCH
mkdir -p "$bin" "$work"
start=$(date +%s)
step() { printf '[%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

# --- Kubernetes: a wrapper module pinning every staging module to its published tag ---
if [[ " ${missing[*]} " =~ " kube-apiserver " || " ${missing[*]} " =~ " kube-controller-manager " || \
      " ${missing[*]} " =~ " kube-scheduler " || " ${missing[*]} " =~ " kubectl " ]]; then
  step "resolving k8s.io/kubernetes@$K8S_VERSION"
  stg="v0.${K8S_VERSION#v1.}"
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -f "$gomod" ] || { echo "cannot download k8s.io/kubernetes@$K8S_VERSION" >&2; exit 1; }
  goline=$(grep -m1 '^go ' "$gomod")
  godebug=$(grep -m1 '^godebug ' "$gomod" || true)
  kdir="$work/kubernetes"
  mkdir -p "$kdir"
  {
    echo "module ramp.local/testbins/kubernetes"
    echo
    echo "$goline"
    [ -n "$godebug" ] && echo "$godebug"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    grep -E '=> \./staging/src/' "$gomod" | awk -v v="$stg" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } > "$kdir/go.mod"
  cat > "$kdir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  step "go mod tidy (downloads modules)"
  (cd "$kdir" && go mod tidy -e >/dev/null)
  ldf="-s -w \
 -X k8s.io/component-base/version.gitVersion=$K8S_VERSION \
 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
 -X k8s.io/component-base/version.gitTreeState=clean \
 -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z \
 -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION \
 -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    [ -x "$bin/$cmd" ] && continue
    step "building $cmd"
    (cd "$kdir" && go build -tags selinux,notest,grpcnotrace -ldflags "$ldf" -o "$bin/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd")
    mv "$bin/$cmd.tmp" "$bin/$cmd"
  done
fi

# --- etcd: the server module's root package is the etcd command ---
if [ ! -x "$bin/etcd" ]; then
  step "building etcd $ETCD_VERSION"
  edir="$work/etcd"; mkdir -p "$edir"
  printf 'module ramp.local/testbins/etcd\n\ngo 1.25.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$edir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > "$edir/tools.go"
  (cd "$edir" && go mod tidy -e >/dev/null && go build -ldflags "-s -w" -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin/etcd.tmp" "$bin/etcd"
fi

# --- KWOK: fake kubelets ---
if [ ! -x "$bin/kwok" ]; then
  step "building kwok $KWOK_VERSION"
  wdir="$work/kwok"; mkdir -p "$wdir"
  printf 'module ramp.local/testbins/kwok\n\ngo 1.26.0\n\nrequire sigs.k8s.io/kwok %s\n' "$KWOK_VERSION" > "$wdir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "sigs.k8s.io/kwok/cmd/kwok"\n' > "$wdir/tools.go"
  (cd "$wdir" && go mod tidy -e >/dev/null && go build -ldflags "-s -w" -o "$bin/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok)
  mv "$bin/kwok.tmp" "$bin/kwok"
fi

step "done: $bin"
ls -la "$bin"
