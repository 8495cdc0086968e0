#pragma once

// A minute of traffic in the Calico demo cluster (resources/demo/calico.json) as a node's
// underlay would capture it: pod-to-pod conversations on one node go bare, across nodes they
// are IP-in-IP between the node addresses (Calico's tunl0); DNS to CoreDNS, a NodePort client
// from the Internet, a node talking to an external HTTPS server, and a ping. Deterministic:
// the same bytes every time. Used by the replay and GUI tests and by write-demo-capture (the
// screenshot in docs/).

#include "../tst_capture_packets.h"

#include <QList>
#include <algorithm>
#include <cstdint>
#include <string_view>

namespace captest {

struct DemoConversation
{
    std::string_view a; // inner (or only) addresses
    std::string_view b;
    std::uint8_t protocol; // 6, 17, 1
    std::uint16_t aPort;
    std::uint16_t bPort;
    std::string_view outerA; // IP-in-IP outer addresses, empty for none
    std::string_view outerB;
    int startSecond;
    int endSecond;
    int exchangesPerSecond;
    int requestBytes;
    int responseBytes;
};

// The demo's node addresses: control-plane .10, worker-1 .11, worker-2 .12.
inline const QList<DemoConversation> &demoConversations()
{
    static const QList<DemoConversation> conversations = {
        // front-end (worker-1) → carts (worker-1): same node, no tunnel
        {"10.244.1.6", "10.244.1.2", 6, 41000, 80, {}, {}, 0, 59, 4, 420, 1800},
        // front-end (worker-2) → catalogue (worker-1): IP-in-IP
        {"10.244.2.2", "10.244.1.4", 6, 41010, 80, "192.168.56.12", "192.168.56.11", 2, 50, 3, 380,
         5200},
        // orders (worker-1) → payment (worker-2): IP-in-IP, a burst
        {"10.244.1.7", "10.244.2.3", 6, 41020, 80, "192.168.56.11", "192.168.56.12", 20, 35, 12,
         900, 1200},
        // orders → orders-db (worker-1)
        {"10.244.1.7", "10.244.1.8", 6, 41030, 27017, {}, {}, 5, 55, 2, 300, 9000},
        // queue-master → rabbitmq (worker-2)
        {"10.244.2.4", "10.244.2.5", 6, 41040, 5672, {}, {}, 0, 59, 1, 200, 200},
        // shipping → rabbitmq (worker-2)
        {"10.244.2.7", "10.244.2.5", 6, 41050, 5672, {}, {}, 30, 59, 5, 700, 120},
        // user → user-db (worker-2)
        {"10.244.2.8", "10.244.2.9", 6, 41060, 27017, {}, {}, 10, 45, 3, 260, 3000},
        // carts → carts-db (worker-1)
        {"10.244.1.2", "10.244.1.3", 6, 41070, 27017, {}, {}, 0, 59, 4, 350, 2400},
        // front-end (worker-1) → CoreDNS (control-plane): DNS over IP-in-IP, one flow per query
        {"10.244.1.6", "10.244.0.3", 17, 53001, 53, "192.168.56.11", "192.168.56.10", 1, 1, 1, 78,
         150},
        {"10.244.1.6", "10.244.0.3", 17, 53002, 53, "192.168.56.11", "192.168.56.10", 21, 21, 1, 78,
         150},
        {"10.244.2.2", "10.244.0.4", 17, 53003, 53, "192.168.56.12", "192.168.56.10", 40, 40, 1, 80,
         160},
        // a browser on the Internet → front-end's NodePort 30001 on worker-1
        {"203.0.113.50", "192.168.56.11", 6, 51515, 30001, {}, {}, 0, 59, 2, 600, 14000},
        // worker-2 (SNAT of an egress call) → an external HTTPS API
        {"192.168.56.12", "93.184.216.34", 6, 44300, 443, {}, {}, 25, 40, 2, 800, 4000},
        // catalogue (worker-1) pings user (worker-2): ICMP over IP-in-IP
        {"10.244.1.4", "10.244.2.8", 1, 0, 0, "192.168.56.11", "192.168.56.12", 12, 17, 1, 84, 84},
    };
    return conversations;
}

inline constexpr std::int64_t kDemoTrafficStartUs = 1717243200LL * 1000000; // 2024-06-01 12:00

inline QByteArray demoInnerPacket(const DemoConversation &c, bool fromA, std::uint8_t tcpFlags,
                                  int payloadBytes, std::uint16_t sequence)
{
    const std::string_view src = fromA ? c.a : c.b;
    const std::string_view dst = fromA ? c.b : c.a;
    const std::uint16_t srcPort = fromA ? c.aPort : c.bPort;
    const std::uint16_t dstPort = fromA ? c.bPort : c.aPort;
    QByteArray transport;
    switch (c.protocol) {
    case 6:
        transport = tcp(srcPort, dstPort, tcpFlags, filler(payloadBytes));
        break;
    case 17:
        transport = udp(srcPort, dstPort, filler(payloadBytes));
        break;
    default:
        transport = icmpEcho(0x4242, sequence, !fromA) + filler(std::max(payloadBytes - 8, 0));
        break;
    }
    return ipv4(src, dst, c.protocol, transport);
}

inline QByteArray demoFrame(const DemoConversation &c, bool fromA, std::uint8_t tcpFlags,
                            int payloadBytes, std::uint16_t sequence = 0)
{
    QByteArray packet = demoInnerPacket(c, fromA, tcpFlags, payloadBytes, sequence);
    if (!c.outerA.empty())
        packet = ipv4(fromA ? c.outerA : c.outerB, fromA ? c.outerB : c.outerA, 4, packet);
    return ethernet(0x0800, packet);
}

// The capture as records in time order.
inline QList<Record> demoTrafficRecords()
{
    QList<Record> records;
    std::uint32_t jitter = 12345; // a fixed LCG: varied sizes and spacing, same every run
    const auto next = [&jitter](int range) {
        jitter = jitter * 1103515245u + 12345u;
        return int((jitter >> 16) % std::uint32_t(std::max(range, 1)));
    };
    QList<std::pair<std::int64_t, QByteArray>> timed;
    for (const DemoConversation &c : demoConversations()) {
        const std::int64_t base = kDemoTrafficStartUs + std::int64_t(c.startSecond) * 1000000;
        std::int64_t t = base + next(200000);
        std::uint16_t sequence = 0;
        if (c.protocol == 6) {
            timed.append({t, demoFrame(c, true, kSyn, 0)});
            timed.append({t + 300, demoFrame(c, false, kSyn | kAck, 0)});
            timed.append({t + 600, demoFrame(c, true, kAck, 0)});
            t += 1000;
        }
        for (int second = c.startSecond; second <= c.endSecond; ++second) {
            for (int k = 0; k < c.exchangesPerSecond; ++k) {
                const std::int64_t at = kDemoTrafficStartUs + std::int64_t(second) * 1000000 +
                                        std::int64_t(k) * (1000000 / c.exchangesPerSecond) +
                                        next(20000) + 5000;
                const std::int64_t when = std::max(at, t);
                const int request = c.requestBytes / 2 + next(c.requestBytes / 2 + 1);
                const int response = c.responseBytes / 2 + next(c.responseBytes / 2 + 1);
                const std::uint8_t flags = c.protocol == 6 ? std::uint8_t(kPsh | kAck) : 0;
                timed.append({when, demoFrame(c, true, flags, request, sequence)});
                timed.append({when + 400 + next(3000),
                              demoFrame(c, false, flags, std::min(response, 1400), sequence)});
                if (response > 1400 && c.protocol == 6)
                    timed.append({when + 3500 + next(2000),
                                  demoFrame(c, false, kAck, std::min(response - 1400, 1400))});
                ++sequence;
                t = when + 6000;
            }
        }
        if (c.protocol == 6) {
            timed.append({t + 1000, demoFrame(c, true, kFin | kAck, 0)});
            timed.append({t + 1400, demoFrame(c, false, kFin | kAck, 0)});
        }
    }
    // An ARP exchange on the underlay: counted, in no flow.
    timed.append({kDemoTrafficStartUs + 500, ethernet(0x0806, arpRequest())});
    std::stable_sort(timed.begin(), timed.end(),
                     [](const auto &l, const auto &r) { return l.first < r.first; });
    for (const auto &[when, frame] : timed)
        records.append(Record{when, frame, 0});
    return records;
}

inline QByteArray demoTrafficPcap()
{
    return pcapFile(linktype::Ethernet, demoTrafficRecords());
}

} // namespace captest
