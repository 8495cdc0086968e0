#pragma once

#include "FlowTable.h"
#include "PacketDecoder.h"
#include "Result.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
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

// Which thread decodes frames when a replay reads ahead (see AnalysisOptions::readAhead).
enum class DecodeThread : std::uint8_t
{
    // Whichever has time: the reading thread passes a share of the frames on undecoded, more
    // while the flow table keeps up with it, fewer while the table falls behind.
    Balanced,
    Reading,     // always the reading thread
    Aggregating, // the flow table's thread, for every frame short enough to pass on undecoded
    Halves,      // the table's thread the first half of each batch, the reading thread the rest
};

struct AnalysisOptions
{
    DecodeOptions decode;
    FlowTableOptions table;
    // Read on a second thread while the flow table runs on the calling one, where the source
    // allows it (PacketSource::readableFromAnyThread) and the machine has two cores or more.
    // The flows are the same either way, and whichever thread decodes.
    bool readAhead = true;
    DecodeThread decodeThread = DecodeThread::Balanced; // fixed ones are for tests and benchmarks
};

// Counts a decoded frame in `summary` by what it is and by its damage; true for an IP frame.
bool countDecoded(const DecodedPacket &decoded, CaptureSummary &summary);

// Adds the tunnel ports a snapshot's NodeNetwork items name (vxlan/geneve/wireguard devices'
// UDP ports, e.g. Flannel's 8472 or a custom VXLAN port) to `options`.
void addSnapshotTunnelPorts(const ClusterSnapshot &snapshot, DecodeOptions &options);

// A replay's flows before they become FlowRecords: those that left the table on the way, and
// the table with the rest. Walking them in report order fills one record at a time, so an export
// of a million flows needs no million records at once (168 MB, and two heap blocks for each
// tunnelled flow).
class FlowResults
{
public:
    const CaptureSummary &summary() const { return m_summary; }
    std::size_t size() const { return m_ended.size() + m_table.size(); }
    // Calls visit(flow) for every flow in report order, the order FlowReport::flows has (see
    // flowRecordLess). `flow` is only valid during the call.
    void forEach(const std::function<void(const FlowRecord &)> &visit) const;
    // The report order cut into consecutive runs of `flowsPerRun` flows (the last one shorter),
    // for visiting the flows in parts, each part on its own thread.
    struct Run
    {
        std::size_t position = 0; // of the run's first flow in report order
        std::size_t count = 0;
        std::uint64_t firstItem = 0;
    };
    std::vector<Run> runs(std::size_t flowsPerRun) const;
    // Calls visit(flow) for the run's flows in report order; any number of threads may visit
    // runs at once (the results are only read).
    void forEachIn(const Run &run, const std::function<void(const FlowRecord &)> &visit) const;
    // The flows as records, in report order.
    FlowReport takeReport() &&;

private:
    friend Result<FlowResults> replayCapture(PacketSource &, const AnalysisOptions &,
                                             const std::atomic_bool *);
    explicit FlowResults(const FlowTableOptions &options)
        : m_table(options)
    {}
    void sort();

    // Flows are numbered as "items": i < m_ended.size() is m_ended[i], else table slot
    // i - m_ended.size().
    FlowTable m_table;
    std::vector<FlowRecord> m_ended;
    // Items in report order; empty when their own order (ended, then the table's slots) is it.
    std::vector<std::uint64_t> m_order;
    CaptureSummary m_summary;
};

// Reads the source to its end: decodes every frame and aggregates flows; see analyzeCapture.
Result<FlowResults> replayCapture(PacketSource &source, const AnalysisOptions &options,
                                  const std::atomic_bool *cancel = nullptr);

// Reads the source to its end: decodes every frame, aggregates flows, and returns them with
// the summary. A source that stops on an error still yields what came before (see
// CaptureSummary::readError). `cancel`, when given, is polled every few thousand packets and at
// the end; a cancelled run returns ErrorCode::Cancelled.
Result<FlowReport> analyzeCapture(PacketSource &source, const AnalysisOptions &options,
                                  const std::atomic_bool *cancel = nullptr);

} // namespace cartograph::capture
