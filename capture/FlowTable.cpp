#include "FlowTable.h"

#include <QtGlobal>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <tuple>
#include <type_traits>

namespace cartograph::capture {

static_assert(sizeof(FlowTable::Key) == 20, "Key is compared as words");
static_assert(std::has_unique_object_representations_v<FlowTable::Key>,
              "Key must have no padding: it is compared as words");

namespace {

constexpr std::size_t kRecentEntries = 16384; // 128 KiB: well inside L2
constexpr std::size_t kRecentMask = kRecentEntries - 1;

// Hashing and comparing run once or twice per packet: the key is read as machine words and
// mixed with 64x64→128-bit multiplies (wyhash's "mum"), which is a fraction of the cost of
// qHashBits' SipHash/AES path while still spreading every input bit over the low bits the
// open-addressing mask keeps.
__extension__ using Wide = unsigned __int128;

constexpr std::uint64_t kSecret[6] = {0xa0761d6478bd642full, 0xe7037ed1a0b428dbull,
                                      0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull,
                                      0x1d8e4e27c47d124full, 0x2d358dccaa6c78a5ull};

std::uint64_t mum(std::uint64_t a, std::uint64_t b)
{
    const Wide product = Wide(a) * b;
    return std::uint64_t(product) ^ std::uint64_t(product >> 64);
}

std::uint64_t load64(const unsigned char *p)
{
    std::uint64_t value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

std::uint32_t load32(const unsigned char *p)
{
    std::uint32_t value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

// The key's hash from its parts, read where the decoder wrote them (addresses as the two words
// IpAddress stores), not from the Key just assembled: that packed copy, read back as words
// straight away, would stall on store forwarding. Every field of the key goes in, the tunnel
// as its identity's hash (0 for none), which stands for the identity as its number does.
std::size_t hashKey(const IpAddress &lo, const IpAddress &hi, std::uint16_t loPort,
                    std::uint16_t hiPort, std::uint8_t protocol, std::uint8_t hasPorts,
                    std::uint64_t tunnelIdentityHash)
{
    const unsigned char *l = lo.bytes().data();
    const unsigned char *h = hi.bytes().data();
    const std::uint64_t ports = std::uint64_t(loPort) | std::uint64_t(hiPort) << 16 |
                                std::uint64_t(protocol) << 32 | std::uint64_t(hasPorts) << 40 |
                                std::uint64_t(lo.family()) << 48 | std::uint64_t(hi.family()) << 56;
    const std::uint64_t x = mum(load64(l) ^ kSecret[0], load64(l + 8) ^ kSecret[1]) ^
                            mum(load64(h) ^ kSecret[2], load64(h + 8) ^ kSecret[3]) ^
                            mum(ports ^ kSecret[4], tunnelIdentityHash ^ kSecret[5]);
    return mum(x ^ kSecret[0], kSecret[1]);
}

bool sameKey(const FlowTable::Key &left, const FlowTable::Key &right)
{
    const auto *l = reinterpret_cast<const unsigned char *>(&left);
    const auto *r = reinterpret_cast<const unsigned char *>(&right);
    return ((load64(l) ^ load64(r)) | (load64(l + 8) ^ load64(r + 8)) |
            (load32(l + 16) ^ load32(r + 16))) == 0;
}

// An address in a key's four bytes: an IPv4 address is its own (IpAddress keeps the 12 bytes
// before it zero), an IPv6 one its four words XORed.
std::uint32_t foldAddress(const IpAddress &address)
{
    const unsigned char *b = address.bytes().data();
    return load32(b) ^ load32(b + 4) ^ load32(b + 8) ^ load32(b + 12);
}

IpAddress unfoldAddress(std::uint32_t folded, IpAddress::Family family)
{
    if (family != IpAddress::Family::V4)
        return IpAddress{};
    unsigned char bytes[4];
    std::memcpy(bytes, &folded, sizeof bytes);
    return IpAddress::fromV4Bytes(bytes);
}

constexpr std::uint8_t kV6Sides =
    std::uint8_t(int(IpAddress::Family::V6) << FlowTable::kLoFamilyShift |
                 int(IpAddress::Family::V6) << FlowTable::kHiFamilyShift);

bool sameAddress(const IpAddress &left, const IpAddress &right)
{
    const unsigned char *l = left.bytes().data();
    const unsigned char *r = right.bytes().data();
    return left.family() == right.family() &&
           ((load64(l) ^ load64(r)) | (load64(l + 8) ^ load64(r + 8))) == 0;
}

std::uint64_t loadBigEndian64(const unsigned char *p)
{
    return __builtin_bswap64(load64(p));
}

// (address, port) order as std::tie(address, port) <=> ... gives it (family, then the bytes
// from the most significant), in two word compares instead of a byte-wise memcmp.
std::strong_ordering compareEndpoints(const IpAddress &a, std::uint16_t aPort, const IpAddress &b,
                                      std::uint16_t bPort)
{
    if (a.family() != b.family())
        return a.family() <=> b.family();
    const unsigned char *x = a.bytes().data();
    const unsigned char *y = b.bytes().data();
    if (const auto high = loadBigEndian64(x) <=> loadBigEndian64(y); high != 0)
        return high;
    if (const auto low = loadBigEndian64(x + 8) <=> loadBigEndian64(y + 8); low != 0)
        return low;
    return aPort <=> bPort;
}

std::uint64_t mixAddress(std::uint64_t seed, const IpAddress &address)
{
    const unsigned char *bytes = address.bytes().data();
    return mum(load64(bytes) ^ seed ^ kSecret[2],
               load64(bytes + 8) ^ (std::uint64_t(address.family()) << 56) ^ kSecret[3]);
}

// A tunnel level's identity: type, outer addresses (already oriented) and UDP port.
std::uint64_t mixIdentityLevel(std::uint64_t seed, TunnelType type, std::uint16_t udpPort,
                               const IpAddress &outerSrc, const IpAddress &outerDst)
{
    seed = mixAddress(seed ^ (std::uint64_t(udpPort) << 8 | std::uint64_t(type)), outerSrc);
    return mixAddress(seed ^ kSecret[4], outerDst);
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

FlowTable::IdentityWords identityWords(const DecodedPacket &packet, bool swap)
{
    const TunnelLevel &outermost = packet.tunnels[0];
    const IpAddress &src = swap ? outermost.outerDst : outermost.outerSrc;
    const IpAddress &dst = swap ? outermost.outerSrc : outermost.outerDst;
    const unsigned char *s = src.bytes().data();
    const unsigned char *d = dst.bytes().data();
    const int count = std::min<int>(packet.tunnelCount, kMaxTunnelDepth);
    return FlowTable::IdentityWords{
        {load64(s), load64(s + 8), load64(d), load64(d + 8)},
        std::uint32_t(outermost.udpPort) | std::uint32_t(outermost.type) << 16 |
            std::uint32_t(src.family()) << 20 | std::uint32_t(dst.family()) << 22 |
            std::uint32_t(count) << 24};
}

// The two outer addresses are mixed side by side rather than one after the other; deeper
// levels (rare) follow in turn.
std::uint64_t identityHash(const DecodedPacket &packet, bool swap,
                           const FlowTable::IdentityWords &words)
{
    std::uint64_t hash =
        mum(mum(words.outer[0] ^ kSecret[0], words.outer[1] ^ kSecret[1]) ^
                mum(words.outer[2] ^ kSecret[2], words.outer[3] ^ kSecret[3]) ^ kSecret[4],
            std::uint64_t(words.meta) ^ kSecret[5]);
    const int count = std::min<int>(packet.tunnelCount, kMaxTunnelDepth);
    for (int l = 1; l < count; ++l) {
        const TunnelLevel &level = packet.tunnels[size_t(l)];
        hash = mixIdentityLevel(hash, level.type, level.udpPort,
                                swap ? level.outerDst : level.outerSrc,
                                swap ? level.outerSrc : level.outerDst);
    }
    return hash;
}

} // namespace

bool flowRecordLess(const FlowRecord &left, const FlowRecord &right)
{
    // The first timestamp settles nearly every comparison of a sort: it goes first, alone.
    if (left.firstUs != right.firstUs)
        return left.firstUs < right.firstUs;
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
    std::uint64_t seed = path.count ^ kSecret[5];
    for (int i = 0; i < path.count; ++i) {
        const TunnelLevel &level = path.levels[size_t(i)];
        seed = mixIdentityLevel(seed, level.type, level.udpPort, level.outerSrc, level.outerDst);
        seed = mum(seed ^ kSecret[0],
                   (std::uint64_t(level.key) << 16 | std::uint64_t(level.hasKey) << 8 |
                    std::uint64_t(level.payload)) ^
                       kSecret[1]);
    }
    return seed;
}

FlowTable::FlowTable(FlowTableOptions options)
    : m_options(options)
{
    if (m_options.maxFlows == 0)
        m_options.maxFlows = 1;
    m_table.assign(1024, TableEntry{kNone, 0});
    // An idle timeout ends the least recently active flows all along: keep them in order.
    m_recencyList = m_options.idleTimeoutUs > 0;
    m_identityIndex.assign(64, IdentityEntry{});
    m_recent.assign(kRecentEntries, TableEntry{kNone, 0});
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

std::uint32_t FlowTable::internIdentity(const DecodedPacket &packet, const Prepared &prepared)
{
    const bool swap = prepared.swap;
    const std::uint64_t hash = prepared.identityHash;
    const IdentityWords &words = prepared.identity;
    const int count = std::min<int>(packet.tunnelCount, kMaxTunnelDepth);
    const auto src = [&](const TunnelLevel &level) -> const IpAddress & {
        return swap ? level.outerDst : level.outerSrc;
    };
    const auto dst = [&](const TunnelLevel &level) -> const IpAddress & {
        return swap ? level.outerSrc : level.outerDst;
    };
    const auto deeperLevelsMatch = [&](const TunnelPath &path) {
        for (int l = 1; l < count; ++l) {
            const TunnelLevel &stored = path.levels[size_t(l)];
            const TunnelLevel &level = packet.tunnels[size_t(l)];
            if (stored.type != level.type || stored.udpPort != level.udpPort ||
                !sameAddress(stored.outerSrc, src(level)) ||
                !sameAddress(stored.outerDst, dst(level)))
                return false;
        }
        return true;
    };

    const auto tag = std::uint32_t(hash);
    const std::size_t mask = m_identityIndex.size() - 1;
    std::size_t i = hash & mask;
    for (; m_identityIndex[i].identity != 0; i = (i + 1) & mask) {
        const IdentityEntry &entry = m_identityIndex[i];
        const std::uint64_t differs =
            (entry.words.outer[0] ^ words.outer[0]) | (entry.words.outer[1] ^ words.outer[1]) |
            (entry.words.outer[2] ^ words.outer[2]) | (entry.words.outer[3] ^ words.outer[3]);
        if (entry.hash == tag && differs == 0 && entry.words.meta == words.meta &&
            (count == 1 || deeperLevelsMatch(m_paths[m_identities[entry.identity - 1].path])))
            return entry.identity - 1;
    }

    TunnelPath path;
    path.count = std::uint8_t(count);
    for (int l = 0; l < count; ++l) {
        const TunnelLevel &level = packet.tunnels[size_t(l)];
        TunnelLevel &id = path.levels[size_t(l)];
        id.type = level.type;
        id.outerSrc = src(level);
        id.outerDst = dst(level);
        id.udpPort = level.udpPort;
    }
    m_identities.push_back(TunnelIdentity{internPath(path), 0, hash, words});
    const auto number = std::uint32_t(m_identities.size());
    m_identityIndex[i] = IdentityEntry{words, tag, number};
    if (m_identities.size() * 2 > m_identityIndex.size())
        growIdentityIndex();
    return number - 1;
}

// Whether a packet whose outermost level gave `words` crossed exactly this one-level identity.
// An identity is its levels: the outermost one is all of it when the level count (in `meta`)
// is 1; deeper ones are left to internIdentity().
bool FlowTable::isIdentity(std::uint32_t identity, const IdentityWords &words) const
{
    const IdentityWords &known = m_identities[identity].words;
    const std::uint64_t differs =
        (known.outer[0] ^ words.outer[0]) | (known.outer[1] ^ words.outer[1]) |
        (known.outer[2] ^ words.outer[2]) | (known.outer[3] ^ words.outer[3]);
    return differs == 0 && known.meta == words.meta && (words.meta >> 24) == 1;
}

void FlowTable::growIdentityIndex()
{
    std::vector<IdentityEntry> grown(m_identityIndex.size() * 2, IdentityEntry{});
    const std::size_t mask = grown.size() - 1;
    for (const IdentityEntry entry : m_identityIndex) {
        if (entry.identity == 0)
            continue;
        std::size_t at = entry.hash & mask;
        while (grown[at].identity != 0)
            at = (at + 1) & mask;
        grown[at] = entry;
    }
    m_identityIndex.swap(grown);
}

// The full path (VNIs, keys, payloads) of a flow's first packet in one direction, interned.
// Packets of one identity mostly carry the same keys (one VNI per overlay), so the path interned
// last under the identity is checked before hashing the whole path.
std::uint32_t FlowTable::internDetail(const DecodedPacket &packet, bool swap,
                                      std::uint32_t identityNumber)
{
    TunnelIdentity &identity = m_identities[identityNumber];
    const int count = std::min<int>(packet.tunnelCount, kMaxTunnelDepth);
    if (identity.detail != 0) {
        const TunnelPath &last = m_paths[identity.detail - 1];
        bool same = true;
        for (int l = 0; l < count && same; ++l) {
            const TunnelLevel &stored = last.levels[size_t(l)];
            const TunnelLevel &level = packet.tunnels[size_t(l)];
            same = stored.key == level.key && stored.hasKey == level.hasKey &&
                   stored.payload == level.payload;
        }
        if (same)
            return identity.detail;
    }
    TunnelPath detail;
    detail.count = std::uint8_t(count);
    for (int l = 0; l < count; ++l) {
        const TunnelLevel &level = packet.tunnels[size_t(l)];
        detail.levels[size_t(l)] = swap ? reversed(level) : level;
    }
    identity.detail = internPath(detail) + 1;
    return identity.detail;
}

bool FlowTable::matches(std::uint32_t slot, const Lookup &lookup) const
{
    if (!sameKey(m_flows[slot].key, lookup.key))
        return false;
    if ((lookup.key.shape & kV6Sides) == 0)
        return true;
    const V6Addresses &full = m_v6[slot];
    return full.lo == lookup.lo && full.hi == lookup.hi;
}

std::uint32_t FlowTable::find(const Lookup &lookup, std::size_t *position) const
{
    // The stored hash bits settle almost every probe without touching the flow itself, which
    // at a million flows is a cache miss per probe.
    const auto tag = std::uint32_t(lookup.hash);
    const std::size_t mask = m_table.size() - 1;
    for (std::size_t i = lookup.hash & mask;; i = (i + 1) & mask) {
        const TableEntry entry = m_table[i];
        if (entry.slot == kNone || (entry.hash == tag && matches(entry.slot, lookup))) {
            *position = i;
            return entry.slot;
        }
    }
}

void FlowTable::endpointsOf(std::uint32_t slot, IpAddress &lo, IpAddress &hi) const
{
    const Key &key = m_flows[slot].key;
    if (key.shape & kV6Sides) {
        lo = m_v6[slot].lo;
        hi = m_v6[slot].hi;
    } else {
        lo = unfoldAddress(key.lo, IpAddress::Family((key.shape >> kLoFamilyShift) & 3));
        hi = unfoldAddress(key.hi, IpAddress::Family((key.shape >> kHiFamilyShift) & 3));
    }
}

// The hash prepare() gave the flow's packets, computed again: only a flow that ends needs it,
// so flows do not keep it.
std::size_t FlowTable::flowHash(std::uint32_t slot) const
{
    const Key &key = m_flows[slot].key;
    IpAddress lo;
    IpAddress hi;
    endpointsOf(slot, lo, hi);
    return hashKey(lo, hi, key.loPort, key.hiPort, key.protocol, key.shape & kHasPorts,
                   key.tunnel != 0 ? m_identities[key.tunnel - 1].hash : 0);
}

std::size_t FlowTable::positionOf(std::uint32_t slot, std::size_t hash) const
{
    const std::size_t mask = m_table.size() - 1;
    std::size_t i = hash & mask;
    while (m_table[i].slot != slot)
        i = (i + 1) & mask;
    Q_ASSERT(m_table[i].hash == std::uint32_t(hash)); // flowHash() is the hash prepare() gave
    return i;
}

void FlowTable::grow()
{
    // The table never outgrows 2^32 entries (slots are 32-bit), so the low 32 hash bits kept
    // in each entry are enough to place it.
    std::vector<TableEntry> table;
    table.assign(m_table.size() * 2, TableEntry{kNone, 0});
    const std::size_t mask = table.size() - 1;
    for (const TableEntry entry : m_table) {
        if (entry.slot == kNone)
            continue;
        std::size_t i = entry.hash & mask;
        while (table[i].slot != kNone)
            i = (i + 1) & mask;
        table[i] = entry;
    }
    m_table.swap(table);
}

// Backward-shift deletion keeps linear probing free of tombstones.
void FlowTable::eraseFromTable(std::size_t position)
{
    const std::size_t mask = m_table.size() - 1;
    std::size_t hole = position;
    m_table[hole].slot = kNone;
    for (std::size_t j = (hole + 1) & mask; m_table[j].slot != kNone; j = (j + 1) & mask) {
        const std::size_t home = m_table[j].hash & mask;
        // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
        const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            m_table[hole] = m_table[j];
            m_table[j].slot = kNone;
            hole = j;
        }
    }
}

// While no flow has to leave the table (no idle timeout, flow limit not reached), recency is a
// stamp per flow: keeping a linked list in order costs two random memory accesses per packet.
// The list is built from the stamps, in the same order, the first time it is needed.
void FlowTable::stamp(Flow &flow)
{
    ++m_clock;
    flow.newer = std::uint32_t(m_clock >> 32);
    flow.older = std::uint32_t(m_clock);
}

void FlowTable::buildRecencyList()
{
    std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
    order.reserve(m_size);
    for (std::uint32_t slot = 0; slot < m_flows.size(); ++slot) {
        const Flow &flow = m_flows[slot];
        if (flow.alive)
            order.emplace_back(std::uint64_t(flow.newer) << 32 | flow.older, slot);
    }
    std::sort(order.begin(), order.end());
    m_recencyList = true;
    for (const auto &[clock, slot] : order)
        linkNewest(slot);
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
    if (!m_recencyList) {
        stamp(m_flows[slot]);
        return;
    }
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

std::uint32_t FlowTable::create(const Lookup &lookup, bool aIsHi, std::int64_t timestampUs)
{
    if (m_size >= m_options.maxFlows && m_size > 0) {
        if (!m_recencyList)
            buildRecencyList();
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
        slot = m_flows.size();
        m_flows.grow(); // written below
        m_cold.grow();
        m_details.grow(); // left unwritten unless the flow is tunnelled
        m_v6.grow();      // or has an IPv6 side
        if (m_options.secondBuckets)
            m_buckets.emplace_back();
    }
    Flow &flow = m_flows[slot];
    flow = Flow{};
    flow.key = lookup.key;
    flow.aIsHi = aIsHi;
    flow.alive = 1;
    flow.newer = flow.older = kNone;
    flow.lastUs = timestampUs;
    m_cold[slot] = FlowCold{timestampUs, {0, 0}};
    if (lookup.key.shape & kV6Sides)
        m_v6[slot] = V6Addresses{lookup.lo, lookup.hi};
    std::size_t position = 0;
    find(lookup, &position);
    m_table[position] = TableEntry{slot, std::uint32_t(lookup.hash)};
    ++m_size;
    if (m_recencyList)
        linkNewest(slot);
    else
        stamp(flow);
    return slot;
}

void FlowTable::end(std::uint32_t slot, FlowRecord::End reason)
{
    FlowRecord &ended = m_ended.emplace_back();
    takeRecordAt(slot, ended);
    ended.end = reason;

    const std::size_t hash = flowHash(slot);
    if (TableEntry &recent = m_recent[hash & kRecentMask]; recent.slot == slot)
        recent.slot = kNone;
    eraseFromTable(positionOf(slot, hash));
    if (m_recencyList)
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

void FlowTable::prepare(const DecodedPacket &packet, Prepared &prepared)
{
    // Canonical orientation: the lower (address, port) endpoint first; the tunnel path turns
    // with it, so both directions of a tunnelled conversation meet in one key.
    const std::uint16_t srcPort = packet.hasPorts ? packet.srcPort : 0;
    const std::uint16_t dstPort = packet.hasPorts ? packet.dstPort : 0;
    const auto order = compareEndpoints(packet.src, srcPort, packet.dst, dstPort);
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
    const IpAddress &lo = swap ? packet.dst : packet.src;
    const IpAddress &hi = swap ? packet.src : packet.dst;
    Key &key = prepared.key;
    key = Key{};
    key.lo = foldAddress(lo);
    key.hi = foldAddress(hi);
    key.loPort = swap ? dstPort : srcPort;
    key.hiPort = swap ? srcPort : dstPort;
    key.protocol = packet.protocol;
    key.shape =
        std::uint8_t((packet.hasPorts ? kHasPorts : 0) | int(lo.family()) << kLoFamilyShift |
                     int(hi.family()) << kHiFamilyShift);
    // The key is hashed with its tunnel identity's hash, which the packet's outer addresses
    // give without a lookup; the identity's entry is looked up in add(), once loaded.
    // (`prepared` is reused: every field is written.)
    if (packet.tunnelCount > 0) {
        prepared.identity = identityWords(packet, swap);
        prepared.identityHash = identityHash(packet, swap, prepared.identity);
    } else {
        prepared.identityHash = 0; // add() reads the identity words only for tunnelled packets
    }
    prepared.hash = hashKey(lo, hi, key.loPort, key.hiPort, key.protocol, key.shape & kHasPorts,
                            prepared.identityHash);
    prepared.swap = swap;
    const TableEntry recent = m_recent[prepared.hash & kRecentMask];
    if (recent.slot != kNone && recent.hash == std::uint32_t(prepared.hash)) {
        // Most likely this packet's flow (add() checks the key): load it.
        __builtin_prefetch(&m_flows[recent.slot]);
        prepared.recent = true;
    } else {
        prepared.recent = false;
        __builtin_prefetch(&m_table[prepared.hash & (m_table.size() - 1)]);
        // add() then looks the tunnel identity up too (see isIdentity()).
        if (packet.tunnelCount > 0)
            __builtin_prefetch(
                &m_identityIndex[prepared.identityHash & (m_identityIndex.size() - 1)]);
    }
}

void FlowTable::prefetchFlow(const Prepared &prepared) const
{
    // Reading the table entry here waits for its line: worth it when the flow it names will be
    // needed, not when the packet mostly starts a new conversation (the entry is then empty).
    if (prepared.recent || m_missesFindFlows < kMissesFindFlows)
        return;
    const TableEntry entry = m_table[prepared.hash & (m_table.size() - 1)];
    if (entry.slot != kNone && entry.slot < m_flows.size())
        __builtin_prefetch(&m_flows[entry.slot]);
}

void FlowTable::add(const DecodedPacket &packet, std::int64_t timestampUs, std::uint32_t wireLength)
{
    Prepared prepared;
    prepare(packet, prepared);
    add(packet, prepared, timestampUs, wireLength);
}

void FlowTable::add(const DecodedPacket &packet, const Prepared &prepared, std::int64_t timestampUs,
                    std::uint32_t wireLength)
{
    if (timestampUs > m_now)
        m_now = timestampUs;
    if (m_options.idleTimeoutUs > 0 &&
        (m_lastSweep == INT64_MIN ||
         m_now - m_lastSweep >= std::min<std::int64_t>(m_options.idleTimeoutUs, 1000000))) {
        m_lastSweep = m_now;
        sweepIdle();
    }

    const std::size_t hash = prepared.hash;
    const bool swap = prepared.swap;
    Key key = prepared.key;
    TableEntry &recent = m_recent[hash & kRecentMask];
    const bool recentNamed = recent.slot != kNone && recent.hash == std::uint32_t(hash);
    if (packet.tunnelCount > 0) {
        // Most tunnelled packets belong to the flow the recent-flow cache names: when that
        // flow's tunnel identity is this packet's, the identity index is not searched.
        const std::uint32_t recentTunnel = recentNamed ? m_flows[recent.slot].key.tunnel : 0;
        if (recentTunnel != 0 && isIdentity(recentTunnel - 1, prepared.identity))
            key.tunnel = recentTunnel;
        else
            key.tunnel = internIdentity(packet, prepared) + 1;
    }
    const Lookup lookup{key, hash, swap ? packet.dst : packet.src, swap ? packet.src : packet.dst};
    std::uint32_t slot = kNone;
    if (recentNamed && matches(recent.slot, lookup)) {
        slot = recent.slot;
    } else {
        std::size_t position = 0;
        slot = find(lookup, &position);
        // A saturating count, as a branch predictor keeps: do packets the recent-flow cache
        // misses mostly belong to flows in the table (prefetchFlow() pays off) or start new ones?
        if (slot != kNone)
            m_missesFindFlows += m_missesFindFlows < 2 * kMissesFindFlows - 1 ? 1 : 0;
        else
            m_missesFindFlows -= m_missesFindFlows > 0 ? 1 : 0;
    }
    if (slot != kNone && m_options.idleTimeoutUs > 0 &&
        timestampUs - m_flows[slot].lastUs > m_options.idleTimeoutUs) {
        end(slot, FlowRecord::End::IdleTimeout);
        ++m_endedIdle;
        slot = kNone;
    }
    if (slot == kNone)
        slot = create(lookup, swap, timestampUs);
    else
        touch(slot);
    recent = TableEntry{slot, std::uint32_t(hash)};

    Flow &flow = m_flows[slot];
    const int direction = (swap == bool(flow.aIsHi)) ? 0 : 1;
    if (key.tunnel != 0 && (flow.detailSeen & (1 << direction)) == 0) {
        TunnelDetails &details = m_details[slot];
        if (flow.detailSeen == 0)
            details = {0, 0};
        details[size_t(direction)] = internDetail(packet, swap, key.tunnel - 1);
        flow.detailSeen |= std::uint8_t(1 << direction);
    }
    if (++flow.packets[direction] == 0)
        ++m_cold[slot].packetsHigh[direction];
    flow.bytes[direction] += wireLength;
    if (timestampUs >= flow.lastUs)
        flow.lastUs = timestampUs;
    else if (std::int64_t &firstUs = m_cold[slot].firstUs; timestampUs < firstUs)
        firstUs = timestampUs; // a packet from the past (merged captures, clock steps)
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

void FlowTable::recordAt(std::uint32_t slot, FlowRecord &r) const
{
    fillRecord(slot, r);
    if (m_options.secondBuckets)
        r.buckets = m_buckets[slot];
    else
        r.buckets.clear();
}

void FlowTable::takeRecordAt(std::uint32_t slot, FlowRecord &r)
{
    fillRecord(slot, r);
    r.buckets.clear();
    if (m_options.secondBuckets)
        r.buckets.swap(m_buckets[slot]);
}

void FlowTable::fillRecord(std::uint32_t slot, FlowRecord &r) const
{
    const Flow &flow = m_flows[slot];
    const FlowCold &cold = m_cold[slot];
    const Key &key = flow.key;
    const bool aIsHi = flow.aIsHi;
    IpAddress lo;
    IpAddress hi;
    endpointsOf(slot, lo, hi);
    r.a = aIsHi ? hi : lo;
    r.b = aIsHi ? lo : hi;
    r.aPort = aIsHi ? key.hiPort : key.loPort;
    r.bPort = aIsHi ? key.loPort : key.hiPort;
    r.protocol = key.protocol;
    r.hasPorts = (key.shape & kHasPorts) != 0;
    r.tcpFlags = flow.tcpFlags;
    r.end = FlowRecord::End::Active;
    const auto packets = [&](int direction) {
        return std::uint64_t(cold.packetsHigh[direction]) << 32 | flow.packets[direction];
    };
    r.packetsAb = packets(0);
    r.bytesAb = flow.bytes[0];
    r.packetsBa = packets(1);
    r.bytesBa = flow.bytes[1];
    r.firstUs = cold.firstUs;
    r.lastUs = flow.lastUs;
    const auto levels = [&](std::uint32_t id, std::vector<TunnelLevel> &into) {
        into.clear();
        if (id == 0)
            return;
        const TunnelPath &path = m_paths[id - 1];
        into.reserve(path.count);
        for (int i = 0; i < path.count; ++i) {
            const TunnelLevel &level = path.levels[size_t(i)];
            into.push_back(aIsHi ? reversed(level) : level);
        }
    };
    const TunnelDetails details = flow.detailSeen != 0 ? m_details[slot] : TunnelDetails{0, 0};
    levels(details[0], r.tunnel);
    levels(details[1] != details[0] ? details[1] : 0, r.tunnelBa); // empty when the same
}

std::vector<FlowRecord> FlowTable::takeEnded()
{
    std::vector<FlowRecord> ended;
    ended.swap(m_ended);
    return ended;
}

void FlowTable::takeEnded(std::vector<FlowRecord> &into)
{
    if (into.empty()) {
        into.swap(m_ended);
        return;
    }
    std::move(m_ended.begin(), m_ended.end(), std::back_inserter(into));
    m_ended.clear();
}

std::vector<FlowRecord> FlowTable::activeFlows() const
{
    std::vector<FlowRecord> flows;
    flows.reserve(m_size);
    for (std::uint32_t slot = 0; slot < m_flows.size(); ++slot) {
        if (!m_flows[slot].alive)
            continue;
        recordAt(slot, flows.emplace_back());
    }
    return flows;
}

std::size_t FlowTable::memoryBytes() const
{
    // The tunnel and IPv6 arrays count in full, though only their flows' pages are touched.
    return m_flows.capacity() * sizeof(Flow) + m_cold.capacity() * sizeof(FlowCold) +
           m_details.capacity() * sizeof(TunnelDetails) + m_v6.capacity() * sizeof(V6Addresses) +
           m_free.capacity() * sizeof(std::uint32_t) +
           (m_table.capacity() + m_recent.capacity()) * sizeof(TableEntry) +
           m_paths.capacity() * sizeof(TunnelPath) +
           m_pathIndex.size() * (sizeof(TunnelPath) + 2 * sizeof(void *) + sizeof(std::uint32_t)) +
           m_pathIndex.bucket_count() * sizeof(void *) +
           m_identities.capacity() * sizeof(TunnelIdentity) +
           m_identityIndex.capacity() * sizeof(IdentityEntry);
}

std::size_t FlowTable::bucketMemoryBytes() const
{
    std::size_t bytes = m_buckets.capacity() * sizeof(std::vector<SecondBucket>);
    for (const auto &buckets : m_buckets)
        bytes += buckets.capacity() * sizeof(SecondBucket);
    return bytes;
}

} // namespace cartograph::capture
