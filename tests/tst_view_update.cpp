// TopologyView::replaceScene, the path a live cluster update takes: the user's zoom, scroll
// position, selection and search hits survive a newer layout of the cluster, and only what
// changed is repainted. The paint events the viewport receives are recorded, and what the
// window's backing store holds after the partial repaint is compared pixel for pixel with a
// full repaint of the new scene: nothing stale (no ghost of a moved pod) may remain. Dashed
// overlay edges keep their dash phase in a partial repaint (no seam at the repainted area).
// Runs on the offscreen platform at 96 DPI (set by CTest).

#include "ClusterSnapshot.h"
#include "DiagramPainter.h"
#include "SceneDiff.h"
#include "SnapshotSource.h"
#include "TopologyScene.h"
#include "TopologyView.h"
#include "support/DemoSnapshot.h"
#include "support/PaintRecorder.h"

#include <QLineF>
#include <QPaintEvent>
#include <QPainter>
#include <QScreen>
#include <QSignalSpy>
#include <QTest>

using namespace cartograph;
using namespace cartograph::app;
using namespace cartograph::diagram;
using namespace Qt::StringLiterals;
using cartograph::testing::PaintRecorder;

namespace {

std::shared_ptr<const TopologyScene> layout(const ClusterSnapshot &snapshot)
{
    return std::make_shared<const TopologyScene>(TopologyScene::layout(snapshot));
}

qsizetype podNamed(const ClusterSnapshot &snapshot, const QString &prefix)
{
    for (qsizetype i = 0; i < snapshot.pods.size(); ++i) {
        if (snapshot.pods[i].name.startsWith(prefix))
            return i;
    }
    return -1;
}

// A pod scheduled next to `sibling`, named to sort before every pod of its namespace: the
// pods after it in its node box move, and their shape indices shift.
ClusterSnapshot withPodBefore(ClusterSnapshot snapshot, const QString &sibling)
{
    Pod pod = snapshot.pods[podNamed(snapshot, sibling)];
    pod.name = u"aaa-probe"_s;
    pod.uid = u"aaa-probe-uid"_s;
    pod.labels = Labels{{u"app"_s, u"probe"_s}};
    pod.podIps = {*IpAddress::parse(u"10.244.1.201")};
    snapshot.pods.append(pod);
    return snapshot;
}

ClusterSnapshot withPhase(ClusterSnapshot snapshot, const QString &podPrefix, const QString &phase)
{
    const qsizetype pod = podNamed(snapshot, podPrefix);
    snapshot.pods[pod].phase = phase;
    snapshot.pods[pod].ready = false;
    return snapshot;
}

// What the window's backing store holds where the viewport is (what the screen shows), as
// opposed to QWidget::grab(), which paints the viewport afresh.
QImage shownViewport(TopologyView &view)
{
    QWidget *viewport = view.viewport();
    const QRect area(viewport->mapTo(view.window(), QPoint(0, 0)), viewport->size());
    return view.screen()
        ->grabWindow(view.window()->winId(), area.x(), area.y(), area.width(), area.height())
        .toImage()
        .convertToFormat(QImage::Format_RGB32);
}

QImage freshViewport(TopologyView &view)
{
    return view.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
}

// Pixels whose colour differs by more than `tolerance` in some channel.
qsizetype differingPixels(const QImage &a, const QImage &b, int tolerance)
{
    if (a.size() != b.size())
        return std::max<qsizetype>(1, qsizetype(a.width()) * a.height());
    qsizetype count = 0;
    for (int y = 0; y < a.height(); ++y) {
        const auto *rowA = reinterpret_cast<const QRgb *>(a.constScanLine(y));
        const auto *rowB = reinterpret_cast<const QRgb *>(b.constScanLine(y));
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = rowA[x], q = rowB[x];
            if (std::abs(qRed(p) - qRed(q)) > tolerance ||
                std::abs(qGreen(p) - qGreen(q)) > tolerance ||
                std::abs(qBlue(p) - qBlue(q)) > tolerance)
                ++count;
        }
    }
    return count;
}

int colourDistance(QRgb p, QRgb q)
{
    return std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                     std::abs(qBlue(p) - qBlue(q))});
}

// Pixels the screen still shows from the old scene: where a full rendering of the old scene and
// one of the new scene clearly differ (a pod moved away, a line vanished), the screen must be
// closer to the new one. A full repaint and a partial one need not agree on every anti-aliased
// pixel of a one-pixel line (the raster engine clips cosmetic strokes to the exposed area
// first), but such lines are the same in both scenes' renderings and so do not count.
qsizetype stalePixels(const QImage &shown, const QImage &oldScene, const QImage &newScene)
{
    if (shown.size() != newScene.size() || oldScene.size() != newScene.size())
        return std::max<qsizetype>(1, qsizetype(shown.width()) * shown.height());
    constexpr int changed = 24;
    qsizetype count = 0;
    for (int y = 0; y < shown.height(); ++y) {
        const auto *s = reinterpret_cast<const QRgb *>(shown.constScanLine(y));
        const auto *o = reinterpret_cast<const QRgb *>(oldScene.constScanLine(y));
        const auto *n = reinterpret_cast<const QRgb *>(newScene.constScanLine(y));
        for (int x = 0; x < shown.width(); ++x) {
            if (colourDistance(o[x], n[x]) > changed &&
                colourDistance(s[x], o[x]) < colourDistance(s[x], n[x]))
                ++count;
        }
    }
    return count;
}

bool covers(const QRegion &region, const QRect &rect)
{
    return QRegion(rect).subtracted(region).isEmpty();
}

// The viewport pixels a changed scene rectangle needs: mapped, grown by what the painter draws
// outside shapes (scene units) and by the view's anti-aliasing margin (pixels).
QRect expectedRepaint(const TopologyView &view, const QRectF &sceneRect)
{
    const qreal grow = PaintOverhang * view.zoom() + TopologyView::RepaintMargin;
    return view.mapRectFromScene(sceneRect).adjusted(-grow, -grow, grow, grow).toAlignedRect() &
           view.viewport()->rect();
}

} // namespace

class TestViewUpdate : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void keepsZoomScrollSelectionAndMatches();
    void selectionOfAVanishedObjectIsDropped();
    void repaintsOnlyTheChangedPod();
    void movedPodsLeaveNoGhost_data();
    void movedPodsLeaveNoGhost();
    void fittedViewIsFittedAgain();
    void unchangedSearchRepaintsNothing();
    void changesFromAnotherSceneAreWorkedOutAgain();
    void dashedEdgesContinueAcrossPartialRepaints();

private:
    // A shown view with the demo, zoomed in on `pod` (a name prefix) and settled.
    bool showZoomedOnPod(TopologyView &view, const QString &pod);

    ClusterSnapshot m_demo;
};

void TestViewUpdate::initTestCase()
{
    m_demo = testing::loadDemoSnapshot();
    QVERIFY(!m_demo.pods.isEmpty());
}

bool TestViewUpdate::showZoomedOnPod(TopologyView &view, const QString &pod)
{
    view.resize(900, 640);
    view.setScene(layout(m_demo));
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        return false;
    const qsizetype shape = view.scene()->shapeFor(ModelKind::Pod, podNamed(m_demo, pod));
    if (shape < 0)
        return false;
    view.zoomToShape(shape);
    view.setSelectedShape(shape);
    // Let the repaints these asked for happen before anything is measured.
    PaintRecorder settle(view.viewport());
    return QTest::qWaitFor([&] { return !settle.regions.isEmpty(); }, 5000);
}

void TestViewUpdate::keepsZoomScrollSelectionAndMatches()
{
    TopologyView view;
    QVERIFY(showZoomedOnPod(view, u"orders-gl5x4"_s));
    const qsizetype selected = view.selectedShape();
    const qsizetype other = view.scene()->shapeFor(ModelKind::Pod, podNamed(m_demo, u"user-k95"_s));
    view.setSearchMatches({selected, other});
    const qreal zoom = view.zoom();
    QVERIFY(zoom > 1.0);
    QVERIFY(!view.isFitToWindow());
    const QPointF centre = QRectF(view.viewport()->rect()).center();
    const QPointF sceneCentre = view.mapToScene(centre);
    QSignalSpy selection(&view, &TopologyView::selectionChanged);
    QSignalSpy zooms(&view, &TopologyView::zoomChanged);

    const ClusterSnapshot edited = withPodBefore(m_demo, u"orders-gl5x4"_s);
    view.replaceScene(layout(edited));

    QCOMPARE(view.zoom(), zoom);
    QVERIFY(zooms.isEmpty());
    const QPointF nowAtCentre = view.mapToScene(centre);
    QVERIFY2(std::abs(nowAtCentre.x() - sceneCentre.x()) <= 0.5 / zoom &&
                 std::abs(nowAtCentre.y() - sceneCentre.y()) <= 0.5 / zoom,
             qPrintable(u"centre was %1,%2, is %3,%4"_s.arg(sceneCentre.x())
                            .arg(sceneCentre.y())
                            .arg(nowAtCentre.x())
                            .arg(nowAtCentre.y())));
    // The same pod, at its new index (the new pod sorts before it in the same box).
    const qsizetype follows =
        view.scene()->shapeFor(ModelKind::Pod, podNamed(edited, u"orders-gl5x4"_s));
    QVERIFY(follows >= 0);
    QVERIFY(follows != selected);
    QCOMPARE(view.selectedShape(), follows);
    QCOMPARE(selection.size(), 1);
    QCOMPARE(selection.first().first().value<qsizetype>(), follows);
    const qsizetype otherNow =
        view.scene()->shapeFor(ModelKind::Pod, podNamed(edited, u"user-k95"_s));
    QCOMPARE(view.searchMatches(), (QSet<qsizetype>{follows, otherNow}));
    QVERIFY(view.scene()->shapes()[follows].label.startsWith(u"orders-gl5x4"_s));
}

void TestViewUpdate::selectionOfAVanishedObjectIsDropped()
{
    TopologyView view;
    QVERIFY(showZoomedOnPod(view, u"orders-gl5x4"_s));
    const qreal zoom = view.zoom();
    QSignalSpy selection(&view, &TopologyView::selectionChanged);
    ClusterSnapshot edited = m_demo;
    edited.pods.removeAt(podNamed(edited, u"orders-gl5x4"_s));
    view.replaceScene(layout(edited));
    QCOMPARE(view.selectedShape(), qsizetype(-1));
    QCOMPARE(selection.size(), 1);
    QCOMPARE(selection.first().first().value<qsizetype>(), qsizetype(-1));
    QCOMPARE(view.zoom(), zoom);
}

void TestViewUpdate::repaintsOnlyTheChangedPod()
{
    TopologyView view;
    QVERIFY(showZoomedOnPod(view, u"orders-gl5x4"_s));
    const ClusterSnapshot edited = withPhase(m_demo, u"orders-gl5x4"_s, u"Pending"_s);
    const std::shared_ptr<const TopologyScene> scene = layout(edited);
    const QRectF podRect =
        scene->shapes()[scene->shapeFor(ModelKind::Pod, podNamed(edited, u"orders-gl5x4"_s))].rect;
    const QImage before = shownViewport(view);
    const QImage oldScene = freshViewport(view);

    PaintRecorder paints(view.viewport());
    view.replaceScene(scene);
    QTRY_VERIFY(!paints.regions.isEmpty());
    QTest::qWait(50); // anything else queued would show up too
    QCOMPARE(paints.regions.size(), 1);
    const QRegion painted = paints.regions.first();
    const QRect expected = expectedRepaint(view, podRect);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(painted, QRegion(expected));
    QVERIFY(painted.boundingRect().width() < view.viewport()->width() / 2);

    // The pod is drawn differently now (its status line), nothing outside it changed, and the
    // screen shows what a full repaint would.
    const QImage after = shownViewport(view);
    QVERIFY(differingPixels(before, after, 0) > 0);
    QImage outside = before;
    QImage afterOutside = after;
    for (int y = expected.top(); y <= expected.bottom(); ++y) {
        for (int x = expected.left(); x <= expected.right(); ++x) {
            outside.setPixel(x, y, 0);
            afterOutside.setPixel(x, y, 0);
        }
    }
    QCOMPARE(differingPixels(outside, afterOutside, 0), qsizetype(0));
    const QImage newScene = freshViewport(view);
    QVERIFY(stalePixels(before, oldScene, newScene) > 0);
    QCOMPARE(stalePixels(after, oldScene, newScene), qsizetype(0));
}

void TestViewUpdate::movedPodsLeaveNoGhost_data()
{
    QTest::addColumn<int>("edit");
    QTest::newRow("pod added before the selected one") << 0;
    QTest::newRow("pod deleted") << 1;
    QTest::newRow("phase flips, zoomed out") << 2;
    QTest::newRow("endpoint curve removed, whole cluster in view") << 3;
}

void TestViewUpdate::movedPodsLeaveNoGhost()
{
    QFETCH(int, edit);
    TopologyView view;
    ClusterSnapshot edited = m_demo;
    if (edit == 3) {
        view.resize(900, 640);
        view.setScene(layout(m_demo));
        PaintRecorder settle(view.viewport());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(!settle.regions.isEmpty());
        // Relabelled, a coredns replica leaves kube-dns: its curve across the picture goes,
        // and nothing around it (pods and boxes look the same) is repainted for another reason.
        edited.pods[podNamed(edited, u"coredns"_s)].labels.insert(u"k8s-app"_s, u"resolver"_s);
    } else {
        QVERIFY(showZoomedOnPod(view, u"carts-db"_s));
    }
    if (edit == 0) {
        edited = withPodBefore(m_demo, u"carts-db"_s);
    } else if (edit == 1) {
        edited.pods.removeAt(podNamed(edited, u"carts-db"_s));
    } else if (edit == 2) {
        view.setZoom(0.5);
        PaintRecorder settle(view.viewport());
        QTRY_VERIFY(!settle.regions.isEmpty());
        edited = withPhase(m_demo, u"catalogue-db"_s, u"Failed"_s);
    }
    const std::shared_ptr<const TopologyScene> scene = layout(edited);
    const QImage before = shownViewport(view);
    const QImage oldScene = freshViewport(view);
    PaintRecorder paints(view.viewport());
    view.replaceScene(scene);
    QTRY_VERIFY(!paints.regions.isEmpty());
    QTest::qWait(50);
    // Partial: the viewport as a whole was not repainted.
    for (const QRegion &region : std::as_const(paints.regions))
        QVERIFY(!covers(region, view.viewport()->rect()));
    // The old picture is not the new one (so the comparison below can fail), and the screen
    // shows what a full repaint of the new scene would: no ghost where a pod or a line was.
    const QImage newScene = freshViewport(view);
    QVERIFY(stalePixels(before, oldScene, newScene) > 0);
    QCOMPARE(stalePixels(shownViewport(view), oldScene, newScene), qsizetype(0));
}

void TestViewUpdate::fittedViewIsFittedAgain()
{
    TopologyView view;
    view.resize(900, 640);
    view.setScene(layout(m_demo));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isFitToWindow());
    // A fourth node widens the picture: a view that fits the window keeps fitting it.
    ClusterSnapshot edited = m_demo;
    Node node = edited.nodes[edited.findNode(u"worker-2")];
    node.name = u"worker-3"_s;
    edited.nodes.append(node);
    const std::shared_ptr<const TopologyScene> scene = layout(edited);
    QVERIFY(scene->bounds().width() > view.scene()->bounds().width());
    const QImage before = shownViewport(view);
    const QImage oldScene = freshViewport(view);
    PaintRecorder paints(view.viewport());
    view.replaceScene(scene);
    QVERIFY(view.isFitToWindow());
    const QRectF content = view.mapRectFromScene(scene->bounds());
    QVERIFY(QRectF(view.viewport()->rect()).adjusted(-1, -1, 1, 1).contains(content));
    // Everything moved on screen: the whole viewport is repainted.
    QTRY_VERIFY(!paints.regions.isEmpty());
    QVERIFY(covers(paints.regions.first(), view.viewport()->rect()));
    const QImage newScene = freshViewport(view);
    QVERIFY(stalePixels(before, oldScene, newScene) > 0);
    QCOMPARE(stalePixels(shownViewport(view), oldScene, newScene), qsizetype(0));
}

void TestViewUpdate::unchangedSearchRepaintsNothing()
{
    TopologyView view;
    QVERIFY(showZoomedOnPod(view, u"orders-gl5x4"_s));
    const QSet<qsizetype> matches = {view.selectedShape()};
    view.setSearchMatches(matches);
    {
        PaintRecorder settle(view.viewport());
        QTRY_VERIFY(!settle.regions.isEmpty());
    }
    // The window searches again after every live update; the same hits repaint nothing.
    PaintRecorder paints(view.viewport());
    view.setSearchMatches(matches);
    view.replaceScene(layout(m_demo));
    QTest::qWait(100);
    QVERIFY(paints.regions.isEmpty());
}

void TestViewUpdate::changesFromAnotherSceneAreWorkedOutAgain()
{
    // The window works out the diff on its worker, from the scene shown when the load began. If
    // another scene was put up meanwhile, that diff does not describe the change on screen.
    TopologyView view;
    QVERIFY(showZoomedOnPod(view, u"orders-gl5x4"_s));
    const qsizetype selected = view.selectedShape();
    const std::shared_ptr<const TopologyScene> other =
        layout(withPodBefore(m_demo, u"orders-gl5x4"_s));
    const ClusterSnapshot edited = withPhase(m_demo, u"orders-gl5x4"_s, u"Pending"_s);
    const std::shared_ptr<const TopologyScene> scene = layout(edited);
    auto stale = std::make_shared<const SceneDiff>(diffScenes(*other, *scene));
    QVERIFY(stale->shapeMap.value(selected) != selected); // it would move the selection
    view.replaceScene(scene, stale, other);
    QCOMPARE(view.selectedShape(), selected);
    QCOMPARE(view.selectedShape(),
             scene->shapeFor(ModelKind::Pod, podNamed(edited, u"orders-gl5x4"_s)));

    // From the scene shown, the diff given is the one used.
    const std::shared_ptr<const TopologyScene> shown = view.scene();
    SceneDiff handMade = diffScenes(*shown, *layout(m_demo));
    handMade.shapeMap[selected] = -1; // as if the pod were gone
    view.replaceScene(layout(m_demo), std::make_shared<const SceneDiff>(handMade), shown);
    QCOMPARE(view.selectedShape(), qsizetype(-1));
}

void TestViewUpdate::dashedEdgesContinueAcrossPartialRepaints()
{
    // The overlay tunnels are dashed. Repainting a small area across one (a live update next to
    // it) must continue its dashes where they were, not start them afresh at the area's edge.
    const TopologyScene scene = TopologyScene::layout(m_demo);
    // The longest overlay segment, a quarter along (the label sits in the middle).
    QLineF longest;
    for (const Edge &edge : scene.edges()) {
        for (qsizetype i = 1; edge.kind == EdgeKind::Overlay && i < edge.path.size(); ++i) {
            const QLineF segment(edge.path[i - 1], edge.path[i]);
            if (segment.length() > longest.length())
                longest = segment;
        }
    }
    QVERIFY(longest.length() > 300);
    const QPointF middle = longest.pointAt(0.25);
    const qreal scale = 1.5;
    const QRectF shown(middle - QPointF(200, 100), QSizeF(400, 200)); // scene units
    QImage full(QSize(600, 300), QImage::Format_RGB32);
    {
        QPainter painter(&full);
        painter.scale(scale, scale);
        painter.translate(-shown.topLeft());
        paintScene(painter, scene, shown, scale);
    }
    // Areas starting at different points of the dashes' cycle.
    for (qreal offset : {3.0, 7.5, 11.0}) {
        QImage partial = full;
        const QRect area(qRound((200 + offset - 40) * scale), 0, 60, 300); // device pixels
        QPainter painter(&partial);
        painter.setClipRect(area);
        painter.scale(scale, scale);
        painter.translate(-shown.topLeft());
        paintScene(painter, scene, painter.transform().inverted().mapRect(QRectF(area)), scale);
        painter.end();
        QCOMPARE(differingPixels(partial, full, 24), qsizetype(0));
    }
}

QTEST_MAIN(TestViewUpdate)
#include "tst_view_update.moc"
