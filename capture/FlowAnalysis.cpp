#include "FlowAnalysis.h"

#include "CaptureLogging.h"
#include "ClusterSnapshot.h"
#include "PacketSource.h"

#include <algorithm>
#include <array>
#include <numeric>

namespace cartograph::capture {

std::uint64_t CaptureSummary::malformedTotal() const
{
    return std::accumulate(malformed.begin(), malformed.end(), std::uint64_t(0));
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
    template <typename Fn> void forEachItem(Fn fn) const
    {
        const std::uint64_t ended = m_ended.size();
        for (std::uint64_t item = 0; item < ended; ++item)
            fn(item);
        for (std::uint32_t slot = 0; slot < m_table.slotCount(); ++slot) {
            if (m_table.activeAt(slot))
                fn(ended + slot);
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

void FlowResults::forEach(const std::function<void(const FlowRecord &)> &visit) const
{
    const ItemOrder order(m_table, m_ended);
    FlowRecord scratch;
    const auto visitItem = [&](std::uint64_t item) { visit(order.record(item, scratch)); };
    if (m_order.empty())
        order.forEachItem(visitItem);
    else
        std::for_each(m_order.begin(), m_order.end(), visitItem);
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
            m_table.recordAt(std::uint32_t(item - ended), report.flows.emplace_back());
    };
    if (m_order.empty())
        ItemOrder(m_table, m_ended).forEachItem(take);
    else
        std::for_each(m_order.begin(), m_order.end(), take);
    m_ended.clear();
    m_order.clear();
    return report;
}

Result<FlowResults> replayCapture(PacketSource &source, const AnalysisOptions &options,
                                  const std::atomic_bool *cancel)
{
    const PacketDecoder decoder(options.decode);
    FlowResults results(options.table);
    FlowTable &table = results.m_table;
    std::vector<FlowRecord> &ended = results.m_ended;
    CaptureSummary &summary = results.m_summary;
    RawPacket packet;
    int lastLinkType = -1;
    std::uint64_t *linkTypeCount = nullptr;

    // IP packets reach the table kLookahead packets after they were decoded, in their order:
    // meanwhile their hash-table entry and then their flow are loaded into the cache.
    constexpr std::size_t kLookahead = 4;
    struct Pending
    {
        DecodedPacket decoded;
        FlowTable::Prepared prepared;
        std::int64_t timestampUs = 0;
        std::uint32_t wireLength = 0;
    };
    std::array<Pending, kLookahead> pending;
    std::size_t pendingCount = 0; // waiting; the oldest at (nextSlot - pendingCount) mod kLookahead
    std::size_t nextSlot = 0;     // where the next packet is decoded
    const auto addOldest = [&] {
        const Pending &oldest = pending[(nextSlot + kLookahead - pendingCount) % kLookahead];
        table.add(oldest.decoded, oldest.prepared, oldest.timestampUs, oldest.wireLength);
        --pendingCount;
    };

    for (;;) {
        Result<bool> more = source.next(packet);
        if (!more) {
            summary.readError = more.error();
            break;
        }
        if (!*more)
            break;
        ++summary.packets;
        summary.bytes += packet.wireLength;
        if (packet.linkType != lastLinkType) {
            lastLinkType = packet.linkType;
            linkTypeCount = &summary.linkTypes[packet.linkType];
        }
        ++*linkTypeCount;

        if (pendingCount == kLookahead)
            addOldest();
        Pending &slot = pending[nextSlot];
        DecodedPacket &decoded = slot.decoded;
        decoder.decode(packet, decoded);
        if (decoded.malformed)
            ++summary.malformed[size_t(*decoded.malformed)];
        switch (decoded.kind) {
        case DecodedPacket::Kind::Ip:
            ++summary.ipPackets;
            slot.prepared = table.prepare(decoded);
            slot.timestampUs = packet.timestampUs;
            slot.wireLength = packet.wireLength;
            nextSlot = (nextSlot + 1) % kLookahead;
            ++pendingCount;
            if (pendingCount > kLookahead / 2)
                table.prefetchFlow(
                    pending[(nextSlot + kLookahead - kLookahead / 2 - 1) % kLookahead].prepared);
            break;
        case DecodedPacket::Kind::NonIp:
            ++summary.nonIp;
            break;
        case DecodedPacket::Kind::Undecodable:
            ++summary.undecodable;
            break;
        }

        if ((summary.packets & 0xfff) == 0) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                Error error;
                error.code = ErrorCode::Cancelled;
                error.file = source.name();
                return error;
            }
            table.takeEnded(ended);
        }
    }
    while (pendingCount > 0)
        addOldest();

    table.takeEnded(ended);
    results.sort();
    summary.flows = results.size();
    summary.expired = table.endedIdle();
    summary.evicted = table.evicted();
    qCDebug(lcCapture) << source.name() << summary.packets << "packets," << summary.flows
                       << "flows," << summary.malformedTotal() << "malformed";
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
