#!/usr/bin/env bash
# ynl-parity.sh: compare `nlgen call` with the kernel's YNL CLI on this
# machine's live kernel, command by command, and time both.
#
# Dev-only: it needs a Linux source tree with tools/net/ynl (the YNL CLI)
# and Documentation/netlink/specs. CI does not run it; `make test` models
# the CLI's conventions in internal/dyn and internal/cli tests instead.
#
#   scripts/ynl-parity.sh [LINUX_SRC]      (default: $YNL_LINUX_SRC or
#                                           /work/peers/linux/linux-source-6.12)
#
# Both tools read the same spec files: $YNL_SPECS, by default the upstream
# specs next to this checkout (../shared/specs/linux, v6.14), else the
# tree's own. cli.py runs with --no-schema (the spec layout differs between
# versions; skipping the JSON-schema check also makes its timing fairer to
# it). The JSON is
# compared semantically: key order is ignored, and lists of names are
# compared as sets, since cli.py prints flag sets in hash order. cli.py
# runs with --process-unknown so that attributes its decoder lacks (pad,
# and rtnetlink attributes newer than the spec) come out the way nlgen
# shows them. The netlink-raw specs (rt_link, rt_addr, rt_route) come from
# $YNL_RAW_SPECS, by default ../shared/specs/linux-6.12, else the tree's;
# tc and nftables from the tree.
# YNL_PARITY_ONLY=REGEX runs only the commands matching it.
# Exit status 1 when any command differs.
set -euo pipefail

src=${1:-${YNL_LINUX_SRC:-/work/peers/linux/linux-source-6.12}}
cli=$src/tools/net/ynl/cli.py
root=$(cd "$(dirname "$0")/.." && pwd)
specs=${YNL_SPECS:-$root/../shared/specs/linux}
[[ -d $specs ]] || specs=$src/Documentation/netlink/specs
rawspecs=${YNL_RAW_SPECS:-$root/../shared/specs/linux-6.12}
[[ -d $rawspecs ]] || rawspecs=$src/Documentation/netlink/specs
if [[ ! -f $cli || ! -d $specs ]]; then
	echo "ynl-parity: no YNL CLI at $cli (give the Linux source tree as the first argument)" >&2
	exit 2
fi
nlgen=${NLGEN:-$root/bin/nlgen}
if [[ ! -x $nlgen ]]; then
	(cd "$root" && make build >/dev/null)
fi
runs=${YNL_PARITY_RUNS:-7} # timed runs per command and tool; medians are printed (ms)

# spec|do or dump|op|json request
commands=(
	'nlctrl|dump|getfamily|'
	'nlctrl|dump|getpolicy|{"family-name": "netdev"}'
	'nlctrl|dump|getpolicy|{"family-name": "ethtool"}'
	'netdev|dump|dev-get|'
	'netdev|dump|queue-get|'
	'netdev|dump|qstats-get|'
	'netdev|dump|napi-get|'
	'ethtool|dump|linkinfo-get|{"header": {}}'
	'ethtool|dump|strset-get|{"header": {}}'
	'ethtool|dump|features-get|{"header": {}}'
	'ethtool|dump|channels-get|{"header": {}}'
	'ethtool|dump|rings-get|{"header": {}}'
	'ethtool|dump|linkmodes-get|{"header": {}}'
	'ethtool|dump|tsinfo-get|{"header": {}}'
	'mptcp_pm|do|get-limits|'
	'rt_link|dump|getlink|'
	'rt_link|do|getlink|{"ifi-index": 1}'
	'rt_addr|dump|getaddr|'
	'rt_addr|dump|getaddr|{"ifa-family": 2}'
	'rt_route|dump|getroute|'
	'rt_route|dump|getroute|{"rtm-family": 10}'
	'tc|dump|getqdisc|'
	'nftables|dump|gettable|'
	'nftables|dump|getchain|'
	'nftables|dump|getrule|'
	'nftables|dump|getset|'
	'nftables|dump|getobj|'
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
printf '%-30s %-6s %9s %9s %9s %9s %8s %8s\n' command result "cli wall" "cli cpu" "nlg wall" "nlg cpu" "wall" "cpu"
for c in "${commands[@]}"; do
	IFS='|' read -r spec mode op req <<<"$c"
	[[ -n ${YNL_PARITY_ONLY:-} && ! $c =~ $YNL_PARITY_ONLY ]] && continue
	dir=$specs
	[[ $spec == rt_* ]] && dir=$rawspecs
	# tc and nftables are not among the specs beside the checkout: the
	# tree's own. Their tables are empty in a fresh namespace; run the
	# script under `ip netns exec` in one with qdiscs and an nft ruleset.
	[[ $spec == tc || $spec == nftables ]] && dir=$src/Documentation/netlink/specs
	args=(--spec "$dir/$spec.yaml" "--$mode" "$op")
	[[ -n $req ]] && args+=(--json "$req")
	# cli.py prints "Netlink warning:" blocks on stdout before the JSON;
	# the JSON is its last line.
	(cd "$src/tools/net/ynl" && python3 cli.py "${args[@]}" --no-schema --output-json --process-unknown) >"$tmp/cli.out" 2>"$tmp/cli.err" || true
	"$nlgen" call "${args[@]}" >"$tmp/nlgen.out" 2>"$tmp/nlgen.err" || true
	result=$(python3 - "$tmp/cli.out" "$tmp/nlgen.out" <<'PY'
import json, sys

def norm(v):
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        v = [norm(x) for x in v]
        if v and all(isinstance(x, str) for x in v):
            v = sorted(v)
        return v
    return v

def load(path):
    lines = [l for l in open(path).read().splitlines() if l.strip()]
    if not lines:
        return None
    try:
        return json.loads(lines[-1])
    except ValueError:
        return None

a, b = load(sys.argv[1]), load(sys.argv[2])
if a is None or b is None:
    print("ERROR")
elif norm(a) == norm(b):
    print("same")
else:
    print("DIFF")
PY
)
	if [[ $result != same ]]; then
		fail=1
		echo "--- $c" >&2
		echo "cli.py: $(tail -c 600 "$tmp/cli.out") $(tail -c 300 "$tmp/cli.err")" >&2
		echo "nlgen:  $(head -c 600 "$tmp/nlgen.out") $(head -c 300 "$tmp/nlgen.err")" >&2
	fi
	# Median wall and CPU (user+sys) time per run: the machine is shared,
	# so CPU time is the steadier measure.
	read -r cwall ccpu nwall ncpu < <(python3 - "$runs" "$src/tools/net/ynl" "$nlgen" "${args[@]}" <<'PY'
import os, resource, statistics, subprocess, sys, time

runs, ynl_dir, nlgen, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]

def measure(cmd, cwd=None):
    wall, cpu = [], []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall.append(time.monotonic() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000

cw, cc = measure(["python3", "cli.py", *args, "--no-schema", "--output-json", "--process-unknown"], cwd=ynl_dir)
nw, nc = measure([nlgen, "call", *args])
print(f"{cw:.0f} {cc:.0f} {nw:.0f} {nc:.0f}")
PY
)
	printf '%-30s %-6s %9s %9s %9s %9s %8s %8s\n' "$spec $mode $op" "$result" "$cwall" "$ccpu" "$nwall" "$ncpu" \
		"$(python3 -c "print(round($cwall/max($nwall,1),1))")x" "$(python3 -c "print(round($ccpu/max($ncpu,1),1))")x"
done
exit $fail
