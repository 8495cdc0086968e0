// The replay model without a display: loading a pcap with progress and cancel, the same flows
// every time, the timeline's spans, throughput and top talkers from the per-second buckets,
// the replay clock, and exporting the packets of chosen flows (re-read with libpcap and tshark).

#include "CaptureReplay.h"
#include "FlowExport.h"
#include "PacketSource.h"
#include "SnapshotSource.h"
#include "support/DemoTraffic.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <numeric>
#include <set>

using namespace cartograph;
using namespace cartograph::capture;

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

EndpointAttributor calicoAttributor()
{
    auto loaded = makeDemoSource(DemoFlavour::CalicoIpIp)->load(nullptr);
    if (!loaded)
        qFatal("the calico demo does not load");
    return EndpointAttributor(std::move(loaded).value());
}

// Everything that identifies a flow and what it counted (buckets included).
QString describeFlow(const FlowRecord &f)
{
    QString text = QStringLiteral("%1 %2:%3 %4:%5 %6/%7 %8/%9 %10-%11 flags=%12 tunnel=%13")
                       .arg(f.protocol)
                       .arg(f.a.toString())
                       .arg(f.aPort)
                       .arg(f.b.toString())
                       .arg(f.bPort)
                       .arg(f.packetsAb)
                       .arg(f.bytesAb)
                       .arg(f.packetsBa)
                       .arg(f.bytesBa)
                       .arg(f.firstUs)
                       .arg(f.lastUs)
                       .arg(f.tcpFlags)
                       .arg(f.tunnel.size());
    for (const SecondBucket &b : f.buckets)
        text += QStringLiteral(" [%1 %2 %3 %4 %5]")
                    .arg(b.second)
                    .arg(b.packets[0])
                    .arg(b.bytes[0])
                    .arg(b.packets[1])
                    .arg(b.bytes[1]);
    return text;
}

QStringList describeFlows(const std::vector<FlowRecord> &flows, bool buckets = true)
{
    QStringList lines;
    for (FlowRecord f : flows) {
        if (!buckets)
            f.buckets.clear();
        lines << describeFlow(f);
    }
    return lines;
}

QStringList fixturePcaps()
{
    QStringList files;
    const QString root = QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/pcap");
    QDirIterator it(root,
                    {QStringLiteral("*.pcap"), QStringLiteral("*.pcapng"), QStringLiteral("*.cap")},
                    QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

} // namespace

class TestCaptureReplay : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sameFileGivesSameFlows();
    void attributesDemoPods();
    void flowsGatheredElsewhere();
    void timeRangeAndSpans();
    void throughputAddsUpToTheFlows();
    void topTalkersAreOrdered();
    void progressAndCancel();
    void unreadableCaptures_data();
    void unreadableCaptures();
    void replayClock();
    void exportPacketsRoundTrip();
    void exportPacketsOfFixtures();
    void exportToUnwritablePathFails();

private:
    QTemporaryDir m_dir;
    QString m_demoPcap;
};

void TestCaptureReplay::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_demoPcap =
        writeFile(m_dir, QStringLiteral("calico-traffic.pcap"), captest::demoTrafficPcap());
}

void TestCaptureReplay::sameFileGivesSameFlows()
{
    const EndpointAttributor attributor = calicoAttributor();
    auto first = loadCaptureReplay(m_demoPcap, attributor, {});
    auto second = loadCaptureReplay(m_demoPcap, attributor, {});
    QVERIFY2(first, qPrintable(first ? QString() : describe(first.error())));
    QVERIFY(second);
    QCOMPARE(first->flows().size(), std::size_t(captest::demoConversations().size()));
    QCOMPARE(describeFlows(first->flows()), describeFlows(second->flows()));

    // And the same as a plain analysis of the file (what `cartograph-cli flows` does).
    auto source = PcapSource::openFile(m_demoPcap);
    QVERIFY(source);
    AnalysisOptions options;
    auto plain = analyzeCapture(**source, options);
    QVERIFY(plain);
    QCOMPARE(describeFlows(first->flows(), false), describeFlows(plain->flows, false));
    QCOMPARE(first->report.summary.packets, plain->summary.packets);
    QCOMPARE(first->report.summary.nonIp, quint64(1)); // the ARP frame
    QCOMPARE(first->linkType, 1);
}

void TestCaptureReplay::attributesDemoPods()
{
    auto replay = loadCaptureReplay(m_demoPcap, calicoAttributor(), {});
    QVERIFY(replay);
    QVERIFY(replay->attributed);
    QStringList pairs;
    for (std::size_t i = 0; i < replay->flows().size(); ++i) {
        pairs << endpointLabel(replay->endpointA[i], replay->flows()[i].a) + QStringLiteral(" > ") +
                     endpointLabel(replay->endpointB[i], replay->flows()[i].b);
    }
    // Across nodes the inner pods are the flow, not the node addresses of the IP-in-IP.
    QVERIFY2(pairs.contains(QStringLiteral("sock-shop/front-end-xh8pw6sfgk-kq222 > "
                                           "sock-shop/catalogue-6tgl2qgf74-48m4j")),
             qPrintable(pairs.join(u'\n')));
    QVERIFY(pairs.contains(QStringLiteral("203.0.113.50 > sock-shop/front-end")));
    QVERIFY(pairs.contains(QStringLiteral("worker-2 > 93.184.216.34")));
    QVERIFY(pairs.contains(QStringLiteral(
        "sock-shop/front-end-xh8pw6sfgk-5lh98 > kube-system/coredns-jcv49t5gkf-5qg2f")));
}

// A live capture's flows arrive in the table's order, unattributed: replayOfFlows() gives the
// replay that reading the same traffic from a file gives, time range apart (the flows' own).
void TestCaptureReplay::flowsGatheredElsewhere()
{
    const EndpointAttributor attributor = calicoAttributor();
    auto fromFile = loadCaptureReplay(m_demoPcap, attributor, {});
    QVERIFY(fromFile);
    auto source = PcapSource::openFile(m_demoPcap);
    QVERIFY(source);
    AnalysisOptions options;
    options.table.secondBuckets = true;
    auto analyzed = analyzeCapture(**source, options);
    QVERIFY(analyzed);
    FlowReport gathered = *analyzed;
    std::reverse(gathered.flows.begin(), gathered.flows.end());

    const CaptureReplay replay = replayOfFlows(gathered, attributor);
    QVERIFY(replay.attributed);
    QCOMPARE(describeFlows(replay.flows()), describeFlows(fromFile->flows()));
    QCOMPARE(replay.report.summary.packets, fromFile->report.summary.packets);
    QCOMPARE(replay.endpointA.size(), replay.flows().size());
    QCOMPARE(replay.endpointB.size(), replay.flows().size());
    for (std::size_t i = 0; i < replay.flows().size(); ++i) {
        QCOMPARE(endpointLabel(replay.endpointA[i], replay.flows()[i].a),
                 endpointLabel(fromFile->endpointA[i], fromFile->flows()[i].a));
        QCOMPARE(endpointLabel(replay.endpointB[i], replay.flows()[i].b),
                 endpointLabel(fromFile->endpointB[i], fromFile->flows()[i].b));
    }
    std::int64_t first = INT64_MAX;
    std::int64_t last = INT64_MIN;
    for (const FlowRecord &flow : replay.flows()) {
        first = std::min(first, flow.firstUs);
        last = std::max(last, flow.lastUs);
    }
    QCOMPARE(replay.firstUs, first);
    QCOMPARE(replay.lastUs, last);
    QVERIFY(replay.firstUs >= fromFile->firstUs && replay.lastUs <= fromFile->lastUs);

    // Without a snapshot every endpoint is external; without flows there is no time range.
    const CaptureReplay bare = replayOfFlows(gathered, EndpointAttributor());
    QVERIFY(!bare.attributed);
    QCOMPARE(bare.endpointA.size(), bare.flows().size());
    QVERIFY(std::all_of(bare.endpointA.begin(), bare.endpointA.end(), [](const ClusterEndpoint &e) {
        return e.kind == ClusterEndpoint::Kind::External;
    }));
    const CaptureReplay empty = replayOfFlows(FlowReport{}, attributor);
    QVERIFY(empty.flows().empty());
    QCOMPARE(empty.firstUs, std::int64_t(0));
    QCOMPARE(empty.lastUs, std::int64_t(0));
}

void TestCaptureReplay::timeRangeAndSpans()
{
    auto replay = loadCaptureReplay(m_demoPcap, {}, {});
    QVERIFY(replay);
    const QList<captest::Record> records = captest::demoTrafficRecords();
    QCOMPARE(replay->firstUs, records.constFirst().timestampUs);
    QCOMPARE(replay->lastUs, records.constLast().timestampUs);
    QCOMPARE(replay->firstSecond(), captest::kDemoTrafficStartUs / 1000000);

    const SecondSpan all = timelineSpan(*replay, replay->lastUs, TimelineMode::UpTo, 10);
    QCOMPARE(all.from, replay->firstSecond());
    QCOMPARE(all.to, replay->lastSecond());
    for (const FlowRecord &flow : replay->flows()) {
        const SpanTraffic traffic = flowTraffic(flow, all);
        QCOMPARE(traffic.packets[0], flow.packetsAb);
        QCOMPARE(traffic.bytes[0], flow.bytesAb);
        QCOMPARE(traffic.packets[1], flow.packetsBa);
        QCOMPARE(traffic.bytes[1], flow.bytesBa);
    }

    // Ten seconds in: the orders → payment burst (seconds 20–35) has not begun.
    const std::int64_t tenIn = replay->firstUs + 10'000'000;
    const SecondSpan upTo = timelineSpan(*replay, tenIn, TimelineMode::UpTo, 10);
    QCOMPARE(upTo.to, replay->firstSecond() + 10);
    const SecondSpan window = timelineSpan(*replay, tenIn, TimelineMode::Window, 5);
    QCOMPARE(window.from, upTo.to - 4);
    QCOMPARE(window.to, upTo.to);
    std::uint64_t upToBytes = 0, windowBytes = 0, allBytes = 0;
    for (const FlowRecord &flow : replay->flows()) {
        upToBytes += flowTraffic(flow, upTo).totalBytes();
        windowBytes += flowTraffic(flow, window).totalBytes();
        allBytes += flowTraffic(flow, all).totalBytes();
        if (flow.aPort == 41020) // orders → payment
            QCOMPARE(flowTraffic(flow, upTo).totalPackets(), quint64(0));
    }
    QVERIFY(windowBytes > 0);
    QVERIFY(windowBytes < upToBytes);
    QVERIFY(upToBytes < allBytes);
}

void TestCaptureReplay::throughputAddsUpToTheFlows()
{
    auto replay = loadCaptureReplay(m_demoPcap, calicoAttributor(), {});
    QVERIFY(replay);
    const std::vector<std::uint64_t> total = throughputPerSecond(*replay);
    QCOMPARE(std::int64_t(total.size()), replay->secondCount());
    std::uint64_t flowBytes = 0;
    for (const FlowRecord &flow : replay->flows())
        flowBytes += flow.bytesAb + flow.bytesBa;
    QCOMPARE(std::accumulate(total.begin(), total.end(), std::uint64_t(0)), flowBytes);

    // Only the UDP flows: DNS at seconds 1, 21 and 40.
    const std::vector<std::uint64_t> dns = throughputPerSecond(
        *replay, [&](std::size_t i) { return replay->flows()[i].protocol == 17; });
    std::vector<int> busySeconds;
    for (std::size_t s = 0; s < dns.size(); ++s) {
        if (dns[s] > 0)
            busySeconds.push_back(int(s));
    }
    QCOMPARE(busySeconds, (std::vector<int>{1, 21, 40}));

    const auto byNamespace = throughputByNamespace(*replay);
    QVERIFY(byNamespace.count(QStringLiteral("sock-shop")));
    QVERIFY(byNamespace.count(QStringLiteral("kube-system")));
    const auto &kubeSystem = byNamespace.at(QStringLiteral("kube-system"));
    QCOMPARE(std::accumulate(kubeSystem.begin(), kubeSystem.end(), std::uint64_t(0)),
             std::accumulate(dns.begin(), dns.end(), std::uint64_t(0)));
}

void TestCaptureReplay::topTalkersAreOrdered()
{
    auto replay = loadCaptureReplay(m_demoPcap, calicoAttributor(), {});
    QVERIFY(replay);
    const SecondSpan all{replay->firstSecond(), replay->lastSecond()};
    const std::vector<Talker> talkers = topTalkers(*replay, all, 5);
    QCOMPARE(talkers.size(), std::size_t(5));
    for (std::size_t i = 1; i < talkers.size(); ++i)
        QVERIFY(talkers[i - 1].bytes >= talkers[i].bytes);
    // Recount the leader by hand.
    std::uint64_t leader = 0;
    for (std::size_t i = 0; i < replay->flows().size(); ++i) {
        const FlowRecord &f = replay->flows()[i];
        if (endpointLabel(replay->endpointA[i], f.a) == talkers[0].label ||
            endpointLabel(replay->endpointB[i], f.b) == talkers[0].label)
            leader += f.bytesAb + f.bytesBa;
    }
    QCOMPARE(talkers[0].bytes, leader);
    // An empty span has nobody talking.
    QVERIFY(topTalkers(*replay, {replay->lastSecond() + 1, replay->lastSecond() + 5}, 5).empty());
}

void TestCaptureReplay::progressAndCancel()
{
    // A bigger file so progress is reported along the way: the demo minute ten times over.
    QList<captest::Record> records;
    for (int copy = 0; copy < 10; ++copy) {
        for (captest::Record record : captest::demoTrafficRecords()) {
            record.timestampUs += std::int64_t(copy) * 60'000'000;
            records.append(record);
        }
    }
    const QString path = writeFile(m_dir, QStringLiteral("ten-minutes.pcap"),
                                   captest::pcapFile(captest::linktype::Ethernet, records));
    std::vector<double> reported;
    auto replay = loadCaptureReplay(path, {}, {}, nullptr,
                                    [&reported](double fraction) { reported.push_back(fraction); });
    QVERIFY(replay);
    QVERIFY(reported.size() >= 2);
    QVERIFY(std::is_sorted(reported.begin(), reported.end()));
    QVERIFY(reported.front() > 0 && reported.front() < 1);
    QCOMPARE(reported.back(), 1.0);

    std::atomic_bool cancel{true};
    auto cancelled = loadCaptureReplay(path, {}, {}, &cancel);
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
}

void TestCaptureReplay::unreadableCaptures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("reason"); // part of libpcap's words

    QTest::newRow("text file") << QStringLiteral("notes.pcap")
                               << QByteArray("these are notes, not packets\n")
                               << QStringLiteral("unknown file format");
    QTest::newRow("empty file") << QStringLiteral("empty.pcap") << QByteArray()
                                << QStringLiteral("truncated dump file");
    QTest::newRow("missing") << QStringLiteral("missing.pcap") << QByteArray("-")
                             << QStringLiteral("No such file");
}

void TestCaptureReplay::unreadableCaptures()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, contents);
    QFETCH(QString, reason);
    const QString path = contents == "-" ? m_dir.filePath(name) : writeFile(m_dir, name, contents);
    auto replay = loadCaptureReplay(path, {}, {});
    QVERIFY(!replay);
    const QString message = describe(replay.error());
    QVERIFY2(message.contains(path), qPrintable(message));
    QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));
}

void TestCaptureReplay::replayClock()
{
    ReplayClock clock;
    clock.setRange(10'000'000, 70'000'000); // a minute
    clock.seek(0);
    QCOMPARE(clock.position(), 10'000'000);
    clock.setSpeed(1.0);
    QVERIFY(clock.advance(40'000)); // one 40 ms frame at 1×
    QCOMPARE(clock.position(), 10'040'000);
    clock.setSpeed(10.0);
    QVERIFY(clock.advance(40'000));
    QCOMPARE(clock.position(), 10'440'000);
    clock.setSpeed(ReplayClock::AsFastAsPossible);
    QVERIFY(clock.advance(40'000)); // a hundredth of the minute, at least a second
    QCOMPARE(clock.position(), 11'440'000);
    int frames = 0;
    while (clock.advance(40'000))
        ++frames;
    QVERIFY(frames <= 100);
    QVERIFY(clock.atEnd());
    QCOMPARE(clock.position(), 70'000'000);
    QVERIFY(!clock.advance(40'000));
    clock.seek(99'000'000);
    QCOMPARE(clock.position(), 70'000'000);
}

void TestCaptureReplay::exportPacketsRoundTrip()
{
    auto replay = loadCaptureReplay(m_demoPcap, {}, {});
    QVERIFY(replay);
    // Two tunnelled flows and one bare one.
    std::vector<FlowRecord> chosen;
    for (const FlowRecord &flow : replay->flows()) {
        if (flow.aPort == 41010 || flow.aPort == 41070 || flow.protocol == 1)
            chosen.push_back(flow);
    }
    QCOMPARE(chosen.size(), std::size_t(3));
    const QString out = m_dir.filePath(QStringLiteral("chosen.pcap"));
    auto summary = exportFlowPackets(m_demoPcap, chosen, {}, out);
    QVERIFY2(summary, qPrintable(summary ? QString() : describe(summary.error())));
    QCOMPARE(summary->packetsRead, replay->report.summary.packets);
    std::uint64_t expected = 0;
    for (const FlowRecord &flow : chosen)
        expected += flow.packetsAb + flow.packetsBa;
    QCOMPARE(summary->packetsWritten, expected);

    // Read back: exactly those flows, with the same counts, and the same link type.
    auto source = PcapSource::openFile(out);
    QVERIFY(source);
    QCOMPARE((*source)->linkType(), replay->linkType);
    auto back = loadCaptureReplay(out, {}, {});
    QVERIFY(back);
    std::sort(chosen.begin(), chosen.end(), flowRecordLess);
    QCOMPARE(describeFlows(back->flows()), describeFlows(chosen));

    // tshark agrees on the frame count.
    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    if (tshark.isEmpty())
        return; // the libpcap read-back above already proved the content
    QProcess process;
    process.start(tshark,
                  {QStringLiteral("-r"), out, QStringLiteral("-T"), QStringLiteral("fields"),
                   QStringLiteral("-e"), QStringLiteral("frame.number")});
    QVERIFY(process.waitForFinished(60'000));
    QCOMPARE(process.exitCode(), 0);
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(quint64(lines.size()), expected);
}

void TestCaptureReplay::exportPacketsOfFixtures()
{
    const QStringList files = fixturePcaps();
    if (files.isEmpty())
        QSKIP("../shared/fixtures/pcap is absent");
    int checked = 0;
    int damaged = 0;
    for (const QString &file : files) {
        auto replay = loadCaptureReplay(file, {}, {});
        if (!replay || replay->flows().size() < 2)
            continue; // not a capture, or nothing to choose from
        // Every other flow.
        std::vector<FlowRecord> chosen;
        for (std::size_t i = 0; i < replay->flows().size(); i += 2)
            chosen.push_back(replay->flows()[i]);
        const QString out = m_dir.filePath(QFileInfo(file).completeBaseName() + u"-half.pcap");
        auto summary = exportFlowPackets(file, chosen, {}, out);
        QVERIFY2(summary,
                 qPrintable(file + u": " + (summary ? QString() : describe(summary.error()))));
        // A damaged file is exported up to its damage, as far as the replay read it.
        QCOMPARE(bool(summary->readError), bool(replay->report.summary.readError));
        QCOMPARE(summary->packetsRead, replay->report.summary.packets);
        auto back = loadCaptureReplay(out, {}, {});
        QVERIFY2(back, qPrintable(out));
        QVERIFY2(describeFlows(back->flows(), false) == describeFlows(chosen, false),
                 qPrintable(file));
        QVERIFY(!back->report.summary.readError);
        damaged += replay->report.summary.readError ? 1 : 0;
        ++checked;
    }
    QVERIFY2(checked >= 10, qPrintable(QString::number(checked)));
    QVERIFY(damaged >= 1); // the truncated fixtures
}

void TestCaptureReplay::exportToUnwritablePathFails()
{
    auto replay = loadCaptureReplay(m_demoPcap, {}, {});
    QVERIFY(replay);
    const QString out = m_dir.filePath(QStringLiteral("no/such/dir/out.pcap"));
    auto summary = exportFlowPackets(m_demoPcap, replay->flows(), {}, out);
    QVERIFY(!summary);
    QCOMPARE(summary.error().code, ErrorCode::WriteFailed);
    QVERIFY(describe(summary.error()).contains(out));
    QVERIFY(!QFile::exists(out));
}

QTEST_GUILESS_MAIN(TestCaptureReplay)
#include "tst_capture_replay.moc"
