// The capture benchmark's pcap generator: the same spec gives the same bytes, and what it writes
// is the traffic it says it wrote, as tshark's conversation statistics and the capture layer see
// it (plain, VXLAN on 8472 and 4789, IP-in-IP carry the same inner conversations).

#include "FlowAnalysis.h"
#include "PacketSource.h"
#include "PcapGenerator.h"

#include <QFile>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cartograph;
using namespace cartograph::bench;
using namespace Qt::StringLiterals;

namespace {

// One tshark conversation: frames each way ("<-" column first, as tshark prints them).
struct Conversation
{
    qint64 framesIn = 0;
    qint64 framesOut = 0;
    friend bool operator==(const Conversation &, const Conversation &) = default;
};
using ConversationTable = QMap<QString, Conversation>; // "A <-> B"

// Runs tshark -q -z conv,<kind> and returns its table, or fails the test.
ConversationTable tsharkConversations(const QString &file, const QString &kind,
                                      const QStringList &extra)
{
    QProcess tshark;
    tshark.start(QStringLiteral("tshark"),
                 extra + QStringList{QStringLiteral("-n"), QStringLiteral("-q"),
                                     QStringLiteral("-z"), QStringLiteral("conv,") + kind,
                                     QStringLiteral("-r"), file});
    if (!tshark.waitForFinished(120000) || tshark.exitCode() != 0)
        qFatal("tshark failed on %s: %s", qPrintable(file),
               tshark.readAllStandardError().constData());
    ConversationTable table;
    const QList<QByteArray> lines = tshark.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        // A <-> B frames bytes unit frames bytes unit frames bytes unit start duration
        if (fields.size() < 12 || fields.at(1) != "<->")
            continue;
        const QString key = QString::fromLatin1(fields.at(0) + " <-> " + fields.at(2));
        table.insert(key, Conversation{fields.at(3).toLongLong(), fields.at(6).toLongLong()});
    }
    return table;
}

ConversationTable onlyPods(const ConversationTable &table, bool pods)
{
    ConversationTable kept;
    for (auto it = table.cbegin(); it != table.cend(); ++it) {
        if (it.key().startsWith(u"10.244.") == pods)
            kept.insert(it.key(), it.value());
    }
    return kept;
}

qint64 totalFrames(const ConversationTable &table)
{
    qint64 total = 0;
    for (const Conversation &c : table)
        total += c.framesIn + c.framesOut;
    return total;
}

TrafficSpec smallSpec()
{
    TrafficSpec spec;
    spec.packets = 5000;
    spec.conversations = 400;
    spec.concurrency = 64;
    return spec;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

class TestPcapGen : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void sameSeedSameBytes_data()
    {
        QTest::addColumn<int>("encapsulation");
        QTest::newRow("plain") << int(Encapsulation::None);
        QTest::newRow("vxlan") << int(Encapsulation::Vxlan);
        QTest::newRow("ipip") << int(Encapsulation::IpIp);
    }
    void sameSeedSameBytes()
    {
        QFETCH(int, encapsulation);
        TrafficSpec spec = smallSpec();
        spec.encapsulation = Encapsulation(encapsulation);
        const auto first = writeTrafficPcap(spec, path(QStringLiteral("first.pcap")));
        const auto second = writeTrafficPcap(spec, path(QStringLiteral("second.pcap")));
        QVERIFY(first && second);
        QCOMPARE(first->packets, spec.packets);
        QCOMPARE(first->tcpConversations + first->udpConversations, spec.conversations);
        const QByteArray bytes = readAll(path(QStringLiteral("first.pcap")));
        QCOMPARE(qint64(bytes.size()), qint64(first->fileBytes));
        QVERIFY(bytes == readAll(path(QStringLiteral("second.pcap"))));

        spec.seed = 2;
        QVERIFY(writeTrafficPcap(spec, path(QStringLiteral("other.pcap"))));
        QVERIFY(bytes != readAll(path(QStringLiteral("other.pcap"))));
    }

    void badSpec_data()
    {
        QTest::addColumn<quint64>("packets");
        QTest::addColumn<quint64>("conversations");
        QTest::addColumn<quint32>("snaplen");
        QTest::addColumn<QString>("field");
        QTest::newRow("no conversations")
            << quint64(10) << quint64(0) << 128u << u"conversations"_s;
        QTest::newRow("fewer packets than conversations")
            << quint64(10) << quint64(11) << 128u << u"packets"_s;
        QTest::newRow("snaplen below headers") << quint64(10) << quint64(1) << 20u << u"snaplen"_s;
    }
    void badSpec()
    {
        QFETCH(quint64, packets);
        QFETCH(quint64, conversations);
        QFETCH(quint32, snaplen);
        QFETCH(QString, field);
        TrafficSpec spec;
        spec.packets = packets;
        spec.conversations = conversations;
        spec.snaplen = snaplen;
        const QString file = path(QStringLiteral("bad.pcap"));
        const auto written = writeTrafficPcap(spec, file);
        QVERIFY(!written);
        QCOMPARE(written.error().code, ErrorCode::InvalidValue);
        QCOMPARE(written.error().path, field);
        QVERIFY(!QFile::exists(file));
    }

    // tshark sees exactly the conversations the generator reports, and every encapsulation
    // carries the same inner conversations with the same frames each way.
    void matchesTshark_data()
    {
        QTest::addColumn<int>("encapsulation");
        QTest::addColumn<int>("vxlanPort");
        QTest::newRow("vxlan 8472") << int(Encapsulation::Vxlan) << 8472;
        QTest::newRow("vxlan 4789") << int(Encapsulation::Vxlan) << 4789;
        QTest::newRow("ipip") << int(Encapsulation::IpIp) << 0;
    }
    void matchesTshark()
    {
        QFETCH(int, encapsulation);
        QFETCH(int, vxlanPort);
        if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
            QSKIP("tshark is not installed");

        const TrafficSpec plainSpec = smallSpec();
        const QString plainFile = path(QStringLiteral("plain.pcap"));
        const auto plain = writeTrafficPcap(plainSpec, plainFile);
        QVERIFY(plain);
        const ConversationTable plainTcp = tsharkConversations(plainFile, u"tcp"_s, {});
        const ConversationTable plainUdp = tsharkConversations(plainFile, u"udp"_s, {});
        QCOMPARE(quint64(plainTcp.size()), plain->tcpConversations);
        QCOMPARE(quint64(plainUdp.size()), plain->udpConversations);
        QCOMPARE(quint64(totalFrames(plainTcp) + totalFrames(plainUdp)), plainSpec.packets);

        TrafficSpec spec = plainSpec;
        spec.encapsulation = Encapsulation(encapsulation);
        if (vxlanPort)
            spec.vxlanPort = std::uint16_t(vxlanPort);
        const QString file = path(QStringLiteral("encapsulated.pcap"));
        const auto written = writeTrafficPcap(spec, file);
        QVERIFY(written);
        QCOMPARE(written->tcpConversations, plain->tcpConversations);
        QVERIFY(written->wireBytes > plain->wireBytes);
        const QStringList decodeAs =
            vxlanPort == 8472 ? QStringList{u"-d"_s, u"udp.port==8472,vxlan"_s} : QStringList{};
        QCOMPARE(tsharkConversations(file, u"tcp"_s, decodeAs), plainTcp);
        const ConversationTable udp = tsharkConversations(file, u"udp"_s, decodeAs);
        QCOMPARE(onlyPods(udp, true), plainUdp);
        // VXLAN: every frame is also one outer UDP datagram between node addresses.
        const qint64 outerFrames = totalFrames(onlyPods(udp, false));
        QCOMPARE(quint64(outerFrames),
                 spec.encapsulation == Encapsulation::Vxlan ? spec.packets : 0u);
    }

    // The capture layer finds every conversation as one flow, inside its tunnel.
    void matchesCaptureLayer_data() { matchesTshark_data(); }
    void matchesCaptureLayer()
    {
        QFETCH(int, encapsulation);
        QFETCH(int, vxlanPort);
        TrafficSpec spec = smallSpec();
        spec.encapsulation = Encapsulation(encapsulation);
        if (vxlanPort)
            spec.vxlanPort = std::uint16_t(vxlanPort);
        const QString file = path(QStringLiteral("flows.pcap"));
        const auto written = writeTrafficPcap(spec, file);
        QVERIFY(written);
        auto source = capture::PcapSource::openFile(file);
        QVERIFY(source);
        const auto report = capture::analyzeCapture(**source, capture::AnalysisOptions{});
        QVERIFY(report);
        QCOMPARE(report->summary.packets, spec.packets);
        QCOMPARE(report->summary.ipPackets, spec.packets);
        QCOMPARE(report->summary.bytes, written->wireBytes);
        QCOMPARE(report->summary.malformedTotal(), 0u);
        QCOMPARE(report->flows.size(), size_t(spec.conversations));
        const capture::TunnelType expected = spec.encapsulation == Encapsulation::Vxlan
                                                 ? capture::TunnelType::Vxlan
                                                 : capture::TunnelType::IpIp;
        for (const capture::FlowRecord &flow : report->flows) {
            QCOMPARE(flow.tunnel.size(), size_t(1));
            QCOMPARE(flow.tunnel.front().type, expected);
            QCOMPARE(flow.tunnel.front().udpPort, std::uint16_t(vxlanPort));
            QVERIFY(flow.packetsAb > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestPcapGen)
#include "tst_pcapgen.moc"
