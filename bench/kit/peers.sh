#!/usr/bin/env bash
# peers.sh: install the peer "stdio MCP server -> Streamable HTTP" proxies and run
# the baseline workloads A-F against one of them (or against the stdio floor, or
# against any proxy given as a command template, e.g. mcpd).
# bench/run.mjs (`npm run bench`) drives it; this copy of the shared kit also takes
# --b-sessions, --c-bytes, --c-calls, --d-gap-ms and reports the proxy's own CPU
# and memory beside its tree's.
#
#   peers.sh install [seed]            install supergateway + mcp-proxy (pinned) into
#                                      $PEERS_DIR (default ~/.cache/mcpd-bench) if
#                                      missing; "seed" also installs the Python seed
#                                      proxy (exit 3 when pip cannot get it)
#   peers.sh [options] PROXY           run the workloads, one JSON line per workload
#                                      on stdout (progress on stderr)
#
# PROXY is one of
#   stdio          the physical floor: stdio-bench.mjs talks to the server directly
#   supergateway   supergateway --stateful --outputTransport streamableHttp
#   mcp-proxy      punkpeye mcp-proxy --server stream
#   seed           atrawog/mcp-streamablehttp-proxy (Python; installed on first use
#                  with pip, from $SEED_SRC, a clone of that repository, when set)
#   'TEMPLATE'     any other string is a start command for a proxy; {PORT} is
#                  replaced by a free port, {SERVER} by the stdio server command
#                  (space-separated words, no shell metacharacters, quote it in the
#                  template if the proxy wants it as one argument). It is run as
#                  `bash -c "exec TEMPLATE"`, so it must be one simple command
#                  (use `env VAR=x cmd ...` for environment variables). Example
#                  (the mcpd path and flags here are placeholders):
#                    peers.sh --name mcpd --url 'http://127.0.0.1:{PORT}/mcp' \
#                      'node /path/to/mcpd.js --port {PORT} -- {SERVER}'
#
# Options
#   --url TEMPLATE     endpoint ({PORT} replaced); default http://127.0.0.1:{PORT}/mcp
#   --name NAME        label for the JSON lines (default: PROXY, or "custom")
#   --workloads LIST   comma list out of A,B,C,D,E,F (default all). F is computed from
#                      B's runs, so F runs B even when B's line is not asked for
#   --reps N           repetitions of each workload; medians are reported (default 3)
#   --server 'CMD'     stdio server ({SERVER}); default: node <private copy of
#                      echo-server.mjs> (a private copy, so that leaked or orphaned
#                      server processes of this run can be counted exactly)
#   --start-timeout S  seconds to wait for the proxy's port (default 30)
#   --raw-dir DIR      keep every bench report, RSS sample and proxy log in DIR
#   --quiet-max PCT    before each run, wait until the whole machine was at most PCT %
#                      busy over 1 s (default 10; 100 = don't wait), since other users of
#                      a small machine distort the figures
#   --quiet-wait S     give up waiting for quiet after S s and run anyway (default 180)
#   --max-foreign PCT  a run during which other processes used more than PCT % of the
#                      machine (foreign_cpu_ms > window_ms x cores x PCT/100 + 250 ms) is
#                      discarded and run again (default 10)
#   --retries N        at most N such re-runs per rep (default 3); "attempt" in each run
#   --quick            small workloads and 1 rep (smoke test of the script/proxy)
#   --b-sessions S     sessions of workload B (and F) (default 16; the scaling sweep)
#   --c-bytes N        message size of workload C (default 1048576)
#   --c-calls N        calls of workload C (default 50, warm-up 5 of them)
#   --d-gap-ms MS      pause between workload D's sessions (default 0): sessions that
#                      arrive one by one, as a pre-warming proxy expects them
#   -h, --help
#
# Workloads (every run starts a fresh proxy process; all traffic to 127.0.0.1; every
# bench holds its sessions open 1.5 s (E: 3 s) after its last call for sampling):
#   A latency     1 session, 2000 calls, concurrency 1, 100 B (warm-up 50 excluded)
#   B throughput  16 sessions x 500 calls, concurrency 4/session, 100 B (warm-up 50/session)
#   C large       1 session, 50 calls of 1 MiB (1048576 B), warm-up 5, per-call timeout 5 s,
#                 run capped at 90 s wall; reps stop early after a rep with no good call
#   D start       50 sessions one after another (--session-parallelism 1 --requests 1):
#                 initialize latency per session (process spawn included where the proxy
#                 spawns per session; for stdio: spawn -> initialize response)
#   E memory      50 sessions x 10 calls, held open 3 s; RSS of the proxy tree (proxy +
#                 descendants) when idle (fresh proxy, before any client), again when warm
#                 (after the same client has run 3 times and its sessions have gone: the
#                 proxy's code compiled and its heap grown to that load's size) and during the
#                 hold; per_session_kib = (held - warm) / sessions, so one-time start-up costs
#                 drop out and a proxy is charged what its sessions keep (per_session_from_idle_kib
#                 = (held - idle) / sessions, the earlier figure, is kept beside it). stdio: the
#                 50 server processes
#   F cpu         CPU ms of the proxy tree (cpu-of.sh: proxy + server children, also
#                 reaped ones) during workload B, per 1000 ok calls: sampled just before
#                 the first session and again after the last call, while all sessions are
#                 still open (--hold-ms), so process spawns count and DELETE/teardown does
#                 not. stdio: the server processes' own CPU (stdio-bench serverCpuMs)
# Every run also records server processes alive before the bench, 1 s after it ended
# (i.e. after its DELETEs: servers_leaked = after - before), and after the proxy was
# stopped (orphans_after_stop; such orphans are then killed by PID), how the proxy
# stopped (term = exited within 5 s of SIGTERM, kill = needed SIGKILL, crashed = was
# already dead), the 1-minute load average and the machine's busy share just before
# the run (busy_pct_before), the machine's CPU during the bench (sys_busy_ms) and
# foreign_cpu_ms = sys_busy_ms - proxy tree CPU - client CPU (other users; a large value
# means the run was disturbed), all over window_ms (bench start -> sampling point).
# cpu_ms is the proxy tree's CPU over that window, for every workload.
#
# Output line: {"proxy","workload","desc","reps","median":{...},"runs":[...],"env":{...}}
# Medians are taken field by field over the runs. Exit status 0 unless the script
# itself failed (benchmark errors are data, reported in the lines).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLK_TCK=$(getconf CLK_TCK)
PEERS_DIR=${PEERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mcpd-bench}
NODE=${NODE:-node}

SUPERGATEWAY_VERSION=4.0.0
MCP_PROXY_VERSION=6.7.19
SEED_COMMIT=1bdee33c5fb1b77e06d284d3fe42897d1f2d9a08   # atrawog/mcp-streamablehttp-proxy, v0.2.0
SEED_VERSION=0.2.0
SEED_SRC=${SEED_SRC:-}  # git dir or source tree
SEED_PY_DEPS=(fastapi==0.142.2 uvicorn==0.54.0 httpx==0.28.1)

log() { printf '[peers] %s\n' "$*" >&2; }
die() { printf '[peers] error: %s\n' "$*" >&2; exit 2; }

# ------------------------------------------------------------------ install

npm_pkg_version() { # NAME -> installed version in $PEERS_DIR, or empty
  local f="$PEERS_DIR/node_modules/$1/package.json"
  [[ -f $f ]] && "$NODE" -p "require(process.argv[1]).version" "$f" 2>/dev/null || true
}

install_npm_peers() {
  if [[ $(npm_pkg_version supergateway) == "$SUPERGATEWAY_VERSION" &&
        $(npm_pkg_version mcp-proxy) == "$MCP_PROXY_VERSION" ]]; then
    return 0
  fi
  log "installing supergateway@$SUPERGATEWAY_VERSION mcp-proxy@$MCP_PROXY_VERSION into $PEERS_DIR"
  mkdir -p "$PEERS_DIR"
  [[ -f $PEERS_DIR/package.json ]] ||
    printf '{ "name": "mcpd-bench-peers", "private": true }\n' >"$PEERS_DIR/package.json"
  (cd "$PEERS_DIR" && npm install --no-audit --no-fund --save-exact --loglevel=error \
    "supergateway@$SUPERGATEWAY_VERSION" "mcp-proxy@$MCP_PROXY_VERSION" >&2) ||
    die "npm install failed in $PEERS_DIR"
}

install_seed() {
  local venv="$PEERS_DIR/seed-venv"
  if [[ -x $venv/bin/mcp-streamablehttp-proxy ]]; then return 0; fi
  command -v python3 >/dev/null || { log "no python3: the seed cannot be installed"; exit 3; }
  if [[ -z $SEED_SRC ]]; then
    # No clone given: its release on the package index, if pip can reach one.
    log "installing the seed (mcp-streamablehttp-proxy==$SEED_VERSION) into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || { log "python3 -m venv failed: the seed cannot be installed"; exit 3; }
    # Few retries and a short timeout: an unreachable index should cost seconds, not minutes.
    if ! timeout 120 "$venv/bin/pip" install -q --retries 1 --timeout 10 "mcp-streamablehttp-proxy==$SEED_VERSION" >&2; then
      rm -rf "$venv"
      log "pip could not install mcp-streamablehttp-proxy==$SEED_VERSION (no package index reachable?)"
      exit 3
    fi
    return 0
  fi
  log "installing the seed (mcp-streamablehttp-proxy @ ${SEED_COMMIT:0:7}) into $venv"
  local src="$PEERS_DIR/seed-src"
  rm -rf "$src" && mkdir -p "$src"
  if git --git-dir="$SEED_SRC" rev-parse --verify -q "$SEED_COMMIT^{commit}" >/dev/null 2>&1; then
    git --git-dir="$SEED_SRC" archive "$SEED_COMMIT" | tar -x -C "$src"
  elif git -C "$SEED_SRC" rev-parse --verify -q "$SEED_COMMIT^{commit}" >/dev/null 2>&1; then
    git -C "$SEED_SRC" archive "$SEED_COMMIT" | tar -x -C "$src"
  elif [[ -f $SEED_SRC/src/mcp_streamablehttp_proxy/proxy.py ]]; then
    log "warning: $SEED_SRC is not a git checkout with $SEED_COMMIT; using its files as they are"
    cp -r "$SEED_SRC"/. "$src"/
  else
    die "seed source not found (set SEED_SRC to a clone of atrawog/mcp-streamablehttp-proxy)"
  fi
  local idx=()
  # PyPI itself may be unreachable; use this machine's local package index when present.
  if [[ -d /opt/pypi/simple ]]; then
    idx=(--index-url file:///opt/pypi/simple)
  fi
  python3 -m venv "$venv" || die "python3 -m venv failed"
  "$venv/bin/pip" install -q "${idx[@]}" "${SEED_PY_DEPS[@]}" >&2 || die "pip install of the seed's dependencies failed"
  "$venv/bin/pip" install -q --no-deps --no-build-isolation "$src" >&2 2>/dev/null ||
    "$venv/bin/pip" install -q "${idx[@]}" --no-deps "$src" >&2 || die "pip install of the seed failed"
}

# ------------------------------------------------------------------ helpers (node)

RUN_DIR=''
HELPER=''
SERVER_COPY=''
PROXY_PID=''
BG_PID=''

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $BG_PID ]] && kill -0 "$BG_PID" 2>/dev/null; then kill -TERM "$BG_PID" 2>/dev/null || true; fi
  if [[ -n $PROXY_PID ]]; then stop_proxy >/dev/null 2>&1 || true; fi
  if [[ -n $RUN_DIR ]]; then kill_servers >/dev/null 2>&1 || true; rm -rf "$RUN_DIR"; fi
  exit $rc
}

write_helper() {
  cat >"$HELPER" <<'EOF'
// Helper for peers.sh: /proc scans and JSON assembly (Node built-ins only).
import fs from 'node:fs';
const [cmd, ...args] = process.argv.slice(2);

function procs() { // [{pid, ppid, argv}]
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue; // zombies hold no resources but a pid
      const argv = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(d), ppid: Number(rest[1]), argv });
    } catch { /* vanished */ }
  }
  return out;
}
const isShell = (a0) => /(^|\/)(ba|da)?sh$/.test(a0 || '');

function num(v) { return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v; }
function kv(list) {
  const o = {};
  for (const a of list) {
    const i = a.indexOf('=');
    if (i > 0) o[a.slice(0, i)] = a.slice(i + 1) === '' ? null : num(a.slice(i + 1));
  }
  return o;
}
function readReport(file) {
  try {
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').filter((l) => l.startsWith('{'));
    return lines.length ? JSON.parse(lines[lines.length - 1]) : null;
  } catch { return null; }
}
const r3 = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);
function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return r3(v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2);
}

if (cmd === 'servers') { // MARK: pids of live processes running the script MARK (argv[1] === MARK)
  // (a shell wrapper `sh -c "node MARK"`, `timeout ... node MARK`, the bench and this
  // helper all carry MARK elsewhere in argv and are not counted)
  const mark = args[0];
  for (const p of procs()) if (!isShell(p.argv[0]) && p.argv[1] === mark) console.log(p.pid);
} else if (cmd === 'descendants') { // PID: all live descendant pids
  const all = procs();
  const seen = new Set([Number(args[0])]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) if (!seen.has(p.pid) && seen.has(p.ppid)) { seen.add(p.pid); grew = true; }
  }
  seen.delete(Number(args[0]));
  for (const pid of seen) console.log(pid);
} else if (cmd === 'rep') { // W FILE k=v...: one run's record
  const [w, file, ...rest] = args;
  const x = kv(rest);
  const r = readReport(file);
  const o = { rep: x.rep };
  if (!r) {
    o.bench_failed = true;
  } else {
    const lat = r.callLatency || {};
    const calls = r.calls || {};
    const base = { calls_ok: calls.ok, errors: r.errors.total, sessions_ok: r.sessions.ok, sessions_failed: r.sessions.failed };
    if (w === 'A' || w === 'B') {
      Object.assign(o, { cps: r.throughput.callsPerSec, steady_cps: r.throughput.steadyCallsPerSec,
        p50_ms: lat.p50, p90_ms: lat.p90, p99_ms: lat.p99, max_ms: lat.max }, base);
    } else if (w === 'C') {
      Object.assign(o, { p50_ms: lat.p50, p99_ms: lat.p99, max_ms: lat.max, cps: r.throughput.callsPerSec }, base);
      o.ok = calls.ok === r.config.requests && r.errors.total === 0;
    } else if (w === 'D') {
      const i = r.init || {};
      Object.assign(o, { init_p50_ms: i.p50, init_mean_ms: i.mean, init_p90_ms: i.p90, init_p99_ms: i.p99, init_max_ms: i.max }, base);
    } else if (w === 'E') {
      Object.assign(o, base);
    }
    if (r.errors.total) { o.error_types = r.errors.byType; o.error_sample = String(r.errors.samples[0] || '').slice(0, 160); }
    if (r.protocolIssues && r.protocolIssues.total) o.protocol_issues = r.protocolIssues.byType;
    o.client_cpu_ms = r.clientCpuMs;
    o.wall_ms = r.wallMs;
    // CPU of the proxy tree (HTTP) or of the server processes (stdio) during the bench,
    // and what the rest of the machine used meanwhile (other users; bench helpers).
    const cpu = typeof x.cpu_tree_ms === 'number' ? x.cpu_tree_ms : (typeof r.serverCpuMs === 'number' ? r.serverCpuMs : null);
    o.cpu_ms = cpu;
    // The proxy's own process, without its servers: what the proxy itself costs (the floor has none).
    const self = typeof x.cpu_self_ms === 'number' ? x.cpu_self_ms : (typeof r.serverCpuMs === 'number' ? 0 : null);
    o.self_cpu_ms = self;
    if (w === 'B') {
      o.cpu_ms_per_1k_calls = typeof cpu === 'number' && calls.ok ? r3((cpu / calls.ok) * 1000) : null;
      o.self_cpu_ms_per_1k_calls = typeof self === 'number' && calls.ok ? r3((self / calls.ok) * 1000) : null;
    }
    if (typeof x.sys_busy_ms === 'number' && typeof cpu === 'number' && typeof r.clientCpuMs === 'number') {
      o.foreign_cpu_ms = Math.round(x.sys_busy_ms - cpu - r.clientCpuMs);
    }
  }
  delete x.rep;
  delete x.cpu_tree_ms;
  delete x.cpu_self_ms;
  Object.assign(o, x);
  if (w === 'E' && typeof o.held_tree_kib === 'number' && o.sessions_ok) {
    // From the warm figure (stdio has none: no proxy, nothing to warm, so from 0).
    const base = typeof o.warm_tree_kib === 'number' ? o.warm_tree_kib : (o.idle_tree_kib || 0);
    o.per_session_kib = Math.round((o.held_tree_kib - base) / o.sessions_ok);
    if (typeof o.held_self_kib === 'number' && typeof o.warm_self_kib === 'number') {
      o.per_session_self_kib = Math.round((o.held_self_kib - o.warm_self_kib) / o.sessions_ok);
    }
    if (typeof o.idle_tree_kib === 'number' && typeof o.warm_tree_kib === 'number') {
      o.per_session_from_idle_kib = Math.round((o.held_tree_kib - o.idle_tree_kib) / o.sessions_ok);
      o.per_session_self_from_idle_kib = Math.round((o.held_self_kib - o.idle_self_kib) / o.sessions_ok);
    }
  }
  console.log(JSON.stringify(o));
} else if (cmd === 'agg') { // NAME W DESC FILE ENVJSON
  const [name, w, desc, file, envJson] = args;
  const runs = fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  let keys;
  let src = runs;
  if (w === 'F') {
    keys = ['cpu_ms', 'calls_ok', 'cpu_ms_per_1k_calls', 'self_cpu_ms', 'self_cpu_ms_per_1k_calls', 'client_cpu_ms', 'sys_busy_ms', 'foreign_cpu_ms', 'busy_pct_before', 'load1'];
    src = runs.map((r) => Object.fromEntries(['rep', ...keys, 'errors', 'bench_failed'].filter((k) => k in r).map((k) => [k, r[k]])));
  } else {
    keys = [...new Set(runs.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'rep' && runs.some((r) => typeof r[k] === 'number'));
  }
  const med = {};
  for (const k of keys) med[k] = median(src.map((r) => r[k]));
  if (w === 'C') med.ok = runs.length > 0 && runs.every((r) => r.ok === true);
  if (runs.some((r) => r.bench_failed)) med.bench_failed_runs = runs.filter((r) => r.bench_failed).length;
  const errTypes = {};
  for (const r of src) for (const [k, v] of Object.entries(r.error_types || {})) errTypes[k] = (errTypes[k] || 0) + v;
  if (Object.keys(errTypes).length) med.error_types_all_runs = errTypes;
  const pi = {};
  for (const r of src) for (const [k, v] of Object.entries(r.protocol_issues || {})) pi[k] = (pi[k] || 0) + v;
  if (Object.keys(pi).length) med.protocol_issues_all_runs = pi;
  const stops = [...new Set(runs.map((r) => r.stop).filter(Boolean))];
  if (stops.length) med.stop = stops.join(',');
  console.log(JSON.stringify({ proxy: name, workload: w, desc, reps: runs.length, median: med, runs: src, env: JSON.parse(envJson) }));
} else {
  console.error(`helper: unknown command ${cmd}`);
  process.exit(2);
}
EOF
}

free_port() {
  "$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

alive() { # PID: running and not a zombie (builtins only)
  local l
  { read -r l <"/proc/$1/stat"; } 2>/dev/null || return 1
  l=${l##*) }
  [[ -n $l && ${l%% *} != Z ]]
}

wait_port() { # PORT SECONDS PID
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    alive "$3" || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

server_pids() { # live server processes of this run (or the proxy's descendants)
  if [[ -n $SERVER_COPY ]]; then
    "$NODE" "$HELPER" servers "$SERVER_COPY"
  elif [[ -n $PROXY_PID ]]; then
    "$NODE" "$HELPER" descendants "$PROXY_PID"
  fi
}
count_servers() { server_pids | wc -l | tr -d ' '; }

kill_servers() { # kill leftover server processes of this run, each by PID
  [[ -n $SERVER_COPY ]] || return 0
  local pids
  pids=$(server_pids)
  [[ -z $pids ]] && return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  sleep 0.5
  pids=$(server_pids)
  # shellcheck disable=SC2086
  [[ -n $pids ]] && kill -KILL $pids 2>/dev/null || true
}

load1() { cut -d' ' -f1 /proc/loadavg; }

sys_ticks() { # "busy total" jiffies of all CPUs from /proc/stat
  awk '/^cpu /{b=$2+$3+$4+$7+$8+$9; t=b+$5+$6; print b, t}' /proc/stat
}

# Busy share (percent of all cores) over 1 s, e.g. load from other users of the machine.
busy_pct_1s() {
  local b0 t0 b1 t1
  read -r b0 t0 < <(sys_ticks)
  sleep 1
  read -r b1 t1 < <(sys_ticks)
  echo $(( (b1 - b0) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
}

# Waits (up to QUIET_WAIT s) until the machine is quiet: busy <= QUIET_MAX % over 1 s.
# Sets QUIET_BUSY (last sample) and QUIET_WAITED (seconds waited).
wait_quiet() {
  QUIET_BUSY=-1 QUIET_WAITED=0
  ((QUIET_MAX < 100)) || return 0
  local start=$SECONDS
  while :; do
    QUIET_BUSY=$(busy_pct_1s)
    ((QUIET_BUSY <= QUIET_MAX)) && break
    if ((SECONDS - start >= QUIET_WAIT)); then
      log "machine still busy (${QUIET_BUSY}% > ${QUIET_MAX}%) after ${QUIET_WAIT}s; running anyway"
      break
    fi
    sleep 2
  done
  QUIET_WAITED=$((SECONDS - start))
}

field() { # KEY <<< "k=v k=v" -> v
  sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p"
}

# ------------------------------------------------------------------ proxy lifecycle

PORT=''
URL=''
PROXY_LOG=''
STOP_HOW=''

start_proxy() { # TAG
  PORT=$(free_port)
  local cmd=${TEMPLATE//\{PORT\}/$PORT}
  cmd=${cmd//\{SERVER\}/$SERVER_CMD}
  URL=${URL_TEMPLATE//\{PORT\}/$PORT}
  PROXY_LOG="$RUN_DIR/proxy-$1.log"
  bash -c "exec $cmd" >"$PROXY_LOG" 2>&1 </dev/null &
  PROXY_PID=$!
  if ! wait_port "$PORT" "$START_TIMEOUT" "$PROXY_PID"; then
    log "proxy did not open port $PORT within ${START_TIMEOUT}s: $cmd"
    tail -20 "$PROXY_LOG" >&2 || true
    stop_proxy || true
    die "proxy start failed"
  fi
  sleep 0.5
}

stop_proxy() { # sets STOP_HOW
  local pid=$PROXY_PID i
  [[ -n $pid ]] || return 0
  if ! alive "$pid"; then
    STOP_HOW=crashed
  else
    kill -TERM "$pid" 2>/dev/null || true
    STOP_HOW="kill"
    for ((i = 0; i < 50; i++)); do
      if ! alive "$pid"; then STOP_HOW=term; break; fi
      sleep 0.1
    done
    [[ $STOP_HOW == kill ]] && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  PROXY_PID=''
}

# ------------------------------------------------------------------ workloads

declare -A WDESC=(
  [A]='latency: 1 session, N calls, concurrency 1, 100 B'
  [B]='throughput: S sessions x N calls, concurrency 4/session, 100 B'
  [C]='large payload: 1 session, N calls of 1 MiB'
  [D]='session start: S sessions one after another, initialize latency (spawn included)'
  [E]='memory: S sessions held open, RSS of proxy tree (proxy + descendants)'
  [F]='cpu: CPU ms of proxy tree (incl. server children) during workload B per 1000 calls'
)

# bench args per workload (set in main from --quick)
bench_args() { # W -> workload args for mcp-http-bench / stdio-bench
  case $1 in
    A) echo "--sessions 1 --requests $A_N --concurrency 1 --payload 100 --warmup $A_W --hold-ms 1500" ;;
    B) echo "--sessions $B_S --requests $B_N --concurrency 4 --payload 100 --warmup $B_W --hold-ms 1500" ;;
    C) echo "--sessions 1 --requests $C_N --concurrency 1 --payload $C_BYTES --warmup $C_W --timeout-ms $C_TIMEOUT_MS --hold-ms 1500" ;;
    D) echo "--sessions $D_S --session-parallelism 1 --requests 1 --warmup 0 --hold-ms 1500$(gap_args)" ;;
    E) echo "--sessions $E_S --requests 10 --concurrency 1 --warmup 0 --hold-ms 3000" ;;
    E-warm) echo "--sessions $E_W --requests 10 --concurrency 1 --warmup 0" ;;
  esac
}
# (functions, not `[[ ]] && echo` inside $(...): under set -e a false test there ends the script)
gap_args() { if ((D_GAP_MS > 0)) && [[ $MODE == http ]]; then echo " --session-gap-ms $D_GAP_MS"; fi; }
gap_text() { if ((D_GAP_MS > 0)); then echo " $D_GAP_MS ms apart"; fi; }
wall_cap() { case $1 in C) echo $((90 + C_N * C_TIMEOUT_MS / 1000)) ;; *) echo 300 ;; esac; }

start_bench() { # W OUT ERR -> the bench in the background (BG_PID = its `timeout` wrapper)
  local w=$1 out=$2 err=$3
  # shellcheck disable=SC2046
  if [[ $MODE == stdio ]]; then
    timeout -k 5 "$(wall_cap "$w")" "$NODE" "$BENCH_DIR/stdio-bench.mjs" --json --stderr ignore \
      $(bench_args "$w") --label "peers:$NAME:$w" -- $SERVER_CMD >"$out" 2>"$err" &
  else
    timeout -k 5 "$(wall_cap "$w")" "$NODE" "$BENCH_DIR/mcp-http-bench.mjs" --json --url "$URL" \
      $(bench_args "$w") --label "peers:$NAME:$w" >"$out" 2>"$err" &
  fi
  BG_PID=$!
}

# Fork-free helpers for the polling loop (so that polling costs next to no CPU).
nap() { read -rt "$1" -u "$NAP_FD" 2>/dev/null || true; }
has_hold() { local l; while IFS= read -r l; do [[ $l == HOLD* ]] && return 0; done <"$1"; return 1; } 2>/dev/null

rss_pair() { # PID -> "tree self desc count" (KiB)
  local line self desc n
  line=$("$BENCH_DIR/rss-of.sh" "$1" 2>/dev/null) || { echo "null null null null"; return; }
  self=$(field self_rss_kib <<<"$line")
  desc=$(field descendants_rss_kib <<<"$line")
  n=$(field descendants <<<"$line")
  echo "$((self + desc)) $self $desc $n"
}

# E's first client, run E_WARM_RUNS times to its end (its sessions DELETEd), then a
# second's pause for the children it ended to be reaped. WARM_RC: its exit status.
warm_up() { # TAG
  local args; args=$(bench_args E-warm)
  WARM_RC=0
  local i
  for ((i = 1; i <= E_WARM_RUNS; i++)); do
    # shellcheck disable=SC2086
    timeout -k 5 300 "$NODE" "$BENCH_DIR/mcp-http-bench.mjs" --json --url "$URL" $args \
      --label "peers:$NAME:E-warm" >"$RUN_DIR/bench-$1-warm.json" 2>"$RUN_DIR/bench-$1-warm.err" || WARM_RC=$?
  done
  sleep 1
}

# One run of workload W. The bench holds its sessions open for a moment after its last
# call (--hold-ms); CPU, machine CPU and RSS are sampled then, while every session and
# server process is still alive (a server killed on DELETE may be reaped by init
# rather than by the proxy, and its CPU would then escape the tree's figures).
# Appends one record to $RUN_DIR/W.jsonl; returns 1 when the run was disturbed by
# other users of the machine (the caller runs it again).
run_one() { # W REP ATTEMPT
  local w=$1 rep=$2 attempt=$3 tag="$1-$2-$3"
  local out="$RUN_DIR/bench-$tag.json" err="$RUN_DIR/bench-$tag.err"
  local rc=0 sb0 sb1 t0 t1 before after cpu0='' cpu1='' idle='' warm='' held='' hold_seen=0 i
  [[ $MODE == http ]] && start_proxy "$tag"
  [[ $MODE == http && $w == E ]] && idle=$(rss_pair "$PROXY_PID")
  wait_quiet
  # E: a first client whose sessions end just before the measured one starts (after the
  # quiet wait, not before it: an idle proxy may give memory back meanwhile, V8's memory
  # reducer does some 8 s after a full GC, and the measured client would pay for it).
  [[ $MODE == http && $w == E ]] && warm_up "$tag"
  local extra=(rep="$rep" attempt="$attempt" load1="$(load1)" busy_pct_before="$QUIET_BUSY" quiet_wait_s="$QUIET_WAITED")
  before=$(count_servers)
  local self0='' self1='' sample
  if [[ $MODE == http ]]; then
    sample=$("$BENCH_DIR/cpu-of.sh" "$PROXY_PID" 2>/dev/null) || sample=''
    cpu0=$(field tree_cpu_ms <<<"$sample")
    self0=$(field self_cpu_ms <<<"$sample")
    [[ $w == E ]] && warm=$(rss_pair "$PROXY_PID")
  fi
  read -r sb0 _ < <(sys_ticks)
  t0=$EPOCHREALTIME
  start_bench "$w" "$out" "$err"
  for ((i = 0; i < 20 * ($(wall_cap "$w") + 10); i++)); do
    if has_hold "$err"; then hold_seen=1; break; fi
    alive "$BG_PID" || break
    nap 0.05
  done
  read -r sb1 _ < <(sys_ticks)
  t1=$EPOCHREALTIME
  if [[ $MODE == http ]]; then
    sample=$("$BENCH_DIR/cpu-of.sh" "$PROXY_PID" 2>/dev/null) || sample=''
    cpu1=$(field tree_cpu_ms <<<"$sample")
    self1=$(field self_cpu_ms <<<"$sample")
    [[ -n $cpu0 && -n $cpu1 ]] && extra+=(cpu_tree_ms="$((cpu1 - cpu0))")
    [[ -n $self0 && -n $self1 ]] && extra+=(cpu_self_ms="$((self1 - self0))")
  fi
  if [[ $w == E ]]; then
    local root=$PROXY_PID
    # stdio: the tree of the bench (node stdio-bench.mjs, child of `timeout`) = its servers
    [[ $MODE == stdio ]] && root=$("$NODE" "$HELPER" descendants "$BG_PID" | head -1)
    held=$(rss_pair "${root:-$BG_PID}")
    [[ -n $RAW_DIR ]] && { "$BENCH_DIR/rss-of.sh" "${root:-$BG_PID}" -v >"$RAW_DIR/rss-$tag.txt" 2>&1 || true; }
  fi
  wait "$BG_PID" || rc=$?
  BG_PID=''
  local us0=${t0/[.,]/} us1=${t1/[.,]/}
  extra+=(hold_seen="$hold_seen" window_ms="$(( (10#$us1 - 10#$us0) / 1000 ))"
          sys_busy_ms="$(( (sb1 - sb0) * 1000 / CLK_TCK ))" bench_rc="$rc")
  if [[ $w == E ]]; then
    local it is id hs hd hn
    read -r _ hs hd hn <<<"$held"   # tree self desc count
    if [[ $MODE == stdio ]]; then
      extra+=(idle_tree_kib=0 held_tree_kib="$hd" held_servers="$hn")
    else
      read -r it is id _ <<<"$idle"
      extra+=(idle_tree_kib="$it" idle_self_kib="$is" idle_desc_kib="$id")
      read -r it is id _ <<<"$warm"
      extra+=(warm_tree_kib="$it" warm_self_kib="$is" warm_desc_kib="$id" warm_rc="$WARM_RC"
              held_tree_kib="$((hs + hd))" held_self_kib="$hs" held_desc_kib="$hd" held_descendants="$hn")
    fi
  fi
  sleep 1
  after=$(count_servers)
  extra+=(servers_before="$before" servers_after="$after")
  if [[ $MODE == http ]]; then
    stop_proxy
    sleep 0.5
    local orphans; orphans=$(count_servers)
    kill_servers
    extra+=(servers_leaked="$((after - before))" orphans_after_stop="$orphans" stop="$STOP_HOW")
    [[ -n $RAW_DIR ]] && cp "$PROXY_LOG" "$RAW_DIR/" 2>/dev/null || true
  fi
  [[ -n $RAW_DIR ]] && cp "$out" "$err" "$RAW_DIR/" 2>/dev/null || true
  local rec
  rec=$("$NODE" "$HELPER" rep "$w" "$out" "${extra[@]}")
  # Disturbed by other users of the machine? Then the caller runs it again.
  if ((attempt <= MAX_RETRIES)) && "$NODE" -e '
      const [rec, pct, slack, cores] = process.argv.slice(1);
      const r = JSON.parse(rec);
      const cap = (r.window_ms || 0) * Number(cores) * Number(pct) / 100 + Number(slack);
      process.exit(typeof r.foreign_cpu_ms === "number" && r.foreign_cpu_ms > cap ? 0 : 1);' \
      "$rec" "$MAX_FOREIGN_PCT" "$FOREIGN_SLACK_MS" "$(nproc)"; then
    log "$NAME $w rep $rep attempt $attempt disturbed (foreign CPU over ${MAX_FOREIGN_PCT}% + ${FOREIGN_SLACK_MS} ms); again: $(cut -c1-200 <<<"$rec")"
    [[ -n $RAW_DIR ]] && printf '%s\n' "$rec" >>"$RAW_DIR/disturbed.jsonl"
    return 1
  fi
  printf '%s\n' "$rec" >>"$RUN_DIR/$w.jsonl"
  log "$NAME $w rep $rep: $(cut -c1-300 <<<"$rec")"
}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

main() {
  local wl='A,B,C,D,E,F' quick=0 b_sessions='' c_bytes=1048576 c_calls='' d_gap=0
  NAME='' URL_TEMPLATE='http://127.0.0.1:{PORT}/mcp' REPS=3 SERVER_CMD='' START_TIMEOUT=30 RAW_DIR=''
  QUIET_MAX=10 QUIET_WAIT=180 MAX_FOREIGN_PCT=10 FOREIGN_SLACK_MS=250 MAX_RETRIES=3
  local args=()
  while (($#)); do
    case $1 in
      -h|--help) usage; exit 0 ;;
      --url) URL_TEMPLATE=$2; shift 2 ;;
      --name) NAME=$2; shift 2 ;;
      --workloads) wl=$2; shift 2 ;;
      --reps) REPS=$2; shift 2 ;;
      --server) SERVER_CMD=$2; shift 2 ;;
      --start-timeout) START_TIMEOUT=$2; shift 2 ;;
      --raw-dir) RAW_DIR=$2; shift 2 ;;
      --quiet-max) QUIET_MAX=$2; shift 2 ;;
      --quiet-wait) QUIET_WAIT=$2; shift 2 ;;
      --max-foreign) MAX_FOREIGN_PCT=$2; shift 2 ;;
      --retries) MAX_RETRIES=$2; shift 2 ;;
      --quick) quick=1; shift ;;
      --b-sessions) b_sessions=$2; shift 2 ;;
      --c-bytes) c_bytes=$2; shift 2 ;;
      --c-calls) c_calls=$2; shift 2 ;;
      --d-gap-ms) d_gap=$2; shift 2 ;;
      --) shift; args+=("$@"); break ;;
      -*) die "unknown option $1 (see --help)" ;;
      *) args+=("$1"); shift ;;
    esac
  done
  if [[ ${args[0]:-} == install ]]; then
    install_npm_peers
    [[ ${args[1]:-} == seed ]] && install_seed
    log "installed: supergateway $(npm_pkg_version supergateway), mcp-proxy $(npm_pkg_version mcp-proxy)$([[ -x $PEERS_DIR/seed-venv/bin/mcp-streamablehttp-proxy ]] && echo ", seed ${SEED_COMMIT:0:7}")"
    exit 0
  fi
  ((${#args[@]} == 1)) || { usage >&2; exit 2; }
  [[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
  local proxy=${args[0]}
  local version=''
  MODE=http
  case $proxy in
    stdio) MODE=stdio; TEMPLATE=''; version="node $("$NODE" -v)" ;;
    supergateway)
      install_npm_peers
      TEMPLATE="'$PEERS_DIR/node_modules/.bin/supergateway' --stdio '{SERVER}' --outputTransport streamableHttp --stateful --port {PORT} --logLevel none"
      version="supergateway@$(npm_pkg_version supergateway)" ;;
    mcp-proxy)
      install_npm_peers
      TEMPLATE="'$PEERS_DIR/node_modules/.bin/mcp-proxy' --host 127.0.0.1 --port {PORT} --server stream -- {SERVER}"
      version="mcp-proxy@$(npm_pkg_version mcp-proxy)" ;;
    seed)
      install_seed
      TEMPLATE="'$PEERS_DIR/seed-venv/bin/mcp-streamablehttp-proxy' --host 127.0.0.1 --port {PORT} --log-level warning {SERVER}"
      version="mcp-streamablehttp-proxy@${SEED_COMMIT:0:7}" ;;
    *)
      [[ $proxy == *'{PORT}'* ]] || die "a custom proxy template must contain {PORT}"
      TEMPLATE=$proxy; version='custom' ;;
  esac
  [[ -n $NAME ]] || NAME=$([[ $version == custom ]] && echo custom || echo "$proxy")
  if ((quick)); then
    A_N=200 A_W=20 B_S=4 B_N=100 B_W=10 C_N=5 C_W=1 D_S=5 E_S=5
    REPS=1
  else
    A_N=2000 A_W=50 B_S=16 B_N=500 B_W=50 C_N=50 C_W=5 D_S=50 E_S=50
  fi
  [[ -n $b_sessions ]] && B_S=$b_sessions
  # E's first client is the same as the measured one, run 3 times: V8 grows its young
  # generation in doublings of ~12 MiB as a load goes on, and after one run the next
  # doubling often fell in the measured client (bench/README.md).
  E_W=$E_S E_WARM_RUNS=$((quick ? 1 : 3))
  if [[ -n $c_calls ]]; then C_N=$c_calls; C_W=$((c_calls > 5 ? c_calls / 10 : 0)); fi
  C_BYTES=$c_bytes D_GAP_MS=$d_gap
  # 5 s for 1 MiB; a 32 MiB call needs longer, more so through a slow proxy.
  C_TIMEOUT_MS=$((5000 + c_bytes / 1048576 * 1000))

  mkdir -p "$PEERS_DIR"
  RUN_DIR=$(mktemp -d "$PEERS_DIR/run.XXXXXX")
  trap cleanup EXIT INT TERM
  HELPER="$RUN_DIR/helper.mjs"
  write_helper
  exec {NAP_FD}<> <(:)   # never readable: `read -t` on it is a sleep without a fork
  if [[ -z $SERVER_CMD ]]; then
    SERVER_COPY="$RUN_DIR/echo-server-$$.mjs"
    cp "$BENCH_DIR/../echo-server.mjs" "$SERVER_COPY"
    SERVER_CMD="$NODE $SERVER_COPY"
  fi
  [[ -n $RAW_DIR ]] && mkdir -p "$RAW_DIR"

  local envjson
  envjson=$("$NODE" -e 'const [v,u,s,n,q]=process.argv.slice(1);console.log(JSON.stringify({version:v,url:u||null,server:s,node:process.version,cores:require("os").cpus().length,quick:q==="1",template:n||null}))' \
    "$version" "$([[ $MODE == http ]] && echo "$URL_TEMPLATE")" "$SERVER_CMD" "$([[ $version == custom ]] && echo "$TEMPLATE")" "$quick")

  local -a todo=()
  IFS=',' read -r -a todo <<<"${wl^^}"
  local w want_b=0 want_f=0
  for w in "${todo[@]}"; do
    [[ $w =~ ^[A-F]$ ]] || die "unknown workload $w"
    [[ $w == B ]] && want_b=1
    [[ $w == F ]] && want_f=1
  done
  for w in A B C D E; do
    local wanted=0 x
    for x in "${todo[@]}"; do [[ $x == "$w" ]] && wanted=1; done
    [[ $w == B && $want_f == 1 ]] && wanted=1
    ((wanted)) || continue
    local rep
    for ((rep = 1; rep <= REPS; rep++)); do
      local attempt=1
      until run_one "$w" "$rep" "$attempt"; do attempt=$((attempt + 1)); done
      if [[ $w == C ]] && "$NODE" -e 'const r=JSON.parse(process.argv[1]);process.exit(!r.calls_ok?0:1)' "$(tail -1 "$RUN_DIR/C.jsonl")"; then
        log "$NAME C: no good call in rep $rep; not repeating"
        break
      fi
    done
    local desc=${WDESC[$w]}
    case $w in
      A) desc="latency: 1 session, $A_N calls, concurrency 1, 100 B (warm-up $A_W excluded)" ;;
      B) desc="throughput: $B_S sessions x $B_N calls, concurrency 4/session, 100 B (warm-up $B_W/session excluded from latency)" ;;
      C) desc="large payload: 1 session, $C_N calls of $C_BYTES B (warm-up $C_W), per-call timeout $((C_TIMEOUT_MS / 1000)) s" ;;
      D) desc="session start: $D_S sessions one after another$(gap_text), initialize latency (spawn included where per-session)" ;;
      E) desc="memory: $E_S sessions x 10 calls held open 3 s; RSS KiB of proxy tree, per_session=(held-warm)/sessions, warm = after the same client ran $E_WARM_RUNS time(s) and its sessions ended" ;;
    esac
    if [[ $w != B || $want_b == 1 ]]; then
      "$NODE" "$HELPER" agg "$NAME" "$w" "$desc" "$RUN_DIR/$w.jsonl" "$envjson"
    fi
  done
  if ((want_f)); then
    "$NODE" "$HELPER" agg "$NAME" F "${WDESC[F]} ($B_S x $B_N calls)" "$RUN_DIR/B.jsonl" "$envjson"
  fi
}

main "$@"
