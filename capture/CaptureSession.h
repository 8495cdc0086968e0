#pragma once

#include "FlowAnalysis.h"
#include "FlowAttribution.h"
#include "LiveSource.h"
#include "Result.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace cartograph::capture {

// Where a session's packets come from.
enum class CaptureBackend
{
    Automatic, // LiveSource when this process may capture, else the helper (found by findHelper)
    Direct,    // LiveSource in this process (root or cap_net_raw/cap_net_admin)
    Helper,    // cartograph-capture-helper, read through a pipe
    File,      // a pcap/pcapng file replayed as fast as it decodes (no drops: the reader waits)
};

struct CaptureSessionOptions
{
    CaptureBackend backend = CaptureBackend::Automatic;
    LiveCaptureOptions live;      // interface, BPF filter, snaplen, promiscuous, buffer, timeout
    QString filePath;             // CaptureBackend::File
    QString helperPath;           // empty: HelperSource::findHelper()
    QString pcapngPath;           // non-empty: every captured frame is written there as it comes
    std::uint64_t maxPackets = 0; // stop after this many frames read; 0: no limit
    std::chrono::milliseconds duration{0};         // stop after this long; 0: until stop()
    AnalysisOptions analysis;                      // decoding (tunnel ports) and the flow table
    std::size_t queuePackets = 65536;              // the capture queue's bound, in frames ...
    std::size_t queueBytes = 64u << 20;            // ... and in captured bytes
    std::chrono::milliseconds updateInterval{100}; // never less than 100 ms: ≤ 10 updates/s
    // Copy the flow table into updates (activeFlows; see nextFlowSnapshot() for how often). A
    // consumer that only wants the final report (the CLI) turns it off.
    bool flowSnapshots = true;
};

// When the flow table may next be copied into an update, given when the last copy ended and how
// long it took: copies take at most a twentieth of the aggregation thread's time, however many
// flows there are (a copy of 100k flows and its sort take tens of milliseconds, and the view that
// receives them rebuilds its rows), and come no more often than updates do.
std::chrono::steady_clock::time_point
nextFlowSnapshot(std::chrono::steady_clock::time_point copied,
                 std::chrono::steady_clock::duration took,
                 std::chrono::steady_clock::duration updateInterval);

// Counters of a running capture, cumulative since start.
struct CaptureProgress
{
    std::uint64_t captured = 0;       // frames read from the source (queued or dropped by us)
    std::uint64_t decoded = 0;        // frames the aggregation thread accounted (= summary.packets)
    std::uint64_t written = 0;        // frames flushed to the pcapng file
    std::uint64_t kernelReceived = 0; // pcap_stats ps_recv
    CaptureDrops drops;
    std::chrono::milliseconds elapsed{0};
};

// One batched, immutable update. Sessions hand them out as shared pointers to const: any
// thread may keep and read them.
struct CaptureUpdate
{
    std::uint64_t sequence = 0; // 1, 2, 3 ... per session
    CaptureProgress progress;
    // Cumulative. summary.dropped is set for live captures; in the last update readError holds
    // the error the source stopped on (as analyzeCapture reports it), if any.
    CaptureSummary summary;
    // The flows in the table now, sorted by flowRecordLess, when flowsIncluded: a GUI table
    // replaces its rows. Otherwise empty, and the last update that included them stands (the
    // copy was not due yet: nextFlowSnapshot(); or CaptureSessionOptions::flowSnapshots is off).
    // The last update always includes them.
    bool flowsIncluded = false;
    std::vector<FlowRecord> activeFlows;
    // Flows that left the table (idle timeout, flow limit) since the previous update: they are
    // in no later activeFlows, so a view that keeps history appends them.
    std::vector<FlowRecord> endedFlows;
    bool finished = false;
    // Only in the last update: every flow of the session (ended and active, sorted) with the
    // final summary, the `cartograph-cli flows` shape.
    std::shared_ptr<const FlowReport> report;
    // Only in the last update: why the capture ended early (interface gone, pcapng write
    // failure), if it did. A stop() is no error.
    std::optional<Error> error;
};
using CaptureUpdatePtr = std::shared_ptr<const CaptureUpdate>;

// A live capture (or a file replay) on two threads of its own, after Wireshark's dumpcap split
// and qBittorrent's alert draining:
// - the capture thread only reads frames from the source and appends them to a bounded queue;
//   when the queue is full, frames are dropped and counted (drops.queue), apart from the
//   kernel's (drops.kernel, drops.interface from pcap_stats, polled by the same thread);
// - the aggregation thread takes the queue in batches, writes each batch to the pcapng file
//   (flushed per batch, so a crash loses at most one batch), decodes, aggregates flows, and
//   every updateInterval (≥ 100 ms) publishes an immutable CaptureUpdate.
//
// Thread affinity: a CaptureSession is a QObject of the thread that creates it (the GUI
// thread); start(), stop() and the destructor are called there. updated() and finished() are
// emitted on that thread (the aggregation thread posts them with a queued call), so slots run
// on it with no locking; at most 10 updated() per second, plus nothing in between. Cancel is an
// atomic flag: stop() returns at once, the last update follows within about 100 ms.
class CaptureSession : public QObject
{
    Q_OBJECT

public:
    // The attributor is only read (for attribution in the report's consumers); may be empty.
    explicit CaptureSession(QObject *parent = nullptr);
    ~CaptureSession() override; // stops and joins; no signal is emitted after it

    // Opens the source (synchronously: errors such as permission denied, an unknown interface or
    // a bad filter come back here) and starts the threads. With CaptureBackend::Automatic a
    // permission error of the direct open makes it try the helper; if there is none, the
    // permission error is returned. Fails with ErrorCode::InvalidValue when already running.
    Status start(const CaptureSessionOptions &options);
    // Asks the capture to end (idempotent, returns at once); finished() follows.
    void stop();

    bool isRunning() const { return m_running; }
    // The backend in use (Direct or Helper after Automatic) since start().
    CaptureBackend backend() const { return m_backend; }
    // The latest update delivered (null before the first).
    CaptureUpdatePtr lastUpdate() const { return m_last; }

signals:
    void updated(cartograph::capture::CaptureUpdatePtr update);
    // After the last updated() (whose update has finished = true and the report).
    void finished(cartograph::capture::CaptureUpdatePtr update);

private:
    struct Shared;
    void deliver(const CaptureUpdatePtr &update);
    void join();

    std::shared_ptr<Shared> m_shared;
    CaptureBackend m_backend = CaptureBackend::Automatic;
    CaptureUpdatePtr m_last;
    bool m_running = false;
};

} // namespace cartograph::capture

Q_DECLARE_METATYPE(cartograph::capture::CaptureUpdatePtr)
