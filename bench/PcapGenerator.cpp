#include "PcapGenerator.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSaveFile>
#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace cartograph::bench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::bench", text);
}

// 32 nodes of 128 pods (Flannel's /24 per node), as a mid-size cluster's addresses look.
constexpr std::uint32_t kNodes = 32;
constexpr std::uint32_t kPodsPerNode = 128;
constexpr std::uint32_t kPods = kNodes * kPodsPerNode;
constexpr std::uint32_t kClientPortBase = 32768;
// Client ports stay below 51820 (WireGuard) so no conversation looks like a tunnel.
constexpr std::uint32_t kClientPorts = 18000;
constexpr std::uint64_t kMaxConversations = std::uint64_t(kPods) * kClientPorts;
constexpr std::uint32_t kMss = 1448; // 1500 MTU, 20 IP, 32 TCP (timestamps)
constexpr std::int64_t kStartSecond = 1700000000;

constexpr std::array<std::uint16_t, 8> kTcpServerPorts{80, 443, 8080, 5432, 6379, 9090, 3306, 6443};
constexpr std::array<std::uint16_t, 4> kUdpServerPorts{53, 53, 8125, 9995};
constexpr std::uint16_t kStatsdPort = 8125; // one-way: clients only send

std::uint64_t mix(std::uint64_t x)
{
    // splitmix64's finaliser: every input bit reaches every output bit.
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

class Random
{
public:
    explicit Random(std::uint64_t seed)
        : m_state(seed)
    {}
    std::uint64_t next() { return mix(m_state++); }
    std::uint32_t below(std::uint32_t n) { return std::uint32_t(next() % n); }

private:
    std::uint64_t m_state;
};

std::uint32_t podAddress(std::uint32_t pod) // 10.244.<node>.<2 + host>
{
    return (10u << 24) | (244u << 16) | ((pod / kPodsPerNode) << 8) | (2 + pod % kPodsPerNode);
}

std::uint32_t nodeAddress(std::uint32_t node) // 172.18.0.<10 + node>
{
    return (172u << 24) | (18u << 16) | (10 + node);
}

struct Conversation
{
    std::uint32_t clientPod = 0;
    std::uint32_t serverPod = 0;
    std::uint16_t clientPort = 0;
    std::uint16_t serverPort = 0;
    std::uint16_t outerPort[2] = {0, 0}; // VXLAN source port per direction (Linux hashes the flow)
    bool udp = false;
    std::uint32_t length = 0; // packets
    std::uint32_t sent = 0;
    std::uint32_t seq[2] = {0, 0}; // next sequence number, [0] client
    std::uint16_t ipId[2] = {0, 0};
};

class Writer
{
public:
    explicit Writer(const TrafficSpec &spec)
        : m_spec(spec)
        , m_random(mix(spec.seed ^ 0x5eedull))
        , m_average(spec.packets / spec.conversations)
        , m_remainder(spec.packets % spec.conversations)
    {
        m_buffer.reserve(kBufferSize);
    }

    Status run(QSaveFile &file, TrafficSummary &summary)
    {
        writeFileHeader();
        std::vector<Conversation> active;
        const std::uint64_t open = std::min<std::uint64_t>(
            m_spec.conversations, std::max<std::uint32_t>(1, m_spec.concurrency));
        active.reserve(open);
        std::uint64_t next = 0;
        while (next < open)
            active.push_back(start(next++, summary));
        while (!active.empty()) {
            const std::size_t slot = m_random.below(std::uint32_t(active.size()));
            Conversation &conversation = active[slot];
            sendNext(conversation, summary);
            if (conversation.sent == conversation.length) {
                if (next < m_spec.conversations) {
                    conversation = start(next++, summary);
                } else {
                    conversation = active.back();
                    active.pop_back();
                }
            }
            if (m_buffer.size() > kBufferSize - 4096 && !flush(file))
                return writeError(file);
        }
        if (!flush(file))
            return writeError(file);
        return Success{};
    }

private:
    static constexpr std::size_t kBufferSize = 8u << 20;

    Conversation start(std::uint64_t index, TrafficSummary &summary)
    {
        Conversation c;
        const std::uint64_t h = mix(m_spec.seed * 0x9e3779b97f4a7c15ull + index);
        c.clientPod = std::uint32_t(index % kPods);
        c.clientPort = std::uint16_t(kClientPortBase + (index / kPods) % kClientPorts);
        // Across nodes, so that an overlay carries every conversation.
        const std::uint32_t clientNode = c.clientPod / kPodsPerNode;
        const std::uint32_t serverNode =
            (clientNode + 1 + std::uint32_t(h % (kNodes - 1))) % kNodes;
        c.serverPod = serverNode * kPodsPerNode + std::uint32_t((h >> 8) % kPodsPerNode);
        c.udp = (h >> 16) % 100 < 15;
        c.serverPort = c.udp ? kUdpServerPorts[(h >> 24) % kUdpServerPorts.size()]
                             : kTcpServerPorts[(h >> 24) % kTcpServerPorts.size()];
        c.outerPort[0] = std::uint16_t(32768 + (h >> 32) % 28232);
        c.outerPort[1] = std::uint16_t(32768 + (h >> 48) % 28232);
        c.seq[0] = std::uint32_t(mix(h));
        c.seq[1] = std::uint32_t(mix(h) >> 32);
        c.ipId[0] = std::uint16_t(h >> 40);
        c.ipId[1] = std::uint16_t(h >> 56);

        // Lengths vary in pairs (+d, -d) so that they add up to exactly spec.packets.
        std::uint64_t length = m_average + (index < m_remainder ? 1 : 0);
        if (m_average >= 2) {
            const std::uint64_t d =
                mix(m_spec.seed ^ ((index / 2) * 0xd1b54a32d192ed03ull)) % (m_average / 2 + 1);
            if (index % 2 == 0 && index + 1 < m_spec.conversations)
                length += d;
            else if (index % 2 == 1)
                length -= d;
        }
        c.length = std::uint32_t(length);
        ++(c.udp ? summary.udpConversations : summary.tcpConversations);
        return c;
    }

    void sendNext(Conversation &c, TrafficSummary &summary)
    {
        const std::uint32_t k = c.sent++;
        int from = 0; // 0: client → server
        std::uint8_t flags = 0;
        std::uint32_t payload = 0;
        bool synOptions = false;
        if (c.udp) {
            from = (k % 2 == 1 && c.serverPort != kStatsdPort) ? 1 : 0;
            payload = from == 0 ? 30 + m_random.below(90) : 60 + m_random.below(1100);
        } else {
            // SYN, SYN/ACK, ACK, data (request, then responses with client ACKs), FIN/ACK both
            // ways, ACK. Conversations shorter than 6 packets are cut where the capture ended.
            const std::uint32_t middle = c.length >= 6 ? c.length - 6 : 0;
            const std::uint32_t closeAt = 3 + middle;
            static constexpr int kCloseFrom[3] = {0, 1, 0};
            static constexpr std::uint8_t kCloseFlags[3] = {0x11, 0x11, 0x10};
            if (k == 0) {
                flags = 0x02;
                synOptions = true;
            } else if (k == 1) {
                from = 1;
                flags = 0x12;
                synOptions = true;
            } else if (k == 2) {
                flags = 0x10;
            } else if (k >= closeAt) {
                from = kCloseFrom[k - closeAt];
                flags = kCloseFlags[k - closeAt];
            } else {
                const std::uint32_t m = k - 3;
                flags = 0x18;
                if (m == 0) {
                    payload = 80 + m_random.below(600);
                } else if (m % 3 == 0) {
                    flags = 0x10;
                } else {
                    from = 1;
                    payload = m_random.below(4) == 0 ? 1 + m_random.below(kMss) : kMss;
                }
            }
        }
        m_timeUs += 1 + m_random.below(19);
        writePacket(c, from, flags, payload, synOptions, summary);
    }

    void writePacket(Conversation &c, int from, std::uint8_t flags, std::uint32_t payload,
                     bool synOptions, TrafficSummary &summary)
    {
        const std::uint32_t srcPod = from == 0 ? c.clientPod : c.serverPod;
        const std::uint32_t dstPod = from == 0 ? c.serverPod : c.clientPod;
        const std::uint16_t srcPort = from == 0 ? c.clientPort : c.serverPort;
        const std::uint16_t dstPort = from == 0 ? c.serverPort : c.clientPort;
        const std::uint32_t transportLength = c.udp ? 8 : (synOptions ? 40 : 32);
        const std::uint32_t ipLength = 20 + transportLength + payload;

        std::uint8_t *f = m_frame.data();
        std::size_t at = 0;
        switch (m_spec.encapsulation) {
        case Encapsulation::None:
            at = ethernet(f, dstPod, srcPod, false);
            break;
        case Encapsulation::Vxlan: {
            const std::uint32_t inner = 14 + ipLength;
            at = ethernet(f, dstPod / kPodsPerNode, srcPod / kPodsPerNode, true);
            at = ipv4(f, at, nodeAddress(srcPod / kPodsPerNode), nodeAddress(dstPod / kPodsPerNode),
                      17, 20 + 8 + 8 + inner, c.ipId[from]);
            put16(f + at, c.outerPort[from]);
            put16(f + at + 2, m_spec.vxlanPort);
            put16(f + at + 4, std::uint16_t(8 + 8 + inner));
            put16(f + at + 6, 0);
            at += 8;
            const std::uint8_t vxlan[8] = {0x08, 0, 0, 0, 0, 0, 1, 0}; // I flag, VNI 1
            std::memcpy(f + at, vxlan, 8);
            at += 8;
            at += ethernet(f + at, dstPod, srcPod, false);
            break;
        }
        case Encapsulation::IpIp:
            at = ethernet(f, dstPod / kPodsPerNode, srcPod / kPodsPerNode, true);
            at = ipv4(f, at, nodeAddress(srcPod / kPodsPerNode), nodeAddress(dstPod / kPodsPerNode),
                      4, 20 + ipLength, c.ipId[from]);
            break;
        }
        at = ipv4(f, at, podAddress(srcPod), podAddress(dstPod), c.udp ? 17 : 6, ipLength,
                  c.ipId[from]++);
        put16(f + at, srcPort);
        put16(f + at + 2, dstPort);
        if (c.udp) {
            put16(f + at + 4, std::uint16_t(8 + payload));
            put16(f + at + 6, 0);
        } else {
            std::uint32_t &seq = c.seq[from];
            put32(f + at + 4, seq);
            put32(f + at + 8, (flags & 0x10) ? c.seq[1 - from] : 0);
            f[at + 12] = std::uint8_t((transportLength / 4) << 4);
            f[at + 13] = flags;
            put16(f + at + 14, 64256);
            put16(f + at + 16, 0); // checksum: offloaded, as host captures show it
            put16(f + at + 18, 0);
            std::uint8_t *o = f + at + 20;
            if (synOptions) {
                const std::uint8_t options[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                                  0, 0, 0,    0,    0, 0, 1, 3,  3, 7};
                std::memcpy(o, options, 20);
                put32(o + 8, std::uint32_t(m_timeUs / 1000));
            } else {
                const std::uint8_t options[12] = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
                std::memcpy(o, options, 12);
                put32(o + 4, std::uint32_t(m_timeUs / 1000));
            }
            seq += payload + ((flags & 0x03) ? 1 : 0); // SYN and FIN take a sequence number
        }
        at += transportLength;

        const std::uint32_t frameLength = std::uint32_t(at) + payload;
        const std::uint32_t caplen =
            m_spec.snaplen == 0 ? frameLength : std::min(m_spec.snaplen, frameLength);
        if (caplen > at)
            std::memset(f + at, 0, caplen - at);
        const std::int64_t timeUs = kStartSecond * 1000000 + m_timeUs;
        std::uint8_t header[16];
        putLe32(header, std::uint32_t(timeUs / 1000000));
        putLe32(header + 4, std::uint32_t(timeUs % 1000000));
        putLe32(header + 8, caplen);
        putLe32(header + 12, frameLength);
        append(header, 16);
        append(f, caplen);
        ++summary.packets;
        summary.wireBytes += frameLength;
    }

    // Pod frames carry Flannel-style MACs derived from the pod address; node frames a NIC's.
    static std::size_t ethernet(std::uint8_t *f, std::uint32_t dst, std::uint32_t src, bool node)
    {
        const auto mac = [node](std::uint8_t *m, std::uint32_t id) {
            const std::uint32_t address = node ? nodeAddress(id) : podAddress(id);
            m[0] = node ? 0x52 : 0x0a;
            m[1] = node ? 0x54 : 0x58;
            put32(m + 2, address);
        };
        mac(f, dst);
        mac(f + 6, src);
        put16(f + 12, 0x0800);
        return 14;
    }

    static std::size_t ipv4(std::uint8_t *f, std::size_t at, std::uint32_t src, std::uint32_t dst,
                            std::uint8_t protocol, std::uint32_t totalLength, std::uint16_t id)
    {
        std::uint8_t *h = f + at;
        h[0] = 0x45;
        h[1] = 0;
        put16(h + 2, std::uint16_t(totalLength));
        put16(h + 4, id);
        put16(h + 6, 0x4000); // DF
        h[8] = 64;
        h[9] = protocol;
        put16(h + 10, 0);
        put32(h + 12, src);
        put32(h + 16, dst);
        std::uint32_t sum = 0;
        for (int i = 0; i < 20; i += 2)
            sum += (std::uint32_t(h[i]) << 8) | h[i + 1];
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        put16(h + 10, std::uint16_t(~sum));
        return at + 20;
    }

    static void put16(std::uint8_t *p, std::uint16_t v)
    {
        p[0] = std::uint8_t(v >> 8);
        p[1] = std::uint8_t(v);
    }
    static void put32(std::uint8_t *p, std::uint32_t v)
    {
        put16(p, std::uint16_t(v >> 16));
        put16(p + 2, std::uint16_t(v));
    }
    static void putLe32(std::uint8_t *p, std::uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
            p[i] = std::uint8_t(v >> (8 * i));
    }

    void writeFileHeader()
    {
        std::uint8_t header[24];
        putLe32(header, 0xa1b2c3d4u);
        header[4] = 2; // version 2.4
        header[5] = 0;
        header[6] = 4;
        header[7] = 0;
        putLe32(header + 8, 0);  // thiszone
        putLe32(header + 12, 0); // sigfigs
        putLe32(header + 16, m_spec.snaplen == 0 ? 262144 : m_spec.snaplen);
        putLe32(header + 20, 1); // LINKTYPE_ETHERNET
        append(header, sizeof header);
    }

    void append(const std::uint8_t *data, std::size_t size)
    {
        m_buffer.insert(m_buffer.end(), data, data + size);
    }

    bool flush(QSaveFile &file)
    {
        const qint64 size = qint64(m_buffer.size());
        const bool ok = file.write(reinterpret_cast<const char *>(m_buffer.data()), size) == size;
        m_buffer.clear();
        return ok;
    }

    static Error writeError(const QSaveFile &file)
    {
        Error error;
        error.code = ErrorCode::WriteFailed;
        error.file = file.fileName();
        error.detail = file.errorString();
        return error;
    }

    const TrafficSpec &m_spec;
    Random m_random;
    const std::uint64_t m_average;
    const std::uint64_t m_remainder;
    std::int64_t m_timeUs = 0;
    std::vector<std::uint8_t> m_buffer;
    std::array<std::uint8_t, 2048> m_frame{};
};

Error specError(const QString &path, const QString &field, const QString &expected)
{
    Error error;
    error.code = ErrorCode::InvalidValue;
    error.file = path;
    error.path = field;
    error.expected = expected;
    return error;
}

} // namespace

QString encapsulationName(Encapsulation encapsulation)
{
    switch (encapsulation) {
    case Encapsulation::None:
        return QStringLiteral("plain");
    case Encapsulation::Vxlan:
        return QStringLiteral("vxlan");
    case Encapsulation::IpIp:
        return QStringLiteral("ipip");
    }
    return {};
}

Result<TrafficSummary> writeTrafficPcap(const TrafficSpec &spec, const QString &path)
{
    if (spec.conversations == 0 || spec.conversations > kMaxConversations) {
        return specError(path, QStringLiteral("conversations"),
                         tr("1 to %1 conversations").arg(kMaxConversations));
    }
    if (spec.packets < spec.conversations)
        return specError(path, QStringLiteral("packets"),
                         tr("at least one packet per conversation (%1)").arg(spec.conversations));
    // One TCP conversation is at most twice the average long; lengths are 32-bit.
    if (spec.packets / spec.conversations > 0x7fffffffu)
        return specError(path, QStringLiteral("packets"),
                         tr("at most 2^31 packets per conversation"));
    if (spec.snaplen != 0 && spec.snaplen < 64)
        return specError(path, QStringLiteral("snaplen"), tr("0 (whole frames) or 64 and more"));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        Error error;
        error.code = ErrorCode::WriteFailed;
        error.file = path;
        error.detail = file.errorString();
        return error;
    }
    TrafficSummary summary;
    Writer writer(spec);
    if (Status status = writer.run(file, summary); !status)
        return status.error();
    if (!file.commit()) {
        Error error;
        error.code = ErrorCode::WriteFailed;
        error.file = path;
        error.detail = file.errorString();
        return error;
    }
    summary.fileBytes = std::uint64_t(QFileInfo(path).size());
    return summary;
}

} // namespace cartograph::bench
