#include "PacketDecoder.h"

#include "PacketSource.h"

#include <algorithm>
#include <cstring>

namespace cartograph::capture {

QString tunnelTypeName(TunnelType type)
{
    switch (type) {
    case TunnelType::Vxlan:
        return QStringLiteral("vxlan");
    case TunnelType::Geneve:
        return QStringLiteral("geneve");
    case TunnelType::IpIp:
        return QStringLiteral("ipip");
    case TunnelType::SixInFour:
        return QStringLiteral("6in4");
    case TunnelType::Gre:
        return QStringLiteral("gre");
    case TunnelType::WireGuard:
        return QStringLiteral("wireguard");
    }
    return {};
}

QString tunnelPayloadName(TunnelPayload payload)
{
    switch (payload) {
    case TunnelPayload::Ip:
        return QStringLiteral("ip");
    case TunnelPayload::NonIp:
        return QStringLiteral("non-ip");
    case TunnelPayload::Encrypted:
        return QStringLiteral("encrypted");
    case TunnelPayload::Damaged:
        return QStringLiteral("damaged");
    }
    return {};
}

QString malformedReasonName(MalformedReason reason)
{
    switch (reason) {
    case MalformedReason::EthernetTruncated:
        return QStringLiteral("ethernet-truncated");
    case MalformedReason::VlanTruncated:
        return QStringLiteral("vlan-truncated");
    case MalformedReason::VlanTooDeep:
        return QStringLiteral("vlan-too-deep");
    case MalformedReason::SllTruncated:
        return QStringLiteral("sll-truncated");
    case MalformedReason::Sll2Truncated:
        return QStringLiteral("sll2-truncated");
    case MalformedReason::NullTruncated:
        return QStringLiteral("null-truncated");
    case MalformedReason::CiscoMetadataTruncated:
        return QStringLiteral("cisco-metadata-truncated");
    case MalformedReason::PppoeTruncated:
        return QStringLiteral("pppoe-truncated");
    case MalformedReason::PppTruncated:
        return QStringLiteral("ppp-truncated");
    case MalformedReason::IpBadVersion:
        return QStringLiteral("ip-bad-version");
    case MalformedReason::Ipv4Truncated:
        return QStringLiteral("ipv4-truncated");
    case MalformedReason::Ipv4BadHeaderLength:
        return QStringLiteral("ipv4-bad-header-length");
    case MalformedReason::Ipv4BadTotalLength:
        return QStringLiteral("ipv4-bad-total-length");
    case MalformedReason::Ipv4LengthExceedsFrame:
        return QStringLiteral("ipv4-length-exceeds-frame");
    case MalformedReason::Ipv6Truncated:
        return QStringLiteral("ipv6-truncated");
    case MalformedReason::Ipv6LengthExceedsFrame:
        return QStringLiteral("ipv6-length-exceeds-frame");
    case MalformedReason::Ipv6ExtensionTruncated:
        return QStringLiteral("ipv6-extension-truncated");
    case MalformedReason::Ipv6TooManyExtensions:
        return QStringLiteral("ipv6-too-many-extensions");
    case MalformedReason::TcpTruncated:
        return QStringLiteral("tcp-truncated");
    case MalformedReason::TcpBadHeaderLength:
        return QStringLiteral("tcp-bad-header-length");
    case MalformedReason::UdpTruncated:
        return QStringLiteral("udp-truncated");
    case MalformedReason::UdpBadLength:
        return QStringLiteral("udp-bad-length");
    case MalformedReason::UdpLengthExceedsFrame:
        return QStringLiteral("udp-length-exceeds-frame");
    case MalformedReason::SctpTruncated:
        return QStringLiteral("sctp-truncated");
    case MalformedReason::VxlanTruncated:
        return QStringLiteral("vxlan-truncated");
    case MalformedReason::GeneveTruncated:
        return QStringLiteral("geneve-truncated");
    case MalformedReason::GeneveOptionsTruncated:
        return QStringLiteral("geneve-options-truncated");
    case MalformedReason::GreTruncated:
        return QStringLiteral("gre-truncated");
    case MalformedReason::TunnelTooDeep:
        return QStringLiteral("tunnel-too-deep");
    case MalformedReason::Count:
        break;
    }
    return {};
}

namespace {

// A window on a packet's bytes: `captured` of them are readable, `wire` were on the wire
// (never less than captured). Every accessor's offset is checked by the caller with has().
//
// 16 bytes, so that it travels between the decoding steps in two registers rather than through
// the stack (a frame is never longer than 4 GiB: pcap lengths are 32-bit).
struct Bytes
{
    const std::uint8_t *data = nullptr;
    std::uint32_t captured = 0;
    std::uint32_t wire = 0;

    bool has(std::size_t n) const { return n <= captured; }
    std::uint8_t u8(std::size_t at) const { return data[at]; }
    std::uint16_t u16(std::size_t at) const
    {
        return std::uint16_t((unsigned(data[at]) << 8) | data[at + 1]);
    }
    std::uint32_t u32(std::size_t at) const
    {
        return (std::uint32_t(data[at]) << 24) | (std::uint32_t(data[at + 1]) << 16) |
               (std::uint32_t(data[at + 2]) << 8) | std::uint32_t(data[at + 3]);
    }
    std::uint32_t u32le(std::size_t at) const
    {
        return (std::uint32_t(data[at + 3]) << 24) | (std::uint32_t(data[at + 2]) << 16) |
               (std::uint32_t(data[at + 1]) << 8) | std::uint32_t(data[at]);
    }
    // The bytes after the first n (n <= captured).
    Bytes after(std::size_t n) const
    {
        if (n == 0)
            return *this;
        return Bytes{data + n, captured - std::uint32_t(n), wire > n ? wire - std::uint32_t(n) : 0};
    }
    // A header declared this layer `length` bytes long: drop the padding after it. False when
    // the frame is shorter than the declaration (a lying length); the window is kept then.
    bool declare(std::size_t length)
    {
        if (length > wire)
            return false;
        wire = std::uint32_t(length);
        captured = std::min(captured, wire);
        return true;
    }
};

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kEtherQinQOld1 = 0x9100;
constexpr std::uint16_t kEtherQinQOld2 = 0x9200;
constexpr std::uint16_t kEtherCiscoMetadata = 0x8909;
constexpr std::uint16_t kEtherPppoeSession = 0x8864;
constexpr std::uint16_t kEtherTeb = 0x6558; // transparent Ethernet bridging
constexpr std::uint16_t kEtherPpp = 0x880b;

constexpr int kMaxLinkHeaders = 8; // VLAN tags, metadata headers per Ethernet frame
constexpr int kMaxIpv6Extensions = 16;

// One frame's decoding. Each step returns what it found: a flow (the packet's conversation is
// in `out`), a non-IP frame, or damage (reason flagged).
class Decoding
{
public:
    enum class Outcome
    {
        Flow,
        NonIp,
        Damaged
    };

    Decoding(const DecodeOptions &options, DecodedPacket &out)
        : m_options(options)
        , m_out(out)
    {}

    Outcome link(int linkType, Bytes b)
    {
        switch (linkType) {
        case LinkType::Ethernet:
            // Only UDP or IP-in-IP (the protocol byte, were an IPv4 header next) can be the
            // usual overlay packet: bare TCP goes on at the cost of one compare.
            if (b.has(34) && (b.u8(23) == 17 || b.u8(23) == 4) && usualOverlay(b))
                return Outcome::Flow;
            return ethernet(b);
        case LinkType::LinuxSll:
            if (!b.has(16))
                return damaged(MalformedReason::SllTruncated);
            return cookedProtocol(b.u16(2), b.u16(14), b.after(16));
        case LinkType::LinuxSll2:
            if (!b.has(20))
                return damaged(MalformedReason::Sll2Truncated);
            return cookedProtocol(b.u16(8), b.u16(0), b.after(20));
        case LinkType::Null:
            if (!b.has(4))
                return damaged(MalformedReason::NullTruncated);
            return nullFamily(nullHeaderValue(b.u32le(0)), b.after(4));
        case LinkType::Loop:
            if (!b.has(4))
                return damaged(MalformedReason::NullTruncated);
            return nullFamily(b.u32(0), b.after(4));
        case LinkType::Raw:
        case LinkType::RawOpenBsd:
        case LinkType::RawLinktype:
            return rawIp(b);
        case LinkType::Ipv4:
            return ipv4(b);
        case LinkType::Ipv6:
            return ipv6(b);
        default:
            return Outcome::NonIp;
        }
    }

private:
    Outcome damaged(MalformedReason reason)
    {
        flag(reason);
        return Outcome::Damaged;
    }
    void flag(MalformedReason reason)
    {
        if (!m_out.malformed)
            m_out.malformed = reason;
    }

    // DLT_NULL's 4-byte header is an address family in the byte order of the host that
    // captured (or, from old Linux libpcap, a byte-swapped Ethertype, or IRIX's 16-bit family):
    // the same reading as Wireshark's, for a little-endian view of the four bytes.
    static std::uint32_t nullHeaderValue(std::uint32_t header)
    {
        if (header & 0xffff0000u) {
            if ((header & 0xff000000u) == 0 && (header & 0x00ff0000u) < 0x00060000u)
                return header >> 16;
            return ((header & 0xffu) << 24) | ((header & 0xff00u) << 8) |
                   ((header >> 8) & 0xff00u) | (header >> 24);
        }
        if ((header & 0xffu) == 0 && (header & 0xff00u) < 0x0600u)
            return ((header & 0xffu) << 8) | ((header >> 8) & 0xffu);
        return header;
    }

    Outcome nullFamily(std::uint32_t value, Bytes b)
    {
        if (value > 1500) // an Ethertype
            return etherType(std::uint16_t(value), b);
        switch (value) {
        case 2: // AF_INET everywhere
            return ipv4(b);
        case 24: // AF_INET6: NetBSD, OpenBSD, BSD/OS
        case 28: // FreeBSD
        case 30: // macOS
            return ipv6(b);
        default:
            return Outcome::NonIp;
        }
    }

    Outcome ethernet(Bytes b)
    {
        if (!b.has(14))
            return damaged(MalformedReason::EthernetTruncated);
        return etherType(b.u16(12), b.after(14));
    }

    // Linux cooked captures: the protocol field is an Ethertype unless it is one of Linux's
    // small ETH_P_* pseudo values (802.3, 802.2 LLC, CAN ...), or the device is netlink.
    Outcome cookedProtocol(std::uint16_t arpHardwareType, std::uint16_t protocol, Bytes b)
    {
        constexpr std::uint16_t kArphrdNetlink = 824;
        if (arpHardwareType == kArphrdNetlink || protocol < 0x0600)
            return Outcome::NonIp;
        return etherType(protocol, b);
    }

    Outcome etherType(std::uint16_t type, Bytes b)
    {
        for (int headers = 0;; ++headers) {
            if (headers >= kMaxLinkHeaders)
                return damaged(MalformedReason::VlanTooDeep);
            switch (type) {
            case kEtherIpv4:
                return ipv4(b);
            case kEtherIpv6:
                return ipv6(b);
            case kEtherVlan:
            case kEtherQinQ:
            case kEtherQinQOld1:
            case kEtherQinQOld2:
                if (!b.has(4))
                    return damaged(MalformedReason::VlanTruncated);
                type = b.u16(2);
                b = b.after(4);
                continue;
            case kEtherCiscoMetadata: {
                // version, length (in 4-byte words of options), options, next Ethertype
                if (!b.has(2))
                    return damaged(MalformedReason::CiscoMetadataTruncated);
                const std::size_t size = 2 + std::size_t(b.u8(1)) * 4 + 2;
                if (!b.has(size))
                    return damaged(MalformedReason::CiscoMetadataTruncated);
                type = b.u16(size - 2);
                b = b.after(size);
                continue;
            }
            case kEtherPppoeSession: {
                if (!b.has(6))
                    return damaged(MalformedReason::PppoeTruncated);
                const std::size_t length = b.u16(4);
                Bytes payload = b.after(6);
                payload.declare(length); // a longer claim is only padding lost: keep going
                return ppp(payload);
            }
            default:
                return Outcome::NonIp; // ARP, LLC (type < 0x600), LLDP, loopback ...
            }
        }
    }

    Outcome ppp(Bytes b)
    {
        if (b.has(2) && b.u8(0) == 0xff && b.u8(1) == 0x03) // address and control fields
            b = b.after(2);
        if (!b.has(1))
            return damaged(MalformedReason::PppTruncated);
        std::uint16_t protocol = 0;
        if (b.u8(0) & 1) { // compressed one-byte protocol field
            protocol = b.u8(0);
            b = b.after(1);
        } else {
            if (!b.has(2))
                return damaged(MalformedReason::PppTruncated);
            protocol = b.u16(0);
            b = b.after(2);
        }
        if (protocol == 0x0021)
            return ipv4(b);
        if (protocol == 0x0057)
            return ipv6(b);
        return Outcome::NonIp; // LCP, IPCP, PAP, CHAP ...
    }

    Outcome rawIp(Bytes b)
    {
        if (!b.has(1))
            return damaged(MalformedReason::Ipv4Truncated);
        switch (b.u8(0) >> 4) {
        case 4:
            return ipv4(b);
        case 6:
            return ipv6(b);
        default:
            return damaged(MalformedReason::IpBadVersion);
        }
    }

    // The addresses are written in place (see IpAddress::setV4).
    void beginConversation(bool v6, const std::uint8_t *src, const std::uint8_t *dst,
                           std::uint8_t protocol)
    {
        if (v6) {
            m_out.src.setV6Bytes(src);
            m_out.dst.setV6Bytes(dst);
        } else {
            m_out.src.setV4Bytes(src);
            m_out.dst.setV4Bytes(dst);
        }
        m_out.protocol = protocol;
        m_out.srcPort = 0;
        m_out.dstPort = 0;
        m_out.hasPorts = false;
        m_out.fragment = false;
        m_out.tcpFlags = 0;
    }

    Outcome ipv4(Bytes b)
    {
        if (!b.has(1))
            return damaged(MalformedReason::Ipv4Truncated);
        if (b.u8(0) >> 4 != 4)
            return damaged(MalformedReason::IpBadVersion);
        if (!b.has(20))
            return damaged(MalformedReason::Ipv4Truncated);
        const std::size_t headerLength = std::size_t(b.u8(0) & 0x0f) * 4;
        if (headerLength < 20)
            return damaged(MalformedReason::Ipv4BadHeaderLength);
        if (!b.has(headerLength))
            return damaged(MalformedReason::Ipv4Truncated);
        const std::size_t totalLength = b.u16(2);
        // 0 is what segmentation offload leaves in super-packets captured on the host: the
        // frame's length stands (as Wireshark's TSO support does).
        if (totalLength != 0) {
            if (totalLength < headerLength)
                return damaged(MalformedReason::Ipv4BadTotalLength);
            if (!b.declare(totalLength))
                flag(MalformedReason::Ipv4LengthExceedsFrame);
        }
        beginConversation(false, b.data + 12, b.data + 16, b.u8(9));
        const std::uint16_t fragmentOffset = b.u16(6) & 0x1fff;
        if (fragmentOffset != 0) {
            // No transport header here: the fragment belongs to the address pair's flow.
            m_out.fragment = true;
            return Outcome::Flow;
        }
        const bool moreFragments = b.u16(6) & 0x2000;
        return transport(b.u8(9), b.after(headerLength), moreFragments);
    }

    Outcome ipv6(Bytes b)
    {
        if (!b.has(1))
            return damaged(MalformedReason::Ipv6Truncated);
        if (b.u8(0) >> 4 != 6)
            return damaged(MalformedReason::IpBadVersion);
        if (!b.has(40))
            return damaged(MalformedReason::Ipv6Truncated);
        const std::size_t payloadLength = b.u16(4);
        // 0: a jumbogram or an offloaded super-packet; the frame's length stands.
        if (payloadLength != 0 && !b.declare(40 + payloadLength))
            flag(MalformedReason::Ipv6LengthExceedsFrame);
        std::uint8_t next = b.u8(6);
        beginConversation(true, b.data + 8, b.data + 24, next);
        std::size_t offset = 40;
        bool firstFragment = false;
        for (int extensions = 0;; ++extensions) {
            switch (next) {
            case 0:    // hop-by-hop options
            case 43:   // routing
            case 60:   // destination options
            case 135:  // mobility
            case 139:  // HIP
            case 140:  // shim6
            case 44:   // fragment
            case 51: { // authentication header
                if (extensions >= kMaxIpv6Extensions) {
                    flag(MalformedReason::Ipv6TooManyExtensions);
                    m_out.protocol = next;
                    return Outcome::Flow;
                }
                if (!b.has(offset + 2)) {
                    flag(MalformedReason::Ipv6ExtensionTruncated);
                    m_out.protocol = next;
                    return Outcome::Flow;
                }
                std::size_t length = 0;
                if (next == 44)
                    length = 8;
                else if (next == 51)
                    length = (std::size_t(b.u8(offset + 1)) + 2) * 4;
                else
                    length = (std::size_t(b.u8(offset + 1)) + 1) * 8;
                if (!b.has(offset + length)) {
                    flag(MalformedReason::Ipv6ExtensionTruncated);
                    m_out.protocol = next;
                    return Outcome::Flow;
                }
                const std::uint8_t following = b.u8(offset);
                if (next == 44) {
                    if ((b.u16(offset + 2) >> 3) != 0) {
                        m_out.protocol = following;
                        m_out.fragment = true;
                        return Outcome::Flow;
                    }
                    firstFragment = (b.u16(offset + 2) & 1) != 0;
                }
                next = following;
                offset += length;
                continue;
            }
            default:
                return transport(next, b.after(offset), firstFragment);
            }
        }
    }

    // `firstFragment`: the datagram goes on in later fragments, so lengths reaching past this
    // packet are expected; its inner headers are still here and are decoded.
    Outcome transport(std::uint8_t protocol, Bytes b, bool firstFragment = false)
    {
        m_out.protocol = protocol;
        switch (protocol) {
        case 6: { // TCP: the whole header, options included, as Wireshark needs it too
            if (!b.has(20)) {
                flag(MalformedReason::TcpTruncated);
                return Outcome::Flow;
            }
            const std::size_t headerLength = std::size_t(b.u8(12) >> 4) * 4;
            if (headerLength < 20) {
                flag(MalformedReason::TcpBadHeaderLength);
                return Outcome::Flow;
            }
            if (!b.has(headerLength)) {
                flag(MalformedReason::TcpTruncated);
                return Outcome::Flow;
            }
            setPorts(b.u16(0), b.u16(2));
            m_out.tcpFlags = b.u8(13);
            return Outcome::Flow;
        }
        case 17: { // UDP
            if (!b.has(8)) {
                flag(MalformedReason::UdpTruncated);
                return Outcome::Flow;
            }
            const std::size_t length = b.u16(4);
            const bool jumbogram = length == 0 && m_out.src.isV6(); // RFC 2675
            if (length < 8 && !jumbogram) {
                flag(MalformedReason::UdpBadLength);
                return Outcome::Flow;
            }
            if (length != 0 && !b.declare(length) && !firstFragment)
                flag(MalformedReason::UdpLengthExceedsFrame);
            const std::uint16_t srcPort = b.u16(0);
            const std::uint16_t dstPort = b.u16(2);
            setPorts(srcPort, dstPort);
            // Tunnels go to their port; replies from it (some VTEPs, WireGuard peers) are
            // decoded too, as Wireshark does, the destination port taking precedence.
            const Bytes payload = b.after(8);
            for (const std::uint16_t port : {dstPort, srcPort}) {
                if (m_options.vxlanPorts.contains(port)) {
                    vxlan(payload, port);
                    break;
                }
                if (m_options.genevePorts.contains(port)) {
                    geneve(payload, port);
                    break;
                }
                if (m_options.wireguardPorts.contains(port)) {
                    wireguard(payload, port);
                    break;
                }
            }
            return Outcome::Flow;
        }
        case 132: // SCTP: common header
            if (!b.has(12)) {
                flag(MalformedReason::SctpTruncated);
                return Outcome::Flow;
            }
            setPorts(b.u16(0), b.u16(2));
            return Outcome::Flow;
        case 4:
            ipTunnel(TunnelType::IpIp, b);
            return Outcome::Flow;
        case 41:
            ipTunnel(TunnelType::SixInFour, b);
            return Outcome::Flow;
        case 47:
            gre(b);
            return Outcome::Flow;
        default: // ICMP, ICMPv6, ESP, OSPF, PIM ...: the address pair is the conversation
            return Outcome::Flow;
        }
    }

    void setPorts(std::uint16_t srcPort, std::uint16_t dstPort)
    {
        m_out.srcPort = srcPort;
        m_out.dstPort = dstPort;
        m_out.hasPorts = true;
    }

    // `from` as it was written: an IPv4 address through its four bytes. A plain copy loads the
    // sixteen address bytes at once, which the CPU cannot serve from the two 8-byte stores
    // setV4() has just made: a store-forwarding stall for every tunnelled packet.
    static void copyAddress(IpAddress &to, const IpAddress &from)
    {
        if (from.isV4())
            to.setV4(from.v4());
        else
            to = from;
    }

    // The current conversation becomes the tunnel's outer one. When the inside turns out not
    // to be an IP conversation, the outer conversation stays the flow and the level says why.
    template <typename Inner> void enterTunnel(TunnelLevel level, Inner &&inner)
    {
        if (m_out.tunnelCount >= kMaxTunnelDepth) {
            flag(MalformedReason::TunnelTooDeep);
            return;
        }
        const std::uint8_t index = m_out.tunnelCount;
        // The outer conversation, kept to fall back on (the level holds its addresses); only
        // these fields change while the inside is decoded, so the whole packet is not copied.
        const std::uint16_t srcPort = m_out.srcPort;
        const std::uint16_t dstPort = m_out.dstPort;
        const std::uint8_t protocol = m_out.protocol;
        const bool hasPorts = m_out.hasPorts;
        const bool fragment = m_out.fragment;
        const std::uint8_t tcpFlags = m_out.tcpFlags;
        // Filled in place: the level goes into the packet without a round trip over the stack.
        TunnelLevel &stored = m_out.tunnels[index];
        copyAddress(stored.outerSrc, m_out.src);
        copyAddress(stored.outerDst, m_out.dst);
        stored.key = level.key;
        stored.udpPort = level.udpPort;
        stored.type = level.type;
        stored.hasKey = level.hasKey;
        stored.payload = level.payload;
        m_out.tunnelCount = index + 1;
        const Outcome outcome = inner();
        if (outcome == Outcome::Flow)
            return;
        m_out.src = stored.outerSrc;
        m_out.dst = stored.outerDst;
        m_out.srcPort = srcPort;
        m_out.dstPort = dstPort;
        m_out.protocol = protocol;
        m_out.hasPorts = hasPorts;
        m_out.fragment = fragment;
        m_out.tcpFlags = tcpFlags;
        m_out.tunnels[index].payload =
            outcome == Outcome::NonIp ? TunnelPayload::NonIp : TunnelPayload::Damaged;
        m_out.tunnelCount = index + 1;
    }

    // The usual inside of a tunnel: an IPv4 TCP or UDP packet that the general steps would
    // decode as a complete conversation with nothing flagged and no deeper tunnel. `inner`
    // starts at the inner Ethernet header when `ethernetInside`, else at the inner IP header.
    struct Inside
    {
        const std::uint8_t *ip = nullptr;
        std::uint8_t protocol = 0;
        std::uint16_t srcPort = 0;
        std::uint16_t dstPort = 0;
        std::uint8_t tcpFlags = 0;
    };
    bool usualInside(Bytes inner, bool ethernetInside, Inside &inside) const
    {
        Bytes ip = inner;
        if (ethernetInside) {
            if (!inner.has(14) || inner.u16(12) != kEtherIpv4)
                return false;
            ip = inner.after(14);
        }
        // Version 4 without options; a total length within the frame; not a fragment.
        if (!ip.has(20) || ip.u8(0) != 0x45)
            return false;
        const std::size_t totalLength = ip.u16(2);
        if (totalLength < 20 || !ip.declare(totalLength) || (ip.u16(6) & 0x3fff) != 0)
            return false;
        const std::uint8_t protocol = ip.u8(9);
        Bytes transport = ip.after(20);
        if (protocol == 6) {
            if (!transport.has(20))
                return false;
            const std::size_t headerLength = std::size_t(transport.u8(12) >> 4) * 4;
            if (headerLength < 20 || !transport.has(headerLength))
                return false;
            inside.tcpFlags = transport.u8(13);
        } else if (protocol == 17) {
            if (!transport.has(8))
                return false;
            const std::size_t length = transport.u16(4);
            if (length < 8 || !transport.declare(length) || isTunnelPort(transport.u16(0)) ||
                isTunnelPort(transport.u16(2)))
                return false; // flagged, or a tunnel inside the tunnel
            inside.tcpFlags = 0;
        } else {
            return false;
        }
        inside.ip = ip.data;
        inside.protocol = protocol;
        inside.srcPort = transport.u16(0);
        inside.dstPort = transport.u16(2);
        return true;
    }
    bool isTunnelPort(std::uint16_t port) const
    {
        return m_options.vxlanPorts.contains(port) || m_options.genevePorts.contains(port) ||
               m_options.wireguardPorts.contains(port);
    }
    // The level (outer addresses apart) and the inside's conversation, as enterTunnel() and the
    // steps after it leave them for such a packet.
    void enterUsualInside(TunnelLevel &stored, const TunnelLevel &level, const Inside &inside)
    {
        stored.key = level.key;
        stored.udpPort = level.udpPort;
        stored.type = level.type;
        stored.hasKey = level.hasKey;
        stored.payload = TunnelPayload::Ip;
        ++m_out.tunnelCount;
        beginConversation(false, inside.ip + 12, inside.ip + 16, inside.protocol);
        setPorts(inside.srcPort, inside.dstPort);
        m_out.tcpFlags = inside.tcpFlags;
    }

    // A tunnel met on the general steps' way whose inside is the usual one: entered in one
    // pass instead of through enterTunnel() and the steps again.
    bool usualTunnel(const TunnelLevel &level, Bytes inner, bool ethernetInside)
    {
        Inside inside;
        if (!m_options.tunnelFastPath || m_out.tunnelCount >= kMaxTunnelDepth ||
            !usualInside(inner, ethernetInside, inside))
            return false;
        TunnelLevel &stored = m_out.tunnels[m_out.tunnelCount];
        copyAddress(stored.outerSrc, m_out.src);
        copyAddress(stored.outerDst, m_out.dst);
        enterUsualInside(stored, level, inside);
        return true;
    }

    // An overlay's own packet, the bulk of a node's underlay traffic: Ethernet, IPv4 without
    // options, then UDP to a VXLAN port and VXLAN, or IP-in-IP, around the usual inside (see
    // usualInside()); the caller has seen 34 bytes or more and UDP or IP-in-IP in the protocol
    // byte. Through the general steps such a packet costs more than twice a bare one's decoding
    // (two conversations begun, the outer one kept to fall back on, every step's checks twice:
    // 540 instructions against 230); here it is one pass, 310. Anything else (a flag the general
    // steps would raise included) returns false with nothing written, for them to decode;
    // where this path decodes, the result is theirs. (tst_capture compares the two packet by
    // packet.) Out of line, so that link()'s path for bare frames stays as it was.
    [[gnu::noinline]] bool usualOverlay(Bytes b)
    {
        // Bare UDP (to a port other than VXLAN's) is turned away first.
        const std::uint8_t protocol = b.u8(23);
        if (protocol == 17 && (!b.has(50) || !m_options.vxlanPorts.contains(b.u16(36))))
            return false; // (VXLAN's header included)
        if (!m_options.tunnelFastPath || b.u16(12) != kEtherIpv4 || b.u8(14) != 0x45)
            return false;
        Bytes ip = b.after(14);
        const std::size_t totalLength = ip.u16(2);
        if (totalLength < 20 || !ip.declare(totalLength) || (ip.u16(6) & 0x3fff) != 0)
            return false;
        TunnelLevel level;
        Bytes inner = ip.after(20);
        bool ethernetInside = false;
        if (protocol == 17) {
            Bytes udp = inner;
            if (!udp.has(16))
                return false; // cut within the length the IP header declares
            const std::size_t length = udp.u16(4);
            if (length < 8 || !udp.declare(length) || !udp.has(16))
                return false;
            level.type = TunnelType::Vxlan;
            level.udpPort = udp.u16(2);
            level.key = udp.u32(12) >> 8;
            level.hasKey = true;
            inner = udp.after(16);
            ethernetInside = true;
        } else {
            level.type = TunnelType::IpIp;
        }
        Inside inside;
        if (!usualInside(inner, ethernetInside, inside))
            return false;
        TunnelLevel &stored = m_out.tunnels[0];
        stored.outerSrc.setV4Bytes(ip.data + 12);
        stored.outerDst.setV4Bytes(ip.data + 16);
        enterUsualInside(stored, level, inside);
        return true;
    }

    void vxlan(Bytes b, std::uint16_t port)
    {
        // flags, reserved (3), VNI (3), reserved; inner Ethernet. Flags are not checked, as
        // Wireshark does not: a configured VXLAN port carries VXLAN. A cut header still makes
        // the packet tunnel traffic (damaged, VNI unknown).
        TunnelLevel level;
        level.type = TunnelType::Vxlan;
        level.udpPort = port;
        if (b.has(8)) {
            level.key = b.u32(4) >> 8;
            level.hasKey = true;
            if (usualTunnel(level, b.after(8), true))
                return;
        }
        enterTunnel(level, [&] {
            if (!b.has(8))
                return damaged(MalformedReason::VxlanTruncated);
            return ethernet(b.after(8));
        });
    }

    void geneve(Bytes b, std::uint16_t port)
    {
        // version (2 bits), options length (6 bits, 4-byte words), flags, protocol type, VNI
        if (b.has(1) && b.u8(0) >> 6 != 0)
            return; // not a Geneve version we know: plain UDP
        TunnelLevel level;
        level.type = TunnelType::Geneve;
        level.udpPort = port;
        if (b.has(8)) {
            level.key = b.u32(4) >> 8;
            level.hasKey = true;
        }
        if (b.has(8)) {
            const std::size_t headerLength = 8 + std::size_t(b.u8(0) & 0x3f) * 4;
            const std::uint16_t protocol = b.u16(2);
            if (b.has(headerLength) && (protocol == kEtherTeb || protocol == kEtherIpv4) &&
                usualTunnel(level, b.after(headerLength), protocol == kEtherTeb))
                return;
        }
        enterTunnel(level, [&] {
            if (!b.has(8))
                return damaged(MalformedReason::GeneveTruncated);
            const std::size_t headerLength = 8 + std::size_t(b.u8(0) & 0x3f) * 4;
            const std::uint16_t protocol = b.u16(2);
            if (!b.has(headerLength))
                return damaged(MalformedReason::GeneveOptionsTruncated);
            const Bytes inner = b.after(headerLength);
            return protocol == kEtherTeb ? ethernet(inner) : etherType(protocol, inner);
        });
    }

    void wireguard(Bytes b, std::uint16_t port)
    {
        // Message type 1..4 followed by three reserved zero bytes; anything else on the port
        // is left as plain UDP.
        if (!b.has(4) || b.u8(0) < 1 || b.u8(0) > 4 || b.u8(1) != 0 || b.u8(2) != 0 || b.u8(3) != 0)
            return;
        if (m_out.tunnelCount >= kMaxTunnelDepth) {
            flag(MalformedReason::TunnelTooDeep);
            return;
        }
        // The UDP conversation itself is the flow; the level marks it as a tunnel.
        TunnelLevel &level = m_out.tunnels[m_out.tunnelCount++];
        level = TunnelLevel{};
        level.type = TunnelType::WireGuard;
        level.outerSrc = m_out.src;
        level.outerDst = m_out.dst;
        level.udpPort = port;
        level.payload = TunnelPayload::Encrypted;
    }

    void ipTunnel(TunnelType type, Bytes b)
    {
        TunnelLevel level;
        level.type = type;
        if (type == TunnelType::IpIp && usualTunnel(level, b, false))
            return;
        enterTunnel(level, [&] { return type == TunnelType::IpIp ? ipv4(b) : ipv6(b); });
    }

    void gre(Bytes b)
    {
        if (!b.has(4)) {
            flag(MalformedReason::GreTruncated);
            return;
        }
        const std::uint16_t flags = b.u16(0);
        const std::uint16_t protocol = b.u16(2);
        const int version = flags & 0x7;
        std::size_t headerLength = 4;
        bool emptyPayload = false;
        TunnelLevel level;
        level.type = TunnelType::Gre;
        if (version == 0) {
            if (flags & 0x4000)
                return; // source routing (RFC 1701): not decoded, the GRE packet is the flow
            if (flags & 0x8000) // checksum and reserved
                headerLength += 4;
            if (flags & 0x2000) { // key
                if (!b.has(headerLength + 4)) {
                    flag(MalformedReason::GreTruncated);
                    return;
                }
                level.key = b.u32(headerLength);
                level.hasKey = true;
                headerLength += 4;
            }
            if (flags & 0x1000) // sequence number
                headerLength += 4;
        } else if (version == 1) {
            // Enhanced GRE (PPTP, RFC 2637): key = payload length + call ID, always present.
            if (!(flags & 0x2000) || protocol != kEtherPpp)
                return;
            if (!b.has(8)) {
                flag(MalformedReason::GreTruncated);
                return;
            }
            level.key = b.u16(6);
            level.hasKey = true;
            emptyPayload = b.u16(4) == 0; // an acknowledgment without data
            headerLength = 8;
            if (flags & 0x1000) // sequence number
                headerLength += 4;
            if (flags & 0x0080) // acknowledgment number
                headerLength += 4;
        } else {
            return;
        }
        if (!b.has(headerLength)) {
            flag(MalformedReason::GreTruncated);
            return;
        }
        const Bytes inner = b.after(headerLength);
        enterTunnel(level, [&] {
            if (emptyPayload)
                return Outcome::NonIp;
            switch (protocol) {
            case kEtherTeb:
                return ethernet(inner);
            case kEtherPpp:
                return ppp(inner);
            case kEtherCiscoMetadata: {
                // In GRE the next Ethertype comes first: type, version, length, options.
                if (!inner.has(4))
                    return damaged(MalformedReason::CiscoMetadataTruncated);
                const std::size_t size = 4 + std::size_t(inner.u8(3)) * 4;
                if (!inner.has(size))
                    return damaged(MalformedReason::CiscoMetadataTruncated);
                return etherType(inner.u16(0), inner.after(size));
            }
            default:
                return etherType(protocol, inner);
            }
        });
    }

    const DecodeOptions &m_options;
    DecodedPacket &m_out;
};

} // namespace

PacketDecoder::PacketDecoder(DecodeOptions options)
    : m_options(std::move(options))
{}

void PacketDecoder::decode(const RawPacket &packet, DecodedPacket &out) const
{
    decode(packet.linkType, packet.data, packet.wireLength, out);
}

void PacketDecoder::decode(int linkType, std::span<const std::uint8_t> captured,
                           std::uint32_t wireLength, DecodedPacket &out) const
{
    out.kind = DecodedPacket::Kind::Undecodable;
    out.malformed.reset();
    out.tunnelCount = 0;
    out.src = {};
    out.dst = {};
    out.srcPort = 0;
    out.dstPort = 0;
    out.protocol = 0;
    out.hasPorts = false;
    out.fragment = false;
    out.tcpFlags = 0;
    const auto capturedLength = std::uint32_t(std::min<std::size_t>(captured.size(), UINT32_MAX));
    const Bytes bytes{captured.data(), capturedLength, std::max(wireLength, capturedLength)};
    Decoding decoding(m_options, out);
    switch (decoding.link(linkType, bytes)) {
    case Decoding::Outcome::Flow:
        out.kind = DecodedPacket::Kind::Ip;
        break;
    case Decoding::Outcome::NonIp:
        out.kind = DecodedPacket::Kind::NonIp;
        break;
    case Decoding::Outcome::Damaged:
        out.kind = DecodedPacket::Kind::Undecodable;
        break;
    }
}

} // namespace cartograph::capture
