// The Widgets application driven as a user would: demo clusters, the Open Demo menu, search,
// clicks on the diagram, a corrupt file, recent files, drag and drop, the screenshot path.
// Runs on the offscreen platform at 96 DPI (set by CTest).

#include "InspectorPanel.h"
#include "LaunchOptions.h"
#include "MainWindow.h"
#include "Settings.h"
#include "TopologyView.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUrl>
#include <cstddef>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace cartograph;
using namespace cartograph::app;
using diagram::ModelKind;
using diagram::ShapeKind;
using diagram::TopologyScene;

namespace {

constexpr int LoadTimeout = 30'000;

MainWindow::Options testOptions()
{
    MainWindow::Options options;
    options.persistWindowState = false;
    return options;
}

// Opens something and waits for the window to show it.
bool loadAndWait(MainWindow &window, const std::function<void()> &open)
{
    QSignalSpy loaded(&window, &MainWindow::snapshotLoaded);
    open();
    return QTest::qWaitFor([&] { return loaded.count() > 0; }, LoadTimeout);
}

// Shows the window at `size` and waits until the Calico demo is laid out in it.
bool showWithCalicoDemo(MainWindow &window, QSize size)
{
    window.resize(size);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    return loadAndWait(window, [&] { window.openDemo(DemoFlavour::CalicoIpIp); });
}

qsizetype shapeWithLabel(const TopologyScene &scene, ShapeKind kind, const QString &label)
{
    const QList<diagram::Shape> &shapes = scene.shapes();
    for (qsizetype i = 0; i < shapes.size(); ++i) {
        if (shapes.at(i).kind == kind && shapes.at(i).label == label)
            return i;
    }
    return -1;
}

qsizetype countShapes(const TopologyScene &scene, ShapeKind kind)
{
    return std::count_if(scene.shapes().cbegin(), scene.shapes().cend(),
                         [kind](const diagram::Shape &shape) { return shape.kind == kind; });
}

// Pod names carry generated suffixes; tests name them by prefix.
qsizetype podIndex(const ClusterSnapshot &snapshot, const QString &ns, const QString &prefix)
{
    for (qsizetype i = 0; i < snapshot.pods.size(); ++i) {
        const Pod &pod = snapshot.pods.at(i);
        if (pod.namespaceName == ns && pod.name.startsWith(prefix))
            return i;
    }
    return -1;
}

qsizetype podShape(const LoadedCluster &cluster, const QString &ns, const QString &prefix)
{
    return cluster.scene->shapeFor(ModelKind::Pod, podIndex(*cluster.snapshot, ns, prefix));
}

qsizetype serviceShape(const LoadedCluster &cluster, const QString &ns, const QString &name)
{
    return cluster.scene->shapeFor(ModelKind::Service, cluster.snapshot->findService(ns, name));
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &contents)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(contents);
    return path;
}

QString copyDemo(const QTemporaryDir &dir, DemoFlavour flavour, const QString &name)
{
    QFile demo(demoResourcePath(flavour));
    if (!demo.open(QIODevice::ReadOnly))
        return {};
    return writeFile(dir, name, demo.readAll());
}

} // namespace

class TestGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void calicoDemoIsLaidOut();
    void flannelDemoFromMenu();
    void staleLoadIsDropped();
    void closingWhileLoadingIsSafe();
    void searchByIpFindsObject_data();
    void searchByIpFindsObject();
    void searchByNameCyclesThroughMatches();
    void clickSelectsPodInInspector();
    void doubleClickZoomsToPod();
    void ctrlWheelZoomsAroundCursor();
    void inspectorShowsNodeServiceAndInterface();
    void corruptFileKeepsPreviousSnapshot();
    void recentFilesArePersisted();
    void missingRecentFilesArePruned();
    void dropOpensFiles();
    void saveAndExport();
    void exportFailureIsReported();
    void screenshotWritesPng();
    void themeSwitchesDiagramStyle();
    void windowStateIsPersisted();
    void settingsStoreEnumsAsNames();
    void launchOptions_data();
    void launchOptions();
    void missingDisplay_data();
    void missingDisplay();
    void realX11ProbeFindsAListeningSocket();

private:
    QTemporaryDir m_dir;
};

void TestGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Cartograph"));
    QCoreApplication::setApplicationName(QStringLiteral("Cartograph-tst_gui"));
    QVERIFY(m_dir.isValid());
}

void TestGui::init()
{
    QSettings().clear();
}

void TestGui::calicoDemoIsLaidOut()
{
    MainWindow window(testOptions());
    QVERIFY(loadAndWait(window, [&] { window.openDemo(DemoFlavour::CalicoIpIp); }));
    const LoadedCluster &cluster = window.cluster();
    QVERIFY(cluster.ok());
    QCOMPARE(window.topologyView()->scene(), cluster.scene);
    const TopologyScene &scene = *cluster.scene;

    QCOMPARE(countShapes(scene, ShapeKind::Node), 3);
    const qsizetype apiServer = podShape(cluster, QStringLiteral("kube-system"),
                                         QStringLiteral("kube-apiserver-control-plane"));
    QVERIFY(apiServer >= 0);
    QCOMPARE(scene.shapes().at(apiServer).kind, ShapeKind::HostNetworkPod);
    const qsizetype frontEnd =
        podShape(cluster, QStringLiteral("sock-shop"), QStringLiteral("front-end-"));
    QVERIFY(frontEnd >= 0);
    QCOMPARE(scene.shapes().at(frontEnd).kind, ShapeKind::Pod);
    for (const auto &[ns, name] :
         {std::pair{QStringLiteral("kube-system"), QStringLiteral("kube-dns")},
          std::pair{QStringLiteral("sock-shop"), QStringLiteral("front-end")}}) {
        const qsizetype service = serviceShape(cluster, ns, name);
        QVERIFY2(service >= 0, qPrintable(name));
        QCOMPARE(scene.shapes().at(service).kind, ShapeKind::Service);
    }
    QVERIFY(shapeWithLabel(scene, ShapeKind::Tunnel, QStringLiteral("tunl0")) >= 0);

    QVERIFY2(window.cniStatus().contains(QStringLiteral("Calico")), qPrintable(window.cniStatus()));
    QVERIFY(window.cniStatus().contains(QStringLiteral("enforces NetworkPolicy")));
    QVERIFY(!window.cniStatus().contains(QStringLiteral("does not enforce")));
    QVERIFY(window.windowTitle().contains(QStringLiteral("Calico")));
    // Nothing selected: the inspector shows the cluster overview, not an empty pane.
    QCOMPARE(window.inspector()->shape(), -1);
    QVERIFY(window.inspector()->toPlainText().contains(QStringLiteral("worker-1")));
    QVERIFY(!window.isLoading());
}

void TestGui::flannelDemoFromMenu()
{
    MainWindow window(testOptions());
    QVERIFY(loadAndWait(window, [&] { window.openDemo(DemoFlavour::CalicoIpIp); }));

    auto *action = window.findChild<QAction *>(QStringLiteral("actionOpenDemoFlannel"));
    QVERIFY(action);
    QCOMPARE(action, window.demoAction(DemoFlavour::FlannelVxlan));
    // It is reachable from the menu bar: File ▸ Open Demo.
    bool inMenu = false;
    for (QMenu *menu : window.findChildren<QMenu *>())
        inMenu = inMenu || menu->actions().contains(action);
    QVERIFY(inMenu);

    QVERIFY(loadAndWait(window, [&] { action->trigger(); }));
    const TopologyScene &scene = *window.cluster().scene;
    QVERIFY(shapeWithLabel(scene, ShapeKind::Tunnel, QStringLiteral("flannel.1")) >= 0);
    QVERIFY(shapeWithLabel(scene, ShapeKind::Bridge, QStringLiteral("cni0")) >= 0);
    QVERIFY(shapeWithLabel(scene, ShapeKind::Tunnel, QStringLiteral("tunl0")) < 0);
    QVERIFY2(window.cniStatus().contains(QStringLiteral("Flannel does not enforce NetworkPolicy")),
             qPrintable(window.cniStatus()));
}

void TestGui::staleLoadIsDropped()
{
    MainWindow window(testOptions());
    QSignalSpy loaded(&window, &MainWindow::snapshotLoaded);
    window.openDemo(DemoFlavour::FlannelVxlan);
    window.openDemo(DemoFlavour::CalicoIpIp); // supersedes the Flannel load
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, LoadTimeout);
    QTest::qWait(300); // a late Flannel result must not replace what is shown
    QCOMPARE(loaded.count(), 1);
    QVERIFY(window.cluster().sourceName.contains(QStringLiteral("Calico")));
    QVERIFY(shapeWithLabel(*window.cluster().scene, ShapeKind::Tunnel,
                           QStringLiteral("flannel.1")) < 0);
}

void TestGui::closingWhileLoadingIsSafe()
{
    // The worker finishes after the window is gone: its result must simply be dropped.
    auto window = std::make_unique<MainWindow>(testOptions());
    window->openDemo(DemoFlavour::CalicoIpIp);
    QVERIFY(window->isLoading());
    window.reset();
    QTest::qWait(500);

    MainWindow second(testOptions());
    const QString path = m_dir.filePath(QStringLiteral("saved-after-close.json"));
    QVERIFY(loadAndWait(second, [&] { second.openDemo(DemoFlavour::FlannelVxlan); }));
    {
        MainWindow third(testOptions());
        QVERIFY(loadAndWait(third, [&] { third.openDemo(DemoFlavour::FlannelVxlan); }));
        third.saveSnapshotTo(path); // closed before the save reports back
    }
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(path), LoadTimeout);
}

void TestGui::searchByIpFindsObject_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("kind"); // ModelKind
    QTest::addColumn<QString>("name");

    QTest::newRow("service ClusterIP")
        << QStringLiteral("10.96.0.10") << int(ModelKind::Service) << QStringLiteral("kube-dns");
    QTest::newRow("pod IP") << QStringLiteral("10.244.1.6") << int(ModelKind::Pod)
                            << QStringLiteral("front-end-");
    QTest::newRow("node InternalIP")
        << QStringLiteral("192.168.56.11") << int(ModelKind::Node) << QStringLiteral("worker-1");
}

void TestGui::searchByIpFindsObject()
{
    QFETCH(QString, query);
    QFETCH(int, kind);
    QFETCH(QString, name);

    MainWindow window(testOptions());
    QVERIFY(showWithCalicoDemo(window, QSize(1400, 900)));
    const LoadedCluster &cluster = window.cluster();

    qsizetype expected = -1;
    switch (ModelKind(kind)) {
    case ModelKind::Service:
        expected = serviceShape(cluster, QStringLiteral("kube-system"), name);
        break;
    case ModelKind::Pod:
        expected = podShape(cluster, QStringLiteral("sock-shop"), name);
        break;
    default:
        expected = cluster.scene->shapeFor(ModelKind::Node, cluster.snapshot->findNode(name));
        break;
    }
    QVERIFY(expected >= 0);

    // Typed into the real search field, as a user does.
    QLineEdit *field = window.searchField();
    field->setFocus();
    QTest::keyClicks(field, query);
    QTRY_VERIFY(!window.searchResults().isEmpty());
    QCOMPARE(window.searchResults().constFirst(), expected);
    QVERIFY(window.topologyView()->searchMatches().contains(expected));
    QVERIFY2(window.searchStatus().contains(QStringLiteral("match")),
             qPrintable(window.searchStatus()));

    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(window.topologyView()->selectedShape(), expected);
    QVERIFY(window.inspector()->title().startsWith(name));
    // Enter centres the view on the hit.
    const QRectF rect = cluster.scene->shapes().at(expected).rect;
    QVERIFY(window.topologyView()->visibleSceneRect().contains(rect.center()));
    QVERIFY(window.searchStatus().startsWith(QStringLiteral("1 of")));
}

void TestGui::searchByNameCyclesThroughMatches()
{
    MainWindow window(testOptions());
    QVERIFY(loadAndWait(window, [&] { window.openDemo(DemoFlavour::CalicoIpIp); }));
    window.search(QStringLiteral("front-end"));
    const QList<qsizetype> matches = window.searchResults();
    QVERIFY2(matches.size() >= 3, "two front-end pods and the front-end service");
    window.showNextMatch();
    QCOMPARE(window.topologyView()->selectedShape(), matches.at(0));
    window.showNextMatch();
    QCOMPARE(window.topologyView()->selectedShape(), matches.at(1));
    window.showPreviousMatch();
    QCOMPARE(window.topologyView()->selectedShape(), matches.at(0));
    window.showPreviousMatch(); // wraps around
    QCOMPARE(window.topologyView()->selectedShape(), matches.constLast());

    window.search(QStringLiteral("no-such-thing-anywhere"));
    QVERIFY(window.searchResults().isEmpty());
    QCOMPARE(window.searchStatus(), QStringLiteral("No matches"));
    window.search(QString());
    QVERIFY(window.topologyView()->searchMatches().isEmpty());
}

void TestGui::clickSelectsPodInInspector()
{
    MainWindow window(testOptions());
    QVERIFY(showWithCalicoDemo(window, QSize(1400, 900)));
    const LoadedCluster &cluster = window.cluster();
    TopologyView *view = window.topologyView();
    QVERIFY(view->isFitToWindow());

    const qsizetype pod =
        podShape(cluster, QStringLiteral("sock-shop"), QStringLiteral("front-end-"));
    QVERIFY(pod >= 0);
    const diagram::Shape &shape = cluster.scene->shapes().at(pod);
    const QPoint centre = view->mapFromScene(shape.rect.center()).toPoint();
    QVERIFY(view->viewport()->rect().contains(centre));

    QSignalSpy selection(view, &TopologyView::selectionChanged);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(selection.count(), 1);
    QCOMPARE(view->selectedShape(), pod);
    const Pod &model = cluster.snapshot->pods.at(shape.modelIndex);
    QCOMPARE(window.inspector()->title(), model.name);
    const QString details = window.inspector()->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("Namespace: sock-shop")), qPrintable(details));
    QVERIFY(details.contains(model.podIps.constFirst().toString()));
    QVERIFY(details.contains(model.nodeName));

    // A host-network static pod: no own IP, and the inspector says where it comes from.
    const qsizetype apiServer = podShape(cluster, QStringLiteral("kube-system"),
                                         QStringLiteral("kube-apiserver-control-plane"));
    QTest::mouseClick(
        view->viewport(), Qt::LeftButton, {},
        view->mapFromScene(cluster.scene->shapes().at(apiServer).rect.center()).toPoint());
    QCOMPARE(view->selectedShape(), apiServer);
    const QString apiDetails = window.inspector()->toPlainText();
    QVERIFY2(apiDetails.contains(QStringLiteral("Host network: Yes")), qPrintable(apiDetails));

    // Escape returns to the overview.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Escape);
    QCOMPARE(view->selectedShape(), -1);
    QCOMPARE(window.inspector()->shape(), -1);
}

void TestGui::doubleClickZoomsToPod()
{
    MainWindow window(testOptions());
    QVERIFY(showWithCalicoDemo(window, QSize(1400, 900)));
    TopologyView *view = window.topologyView();
    const qsizetype pod =
        podShape(window.cluster(), QStringLiteral("sock-shop"), QStringLiteral("payment-"));
    const QRectF rect = window.cluster().scene->shapes().at(pod).rect;
    const qreal before = view->zoom();
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {},
                       view->mapFromScene(rect.center()).toPoint());
    QVERIFY(view->zoom() > before);
    QCOMPARE(view->selectedShape(), pod);
    QVERIFY(view->visibleSceneRect().contains(rect));
    QVERIFY(!view->isFitToWindow());
    view->zoomToFit();
    QVERIFY(view->isFitToWindow());
    QVERIFY(view->visibleSceneRect().contains(window.cluster().scene->bounds()));
}

void TestGui::ctrlWheelZoomsAroundCursor()
{
    MainWindow window(testOptions());
    QVERIFY(showWithCalicoDemo(window, QSize(1400, 900)));
    TopologyView *view = window.topologyView();
    // Off-centre, but where the zoomed content can still be scrolled to keep it in place.
    const QPointF cursor(view->viewport()->width() * 0.4, view->viewport()->height() * 0.45);
    const QPointF sceneBefore = view->mapToScene(cursor);
    const qreal before = view->zoom();

    QWheelEvent wheel(cursor, view->viewport()->mapToGlobal(cursor), QPoint(), QPoint(0, 480),
                      Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &wheel);
    QVERIFY(view->zoom() > before * 1.8);
    const QPointF sceneAfter = view->mapToScene(cursor);
    QVERIFY2(QLineF(sceneBefore, sceneAfter).length() * view->zoom() < 1.5,
             "the point under the cursor stays under the cursor");
    // ... also once the scroll bars that the zoom brought in have taken their room.
    QTest::qWait(50);
    QVERIFY(QLineF(sceneBefore, view->mapToScene(cursor)).length() * view->zoom() < 1.5);

    // Content larger than the viewport now: scroll bars pan it.
    QVERIFY(view->horizontalScrollBar()->maximum() > 0);
    const QPointF centreBefore = view->visibleSceneRect().center();
    view->horizontalScrollBar()->setValue(view->horizontalScrollBar()->value() + 100);
    QVERIFY(view->visibleSceneRect().center().x() > centreBefore.x());
}

void TestGui::inspectorShowsNodeServiceAndInterface()
{
    MainWindow window(testOptions());
    QVERIFY(loadAndWait(window, [&] { window.openDemo(DemoFlavour::FlannelVxlan); }));
    const LoadedCluster &cluster = window.cluster();
    TopologyView *view = window.topologyView();
    InspectorPanel *inspector = window.inspector();

    const qsizetype worker =
        cluster.scene->shapeFor(ModelKind::Node, cluster.snapshot->findNode(u"worker-1"));
    view->setSelectedShape(worker);
    QCOMPARE(inspector->title(), QStringLiteral("worker-1"));
    QString text = inspector->toPlainText();
    for (const QString &expected :
         {QStringLiteral("Pod CIDR"), QStringLiteral("InternalIP"), QStringLiteral("flannel.1"),
          QStringLiteral("cni0"), QStringLiteral("Ready"), QStringLiteral("Kubelet")})
        QVERIFY2(text.contains(expected), qPrintable(expected + u'\n' + text));

    // The node's interface rows link to the interface shapes drawn inside that node.
    const QList<QTreeWidgetItem *> tunnelRows = inspector->tree()->findItems(
        QStringLiteral("flannel.1"), Qt::MatchExactly | Qt::MatchRecursive, 0);
    QCOMPARE(tunnelRows.size(), 1);
    emit inspector->tree()->itemActivated(tunnelRows.constFirst(), 1);
    QCOMPARE(cluster.scene->shapes().at(view->selectedShape()).label, QStringLiteral("flannel.1"));
    QCOMPARE(cluster.scene->shapes().at(view->selectedShape()).parent, worker);
    view->setSelectedShape(
        serviceShape(cluster, QStringLiteral("kube-system"), QStringLiteral("kube-dns")));
    text = inspector->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("kube-dns.kube-system.svc.cluster.local")),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("10.96.0.10")));
    QVERIFY(text.contains(QStringLiteral("coredns-")));
    QVERIFY(text.contains(QStringLiteral("/UDP")));

    const qsizetype tunnel =
        shapeWithLabel(*cluster.scene, ShapeKind::Tunnel, QStringLiteral("flannel.1"));
    view->setSelectedShape(tunnel);
    QCOMPARE(inspector->title(), QStringLiteral("flannel.1"));
    text = inspector->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("VNI: 1")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("8472")));

    // Links: the backing pod rows of a service select that pod when activated.
    view->setSelectedShape(
        serviceShape(cluster, QStringLiteral("sock-shop"), QStringLiteral("front-end")));
    QTreeWidgetItem *link = nullptr;
    const QList<QTreeWidgetItem *> rows = inspector->tree()->findItems(
        QStringLiteral("front-end-"), Qt::MatchStartsWith | Qt::MatchRecursive, 0);
    QVERIFY(!rows.isEmpty());
    link = rows.constFirst();
    emit inspector->tree()->itemActivated(link, 1);
    QCOMPARE(cluster.scene->shapes().at(view->selectedShape()).modelKind, ModelKind::Pod);
    QVERIFY(inspector->title().startsWith(QStringLiteral("front-end-")));
}

void TestGui::corruptFileKeepsPreviousSnapshot()
{
    MainWindow window(testOptions());
    QStringList reported;
    window.setErrorReporter([&reported](const QString &title, const QString &message) {
        reported << title + u'\n' + message;
    });
    QVERIFY(loadAndWait(window, [&] { window.openDemo(DemoFlavour::CalicoIpIp); }));
    const auto snapshotBefore = window.cluster().snapshot;
    const auto sceneBefore = window.topologyView()->scene();

    const QString corrupt =
        writeFile(m_dir, QStringLiteral("corrupt.json"), R"({"kind": "List", "items": [ {)");
    QVERIFY(!corrupt.isEmpty());
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    QSignalSpy loaded(&window, &MainWindow::snapshotLoaded);
    window.openFiles({corrupt});
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, LoadTimeout);
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(reported.size(), 1);
    QVERIFY2(reported.constFirst().contains(QStringLiteral("corrupt.json")),
             qPrintable(reported.constFirst()));
    QVERIFY(!window.lastError().isEmpty());
    QVERIFY(!window.isLoading());

    // Nothing lost: the previous snapshot is still shown, and the bad file is not "recent".
    QCOMPARE(window.cluster().snapshot, snapshotBefore);
    QCOMPARE(window.topologyView()->scene(), sceneBefore);
    QVERIFY(window.windowTitle().contains(QStringLiteral("Calico")));
    QVERIFY(!window.recentFiles().contains(corrupt));

    // A missing file is reported the same way.
    window.openFiles({m_dir.filePath(QStringLiteral("does-not-exist.json"))});
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, LoadTimeout);
    QVERIFY(reported.constLast().contains(QStringLiteral("does-not-exist.json")));
    QCOMPARE(window.cluster().snapshot, snapshotBefore);
}

void TestGui::recentFilesArePersisted()
{
    const QString first =
        copyDemo(m_dir, DemoFlavour::FlannelVxlan, QStringLiteral("recent-a.json"));
    const QString second =
        copyDemo(m_dir, DemoFlavour::CalicoIpIp, QStringLiteral("recent-b.json"));
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    {
        MainWindow window(testOptions());
        QVERIFY(loadAndWait(window, [&] { window.openFiles({first}); }));
        QVERIFY(window.cluster().sourceName.contains(QStringLiteral("recent-a.json")));
        QVERIFY(loadAndWait(window, [&] { window.openFiles({second}); }));
        QCOMPARE(window.recentFiles(), (QStringList{second, first}));
        QList<QString> menuPaths;
        for (QAction *action : window.recentFilesMenu()->actions()) {
            if (!action->data().toString().isEmpty())
                menuPaths << action->data().toString();
        }
        QCOMPARE(menuPaths, (QStringList{second, first}));
    }
    // Persisted: a new settings object (as on the next start) sees the same list.
    QCOMPARE(Settings().recentFiles(), (QStringList{second, first}));
    {
        MainWindow window(testOptions());
        QCOMPARE(window.recentFiles(), (QStringList{second, first}));
    }

    // At most ten entries, newest first, no duplicates.
    Settings settings;
    for (int i = 0; i < 12; ++i)
        settings.addRecentFile(m_dir.filePath(QStringLiteral("file-%1.json").arg(i)));
    settings.addRecentFile(m_dir.filePath(QStringLiteral("file-5.json")));
    const QStringList capped = settings.recentFiles();
    QCOMPARE(capped.size(), Settings::MaxRecentFiles);
    QCOMPARE(capped.constFirst(), m_dir.filePath(QStringLiteral("file-5.json")));
    QCOMPARE(capped.count(m_dir.filePath(QStringLiteral("file-5.json"))), 1);
}

void TestGui::missingRecentFilesArePruned()
{
    const QString kept = copyDemo(m_dir, DemoFlavour::FlannelVxlan, QStringLiteral("kept.json"));
    const QString gone = m_dir.filePath(QStringLiteral("gone.json"));
    Settings().setRecentFiles({gone, kept});

    MainWindow window(testOptions());
    QCOMPARE(window.recentFiles().size(), 2);
    emit window.recentFilesMenu()->aboutToShow();
    QCOMPARE(window.recentFiles(), QStringList{kept});
    QCOMPARE(Settings().recentFiles(), QStringList{kept});
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("no longer exist")),
             qPrintable(window.statusBar()->currentMessage()));
}

void TestGui::dropOpensFiles()
{
    const QString path = copyDemo(m_dir, DemoFlavour::FlannelVxlan, QStringLiteral("dropped.json"));
    MainWindow window(testOptions());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());

    QMimeData notFiles;
    notFiles.setText(QStringLiteral("just text"));
    QDragEnterEvent refused(QPoint(50, 50), Qt::CopyAction, &notFiles, Qt::LeftButton,
                            Qt::NoModifier);
    refused.ignore();
    QApplication::sendEvent(&window, &refused);
    QVERIFY(!refused.isAccepted());

    QVERIFY(loadAndWait(window, [&] {
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
    }));
    QVERIFY(window.cluster().sourceName.contains(QStringLiteral("dropped.json")));
    QVERIFY(shapeWithLabel(*window.cluster().scene, ShapeKind::Tunnel,
                           QStringLiteral("flannel.1")) >= 0);
    QCOMPARE(window.recentFiles().value(0), path);
}

void TestGui::saveAndExport()
{
    MainWindow window(testOptions());
    QStringList errors;
    window.setErrorReporter([&errors](const QString &title, const QString &message) {
        errors << title + u' ' + message;
    });
    QVERIFY(loadAndWait(window, [&] { window.openDemo(DemoFlavour::CalicoIpIp); }));
    const qsizetype pods = window.cluster().snapshot->pods.size();

    const QString saved = m_dir.filePath(QStringLiteral("saved.json"));
    QSignalSpy savedSpy(&window, &MainWindow::snapshotSaved);
    window.saveSnapshotTo(saved);
    QTRY_COMPARE_WITH_TIMEOUT(savedSpy.count(), 1, LoadTimeout);
    QVERIFY(QFileInfo(saved).size() > 0);
    QVERIFY(loadAndWait(window, [&] { window.openFiles({saved}); }));
    QCOMPARE(window.cluster().snapshot->pods.size(), pods);

    QSignalSpy exported(&window, &MainWindow::diagramExported);
    const QString svg = m_dir.filePath(QStringLiteral("topology.svg"));
    const QString png = m_dir.filePath(QStringLiteral("topology.png"));
    window.exportDiagramTo(svg, diagram::ExportFormat::Svg);
    window.exportDiagramTo(png, diagram::ExportFormat::Png);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, LoadTimeout);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QVERIFY(svgFile.readAll().contains("<svg"));
    QVERIFY(!QImage(png).isNull());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
}

void TestGui::exportFailureIsReported()
{
    MainWindow window(testOptions());
    QStringList reported;
    window.setErrorReporter(
        [&reported](const QString &, const QString &message) { reported << message; });
    QVERIFY(loadAndWait(window, [&] { window.openDemo(DemoFlavour::CalicoIpIp); }));
    const QString impossible = m_dir.filePath(QStringLiteral("no/such/dir/topology.svg"));
    window.exportDiagramTo(impossible, diagram::ExportFormat::Svg);
    QTRY_COMPARE_WITH_TIMEOUT(reported.size(), 1, LoadTimeout);
    QVERIFY(!QFileInfo::exists(impossible));
    window.saveSnapshotTo(m_dir.filePath(QStringLiteral("no/such/dir/snapshot.json")));
    QTRY_COMPARE_WITH_TIMEOUT(reported.size(), 2, LoadTimeout);
}

void TestGui::screenshotWritesPng()
{
    MainWindow window(testOptions());
    QVERIFY(showWithCalicoDemo(window, QSize(1200, 800)));
    const QString path = m_dir.filePath(QStringLiteral("shot.png"));
    QString error;
    QVERIFY2(window.saveScreenshot(path, &error), qPrintable(error));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size() / image.devicePixelRatio(), window.size());
    // Not a blank window: the diagram put more than a handful of colours on it.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY(colours.size() > 20);

    QVERIFY(!window.saveScreenshot(m_dir.filePath(QStringLiteral("no/such/dir/shot.png")), &error));
    QVERIFY(!error.isEmpty());
}

void TestGui::themeSwitchesDiagramStyle()
{
    MainWindow window(testOptions());
    auto *dark = window.findChild<QAction *>(QStringLiteral("actionThemeDark"));
    auto *light = window.findChild<QAction *>(QStringLiteral("actionThemeLight"));
    auto *system = window.findChild<QAction *>(QStringLiteral("actionThemeSystem"));
    QVERIFY(dark && light && system);
    dark->trigger();
    QVERIFY(window.topologyView()->diagramStyle().darkMode);
    QCOMPARE(Settings().theme(), Settings::Theme::Dark);
    light->trigger();
    QVERIFY(!window.topologyView()->diagramStyle().darkMode);
    system->trigger();
    QCOMPARE(Settings().theme(), Settings::Theme::System);
}

void TestGui::windowStateIsPersisted()
{
    {
        MainWindow window; // persists by default
        window.resize(1111, 777);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.close();
    }
    Settings settings;
    QVERIFY(!settings.mainWindowGeometry().isEmpty());
    QVERIFY(!settings.mainWindowState().isEmpty());
    MainWindow restored;
    QCOMPARE(restored.size(), QSize(1111, 777));

    // The --screenshot window neither reads nor writes it.
    MainWindow fresh(testOptions());
    QVERIFY(fresh.size() != QSize(1111, 777));
}

void TestGui::settingsStoreEnumsAsNames()
{
    Settings settings;
    settings.setTheme(Settings::Theme::Dark);
    QCOMPARE(QSettings().value(QStringLiteral("Preferences/theme")).toString(),
             QStringLiteral("Dark"));
    QSettings().setValue(QStringLiteral("Preferences/theme"), QStringLiteral("Purple"));
    QCOMPARE(Settings().theme(), Settings::Theme::System); // unknown names fall back
    // Window state lives apart from preferences.
    settings.setMainWindowState(QByteArray("state"));
    QCOMPARE(QSettings().value(QStringLiteral("MainWindow/state")).toByteArray(),
             QByteArray("state"));
    QVERIFY(!QSettings().allKeys().contains(QStringLiteral("Preferences/state")));
}

void TestGui::launchOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<int>("demo"); // -1 none
    QTest::addColumn<QString>("screenshot");
    QTest::addColumn<QSize>("size");

    const QString app = QStringLiteral("cartograph");
    QTest::newRow("nothing") << QStringList{app} << true << QStringList{} << -1 << QString()
                             << QSize();
    QTest::newRow("files") << QStringList{app, QStringLiteral("a.json"), QStringLiteral("b.yaml")}
                           << true
                           << QStringList{QStringLiteral("a.json"), QStringLiteral("b.yaml")} << -1
                           << QString() << QSize();
    QTest::newRow("demo flannel") << QStringList{app, QStringLiteral("--demo"),
                                                 QStringLiteral("flannel")}
                                  << true << QStringList{} << int(DemoFlavour::FlannelVxlan)
                                  << QString() << QSize();
    QTest::newRow("demo calico, screenshot, size")
        << QStringList{app,
                       QStringLiteral("--demo=calico"),
                       QStringLiteral("--screenshot"),
                       QStringLiteral("/tmp/x.png"),
                       QStringLiteral("--size"),
                       QStringLiteral("1600x1000")}
        << true << QStringList{} << int(DemoFlavour::CalicoIpIp) << QStringLiteral("/tmp/x.png")
        << QSize(1600, 1000);
    QTest::newRow("unknown demo") << QStringList{app, QStringLiteral("--demo"),
                                                 QStringLiteral("weave")}
                                  << false << QStringList{} << -1 << QString() << QSize();
    QTest::newRow("bad size") << QStringList{app, QStringLiteral("--size"), QStringLiteral("big")}
                              << false << QStringList{} << -1 << QString() << QSize();
    QTest::newRow("tiny size") << QStringList{app, QStringLiteral("--size"),
                                              QStringLiteral("10x10")}
                               << false << QStringList{} << -1 << QString() << QSize();
    QTest::newRow("demo and files")
        << QStringList{app, QStringLiteral("--demo"), QStringLiteral("calico"),
                       QStringLiteral("a.json")}
        << false << QStringList{} << -1 << QString() << QSize();
    QTest::newRow("unknown option") << QStringList{app, QStringLiteral("--frobnicate")} << false
                                    << QStringList{} << -1 << QString() << QSize();
}

void TestGui::launchOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, ok);
    QFETCH(QStringList, files);
    QFETCH(int, demo);
    QFETCH(QString, screenshot);
    QFETCH(QSize, size);

    const auto parsed = parseLaunchOptions(arguments);
    if (!ok) {
        const auto *exit = std::get_if<LaunchExit>(&parsed);
        QVERIFY(exit);
        QCOMPARE(exit->exitCode, 2);
        QVERIFY(!exit->message.isEmpty());
        return;
    }
    const auto *options = std::get_if<LaunchOptions>(&parsed);
    QVERIFY(options);
    QCOMPARE(options->files, files);
    QCOMPARE(options->demo ? int(*options->demo) : -1, demo);
    QCOMPARE(options->screenshotPath, screenshot);
    QCOMPARE(options->windowSize, size);
}

void TestGui::missingDisplay_data()
{
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("missing");

    const QStringList plain{QStringLiteral("cartograph")};
    QTest::newRow("nothing set") << QStringList{} << plain << true;
    // The rows below pretend that a server listens on :0 and nothing on :7.
    QTest::newRow("X11") << QStringList{QStringLiteral("DISPLAY=:0")} << plain << false;
    QTest::newRow("X11 screen") << QStringList{QStringLiteral("DISPLAY=:0.1")} << plain << false;
    QTest::newRow("stale X11 display")
        << QStringList{QStringLiteral("DISPLAY=:7")} << plain << true;
    QTest::newRow("stale unix display")
        << QStringList{QStringLiteral("DISPLAY=unix:7.0")} << plain << true;
    QTest::newRow("remote display left to Qt")
        << QStringList{QStringLiteral("DISPLAY=buildhost:7")} << plain << false;
    QTest::newRow("Wayland") << QStringList{QStringLiteral("WAYLAND_DISPLAY=wayland-0")} << plain
                             << false;
    QTest::newRow("explicit platform")
        << QStringList{QStringLiteral("QT_QPA_PLATFORM=offscreen")} << plain << false;
    QTest::newRow("-platform argument")
        << QStringList{}
        << QStringList{QStringLiteral("cartograph"), QStringLiteral("-platform"),
                       QStringLiteral("offscreen")}
        << false;
    QTest::newRow("empty DISPLAY") << QStringList{QStringLiteral("DISPLAY=")} << plain << true;
}

void TestGui::missingDisplay()
{
    QFETCH(QStringList, environment);
    QFETCH(QStringList, arguments);
    QFETCH(bool, missing);

    QProcessEnvironment env;
    for (const QString &entry : environment)
        env.insert(entry.section(u'=', 0, 0), entry.section(u'=', 1));
    const QString message =
        missingDisplayMessage(env, arguments, [](int display) { return display == 0; });
    QCOMPARE(!message.isEmpty(), missing);
    if (missing) {
        QVERIFY(message.contains(env.value(QStringLiteral("DISPLAY")).isEmpty()
                                     ? QStringLiteral("DISPLAY and WAYLAND_DISPLAY are unset")
                                     : QStringLiteral("no X server answers on display ") +
                                           env.value(QStringLiteral("DISPLAY"))));
        QVERIFY(message.contains(QStringLiteral("xvfb-run -a cartograph")));
        QVERIFY(message.contains(QStringLiteral("xvfb-run -a ./dev.sh run")));
    }
}

void TestGui::realX11ProbeFindsAListeningSocket()
{
#if defined(Q_OS_LINUX)
    // A real abstract socket where an X server would listen, then nothing.
    const int display = 4000 + int(QCoreApplication::applicationPid() % 1000);
    const QByteArray name = "/tmp/.X11-unix/X" + QByteArray::number(display);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path + 1, name.constData(), size_t(name.size()));
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + size_t(name.size()));
    QCOMPARE(::bind(fd, reinterpret_cast<const sockaddr *>(&address), length), 0);
    QCOMPARE(::listen(fd, 1), 0);
    QVERIFY(localX11DisplayReachable(display));
    ::close(fd);
    QVERIFY(!localX11DisplayReachable(display));
#else
    QSKIP("the X11 socket probe is Linux only");
#endif
}

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
