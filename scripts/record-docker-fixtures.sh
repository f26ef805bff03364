#!/usr/bin/env bash
# Regenerates the recorded Docker and kernel fixtures from a REAL, private Docker engine:
#   test/fixtures/docker/{inspect,events}-*.{json,txt,jsonl}, docker/dockerd-log-*.txt
#   test/fixtures/kernel/recorded-*.txt
# Needs root, dockerd, docker, busybox-static. Nothing touches a system daemon: the engine gets its own
# socket, data root and exec root under /tmp, no bridge, no iptables, vfs storage.
# Only the host name is anonymised (to docker-host); everything else is verbatim.
#
# Usage: sudo scripts/record-docker-fixtures.sh
set -euo pipefail

cd "$(dirname "$0")/.."
OUT_DOCKER=test/fixtures/docker
OUT_KERNEL=test/fixtures/kernel
IMAGE=why137-busybox:latest
HOST_ALIAS=docker-host

for bin in dockerd docker busybox dmesg tar; do
  command -v "$bin" >/dev/null || { echo "record-docker-fixtures: $bin not found (apt-get install docker.io busybox-static)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "record-docker-fixtures: run as root (dockerd and dmesg need it)" >&2; exit 1; }

# cgroup version decides what the kernel prints (oom_memcg=/docker/<id> on v1, /system.slice/docker-<id>.scope on v2).
case "$(stat -fc %T /sys/fs/cgroup)" in
  cgroup2fs) CGROUP=cgroupv2 ;;
  tmpfs) CGROUP=cgroupv1 ;;
  *) CGROUP=cgroup-unknown ;;
esac
KERNEL="kernel$(uname -r | cut -d. -f1,2)"
TAG="$CGROUP-$KERNEL"

# Short paths: unix socket paths are limited to ~100 bytes and containerd's socket lives under the exec root.
ROOT=$(mktemp -d /tmp/w137r-XXXXXX)
SOCK="$ROOT/d.sock"
DLOG="$ROOT/dockerd.log"
mkdir -p "$ROOT/cli" && echo '{}' > "$ROOT/cli/config.json" && echo '{}' > "$ROOT/daemon.json"
export DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$ROOT/cli"
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY || true

DOCKERD_PID=
cleanup() {
  set +e
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    ids=$(timeout 15 docker ps -aq 2>/dev/null)
    [ -n "$ids" ] && timeout 30 docker rm -f $ids >/dev/null 2>&1
    kill -TERM "$DOCKERD_PID"
    for _ in $(seq 1 200); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$DOCKERD_PID" 2>/dev/null
  fi
  # containerd and its shims re-parent themselves: find them by our unique directory, kill by pid.
  for p in /proc/[0-9]*; do
    tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "$ROOT/" && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  rm -rf "$ROOT"
}
trap cleanup EXIT

dockerd --config-file "$ROOT/daemon.json" --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
  --data-root "$ROOT/d" --exec-root "$ROOT/e" --pidfile "$ROOT/p" --shutdown-timeout 2 -H "unix://$SOCK" >"$DLOG" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 600); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker version >/dev/null

# The image: busybox-static plus one symlink per applet, imported without a registry.
mkdir -p "$ROOT/rootfs/bin" "$ROOT/rootfs/tmp"
cp "$(command -v busybox)" "$ROOT/rootfs/bin/busybox"
for a in $(busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$ROOT/rootfs/bin/$a"; done
tar -C "$ROOT/rootfs" -c . | docker import - "$IMAGE" >/dev/null

mkdir -p "$OUT_DOCKER" "$OUT_KERNEL"

# Kernel lines printed after a mark: the uptime of dmesg's last line before the scenario.
dmesg_mark() { dmesg | tail -n 1 | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'; }
dmesg_since() { dmesg | awk -v m="$1" '{ t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t); if (t + 0 > m + 0) print }'; }
# The same lines in dmesg -T form (wall-clock time): as many from the end as the raw form had.
dmesg_T_last() { [ "$1" -gt 0 ] && dmesg -T | tail -n "$1" || true; }
anonymise() { sed -E "s/^([A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8}) $(hostname) /\1 $HOST_ALIAS /; s/^([0-9T:.+-]+) $(hostname) /\1 $HOST_ALIAS /"; }

# Events of one container between two instants, in text and --format '{{json .}}' form.
record_events() { # name since until file-stem
  docker events --since "$2" --until "$3" --filter "container=$1" > "$OUT_DOCKER/$4.txt"
  docker events --since "$2" --until "$3" --filter "container=$1" --format '{{json .}}' > "$OUT_DOCKER/$4.jsonl"
}
now() { date -u +%s.%N; }
settle() { sleep 1.2; } # --until must be in the past or `docker events` waits for it

# journalctl -k only when this machine keeps a journal (containers and VMs without systemd do not).
record_journal() { # since-epoch file
  if journalctl -k -q -n 1 >/dev/null 2>&1 && [ -n "$(journalctl -k -q -n 1 2>/dev/null)" ]; then
    journalctl -k -q --since "@${1%.*}" | anonymise > "$2"
  else
    echo "  (no journal on this machine: skipped $2)" >&2
  fi
}

scenario_oom() { # (a) a container allocates until its 32 MiB limit OOM-kills it: 137, OOMKilled true
  local name=why137-oom since mark n
  since=$(now); mark=$(dmesg_mark)
  docker run --name $name --memory=32m --memory-swap=32m "$IMAGE" sh -c 'x=a; while true; do x=$x$x; done' || true
  docker inspect $name > "$OUT_DOCKER/inspect-oom-killed-$CGROUP.json"
  settle
  dmesg_since "$mark" > "$OUT_KERNEL/recorded-dmesg-docker-oom-$TAG.txt"
  n=$(wc -l < "$OUT_KERNEL/recorded-dmesg-docker-oom-$TAG.txt")
  dmesg_T_last "$n" > "$OUT_KERNEL/recorded-dmesg-T-docker-oom-$TAG.txt"
  record_journal "$since" "$OUT_KERNEL/recorded-journalctl-k-docker-oom-$TAG.txt"
  record_events $name "$since" "$(now)" events-oom-killed
}

scenario_child_oom() { # (b) a child is OOM-killed, the main shell exits 3: OOMKilled true with ExitCode 3
  local name=why137-child-oom since mark
  since=$(now); mark=$(dmesg_mark)
  docker run --name $name --memory=32m --memory-swap=32m "$IMAGE" sh -c 'sh -c "x=a; while true; do x=\$x\$x; done"; exit 3' || true
  docker inspect $name > "$OUT_DOCKER/inspect-child-oom-exit3-$CGROUP.json"
  settle
  dmesg_since "$mark" > "$OUT_KERNEL/recorded-dmesg-child-oom-exit3-$TAG.txt"
  record_events $name "$since" "$(now)" events-child-oom-exit3
}

scenario_kill() { # (c) docker kill on a container with a memory limit: 137, OOMKilled false
  local name=why137-kill since
  since=$(now)
  docker run -d --name $name --memory=64m "$IMAGE" sleep 600 >/dev/null
  sleep 1
  docker kill $name >/dev/null
  docker wait $name >/dev/null || true
  docker inspect $name > "$OUT_DOCKER/inspect-docker-kill-with-limit.json"
  settle
  record_events $name "$since" "$(now)" events-docker-kill
}

scenario_stop_timeout() { # (d) docker stop -t 1 on a process that ignores SIGTERM: 15, then 9 after 1s
  local name=why137-stop-timeout since lines
  since=$(now); lines=$(wc -l < "$DLOG")
  docker run -d --name $name --memory=64m "$IMAGE" sh -c 'trap "" TERM; while true; do sleep 1; done' >/dev/null
  sleep 1
  docker stop -t 1 $name >/dev/null
  docker inspect $name > "$OUT_DOCKER/inspect-stop-timeout-sigkill.json"
  settle
  record_events $name "$since" "$(now)" events-stop-timeout
  # dockerd's own log (stderr) of the same minutes: "Container failed to exit within 1s of signal 15 - using the force".
  tail -n +"$((lines + 1))" "$DLOG" | anonymise > "$OUT_DOCKER/dockerd-log-stop-timeout.txt"
}

scenario_no_limit() { # (e) no memory limit at all (HostConfig.Memory 0), killed from outside
  local name=why137-no-limit since
  since=$(now)
  docker run -d --name $name "$IMAGE" sleep 600 >/dev/null
  sleep 1
  docker kill $name >/dev/null
  docker wait $name >/dev/null || true
  docker inspect $name > "$OUT_DOCKER/inspect-no-memory-limit-killed.json"
  settle
  record_events $name "$since" "$(now)" events-no-memory-limit-killed
}

scenario_graceful() { # (f) docker stop on a process that handles TERM: exits 143, no SIGKILL
  local name=why137-graceful since
  since=$(now)
  docker run -d --name $name --memory=64m "$IMAGE" sh -c 'trap "exit 143" TERM; while true; do sleep 1 & wait $!; done' >/dev/null
  sleep 1
  docker stop -t 10 $name >/dev/null
  docker inspect $name > "$OUT_DOCKER/inspect-graceful-stop-exit143.json"
  settle
  record_events $name "$since" "$(now)" events-graceful-stop-exit143
}

scenario_kubernetes_labels() { # (g) dockershim-style labels + JVM env with a secret: OOM-killed (the secret must never reach evidence)
  local name=k8s_app_web-7d4b9c6f5-x2x9q_shop_5f1d7c2e-8a4b-4c1e-9f3a-2b6d8e0c4a71_0
  docker run --name $name --memory=32m --memory-swap=32m \
    --label io.kubernetes.pod.uid=5f1d7c2e-8a4b-4c1e-9f3a-2b6d8e0c4a71 --label io.kubernetes.pod.name=web-7d4b9c6f5-x2x9q \
    --label io.kubernetes.pod.namespace=shop --label io.kubernetes.container.name=app --label io.kubernetes.docker.type=container \
    -e JAVA_TOOL_OPTIONS='-Xmx64m -XX:+ExitOnOutOfMemoryError' -e DB_PASSWORD=hunter2-fixture-secret \
    "$IMAGE" sh -c 'x=a; while true; do x=$x$x; done' || true
  docker inspect $name > "$OUT_DOCKER/inspect-kubernetes-labels-oom-killed-$CGROUP.json"
}

scenario_ecs_labels() { # (h) ECS-agent-style labels, only a soft limit (memory reservation), killed from outside
  local name=ecs-web-3-app-9ae8f0c1d2b3a4f5e601
  docker run -d --name $name --memory-reservation=64m \
    --label com.amazonaws.ecs.task-arn=arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3c1a9b8d7e4c2a9b1e6d5f4a3c2b1a \
    --label com.amazonaws.ecs.cluster=prod --label com.amazonaws.ecs.container-name=app \
    --label com.amazonaws.ecs.task-definition-family=web --label com.amazonaws.ecs.task-definition-version=3 \
    -e NODE_OPTIONS=--max-old-space-size=2048 -e API_TOKEN=tok-fixture-secret \
    --entrypoint sh "$IMAGE" -c 'sleep 600' >/dev/null
  sleep 1
  docker kill $name >/dev/null
  docker wait $name >/dev/null || true
  docker inspect $name > "$OUT_DOCKER/inspect-ecs-labels-soft-limit-killed.json"
}

scenario_oom
scenario_child_oom
scenario_kill
scenario_stop_timeout
scenario_no_limit
scenario_graceful
scenario_kubernetes_labels
scenario_ecs_labels

{
  echo "recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -r)"
  echo "cgroup: $CGROUP ($(stat -fc %T /sys/fs/cgroup) at /sys/fs/cgroup$( [ -d /sys/fs/cgroup/unified ] && echo ', plus an empty cgroup2 at /sys/fs/cgroup/unified (hybrid)'))"
  echo "dockerd: $(dockerd --version)"
  echo "docker client: $(docker version --format '{{.Client.Version}} (API {{.Client.APIVersion}}), server {{.Server.Version}} (API {{.Server.APIVersion}})')"
  echo "busybox: $(busybox | head -n 1)"
} > "$OUT_DOCKER/recorded-environment.txt"
echo "recorded into $OUT_DOCKER and $OUT_KERNEL ($TAG)"
