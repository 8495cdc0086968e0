// The diagram library: layout of the demo clusters into shapes and edges (checked against the
// model, and against a golden text dump), the spatial queries the view relies on, painting,
// and the SVG / PNG / PDF exports. A synthetic 500-node cluster checks that the layout scales
// and that a viewport-sized query stays small.

#include "ClusterSnapshot.h"
#include "CniDetection.h"
#include "DiagramExport.h"
#include "DiagramPainter.h"
#include "SnapshotSource.h"
#include "TopologyScene.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace cartograph;
using namespace cartograph::diagram;

Q_DECLARE_METATYPE(cartograph::DemoFlavour)

namespace {

ClusterSnapshot loadDemo(DemoFlavour flavour)
{
    auto loaded = DemoSnapshotSource(flavour).load();
    if (!loaded) {
        qWarning("demo did not load: %s", qPrintable(describe(loaded.error())));
        return {};
    }
    return std::move(loaded).value();
}

QList<qsizetype> shapesOfKind(const TopologyScene &scene, std::initializer_list<ShapeKind> kinds)
{
    QList<qsizetype> result;
    for (qsizetype i = 0; i < scene.shapes().size(); ++i) {
        if (std::find(kinds.begin(), kinds.end(), scene.shapes()[i].kind) != kinds.end())
            result.append(i);
    }
    return result;
}

QList<qsizetype> edgesOfKind(const TopologyScene &scene, EdgeKind kind)
{
    QList<qsizetype> result;
    for (qsizetype i = 0; i < scene.edges().size(); ++i) {
        if (scene.edges()[i].kind == kind)
            result.append(i);
    }
    return result;
}

bool contains(const QRectF &outer, const QRectF &inner)
{
    return inner.left() >= outer.left() && inner.right() <= outer.right() &&
           inner.top() >= outer.top() && inner.bottom() <= outer.bottom();
}

QString rounded(const QRectF &r)
{
    return QStringLiteral("%1,%2 %3x%4")
        .arg(std::lround(r.x()))
        .arg(std::lround(r.y()))
        .arg(std::lround(r.width()))
        .arg(std::lround(r.height()));
}

QString escaped(QString text)
{
    return text.replace(u'\\', QStringLiteral("\\\\")).replace(u'\n', QStringLiteral("\\n"));
}

// One line per shape and edge: what a reviewer reads to see what the layout decided.
QString dump(const TopologyScene &scene)
{
    QString out;
    out += QStringLiteral("title %1\n").arg(scene.title());
    out += QStringLiteral("bounds %1\n").arg(rounded(scene.bounds()));
    const auto &shapes = scene.shapes();
    for (qsizetype i = 0; i < shapes.size(); ++i) {
        const Shape &s = shapes[i];
        out += QStringLiteral("shape %1 %2 \"%3\" \"%4\" @%5 parent=%6\n")
                   .arg(i)
                   .arg(shapeKindName(s.kind), escaped(s.label), escaped(s.detail), rounded(s.rect))
                   .arg(s.parent);
    }
    for (const Edge &e : scene.edges()) {
        out += QStringLiteral("edge %1 %2 -> %3 \"%4\" points=%5 from=%6,%7 to=%8,%9\n")
                   .arg(edgeKindName(e.kind))
                   .arg(e.from)
                   .arg(e.to)
                   .arg(e.label)
                   .arg(e.path.size())
                   .arg(std::lround(e.path.first().x()))
                   .arg(std::lround(e.path.first().y()))
                   .arg(std::lround(e.path.last().x()))
                   .arg(std::lround(e.path.last().y()));
    }
    return out;
}

// A cluster of the given size, built in code: every node with a NodeNetwork (eth0, VXLAN
// tunnel, cni0 and one veth per pod), pods spread over 20 namespaces, services selecting
// about a dozen pods each, and one service selecting a whole namespace (past the edge cap).
ClusterSnapshot syntheticCluster(int nodeCount, int podsPerNode, int serviceCount)
{
    ClusterSnapshot snapshot;
    constexpr int namespaces = 20;
    for (int n = 0; n < namespaces; ++n)
        snapshot.namespaces.append(Namespace{QStringLiteral("team-%1").arg(n), {}, {}});
    const int apps = std::max(1, serviceCount - 1);
    int podNumber = 0;
    for (int n = 0; n < nodeCount; ++n) {
        Node node;
        node.name = QStringLiteral("node-%1").arg(n, 4, 10, QLatin1Char('0'));
        const QString nodeIp = QStringLiteral("10.0.%1.%2").arg(n / 250).arg(n % 250 + 1);
        node.addresses.append(NodeAddress{QStringLiteral("InternalIP"), nodeIp});
        node.podCidrs.append(
            *Cidr::parse(QStringLiteral("10.%1.%2.0/24").arg(100 + n / 256).arg(n % 256)));
        node.ready = ConditionStatus::True;
        node.kubeletVersion = QStringLiteral("v1.29.1");
        if (n == 0)
            node.roles.append(QStringLiteral("control-plane"));
        snapshot.nodes.append(node);

        NodeNetwork network;
        network.nodeName = node.name;
        NetworkInterface eth0;
        eth0.name = QStringLiteral("eth0");
        eth0.kind = InterfaceKind::Ethernet;
        eth0.addresses.append(
            InterfaceAddress{*IpAddress::parse(nodeIp), 16, {}, QStringLiteral("global")});
        network.interfaces.append(eth0);
        NetworkInterface vxlan;
        vxlan.name = QStringLiteral("flannel.1");
        vxlan.kind = InterfaceKind::Vxlan;
        vxlan.vni = 1;
        vxlan.udpPort = 8472;
        network.interfaces.append(vxlan);
        NetworkInterface bridge;
        bridge.name = QStringLiteral("cni0");
        bridge.kind = InterfaceKind::Bridge;
        network.interfaces.append(bridge);

        for (int p = 0; p < podsPerNode; ++p, ++podNumber) {
            Pod pod;
            pod.namespaceName = QStringLiteral("team-%1").arg(podNumber % namespaces);
            pod.name = QStringLiteral("app-%1-%2").arg(podNumber % apps).arg(podNumber);
            pod.nodeName = node.name;
            pod.phase = QStringLiteral("Running");
            pod.ready = true;
            pod.labels.insert(QStringLiteral("app"),
                              QStringLiteral("app-%1").arg(podNumber % apps));
            pod.labels.insert(QStringLiteral("tier"), QStringLiteral("web"));
            pod.podIps.append(IpAddress::fromV4((10u << 24) | (quint32(100 + n / 256) << 16) |
                                                (quint32(n % 256) << 8) | quint32(p + 2)));
            snapshot.pods.append(pod);

            NetworkInterface veth;
            veth.name = QStringLiteral("veth%1").arg(podNumber, 8, 16, QLatin1Char('0'));
            veth.kind = InterfaceKind::Veth;
            veth.master = QStringLiteral("cni0");
            veth.peerPod = pod.qualifiedName();
            veth.peerIfName = QStringLiteral("eth0");
            network.interfaces.append(veth);
        }
        snapshot.nodeNetworks.append(network);
    }
    for (int s = 0; s < apps; ++s) {
        Service service;
        // app-s pods sit in namespace (podNumber % 20) where podNumber ≡ s (mod apps).
        service.namespaceName = QStringLiteral("team-%1").arg(s % namespaces);
        service.name = QStringLiteral("svc-%1").arg(s);
        service.clusterIps.append(IpAddress::fromV4((10u << 24) | (96u << 16) | quint32(s + 10)));
        service.ports.append(
            ServicePort{QStringLiteral("http"), Protocol::TCP, 80, 8080, {}, 0, {}});
        service.selector = Labels{{QStringLiteral("app"), QStringLiteral("app-%1").arg(s)}};
        snapshot.services.append(service);
    }
    Service wide;
    wide.namespaceName = QStringLiteral("team-0");
    wide.name = QStringLiteral("all-web");
    wide.type = ServiceType::NodePort;
    wide.clusterIps.append(IpAddress::fromV4((10u << 24) | (97u << 16) | 1u));
    wide.ports.append(ServicePort{QStringLiteral("http"), Protocol::TCP, 80, 8080, {}, 30080, {}});
    wide.selector = Labels{{QStringLiteral("tier"), QStringLiteral("web")}};
    snapshot.services.append(wide);
    return snapshot;
}

} // namespace

class TestDiagram : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void oneShapePerModelObject_data() { flavours(); }
    void oneShapePerModelObject();
    void interfacesMatchNodeNetwork_data() { flavours(); }
    void interfacesMatchNodeNetwork();
    void vethWiring_data() { flavours(); }
    void vethWiring();
    void overlayConnectsEveryPair_data() { flavours(); }
    void overlayConnectsEveryPair();
    void hostNetworkEdges_data() { flavours(); }
    void hostNetworkEdges();
    void underlayEdges_data() { flavours(); }
    void underlayEdges();
    void serviceEndpointsMatchSelector_data() { flavours(); }
    void serviceEndpointsMatchSelector();
    void podsInsideTheirNodeWithoutOverlap_data() { flavours(); }
    void podsInsideTheirNodeWithoutOverlap();
    void readableWhenFitted_data() { flavours(); }
    void readableWhenFitted();
    void nodeHeaderShowsStatus();
    void nodeWithoutNodeNetwork();
    void degenerateSnapshots();
    void spatialQueries();
    void findByIpAndName();
    void shapeForModelObjects();
    void titleAndLegend();
    void goldenDump();

    void paintsBothStylesAtEveryZoom();
    void exportSvg();
    void exportPng();
    void exportPdf();
    void exportFailsOnUnwritablePath();
    void pngSizeIsCapped();

    void largeCluster();

private:
    void flavours();
    const ClusterSnapshot &snapshot(DemoFlavour flavour) const
    {
        return flavour == DemoFlavour::CalicoIpIp ? m_calico : m_flannel;
    }
    const TopologyScene &scene(DemoFlavour flavour) const
    {
        return flavour == DemoFlavour::CalicoIpIp ? m_calicoScene : m_flannelScene;
    }

    ClusterSnapshot m_calico;
    ClusterSnapshot m_flannel;
    TopologyScene m_calicoScene;
    TopologyScene m_flannelScene;
};

void TestDiagram::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_calico = loadDemo(DemoFlavour::CalicoIpIp);
    m_flannel = loadDemo(DemoFlavour::FlannelVxlan);
    QVERIFY(!m_calico.nodes.isEmpty());
    QVERIFY(!m_flannel.nodes.isEmpty());
    m_calicoScene = TopologyScene::layout(m_calico);
    m_flannelScene = TopologyScene::layout(m_flannel);
}

void TestDiagram::flavours()
{
    QTest::addColumn<DemoFlavour>("flavour");
    QTest::newRow("calico") << DemoFlavour::CalicoIpIp;
    QTest::newRow("flannel") << DemoFlavour::FlannelVxlan;
}

void TestDiagram::oneShapePerModelObject()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);

    QList<int> nodeShapes(snap.nodes.size(), 0), podShapes(snap.pods.size(), 0),
        serviceShapes(snap.services.size(), 0);
    for (const Shape &shape : sc.shapes()) {
        switch (shape.modelKind) {
        case ModelKind::Node:
            QCOMPARE(shape.kind, ShapeKind::Node);
            QCOMPARE(shape.label, snap.nodes[shape.modelIndex].name);
            ++nodeShapes[shape.modelIndex];
            break;
        case ModelKind::Pod: {
            const Pod &pod = snap.pods[shape.modelIndex];
            QCOMPARE(shape.kind, pod.hostNetwork ? ShapeKind::HostNetworkPod : ShapeKind::Pod);
            QCOMPARE(shape.label, pod.name);
            QCOMPARE(shape.group, pod.namespaceName);
            if (pod.hostNetwork)
                QVERIFY2(shape.detail.contains(pod.hostIp.toString()), qPrintable(shape.detail));
            else if (!pod.podIps.isEmpty())
                QVERIFY2(shape.detail.contains(pod.podIps.first().toString()),
                         qPrintable(shape.detail));
            ++podShapes[shape.modelIndex];
            break;
        }
        case ModelKind::Service: {
            const Service &service = snap.services[shape.modelIndex];
            QCOMPARE(shape.kind, ShapeKind::Service);
            QCOMPARE(shape.label, service.name);
            QVERIFY2(shape.detail.contains(service.dnsName(snap.clusterDomain)),
                     qPrintable(shape.detail));
            QVERIFY(shape.detail.contains(serviceTypeName(service.type)));
            for (const auto &ip : service.clusterIps)
                QVERIFY(shape.detail.contains(ip.toString()));
            for (const auto &port : service.ports) {
                if (port.nodePort > 0)
                    QVERIFY2(shape.detail.contains(QString::number(port.nodePort)),
                             qPrintable(shape.detail));
            }
            ++serviceShapes[shape.modelIndex];
            break;
        }
        default:
            break;
        }
    }
    QVERIFY(std::all_of(nodeShapes.begin(), nodeShapes.end(), [](int n) { return n == 1; }));
    QVERIFY(std::all_of(podShapes.begin(), podShapes.end(), [](int n) { return n == 1; }));
    QVERIFY(std::all_of(serviceShapes.begin(), serviceShapes.end(), [](int n) { return n == 1; }));
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Node}).size(), snap.nodes.size());
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Pod, ShapeKind::HostNetworkPod}).size(),
             snap.pods.size());
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Service}).size(), snap.services.size());
    // Every edge names two valid shapes and has a drawable path.
    for (const Edge &edge : sc.edges()) {
        QVERIFY(edge.from >= 0 && edge.from < sc.shapes().size());
        QVERIFY(edge.to >= 0 && edge.to < sc.shapes().size());
        QVERIFY(edge.path.size() >= 2);
    }
}

void TestDiagram::interfacesMatchNodeNetwork()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);
    const QString tunnelName =
        flavour == DemoFlavour::CalicoIpIp ? QStringLiteral("tunl0") : QStringLiteral("flannel.1");

    for (qsizetype n = 0; n < snap.nodes.size(); ++n) {
        const NodeNetwork *network = snap.nodeNetwork(snap.nodes[n].name);
        QVERIFY(network);
        const qsizetype nodeShape = sc.shapeFor(ModelKind::Node, n);
        QVERIFY(nodeShape >= 0);

        QMap<QString, ShapeKind> expected, drawn;
        for (const auto &iface : network->interfaces) {
            if (iface.kind == InterfaceKind::Loopback)
                continue;
            ShapeKind kind = ShapeKind::Interface;
            if (iface.kind == InterfaceKind::Bridge)
                kind = ShapeKind::Bridge;
            else if (iface.kind == InterfaceKind::Veth)
                kind = ShapeKind::Veth;
            else if (isTunnel(iface.kind))
                kind = ShapeKind::Tunnel;
            expected.insert(iface.name, kind);
        }
        for (qsizetype i = 0; i < sc.shapes().size(); ++i) {
            const Shape &shape = sc.shapes()[i];
            if (shape.modelKind != ModelKind::Interface || shape.nodeIndex != n)
                continue;
            QVERIFY2(!drawn.contains(shape.label), qPrintable(shape.label));
            drawn.insert(shape.label, shape.kind);
            QCOMPARE(shape.parent, nodeShape);
            QCOMPARE(network->interfaces[shape.modelIndex].name, shape.label);
            QVERIFY2(contains(sc.shapes()[nodeShape].rect, shape.rect), qPrintable(shape.label));
            QCOMPARE(sc.interfaceShape(n, shape.modelIndex), i);
        }
        QCOMPARE(drawn, expected);
        QCOMPARE(drawn.value(tunnelName, ShapeKind::Pod), ShapeKind::Tunnel);
        QVERIFY(!drawn.contains(QStringLiteral("lo")));
    }
    // Tunnel details carry what the overlay is.
    for (qsizetype i : shapesOfKind(sc, {ShapeKind::Tunnel})) {
        const QString &detail = sc.shapes()[i].detail;
        if (flavour == DemoFlavour::CalicoIpIp)
            QVERIFY2(detail.contains(QStringLiteral("IP-in-IP")), qPrintable(detail));
        else
            QVERIFY2(detail.contains(QStringLiteral("VXLAN VNI 1 :8472")), qPrintable(detail));
    }
}

void TestDiagram::vethWiring()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);
    const auto &shapes = sc.shapes();

    int veths = 0;
    for (qsizetype v : shapesOfKind(sc, {ShapeKind::Veth})) {
        ++veths;
        const Shape &veth = shapes[v];
        const NodeNetwork *network = snap.nodeNetwork(snap.nodes[veth.nodeIndex].name);
        const NetworkInterface &iface = network->interfaces[veth.modelIndex];
        const QStringList peer = iface.peerPod.split(u'/');
        const qsizetype pod = snap.findPod(peer.value(0), peer.value(1));
        QVERIFY(pod >= 0);
        const qsizetype podShape = sc.shapeFor(ModelKind::Pod, pod);

        int podToVeth = 0, vethToBridge = 0;
        for (qsizetype e : sc.edgesOf(v)) {
            const Edge &edge = sc.edges()[e];
            if (edge.kind == EdgeKind::PodToVeth) {
                ++podToVeth;
                QCOMPARE(edge.from, podShape);
                QCOMPARE(edge.to, v);
            } else if (edge.kind == EdgeKind::VethToBridge) {
                ++vethToBridge;
                QCOMPARE(edge.from, v);
                const Shape &target = shapes[edge.to];
                if (!iface.master.isEmpty()) {
                    // Flannel: the bridge the veth is a port of.
                    QCOMPARE(target.kind, ShapeKind::Bridge);
                    QCOMPARE(target.label, iface.master);
                } else {
                    // Calico: no bridge; the host routes, through its primary interface.
                    QCOMPARE(target.label, QStringLiteral("eth0"));
                    QVERIFY(target.flags & PrimaryInterface);
                }
                QCOMPARE(target.nodeIndex, veth.nodeIndex);
            }
        }
        QCOMPARE(podToVeth, 1);
        QCOMPARE(vethToBridge, 1);
    }
    QVERIFY(veths > 0);
    QCOMPARE(edgesOfKind(sc, EdgeKind::PodToVeth).size(), veths);
    QCOMPARE(edgesOfKind(sc, EdgeKind::VethToBridge).size(), veths);
}

void TestDiagram::overlayConnectsEveryPair()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);
    const QString label = flavour == DemoFlavour::CalicoIpIp ? QStringLiteral("IP-in-IP")
                                                             : QStringLiteral("VXLAN VNI 1 :8472");
    QSet<QPair<qsizetype, qsizetype>> pairs;
    for (qsizetype e : edgesOfKind(sc, EdgeKind::Overlay)) {
        const Edge &edge = sc.edges()[e];
        QCOMPARE(edge.label, label);
        const Shape &from = sc.shapes()[edge.from];
        const Shape &to = sc.shapes()[edge.to];
        QCOMPARE(from.kind, ShapeKind::Tunnel);
        QCOMPARE(to.kind, ShapeKind::Tunnel);
        QVERIFY(from.nodeIndex != to.nodeIndex);
        pairs.insert(
            {std::min(from.nodeIndex, to.nodeIndex), std::max(from.nodeIndex, to.nodeIndex)});
    }
    // Three nodes in one row: a full mesh.
    const qsizetype n = snap.nodes.size();
    QCOMPARE(pairs.size(), n * (n - 1) / 2);
    QCOMPARE(edgesOfKind(sc, EdgeKind::Overlay).size(), n * (n - 1) / 2);
}

void TestDiagram::hostNetworkEdges()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);
    int hostPods = 0;
    for (qsizetype p = 0; p < snap.pods.size(); ++p) {
        const Pod &pod = snap.pods[p];
        const qsizetype shape = sc.shapeFor(ModelKind::Pod, p);
        QList<qsizetype> hostEdges;
        for (qsizetype e : sc.edgesOf(shape)) {
            if (sc.edges()[e].kind == EdgeKind::HostNetwork)
                hostEdges.append(e);
        }
        if (!pod.hostNetwork) {
            QVERIFY(hostEdges.isEmpty());
            continue;
        }
        ++hostPods;
        QCOMPARE(sc.shapes()[shape].kind, ShapeKind::HostNetworkPod);
        QCOMPARE(hostEdges.size(), 1);
        const Edge &edge = sc.edges()[hostEdges.first()];
        QCOMPARE(edge.from, shape);
        const Shape &target = sc.shapes()[edge.to];
        // The interface whose address the pod shares.
        QCOMPARE(target.label, QStringLiteral("eth0"));
        QCOMPARE(target.nodeIndex, sc.shapes()[shape].nodeIndex);
        QVERIFY2(target.detail.contains(pod.hostIp.toString() + u'/'), qPrintable(target.detail));
        QVERIFY(sc.shapes()[shape].detail.startsWith(QStringLiteral("hostNetwork · ")));
    }
    QVERIFY(hostPods >= 3);
}

void TestDiagram::underlayEdges()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);
    const QList<qsizetype> bars = shapesOfKind(sc, {ShapeKind::Underlay});
    QCOMPARE(bars.size(), 1); // one grid row, one bar
    QVERIFY(sc.shapes()[bars.first()].detail.contains(QStringLiteral("192.168.56.0/24")));
    QSet<qsizetype> nodes;
    for (qsizetype e : edgesOfKind(sc, EdgeKind::Underlay)) {
        const Edge &edge = sc.edges()[e];
        QCOMPARE(edge.to, bars.first());
        QCOMPARE(sc.shapes()[edge.from].label, QStringLiteral("eth0"));
        nodes.insert(sc.shapes()[edge.from].nodeIndex);
    }
    QCOMPARE(nodes.size(), snap.nodes.size());
}

void TestDiagram::serviceEndpointsMatchSelector()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);
    int withEndpoints = 0;
    for (qsizetype s = 0; s < snap.services.size(); ++s) {
        const qsizetype shape = sc.shapeFor(ModelKind::Service, s);
        QVERIFY(shape >= 0);
        QList<qsizetype> drawn;
        for (qsizetype e : sc.edgesOf(shape)) {
            const Edge &edge = sc.edges()[e];
            QCOMPARE(edge.kind, EdgeKind::ServiceEndpoint);
            QCOMPARE(edge.from, shape);
            QCOMPARE(sc.shapes()[edge.to].modelKind, ModelKind::Pod);
            drawn.append(sc.shapes()[edge.to].modelIndex);
        }
        std::sort(drawn.begin(), drawn.end());
        QList<qsizetype> expected = snap.podsSelectedBy(snap.services[s]);
        std::sort(expected.begin(), expected.end());
        QCOMPARE(drawn, expected);
        withEndpoints += drawn.isEmpty() ? 0 : 1;
    }
    QVERIFY(withEndpoints >= 10);
    // kube-dns reaches both coredns pods.
    const qsizetype dns = snap.findService(u"kube-system", u"kube-dns");
    QVERIFY(dns >= 0);
    QCOMPARE(sc.edgesOf(sc.shapeFor(ModelKind::Service, dns)).size(), 2);
}

void TestDiagram::podsInsideTheirNodeWithoutOverlap()
{
    QFETCH(DemoFlavour, flavour);
    const ClusterSnapshot &snap = snapshot(flavour);
    const TopologyScene &sc = scene(flavour);
    const auto &shapes = sc.shapes();
    const QList<qsizetype> pods = shapesOfKind(sc, {ShapeKind::Pod, ShapeKind::HostNetworkPod});
    for (qsizetype i : pods) {
        const Shape &pod = shapes[i];
        const qsizetype node =
            sc.shapeFor(ModelKind::Node, snap.findNode(snap.pods[pod.modelIndex].nodeName));
        QCOMPARE(pod.parent, node);
        QVERIFY2(contains(shapes[node].rect, pod.rect), qPrintable(pod.label));
        for (qsizetype j : pods) {
            if (j != i)
                QVERIFY2(!pod.rect.intersects(shapes[j].rect),
                         qPrintable(pod.label + QStringLiteral(" / ") + shapes[j].label));
        }
    }
    // Node boxes, services and namespace bands do not overlap each other either.
    const QList<qsizetype> boxes = shapesOfKind(sc, {ShapeKind::Node, ShapeKind::Service});
    for (qsizetype i : boxes) {
        for (qsizetype j : boxes) {
            if (i != j)
                QVERIFY(!shapes[i].rect.intersects(shapes[j].rect));
        }
    }
    // Every child lies inside its parent.
    for (const Shape &shape : shapes) {
        if (shape.parent >= 0)
            QVERIFY2(contains(shapes[shape.parent].rect, shape.rect), qPrintable(shape.label));
        QVERIFY(contains(sc.bounds(), shape.rect));
    }
}

void TestDiagram::readableWhenFitted()
{
    // The first view of a small cluster is the scene fitted to the window: in the diagram pane
    // of a 1600×1000 window (about 1180×900 px next to the inspector) the pods, interfaces and
    // services must already show their names.
    QFETCH(DemoFlavour, flavour);
    const TopologyScene &sc = scene(flavour);
    const QRectF bounds = sc.bounds();
    const qreal fit = std::min(1180.0 / bounds.width(), 900.0 / bounds.height());
    qInfo("bounds %.0f x %.0f, fit zoom %.3f (text from %.3f)", bounds.width(), bounds.height(),
          fit, kMinimumTextZoom);
    QVERIFY2(fit >= kMinimumTextZoom, qPrintable(QString::number(fit)));

    // A services column far taller than the one row of nodes goes under the nodes instead.
    const auto &shapes = sc.shapes();
    qreal nodesBottom = 0;
    for (qsizetype i : shapesOfKind(sc, {ShapeKind::Node, ShapeKind::Underlay}))
        nodesBottom = std::max(nodesBottom, shapes[i].rect.bottom());
    const QList<qsizetype> services = shapesOfKind(sc, {ShapeKind::Service});
    QVERIFY(!services.isEmpty());
    for (qsizetype i : services)
        QVERIFY2(shapes[i].rect.top() > nodesBottom, qPrintable(shapes[i].label));

    // Top-level boxes (nodes, underlay bar, service bands) keep apart, and every service lies
    // in the band of its namespace.
    QList<qsizetype> topLevel;
    for (qsizetype i :
         shapesOfKind(sc, {ShapeKind::Node, ShapeKind::Underlay, ShapeKind::Namespace})) {
        if (shapes[i].parent < 0)
            topLevel.append(i);
    }
    for (qsizetype i : std::as_const(topLevel)) {
        for (qsizetype j : std::as_const(topLevel)) {
            if (i != j)
                QVERIFY2(!shapes[i].rect.intersects(shapes[j].rect),
                         qPrintable(shapes[i].label + QStringLiteral(" / ") + shapes[j].label));
        }
    }
    for (qsizetype i : services) {
        bool inBand = false;
        for (qsizetype b : std::as_const(topLevel)) {
            inBand = inBand || (shapes[b].kind == ShapeKind::Namespace &&
                                shapes[b].label == shapes[i].group &&
                                contains(shapes[b].rect, shapes[i].rect));
        }
        QVERIFY2(inBand, qPrintable(shapes[i].label));
    }
}

void TestDiagram::nodeHeaderShowsStatus()
{
    ClusterSnapshot snap = m_calico;
    const qsizetype worker = snap.findNode(u"worker-2");
    QVERIFY(worker >= 0);
    snap.nodes[worker].ready = ConditionStatus::False;
    snap.nodes[worker].readyReason = QStringLiteral("KubeletNotReady");
    const TopologyScene sc = TopologyScene::layout(snap);
    const Shape &node = sc.shapes()[sc.shapeFor(ModelKind::Node, worker)];
    QVERIFY(node.flags & NodeNotReady);
    QVERIFY2(node.detail.contains(QStringLiteral("NotReady (KubeletNotReady)")),
             qPrintable(node.detail));
    const Shape &controlPlane =
        sc.shapes()[sc.shapeFor(ModelKind::Node, snap.findNode(u"control-plane"))];
    QVERIFY(controlPlane.flags & ControlPlane);
    QVERIFY(!(controlPlane.flags & NodeNotReady));
    QVERIFY(controlPlane.detail.contains(QStringLiteral("InternalIP 192.168.56.10")));
    QVERIFY(controlPlane.detail.contains(QStringLiteral("pod CIDR 10.244.0.0/24")));
    QVERIFY(controlPlane.detail.contains(QStringLiteral("kubelet v")));
    // Control plane first.
    QVERIFY(controlPlane.rect.left() < node.rect.left());
}

void TestDiagram::nodeWithoutNodeNetwork()
{
    ClusterSnapshot snap = m_calico;
    snap.nodeNetworks.clear();
    const TopologyScene sc = TopologyScene::layout(snap);
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Node}).size(), snap.nodes.size());
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Pod, ShapeKind::HostNetworkPod}).size(),
             snap.pods.size());
    QVERIFY(shapesOfKind(
                sc, {ShapeKind::Interface, ShapeKind::Bridge, ShapeKind::Tunnel, ShapeKind::Veth})
                .isEmpty());
    QVERIFY(edgesOfKind(sc, EdgeKind::PodToVeth).isEmpty());
    // Still an overlay (the CNI says so) between the node boxes, and an underlay.
    const CniDetection cni = detectCni(snap);
    const QList<qsizetype> overlay = edgesOfKind(sc, EdgeKind::Overlay);
    if (cni.overlay == OverlayMode::IpIp || cni.overlay == OverlayMode::Vxlan) {
        QCOMPARE(overlay.size(), 3);
        for (qsizetype e : overlay) {
            QCOMPARE(sc.shapes()[sc.edges()[e].from].kind, ShapeKind::Node);
            QVERIFY(!sc.edges()[e].label.isEmpty());
        }
    }
    QCOMPARE(edgesOfKind(sc, EdgeKind::Underlay).size(), snap.nodes.size());
    // Service endpoints do not depend on NodeNetwork.
    QCOMPARE(edgesOfKind(sc, EdgeKind::ServiceEndpoint).size(),
             edgesOfKind(m_calicoScene, EdgeKind::ServiceEndpoint).size());

    // A pod on a node the snapshot does not list still gets drawn, in its own box.
    snap.pods[0].nodeName = QStringLiteral("gone-node");
    const TopologyScene orphan = TopologyScene::layout(snap);
    const qsizetype shape = orphan.shapeFor(ModelKind::Pod, 0);
    QVERIFY(shape >= 0);
    const Shape &box = orphan.shapes()[orphan.shapes()[shape].parent];
    QCOMPARE(box.kind, ShapeKind::Node);
    QVERIFY(box.flags & UnscheduledBox);
    QCOMPARE(box.modelKind, ModelKind::None);
}

void TestDiagram::degenerateSnapshots()
{
    // Nothing at all: a title, no shapes, queries answer empty, painting does not crash.
    const TopologyScene empty = TopologyScene::layout(ClusterSnapshot());
    QVERIFY(empty.shapes().isEmpty());
    QVERIFY(empty.shapesIn(empty.bounds()).isEmpty());
    QCOMPARE(empty.shapeAt(QPointF(10, 10)), -1);
    QVERIFY(empty.title().contains(QStringLiteral("0 node")));
    QImage image(200, 100, QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&image);
    paintScene(painter, empty, QRectF(0, 0, 200, 100), 1.0);
    painter.end();

    // Services and pods but no nodes: pods go to the box of pods without a node.
    ClusterSnapshot noNodes = m_flannel;
    noNodes.nodes.clear();
    const TopologyScene sc = TopologyScene::layout(noNodes);
    const QList<qsizetype> boxes = shapesOfKind(sc, {ShapeKind::Node});
    QCOMPARE(boxes.size(), 1);
    QVERIFY(sc.shapes()[boxes.first()].flags & UnscheduledBox);
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Pod, ShapeKind::HostNetworkPod}).size(),
             noNodes.pods.size());
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Service}).size(), noNodes.services.size());
    QVERIFY(edgesOfKind(sc, EdgeKind::Overlay).isEmpty());
    QVERIFY(edgesOfKind(sc, EdgeKind::Underlay).isEmpty());
    QVERIFY(!edgesOfKind(sc, EdgeKind::ServiceEndpoint).isEmpty());

    // Services only.
    ClusterSnapshot servicesOnly;
    servicesOnly.services = m_calico.services;
    const TopologyScene services = TopologyScene::layout(servicesOnly);
    QCOMPARE(services.shapes().size() - shapesOfKind(services, {ShapeKind::Namespace}).size(),
             servicesOnly.services.size());
    QVERIFY(services.edges().isEmpty());
}

void TestDiagram::spatialQueries()
{
    const TopologyScene &sc = m_calicoScene;
    const auto &shapes = sc.shapes();
    QList<qsizetype> all = sc.shapesIn(sc.bounds());
    QCOMPARE(all.size(), shapes.size());
    std::sort(all.begin(), all.end());
    for (qsizetype i = 0; i < all.size(); ++i)
        QCOMPARE(all[i], i);
    QCOMPARE(sc.edgesIn(sc.bounds()).size(), sc.edges().size());

    // Painting order: nodes before interfaces before pods before services.
    const QList<qsizetype> ordered = sc.shapesIn(sc.bounds());
    for (qsizetype i = 1; i < ordered.size(); ++i)
        QVERIFY(TopologyScene::paintLayer(shapes[ordered[i - 1]].kind) <=
                TopologyScene::paintLayer(shapes[ordered[i]].kind));

    // A small rectangle around one pod: a strict subset, holding that pod and its node.
    const qsizetype pod = sc.shapeFor(ModelKind::Pod, 0);
    const QRectF around = shapes[pod].rect.adjusted(-2, -2, 2, 2);
    const QList<qsizetype> few = sc.shapesIn(around);
    QVERIFY(few.size() < shapes.size() / 4);
    QVERIFY(few.contains(pod));
    QVERIFY(few.contains(shapes[pod].parent));
    for (qsizetype i : few)
        QVERIFY(shapes[i].rect.intersects(around));
    // And it is complete: every shape touching the rectangle is returned.
    for (qsizetype i = 0; i < shapes.size(); ++i) {
        if (shapes[i].rect.intersects(around))
            QVERIFY(few.contains(i));
    }
    const QList<qsizetype> someEdges = sc.edgesIn(around);
    QVERIFY(someEdges.size() < sc.edges().size());
    QVERIFY(sc.shapesIn(QRectF(-100000, -100000, 10, 10)).isEmpty());

    // shapeAt: the most specific shape.
    for (qsizetype i : shapesOfKind(sc, {ShapeKind::Pod, ShapeKind::HostNetworkPod, ShapeKind::Veth,
                                         ShapeKind::Service, ShapeKind::Tunnel})) {
        QCOMPARE(sc.shapeAt(shapes[i].rect.center()), i);
    }
    const qsizetype node = sc.shapeFor(ModelKind::Node, 0);
    QCOMPARE(sc.shapeAt(shapes[node].rect.topLeft() + QPointF(3, 60)), node);
    QCOMPARE(sc.shapeAt(sc.bounds().topLeft() + QPointF(1, 1)), -1);
}

void TestDiagram::findByIpAndName()
{
    const TopologyScene &sc = m_calicoScene;
    const ClusterSnapshot &snap = m_calico;
    const QList<qsizetype> hits = sc.find(QStringLiteral("10.244.1"));
    int podHits = 0;
    for (qsizetype p = 0; p < snap.pods.size(); ++p) {
        bool matches = false;
        for (const auto &ip : snap.pods[p].podIps)
            matches = matches || ip.toString().contains(QStringLiteral("10.244.1"));
        if (matches) {
            QVERIFY2(hits.contains(sc.shapeFor(ModelKind::Pod, p)), qPrintable(snap.pods[p].name));
            ++podHits;
        }
    }
    QVERIFY(podHits >= 5);
    for (qsizetype i : hits)
        QVERIFY(sc.shapes()[i].searchText.contains(QStringLiteral("10.244.1")));

    const qsizetype dns = snap.findService(u"kube-system", u"kube-dns");
    const QList<qsizetype> dnsHits = sc.find(QStringLiteral("kube-dns"));
    QVERIFY(dnsHits.contains(sc.shapeFor(ModelKind::Service, dns)));
    // Every term must match, case-insensitively; the DNS name is searchable.
    QCOMPARE(sc.find(QStringLiteral("KUBE-DNS  kube-system.svc")),
             QList<qsizetype>{sc.shapeFor(ModelKind::Service, dns)});
    QVERIFY(sc.find(QStringLiteral("no-such-thing-anywhere")).isEmpty());
    QVERIFY(sc.find(QStringLiteral("   ")).isEmpty());
    // Host-network pods are found by the node address they share.
    bool hostFound = false;
    for (qsizetype i : sc.find(QStringLiteral("192.168.56.10")))
        hostFound = hostFound || sc.shapes()[i].kind == ShapeKind::HostNetworkPod;
    QVERIFY(hostFound);
}

void TestDiagram::shapeForModelObjects()
{
    const TopologyScene &sc = m_calicoScene;
    const ClusterSnapshot &snap = m_calico;
    for (qsizetype n = 0; n < snap.nodes.size(); ++n)
        QCOMPARE(sc.shapes()[sc.shapeFor(ModelKind::Node, n)].label, snap.nodes[n].name);
    for (qsizetype s = 0; s < snap.services.size(); ++s)
        QCOMPARE(sc.shapes()[sc.shapeFor(ModelKind::Service, s)].label, snap.services[s].name);
    QCOMPARE(sc.shapeFor(ModelKind::Pod, snap.pods.size()), -1);
    QCOMPARE(sc.shapeFor(ModelKind::Node, -1), -1);
    // A namespace maps to its band in the services column.
    for (qsizetype n = 0; n < snap.namespaces.size(); ++n) {
        const qsizetype shape = sc.shapeFor(ModelKind::Namespace, n);
        if (shape < 0)
            continue;
        QCOMPARE(sc.shapes()[shape].label, snap.namespaces[n].name);
    }
    const qsizetype sockShop = sc.shapeFor(
        ModelKind::Namespace,
        std::distance(snap.namespaces.begin(),
                      std::find_if(snap.namespaces.begin(), snap.namespaces.end(),
                                   [](const Namespace &ns) { return ns.name == u"sock-shop"; })));
    QVERIFY(sockShop >= 0);
    QCOMPARE(sc.shapes()[sockShop].parent, -1);
}

void TestDiagram::titleAndLegend()
{
    const QString title = m_calicoScene.title();
    QVERIFY2(title.contains(QStringLiteral("Calico")), qPrintable(title));
    QVERIFY2(title.contains(QStringLiteral("IP-in-IP")), qPrintable(title));
    QVERIFY2(title.contains(QStringLiteral("3 node")), qPrintable(title));
    QVERIFY2(title.contains(QStringLiteral("%1 pod").arg(m_calico.pods.size())), qPrintable(title));
    QVERIFY2(title.contains(QStringLiteral("enforces NetworkPolicy")), qPrintable(title));
    const QString flannel = m_flannelScene.title();
    QVERIFY2(flannel.contains(QStringLiteral("Flannel (VXLAN)")), qPrintable(flannel));
    QVERIFY2(flannel.contains(QStringLiteral("does not enforce NetworkPolicy")),
             qPrintable(flannel));
    QVERIFY(m_calicoScene.legend().size() >= 8);
    QCOMPARE(m_calicoScene.legend().size(), m_calicoScene.legendEntries().size());
    QVERIFY(m_calicoScene.bounds().contains(m_calicoScene.titleRect()));
}

void TestDiagram::goldenDump()
{
    const QString actual = dump(m_calicoScene);
    const QString goldenPath =
        QStringLiteral(CARTOGRAPH_SOURCE_DIR) + QStringLiteral("/tests/golden/diagram-calico.txt");
    if (qEnvironmentVariableIsSet("CARTOGRAPH_UPDATE_GOLDEN")) {
        QFile out(goldenPath);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(actual.toUtf8());
        QSKIP("golden file rewritten");
    }
    QFile file(goldenPath);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(goldenPath));
    const QString expected = QString::fromUtf8(file.readAll());
    if (actual == expected)
        return;
    const QStringList a = actual.split(u'\n'), e = expected.split(u'\n');
    qsizetype line = 0;
    while (line < a.size() && line < e.size() && a[line] == e[line])
        ++line;
    QTemporaryDir dir;
    dir.setAutoRemove(false);
    const QString actualPath = dir.filePath(QStringLiteral("diagram-calico.actual.txt"));
    QFile out(actualPath);
    if (out.open(QIODevice::WriteOnly))
        out.write(actual.toUtf8());
    qWarning().noquote() << "first difference at line" << line + 1
                         << "\n  expected:" << e.value(line) << "\n  actual:  " << a.value(line)
                         << "\nSee: diff -u" << goldenPath << actualPath
                         << "\nIf the change is intended, rerun with CARTOGRAPH_UPDATE_GOLDEN=1.";
    QFAIL("the laid-out demo scene differs from tests/golden/diagram-calico.txt");
}

void TestDiagram::paintsBothStylesAtEveryZoom()
{
    const TopologyScene &sc = m_flannelScene;
    for (const DiagramStyle &style : {DiagramStyle::light(), DiagramStyle::dark()}) {
        for (qreal scale : {0.05, 0.2, 0.6, 1.5}) {
            // A 600×400 viewport on the middle of the scene.
            QImage image(600, 400, QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::transparent);
            const QRectF exposed(sc.bounds().center() - QPointF(300 / scale, 200 / scale),
                                 QSizeF(600 / scale, 400 / scale));
            QPainter painter(&image);
            painter.scale(scale, scale);
            painter.translate(-exposed.topLeft());
            Highlight highlight;
            highlight.selected = sc.shapeFor(ModelKind::Pod, 0);
            highlight.matches = {sc.shapeFor(ModelKind::Pod, 1),
                                 sc.shapeFor(ModelKind::Service, 0)};
            paintScene(painter, sc, exposed, scale, style, highlight);
            painter.end();
            // The background fills the exposed area; something else is drawn on it.
            QCOMPARE(image.pixelColor(0, 0).alpha(), 255);
            int different = 0;
            const QRgb background = style.background.rgb();
            for (int y = 0; y < image.height(); y += 4) {
                for (int x = 0; x < image.width(); x += 4)
                    different += (image.pixel(x, y) & 0xffffff) != (background & 0xffffff);
            }
            QVERIFY2(different > 100, qPrintable(QString::number(scale)));
        }
    }
    // Namespace colours are stable and differ between the demo's namespaces.
    const DiagramStyle light = DiagramStyle::light();
    QCOMPARE(light.namespaceAccent(QStringLiteral("sock-shop")),
             light.namespaceAccent(QStringLiteral("sock-shop")));
    QVERIFY(light.namespaceAccent(QStringLiteral("sock-shop")) !=
            light.namespaceAccent(QStringLiteral("kube-system")));
}

void TestDiagram::exportSvg()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("calico.svg"));
    const Status status = exportScene(m_calicoScene, ExportFormat::Svg, path);
    QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(describe(status.error())));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(file.readAll());
    QVERIFY(svg.contains(QStringLiteral("<title>")));
    QVERIFY(svg.contains(QStringLiteral("Calico")));
    QVERIFY(svg.contains(QStringLiteral("<desc>")));
    for (const Node &node : m_calico.nodes)
        QVERIFY2(svg.contains(u'>' + node.name + u'<'), qPrintable(node.name));
    QVERIFY(svg.contains(QStringLiteral("kube-dns.kube-system.svc.cluster.local")));
    // Nothing but the file itself is left behind.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void TestDiagram::exportPng()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("calico.png"));
    const qreal scale = 0.5;
    const Status status = exportScene(m_calicoScene, ExportFormat::Png, path, scale);
    QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(describe(status.error())));
    const QImage image(path);
    QVERIFY(!image.isNull());
    const QSize expected(int(m_calicoScene.bounds().width() * scale),
                         int(m_calicoScene.bounds().height() * scale));
    QCOMPARE(image.size(), expected);
    QCOMPARE(image.size(), exportImageSize(m_calicoScene, scale));
    const QRgb background = image.pixel(0, 0);
    QCOMPARE(QColor(background), DiagramStyle::light().background);
    qint64 drawn = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            drawn += image.pixel(x, y) != background;
    }
    QVERIFY2(drawn > qint64(image.width()) * image.height() / 10,
             qPrintable(QString::number(drawn)));
}

void TestDiagram::exportPdf()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("calico.pdf"));
    const Status status = exportScene(m_calicoScene, ExportFormat::Pdf, path);
    QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(describe(status.error())));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray pdf = file.readAll();
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.size() > 10000);
    QCOMPARE(exportFormatFromName(u"PDF"), ExportFormat::Pdf);
    QCOMPARE(exportFormatFromName(u"svg"), ExportFormat::Svg);
    QCOMPARE(exportFormatFromName(u"png"), ExportFormat::Png);
    QVERIFY(!exportFormatFromName(u"gif"));
}

void TestDiagram::exportFailsOnUnwritablePath()
{
    for (ExportFormat format : {ExportFormat::Svg, ExportFormat::Png, ExportFormat::Pdf}) {
        const QString path = QStringLiteral("/proc/forbidden/x.svg");
        const Status status = exportScene(m_calicoScene, format, path);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, ErrorCode::WriteFailed);
        QCOMPARE(status.error().file, path);
        QVERIFY(!status.error().detail.isEmpty());
        QVERIFY2(describe(status.error()).contains(path), qPrintable(describe(status.error())));
        QVERIFY(!QFile::exists(path));
    }
    // An empty scene is refused, not written as a 0×0 picture.
    QTemporaryDir dir;
    const Status empty =
        exportScene(TopologyScene(), ExportFormat::Png, dir.filePath(QStringLiteral("empty.png")));
    QVERIFY(!empty.ok());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("empty.png"))));
}

void TestDiagram::pngSizeIsCapped()
{
    const QSize huge = exportImageSize(m_calicoScene, 1000.0);
    QVERIFY(huge.width() <= 16384 && huge.height() <= 16384);
    QVERIFY(qint64(huge.width()) * huge.height() <= qint64(16384) * 8192);
    // Aspect ratio kept when scaling down.
    const qreal aspect = m_calicoScene.bounds().width() / m_calicoScene.bounds().height();
    QVERIFY(std::abs(qreal(huge.width()) / huge.height() - aspect) < 0.01);
}

void TestDiagram::largeCluster()
{
    constexpr int nodes = 500, podsPerNode = 30, services = 1000;
    const ClusterSnapshot snap = syntheticCluster(nodes, podsPerNode, services);
    QElapsedTimer timer;
    timer.start();
    const TopologyScene sc = TopologyScene::layout(snap);
    const qint64 layoutMs = timer.elapsed();
    qInfo("layout of %d nodes, %d pods, %d services: %lld ms, %lld shapes, %lld edges", nodes,
          nodes * podsPerNode, services, layoutMs, sc.shapes().size(), sc.edges().size());

    QCOMPARE(shapesOfKind(sc, {ShapeKind::Node}).size(), nodes);
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Pod}).size(), nodes * podsPerNode);
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Veth}).size(), nodes * podsPerNode);
    QCOMPARE(shapesOfKind(sc, {ShapeKind::Service}).size(), services);
    QCOMPARE(edgesOfKind(sc, EdgeKind::PodToVeth).size(), nodes * podsPerNode);
    // A chain of neighbours through the grid, not a 500-node mesh.
    QCOMPARE(edgesOfKind(sc, EdgeKind::Overlay).size(), nodes - 1);

    // Endpoint edges: every selected pod, capped at 50 for the service selecting everything.
    const qsizetype wide = snap.findService(u"team-0", u"all-web");
    const Shape &wideShape = sc.shapes()[sc.shapeFor(ModelKind::Service, wide)];
    QVERIFY(wideShape.flags & EndpointsCapped);
    QVERIFY2(wideShape.detail.contains(QStringLiteral("50")), qPrintable(wideShape.detail));
    QCOMPARE(sc.edgesOf(sc.shapeFor(ModelKind::Service, wide)).size(), 50);
    const qsizetype svc7 = snap.findService(u"team-7", u"svc-7");
    QCOMPARE(sc.edgesOf(sc.shapeFor(ModelKind::Service, svc7)).size(),
             snap.podsSelectedBy(snap.services[svc7]).size());

    // Pods stay inside their nodes.
    for (qsizetype i : shapesOfKind(sc, {ShapeKind::Pod}))
        QVERIFY(contains(sc.shapes()[sc.shapes()[i].parent].rect, sc.shapes()[i].rect));
    // Beside a grid this tall, the services stand in columns right of it.
    qreal gridRight = 0;
    for (qsizetype i : shapesOfKind(sc, {ShapeKind::Node}))
        gridRight = std::max(gridRight, sc.shapes()[i].rect.right());
    for (qsizetype i : shapesOfKind(sc, {ShapeKind::Service}))
        QVERIFY(sc.shapes()[i].rect.left() > gridRight);

    // A 1600×1000 viewport in the middle of the node grid sees a small part of the scene.
    const QRectF grid = sc.shapes()[sc.shapeFor(ModelKind::Node, 0)].rect.united(
        sc.shapes()[sc.shapeFor(ModelKind::Node, nodes - 1)].rect);
    const QRectF viewport(grid.center() - QPointF(800, 500), QSizeF(1600, 1000));
    timer.restart();
    const QList<qsizetype> visible = sc.shapesIn(viewport);
    const QList<qsizetype> visibleEdges = sc.edgesIn(viewport);
    qInfo("viewport query: %lld shapes, %lld edges in %lld ms", visible.size(), visibleEdges.size(),
          timer.elapsed());
    QVERIFY(!visible.isEmpty());
    QVERIFY2(visible.size() < sc.shapes().size() / 50, qPrintable(QString::number(visible.size())));
    QVERIFY(visibleEdges.size() < sc.edges().size() / 10);
    // Point lookups agree with the geometry.
    const qsizetype somePod = sc.shapeFor(ModelKind::Pod, 12345);
    QCOMPARE(sc.shapeAt(sc.shapes()[somePod].rect.center()), somePod);
}

QTEST_MAIN(TestDiagram)
#include "tst_diagram.moc"
