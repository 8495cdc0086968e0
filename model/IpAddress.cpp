#include "IpAddress.h"

#include <arpa/inet.h>
#include <cstring>

namespace cartograph {

std::optional<IpAddress> IpAddress::parse(std::string_view text)
{
    // inet_pton wants a NUL-terminated string; addresses are short, keep it on the stack.
    char buffer[64];
    // inet_pton stops at a NUL; "1.2.3.4\0junk" must not pass as 1.2.3.4.
    if (text.empty() || text.size() >= sizeof buffer || text.find('\0') != std::string_view::npos)
        return std::nullopt;
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    if (text.find(':') == std::string_view::npos) {
        in_addr v4{};
        if (inet_pton(AF_INET, buffer, &v4) != 1)
            return std::nullopt;
        return fromV4(ntohl(v4.s_addr));
    }
    std::array<std::uint8_t, 16> bytes{};
    if (inet_pton(AF_INET6, buffer, bytes.data()) != 1)
        return std::nullopt;
    return fromV6(bytes);
}

std::optional<IpAddress> IpAddress::parse(QStringView text)
{
    char buffer[64];
    if (text.isEmpty() || text.size() >= qsizetype(sizeof buffer))
        return std::nullopt;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c > 0x7f)
            return std::nullopt;
        buffer[i] = char(c);
    }
    return parse(std::string_view(buffer, size_t(text.size())));
}

bool IpAddress::bit(int i) const
{
    const int offset = isV4() ? 96 + i : i;
    return (m_bytes[size_t(offset / 8)] >> (7 - offset % 8)) & 1;
}

IpAddress IpAddress::masked(int prefixLength) const
{
    IpAddress result = *this;
    const int start = isV4() ? 96 : 0;
    const int keep = start + prefixLength;
    for (int byte = 0; byte < 16; ++byte) {
        const int bitsBefore = byte * 8;
        if (bitsBefore + 8 <= keep)
            continue;
        if (bitsBefore >= keep) {
            result.m_bytes[size_t(byte)] = 0;
        } else {
            const int keepBits = keep - bitsBefore;
            result.m_bytes[size_t(byte)] &= std::uint8_t(0xff << (8 - keepBits));
        }
    }
    return result;
}

QString IpAddress::toString() const
{
    char buffer[INET6_ADDRSTRLEN] = {};
    if (isV4()) {
        in_addr v4{};
        v4.s_addr = htonl(this->v4());
        inet_ntop(AF_INET, &v4, buffer, sizeof buffer);
    } else if (isV6()) {
        inet_ntop(AF_INET6, m_bytes.data(), buffer, sizeof buffer);
    } else {
        return {};
    }
    return QString::fromLatin1(buffer);
}

size_t qHash(const IpAddress &address, size_t seed) noexcept
{
    return qHashBits(address.bytes().data(), address.bytes().size(),
                     seed ^ size_t(address.family()));
}

Cidr::Cidr(IpAddress network, int prefixLength)
    : m_network(network.masked(prefixLength))
    , m_prefixLength(prefixLength)
{}

std::optional<Cidr> Cidr::parse(QStringView text, bool allowBare)
{
    const qsizetype slash = text.indexOf(u'/');
    if (slash < 0) {
        if (!allowBare)
            return std::nullopt;
        const auto address = IpAddress::parse(text);
        if (!address)
            return std::nullopt;
        return Cidr(*address, address->bitWidth());
    }
    const auto address = IpAddress::parse(text.left(slash));
    if (!address)
        return std::nullopt;
    const QStringView lengthText = text.mid(slash + 1);
    if (lengthText.isEmpty() || lengthText.size() > 3)
        return std::nullopt;
    // ASCII digits only (QChar::isDigit also accepts Arabic-Indic and fullwidth digits), and no
    // leading zeros, as Go's net.ParseCIDR that Kubernetes validates with.
    if (lengthText.size() > 1 && lengthText[0] == u'0')
        return std::nullopt;
    int length = 0;
    for (QChar c : lengthText) {
        if (c.unicode() < u'0' || c.unicode() > u'9')
            return std::nullopt;
        length = length * 10 + (c.unicode() - u'0');
    }
    if (length > address->bitWidth())
        return std::nullopt;
    return Cidr(*address, length);
}

bool Cidr::contains(const IpAddress &address) const
{
    if (address.family() != m_network.family() || isNull())
        return false;
    return address.masked(m_prefixLength) == m_network;
}

bool Cidr::contains(const Cidr &other) const
{
    return other.m_prefixLength >= m_prefixLength && contains(other.m_network);
}

QString Cidr::toString() const
{
    if (isNull())
        return {};
    return m_network.toString() + u'/' + QString::number(m_prefixLength);
}

size_t qHash(const Cidr &cidr, size_t seed) noexcept
{
    return qHash(cidr.network(), seed) ^ size_t(cidr.prefixLength());
}

} // namespace cartograph
