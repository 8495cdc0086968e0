#pragma once

// Hand-built frames and pcap files for the capture tests: every header written field by field,
// so a test says exactly which bytes the decoder sees. Shared by tst_capture (decoder and flow
// unit tests) and tst_capture_tshark (the same packets checked against tshark).

#include "IpAddress.h"

#include <QByteArray>
#include <QList>
#include <cstdint>
#include <optional>
#include <string_view>

namespace captest {

inline QByteArray be16(unsigned value)
{
    QByteArray b(2, '\0');
    b[0] = char((value >> 8) & 0xff);
    b[1] = char(value & 0xff);
    return b;
}

inline QByteArray be32(std::uint32_t value)
{
    return be16(value >> 16) + be16(value & 0xffff);
}

inline QByteArray le16(unsigned value)
{
    QByteArray b(2, '\0');
    b[0] = char(value & 0xff);
    b[1] = char((value >> 8) & 0xff);
    return b;
}

inline QByteArray le32(std::uint32_t value)
{
    return le16(value & 0xffff) + le16(value >> 16);
}

inline QByteArray filler(int size, char seed = 'a')
{
    QByteArray b;
    for (int i = 0; i < size; ++i)
        b.append(char(seed + i % 26));
    return b;
}

inline cartograph::IpAddress ip(std::string_view text)
{
    const auto parsed = cartograph::IpAddress::parse(text);
    if (!parsed)
        qFatal("test bug: bad address %.*s", int(text.size()), text.data());
    return *parsed;
}

inline QByteArray addressBytes(std::string_view text)
{
    const cartograph::IpAddress address = ip(text);
    const auto &bytes = address.bytes();
    if (address.isV4())
        return QByteArray(reinterpret_cast<const char *>(bytes.data()) + 12, 4);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), 16);
}

inline std::uint16_t internetChecksum(const QByteArray &data)
{
    std::uint32_t sum = 0;
    for (qsizetype i = 0; i + 1 < data.size(); i += 2)
        sum += (std::uint32_t(std::uint8_t(data[i])) << 8) | std::uint8_t(data[i + 1]);
    if (data.size() % 2)
        sum += std::uint32_t(std::uint8_t(data.back())) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return std::uint16_t(~sum);
}

constexpr std::uint16_t kIpv4 = 0x0800;
constexpr std::uint16_t kIpv6 = 0x86dd;
constexpr std::uint16_t kArp = 0x0806;

inline QByteArray mac(int n)
{
    return QByteArray::fromHex("02000000") + be16(unsigned(n));
}

inline QByteArray ethernet(std::uint16_t type, const QByteArray &payload, int dst = 2, int src = 1)
{
    return mac(dst) + mac(src) + be16(type) + payload;
}

// Ethernet with 802.1Q / 802.1ad tags, outermost first: {tpid, vlan id}.
inline QByteArray ethernetTagged(const QList<std::pair<std::uint16_t, std::uint16_t>> &tags,
                                 std::uint16_t type, const QByteArray &payload)
{
    QByteArray frame = mac(2) + mac(1);
    for (const auto &[tpid, vid] : tags)
        frame += be16(tpid) + be16(vid);
    return frame + be16(type) + payload;
}

inline QByteArray arpRequest()
{
    return be16(1) + be16(kIpv4) + QByteArray::fromHex("0604") + be16(1) + mac(1) +
           addressBytes("10.0.0.1") + QByteArray(6, '\0') + addressBytes("10.0.0.2");
}

struct Ipv4Options
{
    std::uint16_t id = 0x1234;
    bool moreFragments = false;
    std::uint16_t fragmentOffset = 0; // in 8-byte units
    int optionWords = 0;              // IHL beyond 5
    std::optional<int> totalLength;   // override (lying lengths)
    std::optional<int> headerWords;   // override of the IHL field
};

inline QByteArray ipv4(std::string_view src, std::string_view dst, std::uint8_t protocol,
                       const QByteArray &payload, const Ipv4Options &o = {})
{
    const int headerLength = 20 + 4 * o.optionWords;
    QByteArray h;
    h.append(char(0x40 | ((o.headerWords ? *o.headerWords : headerLength / 4) & 0x0f)));
    h.append('\0');
    h += be16(unsigned(o.totalLength ? *o.totalLength : headerLength + payload.size()));
    h += be16(o.id);
    h += be16((o.moreFragments ? 0x2000u : 0u) | (o.fragmentOffset & 0x1fff));
    h.append(char(64));
    h.append(char(protocol));
    h += be16(0);
    h += addressBytes(src) + addressBytes(dst);
    for (int i = 0; i < o.optionWords; ++i)
        h += QByteArray::fromHex("01010101"); // NOPs
    const std::uint16_t checksum = internetChecksum(h);
    h[10] = char(checksum >> 8);
    h[11] = char(checksum & 0xff);
    return h + payload;
}

inline QByteArray ipv6(std::string_view src, std::string_view dst, std::uint8_t nextHeader,
                       const QByteArray &payload, std::optional<int> payloadLength = {})
{
    return QByteArray::fromHex("60000000") +
           be16(unsigned(payloadLength.value_or(payload.size()))) +
           QByteArray(1, char(nextHeader)) + QByteArray(1, char(64)) + addressBytes(src) +
           addressBytes(dst) + payload;
}

// A generic IPv6 extension header (hop-by-hop 0, routing 43, destination options 60) of
// 8 * (lengthUnits + 1) bytes, padded with PadN.
inline QByteArray ipv6Extension(std::uint8_t nextHeader, int lengthUnits = 0)
{
    QByteArray h(1, char(nextHeader));
    h.append(char(lengthUnits));
    const int padding = 8 * (lengthUnits + 1) - 2;
    h.append(char(1)); // PadN
    h.append(char(padding - 2));
    h += QByteArray(padding - 2, '\0');
    return h;
}

inline QByteArray ipv6Fragment(std::uint8_t nextHeader, std::uint16_t offsetUnits, bool more,
                               std::uint32_t id = 0xabcd)
{
    return QByteArray(1, char(nextHeader)) + QByteArray(1, '\0') +
           be16(unsigned(offsetUnits << 3) | (more ? 1u : 0u)) + be32(id);
}

inline QByteArray ipv6AuthenticationHeader(std::uint8_t nextHeader)
{
    // payload length 4 → (4 + 2) * 4 = 24 bytes: next, length, reserved, SPI, sequence, ICV
    return QByteArray(1, char(nextHeader)) + QByteArray(1, char(4)) + be16(0) + be32(0x100) +
           be32(1) + QByteArray(12, '\x5a');
}

constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kPsh = 0x08;
constexpr std::uint8_t kAck = 0x10;

inline QByteArray tcp(std::uint16_t src, std::uint16_t dst, std::uint8_t flags,
                      const QByteArray &payload = {}, int optionWords = 0,
                      std::optional<int> dataOffsetWords = {})
{
    QByteArray h = be16(src) + be16(dst) + be32(1000) + be32(flags & kAck ? 2000 : 0);
    h.append(char(((dataOffsetWords ? *dataOffsetWords : 5 + optionWords) & 0x0f) << 4));
    h.append(char(flags));
    h += be16(65535) + be16(0) + be16(0);
    for (int i = 0; i < optionWords; ++i)
        h += QByteArray::fromHex("01010101");
    return h + payload;
}

inline QByteArray udp(std::uint16_t src, std::uint16_t dst, const QByteArray &payload,
                      std::optional<int> length = {})
{
    return be16(src) + be16(dst) + be16(unsigned(length.value_or(8 + payload.size()))) + be16(0) +
           payload;
}

inline QByteArray icmpEcho(std::uint16_t id, std::uint16_t sequence, bool reply = false)
{
    return QByteArray(1, char(reply ? 0 : 8)) + QByteArray(1, '\0') + be16(0) + be16(id) +
           be16(sequence) + filler(16);
}

inline QByteArray icmpv6Echo(std::uint16_t id, std::uint16_t sequence, bool reply = false)
{
    return QByteArray(1, char(reply ? 129 : 128)) + QByteArray(1, '\0') + be16(0) + be16(id) +
           be16(sequence) + filler(16);
}

inline QByteArray sctpInit(std::uint16_t src, std::uint16_t dst)
{
    // common header, then an INIT chunk (type 1, length 20)
    return be16(src) + be16(dst) + be32(0) + be32(0) + QByteArray(1, char(1)) +
           QByteArray(1, '\0') + be16(20) + be32(0x11223344) + be32(65536) + be16(10) + be16(10) +
           be32(1);
}

inline QByteArray vxlan(std::uint32_t vni, const QByteArray &innerFrame)
{
    return QByteArray::fromHex("08000000") + be32(vni << 8) + innerFrame;
}

// Geneve with `optionWords` 4-byte words of options (one TLV option class 0x0102 type 0x80).
inline QByteArray geneve(std::uint32_t vni, std::uint16_t protocol, const QByteArray &inner,
                         int optionWords = 0)
{
    QByteArray h;
    h.append(char(optionWords & 0x3f));
    h.append(char(optionWords ? 0x40 : 0x00)); // critical options present
    h += be16(protocol) + be32(vni << 8);
    if (optionWords > 0) {
        h += be16(0x0102) + QByteArray(1, char(0x80)) +
             QByteArray(1, char((optionWords - 1) & 0x1f));
        h += filler(4 * (optionWords - 1), 'G');
    }
    return h + inner;
}

struct GreOptions
{
    bool checksum = false;
    std::optional<std::uint32_t> key;
    std::optional<std::uint32_t> sequence;
};

inline QByteArray gre(std::uint16_t protocol, const QByteArray &payload, const GreOptions &o = {})
{
    unsigned flags = 0;
    if (o.checksum)
        flags |= 0x8000;
    if (o.key)
        flags |= 0x2000;
    if (o.sequence)
        flags |= 0x1000;
    QByteArray h = be16(flags) + be16(protocol);
    if (o.checksum)
        h += be16(0) + be16(0);
    if (o.key)
        h += be32(*o.key);
    if (o.sequence)
        h += be32(*o.sequence);
    return h + payload;
}

// Enhanced GRE (PPTP): version 1, PPP inside, key = payload length + call ID.
inline QByteArray grePptp(std::uint16_t callId, const QByteArray &ppp,
                          std::optional<std::uint32_t> sequence = {},
                          std::optional<std::uint32_t> ack = {})
{
    unsigned flags = 0x2001;
    if (sequence)
        flags |= 0x1000;
    if (ack)
        flags |= 0x0080;
    QByteArray h = be16(flags) + be16(0x880b) + be16(unsigned(ppp.size())) + be16(callId);
    if (sequence)
        h += be32(*sequence);
    if (ack)
        h += be32(*ack);
    return h + ppp;
}

inline QByteArray pppIpv4(const QByteArray &packet)
{
    return QByteArray::fromHex("ff030021") + packet;
}

inline QByteArray wireguard(std::uint8_t type, int size)
{
    return QByteArray(1, char(type)) + QByteArray(3, '\0') + filler(size - 4, 'W');
}

inline QByteArray sll(std::uint16_t protocol, const QByteArray &payload)
{
    // packet type 0 (to us), ARPHRD_ETHER, address length 6, address (8 bytes), protocol
    return be16(0) + be16(1) + be16(6) + mac(7) + QByteArray(2, '\0') + be16(protocol) + payload;
}

inline QByteArray sll2(std::uint16_t protocol, const QByteArray &payload)
{
    // protocol, reserved, interface index, ARPHRD_ETHER, packet type, address length, address
    return be16(protocol) + be16(0) + be32(2) + be16(1) + QByteArray(1, '\0') +
           QByteArray(1, char(6)) + mac(7) + QByteArray(2, '\0') + payload;
}

inline QByteArray nullHeader(std::uint32_t family, bool littleEndian)
{
    return littleEndian ? le32(family) : be32(family);
}

// libpcap link-layer types as written in files (LINKTYPE_*).
namespace linktype {
constexpr std::uint32_t Null = 0;
constexpr std::uint32_t Ethernet = 1;
constexpr std::uint32_t Raw = 101;
constexpr std::uint32_t Loop = 108;
constexpr std::uint32_t LinuxSll = 113;
constexpr std::uint32_t Ipv4 = 228;
constexpr std::uint32_t Ipv6 = 229;
constexpr std::uint32_t LinuxSll2 = 276;
} // namespace linktype

struct Record
{
    std::int64_t timestampUs = 0;
    QByteArray data;        // the captured bytes
    std::uint32_t wire = 0; // 0: data.size()
};

// A classic little-endian, microsecond pcap file.
inline QByteArray pcapFile(std::uint32_t linkType, const QList<Record> &records,
                           std::uint32_t snaplen = 262144)
{
    QByteArray file =
        le32(0xa1b2c3d4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(snaplen) + le32(linkType);
    for (const Record &r : records) {
        file += le32(std::uint32_t(r.timestampUs / 1000000)) +
                le32(std::uint32_t(r.timestampUs % 1000000)) + le32(std::uint32_t(r.data.size())) +
                le32(r.wire ? r.wire : std::uint32_t(r.data.size())) + r.data;
    }
    return file;
}

} // namespace captest
