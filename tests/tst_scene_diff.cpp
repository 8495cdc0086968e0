// diffScenes: what a live update must repaint. Two layouts of the Calico demo, the second after
// one edit of the snapshot (a pod's phase, a pod added or deleted, a service selecting one more
// pod, a node added), are compared; the expected rectangles are worked out here independently,
// by matching shapes through the model objects they stand for (snapshot pods, nodes, services),
// not through the labels diffScenes matches by. A 150,000-pod pair checks that the diff stays
// linear (it would not finish within the test timeout otherwise) and exact at that size.

#include "ClusterSnapshot.h"
#include "SceneDiff.h"
#include "SnapshotSource.h"
#include "TopologyScene.h"
#include "support/DemoSnapshot.h"

#include <QHash>
#include <QSet>
#include <QTest>

using namespace cartograph;
using namespace cartograph::diagram;
using namespace Qt::StringLiterals;

namespace {

QString rectText(const QRectF &r)
{
    return u"%1,%2 %3x%4"_s.arg(r.x(), 0, 'f', 3)
        .arg(r.y(), 0, 'f', 3)
        .arg(r.width(), 0, 'f', 3)
        .arg(r.height(), 0, 'f', 3);
}

QSet<QString> rectSet(const QList<QRectF> &rects)
{
    QSet<QString> set;
    for (const QRectF &r : rects)
        set.insert(rectText(r));
    return set;
}

// What a shape stands for, read from the snapshot through modelKind/modelIndex.
QString identity(const TopologyScene &scene, const ClusterSnapshot &snapshot, qsizetype index,
                 QHash<QString, int> &seen)
{
    const Shape &shape = scene.shapes()[index];
    const auto nodeName = [&](qsizetype node) {
        return node >= 0 ? snapshot.nodes[node].name : u"(no node)"_s;
    };
    QString id;
    switch (shape.modelKind) {
    case ModelKind::Pod:
        id = u"pod "_s + snapshot.pods[shape.modelIndex].qualifiedName();
        break;
    case ModelKind::Node:
        id = u"node "_s + snapshot.nodes[shape.modelIndex].name;
        break;
    case ModelKind::Service:
        id = u"service "_s + snapshot.services[shape.modelIndex].namespaceName + u'/' +
             snapshot.services[shape.modelIndex].name;
        break;
    case ModelKind::Interface:
        id = u"interface "_s + nodeName(shape.nodeIndex) + u'/' +
             snapshot.nodeNetwork(snapshot.nodes[shape.nodeIndex].name)
                 ->interfaces[shape.modelIndex]
                 .name;
        break;
    case ModelKind::Namespace:
        id = u"namespace "_s + shape.group + u" in "_s +
             (shape.parent >= 0 ? nodeName(shape.nodeIndex) : u"services"_s);
        break;
    case ModelKind::None:
        // The box of pods without a node, the underlay bars and trunk: by kind, caption and
        // order.
        id = u"unmodelled "_s + shapeKindName(shape.kind) + u' ' + shape.label;
        break;
    }
    const int occurrence = seen[id]++;
    return occurrence == 0 ? id : id + u" #"_s + QString::number(occurrence);
}

QList<QString> identities(const TopologyScene &scene, const ClusterSnapshot &snapshot)
{
    QHash<QString, int> seen;
    QList<QString> ids;
    for (qsizetype i = 0; i < scene.shapes().size(); ++i)
        ids.append(identity(scene, snapshot, i, seen));
    return ids;
}

QList<QRectF> edgeRects(const Edge &edge, bool withLabel)
{
    QList<QRectF> rects;
    for (qsizetype i = 1; i < edge.path.size(); ++i) {
        const QPointF a = edge.path[i - 1], b = edge.path[i];
        rects.append(QRectF(QPointF(std::min(a.x(), b.x()), std::min(a.y(), b.y())),
                            QPointF(std::max(a.x(), b.x()), std::max(a.y(), b.y()))));
    }
    if (withLabel)
        rects.append(edgeLabelRect(edge));
    return rects;
}

struct Expected
{
    QSet<QString> dirty;
    QList<qsizetype> shapeMap;
};

// The repaint set worked out the plain way: shapes matched by model identity, edges by kind and
// their ends' identities; anything matched but drawn differently counts with both places.
Expected expectedDiff(const TopologyScene &before, const ClusterSnapshot &oldSnapshot,
                      const TopologyScene &after, const ClusterSnapshot &newSnapshot)
{
    Expected expected;
    const QList<QString> oldIds = identities(before, oldSnapshot);
    const QList<QString> newIds = identities(after, newSnapshot);
    QHash<QString, qsizetype> newById;
    for (qsizetype j = 0; j < newIds.size(); ++j)
        newById.insert(newIds[j], j);
    QSet<QString> oldIdSet(oldIds.cbegin(), oldIds.cend());
    QList<QRectF> dirty;
    for (qsizetype i = 0; i < oldIds.size(); ++i) {
        const qsizetype j = newById.value(oldIds[i], -1);
        expected.shapeMap.append(j);
        const Shape &old = before.shapes()[i];
        if (j < 0) {
            dirty.append(old.rect);
            continue;
        }
        const Shape &now = after.shapes()[j];
        if (old.rect != now.rect || old.label != now.label || old.detail != now.detail ||
            old.flags != now.flags) {
            dirty.append(old.rect);
            dirty.append(now.rect);
        }
    }
    for (qsizetype j = 0; j < newIds.size(); ++j) {
        if (!oldIdSet.contains(newIds[j]))
            dirty.append(after.shapes()[j].rect);
    }

    const auto edgeIds = [](const TopologyScene &scene, const QList<QString> &ids) {
        QHash<QString, int> seen;
        QList<QString> result;
        for (const Edge &edge : scene.edges()) {
            const QString id =
                edgeKindName(edge.kind) + u' ' + ids[edge.from] + u" -> "_s + ids[edge.to];
            const int occurrence = seen[id]++;
            result.append(occurrence == 0 ? id : id + u" #"_s + QString::number(occurrence));
        }
        return result;
    };
    const QList<QString> oldEdgeIds = edgeIds(before, oldIds);
    const QList<QString> newEdgeIds = edgeIds(after, newIds);
    QHash<QString, qsizetype> newEdgeById;
    for (qsizetype j = 0; j < newEdgeIds.size(); ++j)
        newEdgeById.insert(newEdgeIds[j], j);
    QSet<QString> oldEdgeIdSet(oldEdgeIds.cbegin(), oldEdgeIds.cend());
    for (qsizetype i = 0; i < oldEdgeIds.size(); ++i) {
        const Edge &old = before.edges()[i];
        const qsizetype j = newEdgeById.value(oldEdgeIds[i], -1);
        if (j < 0) {
            dirty += edgeRects(old, !old.label.isEmpty());
            continue;
        }
        const Edge &now = after.edges()[j];
        if (old.path != now.path || old.label != now.label) {
            dirty += edgeRects(old, !old.label.isEmpty() || !now.label.isEmpty());
            dirty += edgeRects(now, !now.label.isEmpty());
        }
    }
    for (qsizetype j = 0; j < newEdgeIds.size(); ++j) {
        if (!oldEdgeIdSet.contains(newEdgeIds[j]))
            dirty += edgeRects(after.edges()[j], !after.edges()[j].label.isEmpty());
    }
    if (before.title() != after.title() || before.titleRect() != after.titleRect()) {
        dirty.append(before.titleRect());
        dirty.append(after.titleRect());
    }
    expected.dirty = rectSet(dirty);
    return expected;
}

qsizetype podNamed(const ClusterSnapshot &snapshot, const QString &ns, const QString &prefix)
{
    for (qsizetype i = 0; i < snapshot.pods.size(); ++i) {
        if (snapshot.pods[i].namespaceName == ns && snapshot.pods[i].name.startsWith(prefix))
            return i;
    }
    return -1;
}

enum class Edit
{
    None,
    PodPhase,
    PodAdded,
    PodDeleted,
    EndpointAdded,
    NodeAdded
};

// The edit, and the pod it is about (index in the edited snapshot), -1 when none.
qsizetype applyEdit(ClusterSnapshot &snapshot, Edit edit)
{
    switch (edit) {
    case Edit::None:
        return -1;
    case Edit::PodPhase: {
        const qsizetype pod = podNamed(snapshot, u"sock-shop"_s, u"orders-gl5x4"_s);
        snapshot.pods[pod].phase = u"Pending"_s;
        snapshot.pods[pod].ready = false;
        return pod;
    }
    case Edit::PodAdded: {
        Pod pod = snapshot.pods[podNamed(snapshot, u"sock-shop"_s, u"carts-h5v"_s)];
        pod.name = u"probe-1"_s;
        pod.uid = u"probe-1-uid"_s;
        pod.labels = Labels{{u"app"_s, u"probe"_s}};
        pod.podIps = {*IpAddress::parse(u"10.244.1.200")};
        snapshot.pods.append(pod);
        return snapshot.pods.size() - 1;
    }
    case Edit::PodDeleted:
        snapshot.pods.removeAt(podNamed(snapshot, u"sock-shop"_s, u"carts-h5v"_s));
        return -1;
    case Edit::EndpointAdded: {
        // Relabelled (kubectl label --overwrite), a pod no service selected joins kube-dns.
        const qsizetype pod = podNamed(snapshot, u"kube-system"_s, u"calico-kube-controllers"_s);
        snapshot.pods[pod].labels.insert(u"k8s-app"_s, u"kube-dns"_s);
        return pod;
    }
    case Edit::NodeAdded: {
        Node node = snapshot.nodes[snapshot.findNode(u"worker-2")];
        node.name = u"worker-3"_s;
        node.addresses = {NodeAddress{u"InternalIP"_s, u"172.18.0.9"_s}};
        snapshot.nodes.append(node);
        return -1;
    }
    }
    return -1;
}

// A synthetic cluster of `nodes` × `podsPerNode` pods: every node with eth0, a VXLAN tunnel, a
// bridge and one veth per pod; pods over 20 namespaces, one service per 10 pods.
ClusterSnapshot syntheticCluster(int nodes, int podsPerNode)
{
    ClusterSnapshot snapshot;
    for (int n = 0; n < 20; ++n)
        snapshot.namespaces.append(Namespace{u"team-%1"_s.arg(n), {}, {}});
    int podNumber = 0;
    for (int n = 0; n < nodes; ++n) {
        Node node;
        node.name = u"node-%1"_s.arg(n, 4, 10, QLatin1Char('0'));
        const QString nodeIp = u"10.0.%1.%2"_s.arg(n / 250).arg(n % 250 + 1);
        node.addresses.append(NodeAddress{u"InternalIP"_s, nodeIp});
        node.ready = ConditionStatus::True;
        snapshot.nodes.append(node);
        NodeNetwork network;
        network.nodeName = node.name;
        NetworkInterface eth0;
        eth0.name = u"eth0"_s;
        eth0.kind = InterfaceKind::Ethernet;
        eth0.addresses.append(InterfaceAddress{*IpAddress::parse(nodeIp), 16, {}, u"global"_s});
        network.interfaces.append(eth0);
        NetworkInterface vxlan;
        vxlan.name = u"flannel.1"_s;
        vxlan.kind = InterfaceKind::Vxlan;
        vxlan.vni = 1;
        network.interfaces.append(vxlan);
        NetworkInterface bridge;
        bridge.name = u"cni0"_s;
        bridge.kind = InterfaceKind::Bridge;
        network.interfaces.append(bridge);
        for (int p = 0; p < podsPerNode; ++p, ++podNumber) {
            Pod pod;
            pod.namespaceName = u"team-%1"_s.arg(podNumber % 20);
            pod.name = u"app-%1"_s.arg(podNumber);
            pod.nodeName = node.name;
            pod.phase = u"Running"_s;
            pod.ready = true;
            pod.labels.insert(u"app"_s, u"app-%1"_s.arg(podNumber / 10));
            pod.podIps.append(IpAddress::fromV4((10u << 24) | (quint32(podNumber) + 256u)));
            snapshot.pods.append(pod);
            NetworkInterface veth;
            veth.name = u"veth%1"_s.arg(podNumber, 8, 16, QLatin1Char('0'));
            veth.kind = InterfaceKind::Veth;
            veth.master = u"cni0"_s;
            veth.peerPod = pod.qualifiedName();
            network.interfaces.append(veth);
        }
        snapshot.nodeNetworks.append(network);
    }
    for (int s = 0; s * 10 < podNumber; s += 20) {
        Service service;
        service.namespaceName = u"team-%1"_s.arg((s * 10) % 20);
        service.name = u"svc-%1"_s.arg(s);
        service.selector = Labels{{u"app"_s, u"app-%1"_s.arg(s)}};
        snapshot.services.append(service);
    }
    return snapshot;
}

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestSceneDiff : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void diff_data();
    void diff();
    void matchesEqualShapesInOrder();
    void largeClusterStaysExact();

private:
    ClusterSnapshot m_demo;
};

void TestSceneDiff::initTestCase()
{
    m_demo = testing::loadDemoSnapshot();
    QVERIFY(!m_demo.pods.isEmpty());
}

void TestSceneDiff::diff_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<bool>("boundsChange");
    QTest::newRow("identical") << Edit::None << false;
    QTest::newRow("pod phase flips") << Edit::PodPhase << false;
    QTest::newRow("pod added to a node") << Edit::PodAdded << false; // the node box has room
    QTest::newRow("pod deleted") << Edit::PodDeleted << false;
    QTest::newRow("service endpoint added") << Edit::EndpointAdded << false;
    QTest::newRow("node added") << Edit::NodeAdded << true;
}

void TestSceneDiff::diff()
{
    QFETCH(Edit, edit);
    QFETCH(bool, boundsChange);
    ClusterSnapshot edited = m_demo;
    const qsizetype pod = applyEdit(edited, edit);
    const TopologyScene before = TopologyScene::layout(m_demo);
    const TopologyScene after = TopologyScene::layout(edited);

    const SceneDiff diff = diffScenes(before, after);
    const Expected expected = expectedDiff(before, m_demo, after, edited);
    QCOMPARE(diff.shapeMap, expected.shapeMap);
    const QSet<QString> dirty = rectSet(diff.dirty);
    if (dirty != expected.dirty) {
        for (const QString &r : dirty - expected.dirty)
            qWarning("repainted but unchanged: %s", qPrintable(r));
        for (const QString &r : expected.dirty - dirty)
            qWarning("changed but not repainted: %s", qPrintable(r));
    }
    QCOMPARE(dirty, expected.dirty);
    QCOMPARE(diff.boundsChanged, boundsChange);
    QCOMPARE(diff.boundsChanged, before.bounds() != after.bounds());

    const qsizetype podShape = pod >= 0 ? after.shapeFor(ModelKind::Pod, pod) : -1;
    switch (edit) {
    case Edit::None:
        QVERIFY(diff.dirty.isEmpty());
        QVERIFY(diff.isEmpty());
        for (qsizetype i = 0; i < diff.shapeMap.size(); ++i)
            QCOMPARE(diff.shapeMap[i], i);
        break;
    case Edit::PodPhase:
        // Only that pod is drawn differently (its status line and colour).
        QCOMPARE(dirty, QSet<QString>{rectText(after.shapes()[podShape].rect)});
        break;
    case Edit::PodAdded:
        QVERIFY(dirty.contains(rectText(after.shapes()[podShape].rect)));
        // The other nodes' pods stay where they were, so most of the picture is not repainted.
        QVERIFY(diff.dirty.size() < before.shapes().size() / 2);
        break;
    case Edit::PodDeleted: {
        const qsizetype gone =
            before.shapeFor(ModelKind::Pod, podNamed(m_demo, u"sock-shop"_s, u"carts-h5v"_s));
        QCOMPARE(diff.shapeMap[gone], -1);
        QVERIFY(dirty.contains(rectText(before.shapes()[gone].rect)));
        break;
    }
    case Edit::EndpointAdded: {
        QCOMPARE(after.endpointEdgeCount(), before.endpointEdgeCount() + 1);
        const qsizetype dns =
            after.shapeFor(ModelKind::Service, edited.findService(u"kube-system", u"kube-dns"));
        bool found = false;
        for (qsizetype e : after.edgesOf(podShape)) {
            const Edge &edge = after.edges()[e];
            if (edge.kind != EdgeKind::ServiceEndpoint || edge.from != dns)
                continue;
            found = true;
            for (const QRectF &r : edgeRects(edge, false))
                QVERIFY(dirty.contains(rectText(r)));
        }
        QVERIFY(found);
        break;
    }
    case Edit::NodeAdded:
        QVERIFY(diff.shapeMap.size() == before.shapes().size());
        QVERIFY(after.shapes().size() > before.shapes().size());
        break;
    }
}

void TestSceneDiff::matchesEqualShapesInOrder()
{
    // Eight nodes: three grid rows, so three underlay bars with the same caption (and the
    // trunk). Equal shapes pair up in order; sixteen nodes add a row, whose bar is new.
    const ClusterSnapshot eight = syntheticCluster(8, 2);
    const ClusterSnapshot sixteen = syntheticCluster(16, 2);
    const TopologyScene before = TopologyScene::layout(eight);
    const TopologyScene after = TopologyScene::layout(sixteen);
    QList<qsizetype> oldBars, newBars;
    for (qsizetype i = 0; i < before.shapes().size(); ++i) {
        if (before.shapes()[i].kind == ShapeKind::Underlay && !before.shapes()[i].label.isEmpty())
            oldBars.append(i);
    }
    for (qsizetype j = 0; j < after.shapes().size(); ++j) {
        if (after.shapes()[j].kind == ShapeKind::Underlay && !after.shapes()[j].label.isEmpty())
            newBars.append(j);
    }
    QVERIFY(oldBars.size() >= 2);
    QVERIFY(newBars.size() > oldBars.size());
    const SceneDiff diff = diffScenes(before, after);
    for (qsizetype k = 0; k < oldBars.size(); ++k)
        QCOMPARE(diff.shapeMap[oldBars[k]], newBars[k]);
    const Expected expected = expectedDiff(before, eight, after, sixteen);
    QCOMPARE(diff.shapeMap, expected.shapeMap);
    QCOMPARE(rectSet(diff.dirty), expected.dirty);
}

void TestSceneDiff::largeClusterStaysExact()
{
    // 1,500 nodes × 100 pods: 150,000 pods, Kubernetes' documented limit.
    ClusterSnapshot before = syntheticCluster(1500, 100);
    QCOMPARE(before.pods.size(), qsizetype(150'000));
    ClusterSnapshot after = before;
    const qsizetype pod = 123'456;
    after.pods[pod].phase = u"Failed"_s;
    const TopologyScene oldScene = TopologyScene::layout(before);
    const TopologyScene newScene = TopologyScene::layout(after);
    QVERIFY(oldScene.shapes().size() > 300'000);

    const SceneDiff same = diffScenes(oldScene, oldScene);
    QVERIFY(same.isEmpty());

    const SceneDiff diff = diffScenes(oldScene, newScene);
    const qsizetype podShape = newScene.shapeFor(ModelKind::Pod, pod);
    QCOMPARE(rectSet(diff.dirty), QSet<QString>{rectText(newScene.shapes()[podShape].rect)});
    QVERIFY(!diff.boundsChanged);
    qsizetype moved = 0;
    for (qsizetype i = 0; i < diff.shapeMap.size(); ++i)
        moved += diff.shapeMap[i] == i ? 0 : 1;
    QCOMPARE(moved, qsizetype(0));
}

QTEST_GUILESS_MAIN(TestSceneDiff)
#include "tst_scene_diff.moc"
