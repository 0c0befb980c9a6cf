#!/usr/bin/env bash
# Runs the shared workloads (../shared/bench/peers.sh: A latency, B throughput,
# C 1 MiB calls, D session start, E memory, F CPU) against the direct-stdio
# floor, mcpd and the peer proxies in one run, then prints the ratio table.
#
#   bench/compare.sh                       # everything, 3 reps (about 15 min)
#   REPS=1 WORKLOADS=A,B bench/compare.sh  # quicker
#   PROXIES="stdio mcpd" bench/compare.sh  # skip the peers
#
# Raw JSON lines go to bench/results/<time>.jsonl (git-ignored); the table is
# printed by bench/report.mjs, which can be re-run on any such file.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${PEERS_SH:-$root/../shared/bench/peers.sh}
reps=${REPS:-3}
workloads=${WORKLOADS:-A,B,C,D,E,F}
proxies=${PROXIES:-stdio mcpd supergateway mcp-proxy}
mkdir -p "$here/results"
out=${OUT:-$here/results/$(date +%Y%m%d-%H%M%S).jsonl}

[[ -f $root/dist/cli.js ]] || (cd "$root" && npm run build >&2)
if [[ $proxies == *supergateway* || $proxies == *mcp-proxy* ]]; then bash "$peers" install; fi

for proxy in $proxies; do
	echo "[compare] $proxy" >&2
	if [[ $proxy == mcpd ]]; then
		# warn: the headless log's per-session lines are not what is being measured.
		bash "$peers" --reps "$reps" --workloads "$workloads" --name mcpd --url 'http://127.0.0.1:{PORT}/mcp' \
			"node $root/bin/mcpd.js --no-tui --log-level warn --port {PORT} -- {SERVER}" >>"$out"
	else
		bash "$peers" --reps "$reps" --workloads "$workloads" "$proxy" >>"$out"
	fi
done

echo "[compare] raw results: $out" >&2
node "$here/report.mjs" "$out"
