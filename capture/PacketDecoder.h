#pragma once

#include "IpAddress.h"

#include <QString>
#include <array>
#include <bitset>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>

namespace cartograph::capture {

struct RawPacket;

// Link-layer header types as libpcap reports them (DLT_* values on Linux), the ones the decoder
// reads. Raw IP arrives as 12 (DLT_RAW; files with LINKTYPE_RAW 101 are mapped to it by
// libpcap), 14 (OpenBSD's DLT_RAW) or 101 (hand-built input); 228/229 are raw IPv4/IPv6.
namespace LinkType {
inline constexpr int Null = 0;     // BSD loopback: 4-byte address family, host byte order
inline constexpr int Ethernet = 1; // incl. 802.1Q/802.1ad tags
inline constexpr int Raw = 12;     // raw IPv4/IPv6, version from the first nibble
inline constexpr int RawOpenBsd = 14;
inline constexpr int RawLinktype = 101;
inline constexpr int Loop = 108;     // OpenBSD loopback: address family in network byte order
inline constexpr int LinuxSll = 113; // Linux cooked capture v1
inline constexpr int Ipv4 = 228;
inline constexpr int Ipv6 = 229;
inline constexpr int LinuxSll2 = 276; // Linux cooked capture v2
} // namespace LinkType

enum class TunnelType : std::uint8_t
{
    Vxlan,     // UDP 4789, 8472 (+ configured ports); inner Ethernet
    Geneve,    // UDP 6081; options skipped; inner Ethernet or IP
    IpIp,      // IP protocol 4: IPv4 inside (Calico IPIP, tunl0)
    SixInFour, // IP protocol 41: IPv6 inside (sit)
    Gre,       // IP protocol 47: IPv4/IPv6, Ethernet (0x6558), PPP (PPTP), Cisco MetaData inside
    WireGuard, // UDP 51820: encrypted, inner unknown
};
QString tunnelTypeName(TunnelType type);

// What a tunnel carried, as far as the decoder could see.
enum class TunnelPayload : std::uint8_t
{
    Ip,        // an IP packet: the flow is that inner conversation (or a deeper tunnel's)
    NonIp,     // ARP, PPP control, CDP, keepalives: the flow is the tunnel's own conversation
    Encrypted, // WireGuard: the flow is the tunnel's own conversation, inner unknown
    Damaged,   // inner headers truncated or malformed: the flow is the tunnel's own conversation
};
QString tunnelPayloadName(TunnelPayload payload);

// One level of encapsulation, as one packet crossed it (outer source → outer destination).
struct TunnelLevel
{
    IpAddress outerSrc;
    IpAddress outerDst;
    std::uint32_t key = 0;     // VXLAN/Geneve VNI, GRE key (PPTP GRE: the call ID)
    std::uint16_t udpPort = 0; // the tunnel's UDP port (VXLAN, Geneve, WireGuard); 0 for IP ones
    TunnelType type = TunnelType::Vxlan;
    bool hasKey = false;
    TunnelPayload payload = TunnelPayload::Ip;

    friend bool operator==(const TunnelLevel &, const TunnelLevel &) = default;
};

// Why a frame could not be decoded as far as its headers claim. One reason per frame: the
// first damage met. Names (malformedReasonName) are stable: they are JSON keys.
enum class MalformedReason : std::uint8_t
{
    EthernetTruncated,
    VlanTruncated,
    VlanTooDeep,
    SllTruncated,
    Sll2Truncated,
    NullTruncated,
    CiscoMetadataTruncated,
    PppoeTruncated,
    PppTruncated,
    IpBadVersion,
    Ipv4Truncated,
    Ipv4BadHeaderLength,
    Ipv4BadTotalLength,
    Ipv4LengthExceedsFrame,
    Ipv6Truncated,
    Ipv6LengthExceedsFrame,
    Ipv6ExtensionTruncated,
    Ipv6TooManyExtensions,
    TcpTruncated,
    TcpBadHeaderLength,
    UdpTruncated,
    UdpBadLength,
    UdpLengthExceedsFrame,
    SctpTruncated,
    VxlanTruncated,
    GeneveTruncated,
    GeneveOptionsTruncated,
    GreTruncated,
    TunnelTooDeep,
    Count
};
QString malformedReasonName(MalformedReason reason);
inline constexpr int kMalformedReasonCount = int(MalformedReason::Count);

inline constexpr int kMaxTunnelDepth = 4;

// What the decoder made of one frame.
struct DecodedPacket
{
    enum class Kind : std::uint8_t
    {
        Ip,          // belongs to the flow described below
        NonIp,       // ARP, STP, CDP, LLC, netlink, an unknown link type: counted only
        Undecodable, // damaged before any IP header could be read (malformed says why)
    };
    Kind kind = Kind::Undecodable;
    // Set when damage was met, whatever the kind: an Ip packet may be malformed too (its
    // transport header cut, or a tunnel whose inner packet is cut: the flow is then the
    // deepest conversation that could be read).
    std::optional<MalformedReason> malformed;

    // The conversation: the innermost IP header that was read, and its transport ports.
    IpAddress src;
    IpAddress dst;
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint8_t protocol = 0; // IP protocol number (IPv6: the upper-layer next header)
    bool hasPorts = false;     // TCP, UDP, SCTP with their header read
    bool fragment = false;     // a non-first IP fragment: no transport header in it
    std::uint8_t tcpFlags = 0; // the TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, ...)

    // Encapsulations crossed to reach the conversation, outermost first. The last level's
    // payload says whether the conversation is inside it (Ip) or is the tunnel's own (others).
    std::uint8_t tunnelCount = 0;
    std::array<TunnelLevel, kMaxTunnelDepth> tunnels{};
};

// A set of UDP ports, O(1) to test.
class PortSet
{
public:
    PortSet() = default;
    PortSet(std::initializer_list<std::uint16_t> ports)
    {
        for (std::uint16_t port : ports)
            add(port);
    }
    void add(std::uint16_t port) { m_ports.set(port); }
    void remove(std::uint16_t port) { m_ports.reset(port); }
    bool contains(std::uint16_t port) const { return m_ports.test(port); }
    bool isEmpty() const { return m_ports.none(); }

private:
    std::bitset<65536> m_ports;
};

struct DecodeOptions
{
    PortSet vxlanPorts{4789, 8472}; // IANA's and the Linux/Flannel/Cilium default
    PortSet genevePorts{6081};
    PortSet wireguardPorts{51820};
    // Decode the usual overlay packet (VXLAN or IP-in-IP over IPv4) and the usual inside of a
    // tunnel (an IPv4 TCP or UDP packet without options, fragments or anything left to
    // question) in one pass instead of through the general steps; the result is the same. Off
    // only in tests that compare the two.
    bool tunnelFastPath = true;
};

// Stateless, so one decoder serves any number of threads. Every read is bounds-checked
// against the captured length; lengths the headers claim are checked against the wire length.
class PacketDecoder
{
public:
    explicit PacketDecoder(DecodeOptions options = {});

    void decode(const RawPacket &packet, DecodedPacket &out) const;
    void decode(int linkType, std::span<const std::uint8_t> captured, std::uint32_t wireLength,
                DecodedPacket &out) const;

    const DecodeOptions &options() const { return m_options; }

private:
    DecodeOptions m_options;
};

} // namespace cartograph::capture
