#pragma once

#include "FlowAnalysis.h"
#include "FlowAttribution.h"
#include "Result.h"

#include <QString>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace cartograph::capture {

// A pcap read once into flows with per-second buckets, their cluster endpoints and the
// capture's time range. Immutable after loadCaptureReplay(): the replay timeline, the flows
// table, the charts and the topology overlay all read the same value, from any thread.
struct CaptureReplay
{
    QString path;
    int linkType = 0;
    FlowReport report;                      // flows in flowRecordLess order, buckets on
    std::vector<ClusterEndpoint> endpointA; // by flow index: who side A is in the snapshot
    std::vector<ClusterEndpoint> endpointB;
    bool attributed = false;  // a snapshot named the endpoints (else all are external)
    std::int64_t firstUs = 0; // earliest and latest packet of any kind; 0/0 without packets
    std::int64_t lastUs = 0;

    const std::vector<FlowRecord> &flows() const { return report.flows; }
    std::int64_t firstSecond() const;
    std::int64_t lastSecond() const;
    std::int64_t secondCount() const { return lastSecond() - firstSecond() + 1; }
};

// fraction of the file read, 0…1; called from the thread that reads the file (not necessarily
// the caller's: see AnalysisOptions::readAhead).
using ReplayProgress = std::function<void(double fraction)>;

// Reads the capture at `path` to its end. Errors name the file and carry libpcap's reason (not
// a capture, unreadable); a file damaged part way yields the flows before the damage, with
// report.summary.readError set. `cancel` is polled every few thousand packets.
Result<CaptureReplay> loadCaptureReplay(const QString &path, const EndpointAttributor &attributor,
                                        AnalysisOptions options,
                                        const std::atomic_bool *cancel = nullptr,
                                        const ReplayProgress &progress = {});

// Flows gathered elsewhere (a live capture's) as a replay: sorted into report order and
// attributed; the time range is the flows' own (first to last packet of any flow).
CaptureReplay replayOfFlows(FlowReport report, const EndpointAttributor &attributor);

// Which traffic a timeline position selects.
enum class TimelineMode
{
    UpTo,   // everything from the start of the capture up to the position
    Window, // the last windowSeconds seconds up to the position
};

// Whole Unix seconds, both ends included.
struct SecondSpan
{
    std::int64_t from = 0;
    std::int64_t to = -1;
    bool contains(std::int64_t second) const { return second >= from && second <= to; }
};

SecondSpan timelineSpan(const CaptureReplay &replay, std::int64_t positionUs, TimelineMode mode,
                        int windowSeconds);

// One flow's traffic inside a span, from its per-second buckets; index 0 is A → B.
struct SpanTraffic
{
    std::uint64_t packets[2] = {0, 0};
    std::uint64_t bytes[2] = {0, 0};
    std::uint64_t totalBytes() const { return bytes[0] + bytes[1]; }
    std::uint64_t totalPackets() const { return packets[0] + packets[1]; }
};
SpanTraffic flowTraffic(const FlowRecord &flow, SecondSpan span);

// "namespace/name" for pods and services, the node name, else the address (and an unknown
// pod in a pod CIDR shows as its address with the node).
QString endpointLabel(const ClusterEndpoint &endpoint, const IpAddress &address);

// Bytes per second (both directions) over the capture's seconds, index 0 = firstSecond(), for
// the flows `include` accepts (all when it is empty).
std::vector<std::uint64_t>
throughputPerSecond(const CaptureReplay &replay,
                    const std::function<bool(std::size_t)> &include = {});
// The same per namespace: a flow counts for the namespace of each of its sides (once when both
// are in the same one); sides outside any namespace (nodes, external) count for none.
std::map<QString, std::vector<std::uint64_t>> throughputByNamespace(const CaptureReplay &replay);

struct Talker
{
    QString label; // endpointLabel()
    std::uint64_t bytes = 0;
};
// The endpoints with the most bytes sent plus received in the span, most first (ties by
// label), at most `count`.
std::vector<Talker> topTalkers(const CaptureReplay &replay, SecondSpan span, std::size_t count);

// The replay clock: a position in capture time that advances with wall time at a speed.
// Plain logic; the GUI drives it from a QTimer.
class ReplayClock
{
public:
    static constexpr double AsFastAsPossible = 0; // speed value

    void setRange(std::int64_t firstUs, std::int64_t lastUs);
    std::int64_t firstUs() const { return m_firstUs; }
    std::int64_t lastUs() const { return m_lastUs; }
    std::int64_t position() const { return m_position; }
    void seek(std::int64_t positionUs); // clamped to the range
    void setSpeed(double speed) { m_speed = speed; }
    double speed() const { return m_speed; }
    bool atEnd() const { return m_position >= m_lastUs; }

    // Moves on by `wallUs` of wall time: speed × wallUs of capture time; as fast as possible
    // moves one hundredth of the capture (at least a second) per call, so a replay of any
    // length plays through in a hundred frames. Returns false once at the end.
    bool advance(std::int64_t wallUs);

private:
    std::int64_t m_firstUs = 0;
    std::int64_t m_lastUs = 0;
    std::int64_t m_position = 0;
    double m_speed = 1.0;
};

struct PacketExportSummary
{
    std::uint64_t packetsRead = 0;
    std::uint64_t packetsWritten = 0;
    // The source is damaged part way: the packets before the damage were written (they are
    // all the flows hold, as the replay read the same file).
    std::optional<Error> readError;
};

// Re-reads the capture at `sourcePath` and writes the frames that belong to `flows` (decoded
// with `decode`, the options the flows were made with) to a pcap at `outPath` with the same
// link type, unchanged. A frame belongs to a flow when it has the flow's identity (protocol,
// endpoints, tunnel path) and lies within its first/last time. Written through QSaveFile: a
// failure leaves no half file. Errors: the source's, ErrorCode::WriteFailed naming outPath.
Result<PacketExportSummary> exportFlowPackets(const QString &sourcePath,
                                              const std::vector<FlowRecord> &flows,
                                              const DecodeOptions &decode, const QString &outPath,
                                              const std::atomic_bool *cancel = nullptr);

} // namespace cartograph::capture
