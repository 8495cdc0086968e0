#pragma once

#include "FlowTable.h"
#include "PacketDecoder.h"
#include "Result.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace cartograph {
struct ClusterSnapshot;
}

namespace cartograph::capture {

class PacketSource;

// Frames a live capture lost, by where they were lost.
struct CaptureDrops
{
    std::uint64_t kernel = 0;    // pcap_stats ps_drop: the kernel ring was full
    std::uint64_t interface = 0; // pcap_stats ps_ifdrop: the interface or its driver dropped them
    std::uint64_t queue = 0;     // our own capture queue was full: read, but never decoded

    std::uint64_t total() const { return kernel + interface + queue; }
    friend bool operator==(const CaptureDrops &, const CaptureDrops &) = default;
};

// What a replay saw besides the flows.
struct CaptureSummary
{
    std::uint64_t packets = 0;     // frames read
    std::uint64_t bytes = 0;       // their lengths on the wire
    std::uint64_t ipPackets = 0;   // frames that belong to a flow
    std::uint64_t nonIp = 0;       // ARP, STP, CDP, unknown link types ...: counted only
    std::uint64_t undecodable = 0; // damaged before any IP header: in no flow
    // Frames with damage, by the first reason met (an Ip frame can be malformed too).
    std::array<std::uint64_t, kMalformedReasonCount> malformed{};
    std::uint64_t flows = 0;
    std::uint64_t expired = 0;              // flows ended by the idle timeout
    std::uint64_t evicted = 0;              // flows pushed out by the flow limit
    std::map<int, std::uint64_t> linkTypes; // DLT value → frames
    // The source stopped on an error: the flows hold the packets before it.
    std::optional<Error> readError;
    // Live captures only: what was lost before decoding (absent for files).
    std::optional<CaptureDrops> dropped;

    std::uint64_t malformedTotal() const;
};

struct FlowReport
{
    std::vector<FlowRecord> flows; // sorted by flowRecordLess: the same file, the same order
    CaptureSummary summary;
};

struct AnalysisOptions
{
    DecodeOptions decode;
    FlowTableOptions table;
};

// Adds the tunnel ports a snapshot's NodeNetwork items name (vxlan/geneve/wireguard devices'
// UDP ports, e.g. Flannel's 8472 or a custom VXLAN port) to `options`.
void addSnapshotTunnelPorts(const ClusterSnapshot &snapshot, DecodeOptions &options);

// Reads the source to its end: decodes every frame, aggregates flows, and returns them with
// the summary. A source that stops on an error still yields what came before (see
// CaptureSummary::readError). `cancel`, when given, is polled every few thousand packets; a
// cancelled run returns ErrorCode::Cancelled.
Result<FlowReport> analyzeCapture(PacketSource &source, const AnalysisOptions &options,
                                  const std::atomic_bool *cancel = nullptr);

} // namespace cartograph::capture
