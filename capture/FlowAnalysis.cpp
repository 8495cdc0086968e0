#include "FlowAnalysis.h"

#include "CaptureLogging.h"
#include "ClusterSnapshot.h"
#include "PacketSource.h"

#include <QScopeGuard>
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <thread>

namespace cartograph::capture {

std::uint64_t CaptureSummary::malformedTotal() const
{
    return std::accumulate(malformed.begin(), malformed.end(), std::uint64_t(0));
}

bool countDecoded(const DecodedPacket &decoded, CaptureSummary &summary)
{
    if (decoded.malformed)
        ++summary.malformed[size_t(*decoded.malformed)];
    switch (decoded.kind) {
    case DecodedPacket::Kind::Ip:
        ++summary.ipPackets;
        return true;
    case DecodedPacket::Kind::NonIp:
        ++summary.nonIp;
        break;
    case DecodedPacket::Kind::Undecodable:
        ++summary.undecodable;
        break;
    }
    return false;
}

void addSnapshotTunnelPorts(const ClusterSnapshot &snapshot, DecodeOptions &options)
{
    for (const NodeNetwork &network : snapshot.nodeNetworks) {
        for (const NetworkInterface &interface : network.interfaces) {
            if (interface.udpPort <= 0 || interface.udpPort > 0xffff)
                continue;
            const auto port = std::uint16_t(interface.udpPort);
            switch (interface.kind) {
            case InterfaceKind::Vxlan:
                options.vxlanPorts.add(port);
                break;
            case InterfaceKind::Geneve:
                options.genevePorts.add(port);
                break;
            case InterfaceKind::WireGuard:
                options.wireguardPorts.add(port);
                break;
            default:
                break;
            }
        }
    }
}

namespace {

// Report order over a replay's items (see FlowResults) without a record per flow: the first
// timestamp settles nearly every comparison; the rare ties fill two scratch records and compare
// them whole.
class ItemOrder
{
public:
    ItemOrder(const FlowTable &table, const std::vector<FlowRecord> &ended)
        : m_table(table)
        , m_ended(ended)
    {}

    std::int64_t firstUs(std::uint64_t item) const
    {
        return item < m_ended.size() ? m_ended[item].firstUs
                                     : m_table.firstUsAt(std::uint32_t(item - m_ended.size()));
    }
    const FlowRecord &record(std::uint64_t item, FlowRecord &scratch) const
    {
        if (item < m_ended.size())
            return m_ended[item];
        m_table.recordAt(std::uint32_t(item - m_ended.size()), scratch);
        return scratch;
    }
    bool less(std::uint64_t left, std::uint64_t right)
    {
        const std::int64_t l = firstUs(left);
        const std::int64_t r = firstUs(right);
        if (l != r)
            return l < r;
        return flowRecordLess(record(left, m_left), record(right, m_right));
    }

    // Calls fn(item) for every item in its own order: ended flows, then active slots.
    template <typename Fn> void forEachItem(Fn fn) const { forEachItemFrom(0, SIZE_MAX, fn); }
    // The same for at most `count` items, from `first` on.
    template <typename Fn> void forEachItemFrom(std::uint64_t first, std::size_t count, Fn fn) const
    {
        const std::uint64_t ended = m_ended.size();
        const std::uint64_t end = ended + m_table.slotCount();
        std::size_t visited = 0;
        for (std::uint64_t item = first; item < end && visited < count; ++item) {
            if (item >= ended && !m_table.activeAt(std::uint32_t(item - ended)))
                continue;
            fn(item);
            ++visited;
        }
    }

private:
    const FlowTable &m_table;
    const std::vector<FlowRecord> &m_ended;
    FlowRecord m_left;
    FlowRecord m_right;
};

} // namespace

// Flows are created in the order of their first packets, so a capture whose timestamps rise
// (nearly every one, without evictions) yields them in report order already: one pass tells, and
// no order is kept. Otherwise the items are sorted; flows that compare equal (alike in everything
// but their counts) end in an order that depends only on the input, so the same file always gives
// the same report.
void FlowResults::sort()
{
    ItemOrder order(m_table, m_ended);
    bool sorted = true;
    bool first = true;
    std::uint64_t previous = 0;
    order.forEachItem([&](std::uint64_t item) {
        if (sorted && !first && order.less(item, previous))
            sorted = false;
        first = false;
        previous = item;
    });
    m_order.clear();
    if (sorted)
        return;
    m_order.reserve(size());
    order.forEachItem([&](std::uint64_t item) { m_order.push_back(item); });
    std::sort(m_order.begin(), m_order.end(),
              [&](std::uint64_t left, std::uint64_t right) { return order.less(left, right); });
}

std::vector<FlowResults::Run> FlowResults::runs(std::size_t flowsPerRun) const
{
    std::vector<Run> runs;
    const std::size_t total = size();
    flowsPerRun = std::max<std::size_t>(flowsPerRun, 1);
    const auto start = [&](std::size_t position, std::uint64_t item) {
        runs.push_back(Run{position, std::min(flowsPerRun, total - position), item});
    };
    if (!m_order.empty()) {
        for (std::size_t position = 0; position < total; position += flowsPerRun)
            start(position, m_order[position]);
        return runs;
    }
    std::size_t position = 0;
    ItemOrder(m_table, m_ended).forEachItem([&](std::uint64_t item) {
        if (position % flowsPerRun == 0)
            start(position, item);
        ++position;
    });
    return runs;
}

void FlowResults::forEachIn(const Run &run,
                            const std::function<void(const FlowRecord &)> &visit) const
{
    const ItemOrder order(m_table, m_ended);
    FlowRecord scratch;
    const auto visitItem = [&](std::uint64_t item) { visit(order.record(item, scratch)); };
    if (m_order.empty())
        order.forEachItemFrom(run.firstItem, run.count, visitItem);
    else
        std::for_each(m_order.begin() + std::ptrdiff_t(run.position),
                      m_order.begin() + std::ptrdiff_t(run.position + run.count), visitItem);
}

void FlowResults::forEach(const std::function<void(const FlowRecord &)> &visit) const
{
    forEachIn(Run{0, size(), 0}, visit); // one run of every flow
}

FlowReport FlowResults::takeReport() &&
{
    FlowReport report;
    report.summary = m_summary;
    report.flows.reserve(size());
    const std::uint64_t ended = m_ended.size();
    const auto take = [&](std::uint64_t item) {
        if (item < ended)
            report.flows.push_back(std::move(m_ended[item]));
        else
            m_table.takeRecordAt(std::uint32_t(item - ended), report.flows.emplace_back());
    };
    if (m_order.empty())
        ItemOrder(m_table, m_ended).forEachItem(take);
    else
        std::for_each(m_order.begin(), m_order.end(), take);
    m_ended.clear();
    m_order.clear();
    return report;
}

namespace {

// Starts loading a cache line to be written (an exclusive copy). GCC emits PREFETCHW only when
// told the CPU has it; x86-64 CPUs without it execute the instruction as a no-op.
inline void prefetchForWriting(const void *address)
{
#if defined(__x86_64__)
    asm volatile("prefetchw %0" : : "m"(*static_cast<const char *>(address)));
#else
    __builtin_prefetch(address, 1);
#endif
}

// What a replay fills in (FlowResults' parts), handed to its reading and aggregating steps.
struct ReplayParts
{
    FlowTable &table;
    std::vector<FlowRecord> &ended;
    CaptureSummary &summary;
};

// An IP frame, decoded, on its way to the flow table. What the table reads of a frame without
// tunnels (the time, the length, DecodedPacket up to its tunnel levels) is the first cache line:
// frames a reading thread decoded reach the table's thread one line each.
struct alignas(64) DecodedFrame
{
    std::int64_t timestampUs = 0;
    std::uint32_t wireLength = 0;
    DecodedPacket decoded;
};
static_assert(offsetof(DecodedFrame, decoded) + offsetof(DecodedPacket, tunnels) <= 64);

// The reading half of a replay: reads frames and counts them in the summary, and decodes them
// (or leaves that to the caller: see RawFrame).
class FrameReader
{
public:
    enum class Read
    {
        Frame,     // packet() holds the next frame
        End,       // the clean end, or a read error (summary.readError)
        Cancelled, // `cancel` was set
    };
    enum class Step
    {
        Ip,        // `frame` holds an IP frame for the flow table
        Counted,   // a frame that belongs to no flow (non-IP, undecodable): only counted
        End,       // as Read::End
        Cancelled, // as Read::Cancelled
    };

    FrameReader(PacketSource &source, const DecodeOptions &options, CaptureSummary &summary,
                const std::atomic_bool *cancel)
        : m_source(source)
        , m_decoder(options)
        , m_summary(summary)
        , m_cancel(cancel)
    {}

    Read read()
    {
        Result<bool> more = m_source.next(m_packet);
        if (!more) {
            m_summary.readError = more.error();
            return Read::End;
        }
        if (!*more)
            return Read::End;
        ++m_summary.packets;
        m_summary.bytes += m_packet.wireLength;
        if (m_packet.linkType != m_lastLinkType) {
            m_lastLinkType = m_packet.linkType;
            m_linkTypeCount = &m_summary.linkTypes[m_packet.linkType];
        }
        ++*m_linkTypeCount;
        if ((m_summary.packets & 0xfff) == 0 && m_cancel &&
            m_cancel->load(std::memory_order_relaxed))
            return Read::Cancelled;
        return Read::Frame;
    }
    // The frame read last; valid until the next read().
    const RawPacket &packet() const { return m_packet; }

    // Decodes the frame read last into `frame` and counts it; true for an IP frame.
    bool decode(DecodedFrame &frame)
    {
        m_decoder.decode(m_packet, frame.decoded);
        if (!countDecoded(frame.decoded, m_summary))
            return false;
        frame.timestampUs = m_packet.timestampUs;
        frame.wireLength = m_packet.wireLength;
        return true;
    }

    Step next(DecodedFrame &frame)
    {
        switch (read()) {
        case Read::Frame:
            return decode(frame) ? Step::Ip : Step::Counted;
        case Read::End:
            return Step::End;
        case Read::Cancelled:
            return Step::Cancelled;
        }
        return Step::End;
    }

private:
    PacketSource &m_source;
    const PacketDecoder m_decoder;
    CaptureSummary &m_summary;
    const std::atomic_bool *m_cancel;
    RawPacket m_packet;
    int m_lastLinkType = -1;
    std::uint64_t *m_linkTypeCount = nullptr;
};

// A frame the reading thread passes on undecoded, its captured bytes copied, for the flow
// table's thread to decode. Three cache lines: frames captured with a snaplen of 128 (headers
// only, as flow captures are often taken) fit, and their headers are in the first two.
struct alignas(64) RawFrame
{
    static constexpr std::size_t kBytes = 172;
    // `captured` of a frame too long to copy: the reader decoded it into the batch's
    // DecodedFrame of the same index.
    static constexpr std::uint32_t kDecodedByReader = 0xffffffffu;

    std::int64_t timestampUs;
    std::uint32_t wireLength;
    std::uint32_t captured;
    std::int32_t linkType;
    std::uint8_t bytes[kBytes];
};
static_assert(sizeof(RawFrame) == 192);

Error cancelledError(const PacketSource &source)
{
    Error error;
    error.code = ErrorCode::Cancelled;
    error.file = source.name();
    return error;
}

// Feeds frames to the table in their order, kAddDistance frames after prepare() started loading
// their hash-table entry and kFlowDistance frames after prefetchFlow() started loading their
// flow: at a million flows both are cache misses the CPU would otherwise wait for, one after the
// other, for every packet.
class LookaheadFeeder
{
public:
    explicit LookaheadFeeder(FlowTable &table)
        : m_table(table)
    {}

    // Frames fed and not yet added, at most: each must stay unchanged until it is added.
    static constexpr std::size_t kHeld = 4;

    void feed(const DecodedFrame &frame)
    {
        if (m_count == kAddDistance)
            addOldest();
        const std::size_t slot = (m_first + m_count) % kAddDistance;
        m_waiting[slot].frame = &frame;
        m_table.prepare(frame.decoded, m_waiting[slot].prepared);
        ++m_count;
        if (m_count > kFlowDistance)
            m_table.prefetchFlow(
                m_waiting[(m_first + m_count - 1 - kFlowDistance) % kAddDistance].prepared);
    }

    void flush()
    {
        while (m_count > 0)
            addOldest();
    }

private:
    static constexpr std::size_t kAddDistance = kHeld;
    static constexpr std::size_t kFlowDistance = 2;

    void addOldest()
    {
        const Waiting &oldest = m_waiting[m_first];
        m_table.add(oldest.frame->decoded, oldest.prepared, oldest.frame->timestampUs,
                    oldest.frame->wireLength);
        m_first = (m_first + 1) % kAddDistance;
        --m_count;
    }

    struct Waiting
    {
        const DecodedFrame *frame = nullptr;
        FlowTable::Prepared prepared;
    };
    FlowTable &m_table;
    std::array<Waiting, kAddDistance> m_waiting{};
    std::size_t m_first = 0; // the oldest waiting frame
    std::size_t m_count = 0;
};

// Frames handed from the reading thread to the aggregating one, in order, a batch at a time
// (decoded, or raw for the aggregator to decode); a fixed ring of batches, so the reader runs at
// most kBatches ahead and memory stays a few MB whatever the capture's size. A side that finds
// nothing to do spins a while before it sleeps: handing a batch over takes the other side tens of
// microseconds, and waking a sleeping thread (on a VM, a halted virtual CPU) can take longer than
// that.
class BatchRing
{
public:
    static constexpr std::size_t kFrames = 512;
    static constexpr std::uint32_t kBatches = 8;

    // A line of its own: the reader writes one batch's header while the aggregator reads the
    // next one's.
    struct alignas(64) Batch
    {
        std::vector<DecodedFrame> frames = std::vector<DecodedFrame>(kFrames);
        // Frames i < rawCount are passed on undecoded: raw[i] (or frames[i], when
        // raw[i].captured says the reader decoded it after all); the rest are frames[i].
        std::vector<RawFrame> raw = std::vector<RawFrame>(kFrames);
        std::size_t count = 0;
        std::size_t rawCount = 0;
        bool last = false;      // the reader stopped after this batch
        bool cancelled = false; // ... because `cancel` was set
    };

    // Reader: the next batch to fill, or null once the aggregator stopped.
    Batch *waitEmpty()
    {
        const std::uint32_t published = m_published.load(std::memory_order_relaxed);
        waitWhile(m_released, [&](std::uint32_t released) {
            return published - released >= kBatches && !m_stopped.load(std::memory_order_acquire);
        });
        return m_stopped.load(std::memory_order_acquire) ? nullptr
                                                         : &m_batches[published % kBatches];
    }
    // Reader: filled batches the aggregator has not finished yet.
    std::uint32_t backlog() const
    {
        return m_published.load(std::memory_order_relaxed) -
               m_released.load(std::memory_order_relaxed);
    }
    void publish()
    {
        m_published.fetch_add(1, std::memory_order_release);
        m_published.notify_one();
    }

    // Aggregator: the oldest filled batch, until release().
    const Batch &waitFull()
    {
        const std::uint32_t released = m_released.load(std::memory_order_relaxed);
        waitWhile(m_published, [&](std::uint32_t published) { return published == released; });
        return m_batches[released % kBatches];
    }
    void release()
    {
        m_released.fetch_add(1, std::memory_order_release);
        m_released.notify_one();
    }
    // Aggregator: no more batches are wanted; a waiting reader returns.
    void stop()
    {
        m_stopped.store(true, std::memory_order_release);
        m_released.fetch_add(1, std::memory_order_release);
        m_released.notify_one();
    }

private:
    template <typename Busy>
    static void waitWhile(const std::atomic<std::uint32_t> &counter, Busy busy)
    {
        std::uint32_t seen = counter.load(std::memory_order_acquire);
        for (int spin = 0; spin < 20000 && busy(seen); ++spin) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause(); // the spinning core yields to its hyperthread sibling
#endif
            seen = counter.load(std::memory_order_acquire);
        }
        while (busy(seen)) {
            counter.wait(seen, std::memory_order_acquire);
            seen = counter.load(std::memory_order_acquire);
        }
    }

    std::vector<Batch> m_batches = std::vector<Batch>(kBatches);
    // Batches published and released so far (wrapping): the filled ones are [released, published).
    alignas(64) std::atomic<std::uint32_t> m_published{0};
    alignas(64) std::atomic<std::uint32_t> m_released{0};
    std::atomic<bool> m_stopped{false};
};

// Everything on the calling thread.
bool replayInline(PacketSource &source, const AnalysisOptions &options,
                  const std::atomic_bool *cancel, ReplayParts parts)
{
    FrameReader reader(source, options.decode, parts.summary, cancel);
    LookaheadFeeder feeder(parts.table);
    // The feeder holds on to the frames it was fed until they are added: a ring one larger.
    std::array<DecodedFrame, LookaheadFeeder::kHeld + 1> frames;
    std::size_t next = 0;
    for (;;) {
        const FrameReader::Step step = reader.next(frames[next]);
        if (step == FrameReader::Step::Ip) {
            feeder.feed(frames[next]);
            next = (next + 1) % frames.size();
        } else if (step == FrameReader::Step::End) {
            break;
        } else if (step == FrameReader::Step::Cancelled) {
            return false;
        }
        if ((parts.summary.packets & 0xfff) == 0)
            parts.table.takeEnded(parts.ended);
    }
    feeder.flush();
    return !(cancel && cancel->load(std::memory_order_relaxed));
}

// Reading on a thread of its own, the flow table on the calling one, and decoding on whichever
// has time (AnalysisOptions::decodeThread): on a machine with two cores or more a replay takes
// about as long as the slower half instead of both. The table sees the frames in the same order,
// so the flows are the same.
bool replayReadingAhead(PacketSource &source, const AnalysisOptions &options,
                        const std::atomic_bool *cancel, ReplayParts parts)
{
    BatchRing ring;
    // The reader counts frames on its own stack and hands the counts over when it is done: in
    // the summary, next to the flow table, each count would share a cache line with what the
    // aggregator writes for every packet, and the two cores would pass that line back and forth.
    CaptureSummary counted;
    constexpr std::size_t kClaimAhead = 4;
    constexpr std::size_t kFrameAhead = 8;
    const DecodeThread decodeThread = options.decodeThread;
    // Balanced: how many frames of each batch the reading thread passes on undecoded (the first
    // ones; it decodes the rest). Raised a step while fewer batches than kTargetBacklog wait for
    // the table, lowered while more do: the share settles where the two threads keep pace, and
    // neither waits for the other. (Passing whole batches on or not, by the same measure, let
    // the backlog swing from empty to full: 7% slower on plain 10k, where the table's thread
    // had time to decode every frame.)
    constexpr std::uint32_t kTargetBacklog = BatchRing::kBatches / 2;
    constexpr std::size_t kShareStep = BatchRing::kFrames / 16;
    std::thread readerThread([&ring, &source, &options, &counted, cancel, decodeThread] {
        CaptureSummary counts;
        FrameReader reader(source, options.decode, counts, cancel);
        const auto handOver = qScopeGuard([&] { counted = std::move(counts); });
        std::size_t share = decodeThread == DecodeThread::Reading  ? 0
                            : decodeThread == DecodeThread::Halves ? BatchRing::kFrames / 2
                                                                   : BatchRing::kFrames;
        for (;;) {
            BatchRing::Batch *batch = ring.waitEmpty();
            if (!batch)
                return;
            // Which frames of a replay the table's thread decodes changes from run to run; the
            // flows are the same.
            if (decodeThread == DecodeThread::Balanced) {
                const std::uint32_t backlog = ring.backlog();
                if (backlog < kTargetBacklog)
                    share = std::min(share + kShareStep, BatchRing::kFrames);
                else if (backlog > kTargetBacklog)
                    share = share > kShareStep ? share - kShareStep : 0;
            }
            const std::size_t passOnShare = share;
            // Kept in registers while the batch fills and written to the batch once: the
            // decoder writes through pointers, so the compiler would otherwise load and store
            // the count in the batch for every frame.
            DecodedFrame *const frames = batch->frames.data();
            RawFrame *const raw = batch->raw.data();
            std::size_t count = 0;
            bool last = false;
            bool cancelled = false;
            while (count < BatchRing::kFrames) {
                const bool passOn = count < passOnShare;
                // The aggregator's core read these lines last: claim them ahead for writing,
                // or the reader waits for each on its first store.
                if (const std::size_t ahead = count + kClaimAhead; ahead < BatchRing::kFrames) {
                    if (ahead < passOnShare) {
                        const auto *lines = reinterpret_cast<const char *>(&raw[ahead]);
                        prefetchForWriting(lines);
                        prefetchForWriting(lines + 64);
                        prefetchForWriting(lines + 128);
                    } else {
                        prefetchForWriting(&frames[ahead]);
                    }
                }
                const FrameReader::Read read = reader.read();
                if (read != FrameReader::Read::Frame) {
                    last = true;
                    cancelled = read == FrameReader::Read::Cancelled;
                    break;
                }
                if (passOn) {
                    const RawPacket &packet = reader.packet();
                    RawFrame &frame = raw[count];
                    if (packet.data.size() <= RawFrame::kBytes) {
                        frame.timestampUs = packet.timestampUs;
                        frame.wireLength = packet.wireLength;
                        frame.captured = std::uint32_t(packet.data.size());
                        frame.linkType = packet.linkType;
                        if (!packet.data.empty())
                            std::memcpy(frame.bytes, packet.data.data(), packet.data.size());
                        ++count;
                        continue;
                    }
                }
                if (passOn)
                    raw[count].captured = RawFrame::kDecodedByReader;
                if (reader.decode(frames[count]))
                    ++count;
            }
            batch->count = count;
            batch->rawCount = std::min(count, passOnShare);
            batch->last = last;
            batch->cancelled = cancelled;
            ring.publish();
            if (last)
                return;
        }
    });

    bool cancelled = false;
    // What this thread decoded: merged with the reader's counts at the end.
    CaptureSummary decodedHere;
    std::uint64_t framesDecodedHere = 0;
    {
        // However this scope is left, the reader is told to stop and is waited for.
        const auto joinReader = qScopeGuard([&] {
            ring.stop();
            readerThread.join();
        });
        const PacketDecoder decoder(options.decode);
        // The feeder holds on to the frames it was fed until they are added: a ring one larger.
        std::array<DecodedFrame, LookaheadFeeder::kHeld + 1> decoded;
        std::size_t nextDecoded = 0;
        for (;;) {
            const BatchRing::Batch &batch = ring.waitFull();
            LookaheadFeeder feeder(parts.table);
            const DecodedFrame *const frames = batch.frames.data();
            const RawFrame *const raw = batch.raw.data();
            const std::size_t count = batch.count;
            const std::size_t rawCount = batch.rawCount;
            for (std::size_t i = 0; i < count; ++i) {
                // The frames were written on the reader's core: each first read waits for the
                // line to come over from there, unless it was asked for a few frames earlier.
                if (const std::size_t ahead = i + kFrameAhead; ahead < count) {
                    if (ahead < rawCount) {
                        // The header and the first 108 bytes: where the decoder reads.
                        const auto *lines = reinterpret_cast<const char *>(&raw[ahead]);
                        __builtin_prefetch(lines);
                        __builtin_prefetch(lines + 64);
                    } else {
                        __builtin_prefetch(&frames[ahead]);
                    }
                }
                if (i >= rawCount || raw[i].captured == RawFrame::kDecodedByReader) {
                    feeder.feed(frames[i]);
                    continue;
                }
                const RawFrame &frame = raw[i];
                DecodedFrame &into = decoded[nextDecoded];
                decoder.decode(frame.linkType, {frame.bytes, frame.captured}, frame.wireLength,
                               into.decoded);
                ++framesDecodedHere;
                if (!countDecoded(into.decoded, decodedHere))
                    continue;
                into.timestampUs = frame.timestampUs;
                into.wireLength = frame.wireLength;
                feeder.feed(into);
                nextDecoded = (nextDecoded + 1) % decoded.size();
            }
            feeder.flush();
            parts.table.takeEnded(parts.ended);
            const bool last = batch.last;
            cancelled = batch.cancelled || (cancel && cancel->load(std::memory_order_relaxed));
            ring.release();
            if (last || cancelled)
                break;
        }
    }
    parts.summary = std::move(counted);
    parts.summary.ipPackets += decodedHere.ipPackets;
    parts.summary.nonIp += decodedHere.nonIp;
    parts.summary.undecodable += decodedHere.undecodable;
    for (std::size_t reason = 0; reason < decodedHere.malformed.size(); ++reason)
        parts.summary.malformed[reason] += decodedHere.malformed[reason];
    qCDebug(lcCapture).nospace() << source.name() << ": frames decoded on the flow table's thread: "
                                 << framesDecodedHere << " of " << parts.summary.packets;
    return !cancelled;
}

} // namespace

Result<FlowResults> replayCapture(PacketSource &source, const AnalysisOptions &options,
                                  const std::atomic_bool *cancel)
{
    FlowResults results(options.table);
    const ReplayParts parts{results.m_table, results.m_ended, results.m_summary};
    const bool readAhead = options.readAhead && source.readableFromAnyThread() &&
                           std::thread::hardware_concurrency() > 1;
    const bool finished = readAhead ? replayReadingAhead(source, options, cancel, parts)
                                    : replayInline(source, options, cancel, parts);
    if (!finished)
        return cancelledError(source);

    CaptureSummary &summary = results.m_summary;
    results.m_table.takeEnded(results.m_ended);
    results.sort();
    summary.flows = results.size();
    summary.expired = results.m_table.endedIdle();
    summary.evicted = results.m_table.evicted();
    qCDebug(lcCapture) << source.name() << summary.packets << "packets," << summary.flows
                       << "flows," << summary.malformedTotal() << "malformed"
                       << (readAhead ? "(read ahead on a second thread)" : "");
    return results;
}

Result<FlowReport> analyzeCapture(PacketSource &source, const AnalysisOptions &options,
                                  const std::atomic_bool *cancel)
{
    Result<FlowResults> results = replayCapture(source, options, cancel);
    if (!results)
        return results.error();
    return std::move(*results).takeReport();
}

} // namespace cartograph::capture
