#pragma once

#include "PacketDecoder.h"
#include "SegmentedArray.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace cartograph::capture {

// Traffic of one flow in one second, for charts. Index 0 is A → B, 1 is B → A.
struct SecondBucket
{
    std::int64_t second = 0; // Unix time, whole seconds (floor)
    std::uint32_t packets[2] = {0, 0};
    std::uint64_t bytes[2] = {0, 0};

    friend bool operator==(const SecondBucket &, const SecondBucket &) = default;
};

// One bidirectional conversation as a plain value, oriented from A (the source of its first
// packet) to B. Bytes are frame lengths on the wire (pcap `len`), as Wireshark's conversation
// statistics count them.
struct FlowRecord
{
    enum class End : std::uint8_t
    {
        Active,      // still in the table (or the capture ended)
        IdleTimeout, // no packet for the idle timeout: a later packet starts a new flow
        FlowLimit,   // pushed out (least recently active) to make room: counted as evicted
    };

    IpAddress a;
    IpAddress b;
    std::uint16_t aPort = 0;
    std::uint16_t bPort = 0;
    std::uint8_t protocol = 0;
    bool hasPorts = false; // false for ICMP, other protocols and non-first fragments
    std::uint8_t tcpFlags = 0;
    End end = End::Active;
    std::uint64_t packetsAb = 0;
    std::uint64_t bytesAb = 0;
    std::uint64_t packetsBa = 0;
    std::uint64_t bytesBa = 0;
    std::int64_t firstUs = 0; // earliest and latest packet timestamps, microseconds (UTC)
    std::int64_t lastUs = 0;
    // Encapsulation, outermost first, as the first A → B packet crossed it; each level's
    // outerSrc is the outer address on A's side.
    std::vector<TunnelLevel> tunnel;
    // The same for the first B → A packet (oriented the same way) where it differs from
    // `tunnel`: keys may differ by direction (Geneve VNIs of OVN datapaths, for one). Empty when
    // B never sent or crossed the same levels, as nearly every tunnelled flow does (a million
    // tunnelled records would otherwise hold a million more heap blocks, 60 MB).
    std::vector<TunnelLevel> tunnelBa;
    std::vector<SecondBucket> buckets; // in time order; empty when buckets are off
};

// Flows in a stable order: first timestamp, then protocol, endpoints, tunnel.
bool flowRecordLess(const FlowRecord &left, const FlowRecord &right);

struct FlowTableOptions
{
    std::int64_t idleTimeoutUs = 0; // 0: flows never time out
    std::size_t maxFlows = 1000000; // flows held at once; the least recently active goes first
    bool secondBuckets = true;      // keep per-second traffic for charts
};

// Aggregates decoded packets into bidirectional flows keyed by protocol, the two endpoints
// (addresses, and ports for TCP/UDP/SCTP) and the tunnels the packets came through: their
// types, outer addresses and UDP ports (a conversation seen both inside a tunnel and bare, as
// a capture on several interfaces sees it, is two flows). VNIs and keys are not part of the
// identity, since the two directions of one conversation may use different ones. Memory is bounded:
// flows idle longer than the timeout end, and at the flow limit the least recently active flow is
// evicted; both are counted and handed out by takeEnded(), never dropped silently. Not thread-safe:
// one aggregating thread owns it.
class FlowTable
{
public:
    explicit FlowTable(FlowTableOptions options = {});

    // Accounts one packet the decoder classified as DecodedPacket::Kind::Ip.
    void add(const DecodedPacket &packet, std::int64_t timestampUs, std::uint32_t wireLength);

    // The same in steps, for a reader that looks a few packets ahead: prepare() computes the
    // packet's flow key and starts loading its hash-table entry, prefetchFlow() (later) starts
    // loading the flow the entry names (unless such packets lately mostly started new flows),
    // add() (later still, packets in their order) accounts it. At a million flows each step is
    // otherwise a cache miss the CPU waits for.
    struct Key;
    struct Prepared;
    // (Filled in place: returned by value, the struct is written field by field and read back
    // in wider pieces, a store-forwarding stall per packet.)
    void prepare(const DecodedPacket &packet, Prepared &prepared);
    void prefetchFlow(const Prepared &prepared) const;
    void add(const DecodedPacket &packet, const Prepared &prepared, std::int64_t timestampUs,
             std::uint32_t wireLength);

    // Flows that left the table since the last call, in the order they left.
    std::vector<FlowRecord> takeEnded();
    // The same, appended to `into`.
    void takeEnded(std::vector<FlowRecord> &into);
    // The flows in the table now (unordered); the table is unchanged.
    std::vector<FlowRecord> activeFlows() const;

    // The same flows one at a time, without a record per flow held at once: the slots below
    // slotCount() that are active hold one each, in the order the flows were created (unless a
    // freed slot was reused).
    std::uint32_t slotCount() const { return m_flows.size(); }
    bool activeAt(std::uint32_t slot) const { return m_flows[slot].alive != 0; }
    std::int64_t firstUsAt(std::uint32_t slot) const { return m_cold[slot].firstUs; }
    // The flow in `slot` as a record, written over `into`, whose vectors keep their memory.
    void recordAt(std::uint32_t slot, FlowRecord &into) const;
    // The same with the flow's per-second buckets moved into the record rather than copied
    // (the slot keeps none): for a table whose flows are being handed out for good.
    void takeRecordAt(std::uint32_t slot, FlowRecord &into);

    std::size_t size() const { return m_size; }
    std::uint64_t endedIdle() const { return m_endedIdle; }
    std::uint64_t evicted() const { return m_evicted; }
    std::size_t tunnelPathCount() const { return m_paths.size(); }
    // Heap bytes held for the flows, from container capacities; per-second buckets apart.
    std::size_t memoryBytes() const;
    std::size_t bucketMemoryBytes() const;

    const FlowTableOptions &options() const { return m_options; }

    // A flow's identity in 20 bytes, compared as words. An IPv4 address is its four bytes; an
    // IPv6 address is folded to four (its words XORed), and the flow keeps the full address
    // beside (see V6Addresses), checked whenever the folds match.
    struct Key
    {
        std::uint32_t lo; // the lower (address, port) endpoint's address, folded
        std::uint32_t hi;
        std::uint16_t loPort;
        std::uint16_t hiPort;
        std::uint8_t protocol;
        std::uint8_t shape; // kHasPorts, and each address's IpAddress::Family (see kLoFamilyShift)
        std::uint16_t zero; // always 0
        std::uint32_t tunnel; // 0: none; else the tunnel identity's number + 1 (the levels
                              // without key and payload; see TunnelIdentity)
    };
    static constexpr std::uint8_t kHasPorts = 1;
    static constexpr int kLoFamilyShift = 1; // two bits each
    static constexpr int kHiFamilyShift = 3;

    // A tunnel identity's outermost level as words (see IdentityEntry).
    struct IdentityWords
    {
        std::uint64_t outer[4]; // outer source bytes 0-7, 8-15, outer destination bytes 0-7, 8-15
        std::uint32_t meta;     // UDP port, type, the two families; the level count
    };

    struct Prepared
    {
        Key key; // key.tunnel is left 0: add() looks the tunnel identity up
        std::size_t hash = 0;
        bool swap = false;   // the packet goes from key.hi to key.lo
        bool recent = false; // the recent-flow cache named a flow: prepare() started loading it
        // Tunnelled packets: their tunnel identity's outermost level and hash.
        IdentityWords identity{};
        std::uint64_t identityHash = 0;
    };

private:
    static constexpr std::uint32_t kNone = 0xffffffffu;

    // What every packet of a flow reads and writes, in one cache line: at a million flows each
    // line a packet touches is a miss. The rest of the flow is in FlowCold, touched when the
    // flow starts or ends and when a packet arrives out of time order, and in arrays of their
    // own that only tunnelled and IPv6 flows write (their pages stay untouched otherwise).
    struct alignas(64) Flow
    {
        Key key;
        std::uint8_t tcpFlags;
        std::uint8_t aIsHi; // side A is key.hi
        std::uint8_t alive;
        std::uint8_t detailSeen; // bit d: m_details[slot][d] is set
        // LRU neighbours (slot indices); before the list is built, the two halves of the
        // flow's recency stamp.
        std::uint32_t newer;
        std::uint32_t older;
        std::int64_t lastUs;      // latest packet timestamp, microseconds (UTC)
        std::uint64_t bytes[2];   // [0] A → B
        std::uint32_t packets[2]; // low 32 bits; FlowCold::packetsHigh has the rest
    };
    static_assert(sizeof(Flow) == 64, "a flow's hot part is one cache line");
    struct FlowCold
    {
        std::int64_t firstUs; // earliest packet timestamp
        std::uint32_t packetsHigh[2];
    };
    // A tunnelled flow's full paths (keys, payloads) seen first per direction, interned, + 1.
    using TunnelDetails = std::array<std::uint32_t, 2>;
    // The full addresses of a flow with an IPv6 side.
    struct V6Addresses
    {
        IpAddress lo;
        IpAddress hi;
    };

    struct TunnelPath
    {
        std::uint8_t count = 0;
        std::array<TunnelLevel, kMaxTunnelDepth> levels{};
        friend bool operator==(const TunnelPath &, const TunnelPath &) = default;
    };
    struct TunnelPathHash
    {
        std::size_t operator()(const TunnelPath &path) const noexcept;
    };

    // Tunnel identities (every level's type, UDP port and oriented outer addresses) are found
    // through an open-addressing index that holds each one's outermost level inline, so a
    // tunnelled packet is matched by one hash and one compare on a line prefetch() loaded,
    // without building a TunnelPath; deeper levels are compared against the interned path.
    struct IdentityEntry
    {
        IdentityWords words;
        std::uint32_t hash;     // low 32 bits of the identity's hash
        std::uint32_t identity; // index into m_identities + 1; 0: free
    };
    struct TunnelIdentity
    {
        std::uint32_t path;   // the identity as an interned path (index into m_paths)
        std::uint32_t detail; // the full path (keys, payloads) interned last under it, + 1
        std::uint64_t hash;   // as identityHash() gives it, for flowHash()
        IdentityWords words;  // its outermost level, as in its IdentityEntry
    };

    std::uint32_t internPath(const TunnelPath &path);
    std::uint32_t internIdentity(const DecodedPacket &packet, const Prepared &prepared);
    bool isIdentity(std::uint32_t identity, const IdentityWords &words) const;
    std::uint32_t internDetail(const DecodedPacket &packet, bool swap, std::uint32_t identity);
    void growIdentityIndex();
    struct TableEntry
    {
        std::uint32_t slot; // kNone: empty
        std::uint32_t hash; // the key's hash, low 32 bits
    };

    // A packet's key with its endpoints' full addresses, for keys with an IPv6 side.
    struct Lookup
    {
        const Key &key;
        std::size_t hash;
        const IpAddress &lo;
        const IpAddress &hi;
    };
    bool matches(std::uint32_t slot, const Lookup &lookup) const;
    std::uint32_t find(const Lookup &lookup, std::size_t *position) const;
    std::size_t flowHash(std::uint32_t slot) const;
    std::size_t positionOf(std::uint32_t slot, std::size_t hash) const;
    void endpointsOf(std::uint32_t slot, IpAddress &lo, IpAddress &hi) const;
    void fillRecord(std::uint32_t slot, FlowRecord &into) const; // all but the buckets
    std::uint32_t create(const Lookup &lookup, bool aIsHi, std::int64_t timestampUs);
    void end(std::uint32_t slot, FlowRecord::End reason);
    void eraseFromTable(std::size_t position);
    void grow();
    void touch(std::uint32_t slot);
    void stamp(Flow &flow);
    void buildRecencyList();
    void linkNewest(std::uint32_t slot);
    void unlink(std::uint32_t slot);
    void sweepIdle();

    FlowTableOptions m_options;
    SegmentedArray<Flow> m_flows;            // slots; dead ones are on m_free
    SegmentedArray<FlowCold> m_cold;         // by slot
    SegmentedArray<TunnelDetails> m_details; // by slot; written for tunnelled flows only
    SegmentedArray<V6Addresses> m_v6;        // by slot; written for flows with an IPv6 side
    std::vector<std::uint32_t> m_free;
    std::vector<TableEntry> m_table; // open addressing (linear probing) over slot indices
    // The flows packets met lately, direct-mapped by hash: a hot set of conversations among a
    // million is found here, in 128 KiB that stay in L2, instead of at a random place in a table
    // of megabytes (a cache and translation miss per packet). Checked against the flow's key,
    // and cleared when its flow ends, so a stale entry is only a miss.
    std::vector<TableEntry> m_recent;
    std::size_t m_size = 0;
    std::vector<std::vector<SecondBucket>> m_buckets; // by slot
    std::uint32_t m_newest = kNone;
    std::uint32_t m_oldest = kNone;
    bool m_recencyList = false; // m_newest/m_oldest and the links are kept (else: stamps)
    std::uint64_t m_clock = 0;  // recency stamps handed out
    std::vector<TunnelPath> m_paths;
    std::unordered_map<TunnelPath, std::uint32_t, TunnelPathHash> m_pathIndex;
    std::vector<TunnelIdentity> m_identities;
    std::vector<IdentityEntry> m_identityIndex; // open addressing over m_identities
    std::vector<FlowRecord> m_ended;
    std::uint64_t m_endedIdle = 0;
    std::uint64_t m_evicted = 0;
    std::int64_t m_now = INT64_MIN;
    std::int64_t m_lastSweep = INT64_MIN;
    // Between 0 and 2 * kMissesFindFlows - 1; at kMissesFindFlows or more, packets the recent-flow
    // cache missed lately mostly found their flow in the table (see prefetchFlow()).
    static constexpr std::uint32_t kMissesFindFlows = 32;
    std::uint32_t m_missesFindFlows = kMissesFindFlows;
};

} // namespace cartograph::capture
