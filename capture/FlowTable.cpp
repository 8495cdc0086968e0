#include "FlowTable.h"

#include <QHashFunctions>
#include <algorithm>
#include <cstring>
#include <tuple>
#include <type_traits>

namespace cartograph::capture {

static_assert(sizeof(FlowTable::Key) == 44, "Key is hashed and compared as bytes");
static_assert(std::has_unique_object_representations_v<FlowTable::Key>,
              "Key must have no padding: it is hashed and compared as bytes");

namespace {

std::size_t hashKey(const FlowTable::Key &key)
{
    return qHashBits(&key, sizeof key, 0);
}

bool sameKey(const FlowTable::Key &left, const FlowTable::Key &right)
{
    return std::memcmp(&left, &right, sizeof left) == 0;
}

TunnelLevel reversed(TunnelLevel level)
{
    std::swap(level.outerSrc, level.outerDst);
    return level;
}

auto levelOrder(const TunnelLevel &level)
{
    return std::tie(level.type, level.key, level.hasKey, level.udpPort, level.payload,
                    level.outerSrc, level.outerDst);
}

} // namespace

bool flowRecordLess(const FlowRecord &left, const FlowRecord &right)
{
    const auto head = [](const FlowRecord &f) {
        return std::tie(f.firstUs, f.protocol, f.a, f.aPort, f.b, f.bPort, f.hasPorts, f.lastUs);
    };
    if (head(left) != head(right))
        return head(left) < head(right);
    return std::lexicographical_compare(
        left.tunnel.begin(), left.tunnel.end(), right.tunnel.begin(), right.tunnel.end(),
        [](const TunnelLevel &l, const TunnelLevel &r) { return levelOrder(l) < levelOrder(r); });
}

std::size_t FlowTable::TunnelPathHash::operator()(const TunnelPath &path) const noexcept
{
    std::size_t seed = path.count;
    for (int i = 0; i < path.count; ++i) {
        const TunnelLevel &level = path.levels[size_t(i)];
        seed = qHashMulti(seed, level.outerSrc, level.outerDst, level.key, level.udpPort,
                          int(level.type), level.hasKey, int(level.payload));
    }
    return seed;
}

FlowTable::FlowTable(FlowTableOptions options)
    : m_options(options)
{
    if (m_options.maxFlows == 0)
        m_options.maxFlows = 1;
    m_table.assign(1024, kNone);
}

std::uint32_t FlowTable::internPath(const TunnelPath &path)
{
    const auto it = m_pathIndex.find(path);
    if (it != m_pathIndex.end())
        return it->second;
    const auto index = std::uint32_t(m_paths.size());
    m_paths.push_back(path);
    m_pathIndex.emplace(path, index);
    return index;
}

std::uint32_t FlowTable::find(const Key &key, std::size_t hash, std::size_t *position) const
{
    const std::size_t mask = m_table.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t slot = m_table[i];
        if (slot == kNone || sameKey(m_flows[slot].key, key)) {
            *position = i;
            return slot;
        }
    }
}

void FlowTable::grow()
{
    std::vector<std::uint32_t> table(m_table.size() * 2, kNone);
    const std::size_t mask = table.size() - 1;
    for (std::uint32_t slot : m_table) {
        if (slot == kNone)
            continue;
        std::size_t i = hashKey(m_flows[slot].key) & mask;
        while (table[i] != kNone)
            i = (i + 1) & mask;
        table[i] = slot;
    }
    m_table.swap(table);
}

// Backward-shift deletion keeps linear probing free of tombstones.
void FlowTable::eraseFromTable(std::size_t position)
{
    const std::size_t mask = m_table.size() - 1;
    std::size_t hole = position;
    m_table[hole] = kNone;
    for (std::size_t j = (hole + 1) & mask; m_table[j] != kNone; j = (j + 1) & mask) {
        const std::size_t home = hashKey(m_flows[m_table[j]].key) & mask;
        // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
        const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            m_table[hole] = m_table[j];
            m_table[j] = kNone;
            hole = j;
        }
    }
}

void FlowTable::unlink(std::uint32_t slot)
{
    Flow &flow = m_flows[slot];
    if (flow.newer != kNone)
        m_flows[flow.newer].older = flow.older;
    else
        m_newest = flow.older;
    if (flow.older != kNone)
        m_flows[flow.older].newer = flow.newer;
    else
        m_oldest = flow.newer;
    flow.newer = flow.older = kNone;
}

void FlowTable::touch(std::uint32_t slot)
{
    if (m_newest == slot)
        return;
    unlink(slot);
    linkNewest(slot);
}

void FlowTable::linkNewest(std::uint32_t slot)
{
    Flow &flow = m_flows[slot];
    flow.older = m_newest;
    flow.newer = kNone;
    if (m_newest != kNone)
        m_flows[m_newest].newer = slot;
    m_newest = slot;
    if (m_oldest == kNone)
        m_oldest = slot;
}

std::uint32_t FlowTable::create(const Key &key, bool aIsHi, std::int64_t timestampUs)
{
    if (m_size >= m_options.maxFlows && m_oldest != kNone) {
        end(m_oldest, FlowRecord::End::FlowLimit);
        ++m_evicted;
    }
    if ((m_size + 1) * 2 > m_table.size())
        grow();
    std::uint32_t slot;
    if (!m_free.empty()) {
        slot = m_free.back();
        m_free.pop_back();
    } else {
        slot = std::uint32_t(m_flows.size());
        m_flows.emplace_back();
        if (m_options.secondBuckets)
            m_buckets.emplace_back();
    }
    Flow &flow = m_flows[slot];
    flow = Flow{};
    flow.key = key;
    flow.aIsHi = aIsHi;
    flow.alive = 1;
    flow.newer = flow.older = kNone;
    flow.firstUs = flow.lastUs = timestampUs;
    std::size_t position = 0;
    find(key, hashKey(key), &position);
    m_table[position] = slot;
    ++m_size;
    linkNewest(slot);
    return slot;
}

void FlowTable::end(std::uint32_t slot, FlowRecord::End reason)
{
    FlowRecord ended = record(slot);
    ended.end = reason;
    if (m_options.secondBuckets)
        ended.buckets = std::move(m_buckets[slot]);
    m_ended.push_back(std::move(ended));
    if (m_options.secondBuckets)
        m_buckets[slot] = {};

    std::size_t position = 0;
    find(m_flows[slot].key, hashKey(m_flows[slot].key), &position);
    eraseFromTable(position);
    unlink(slot);
    m_flows[slot].alive = 0;
    m_free.push_back(slot);
    --m_size;
}

void FlowTable::sweepIdle()
{
    while (m_oldest != kNone && m_now - m_flows[m_oldest].lastUs > m_options.idleTimeoutUs) {
        end(m_oldest, FlowRecord::End::IdleTimeout);
        ++m_endedIdle;
    }
}

void FlowTable::add(const DecodedPacket &packet, std::int64_t timestampUs, std::uint32_t wireLength)
{
    if (timestampUs > m_now)
        m_now = timestampUs;
    if (m_options.idleTimeoutUs > 0 &&
        (m_lastSweep == INT64_MIN ||
         m_now - m_lastSweep >= std::min<std::int64_t>(m_options.idleTimeoutUs, 1000000))) {
        m_lastSweep = m_now;
        sweepIdle();
    }

    // Canonical orientation: the lower (address, port) endpoint first; the tunnel path turns
    // with it, so both directions of a tunnelled conversation meet in one key.
    const std::uint16_t srcPort = packet.hasPorts ? packet.srcPort : 0;
    const std::uint16_t dstPort = packet.hasPorts ? packet.dstPort : 0;
    const auto order = std::tie(packet.src, srcPort) <=> std::tie(packet.dst, dstPort);
    bool swap = order > 0;
    if (order == 0) {
        for (int i = 0; i < packet.tunnelCount; ++i) {
            const TunnelLevel &level = packet.tunnels[size_t(i)];
            if (level.outerSrc != level.outerDst) {
                swap = level.outerDst < level.outerSrc;
                break;
            }
        }
    }
    Key key{};
    key.lo = swap ? packet.dst : packet.src;
    key.hi = swap ? packet.src : packet.dst;
    key.loPort = swap ? dstPort : srcPort;
    key.hiPort = swap ? srcPort : dstPort;
    key.protocol = packet.protocol;
    key.hasPorts = packet.hasPorts ? 1 : 0;
    key.tunnel = 0;
    TunnelPath detail;
    if (packet.tunnelCount > 0) {
        TunnelPath identity;
        identity.count = detail.count = packet.tunnelCount;
        for (int i = 0; i < packet.tunnelCount; ++i) {
            const TunnelLevel &level = packet.tunnels[size_t(i)];
            TunnelLevel &full = detail.levels[size_t(i)];
            full = swap ? reversed(level) : level;
            TunnelLevel &id = identity.levels[size_t(i)];
            id.type = full.type;
            id.outerSrc = full.outerSrc;
            id.outerDst = full.outerDst;
            id.udpPort = full.udpPort;
        }
        key.tunnel = internPath(identity) + 1;
    }

    const std::size_t hash = hashKey(key);
    std::size_t position = 0;
    std::uint32_t slot = find(key, hash, &position);
    if (slot != kNone && m_options.idleTimeoutUs > 0 &&
        timestampUs - m_flows[slot].lastUs > m_options.idleTimeoutUs) {
        end(slot, FlowRecord::End::IdleTimeout);
        ++m_endedIdle;
        slot = kNone;
    }
    if (slot == kNone)
        slot = create(key, swap, timestampUs);
    else
        touch(slot);

    Flow &flow = m_flows[slot];
    const int direction = (swap == bool(flow.aIsHi)) ? 0 : 1;
    if (key.tunnel != 0 && flow.tunnelDetail[direction] == 0)
        flow.tunnelDetail[direction] = internPath(detail) + 1;
    flow.packets[direction] += 1;
    flow.bytes[direction] += wireLength;
    flow.firstUs = std::min(flow.firstUs, timestampUs);
    flow.lastUs = std::max(flow.lastUs, timestampUs);
    if (packet.protocol == 6)
        flow.tcpFlags |= packet.tcpFlags;

    if (m_options.secondBuckets) {
        std::vector<SecondBucket> &buckets = m_buckets[slot];
        const std::int64_t second =
            timestampUs >= 0 ? timestampUs / 1000000 : -((-timestampUs + 999999) / 1000000);
        auto it = buckets.end();
        if (buckets.empty() || buckets.back().second < second) {
            it = buckets.insert(buckets.end(), SecondBucket{second, {0, 0}, {0, 0}});
        } else if (buckets.back().second == second) {
            it = buckets.end() - 1;
        } else { // a timestamp from the past (merged captures, clock steps)
            it = std::lower_bound(
                buckets.begin(), buckets.end(), second,
                [](const SecondBucket &bucket, std::int64_t s) { return bucket.second < s; });
            if (it == buckets.end() || it->second != second)
                it = buckets.insert(it, SecondBucket{second, {0, 0}, {0, 0}});
        }
        it->packets[direction] += 1;
        it->bytes[direction] += wireLength;
    }
}

FlowRecord FlowTable::record(std::uint32_t slot) const
{
    const Flow &flow = m_flows[slot];
    const Key &key = flow.key;
    FlowRecord r;
    const bool aIsHi = flow.aIsHi;
    r.a = aIsHi ? key.hi : key.lo;
    r.b = aIsHi ? key.lo : key.hi;
    r.aPort = aIsHi ? key.hiPort : key.loPort;
    r.bPort = aIsHi ? key.loPort : key.hiPort;
    r.protocol = key.protocol;
    r.hasPorts = key.hasPorts != 0;
    r.tcpFlags = flow.tcpFlags;
    r.packetsAb = flow.packets[0];
    r.bytesAb = flow.bytes[0];
    r.packetsBa = flow.packets[1];
    r.bytesBa = flow.bytes[1];
    r.firstUs = flow.firstUs;
    r.lastUs = flow.lastUs;
    const auto levels = [&](std::uint32_t id, std::vector<TunnelLevel> &into) {
        if (id == 0)
            return;
        const TunnelPath &path = m_paths[id - 1];
        into.reserve(path.count);
        for (int i = 0; i < path.count; ++i) {
            const TunnelLevel &level = path.levels[size_t(i)];
            into.push_back(aIsHi ? reversed(level) : level);
        }
    };
    levels(flow.tunnelDetail[0], r.tunnel);
    levels(flow.tunnelDetail[1], r.tunnelBa);
    return r;
}

std::vector<FlowRecord> FlowTable::takeEnded()
{
    std::vector<FlowRecord> ended;
    ended.swap(m_ended);
    return ended;
}

std::vector<FlowRecord> FlowTable::activeFlows() const
{
    std::vector<FlowRecord> flows;
    flows.reserve(m_size);
    for (std::uint32_t slot = 0; slot < m_flows.size(); ++slot) {
        if (!m_flows[slot].alive)
            continue;
        flows.push_back(record(slot));
        if (m_options.secondBuckets)
            flows.back().buckets = m_buckets[slot];
    }
    return flows;
}

std::size_t FlowTable::memoryBytes() const
{
    return m_flows.capacity() * sizeof(Flow) + m_free.capacity() * sizeof(std::uint32_t) +
           m_table.capacity() * sizeof(std::uint32_t) + m_paths.capacity() * sizeof(TunnelPath) +
           m_pathIndex.size() * (sizeof(TunnelPath) + 2 * sizeof(void *) + sizeof(std::uint32_t)) +
           m_pathIndex.bucket_count() * sizeof(void *);
}

std::size_t FlowTable::bucketMemoryBytes() const
{
    std::size_t bytes = m_buckets.capacity() * sizeof(std::vector<SecondBucket>);
    for (const auto &buckets : m_buckets)
        bytes += buckets.capacity() * sizeof(SecondBucket);
    return bytes;
}

} // namespace cartograph::capture
