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

// std::sort(flows, flowRecordLess), in fewer moves: the same sort runs on (first timestamp,
// position) pairs with a comparison that agrees with flowRecordLess, and the records then move
// once, into their places. Sorting the records themselves moves each of them (over a hundred
// bytes) many times, and at a million flows every comparison reads two records from memory.
// Flows that compare equal (alike in everything but their counts) end in an order that depends
// only on the input, so the same file always gives the same report.
void sortFlows(std::vector<FlowRecord> &flows)
{
    // Flows are created in the order of their first packets, so a capture whose timestamps rise
    // (nearly every one, without evictions) yields them sorted already: one pass tells.
    if (std::is_sorted(flows.begin(), flows.end(), flowRecordLess))
        return;
    struct Entry
    {
        std::int64_t firstUs;
        std::size_t index;
    };
    std::vector<Entry> order(flows.size());
    for (std::size_t i = 0; i < flows.size(); ++i)
        order[i] = Entry{flows[i].firstUs, i};
    std::sort(order.begin(), order.end(), [&](const Entry &left, const Entry &right) {
        if (left.firstUs != right.firstUs)
            return left.firstUs < right.firstUs;
        return flowRecordLess(flows[left.index], flows[right.index]);
    });
    // Position k takes the record at order[k].index: follow each cycle of the permutation.
    for (std::size_t start = 0; start < order.size(); ++start) {
        if (order[start].index == start)
            continue;
        FlowRecord held = std::move(flows[start]);
        std::size_t at = start;
        for (;;) {
            const std::size_t from = order[at].index;
            order[at].index = at;
            if (from == start) {
                flows[at] = std::move(held);
                break;
            }
            flows[at] = std::move(flows[from]);
            at = from;
        }
    }
}

} // namespace

Result<FlowReport> analyzeCapture(PacketSource &source, const AnalysisOptions &options,
                                  const std::atomic_bool *cancel)
{
    const PacketDecoder decoder(options.decode);
    FlowTable table(options.table);
    FlowReport report;
    CaptureSummary &summary = report.summary;
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
            std::vector<FlowRecord> ended = table.takeEnded();
            std::move(ended.begin(), ended.end(), std::back_inserter(report.flows));
        }
    }
    while (pendingCount > 0)
        addOldest();

    std::vector<FlowRecord> ended = table.takeEnded();
    std::move(ended.begin(), ended.end(), std::back_inserter(report.flows));
    std::vector<FlowRecord> active = table.activeFlows();
    if (report.flows.empty()) {
        report.flows = std::move(active);
    } else {
        report.flows.reserve(report.flows.size() + active.size());
        std::move(active.begin(), active.end(), std::back_inserter(report.flows));
    }
    sortFlows(report.flows);
    summary.flows = report.flows.size();
    summary.expired = table.endedIdle();
    summary.evicted = table.evicted();
    qCDebug(lcCapture) << source.name() << summary.packets << "packets," << summary.flows
                       << "flows," << summary.malformedTotal() << "malformed";
    return report;
}

} // namespace cartograph::capture
