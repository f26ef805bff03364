#!/bin/sh
# The container's entry point: sizes Node's heap from this container's own memory limit, then replaces
# itself with `node dist/src/main.js ARGS` (default: serve), so Node is PID 1 and gets the signals.
#
# NOTE: Node sizes its default heap from the machine (or an approximation of it), not from the limit the
# container runs under; a heap that outgrows the limit is an exit 137 (the very death why137 explains)
# instead of a catchable "heap out of memory" with a stack. 75% leaves the rest of the limit for what lives
# outside the old space: new space, Buffers, code, native memory (SQLite, TLS), thread stacks.
# An explicit --max-old-space-size in NODE_OPTIONS wins; every other NODE_OPTIONS flag is kept.
# WHY137_CGROUP_ROOT (default /sys/fs/cgroup) lets the tests point at a fake cgroup tree.
set -eu

HEAP_PERCENT_OF_LIMIT=75
cgroup_root=${WHY137_CGROUP_ROOT:-/sys/fs/cgroup}
app=$(cd "$(dirname "$0")/.." && pwd)

# The limit in bytes, or nothing when there is none. cgroup v2: memory.max of our own cgroup (the
# namespace root in a container, else the path /proc/self/cgroup names); v1: memory.limit_in_bytes.
memory_limit() {
  own=$(sed -n 's/^0:://p' /proc/self/cgroup 2>/dev/null | head -n 1)
  for f in "$cgroup_root${own%/}/memory.max" "$cgroup_root/memory.max" "$cgroup_root/memory/memory.limit_in_bytes"; do
    if [ -r "$f" ]; then
      v=$(tr -d ' \n' <"$f")
      # "max" (v2) and the v1 no-limit sentinel (9223372036854771712, PAGE_COUNTER_MAX pages) mean none.
      # 19 digits is 10^18 bytes and more: no real limit is that large, and the arithmetic below stays in 64 bits.
      case "$v" in '' | max | *[!0-9]*) return 0 ;; esac
      [ "${#v}" -lt 19 ] && echo "$v"
      return 0
    fi
  done
}

log() { printf '{"level":30,"time":%s,"name":"container-start","msg":"%s"}\n' "$(date +%s%3N)" "$1" >&2; }

limit=$(memory_limit)
case " ${NODE_OPTIONS:-} " in
  *' --max-old-space-size='* | *' --max_old_space_size='*)
    log "NODE_OPTIONS sets the heap size already; kept it (memory limit: ${limit:-none})" ;;
  *)
    if [ -n "$limit" ]; then
      heap_mib=$((limit / 1048576 * HEAP_PERCENT_OF_LIMIT / 100))
      if [ "$heap_mib" -gt 0 ]; then
        NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--max-old-space-size=$heap_mib"
        export NODE_OPTIONS
        log "memory limit $((limit / 1048576)) MiB: --max-old-space-size=$heap_mib (${HEAP_PERCENT_OF_LIMIT}%)"
      fi
    else
      log "no memory limit: Node's default heap size"
    fi ;;
esac

[ "$#" -gt 0 ] || set -- serve
exec node "$app/dist/src/main.js" "$@"
