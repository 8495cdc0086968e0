// The flow overlay of the diagram: where curves go (pods, services, nodes, the external
// anchor), how flows between the same shapes aggregate, widths on a log scale, the node-level
// variant for small zoom, the cap on curves, a golden dump over the Calico demo, and painting
// into a picture and an SVG export with the protocol colours and the legend.

#include "ClusterSnapshot.h"
#include "DiagramExport.h"
#include "DiagramPainter.h"
#include "FlowOverlay.h"
#include "SnapshotSource.h"
#include "TopologyScene.h"

#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>

using namespace cartograph;
using namespace cartograph::diagram;

namespace {

FlowEnd pod(const ClusterSnapshot &snapshot, const QString &ns, const QString &prefix)
{
    for (qsizetype i = 0; i < snapshot.pods.size(); ++i) {
        if (snapshot.pods[i].namespaceName == ns && snapshot.pods[i].name.startsWith(prefix))
            return {ModelKind::Pod, i, -1};
    }
    qFatal("no pod %s/%s", qPrintable(ns), qPrintable(prefix));
}

FlowTrafficItem item(FlowEnd a, FlowEnd b, FlowProtocol protocol, std::uint64_t bytes,
                     bool tunnel = false)
{
    FlowTrafficItem traffic;
    traffic.a = a;
    traffic.b = b;
    traffic.protocol = protocol;
    traffic.bytes = bytes;
    traffic.bytesPerSecond = double(bytes) / 10;
    traffic.tunnel = tunnel;
    return traffic;
}

int countColour(const QImage &image, const QColor &colour)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (std::abs(pixel.red() - colour.red()) < 6 &&
                std::abs(pixel.green() - colour.green()) < 6 &&
                std::abs(pixel.blue() - colour.blue()) < 6)
                ++count;
        }
    }
    return count;
}

} // namespace

class TestFlowOverlay : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void protocolsAndWidths();
    void goldenDumpOverCalicoDemo();
    void endpointsLandOnTheirShapes();
    void nodeLevelAggregation();
    void capKeepsBusiestAndSelected();
    void paintsCurvesAndLegend();
    void svgExportIncludesFlows();

private:
    ClusterSnapshot m_snapshot;
    TopologyScene m_scene;
    QList<FlowTrafficItem> m_items;
};

void TestFlowOverlay::initTestCase()
{
    auto loaded = makeDemoSource(DemoFlavour::CalicoIpIp)->load(nullptr);
    QVERIFY(loaded);
    m_snapshot = std::move(loaded).value();
    m_scene = TopologyScene::layout(m_snapshot);
    const ClusterSnapshot &s = m_snapshot;
    const FlowEnd frontEnd2 =
        pod(s, QStringLiteral("sock-shop"), QStringLiteral("front-end-xh8pw6sfgk-kq222"));
    const FlowEnd catalogue = pod(s, QStringLiteral("sock-shop"), QStringLiteral("catalogue-6t"));
    const FlowEnd coredns =
        pod(s, QStringLiteral("kube-system"), QStringLiteral("coredns-jcv49t5gkf-5qg2f"));
    const FlowEnd frontEndService{ModelKind::Service, s.findService(u"sock-shop", u"front-end"),
                                  -1};
    const FlowEnd worker2{ModelKind::Node, s.findNode(u"worker-2"), -1};
    const FlowEnd unknownPod{ModelKind::Pod, -1, s.findNode(u"worker-1")};
    const FlowEnd external;
    m_items = {
        item(frontEnd2, catalogue, FlowProtocol::Tcp, 50'000, true),
        item(frontEnd2, catalogue, FlowProtocol::Tcp, 30'000, true), // same pair: one curve
        item(catalogue, frontEnd2, FlowProtocol::Icmp, 840, true),   // other protocol
        item(frontEnd2, coredns, FlowProtocol::Udp, 456, true),
        item(external, frontEndService, FlowProtocol::Tcp, 2'000'000),
        item(worker2, external, FlowProtocol::Tcp, 90'000),
        item(unknownPod, catalogue, FlowProtocol::Sctp, 1'000),
    };
}

void TestFlowOverlay::protocolsAndWidths()
{
    QCOMPARE(flowProtocolFromNumber(6), FlowProtocol::Tcp);
    QCOMPARE(flowProtocolFromNumber(17), FlowProtocol::Udp);
    QCOMPARE(flowProtocolFromNumber(1), FlowProtocol::Icmp);
    QCOMPARE(flowProtocolFromNumber(58), FlowProtocol::Icmp);
    QCOMPARE(flowProtocolFromNumber(132), FlowProtocol::Sctp);
    QCOMPARE(flowProtocolFromNumber(47), FlowProtocol::Other);
    QSet<QRgb> colours;
    for (int p = 0; p < kFlowProtocolCount; ++p)
        colours.insert(flowProtocolColour(FlowProtocol(p), false).rgb());
    QCOMPARE(colours.size(), kFlowProtocolCount);

    QCOMPARE(FlowOverlay::widthFor(0), 1.0);
    QCOMPARE(FlowOverlay::widthFor(100), 1.0);
    QCOMPARE(FlowOverlay::widthFor(1000), 2.6);
    QCOMPARE(FlowOverlay::widthFor(100'000), 5.8); // each tenfold adds the same
    QCOMPARE(FlowOverlay::widthFor(1e15), 12.0);
}

void TestFlowOverlay::goldenDumpOverCalicoDemo()
{
    const FlowOverlay overlay = FlowOverlay::build(m_scene, m_items);
    const QString expected = QStringLiteral(
        "icmp catalogue-6tgl2qgf74-48m4j -> front-end-xh8pw6sfgk-kq222 flows=1 bytes=840 "
        "width=1.0 tunnel\n"
        "sctp worker-1 -> catalogue-6tgl2qgf74-48m4j flows=1 bytes=1000 width=1.0\n"
        "tcp (external) -> front-end flows=1 bytes=2000000 width=6.3\n"
        "tcp (external) -> worker-2 flows=1 bytes=90000 width=4.1\n"
        "tcp catalogue-6tgl2qgf74-48m4j -> front-end-xh8pw6sfgk-kq222 flows=2 bytes=80000 "
        "width=4.0 tunnel\n"
        "udp coredns-jcv49t5gkf-5qg2f -> front-end-xh8pw6sfgk-kq222 flows=1 bytes=456 width=1.0 "
        "tunnel");
    const QString actual = overlay.dump(m_scene);
    if (actual != expected)
        qWarning().noquote() << "actual dump:\n" << actual;
    QCOMPARE(actual, expected);
    QCOMPARE(overlay.totalBytes(),
             quint64(50'000 + 30'000 + 840 + 456 + 2'000'000 + 90'000 + 1'000));
    QVERIFY(overlay.usesExternalAnchor());
    QCOMPARE(overlay.hiddenEdges(), 0);
}

void TestFlowOverlay::endpointsLandOnTheirShapes()
{
    const FlowOverlay overlay = FlowOverlay::build(m_scene, m_items);
    const QRectF external = overlay.externalAnchor();
    // The anchor sits on the underlay bar, inside the scene.
    qsizetype underlay = -1;
    for (qsizetype i = 0; i < m_scene.shapes().size(); ++i) {
        if (m_scene.shapes()[i].kind == ShapeKind::Underlay)
            underlay = i;
    }
    QVERIFY(underlay >= 0);
    QVERIFY(external.contains(m_scene.shapes()[underlay].rect.right() - 20,
                              m_scene.shapes()[underlay].rect.center().y()));
    QVERIFY(m_scene.bounds().contains(external));
    for (const FlowOverlayEdge &edge : overlay.edges()) {
        for (const auto &[shape, point] :
             {std::pair(edge.fromShape, edge.from), std::pair(edge.toShape, edge.to)}) {
            if (shape < 0)
                QCOMPARE(point, external.center());
            else
                QVERIFY(m_scene.shapes()[shape].rect.contains(point));
        }
        QVERIFY(edge.boundingRect().contains(edge.from));
        QVERIFY(edge.boundingRect().contains(edge.to));
        QVERIFY(edge.boundingRect().contains(edge.control));
    }
}

void TestFlowOverlay::nodeLevelAggregation()
{
    const FlowOverlay overlay = FlowOverlay::build(m_scene, m_items);
    QStringList lines;
    for (const FlowOverlayEdge &edge : overlay.nodeEdges()) {
        const auto name = [this](qsizetype shape) {
            return shape < 0 ? QStringLiteral("(external)") : m_scene.shapes()[shape].label;
        };
        lines << QStringLiteral("%1 %2-%3 %4")
                     .arg(flowProtocolName(edge.protocol), name(edge.fromShape), name(edge.toShape))
                     .arg(edge.flows);
    }
    lines.sort();
    // Pods fold into their node boxes; the service and the external anchor stay.
    QCOMPARE(lines, (QStringList{
                        QStringLiteral("ICMP worker-1-worker-2 1"),
                        QStringLiteral("SCTP worker-1-worker-1 1"),
                        QStringLiteral("TCP (external)-front-end 1"),
                        QStringLiteral("TCP (external)-worker-2 1"),
                        QStringLiteral("TCP worker-1-worker-2 2"),
                        QStringLiteral("UDP control-plane-worker-2 1"),
                    }));
}

void TestFlowOverlay::capKeepsBusiestAndSelected()
{
    QList<FlowTrafficItem> items = m_items;
    items[6].selected = true; // the quiet SCTP one
    const FlowOverlay overlay = FlowOverlay::build(m_scene, items, 3);
    QCOMPARE(overlay.hiddenEdges(), 2); // the cap of 3 plus the selected one
    QStringList kept;
    for (const FlowOverlayEdge &edge : overlay.edges())
        kept << QStringLiteral("%1 %2").arg(flowProtocolName(edge.protocol)).arg(edge.bytes);
    kept.sort();
    QCOMPARE(kept, (QStringList{QStringLiteral("SCTP 1000"), QStringLiteral("TCP 2000000"),
                                QStringLiteral("TCP 80000"), QStringLiteral("TCP 90000")}));
}

void TestFlowOverlay::paintsCurvesAndLegend()
{
    const FlowOverlay overlay = FlowOverlay::build(m_scene, m_items);
    const QRectF bounds = m_scene.bounds();
    const auto render = [&](const FlowOverlay *flows) {
        QImage image(bounds.size().toSize(), QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&image);
        painter.translate(-bounds.topLeft());
        paintScene(painter, m_scene, bounds, 1.0, DiagramStyle::light(), {}, flows);
        painter.end();
        return image;
    };
    const QImage plain = render(nullptr);
    const QImage withFlows = render(&overlay);
    const QColor tcp = flowProtocolColour(FlowProtocol::Tcp, false);
    const QColor udp = flowProtocolColour(FlowProtocol::Udp, false);
    QCOMPARE(countColour(plain, tcp), 0);
    QVERIFY2(countColour(withFlows, tcp) > 100, // curve ends and the legend swatch
             qPrintable(QString::number(countColour(withFlows, tcp))));
    QVERIFY(countColour(withFlows, udp) > 20);

    // The legend on the title line: the TCP swatch's pixels are in the title band.
    QImage title = withFlows.copy(m_scene.titleRect().translated(-bounds.topLeft()).toRect());
    QVERIFY(countColour(title, tcp) > 10);
    QVERIFY(countColour(title, flowProtocolColour(FlowProtocol::Sctp, false)) > 10);
}

void TestFlowOverlay::svgExportIncludesFlows()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const FlowOverlay overlay = FlowOverlay::build(m_scene, m_items);
    const QString with = dir.filePath(QStringLiteral("with.svg"));
    const QString without = dir.filePath(QStringLiteral("without.svg"));
    QVERIFY(exportScene(m_scene, ExportFormat::Svg, with, 1.0, &overlay));
    QVERIFY(exportScene(m_scene, ExportFormat::Svg, without, 1.0));
    QFile a(with), b(without);
    QVERIFY(a.open(QIODevice::ReadOnly));
    QVERIFY(b.open(QIODevice::ReadOnly));
    const QByteArray svg = a.readAll();
    const QByteArray plain = b.readAll();
    const QByteArray tcp = flowProtocolColour(FlowProtocol::Tcp, false).name().toLatin1();
    QVERIFY(svg.contains(tcp));
    QVERIFY(!plain.contains(tcp));
    QVERIFY(svg.contains("Internet / external"));
    QVERIFY(svg.contains("tunnelled"));
}

QTEST_MAIN(TestFlowOverlay)
#include "tst_flow_overlay.moc"
