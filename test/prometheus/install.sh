#!/usr/bin/env bash
# Installs the Prometheus server the analysis integration tests query, from Debian's `prometheus`
# package, without installing the package or starting its service:
#   apt-get download prometheus && dpkg-deb -x → $RAMP_CACHE_DIR/prometheus/<deb version>/prometheus
# Idempotent: when a cached binary exists it is reused and nothing is downloaded. `apt-get update`
# runs only when the download fails (no package lists yet, or stale ones).
# Prints the path of the binary as the last line of stdout; progress goes to stderr.
set -euo pipefail
cache=${RAMP_CACHE_DIR:-$HOME/.cache/ramp}/prometheus
log() { echo "[prometheus] $*" >&2; }

cached() {
  # Newest cached version that has a working binary.
  local dir
  [ -d "$cache" ] || return 1
  for dir in $(ls -1 "$cache" 2>/dev/null | grep -v '\.lock$' | sort -rV); do
    if [ -x "$cache/$dir/prometheus" ]; then
      echo "$cache/$dir/prometheus"
      return 0
    fi
  done
  return 1
}

if bin=$(cached); then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache"
# One install at a time; a second caller waits and then finds the binary.
exec 9>"$cache/install.lock"
flock 9
if bin=$(cached); then
  echo "$bin"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0777 "$work" # apt-get download may hand the file to the _apt user
cd "$work"
if ! apt-get download prometheus >&2; then
  log "download failed; updating the package lists and trying again"
  apt-get update >&2
  apt-get download prometheus >&2
fi
deb=$(ls -1 "$work"/prometheus_*.deb | head -n 1)
version=$(dpkg-deb -f "$deb" Version)
log "extracting prometheus $version"
dpkg-deb -x "$deb" "$work/root"
[ -x "$work/root/usr/bin/prometheus" ] || { log "usr/bin/prometheus missing from $deb"; exit 1; }
dest="$cache/$version"
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
cp "$work/root/usr/bin/prometheus" "$dest.tmp/prometheus"
"$dest.tmp/prometheus" --version >&2
rm -rf "$dest"
mv "$dest.tmp" "$dest"
log "installed $dest/prometheus"
echo "$dest/prometheus"
