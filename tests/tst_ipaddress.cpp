// IpAddress and Cidr: every text form inet_pton accepts and nothing else, RFC 5952 output,
// value semantics (equality, ordering, hashing) and the prefix arithmetic the IP index rests on.

#include "IpAddress.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QTest>
#include <algorithm>
#include <string_view>

using namespace cartograph;
using Family = IpAddress::Family;

Q_DECLARE_METATYPE(cartograph::IpAddress::Family)

namespace {

// Parses a row's address; the caller checks the result with QVERIFY2.
std::optional<IpAddress> parseAddress(const QString &text)
{
    return IpAddress::parse(QStringView(text));
}

bool isAscii(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

QString withNul(const char *before, const char *after)
{
    return QString::fromLatin1(before) + QChar(u'\0') + QString::fromLatin1(after);
}

} // namespace

class TestIpAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void nullAddress();
    void fromV4RoundTrip();
    void fromV6RoundTrip();
    void equality_data();
    void equality();
    void ordering_data();
    void ordering();
    void sortingIsATotalOrder();
    void hashKeys();
    void bit_data();
    void bit();
    void bitsRebuildTheAddress();
    void masked_data();
    void masked();
    void cidrParse_data();
    void cidrParse();
    void cidrDefaultAndConstructor();
    void cidrContainsAddress_data();
    void cidrContainsAddress();
    void cidrContainsCidr_data();
    void cidrContainsCidr();
    void cidrEqualityAndHash_data();
    void cidrEqualityAndHash();
};

void TestIpAddress::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Family>("family");
    QTest::addColumn<QString>("canonical"); // RFC 5952 for IPv6, dotted quad for IPv4

    auto ok = [](const char *name, const char *text, Family family, const char *canonical) {
        QTest::newRow(name) << QString::fromLatin1(text) << true << family
                            << QString::fromLatin1(canonical);
    };
    auto bad = [](const char *name, const QString &text) {
        QTest::newRow(name) << text << false << Family::None << QString();
    };
    auto badL = [&bad](const char *name, const char *text) {
        bad(name, QString::fromLatin1(text));
    };

    // IPv4, dotted quad only.
    ok("v4 zero", "0.0.0.0", Family::V4, "0.0.0.0");
    ok("v4 loopback", "127.0.0.1", Family::V4, "127.0.0.1");
    ok("v4 pod", "10.244.1.224", Family::V4, "10.244.1.224");
    ok("v4 broadcast", "255.255.255.255", Family::V4, "255.255.255.255");
    ok("v4 single zero octets", "10.0.0.1", Family::V4, "10.0.0.1");
    badL("empty", "");
    badL("v4 three parts", "1.2.3");
    badL("v4 five parts", "1.2.3.4.5");
    badL("v4 octet 256 first", "256.1.1.1");
    badL("v4 octet 256 last", "1.2.3.256");
    badL("v4 octet 999", "1.2.999.4");
    // glibc's inet_pton refuses leading zeros (octal in inet_aton): ambiguous, so rejected.
    badL("v4 leading zero first octet", "01.2.3.4");
    badL("v4 leading zero last octet", "1.2.3.04");
    badL("v4 double zero octet", "00.1.2.3");
    badL("v4 hex octet", "0x0a.0.0.1");
    badL("v4 single number", "167772161");
    badL("v4 trailing dot", "1.2.3.");
    badL("v4 leading dot", ".1.2.3");
    badL("v4 empty octet", "1..2.3");
    badL("v4 negative", "-1.2.3.4");
    badL("v4 plus sign", "+1.2.3.4");
    badL("v4 leading space", " 1.2.3.4");
    badL("v4 trailing space", "1.2.3.4 ");
    badL("v4 trailing newline", "1.2.3.4\n");
    badL("v4 trailing letter", "1.2.3.4x");
    badL("v4 with prefix", "10.0.0.0/8");
    badL("v4 with port", "1.2.3.4:80");
    badL("v4 letters", "a.b.c.d");
    badL("hostname", "localhost");
    badL("single dot", ".");
    bad("v4 fullwidth digit", QStringLiteral("\uFF11.2.3.4"));
    bad("v4 arabic-indic digit", QStringLiteral("1.2.3.\u0664"));
    bad("v4 NUL then junk", withNul("1.2.3.4", "junk"));
    bad("v4 trailing NUL", withNul("1.2.3.4", ""));
    bad("v4 leading NUL", withNul("", "1.2.3.4"));

    // IPv6: RFC 4291 section 2.2 text forms, written back in RFC 5952 form.
    ok("v6 unspecified", "::", Family::V6, "::");
    ok("v6 loopback", "::1", Family::V6, "::1");
    ok("v6 loopback full", "0:0:0:0:0:0:0:1", Family::V6, "::1");
    ok("v6 loopback padded", "0000:0000:0000:0000:0000:0000:0000:0001", Family::V6, "::1");
    ok("v6 zeros with ::", "0000:0000::", Family::V6, "::");
    ok("v6 trailing ::", "1::", Family::V6, "1::");
    ok("v6 link local", "fe80::1", Family::V6, "fe80::1");
    ok("v6 upper case", "FE80::ABCD", Family::V6, "fe80::abcd");
    ok("v6 mixed case", "Fd00:10:244:1::aB", Family::V6, "fd00:10:244:1::ab");
    ok("v6 leading zeros dropped", "2001:0db8:0000:0000:0000:ff00:0042:8329", Family::V6,
       "2001:db8::ff00:42:8329");
    ok("v6 full form", "1:2:3:4:5:6:7:8", Family::V6, "1:2:3:4:5:6:7:8");
    ok("v6 single zero group not compressed", "2001:db8:0:1:1:1:1:1", Family::V6,
       "2001:db8:0:1:1:1:1:1");
    ok("v6 :: for one trailing group", "1:2:3:4:5:6:7::", Family::V6, "1:2:3:4:5:6:7:0");
    ok("v6 :: for one leading group", "::2:3:4:5:6:7:8", Family::V6, "0:2:3:4:5:6:7:8");
    ok("v6 longest zero run compressed", "1:0:0:2:0:0:0:3", Family::V6, "1:0:0:2::3");
    ok("v6 first of equal runs compressed", "2001:db8:0:0:1:0:0:1", Family::V6,
       "2001:db8::1:0:0:1");
    ok("v6 pod", "fd00:10:244:1::5", Family::V6, "fd00:10:244:1::5");
    ok("v6 node", "fc00:f853:ccd:e793::3", Family::V6, "fc00:f853:ccd:e793::3");
    ok("v6 multicast", "ff02::1:ff00:1", Family::V6, "ff02::1:ff00:1");
    ok("v6 all ones", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Family::V6,
       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    ok("v6 embedded v4 mapped", "::ffff:10.0.0.1", Family::V6, "::ffff:10.0.0.1");
    ok("v6 embedded v4 mapped upper", "::FFFF:10.0.0.1", Family::V6, "::ffff:10.0.0.1");
    ok("v6 mapped written in hex", "0:0:0:0:0:ffff:a00:1", Family::V6, "::ffff:10.0.0.1");
    ok("v6 embedded v4 compatible", "::10.0.0.1", Family::V6, "::10.0.0.1");
    ok("v6 embedded v4 after six groups", "1:2:3:4:5:6:1.2.3.4", Family::V6, "1:2:3:4:5:6:102:304");
    ok("v6 nat64 embedded v4", "64:ff9b::192.0.2.33", Family::V6, "64:ff9b::c000:221");
    ok("v6 longest text form (45 chars)", "0000:0000:0000:0000:0000:ffff:255.255.255.255",
       Family::V6, "::ffff:255.255.255.255");
    badL("v6 zone id name", "fe80::1%eth0");
    badL("v6 zone id number", "fe80::1%1");
    badL("v6 triple colon", ":::");
    badL("v6 two ::", "1::2::3");
    badL("v6 single leading colon", ":1::");
    badL("v6 single trailing colon", "1:");
    badL("v6 single colon", ":");
    badL("v6 nine groups", "1:2:3:4:5:6:7:8:9");
    badL("v6 eight groups and ::", "1:2:3:4:5:6:7:8::");
    badL("v6 seven groups", "1:2:3:4:5:6:7");
    badL("v6 five hex digits", "12345::");
    badL("v6 five zero digits", "00000::");
    badL("v6 non-hex digit", "g::1");
    badL("v6 brackets", "[::1]");
    badL("v6 bracket with port", "[::1]:80");
    badL("v6 trailing space", "::1 ");
    badL("v6 leading space", " ::1");
    badL("v6 with prefix", "::1/128");
    badL("v6 embedded v4 three parts", "::ffff:1.2.3");
    badL("v6 embedded v4 five parts", "::ffff:1.2.3.4.5");
    badL("v6 embedded v4 octet 256", "::ffff:256.1.2.3");
    badL("v6 embedded v4 leading zero", "::ffff:01.2.3.4");
    badL("v6 embedded v4 not last", "1.2.3.4::");
    badL("v6 group after embedded v4", "::1.2.3.4:5");
    badL("v6 embedded v4 after seven groups", "1:2:3:4:5:6:7:1.2.3.4");
    badL("v6 negative group", "::-1");
    badL("v6 hex prefix", "0x1::");
    bad("v6 NUL then junk", withNul("::1", "zz"));
    bad("v6 fullwidth colon", QStringLiteral("fe80\uFF1A\uFF1A1"));
    bad("too long", QString(70, u'1'));
}

void TestIpAddress::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(Family, family);
    QFETCH(QString, canonical);

    const auto parsed = IpAddress::parse(QStringView(text));
    QCOMPARE(parsed.has_value(), valid);

    // The std::string_view overload is what the pcap and JSON paths call: same verdict.
    if (isAscii(text)) {
        const QByteArray latin1 = text.toLatin1();
        const auto fromBytes =
            IpAddress::parse(std::string_view(latin1.constData(), size_t(latin1.size())));
        QCOMPARE(fromBytes.has_value(), valid);
        if (valid)
            QCOMPARE(*fromBytes, *parsed);
    }
    if (!valid)
        return;

    QCOMPARE(parsed->family(), family);
    QCOMPARE(parsed->isV4(), family == Family::V4);
    QCOMPARE(parsed->isV6(), family == Family::V6);
    QVERIFY(!parsed->isNull());
    QCOMPARE(parsed->bitWidth(), family == Family::V4 ? 32 : 128);
    QCOMPARE(parsed->toString(), canonical);

    // The canonical form parses back to the same address, and prints itself.
    const auto again = IpAddress::parse(QStringView(canonical));
    QVERIFY2(again, qPrintable(canonical));
    QCOMPARE(*again, *parsed);
    QCOMPARE(again->toString(), canonical);
}

void TestIpAddress::nullAddress()
{
    const IpAddress null;
    QVERIFY(null.isNull());
    QCOMPARE(null.family(), Family::None);
    QVERIFY(!null.isV4());
    QVERIFY(!null.isV6());
    QVERIFY(null.toString().isEmpty());
    QCOMPARE(null, IpAddress());
    QVERIFY(null != IpAddress::fromV4(0));
    QVERIFY(null != IpAddress::fromV6({}));
    QCOMPARE(qHash(null), qHash(IpAddress()));
}

void TestIpAddress::fromV4RoundTrip()
{
    const IpAddress a = IpAddress::fromV4(0x0af401e0u); // 10.244.1.224
    QVERIFY(a.isV4());
    QCOMPARE(a.v4(), 0x0af401e0u);
    QCOMPARE(a.toString(), QStringLiteral("10.244.1.224"));
    QCOMPARE(a, *IpAddress::parse(std::string_view("10.244.1.224")));
    for (int i = 0; i < 12; ++i)
        QCOMPARE(a.bytes()[size_t(i)], std::uint8_t(0));
    QCOMPARE(a.bytes()[12], std::uint8_t(10));
    QCOMPARE(a.bytes()[13], std::uint8_t(244));
    QCOMPARE(a.bytes()[14], std::uint8_t(1));
    QCOMPARE(a.bytes()[15], std::uint8_t(224));

    QCOMPARE(IpAddress::fromV4(0xffffffffu).toString(), QStringLiteral("255.255.255.255"));
    QCOMPARE(IpAddress::fromV4(0).toString(), QStringLiteral("0.0.0.0"));
    QCOMPARE(IpAddress::parse(std::string_view("192.168.0.1"))->v4(), 0xc0a80001u);
}

void TestIpAddress::fromV6RoundTrip()
{
    std::array<std::uint8_t, 16> bytes{};
    bytes[0] = 0xfd;
    bytes[3] = 0x10;
    bytes[4] = 0x02;
    bytes[5] = 0x44;
    bytes[7] = 0x01;
    bytes[15] = 0x05;
    const IpAddress a = IpAddress::fromV6(bytes);
    QVERIFY(a.isV6());
    QCOMPARE(a.bytes(), bytes);
    QCOMPARE(a.toString(), QStringLiteral("fd00:10:244:1::5"));
    QCOMPARE(a, *IpAddress::parse(std::string_view("fd00:10:244:1::5")));
}

void TestIpAddress::equality_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("equal");

    auto row = [](const char *name, const char *a, const char *b, bool equal) {
        QTest::newRow(name) << QString::fromLatin1(a) << QString::fromLatin1(b) << equal;
    };
    row("same v4", "10.0.0.1", "10.0.0.1", true);
    row("different v4", "10.0.0.1", "10.0.0.2", false);
    row("same v6, different spelling", "::1", "0:0:0:0:0:0:0:1", true);
    row("same v6, different case", "FE80::A", "fe80::a", true);
    row("mapped spelled two ways", "::ffff:10.0.0.1", "::ffff:a00:1", true);
    row("different v6", "fe80::1", "fe80::2", false);
    // Same 16 bytes, different family: an IPv4 address is not its IPv4-compatible IPv6 twin.
    row("v4 vs v4-compatible v6", "1.2.3.4", "::1.2.3.4", false);
    row("v4 vs v4-mapped v6", "10.0.0.1", "::ffff:10.0.0.1", false);
    row("v4 zero vs v6 unspecified", "0.0.0.0", "::", false);
    row("v4 0.0.0.1 vs v6 ::1", "0.0.0.1", "::1", false);
}

void TestIpAddress::equality()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, equal);
    const auto x = parseAddress(a);
    const auto y = parseAddress(b);
    QVERIFY2(x && y, qPrintable(a + u' ' + b));

    QCOMPARE(*x == *y, equal);
    QCOMPARE(*x != *y, !equal);
    QCOMPARE((*x <=> *y) == 0, equal);
    QCOMPARE((*y <=> *x) == 0, equal);
    if (equal) {
        QCOMPARE(qHash(*x), qHash(*y));
        QCOMPARE(qHash(*x, 42), qHash(*y, 42));
        QCOMPARE(x->toString(), y->toString());
    } else {
        // Exactly one of the two orders holds.
        QVERIFY((*x < *y) != (*y < *x));
    }
    QSet<IpAddress> set{*x, *y};
    QCOMPARE(set.size(), equal ? 1 : 2);
}

void TestIpAddress::ordering_data()
{
    QTest::addColumn<QString>("lower");
    QTest::addColumn<QString>("higher");

    auto row = [](const char *name, const char *lower, const char *higher) {
        QTest::newRow(name) << QString::fromLatin1(lower) << QString::fromLatin1(higher);
    };
    row("v4 last octet", "1.2.3.4", "1.2.3.5");
    row("v4 numeric, not text", "9.255.255.255", "10.0.0.0");
    row("v4 octet 2 vs 10", "10.0.0.2", "10.0.0.10");
    row("v4 first octet wins", "10.255.255.255", "192.168.0.1");
    row("v4 extremes", "0.0.0.0", "255.255.255.255");
    row("v6 unspecified and loopback", "::", "::1");
    row("v6 numeric, not text", "9::", "10::");
    row("v6 low group vs high group", "::ffff", "1::");
    row("v6 last group", "fe80::1", "fe80::2");
    row("v6 documentation vs ula", "2001:db8::", "fd00::");
    row("v6 pod ranges", "fd00:10:244::ffff", "fd00:10:244:1::");
}

void TestIpAddress::ordering()
{
    QFETCH(QString, lower);
    QFETCH(QString, higher);
    const auto a = parseAddress(lower);
    const auto b = parseAddress(higher);
    QVERIFY2(a && b, qPrintable(lower + u' ' + higher));
    QCOMPARE(a->family(), b->family());

    QVERIFY(*a < *b);
    QVERIFY(*b > *a);
    QVERIFY(*a <= *b);
    QVERIFY(!(*b < *a));
    QVERIFY(*a != *b);
    QVERIFY((*a <=> *b) == std::strong_ordering::less);
    QVERIFY((*b <=> *a) == std::strong_ordering::greater);
    QVERIFY((*a <=> *a) == std::strong_ordering::equal);
}

void TestIpAddress::sortingIsATotalOrder()
{
    const char *texts[] = {"10.0.0.10", "::1",     "10.0.0.2",        "0.0.0.1",
                           "::",        "0.0.0.0", "::ffff:10.0.0.2", "255.255.255.255",
                           "fd00::1",   "1.2.3.4", "::1.2.3.4",       "10.0.0.2"};
    QList<IpAddress> addresses;
    for (const char *text : texts) {
        const auto parsed = IpAddress::parse(std::string_view(text));
        QVERIFY2(parsed, text);
        addresses.append(*parsed);
    }
    addresses.append(IpAddress());
    std::sort(addresses.begin(), addresses.end());
    QVERIFY(std::is_sorted(addresses.cbegin(), addresses.cend()));
    for (qsizetype i = 1; i < addresses.size(); ++i) {
        // Neighbours are either equal (the duplicate 10.0.0.2) or strictly ordered.
        QVERIFY(addresses[i - 1] == addresses[i] || addresses[i - 1] < addresses[i]);
    }
    // Exactly one duplicate (10.0.0.2): equal values sort next to each other.
    QList<IpAddress> distinct = addresses;
    QCOMPARE(std::unique(distinct.begin(), distinct.end()) - distinct.begin(),
             addresses.size() - 1);

    // Within one family the order is numeric.
    QList<QString> v4;
    for (const IpAddress &a : std::as_const(addresses)) {
        if (a.isV4() && (v4.isEmpty() || v4.last() != a.toString()))
            v4.append(a.toString());
    }
    const QList<QString> expectedV4{QStringLiteral("0.0.0.0"),   QStringLiteral("0.0.0.1"),
                                    QStringLiteral("1.2.3.4"),   QStringLiteral("10.0.0.2"),
                                    QStringLiteral("10.0.0.10"), QStringLiteral("255.255.255.255")};
    QCOMPARE(v4, expectedV4);
}

void TestIpAddress::hashKeys()
{
    QHash<IpAddress, int> table;
    table.insert(*IpAddress::parse(std::string_view("10.0.0.1")), 1);
    table.insert(*IpAddress::parse(std::string_view("::ffff:10.0.0.1")), 2);
    table.insert(*IpAddress::parse(std::string_view("::10.0.0.1")), 3);
    table.insert(*IpAddress::parse(std::string_view("fd00::1")), 4);
    QCOMPARE(table.size(), 4);
    QCOMPARE(table.value(*IpAddress::parse(QStringView(u"10.0.0.1"))), 1);
    QCOMPARE(table.value(*IpAddress::parse(QStringView(u"0:0:0:0:0:FFFF:0A00:0001"))), 2);
    QCOMPARE(table.value(*IpAddress::parse(QStringView(u"::a00:1"))), 3);
    QCOMPARE(table.value(*IpAddress::parse(QStringView(u"FD00:0::0001"))), 4);
    QVERIFY(!table.contains(*IpAddress::parse(QStringView(u"10.0.0.2"))));
    QVERIFY(!table.contains(IpAddress()));
}

void TestIpAddress::bit_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("set");

    auto row = [](const char *address, int index, bool set) {
        QTest::addRow("%s bit %d", address, index) << QString::fromLatin1(address) << index << set;
    };
    // 10 = 0000 1010
    row("10.0.0.1", 0, false);
    row("10.0.0.1", 3, false);
    row("10.0.0.1", 4, true);
    row("10.0.0.1", 5, false);
    row("10.0.0.1", 6, true);
    row("10.0.0.1", 7, false);
    row("10.0.0.1", 30, false);
    row("10.0.0.1", 31, true);
    row("128.0.0.0", 0, true);
    row("128.0.0.0", 1, false);
    row("0.1.0.0", 15, true);
    row("0.1.0.0", 16, false);
    row("255.255.255.254", 30, true);
    row("255.255.255.254", 31, false);
    // fd = 1111 1101
    row("fd00::", 0, true);
    row("fd00::", 6, false);
    row("fd00::", 7, true);
    row("fd00::", 8, false);
    row("0:8000::", 15, false);
    row("0:8000::", 16, true);
    row("::1", 126, false);
    row("::1", 127, true);
    row("::1", 0, false);
    // Mapped addresses are IPv6: bit 0 is the top of the 128, not of the IPv4 part.
    row("::ffff:128.0.0.0", 0, false);
    row("::ffff:128.0.0.0", 80, true);
    row("::ffff:128.0.0.0", 95, true);
    row("::ffff:128.0.0.0", 96, true);
    row("::ffff:128.0.0.0", 97, false);
}

void TestIpAddress::bit()
{
    QFETCH(QString, address);
    QFETCH(int, index);
    QFETCH(bool, set);
    const auto a = parseAddress(address);
    QVERIFY2(a, qPrintable(address));
    QCOMPARE(a->bit(index), set);
}

void TestIpAddress::bitsRebuildTheAddress()
{
    for (const char *text : {"10.244.1.224", "172.18.0.3", "255.0.255.1", "0.0.0.0"}) {
        const auto a = IpAddress::parse(std::string_view(text));
        QVERIFY2(a, text);
        std::uint32_t rebuilt = 0;
        for (int i = 0; i < 32; ++i)
            rebuilt = (rebuilt << 1) | (a->bit(i) ? 1u : 0u);
        QCOMPARE(rebuilt, a->v4());
    }
    for (const char *text : {"fd00:10:244:1::5", "fe80::8a:ff:fe00:1", "::ffff:10.0.0.1"}) {
        const auto a = IpAddress::parse(std::string_view(text));
        QVERIFY2(a, text);
        std::array<std::uint8_t, 16> rebuilt{};
        for (int i = 0; i < 128; ++i) {
            if (a->bit(i))
                rebuilt[size_t(i / 8)] |= std::uint8_t(0x80 >> (i % 8));
        }
        QCOMPARE(rebuilt, a->bytes());
    }
}

void TestIpAddress::masked_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *address, int length, const char *expected) {
        QTest::addRow("%s/%d", address, length)
            << QString::fromLatin1(address) << length << QString::fromLatin1(expected);
    };
    row("10.244.1.224", 0, "0.0.0.0");
    row("10.244.1.224", 1, "0.0.0.0");
    row("10.244.1.224", 8, "10.0.0.0");
    row("10.244.1.224", 9, "10.128.0.0");
    row("10.244.1.224", 16, "10.244.0.0");
    row("10.244.1.224", 23, "10.244.0.0");
    row("10.244.1.224", 24, "10.244.1.0");
    row("10.244.1.224", 25, "10.244.1.128");
    row("10.244.1.224", 27, "10.244.1.224");
    row("10.244.1.224", 28, "10.244.1.224");
    row("10.244.1.225", 31, "10.244.1.224");
    row("10.244.1.224", 32, "10.244.1.224");
    row("255.255.255.255", 1, "128.0.0.0");
    row("255.255.255.255", 9, "255.128.0.0");
    row("255.255.255.255", 31, "255.255.255.254");
    row("fd00:10:244:1::5", 0, "::");
    row("fd00:10:244:1::5", 7, "fc00::");
    row("fd00:10:244:1::5", 8, "fd00::");
    row("fd00:10:244:1::5", 48, "fd00:10:244::");
    row("fd00:10:244:1::5", 64, "fd00:10:244:1::");
    row("fd00:10:244:1::5", 128, "fd00:10:244:1::5");
    row("fd00:10:244:1:ffff:ffff:ffff:ffff", 65, "fd00:10:244:1:8000::");
    row("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 3, "e000::");
    row("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 16, "ffff::");
    row("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 127, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
    // A mapped address is masked as the IPv6 address it is (length counts from bit 0 of 128).
    row("::ffff:10.1.2.3", 120, "::ffff:10.1.2.0");
    row("::ffff:10.1.2.3", 96, "::ffff:0.0.0.0");
    row("::ffff:10.1.2.3", 80, "::");
}

void TestIpAddress::masked()
{
    QFETCH(QString, address);
    QFETCH(int, length);
    QFETCH(QString, expected);
    const auto a = parseAddress(address);
    const auto e = parseAddress(expected);
    QVERIFY2(a && e, qPrintable(address + u' ' + expected));

    const IpAddress m = a->masked(length);
    QCOMPARE(m.family(), a->family());
    QCOMPARE(m.toString(), expected);
    QCOMPARE(m, *e);
    QCOMPARE(m.masked(length), m); // idempotent
    // The bits below the prefix are kept, the rest cleared.
    for (int i = 0; i < a->bitWidth(); ++i)
        QCOMPARE(m.bit(i), i < length ? a->bit(i) : false);
}

void TestIpAddress::cidrParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("allowBare");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("network");
    QTest::addColumn<int>("length");

    auto ok = [](const char *name, const char *text, bool allowBare, const char *network,
                 int length) {
        QTest::newRow(name) << QString::fromLatin1(text) << allowBare << true
                            << QString::fromLatin1(network) << length;
    };
    auto bad = [](const char *name, const QString &text, bool allowBare) {
        QTest::newRow(name) << text << allowBare << false << QString() << 0;
    };
    auto badL = [&bad](const char *name, const char *text, bool allowBare = false) {
        bad(name, QString::fromLatin1(text), allowBare);
    };

    ok("v4 /16", "10.244.0.0/16", false, "10.244.0.0", 16);
    ok("v4 /24", "10.244.1.0/24", false, "10.244.1.0", 24);
    ok("v4 host bits masked /16", "10.244.1.224/16", false, "10.244.0.0", 16);
    ok("v4 host bits masked /24", "10.244.1.224/24", false, "10.244.1.0", 24);
    ok("v4 host bits masked /1", "255.255.255.255/1", false, "128.0.0.0", 1);
    ok("v4 /0", "0.0.0.0/0", false, "0.0.0.0", 0);
    ok("v4 /0 with host bits", "192.168.1.1/0", false, "0.0.0.0", 0);
    ok("v4 /32", "10.244.1.224/32", false, "10.244.1.224", 32);
    ok("v4 /31", "10.244.1.225/31", false, "10.244.1.224", 31);
    ok("v4 allowBare with slash", "10.96.0.0/12", true, "10.96.0.0", 12);
    ok("v6 /0", "::/0", false, "::", 0);
    ok("v6 /64", "fd00:10:244::/64", false, "fd00:10:244::", 64);
    ok("v6 host bits masked /64", "fd00:10:244:1::5/64", false, "fd00:10:244:1::", 64);
    ok("v6 upper case", "FD00:10:244::/56", false, "fd00:10:244::", 56);
    ok("v6 /128", "::1/128", false, "::1", 128);
    ok("v6 /7", "fdff::1/7", false, "fc00::", 7);
    ok("v6 /112", "fd00:10:96::1234/112", false, "fd00:10:96::", 112);
    ok("v6 mapped /104", "::ffff:10.1.2.3/104", false, "::ffff:10.0.0.0", 104);
    ok("bare v4 allowed", "10.0.0.1", true, "10.0.0.1", 32);
    ok("bare v6 allowed", "::1", true, "::1", 128);
    ok("bare v6 mapped allowed", "::ffff:10.0.0.1", true, "::ffff:10.0.0.1", 128);

    badL("empty", "");
    badL("empty allowBare", "", true);
    badL("slash only", "/");
    badL("slash only allowBare", "/", true);
    badL("no address", "/24");
    badL("no length", "10.0.0.0/");
    badL("v4 /33", "10.0.0.0/33");
    badL("v4 /128", "10.0.0.0/128");
    badL("v6 /129", "2001:db8::1/129");
    badL("v6 /999", "::/999");
    badL("negative length", "10.0.0.0/-1");
    badL("plus length", "10.0.0.0/+8");
    badL("length with letter", "10.0.0.0/1a");
    badL("letter length", "10.0.0.0/a");
    badL("hex length", "10.0.0.0/0x8");
    badL("space before length", "10.0.0.0/ 8");
    badL("trailing space", "10.0.0.0/8 ");
    badL("leading space", " 10.0.0.0/8");
    badL("double slash", "10.0.0.0//8");
    badL("two lengths", "10.0.0.0/8/8");
    badL("four-digit length", "10.0.0.0/0016");
    badL("long length", "10.0.0.0/1000000000000");
    badL("short v4", "10.0.0/8");
    badL("v4 octet 256", "256.0.0.0/8");
    badL("v4 leading zero", "010.0.0.0/8");
    badL("v6 zone id", "fe80::1%eth0/64");
    badL("decimal length", "10.0.0.0/8.0");
    badL("range", "10.0.0.0-10.0.0.255");
    badL("bare v4 not allowed", "10.0.0.1");
    badL("bare v6 not allowed", "::1");
    badL("bare junk allowed", "not-an-ip", true);
    badL("bare with space allowed", "10.0.0.1 ", true);
    // Only ASCII digits are a prefix length (QChar::isDigit() also says yes to these).
    bad("arabic-indic length", QStringLiteral("10.0.0.0/\u0668"), false);
    bad("fullwidth length", QStringLiteral("10.0.0.0/\uFF11\uFF16"), false);
    bad("devanagari length", QStringLiteral("fd00::/\u0966\u096A"), false);
}

void TestIpAddress::cidrParse()
{
    QFETCH(QString, text);
    QFETCH(bool, allowBare);
    QFETCH(bool, valid);
    QFETCH(QString, network);
    QFETCH(int, length);

    const auto cidr = Cidr::parse(text, allowBare);
    QCOMPARE(cidr.has_value(), valid);
    if (!valid)
        return;

    const auto expectedNetwork = parseAddress(network);
    QVERIFY2(expectedNetwork, qPrintable(network));
    QVERIFY(!cidr->isNull());
    QCOMPARE(cidr->network(), *expectedNetwork);
    QCOMPARE(cidr->network().toString(), network);
    QCOMPARE(cidr->prefixLength(), length);
    const QString canonical = network + u'/' + QString::number(length);
    QCOMPARE(cidr->toString(), canonical);

    // Round trip through the canonical text, and the written address is inside the range.
    const auto again = Cidr::parse(canonical);
    QVERIFY2(again, qPrintable(canonical));
    QCOMPARE(*again, *cidr);
    const QString addressText = text.section(u'/', 0, 0);
    const auto written = parseAddress(addressText);
    QVERIFY2(written, qPrintable(addressText));
    QVERIFY(cidr->contains(*written));
}

void TestIpAddress::cidrDefaultAndConstructor()
{
    const Cidr null;
    QVERIFY(null.isNull());
    QCOMPARE(null.prefixLength(), 0);
    QVERIFY(null.toString().isEmpty());
    QVERIFY(!null.contains(IpAddress()));
    QVERIFY(!null.contains(IpAddress::fromV4(0)));
    QVERIFY(!null.contains(Cidr()));

    // The constructor masks like parse() does.
    const Cidr c(*IpAddress::parse(std::string_view("10.1.2.3")), 8);
    QCOMPARE(c.network().toString(), QStringLiteral("10.0.0.0"));
    QCOMPARE(c.prefixLength(), 8);
    QCOMPARE(c, *Cidr::parse(u"10.0.0.0/8"));
    const Cidr v6(*IpAddress::parse(std::string_view("fd00:10:244:1::5")), 64);
    QCOMPARE(v6.toString(), QStringLiteral("fd00:10:244:1::/64"));
}

void TestIpAddress::cidrContainsAddress_data()
{
    QTest::addColumn<QString>("cidr");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("contained");

    auto row = [](const char *cidr, const char *address, bool contained) {
        QTest::addRow("%s contains %s", cidr, address)
            << QString::fromLatin1(cidr) << QString::fromLatin1(address) << contained;
    };
    row("10.244.0.0/16", "10.244.1.5", true);
    row("10.244.0.0/16", "10.244.0.0", true);
    row("10.244.0.0/16", "10.244.255.255", true);
    row("10.244.0.0/16", "10.245.0.0", false);
    row("10.244.0.0/16", "10.243.255.255", false);
    row("10.244.1.0/24", "10.244.1.255", true);
    row("10.244.1.0/24", "10.244.2.0", false);
    row("10.244.1.224/27", "10.244.1.255", true);
    row("10.244.1.224/27", "10.244.1.223", false);
    row("1.2.3.4/32", "1.2.3.4", true);
    row("1.2.3.4/32", "1.2.3.5", false);
    row("0.0.0.0/0", "1.2.3.4", true);
    row("0.0.0.0/0", "255.255.255.255", true);
    // Families never mix, whatever the bytes say.
    row("0.0.0.0/0", "::1", false);
    row("0.0.0.0/0", "::", false);
    row("0.0.0.0/0", "::ffff:1.2.3.4", false);
    row("10.0.0.0/8", "::ffff:10.0.0.1", false);
    row("10.0.0.0/8", "::10.0.0.1", false);
    row("::/0", "1.2.3.4", false);
    row("::/0", "0.0.0.0", false);
    row("::/96", "10.0.0.1", false);
    row("::ffff:0.0.0.0/96", "10.0.0.1", false);
    row("::ffff:0.0.0.0/96", "::ffff:10.0.0.1", true);
    row("::/0", "fd00::1", true);
    row("::/0", "::", true);
    row("fd00:10:244:1::/64", "fd00:10:244:1::abcd", true);
    row("fd00:10:244:1::/64", "fd00:10:244:1:ffff:ffff:ffff:ffff", true);
    row("fd00:10:244:1::/64", "fd00:10:244:2::1", false);
    row("fd00:10:244:1::/64", "fd00:10:244::1", false);
    row("fc00::/7", "fd00::1", true);
    row("fc00::/7", "fe00::", false);
    row("::1/128", "::1", true);
    row("::1/128", "::2", false);
}

void TestIpAddress::cidrContainsAddress()
{
    QFETCH(QString, cidr);
    QFETCH(QString, address);
    QFETCH(bool, contained);
    const auto c = Cidr::parse(cidr);
    const auto a = parseAddress(address);
    QVERIFY2(c && a, qPrintable(cidr + u' ' + address));
    QCOMPARE(c->contains(*a), contained);
    // Agrees with the host-route form of the address.
    QCOMPARE(c->contains(Cidr(*a, a->bitWidth())), contained);
}

void TestIpAddress::cidrContainsCidr_data()
{
    QTest::addColumn<QString>("outer");
    QTest::addColumn<QString>("inner");
    QTest::addColumn<bool>("contained");

    auto row = [](const char *outer, const char *inner, bool contained) {
        QTest::addRow("%s covers %s", outer, inner)
            << QString::fromLatin1(outer) << QString::fromLatin1(inner) << contained;
    };
    row("10.0.0.0/8", "10.244.0.0/16", true);
    row("10.244.0.0/16", "10.0.0.0/8", false);
    row("10.244.0.0/16", "10.244.0.0/16", true);
    row("10.244.0.0/16", "10.244.1.0/24", true);
    row("10.244.1.0/24", "10.244.0.0/16", false);
    row("10.244.0.0/16", "10.245.0.0/24", false);
    row("10.0.0.0/8", "11.0.0.0/8", false);
    row("10.0.0.0/7", "11.0.0.0/8", true);
    row("10.0.0.0/7", "12.0.0.0/8", false);
    row("1.2.3.4/32", "1.2.3.4/32", true);
    row("1.2.3.4/32", "1.2.3.5/32", false);
    row("0.0.0.0/0", "10.0.0.0/8", true);
    row("0.0.0.0/0", "0.0.0.0/0", true);
    row("0.0.0.0/0", "::/0", false);
    row("::/0", "0.0.0.0/0", false);
    row("::/0", "fd00::/8", true);
    row("::/96", "10.0.0.0/8", false);
    row("10.0.0.0/8", "::ffff:10.0.0.0/104", false);
    row("fd00:10:244::/56", "fd00:10:244:1::/64", true);
    row("fd00:10:244:1::/64", "fd00:10:244::/56", false);
    row("fd00:10:244:1::/64", "fd00:10:244:2::/64", false);
}

void TestIpAddress::cidrContainsCidr()
{
    QFETCH(QString, outer);
    QFETCH(QString, inner);
    QFETCH(bool, contained);
    const auto o = Cidr::parse(outer);
    const auto i = Cidr::parse(inner);
    QVERIFY2(o && i, qPrintable(outer + u' ' + inner));
    QCOMPARE(o->contains(*i), contained);
    if (contained && *o != *i)
        QVERIFY(!i->contains(*o)); // containment of distinct ranges is one way
}

void TestIpAddress::cidrEqualityAndHash_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("equal");

    auto row = [](const char *name, const char *a, const char *b, bool equal) {
        QTest::newRow(name) << QString::fromLatin1(a) << QString::fromLatin1(b) << equal;
    };
    row("same", "10.0.0.0/8", "10.0.0.0/8", true);
    row("host bits ignored", "10.1.2.3/8", "10.0.0.0/8", true);
    row("v6 spellings", "FD00:0010:0244::/48", "fd00:10:244::/48", true);
    row("different length", "10.0.0.0/8", "10.0.0.0/16", false);
    row("different network", "10.0.0.0/8", "11.0.0.0/8", false);
    row("v4 /0 vs v6 /0", "0.0.0.0/0", "::/0", false);
    row("v4 vs compatible v6", "10.0.0.1/32", "::10.0.0.1/128", false);
}

void TestIpAddress::cidrEqualityAndHash()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, equal);
    const auto x = Cidr::parse(a);
    const auto y = Cidr::parse(b);
    QVERIFY2(x && y, qPrintable(a + u' ' + b));
    QCOMPARE(*x == *y, equal);
    QCOMPARE((*x <=> *y) == 0, equal);
    if (equal) {
        QCOMPARE(qHash(*x), qHash(*y));
        QCOMPARE(qHash(*x, 7), qHash(*y, 7));
        QCOMPARE(x->toString(), y->toString());
    }
    QSet<Cidr> set{*x, *y};
    QCOMPARE(set.size(), equal ? 1 : 2);
}

QTEST_GUILESS_MAIN(TestIpAddress)
#include "tst_ipaddress.moc"
