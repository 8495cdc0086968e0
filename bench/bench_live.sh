#!/usr/bin/env bash
# Live capture: the packet rate at which drops begin, for `cartograph-cli capture` and for tcpdump
# on the same veth pair. tcpreplay sends a generated pcap (64-byte UDP payloads, 1000
# conversations) out of one end at increasing rates, then --topspeed; each tool captures on the
# other end with the same kernel buffer (8 MiB, or BUFFER_MIB) and reports its drops (ours:
# summary.dropped, kernel + interface + our queue; tcpdump: "dropped by kernel"). Root only; run
# on a Release build:
#   cmake --preset release -B build/release && ninja -C build/release cartograph-cli
#   sudo bench/bench_live.sh build/release
#   sudo BUFFER_MIB=1 bench/bench_live.sh build/release   # a small ring shows the limits sooner
set -euo pipefail

build=${1:?usage: bench_live.sh RELEASE_BUILD_DIR}
buffer_mib=${BUFFER_MIB:-8}
cli=$build/cli/cartograph-cli
[[ $(id -u) -eq 0 ]] || { echo "bench_live: needs root (network namespaces)" >&2; exit 1; }
for tool in ip tcpreplay tcpdump python3; do
    command -v $tool >/dev/null || { echo "bench_live: $tool is missing" >&2; exit 1; }
done
[[ -x $cli ]] || { echo "bench_live: no $cli" >&2; exit 1; }

prefix=cgbench$$
work=$(mktemp -d)
cleanup() {
    ip netns del ${prefix}a 2>/dev/null || true
    ip netns del ${prefix}b 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add ${prefix}a
ip netns add ${prefix}b
for ns in ${prefix}a ${prefix}b; do
    ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n ${prefix}a link add cga0 type veth peer name cgb0 netns ${prefix}b
ip -n ${prefix}a addr add 10.99.0.1/24 dev cga0
ip -n ${prefix}b addr add 10.99.0.2/24 dev cgb0
ip -n ${prefix}a link set cga0 up
ip -n ${prefix}b link set cgb0 up

packets=400000
python3 - "$work/traffic.pcap" $packets <<'EOF'
import struct, sys
path, count = sys.argv[1], int(sys.argv[2])
def csum(b):
    t = sum(struct.unpack('!10H', b)); t = (t >> 16) + (t & 0xffff); t += t >> 16
    return ~t & 0xffff
with open(path, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    payload = bytes(64)
    for i in range(count):
        udp = struct.pack('!HHHH', 10000 + i % 1000, 7000, 8 + len(payload), 0) + payload
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64, 17, 0,
                         bytes([10, 99, 0, 2]), bytes([10, 99, 0, 1]))
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        frame = bytes.fromhex('020000000001020000000002') + b'\x08\x00' + ip + udp
        f.write(struct.pack('<IIII', i // 1000000, i % 1000000, len(frame), len(frame)) + frame)
EOF

# One run: capture with $1 while tcpreplay sends at $2 pps ("top" for --topspeed).
# Prints: achieved_pps captured dropped
run_once() {
    local tool=$1 rate=$2 limit replay_args out=$work/out err=$work/err
    if [[ $rate == top ]]; then
        limit=$packets
        replay_args=(--topspeed)
    else
        limit=$((rate * 2 < packets ? rate * 2 : packets))
        replay_args=(--pps=$rate)
    fi
    if [[ $tool == cartograph ]]; then
        ip netns exec ${prefix}a "$cli" capture -i cga0 --filter udp --buffer-size $buffer_mib >"$out" 2>"$err" &
        local marker="capturing on"
    else
        ip netns exec ${prefix}a tcpdump -i cga0 -B $((buffer_mib * 1024)) -w /dev/null udp >"$out" 2>"$err" &
        local marker="listening on"
    fi
    local pid=$!
    for _ in $(seq 100); do grep -q "$marker" "$err" && break; sleep 0.05; done
    local replay
    replay=$(ip netns exec ${prefix}b tcpreplay -i cgb0 --limit=$limit "${replay_args[@]}" \
        "$work/traffic.pcap" 2>&1)
    # Both deliver the ring's blocks on a timeout (ours 100 ms, tcpdump's 1 s): wait them out, so
    # no tool loses the tail at SIGINT.
    sleep 1.5
    kill -INT $pid
    wait $pid || true
    local achieved
    achieved=$(sed -n 's/.*Rated: .* Mbps, \([0-9.]*\) pps.*/\1/p' <<<"$replay" | head -1)
    if [[ $tool == cartograph ]]; then
        python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; d=s["dropped"]
print(sys.argv[2], s["packets"], d["total"], "(kernel %d, interface %d, queue %d)" % (d["kernel"], d["interface"], d["queue"]))' "$out" "$achieved"
    else
        local captured dropped
        captured=$(sed -n 's/^\([0-9]*\) packets captured/\1/p' "$err")
        dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel/\1/p' "$err")
        echo "$achieved $captured $dropped"
    fi
}

echo "bench_live: $packets-frame pcap (106-byte frames), veth pair, $buffer_mib MiB kernel buffer each"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for tool in cartograph tcpdump; do
    first=""
    for rate in 25000 50000 100000 200000 400000 top; do
        read -r achieved captured dropped detail < <(run_once $tool $rate)
        printf '  %-10s requested %-7s achieved %10s pps  captured %7s  dropped %7s %s\n' \
            "$tool" "$rate" "$achieved" "$captured" "$dropped" "${detail:-}"
        if [[ -z $first && ${dropped:-0} -gt 0 ]]; then first=$achieved; fi
    done
    echo "  $tool: drops begin at ${first:-no drops up to the top speed} pps"
done
