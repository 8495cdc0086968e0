// The window's live parts against real things: the Connect dialog on kubeconfigs the test API
// server writes (and broken ones), LiveCluster listing and watching that server over HTTPS, the
// main window following changes made on the server (keeping the user's zoom, scroll and
// selection, repainting only what changed, re-attributing a replayed capture), the diagnostics
// panel, and the Live Capture dialog capturing real packets on the loopback interface (root
// only: capturing needs privileges).

#include "ConnectDialog.h"
#include "DiagnosticsPanel.h"
#include "FlowTableModel.h"
#include "InspectorPanel.h"
#include "LiveCaptureDialog.h"
#include "LiveCluster.h"
#include "MainWindow.h"
#include "ReplayTimeline.h"
#include "SnapshotIo.h"
#include "TestApiServer.h"
#include "TopologyView.h"
#include "Translations.h"
#include "support/DemoTraffic.h"
#include "support/PaintRecorder.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPaintEvent>
#include <QScreen>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>
#include <unistd.h>

using namespace cartograph;
using namespace cartograph::app;
using namespace Qt::StringLiterals;
using cartograph::testing::PaintRecorder;
using cartograph::testing::TestApiServer;
using diagram::ModelKind;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QByteArray podJson(const QString &name)
{
    return QStringLiteral(
               "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%1\","
               "\"namespace\":\"sock-shop\",\"labels\":{\"app\":\"probe\"}},\"spec\":{"
               "\"nodeName\":\"worker-1\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},"
               "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.1.200\",\"podIPs\":[{\"ip\":"
               "\"10.244.1.200\"}]}}")
        .arg(name)
        .toUtf8();
}

kube::KubeconfigLocation explicitFile(const QString &path)
{
    kube::KubeconfigLocation location;
    location.explicitPath = path;
    return location;
}

// With CARTOGRAPH_SCREENSHOT_DIR set, the dialogs are saved as PNGs there (to look at them).
void saveScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("CARTOGRAPH_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    widget.show();
    QVERIFY(widget.grab().save(dir + u'/' + name));
}

// A main window as the user has it, shown at a fixed size; errors are collected rather than
// shown in dialogs, and settings are not written.
struct ShownWindow
{
    static MainWindow::Options options()
    {
        MainWindow::Options options;
        options.persistWindowState = false;
        return options;
    }
    ShownWindow()
        : window(options())
    {
        window.setErrorReporter([this](const QString &title, const QString &message) {
            errors += title + u": "_s + message + u'\n';
        });
        window.resize(1400, 900);
        window.show();
    }
    MainWindow window;
    QString errors;
};

// What the screen shows of the window (not a fresh rendering, as QWidget::grab() would make):
// with CARTOGRAPH_SCREENSHOT_DIR set, to look for anything drawn stale after a live update.
void saveShownWindow(QWidget &window, const QString &name)
{
    const QString dir = qEnvironmentVariable("CARTOGRAPH_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QVERIFY(window.screen()->grabWindow(window.winId()).save(dir + u'/' + name));
}

// The demo's pod, as the API server holds it, with the status phase given.
QByteArray demoPodJson(const QString &demoPath, const QString &name, const QString &phase)
{
    const QJsonArray items =
        QJsonDocument::fromJson(readFile(demoPath)).object().value(u"items").toArray();
    for (const QJsonValue &item : items) {
        QJsonObject pod = item.toObject();
        if (pod.value(u"kind").toString() != u"Pod" ||
            pod.value(u"metadata").toObject().value(u"name").toString() != name)
            continue;
        QJsonObject status = pod.value(u"status").toObject();
        status.insert(u"phase"_s, phase);
        pod.insert(u"status"_s, status);
        pod.insert(u"apiVersion"_s, u"v1"_s);
        return QJsonDocument(pod).toJson(QJsonDocument::Compact);
    }
    return {};
}

bool hasFinding(const QList<kube::Finding> &findings, const QString &needle)
{
    for (const kube::Finding &finding : findings) {
        const QString text =
            finding.title + u' ' + finding.detail + u' ' + finding.suggestion + u' ' + finding.id;
        if (text.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

class TestGuiLive : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void connectDialogListsContexts();
    void connectDialogExplainsBrokenKubeconfigs_data();
    void connectDialogExplainsBrokenKubeconfigs();
    void connectDialogWarnsAboutInsecureTls();
    void liveClusterListsAndWatches();
    void liveClusterDegradesOnForbiddenResources();
    void liveClusterDiagnosesRejectedCredentials();
    void liveClusterNeverRunsARefusedExecPlugin();
    void windowKeepsViewAcrossLiveUpdates();
    void liveUpdateReattributesTheCapture();
    void diagnosticsPanelSummarises();
    void liveCaptureRejectsBadFilter();
    void liveCaptureShowsFlowsAndKeepsPcapng();
    void liveCaptureFlowsReachTheWindow();

private:
    QString demoJson() const;
    TestApiServer m_server;
    QTemporaryDir m_dir;
    QString m_kubeconfig;
};

QString TestGuiLive::demoJson() const
{
    return QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/calico.json");
}

void TestGuiLive::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the main window's settings stay the test's own
    QVERIFY(m_dir.isValid());
    // English plurals ("1 error", "2 errors") come from the translation, as in the application.
    installTranslators(*QCoreApplication::instance(), QLocale(QLocale::English));
    if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        QSKIP("openssl is not on PATH: the test API server makes its certificates with it");
    const Status started = m_server.start();
    QVERIFY2(started, started ? "" : qPrintable(describe(started.error())));
    QVERIFY(m_server.loadObjects(readFile(demoJson())) > 0);
    m_kubeconfig = m_server.writeKubeconfig(m_dir.filePath(u"config"_s), u"test"_s);
    QVERIFY(QFile::exists(m_kubeconfig));
}

void TestGuiLive::connectDialogListsContexts()
{
    // Two files merged as kubectl merges KUBECONFIG: the first file's current-context wins.
    const QString second = m_server.writeKubeconfig(m_dir.filePath(u"second"_s), u"staging"_s);
    kube::KubeconfigLocation location;
    location.kubeconfigEnv = m_kubeconfig + u':' + second;
    ConnectDialog dialog;
    dialog.load(location);
    QTableWidget *table = dialog.contextTable();
    QCOMPARE(table->rowCount(), 2);
    QStringList names;
    for (int row = 0; row < table->rowCount(); ++row)
        names << table->item(row, 1)->text();
    QCOMPARE(names, (QStringList{u"staging"_s, u"test"_s}));
    // The current context is selected and resolved; the Connect button is on.
    QVERIFY(dialog.connection().has_value());
    QCOMPARE(dialog.connection()->contextName, u"test"_s);
    QCOMPARE(dialog.connection()->server, m_server.url());
    QVERIFY(describeConnection(*dialog.connection()).contains(m_server.url().toString()));
    QVERIFY(dialog.namespaceScope().isEmpty()); // all namespaces by default
    saveScreenshot(dialog, u"connect-dialog.png"_s);
    table->selectRow(0);
    QCOMPARE(dialog.connection()->contextName, u"staging"_s);
}

void TestGuiLive::connectDialogExplainsBrokenKubeconfigs_data()
{
    QTest::addColumn<QByteArray>("content"); // empty: no file at all
    QTest::addColumn<QStringList>("needles");
    QTest::newRow("missing") << QByteArray() << QStringList{u"nowhere"_s};
    QTest::newRow("not YAML") << QByteArray("apiVersion: v1\nclusters: [\n  - name: x\n")
                              << QStringList{u"broken.yaml"_s, u"line"_s};
    QTest::newRow("auth-provider")
        << QByteArray("apiVersion: v1\nkind: Config\ncurrent-context: gke\nclusters:\n- name: c\n"
                      "  cluster:\n    server: https://203.0.113.5\ncontexts:\n- name: gke\n"
                      "  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n"
                      "    auth-provider:\n      name: gcp\n")
        << QStringList{u"gke-gcloud-auth-plugin"_s};
}

void TestGuiLive::connectDialogExplainsBrokenKubeconfigs()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, needles);
    const QString path =
        content.isEmpty() ? m_dir.filePath(u"nowhere/config"_s) : m_dir.filePath(u"broken.yaml"_s);
    if (!content.isEmpty())
        QVERIFY(writeFile(path, content));
    ConnectDialog dialog;
    dialog.load(explicitFile(path));
    QVERIFY(!dialog.connection().has_value()); // nothing to connect to
    // The problem (or, for a context that loads but cannot resolve, the details) says why.
    QString shown = dialog.problemText();
    for (QLabel *label : dialog.findChildren<QLabel *>())
        shown += u'\n' + label->text();
    for (const QString &needle : needles)
        QVERIFY2(shown.contains(needle), qPrintable(shown));
}

void TestGuiLive::connectDialogWarnsAboutInsecureTls()
{
    QByteArray config = readFile(m_kubeconfig);
    QVERIFY(config.contains("certificate-authority"));
    const QString path = m_dir.filePath(u"insecure"_s);
    // Replace the CA by insecure-skip-tls-verify, as people do when they should not.
    QByteArray insecure;
    for (const QByteArray &line : config.split('\n')) {
        if (line.trimmed().startsWith("certificate-authority"))
            insecure += line.left(line.indexOf('c')) + "insecure-skip-tls-verify: true\n";
        else
            insecure += line + '\n';
    }
    QVERIFY(writeFile(path, insecure));
    ConnectDialog dialog;
    dialog.load(explicitFile(path));
    QVERIFY(dialog.connection().has_value());
    QVERIFY(dialog.connection()->insecureSkipTlsVerify);
    QVERIFY(describeConnection(*dialog.connection()).contains(u"TLS verification is off"_s));
}

void TestGuiLive::liveClusterListsAndWatches()
{
    ConnectDialog dialog;
    dialog.load(explicitFile(m_kubeconfig));
    QVERIFY(dialog.connection().has_value());
    LiveCluster live;
    QSignalSpy models(&live, &LiveCluster::modelChanged);
    QSignalSpy states(&live, &LiveCluster::stateChanged);
    QVERIFY(live.connectTo(*dialog.connection(), {}));
    QTRY_VERIFY_WITH_TIMEOUT(!models.isEmpty(), 20000);
    const auto initial = models.takeFirst();
    QVERIFY(initial.at(2).toBool());
    const ClusterSnapshot first = initial.at(0).value<ClusterSnapshot>();
    QCOMPARE(first.pods.size(), qsizetype(m_server.objectCount(u"pods"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(live.state(), kube::ConnectionState::Live, 10000);
    QVERIFY(live.statusText().contains(u"live"_s));

    // A pod created while watching arrives as a change batch with the new model.
    QVERIFY(!m_server.upsertObject(podJson(u"probe-1"_s)).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!models.isEmpty(), 10000);
    const auto batch = models.takeFirst();
    QVERIFY(!batch.at(2).toBool());
    const auto changes = batch.at(1).value<QList<kube::ObjectChange>>();
    QVERIFY(!changes.isEmpty());
    QCOMPARE(changes.first().name, u"probe-1"_s);
    QCOMPARE(batch.at(0).value<ClusterSnapshot>().pods.size(), first.pods.size() + 1);

    live.disconnectFromCluster();
    QCOMPARE(live.state(), kube::ConnectionState::Disconnected);
    QVERIFY(!live.isActive());
    // A change after disconnecting reaches nobody.
    QVERIFY(m_server.deleteObject(u"pods"_s, u"sock-shop"_s, u"probe-1"_s));
    QTest::qWait(300);
    QVERIFY(models.isEmpty());
}

void TestGuiLive::liveClusterDegradesOnForbiddenResources()
{
    ConnectDialog dialog;
    dialog.load(explicitFile(m_kubeconfig));
    m_server.setForbidden(u"networkpolicies"_s);
    LiveCluster live;
    QSignalSpy models(&live, &LiveCluster::modelChanged);
    QVERIFY(live.connectTo(*dialog.connection(), {}));
    QTRY_VERIFY_WITH_TIMEOUT(!models.isEmpty(), 20000);
    m_server.setForbidden(u"networkpolicies"_s, false);
    const ClusterSnapshot snapshot = models.first().at(0).value<ClusterSnapshot>();
    QVERIFY(!snapshot.pods.isEmpty());
    QVERIFY(snapshot.networkPolicies.isEmpty());
    QCOMPARE(live.accessIssues().size(), 1);
    QCOMPARE(live.accessIssues().first().resource, u"networkpolicies"_s);
    QVERIFY(hasFinding(live.findings(), u"networkpolicies"_s));
    // The Calico demo has policies only the forbidden list would show; the rest of the model's
    // findings (NodePort URLs of the front-end) are there too.
    QVERIFY(hasFinding(live.findings(), u"http://"_s));
}

void TestGuiLive::liveClusterDiagnosesRejectedCredentials()
{
    ConnectDialog dialog;
    dialog.load(explicitFile(m_kubeconfig));
    m_server.setRejectCredentials(true);
    LiveCluster live;
    QSignalSpy failed(&live, &LiveCluster::connectionFailed);
    QVERIFY(live.connectTo(*dialog.connection(), {}));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20000);
    m_server.setRejectCredentials(false);
    QCOMPARE(live.state(), kube::ConnectionState::Failed);
    QVERIFY(hasFinding(live.findings(), u"401"_s) ||
            hasFinding(live.findings(), u"unauthorized"_s));
}

void TestGuiLive::liveClusterNeverRunsARefusedExecPlugin()
{
    // The plugin would leave a mark if it ran.
    const QString mark = m_dir.filePath(u"plugin-ran"_s);
    const QString script = m_dir.filePath(u"plugin.sh"_s);
    QVERIFY(writeFile(script, "#!/bin/sh\ntouch '" + mark.toUtf8() + "'\nexit 1\n"));
    QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    ConnectDialog dialog;
    dialog.load(explicitFile(m_kubeconfig));
    kube::ClusterConnection connection = *dialog.connection();
    connection.clientCertificatePem.clear();
    connection.clientKeyPem.clear();
    kube::ExecPluginConfig plugin;
    plugin.apiVersion = u"client.authentication.k8s.io/v1"_s;
    plugin.command = script;
    plugin.interactiveMode = kube::ExecInteractiveMode::Never;
    connection.exec = plugin;

    LiveCluster live;
    QString asked;
    live.setExecConfirmation([&](const kube::ExecPluginConfig &config, const QString &context) {
        asked = config.commandLine() + u" for "_s + context;
        return false;
    });
    QVERIFY(!live.connectTo(connection, {}));
    QVERIFY(asked.contains(script));
    QCOMPARE(live.state(), kube::ConnectionState::Failed);
    QVERIFY(hasFinding(live.findings(), script));
    QTest::qWait(200);
    QVERIFY(!QFile::exists(mark));
}

void TestGuiLive::windowKeepsViewAcrossLiveUpdates()
{
    const QString orders = u"orders-gl5x4nrvnb-fwqgn"_s; // on worker-1, in sock-shop
    const QByteArray running = demoPodJson(demoJson(), orders, u"Running"_s);
    const QByteArray pending = demoPodJson(demoJson(), orders, u"Pending"_s);
    QVERIFY(!running.isEmpty());
    ConnectDialog dialog;
    dialog.load(explicitFile(m_kubeconfig));
    QVERIFY(dialog.connection().has_value());
    ShownWindow shown;
    MainWindow &window = shown.window;
    QString &errors = shown.errors;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy loaded(&window, &MainWindow::snapshotLoaded);
    window.connectToCluster(*dialog.connection(), {});
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
    QVERIFY2(errors.isEmpty(), qPrintable(errors));
    TopologyView *view = window.topologyView();
    QVERIFY(view->isFitToWindow()); // the first model opens fitted, as any snapshot
    const auto ordersShape = [&] {
        const LoadedCluster &cluster = window.cluster();
        return cluster.scene->shapeFor(ModelKind::Pod,
                                       cluster.snapshot->findPod(u"sock-shop", orders));
    };
    const qsizetype selected = ordersShape();
    QVERIFY(selected >= 0);

    // The admin zooms in on the pod and selects it.
    view->zoomToShape(selected);
    view->setSelectedShape(selected);
    QCOMPARE(window.inspector()->title(), orders);
    const qreal zoom = view->zoom();
    QVERIFY(zoom > 1.0);
    // Zoomed in, the scroll bars appear (a queued layout): measure once they are there.
    QTRY_VERIFY(view->horizontalScrollBar()->isVisible() && view->verticalScrollBar()->isVisible());
    const QPointF centre = QRectF(view->viewport()->rect()).center();
    const QPointF sceneCentre = view->mapToScene(centre);
    const qsizetype podsBefore = window.cluster().snapshot->pods.size();
    QTest::qWait(100);
    saveShownWindow(window, u"live-update-1-before.png"_s);

    // A pod is created next to it (sorting before it: its shape index shifts).
    QVERIFY(!m_server.upsertObject(podJson(u"aaa-probe"_s)).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(window.cluster().snapshot->pods.size() == podsBefore + 1, 20000);
    QVERIFY(!window.isLoading());
    QVERIFY(ordersShape() != selected);
    QCOMPARE(view->selectedShape(), ordersShape());
    QCOMPARE(view->zoom(), zoom);
    QVERIFY(!view->isFitToWindow());
    QVERIFY((view->mapToScene(centre) - sceneCentre).manhattanLength() <= 1.0 / zoom);
    QCOMPARE(window.inspector()->shape(), view->selectedShape());
    QCOMPARE(window.inspector()->title(), orders);
    QTest::qWait(100);
    saveShownWindow(window, u"live-update-2-pod-added.png"_s);

    // The selected pod itself changes: it stays selected and shows its new phase.
    const qsizetype loads = loaded.size();
    PaintRecorder paints(view->viewport());
    QVERIFY(!m_server.upsertObject(pending).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        loaded.size() > loads &&
            window.cluster().scene->shapes()[ordersShape()].detail.contains(u"Pending"_s),
        20000);
    QCOMPARE(view->selectedShape(), ordersShape());
    QCOMPARE(view->zoom(), zoom);
    QVERIFY((view->mapToScene(centre) - sceneCentre).manhattanLength() <= 1.0 / zoom);
    QCOMPARE(window.inspector()->title(), orders);
    QVERIFY(window.inspector()->toPlainText().contains(u"Pending"_s));
    // Only the pod was repainted (its rectangle, grown by the halo and anti-aliasing margins),
    // not the window's diagram as a whole.
    QTest::qWait(100);
    const QRectF podRect = window.cluster().scene->shapes()[ordersShape()].rect;
    const qreal grow = diagram::PaintOverhang * zoom + TopologyView::RepaintMargin;
    const QRect expected =
        view->mapRectFromScene(podRect).adjusted(-grow, -grow, grow, grow).toAlignedRect() &
        view->viewport()->rect();
    QVERIFY(!expected.isEmpty());
    QCOMPARE(paints.regions, QList<QRegion>{QRegion(expected)});
    QTest::qWait(100);
    saveShownWindow(window, u"live-update-3-pod-pending.png"_s);

    // The selected pod is deleted: the selection goes, the view stays where it was.
    QVERIFY(m_server.deleteObject(u"pods"_s, u"sock-shop"_s, orders));
    QTRY_VERIFY_WITH_TIMEOUT(ordersShape() < 0, 20000);
    QCOMPARE(view->selectedShape(), qsizetype(-1));
    QCOMPARE(window.inspector()->shape(), qsizetype(-1));
    QCOMPARE(view->zoom(), zoom);
    QTest::qWait(100);
    saveShownWindow(window, u"live-update-4-pod-deleted.png"_s);

    // File ▸ Save Snapshot writes the live state, watch changes included, as a List.
    const QString saved = m_dir.filePath(u"live-state.json"_s);
    QSignalSpy savedSpy(&window, &MainWindow::snapshotSaved);
    window.saveSnapshotTo(saved);
    QTRY_COMPARE_WITH_TIMEOUT(savedSpy.count(), 1, 20000);
    ClusterSnapshot reread;
    const Status read = loadSnapshotFile(saved, reread);
    QVERIFY2(read, read ? "" : qPrintable(describe(read.error())));
    QCOMPARE(reread.pods.size(), window.cluster().snapshot->pods.size());
    QCOMPARE(reread.pods.size(), podsBefore); // one pod added, one deleted
    QVERIFY(reread.findPod(u"sock-shop", u"aaa-probe") >= 0);
    QCOMPARE(reread.findPod(u"sock-shop", orders), qsizetype(-1));
    QCOMPARE(reread.services.size(), window.cluster().snapshot->services.size());
    QCOMPARE(reread.networkPolicies.size(), window.cluster().snapshot->networkPolicies.size());

    window.disconnectFromCluster();
    QVERIFY(!m_server.upsertObject(running).isEmpty()); // as the other tests expect the server
    QVERIFY(m_server.deleteObject(u"pods"_s, u"sock-shop"_s, u"aaa-probe"_s));
    QVERIFY2(errors.isEmpty(), qPrintable(errors));
}

void TestGuiLive::liveUpdateReattributesTheCapture()
{
    // A capture replayed onto the live cluster: after a live update its flows are drawn on the
    // new scene (attributed afresh), not left on the old shape indices.
    const QString pcap = m_dir.filePath(u"calico-traffic.pcap"_s);
    QVERIFY(writeFile(pcap, captest::demoTrafficPcap()));
    ConnectDialog dialog;
    dialog.load(explicitFile(m_kubeconfig));
    QVERIFY(dialog.connection().has_value());
    ShownWindow shown;
    MainWindow &window = shown.window;
    QString &errors = shown.errors;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy loaded(&window, &MainWindow::snapshotLoaded);
    QSignalSpy captured(&window, &MainWindow::captureLoaded);
    window.connectToCluster(*dialog.connection(), {});
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
    window.openCapture(pcap);
    QTRY_VERIFY_WITH_TIMEOUT(!captured.isEmpty(), 20000);
    TopologyView *view = window.topologyView();
    QVERIFY(view->flowOverlay());
    QVERIFY(!view->flowOverlay()->edges().isEmpty());
    const auto labelsOf = [&] {
        QStringList labels;
        const auto &shapes = window.cluster().scene->shapes();
        for (const diagram::FlowOverlayEdge &edge : view->flowOverlay()->edges()) {
            for (const auto &[shape, point] :
                 {std::pair{edge.fromShape, edge.from}, std::pair{edge.toShape, edge.to}}) {
                if (shape < 0)
                    continue;
                // Drawn on the shape of the scene on screen.
                if (!shapes.at(shape).rect.contains(point))
                    return QStringList{u"misplaced: "_s + shapes.at(shape).label};
                labels << shapes.at(shape).label;
            }
        }
        labels.sort();
        return labels;
    };
    const QStringList before = labelsOf();
    QVERIFY(!before.isEmpty());
    const std::uint64_t bytes = view->flowOverlay()->totalBytes();

    const qsizetype loads = loaded.size();
    const qsizetype captures = captured.size();
    QVERIFY(!m_server.upsertObject(podJson(u"aaa-probe"_s)).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() > loads && captured.size() > captures, 20000);
    QVERIFY(view->flowOverlay());
    QCOMPARE(view->flowOverlay()->totalBytes(), bytes);
    QCOMPARE(labelsOf(), before);

    window.disconnectFromCluster();
    QVERIFY(m_server.deleteObject(u"pods"_s, u"sock-shop"_s, u"aaa-probe"_s));
    QVERIFY2(errors.isEmpty(), qPrintable(errors));
}

void TestGuiLive::diagnosticsPanelSummarises()
{
    DiagnosticsPanel panel;
    QSignalSpy summaries(&panel, &DiagnosticsPanel::summaryChanged);
    QList<kube::Finding> findings;
    findings.append({kube::Severity::Info, u"nodeport-url"_s, u"svc"_s, u"NodePort"_s, {}, {}});
    findings.append({kube::Severity::Error, u"node-not-ready"_s, u"node/w1"_s, u"NotReady"_s,
                     u"kubelet stopped posting node status"_s, u"systemctl status kubelet"_s});
    panel.setFindings(findings);
    QCOMPARE(summaries.size(), 1);
    QCOMPARE(panel.summaryText(), u"1 error, 0 warnings, 1 note"_s);
    // Errors first.
    QCOMPARE(panel.findings().first().id, u"node-not-ready"_s);
    panel.resize(700, 260);
    saveScreenshot(panel, u"diagnostics.png"_s);
}

void TestGuiLive::liveCaptureRejectsBadFilter()
{
    if (geteuid() != 0)
        QSKIP("capturing needs root (or the helper with capabilities)");
    LiveCaptureDialog dialog;
    const int lo = dialog.interfaceBox()->findText(u"lo"_s);
    QVERIFY(lo >= 0);
    dialog.interfaceBox()->setCurrentIndex(lo);
    dialog.filterField()->setText(u"tcp port 99999999"_s);
    dialog.saveBox()->setChecked(false);
    QVERIFY(!dialog.start());
    QVERIFY2(dialog.errorText().contains(u"tcp port 99999999"_s), qPrintable(dialog.errorText()));
    QVERIFY(!dialog.isCapturing());
}

void TestGuiLive::liveCaptureShowsFlowsAndKeepsPcapng()
{
    if (geteuid() != 0)
        QSKIP("capturing needs root (or the helper with capabilities)");
    LiveCaptureDialog dialog;
    dialog.interfaceBox()->setCurrentIndex(dialog.interfaceBox()->findText(u"lo"_s));
    dialog.filterField()->setText(u"udp port 47123"_s);
    const QString pcapng = m_dir.filePath(u"live.pcapng"_s);
    dialog.saveBox()->setChecked(true);
    dialog.savePathField()->setText(pcapng);
    QSignalSpy updates(&dialog, &LiveCaptureDialog::flowsUpdated);
    QSignalSpy finished(&dialog, &LiveCaptureDialog::captureFinished);
    QVERIFY2(dialog.start(), qPrintable(dialog.errorText()));
    QVERIFY(dialog.isCapturing());
    QUdpSocket receiver;
    QVERIFY(receiver.bind(QHostAddress::LocalHost, 47123));
    QUdpSocket sender;
    const auto packetsSoFar = [&]() -> std::uint64_t {
        if (updates.isEmpty())
            return 0;
        const auto replay =
            updates.last().at(0).value<std::shared_ptr<const capture::FlowReport>>();
        return replay->flows.empty() ? 0 : replay->flows.front().packetsAb;
    };
    // libpcap drops what the ring held while the filter was being set, and a loaded machine may
    // take a while to get there: knock until the capture sees a datagram, then count from it.
    for (int attempt = 0; attempt < 100 && packetsSoFar() == 0; ++attempt) {
        sender.writeDatagram(QByteArray(100, 'x'), QHostAddress::LocalHost, 47123);
        QTest::qWait(100);
    }
    const std::uint64_t warmUp = packetsSoFar();
    QVERIFY(warmUp > 0);
    QTest::qWait(300); // a knock still on its way arrives before the count starts
    const std::uint64_t before = packetsSoFar();
    for (int i = 0; i < 20; ++i) {
        sender.writeDatagram(QByteArray(100, 'x'), QHostAddress::LocalHost, 47123);
        QTest::qWait(10);
    }
    // The one flow shows up, with every datagram, in the updates while the capture runs.
    QTRY_COMPARE_WITH_TIMEOUT(packetsSoFar(), before + 20, 10000);
    dialog.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
    QCOMPARE(finished.first().at(0).toString(), pcapng);
    QVERIFY(finished.first().at(1).toString().isEmpty());
    // The last flows came with the end; a view built on a worker for an earlier update and
    // finishing later is not shown over them.
    const qsizetype shownAtEnd = updates.count();
    QTest::qWait(300);
    QCOMPARE(updates.count(), shownAtEnd);
    const auto last = updates.last().at(0).value<std::shared_ptr<const capture::FlowReport>>();
    QCOMPARE(last->flows.size(), std::size_t(1));
    QCOMPARE(last->flows.front().packetsAb, before + 20);
    QCOMPARE(last->flows.front().bPort, std::uint16_t(47123));
    QVERIFY(dialog.dropText().contains(u"Dropped: 0"_s));
    saveScreenshot(dialog, u"live-capture-dialog.png"_s);
    // Everything captured was kept: the pcapng replays into the same flow.
    QVERIFY(QFile(pcapng).size() > 20 * 100);
}

void TestGuiLive::liveCaptureFlowsReachTheWindow()
{
    if (geteuid() != 0)
        QSKIP("capturing needs root (or the helper with capabilities)");
    ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LiveCaptureDialog *dialog = window.liveCaptureDialog();
    dialog->interfaceBox()->setCurrentIndex(dialog->interfaceBox()->findText(u"lo"_s));
    dialog->filterField()->setText(u"udp port 47124"_s);
    dialog->saveBox()->setChecked(false); // nothing to replay afterwards: the view must stay
    QSignalSpy updates(dialog, &LiveCaptureDialog::flowsUpdated);
    QSignalSpy finished(dialog, &LiveCaptureDialog::captureFinished);
    QSignalSpy refreshed(&window, &MainWindow::liveFlowsShown);
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY2(dialog->start(), qPrintable(dialog->errorText()));
    QUdpSocket receiver;
    QVERIFY(receiver.bind(QHostAddress::LocalHost, 47124));
    QUdpSocket sender;
    const auto captured = [&]() -> std::uint64_t {
        if (updates.isEmpty())
            return 0;
        const auto replay =
            updates.last().at(0).value<std::shared_ptr<const capture::FlowReport>>();
        return replay->flows.empty() ? 0 : replay->flows.front().packetsAb;
    };
    FlowTableModel *model = window.flowModel();
    const auto shownInWindow = [&]() -> std::uint64_t {
        if (model->rowCount() != 1)
            return 0;
        return model->index(0, FlowTableModel::PacketsAB)
            .data(FlowTableModel::SortRole)
            .toULongLong();
    };
    for (int attempt = 0; attempt < 100 && captured() == 0; ++attempt) {
        sender.writeDatagram(QByteArray(64, 'x'), QHostAddress::LocalHost, 47124);
        QTest::qWait(100);
    }
    QVERIFY(captured() > 0);
    QTest::qWait(300); // a knock still on its way arrives before the count starts
    const std::uint64_t before = captured();
    for (int i = 0; i < 20; ++i) {
        sender.writeDatagram(QByteArray(64, 'x'), QHostAddress::LocalHost, 47124);
        QTest::qWait(10);
    }
    // While the capture runs, the window's flow table (at the newest traffic) counts them all.
    QTRY_COMPARE_WITH_TIMEOUT(shownInWindow(), before + 20, 10000);
    QVERIFY(dialog->isCapturing());
    QVERIFY(window.timeline()->isVisible());
    // Packets are exported from a capture file; a live view has none.
    window.flowTable()->selectRow(0);
    auto *exportPackets = window.findChild<QAction *>(u"actionExportPackets"_s);
    QVERIFY(exportPackets);
    QVERIFY(!exportPackets->isEnabled());
    saveShownWindow(window, u"live-capture-window.png"_s);

    dialog->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!updates.isEmpty() && captured() == before + 20, 5000);
    QTest::qWait(1500); // the last update reaches the views (paced at one a second)
    QCOMPARE(shownInWindow(), before + 20);
    // Paced: one refresh to start with, then at most one a second.
    QVERIFY2(refreshed.size() >= 2 && refreshed.size() <= elapsed.elapsed() / 1000 + 2,
             qPrintable(QString::number(refreshed.size())));

    // A snapshot opened afterwards: the live flows are attributed to it (as a capture file
    // would be re-read), and stay whole.
    const qsizetype refreshes = refreshed.size();
    QSignalSpy loaded(&window, &MainWindow::snapshotLoaded);
    window.openDemo(DemoFlavour::FlannelVxlan);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() > refreshes, 5000);
    QCOMPARE(shownInWindow(), before + 20);
    QVERIFY2(shown.errors.isEmpty(), qPrintable(shown.errors));
}

QTEST_MAIN(TestGuiLive)
#include "tst_gui_live.moc"
