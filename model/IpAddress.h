#pragma once

#include <QHashFunctions>
#include <QString>
#include <QStringView>
#include <array>
#include <compare>
#include <cstdint>
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
    static IpAddress fromV4(std::uint32_t hostOrder);
    static IpAddress fromV6(const std::array<std::uint8_t, 16> &bytes);

    // Accepts dotted quad and every RFC 4291 text form (including embedded IPv4); nothing else.
    static std::optional<IpAddress> parse(QStringView text);
    static std::optional<IpAddress> parse(std::string_view text);

    Family family() const { return m_family; }
    bool isNull() const { return m_family == Family::None; }
    bool isV4() const { return m_family == Family::V4; }
    bool isV6() const { return m_family == Family::V6; }
    int bitWidth() const { return isV4() ? 32 : 128; }

    std::uint32_t v4() const; // host order; only for isV4()
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
