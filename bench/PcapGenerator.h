#pragma once

#include "Result.h"

#include <QString>
#include <cstdint>

// Deterministic synthetic captures for the capture benchmark: pod-to-pod TCP and UDP
// conversations of a 32-node cluster, bare or encapsulated between the node addresses the way
// Flannel (VXLAN) or Calico (IP-in-IP) puts them on the underlay.
namespace cartograph::bench {

enum class Encapsulation : std::uint8_t
{
    None,  // Ethernet / IPv4 / TCP|UDP
    Vxlan, // Ethernet / IPv4 (nodes) / UDP → vxlanPort / VXLAN VNI 1 / Ethernet / IPv4 (pods) ...
    IpIp,  // Ethernet / IPv4 (nodes, protocol 4) / IPv4 (pods) ...
};

struct TrafficSpec
{
    std::uint64_t packets = 10'000'000;
    // Distinct conversations (5-tuples); every one of them sends at least one packet, so
    // packets >= conversations. Their lengths average packets / conversations.
    std::uint64_t conversations = 10'000;
    std::uint64_t seed = 1;
    Encapsulation encapsulation = Encapsulation::None;
    std::uint16_t vxlanPort = 8472;
    // Bytes of each frame written (as `tcpdump -s N` keeps); 0 keeps whole frames. The wire
    // length (pcap `len`) is always the frame's full length.
    std::uint32_t snaplen = 128;
    // Conversations open at the same time; packets are drawn from them at random.
    std::uint32_t concurrency = 2048;
};

// What a generated file holds, as the generator knows it.
struct TrafficSummary
{
    std::uint64_t packets = 0;
    std::uint64_t wireBytes = 0; // sum of frame lengths on the wire
    std::uint64_t tcpConversations = 0;
    std::uint64_t udpConversations = 0;
    std::uint64_t fileBytes = 0;
};

// Writes the traffic `spec` describes as a classic pcap (microsecond timestamps, Ethernet).
// The same spec always gives the same bytes. The file appears complete or not at all.
Result<TrafficSummary> writeTrafficPcap(const TrafficSpec &spec, const QString &path);

QString encapsulationName(Encapsulation encapsulation); // "plain", "vxlan", "ipip"

} // namespace cartograph::bench
