// Capture replay in the real window (offscreen): a pcap of the Calico demo's traffic opened on
// the demo snapshot; the flows table against `cartograph-cli flows` for the same file, its
// filter bar, the timeline driving table, charts and the diagram's flow overlay, selecting a
// flow, exporting flows and packets, fixture captures, and a file that is not a capture.

#include "FlowOverlay.h"
#include "FlowTableModel.h"
#include "InspectorPanel.h"
#include "LaunchOptions.h"
#include "MainWindow.h"
#include "ReplayTimeline.h"
#include "TopologyView.h"
#include "TrafficCharts.h"
#include "support/DemoTraffic.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDirIterator>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace cartograph;
using namespace cartograph::app;

namespace {

constexpr int LoadTimeout = 30'000;
const QString kCalicoJson = QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/calico.json");

MainWindow::Options testOptions()
{
    MainWindow::Options options;
    options.persistWindowState = false;
    return options;
}

// `cartograph-cli flows` for the same file: the oracle for what the table must hold.
QJsonArray cliFlows(const QString &pcap, bool withSnapshot = true)
{
    QProcess cli;
    QStringList arguments{QStringLiteral("flows"), QStringLiteral("--pcap"), pcap};
    if (withSnapshot)
        arguments << QStringLiteral("--snapshot") << kCalicoJson;
    cli.start(QStringLiteral(CARTOGRAPH_CLI_PATH), arguments);
    if (!cli.waitForFinished(60'000) || cli.exitCode() != 0) {
        qWarning() << "cartograph-cli failed:" << cli.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(cli.readAllStandardOutput())
        .object()
        .value(QStringLiteral("flows"))
        .toArray();
}

QByteArray cliCsv(const QString &pcap)
{
    QProcess cli;
    cli.start(QStringLiteral(CARTOGRAPH_CLI_PATH),
              {QStringLiteral("flows"), QStringLiteral("--pcap"), pcap,
               QStringLiteral("--snapshot"), kCalicoJson, QStringLiteral("--format"),
               QStringLiteral("csv")});
    if (!cli.waitForFinished(60'000) || cli.exitCode() != 0)
        return {};
    return cli.readAllStandardOutput();
}

int countCli(const QJsonArray &flows, const std::function<bool(const QJsonObject &)> &accept)
{
    int count = 0;
    for (const QJsonValue &flow : flows) {
        if (accept(flow.toObject()))
            ++count;
    }
    return count;
}

QString endpointNamespace(const QJsonObject &side)
{
    return side.value(QStringLiteral("endpoint"))
        .toObject()
        .value(QStringLiteral("namespace"))
        .toString();
}

} // namespace

class TestGuiCapture : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void tableMatchesCli();
    void filterBar();
    void timelineDrivesEverything();
    void playbackReachesTheEnd();
    void selectingAFlowHighlightsIt();
    void exportFlowsMatchesCli_data();
    void exportFlowsMatchesCli();
    void exportPacketsRoundTrips();
    void fixtureCapturesMatchCli();
    void notACaptureKeepsWhatWasShown();
    void newSnapshotReattributesTheCapture();
    void dropOpensCapture();
    void launchOptions();

private:
    bool openDemoWithCapture(const QString &pcap);

    QTemporaryDir m_dir;
    QString m_pcap;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_errors;
};

void TestGuiCapture::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_pcap = m_dir.filePath(QStringLiteral("calico-traffic.pcap"));
    QFile file(m_pcap);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(captest::demoTrafficPcap());
}

void TestGuiCapture::init()
{
    m_errors.clear();
    m_window = std::make_unique<MainWindow>(testOptions());
    m_window->setErrorReporter([this](const QString &title, const QString &message) {
        m_errors << title + u": " + message;
    });
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestGuiCapture::cleanup()
{
    m_window.reset();
}

bool TestGuiCapture::openDemoWithCapture(const QString &pcap)
{
    QSignalSpy captured(m_window.get(), &MainWindow::captureLoaded);
    // The capture is asked for while the snapshot still loads: it waits for it.
    m_window->openDemo(DemoFlavour::CalicoIpIp);
    m_window->openCapture(pcap);
    return QTest::qWaitFor([&] { return captured.count() > 0; }, LoadTimeout);
}

void TestGuiCapture::tableMatchesCli()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    QAbstractItemModelTester sourceTester(m_window->flowModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(m_window->flowFilter(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QJsonArray cli = cliFlows(m_pcap);
    QVERIFY(!cli.isEmpty());
    QCOMPARE(m_window->flowModel()->rowCount(), cli.size());
    // At the end of the timeline every flow has traffic, so all are listed.
    QCOMPARE(m_window->flowFilter()->rowCount(), cli.size());

    // Row by row in the capture's order: the same endpoints and counts as the CLI.
    FlowTableModel *model = m_window->flowModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QJsonObject flow = cli.at(row).toObject();
        const auto cell = [&](int column) {
            return model->index(row, column).data(FlowTableModel::SortRole);
        };
        QCOMPARE(cell(FlowTableModel::Protocol).toString(),
                 flow.value(QStringLiteral("protocol")).toString());
        QCOMPARE(cell(FlowTableModel::PacketsAB).toULongLong(),
                 qulonglong(flow.value(QStringLiteral("packets_ab")).toInteger()));
        QCOMPARE(cell(FlowTableModel::BytesBA).toULongLong(),
                 qulonglong(flow.value(QStringLiteral("bytes_ba")).toInteger()));
        const QJsonObject a = flow.value(QStringLiteral("a")).toObject();
        const QJsonObject endpoint = a.value(QStringLiteral("endpoint")).toObject();
        const QString kind = endpoint.value(QStringLiteral("kind")).toString();
        const QString expected = kind == u"pod" || kind == u"service"
                                     ? endpoint.value(QStringLiteral("namespace")).toString() +
                                           u'/' + endpoint.value(QStringLiteral("name")).toString()
                                 : kind == u"node"
                                     ? endpoint.value(QStringLiteral("name")).toString()
                                     : a.value(QStringLiteral("ip")).toString();
        QCOMPARE(cell(FlowTableModel::EndpointA).toString(), expected);
    }

    // The overlay draws pod-to-pod curves across nodes, and the external anchor.
    const auto overlay = m_window->topologyView()->flowOverlay();
    QVERIFY(overlay);
    QVERIFY(overlay->usesExternalAnchor());
    const auto &shapes = m_window->cluster().scene->shapes();
    int podToPod = 0;
    for (const diagram::FlowOverlayEdge &edge : overlay->edges()) {
        if (edge.fromShape >= 0 && edge.toShape >= 0 &&
            shapes[edge.fromShape].kind == diagram::ShapeKind::Pod &&
            shapes[edge.toShape].kind == diagram::ShapeKind::Pod &&
            shapes[edge.fromShape].parent != shapes[edge.toShape].parent && edge.tunnel)
            ++podToPod;
    }
    QVERIFY2(podToPod >= 3, qPrintable(overlay->dump(*m_window->cluster().scene)));
    QVERIFY(m_window->findChild<QDockWidget *>(QStringLiteral("flowsDock"))->isVisible());
}

void TestGuiCapture::filterBar()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    const QJsonArray cli = cliFlows(m_pcap);
    FlowFilterModel *filter = m_window->flowFilter();
    QAbstractItemModelTester tester(filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *protocol = m_window->findChild<QComboBox *>(QStringLiteral("flowProtocolFilter"));
    auto *ns = m_window->findChild<QComboBox *>(QStringLiteral("flowNamespaceFilter"));
    auto *name = m_window->findChild<QLineEdit *>(QStringLiteral("flowNameFilter"));
    auto *port = m_window->findChild<QLineEdit *>(QStringLiteral("flowPortFilter"));
    QVERIFY(protocol && ns && name && port);

    protocol->setCurrentIndex(protocol->findData(QStringLiteral("UDP")));
    const int udp = countCli(cli, [](const QJsonObject &f) {
        return f.value(QStringLiteral("protocol")).toString() == u"UDP";
    });
    QCOMPARE(udp, 3);
    QCOMPARE(filter->rowCount(), udp);
    protocol->setCurrentIndex(0);
    QCOMPARE(filter->rowCount(), cli.size());

    const int kubeSystem = ns->findData(QStringLiteral("kube-system"));
    QVERIFY(kubeSystem > 0);
    ns->setCurrentIndex(kubeSystem);
    QCOMPARE(
        filter->rowCount(), countCli(cli, [](const QJsonObject &f) {
            return endpointNamespace(f.value(QStringLiteral("a")).toObject()) == u"kube-system" ||
                   endpointNamespace(f.value(QStringLiteral("b")).toObject()) == u"kube-system";
        }));
    ns->setCurrentIndex(0);

    port->setText(QStringLiteral("27017"));
    QCOMPARE(
        filter->rowCount(), countCli(cli, [](const QJsonObject &f) {
            return f.value(QStringLiteral("b")).toObject().value(QStringLiteral("port")).toInt() ==
                   27017;
        }));
    QCOMPARE(filter->rowCount(), 3);
    port->clear();

    name->setText(QStringLiteral("rabbitmq"));
    QCOMPARE(filter->rowCount(), 2); // queue-master and shipping
    name->setText(QStringLiteral("rabbitmq shipping-nobody"));
    QCOMPARE(filter->rowCount(), 0);
    name->clear();
    QCOMPARE(filter->rowCount(), cli.size());
    QCOMPARE(m_window->findChild<QLabel *>(QStringLiteral("flowCount"))->text(),
             QStringLiteral("%1 of %1 flows").arg(cli.size()));
}

void TestGuiCapture::timelineDrivesEverything()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    ReplayTimeline *timeline = m_window->timeline();
    const auto &replay = m_window->captureReplay();
    QCOMPARE(timeline->position(), replay->lastUs);
    const std::uint64_t chartAtEnd = m_window->charts()->shownTotalBytes();
    const std::uint64_t overlayAtEnd = m_window->topologyView()->flowOverlay()->totalBytes();
    const int rowsAtEnd = m_window->flowFilter()->rowCount();
    QCOMPARE(overlayAtEnd, chartAtEnd); // both count every IP byte
    const std::vector<capture::Talker> talkersAtEnd = m_window->charts()->talkers();
    QVERIFY(!talkersAtEnd.empty());

    // Ten seconds in: less everywhere; the orders → payment burst has not started.
    timeline->seek(replay->firstUs + 10'000'000);
    const std::uint64_t chartEarly = m_window->charts()->shownTotalBytes();
    const std::uint64_t overlayEarly = m_window->topologyView()->flowOverlay()->totalBytes();
    QVERIFY(chartEarly > 0 && chartEarly < chartAtEnd);
    QCOMPARE(overlayEarly, chartEarly);
    QVERIFY(m_window->flowFilter()->rowCount() < rowsAtEnd);
    for (int row = 0; row < m_window->flowFilter()->rowCount(); ++row) {
        QVERIFY(m_window->flowFilter()->index(row, FlowTableModel::PortA).data().toInt() != 41020);
    }
    QCOMPARE(m_window->charts()->totalSeries()->count(), 11); // seconds 0..10
    QVERIFY(!m_window->charts()->totalSeries()->pointsVisible());
    // At the first second the throughput is one point: drawn as a marker, not an empty line.
    timeline->seek(replay->firstUs);
    QCOMPARE(m_window->charts()->totalSeries()->count(), 1);
    QVERIFY(m_window->charts()->totalSeries()->pointsVisible());
    timeline->seek(replay->firstUs + 10'000'000);

    // A window of the last ten seconds at 30 s: not what was before.
    timeline->setMode(capture::TimelineMode::Window);
    timeline->seek(replay->firstUs + 30'000'000);
    const std::uint64_t windowBytes = m_window->topologyView()->flowOverlay()->totalBytes();
    timeline->setMode(capture::TimelineMode::UpTo);
    const std::uint64_t upToBytes = m_window->topologyView()->flowOverlay()->totalBytes();
    QVERIFY(windowBytes > 0 && windowBytes < upToBytes);

    timeline->seek(replay->lastUs);
    QCOMPARE(m_window->charts()->shownTotalBytes(), chartAtEnd);
    QCOMPARE(m_window->flowFilter()->rowCount(), rowsAtEnd);
}

void TestGuiCapture::playbackReachesTheEnd()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    ReplayTimeline *timeline = m_window->timeline();
    QSignalSpy moved(timeline, &ReplayTimeline::positionChanged);
    timeline->setSpeed(capture::ReplayClock::AsFastAsPossible);
    timeline->play(); // from the end: starts over
    QVERIFY(timeline->isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!timeline->isPlaying(), 20'000);
    QCOMPARE(timeline->position(), m_window->captureReplay()->lastUs);
    QVERIFY(moved.count() > 10); // it went there frame by frame
}

void TestGuiCapture::selectingAFlowHighlightsIt()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    QTableView *table = m_window->flowTable();
    FlowFilterModel *filter = m_window->flowFilter();
    m_window->findChild<QLineEdit *>(QStringLiteral("flowPortFilter"))
        ->setText(QStringLiteral("80"));
    m_window->findChild<QLineEdit *>(QStringLiteral("flowNameFilter"))
        ->setText(QStringLiteral("catalogue"));
    QCOMPARE(filter->rowCount(), 1);
    table->selectionModel()->select(filter->index(0, 0), QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
    QCOMPARE(m_window->selectedFlows().size(), std::size_t(1));
    const auto overlay = m_window->topologyView()->flowOverlay();
    int selected = 0;
    for (const diagram::FlowOverlayEdge &edge : overlay->edges())
        selected += edge.selected ? 1 : 0;
    QCOMPARE(selected, 1);
    QCOMPARE(m_window->inspector()->title(), QStringLiteral("TCP flow"));
    const QString details = m_window->inspector()->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("front-end-xh8pw6sfgk-kq222")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("ipip · 192.168.56.12")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("(worker-2)")), qPrintable(details));
    QVERIFY(m_window->findChild<QAction *>(QStringLiteral("actionExportPackets"))->isEnabled());
}

void TestGuiCapture::exportFlowsMatchesCli_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::newRow("csv") << QStringLiteral("csv");
    QTest::newRow("json") << QStringLiteral("json");
}

void TestGuiCapture::exportFlowsMatchesCli()
{
    QFETCH(QString, suffix);
    QVERIFY(openDemoWithCapture(m_pcap));
    const QString path = m_dir.filePath(QStringLiteral("flows.") + suffix);
    QSignalSpy exported(m_window.get(), &MainWindow::flowsExported);
    m_window->exportFlowsTo(path);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, LoadTimeout);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    if (suffix == u"csv") {
        QCOMPARE(written, cliCsv(m_pcap));
    } else {
        const QJsonArray flows =
            QJsonDocument::fromJson(written).object().value(QStringLiteral("flows")).toArray();
        QCOMPARE(flows, cliFlows(m_pcap));
    }
}

void TestGuiCapture::exportPacketsRoundTrips()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    QTableView *table = m_window->flowTable();
    FlowFilterModel *filter = m_window->flowFilter();
    m_window->findChild<QComboBox *>(QStringLiteral("flowProtocolFilter"))
        ->setCurrentIndex(m_window->findChild<QComboBox *>(QStringLiteral("flowProtocolFilter"))
                              ->findData(QStringLiteral("UDP")));
    QCOMPARE(filter->rowCount(), 3);
    table->selectAll();
    QCOMPARE(m_window->selectedFlows().size(), std::size_t(3));

    const QString out = m_dir.filePath(QStringLiteral("dns.pcap"));
    QSignalSpy exported(m_window.get(), &MainWindow::packetsExported);
    m_window->exportSelectedPacketsTo(out);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, LoadTimeout);
    QCOMPARE(exported.at(0).at(1).toULongLong(), quint64(6)); // three queries, three answers

    // Only the DNS flows are in it: the CLI sees exactly those.
    const QJsonArray back = cliFlows(out);
    QCOMPARE(back.size(), 3);
    for (const QJsonValue &flow : back) {
        QCOMPARE(flow.toObject().value(QStringLiteral("protocol")).toString(),
                 QStringLiteral("UDP"));
        QCOMPARE(flow.toObject()
                     .value(QStringLiteral("b"))
                     .toObject()
                     .value(QStringLiteral("port"))
                     .toInt(),
                 53);
    }
}

void TestGuiCapture::fixtureCapturesMatchCli()
{
    const QString root = QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/pcap");
    if (!QFileInfo::exists(root))
        QSKIP("../shared/fixtures/pcap is absent");
    QVERIFY(openDemoWithCapture(m_pcap));
    const QStringList files{
        root + QStringLiteral("/generated/flannel-node1-eth0-underlay-vxlan8472.pcap"),
        root + QStringLiteral("/generated/derived-calico-style-ipip.pcap"),
        root + QStringLiteral("/pcapplusplus/four_ipv6_http_streams.pcap"),
        root + QStringLiteral("/tcpdump/dns_udp.pcap"),
    };
    for (const QString &file : files) {
        QVERIFY2(QFileInfo::exists(file), qPrintable(file));
        QSignalSpy captured(m_window.get(), &MainWindow::captureLoaded);
        m_window->openCapture(file);
        QVERIFY(QTest::qWaitFor([&] { return captured.count() > 0; }, LoadTimeout));
        const QJsonArray cli = cliFlows(file);
        QVERIFY2(!cli.isEmpty(), qPrintable(file));
        QCOMPARE(m_window->flowModel()->rowCount(), cli.size());
        QCOMPARE(m_window->flowFilter()->rowCount(), cli.size());
    }
}

void TestGuiCapture::notACaptureKeepsWhatWasShown()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    const QString bogus = m_dir.filePath(QStringLiteral("notes.pcap"));
    QFile file(bogus);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("these are notes, not packets\n");
    file.close();

    QSignalSpy failed(m_window.get(), &MainWindow::captureFailed);
    const auto replayBefore = m_window->captureReplay();
    const auto snapshotBefore = m_window->cluster().snapshot;
    m_window->openCapture(bogus);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, LoadTimeout);
    QCOMPARE(m_errors.size(), 1);
    QVERIFY2(m_errors.constFirst().contains(bogus), qPrintable(m_errors.constFirst()));
    QVERIFY2(m_errors.constFirst().contains(QStringLiteral("unknown file format")),
             qPrintable(m_errors.constFirst()));
    QVERIFY2(m_errors.constFirst().contains(QStringLiteral("Still showing")),
             qPrintable(m_errors.constFirst()));
    QCOMPARE(m_window->captureReplay(), replayBefore);
    QCOMPARE(m_window->cluster().snapshot, snapshotBefore);
    QVERIFY(m_window->topologyView()->flowOverlay());
    QCOMPARE(m_window->flowModel()->rowCount(), int(replayBefore->flows().size()));
}

void TestGuiCapture::newSnapshotReattributesTheCapture()
{
    QVERIFY(openDemoWithCapture(m_pcap));
    const auto before = m_window->captureReplay();
    const QString podLabel =
        m_window->flowModel()->index(0, FlowTableModel::EndpointA).data().toString();
    QCOMPARE(podLabel, QStringLiteral("sock-shop/carts-h5vctklg7g-jx8xn"));

    // A snapshot of one bare node: the pods' addresses are nobody's now.
    const QString lonely = m_dir.filePath(QStringLiteral("lonely.json"));
    QFile file(lonely);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "lonely-node"},
         "status": {"addresses": [{"type": "InternalIP", "address": "192.168.56.12"}]}}]})");
    file.close();
    QSignalSpy captured(m_window.get(), &MainWindow::captureLoaded);
    m_window->openFiles({lonely});
    QTRY_COMPARE_WITH_TIMEOUT(captured.count(), 1, LoadTimeout);
    QVERIFY(m_errors.isEmpty());
    const auto after = m_window->captureReplay();
    QVERIFY(after != before);
    QCOMPARE(after->path, before->path);
    QCOMPARE(after->flows().size(), before->flows().size());
    QCOMPARE(m_window->flowModel()->index(0, FlowTableModel::EndpointA).data().toString(),
             QStringLiteral("10.244.1.2"));
    QStringList names;
    for (int row = 0; row < m_window->flowModel()->rowCount(); ++row)
        names << m_window->flowModel()->index(row, FlowTableModel::EndpointA).data().toString();
    QVERIFY2(names.contains(QStringLiteral("lonely-node")), qPrintable(names.join(u' ')));
    // Everything but the node now meets at the external anchor.
    const auto overlay = m_window->topologyView()->flowOverlay();
    QVERIFY(overlay && overlay->usesExternalAnchor());
}

void TestGuiCapture::dropOpensCapture()
{
    QSignalSpy loaded(m_window.get(), &MainWindow::snapshotLoaded);
    m_window->openDemo(DemoFlavour::CalicoIpIp);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, LoadTimeout);
    QSignalSpy captured(m_window.get(), &MainWindow::captureLoaded);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_pcap)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QTRY_COMPARE_WITH_TIMEOUT(captured.count(), 1, LoadTimeout);
    QCOMPARE(m_window->captureReplay()->path, m_pcap);
    QCOMPARE(loaded.count(), 1); // the snapshot stays: dropping a capture reloads nothing else
    QVERIFY(m_window->cluster().ok());
}

void TestGuiCapture::launchOptions()
{
    const auto parse = [](const QStringList &arguments) {
        return parseLaunchOptions(QStringList{QStringLiteral("cartograph")} + arguments);
    };
    {
        const auto parsed = parse({QStringLiteral("--demo"), QStringLiteral("calico"),
                                   QStringLiteral("--capture"), QStringLiteral("a.pcapng")});
        const auto *options = std::get_if<LaunchOptions>(&parsed);
        QVERIFY(options);
        QCOMPARE(options->capture, QStringLiteral("a.pcapng"));
        QVERIFY(options->files.isEmpty());
    }
    {
        const auto parsed = parse({QStringLiteral("snap.json"), QStringLiteral("trace.pcap")});
        const auto *options = std::get_if<LaunchOptions>(&parsed);
        QVERIFY(options);
        QCOMPARE(options->capture, QStringLiteral("trace.pcap"));
        QCOMPARE(options->files, QStringList{QStringLiteral("snap.json")});
    }
    {
        const auto parsed = parse({QStringLiteral("one.pcap"), QStringLiteral("two.pcap")});
        const auto *exit = std::get_if<LaunchExit>(&parsed);
        QVERIFY(exit);
        QCOMPARE(exit->exitCode, 2);
        QVERIFY(exit->message.contains(QStringLiteral("two.pcap")));
    }
}

QTEST_MAIN(TestGuiCapture)
#include "tst_gui_capture.moc"
