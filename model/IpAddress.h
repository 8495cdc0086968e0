#pragma once

#include <QHashFunctions>
#include <QString>
#include <QStringView>
#include <QtEndian>
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>

namespace cartograph {

// An IPv4 or IPv6 address held in 16 bytes (IPv4 in the low 4). Value type, no allocation.
class IpAddress
{
public:
    enum class Family : std::uint8_t
    {
        None,
        V4,
        V6
    };

    IpAddress() = default;
    // Inline and written as whole words: the packet decoder builds two addresses per IP header,
    // and byte-wise stores read back as words (hashing, comparing, copying) stall the CPU.
    static IpAddress fromV4(std::uint32_t hostOrder)
    {
        IpAddress a;
        a.setV4(hostOrder);
        return a;
    }
    // The 4 bytes at `networkOrder`, most significant first (as in an IPv4 header).
    static IpAddress fromV4Bytes(const std::uint8_t *networkOrder)
    {
        return fromV4(qFromBigEndian<std::uint32_t>(networkOrder));
    }
    static IpAddress fromV6(const std::array<std::uint8_t, 16> &bytes)
    {
        IpAddress a;
        a.setV6Bytes(bytes.data());
        return a;
    }
    // The 16 bytes at `networkOrder` (as in an IPv6 header).
    static IpAddress fromV6Bytes(const std::uint8_t *networkOrder)
    {
        IpAddress a;
        a.setV6Bytes(networkOrder);
        return a;
    }

    // The same in place, for code that overwrites an address per packet: a temporary copied
    // in would be written and read back in differently sized pieces, which stalls the CPU.
    // Bytes 0-7 and 8-15 are stored as two words, as word-wise readers (hashing, comparing)
    // load them.
    void setV4(std::uint32_t hostOrder)
    {
        m_family = Family::V4;
        const std::uint64_t zero = 0;
        const std::uint64_t low = qToBigEndian(std::uint64_t(hostOrder));
        std::memcpy(m_bytes.data(), &zero, sizeof zero);
        std::memcpy(m_bytes.data() + 8, &low, sizeof low);
    }
    void setV4Bytes(const std::uint8_t *networkOrder)
    {
        setV4(qFromBigEndian<std::uint32_t>(networkOrder));
    }
    void setV6Bytes(const std::uint8_t *networkOrder)
    {
        m_family = Family::V6;
        std::uint64_t words[2];
        std::memcpy(words, networkOrder, sizeof words);
        std::memcpy(m_bytes.data(), &words[0], sizeof words[0]);
        std::memcpy(m_bytes.data() + 8, &words[1], sizeof words[1]);
    }

    // Accepts dotted quad and every RFC 4291 text form (including embedded IPv4); nothing else.
    static std::optional<IpAddress> parse(QStringView text);
    static std::optional<IpAddress> parse(std::string_view text);

    Family family() const { return m_family; }
    bool isNull() const { return m_family == Family::None; }
    bool isV4() const { return m_family == Family::V4; }
    bool isV6() const { return m_family == Family::V6; }
    int bitWidth() const { return isV4() ? 32 : 128; }

    std::uint32_t v4() const // host order; only for isV4()
    {
        std::uint32_t networkOrder;
        std::memcpy(&networkOrder, m_bytes.data() + 12, sizeof networkOrder);
        return qFromBigEndian(networkOrder);
    }
    const std::array<std::uint8_t, 16> &bytes() const { return m_bytes; }

    // Bit i counted from the most significant bit of the address.
    bool bit(int i) const;
    IpAddress masked(int prefixLength) const;

    QString toString() const;

    friend bool operator==(const IpAddress &, const IpAddress &) = default;
    // Family first (all IPv4 before all IPv6), then numeric order.
    friend std::strong_ordering operator<=>(const IpAddress &, const IpAddress &) = default;

private:
    Family m_family = Family::None;
    std::array<std::uint8_t, 16> m_bytes{};
};

size_t qHash(const IpAddress &address, size_t seed = 0) noexcept;

// A network prefix such as 10.244.1.0/24 or fd00:10:244::/64.
class Cidr
{
public:
    Cidr() = default;
    Cidr(IpAddress network, int prefixLength);

    // "10.244.0.0/16"; a bare address is taken as a host route (/32, /128) only when allowBare.
    static std::optional<Cidr> parse(QStringView text, bool allowBare = false);

    const IpAddress &network() const { return m_network; }
    int prefixLength() const { return m_prefixLength; }
    bool isNull() const { return m_network.isNull(); }
    bool contains(const IpAddress &address) const;
    bool contains(const Cidr &other) const;
    QString toString() const;

    friend bool operator==(const Cidr &, const Cidr &) = default;
    friend std::strong_ordering operator<=>(const Cidr &, const Cidr &) = default;

private:
    IpAddress m_network;
    int m_prefixLength = 0;
};

size_t qHash(const Cidr &cidr, size_t seed = 0) noexcept;

} // namespace cartograph
