#include "CaptureSession.h"

#include "CaptureLogging.h"
#include "HelperSource.h"
#include "PacketDecoder.h"
#include "PacketSource.h"
#include "PcapngWriter.h"

#include <QCoreApplication>
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

namespace cartograph::capture {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long the aggregation thread lets frames gather before it takes them: bounds the delay a
// frame waits for the pcapng file and the flow table.
constexpr auto kBatchWait = 20ms;

// Frames queued between the two threads: headers plus one arena for their bytes, so a batch
// costs no allocation once the vectors have grown.
struct PacketBatch
{
    struct Header
    {
        std::int64_t timestampUs;
        std::size_t offset;
        std::uint32_t captured;
        std::uint32_t wireLength;
        int linkType;
    };
    std::vector<Header> headers;
    std::vector<std::uint8_t> bytes;

    void clear()
    {
        headers.clear();
        bytes.clear();
    }
    void append(const RawPacket &packet)
    {
        headers.push_back({packet.timestampUs, bytes.size(), std::uint32_t(packet.data.size()),
                           packet.wireLength, packet.linkType});
        bytes.insert(bytes.end(), packet.data.begin(), packet.data.end());
    }
    RawPacket at(std::size_t i) const
    {
        const Header &header = headers[i];
        RawPacket packet;
        packet.timestampUs = header.timestampUs;
        packet.data = std::span<const std::uint8_t>(bytes.data() + header.offset, header.captured);
        packet.wireLength = header.wireLength;
        packet.linkType = header.linkType;
        return packet;
    }
};

} // namespace

struct CaptureSession::Shared
{
    CaptureSessionOptions options;
    CaptureBackend backend = CaptureBackend::Direct;
    std::unique_ptr<LiveSource> live;
    std::unique_ptr<HelperSource> helper;
    std::unique_ptr<PcapSource> file;
    std::unique_ptr<PcapngWriter> writer;
    Clock::time_point started;

    std::mutex mutex;
    std::condition_variable dataReady;
    std::condition_variable spaceFree;
    PacketBatch pending;
    bool inputDone = false;
    std::optional<Error> inputError;

    std::atomic_bool cancel = false;
    std::atomic<std::uint64_t> captured = 0;
    std::atomic<std::uint64_t> queueDropped = 0;
    std::atomic<std::uint64_t> kernelReceived = 0;
    std::atomic<std::uint64_t> kernelDropped = 0;
    std::atomic<std::uint64_t> interfaceDropped = 0;
    std::atomic<std::uint64_t> written = 0;

    std::thread captureThread;
    std::thread aggregationThread;

    void stopSource()
    {
        cancel.store(true);
        if (live)
            live->stop();
        if (helper)
            helper->stop();
        spaceFree.notify_all();
    }

    void storeStatistics(const LiveStatistics &statistics)
    {
        kernelReceived.store(statistics.received, std::memory_order_relaxed);
        kernelDropped.store(statistics.kernelDropped, std::memory_order_relaxed);
        interfaceDropped.store(statistics.interfaceDropped, std::memory_order_relaxed);
    }

    void pollStatistics()
    {
        if (live) {
            if (Result<LiveStatistics> statistics = live->statistics())
                storeStatistics(*statistics);
        } else if (helper) {
            storeStatistics(helper->statistics());
        }
    }

    // Capture thread: true when the frame was queued or counted as dropped; false when a file
    // replay was cancelled while waiting for room.
    bool enqueue(const RawPacket &packet)
    {
        std::unique_lock lock(mutex);
        const auto full = [&] {
            return pending.headers.size() >= options.queuePackets ||
                   pending.bytes.size() + packet.data.size() > options.queueBytes;
        };
        if (full() && !pending.headers.empty()) {
            if (backend != CaptureBackend::File) {
                lock.unlock();
                queueDropped.fetch_add(1, std::memory_order_relaxed);
                captured.fetch_add(1, std::memory_order_relaxed);
                return true;
            }
            spaceFree.wait(lock, [&] { return !full() || pending.headers.empty() || cancel; });
            if (cancel)
                return false;
        }
        pending.append(packet);
        // The aggregation thread looks every kBatchWait by itself; it is woken early only when
        // the queue is half full, so a busy link costs no wake-up per packet.
        const bool wake = pending.headers.size() == options.queuePackets / 2 + 1;
        lock.unlock();
        captured.fetch_add(1, std::memory_order_relaxed);
        if (wake)
            dataReady.notify_one();
        return true;
    }

    void runCapture();
    std::optional<Error> runLiveCapture();
    void runAggregation(CaptureSession *session);
};

std::optional<Error> CaptureSession::Shared::runLiveCapture()
{
    Clock::time_point nextStatistics = Clock::now() + 100ms;
    std::uint64_t count = 0;
    // The queue's lock is taken at the first frame of a block and released after its last, so
    // a busy link costs one lock per block and one copy per frame. libpcap waits for the ring
    // before it calls back, never in between: the lock is not held while the link is idle.
    std::unique_lock lock(mutex, std::defer_lock);
    std::uint64_t read = 0;
    std::uint64_t dropped = 0;
    const auto onPacket = [&](const RawPacket &packet) {
        if (options.maxPackets > 0 && count >= options.maxPackets)
            return; // the rest of the block is past --count: not captured
        ++count;
        ++read;
        if (!lock.owns_lock())
            lock.lock();
        const bool fits = pending.headers.size() < options.queuePackets &&
                          pending.bytes.size() + packet.data.size() <= options.queueBytes;
        if (fits || pending.headers.empty())
            pending.append(packet);
        else
            ++dropped;
    };
    for (;;) {
        Result<LiveSource::ReadStatus> status = live->readBatch(onPacket);
        if (lock.owns_lock()) {
            const bool wake = pending.headers.size() > options.queuePackets / 2;
            lock.unlock();
            captured.fetch_add(read, std::memory_order_relaxed);
            queueDropped.fetch_add(dropped, std::memory_order_relaxed);
            read = dropped = 0;
            if (wake)
                dataReady.notify_one();
        }
        if (!status)
            return status.error();
        if (*status == LiveSource::ReadStatus::Stopped)
            return std::nullopt;
        if (options.maxPackets > 0 && count >= options.maxPackets) {
            live->stop();
            return std::nullopt;
        }
        // Statistics are polled while packets flow (libpcap may not time out while the link
        // is idle, and then nothing is being dropped anyway).
        const Clock::time_point now = Clock::now();
        if (now >= nextStatistics) {
            pollStatistics();
            nextStatistics = now + 100ms;
        }
    }
}

void CaptureSession::Shared::runCapture()
{
    Clock::time_point nextStatistics = Clock::now() + 100ms;
    std::uint64_t count = 0;
    std::optional<Error> error;
    RawPacket packet;
    if (live)
        error = runLiveCapture();
    while (!live) {
        // The helper is read to its end even after stop(): what it flushed was captured.
        if (file && cancel.load(std::memory_order_relaxed))
            break;
        PacketSource &source =
            helper ? static_cast<PacketSource &>(*helper) : static_cast<PacketSource &>(*file);
        Result<bool> more = source.next(packet);
        if (!more) {
            error = more.error();
            break;
        }
        if (!*more)
            break;
        if (!enqueue(packet))
            break;
        ++count;
        if (options.maxPackets > 0 && count >= options.maxPackets)
            break;
        if ((count & 0xff) == 0) {
            const Clock::time_point now = Clock::now();
            if (now >= nextStatistics) {
                pollStatistics();
                nextStatistics = now + 100ms;
            }
        }
    }
    if (helper && !error) {
        // Drain what the helper still flushes after its stop (count reached or deadline).
        helper->stop();
        for (;;) {
            Result<bool> more = helper->next(packet);
            if (!more || !*more)
                break;
        }
    }
    pollStatistics();
    {
        const std::lock_guard lock(mutex);
        inputDone = true;
        inputError = std::move(error);
    }
    dataReady.notify_one();
}

Clock::time_point nextFlowSnapshot(Clock::time_point copied, Clock::duration took,
                                   Clock::duration updateInterval)
{
    return copied + std::max(updateInterval, 19 * took);
}

void CaptureSession::Shared::runAggregation(CaptureSession *session)
{
    const PacketDecoder decoder(options.analysis.decode);
    FlowTable table(options.analysis.table);
    CaptureSummary summary;
    std::vector<FlowRecord> allEnded;
    std::vector<FlowRecord> endedSinceUpdate;
    std::optional<Error> writeError;
    DecodedPacket decoded;
    PacketBatch work;
    std::uint64_t sequence = 0;
    const auto interval = std::max<std::chrono::milliseconds>(options.updateInterval, 100ms);
    Clock::time_point lastUpdate = started;
    const Clock::time_point deadline =
        options.duration > 0ms ? started + options.duration : Clock::time_point::max();
    Clock::time_point nextUpdate = started + interval;
    Clock::time_point nextSnapshot = started;

    std::optional<Error> inputFailure;
    const auto publish = [&](bool finished, std::optional<Error> error) {
        auto update = std::make_shared<CaptureUpdate>();
        update->sequence = ++sequence;
        update->finished = finished;
        update->error = std::move(error);
        CaptureProgress &progress = update->progress;
        progress.captured = captured.load();
        progress.decoded = summary.packets;
        progress.written = written.load();
        progress.kernelReceived = kernelReceived.load();
        progress.drops.kernel = kernelDropped.load();
        progress.drops.interface = interfaceDropped.load();
        progress.drops.queue = queueDropped.load();
        progress.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        if (finished || (options.flowSnapshots && Clock::now() >= nextSnapshot)) {
            const Clock::time_point copying = Clock::now();
            update->activeFlows = table.activeFlows();
            std::sort(update->activeFlows.begin(), update->activeFlows.end(), flowRecordLess);
            update->flowsIncluded = true;
            const Clock::time_point copied = Clock::now();
            nextSnapshot = nextFlowSnapshot(copied, copied - copying, interval);
        }
        update->endedFlows = std::move(endedSinceUpdate);
        endedSinceUpdate.clear();
        update->summary = summary;
        update->summary.flows = allEnded.size() + table.size();
        update->summary.expired = table.endedIdle();
        update->summary.evicted = table.evicted();
        if (backend != CaptureBackend::File)
            update->summary.dropped = progress.drops;
        if (finished)
            update->summary.readError = inputFailure;
        if (finished) {
            auto report = std::make_shared<FlowReport>();
            report->flows = allEnded;
            report->flows.insert(report->flows.end(), update->activeFlows.begin(),
                                 update->activeFlows.end());
            std::sort(report->flows.begin(), report->flows.end(), flowRecordLess);
            report->summary = update->summary;
            update->report = std::move(report);
        }
        lastUpdate = Clock::now();
        CaptureUpdatePtr shared = std::move(update);
        // Queued to the session's thread; dropped by Qt if the session is gone by then.
        QMetaObject::invokeMethod(
            session, [session, shared] { session->deliver(shared); }, Qt::QueuedConnection);
    };

    for (;;) {
        bool done = false;
        {
            std::unique_lock lock(mutex);
            const Clock::time_point wakeUp = std::min(nextUpdate, Clock::now() + kBatchWait);
            dataReady.wait_until(lock, wakeUp, [&] {
                return pending.headers.size() > options.queuePackets / 2 || inputDone;
            });
            std::swap(pending, work);
            done = inputDone && work.headers.empty();
            if (done)
                inputFailure = inputError;
        }
        spaceFree.notify_one();
        for (std::size_t i = 0; i < work.headers.size(); ++i) {
            const RawPacket packet = work.at(i);
            if (writer && !writeError)
                writer->append(packet);
            ++summary.packets;
            summary.bytes += packet.wireLength;
            ++summary.linkTypes[packet.linkType];
            decoder.decode(packet, decoded);
            if (countDecoded(decoded, summary))
                table.add(decoded, packet.timestampUs, packet.wireLength);
        }
        if (writer && !writeError && !work.headers.empty()) {
            if (Status status = writer->flush(); !status) {
                // The user asked for a file: a capture that cannot keep it stops, and says why.
                writeError = status.error();
                stopSource();
            }
            written.store(writer->packetsWritten());
        }
        work.clear();
        std::vector<FlowRecord> ended = table.takeEnded();
        if (!ended.empty()) {
            allEnded.insert(allEnded.end(), ended.begin(), ended.end());
            std::move(ended.begin(), ended.end(), std::back_inserter(endedSinceUpdate));
        }
        if (done)
            break;
        const Clock::time_point now = Clock::now();
        // The duration is kept here: this thread wakes at least every interval, whereas the
        // capture thread may sit in a read on an idle link until stop() wakes it.
        if (now >= deadline && !cancel.load())
            stopSource();
        if (now >= nextUpdate) {
            publish(false, std::nullopt);
            nextUpdate = lastUpdate + interval;
        }
    }
    if (writer && !writeError) {
        if (Status status = writer->close(); !status)
            writeError = status.error();
        written.store(writer->packetsWritten());
    }
    // The cap holds for the last update too.
    std::this_thread::sleep_until(lastUpdate + interval);
    std::optional<Error> error = writeError ? writeError : inputFailure;
    qCDebug(lcCapture) << "capture ended:" << summary.packets << "packets," << captured.load()
                       << "captured," << queueDropped.load() << "dropped by the queue";
    publish(true, std::move(error));
}

CaptureSession::CaptureSession(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<CaptureUpdatePtr>();
}

CaptureSession::~CaptureSession()
{
    stop();
    join();
}

Status CaptureSession::start(const CaptureSessionOptions &options)
{
    if (m_running) {
        Error error;
        error.code = ErrorCode::InvalidValue;
        error.file = options.live.interfaceName;
        error.detail = tr("a capture is already running in this session");
        return error;
    }
    join();
    auto shared = std::make_shared<Shared>();
    shared->options = options;
    QString name = options.live.interfaceName;
    int linkType = 0;
    int snapshotLength = 0;

    const auto startHelper = [&]() -> Status {
        const QString path =
            options.helperPath.isEmpty() ? HelperSource::findHelper() : options.helperPath;
        const auto seconds = std::uint64_t((options.duration.count() + 999) / 1000);
        auto helper = HelperSource::start(path, options.live, options.maxPackets, seconds);
        if (!helper)
            return helper.error();
        shared->helper = std::move(helper).value();
        shared->backend = CaptureBackend::Helper;
        linkType = shared->helper->linkType();
        snapshotLength = shared->helper->snapshotLength();
        return Success{};
    };

    switch (options.backend) {
    case CaptureBackend::File: {
        auto file = PcapSource::openFile(options.filePath);
        if (!file)
            return file.error();
        shared->file = std::move(file).value();
        shared->backend = CaptureBackend::File;
        linkType = shared->file->linkType();
        snapshotLength = shared->file->snapshotLength();
        name = options.filePath;
        break;
    }
    case CaptureBackend::Helper:
        if (Status status = startHelper(); !status)
            return status;
        break;
    case CaptureBackend::Direct:
    case CaptureBackend::Automatic: {
        auto live = LiveSource::open(options.live);
        if (live) {
            shared->live = std::move(live).value();
            shared->backend = CaptureBackend::Direct;
            linkType = shared->live->linkType();
            snapshotLength = shared->live->snapshotLength();
            break;
        }
        if (options.backend == CaptureBackend::Direct ||
            live.error().code != ErrorCode::PermissionDenied)
            return live.error();
        // This process may not capture: the helper can, if it is installed with capabilities.
        if (options.helperPath.isEmpty() && HelperSource::findHelper().isEmpty())
            return live.error();
        if (Status status = startHelper(); !status)
            return status;
        break;
    }
    }

    if (!options.pcapngPath.isEmpty()) {
        auto writer = PcapngWriter::create(options.pcapngPath, linkType, snapshotLength, name);
        if (!writer)
            return writer.error();
        shared->writer = std::move(writer).value();
    }

    m_shared = shared;
    m_backend = shared->backend;
    m_last.reset();
    m_running = true;
    shared->started = Clock::now();
    Shared *raw = shared.get();
    shared->captureThread = std::thread([raw] { raw->runCapture(); });
    shared->aggregationThread = std::thread([raw, this] { raw->runAggregation(this); });
    qCDebug(lcCapture) << "capture session started on" << name << "backend" << int(m_backend);
    return Success{};
}

void CaptureSession::stop()
{
    if (m_shared)
        m_shared->stopSource();
}

void CaptureSession::join()
{
    if (!m_shared)
        return;
    if (m_shared->captureThread.joinable())
        m_shared->captureThread.join();
    if (m_shared->aggregationThread.joinable())
        m_shared->aggregationThread.join();
}

void CaptureSession::deliver(const CaptureUpdatePtr &update)
{
    m_last = update;
    emit updated(update);
    if (update->finished) {
        join();
        m_running = false;
        emit finished(update);
    }
}

} // namespace cartograph::capture
