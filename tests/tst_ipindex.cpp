// IpIndex: "what is this address?" for one snapshot. Exact pod, service and node addresses first
// (a host-network pod's IP belongs to its node; a finished pod gives up its IP to a running one),
// then the longest node pod CIDR, else External. Checked on a snapshot built here and on a real
// kind cluster dump (cilium's nodeport test, dual stack).

#include "ClusterSnapshot.h"
#include "IpIndex.h"
#include "SnapshotIo.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

using namespace cartograph;
using Kind = IpAttribution::Kind;

Q_DECLARE_METATYPE(cartograph::IpAttribution::Kind)

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

IpAddress ip(const char *text)
{
    const auto parsed = IpAddress::parse(std::string_view(text));
    if (!parsed)
        qFatal("test bug: bad address %s", text);
    return *parsed;
}

Cidr cidr(const char *text)
{
    const auto parsed = Cidr::parse(QString::fromLatin1(text));
    if (!parsed)
        qFatal("test bug: bad CIDR %s", text);
    return *parsed;
}

Node node(const char *name, QList<NodeAddress> addresses, QList<Cidr> podCidrs)
{
    Node n;
    n.name = s(name);
    n.addresses = std::move(addresses);
    n.podCidrs = std::move(podCidrs);
    n.ready = ConditionStatus::True;
    return n;
}

NodeAddress address(const char *type, const char *value)
{
    return NodeAddress{s(type), s(value)};
}

Pod pod(const char *ns, const char *name, const char *nodeName, const char *phase,
        QList<IpAddress> ips, bool hostNetwork = false)
{
    Pod p;
    p.namespaceName = s(ns);
    p.name = s(name);
    p.nodeName = s(nodeName);
    p.phase = s(phase);
    p.podIps = std::move(ips);
    p.hostNetwork = hostNetwork;
    p.ready = p.phase == u"Running";
    return p;
}

Service service(const char *ns, const char *name, QList<IpAddress> clusterIps)
{
    Service svc;
    svc.namespaceName = s(ns);
    svc.name = s(name);
    svc.clusterIps = std::move(clusterIps);
    svc.headless = svc.clusterIps.isEmpty();
    return svc;
}

// Node, pod and service indices below are the positions in these lists.
ClusterSnapshot builtSnapshot()
{
    ClusterSnapshot snapshot;
    snapshot.nodes = {
        // 0
        node("cp",
             {address("InternalIP", "172.18.0.2"), address("InternalIP", "fc00:f853:ccd:e793::2"),
              address("Hostname", "cp")},
             {cidr("10.244.0.0/24"), cidr("fd00:10:244::/64")}),
        // 1
        node("worker",
             {address("Hostname", "worker"), address("ExternalIP", "203.0.113.3"),
              address("InternalIP", "172.18.0.3")},
             {cidr("10.244.1.0/24"), cidr("fd00:10:244:1::/64")}),
        // 2: a wide range ...
        node("big", {address("InternalIP", "192.168.10.4")},
             {cidr("10.100.0.0/16"), cidr("fd00:20::/48")}),
        // 3: ... with a narrower one inside it on another node
        node("small", {address("InternalIP", "192.168.10.5")},
             {cidr("10.100.7.0/24"), cidr("fd00:20:0:7::/64")}),
    };
    snapshot.pods = {
        // 0
        pod("default", "web-1", "worker", "Running", {ip("10.244.1.10"), ip("fd00:10:244:1::a")}),
        // 1, 2: host network, their IPs are the nodes'
        pod("kube-system", "kube-proxy-w", "worker", "Running", {ip("172.18.0.3")}, true),
        pod("kube-system", "cilium-cp", "cp", "Running",
            {ip("172.18.0.2"), ip("fc00:f853:ccd:e793::2")}, true),
        // 3, 4: a finished job's IP reused by a running pod listed after it
        pod("default", "job-old", "worker", "Succeeded", {ip("10.244.1.20")}),
        pod("default", "web-2", "worker", "Running", {ip("10.244.1.20")}),
        // 5, 6: the same the other way round (running first, failed after)
        pod("default", "api", "cp", "Running", {ip("10.244.0.30")}),
        pod("default", "batch-failed", "cp", "Failed", {ip("10.244.0.30")}),
        // 7: a pod in the nested range
        pod("default", "nested", "small", "Running", {ip("10.100.7.9")}),
        // 8: not scheduled yet, no IP
        pod("default", "pending", "", "Pending", {}),
        // 9: a finished pod whose IP nobody reused still names it
        pod("default", "job-done", "big", "Succeeded", {ip("10.100.1.1")}),
        // 10: host network pod on a node with an ExternalIP
        pod("kube-system", "node-exporter-w", "worker", "Running", {ip("203.0.113.3")}, true),
    };
    snapshot.services = {
        service("default", "kubernetes", {ip("10.96.0.1")}),                 // 0
        service("default", "web", {ip("10.96.10.10"), ip("fd00:10:96::a")}), // 1
        service("default", "web-headless", {}),                              // 2
        service("kube-system", "dns-v6", {ip("fd00:10:96::53")}),            // 3
    };
    return snapshot;
}

} // namespace

class TestIpIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kindNames();
    void emptyIndex();
    void lookup_data();
    void lookup();
    void nullAddressIsExternal();
    void counts();
    void nodeForPodAddress_data();
    void nodeForPodAddress();
    void fixtureLookup_data();
    void fixtureLookup();
    void fixtureCounts();

private:
    // Loads the cilium kind-cluster dump once; false (with a message) on a load error.
    bool loadFixture(QString *message);
    std::optional<ClusterSnapshot> m_fixture;
};

void TestIpIndex::kindNames()
{
    QCOMPARE(attributionKindName(Kind::Pod), s("pod"));
    QCOMPARE(attributionKindName(Kind::Service), s("service"));
    QCOMPARE(attributionKindName(Kind::NodeAddress), s("node"));
    QCOMPARE(attributionKindName(Kind::PodCidr), s("pod-cidr"));
    QCOMPARE(attributionKindName(Kind::External), s("external"));
}

void TestIpIndex::emptyIndex()
{
    const IpIndex empty;
    QCOMPARE(empty.exactEntryCount(), 0);
    QCOMPARE(empty.prefixCount(), 0);
    QCOMPARE(empty.lookup(ip("10.0.0.1")), IpAttribution{});
    QCOMPARE(empty.lookup(ip("::1")).kind, Kind::External);
    QCOMPARE(empty.nodeForPodAddress(ip("10.0.0.1")), -1);

    const IpIndex fromEmptySnapshot{ClusterSnapshot{}};
    QCOMPARE(fromEmptySnapshot.exactEntryCount(), 0);
    QCOMPARE(fromEmptySnapshot.lookup(ip("10.244.0.1")).kind, Kind::External);
}

void TestIpIndex::lookup_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("matchedCidr"); // PodCidr only

    auto row = [](const char *name, const char *address, Kind kind, int index,
                  const char *matched = "") {
        QTest::newRow(name) << s(address) << kind << index << s(matched);
    };
    // Pods.
    row("pod v4", "10.244.1.10", Kind::Pod, 0);
    row("pod v6", "fd00:10:244:1::a", Kind::Pod, 0);
    row("pod in nested range", "10.100.7.9", Kind::Pod, 7);
    row("reused IP: running pod after succeeded one", "10.244.1.20", Kind::Pod, 4);
    row("reused IP: running pod before failed one", "10.244.0.30", Kind::Pod, 5);
    row("finished pod keeps an unreused IP", "10.100.1.1", Kind::Pod, 9);
    // Node addresses, also when host-network pods report them as pod IPs.
    row("node InternalIP with host-network pod", "172.18.0.3", Kind::NodeAddress, 1);
    row("node ExternalIP with host-network pod", "203.0.113.3", Kind::NodeAddress, 1);
    row("node InternalIP v4, host-network pod first", "172.18.0.2", Kind::NodeAddress, 0);
    row("node InternalIP v6, host-network pod", "fc00:f853:ccd:e793::2", Kind::NodeAddress, 0);
    row("node without pods", "192.168.10.4", Kind::NodeAddress, 2);
    row("other node without pods", "192.168.10.5", Kind::NodeAddress, 3);
    // Services.
    row("service v4", "10.96.0.1", Kind::Service, 0);
    row("dual-stack service v4", "10.96.10.10", Kind::Service, 1);
    row("dual-stack service v6", "fd00:10:96::a", Kind::Service, 1);
    row("v6-only service", "fd00:10:96::53", Kind::Service, 3);
    row("unallocated service IP", "10.96.0.10", Kind::External, -1);
    // Inside a node's pod CIDR but not a known pod.
    row("pod CIDR v4", "10.244.1.99", Kind::PodCidr, 1, "10.244.1.0/24");
    row("pod CIDR v4 network address", "10.244.1.0", Kind::PodCidr, 1, "10.244.1.0/24");
    row("pod CIDR v4 last address", "10.244.1.255", Kind::PodCidr, 1, "10.244.1.0/24");
    row("pod CIDR v4 other node", "10.244.0.5", Kind::PodCidr, 0, "10.244.0.0/24");
    row("pod CIDR v6", "fd00:10:244:1::ffff", Kind::PodCidr, 1, "fd00:10:244:1::/64");
    row("pod CIDR v6 other node", "fd00:10:244::1", Kind::PodCidr, 0, "fd00:10:244::/64");
    row("pod CIDR v6 top of range", "fd00:10:244:1:ffff:ffff:ffff:ffff", Kind::PodCidr, 1,
        "fd00:10:244:1::/64");
    // Longest prefix where ranges nest.
    row("nested: inner /24", "10.100.7.8", Kind::PodCidr, 3, "10.100.7.0/24");
    row("nested: inner /24 edge", "10.100.7.255", Kind::PodCidr, 3, "10.100.7.0/24");
    row("nested: outer /16 above", "10.100.8.0", Kind::PodCidr, 2, "10.100.0.0/16");
    row("nested: outer /16 below", "10.100.6.255", Kind::PodCidr, 2, "10.100.0.0/16");
    row("nested: outer /16 start", "10.100.0.0", Kind::PodCidr, 2, "10.100.0.0/16");
    row("nested v6: inner /64", "fd00:20:0:7::1", Kind::PodCidr, 3, "fd00:20:0:7::/64");
    row("nested v6: outer /48", "fd00:20:0:8::1", Kind::PodCidr, 2, "fd00:20::/48");
    row("nested v6: outer /48 end", "fd00:20:0:ffff:ffff:ffff:ffff:ffff", Kind::PodCidr, 2,
        "fd00:20::/48");
    // Everything else.
    row("unowned node range", "10.244.2.1", Kind::External, -1);
    row("just outside /16", "10.101.0.0", Kind::External, -1);
    row("just below /16", "10.99.255.255", Kind::External, -1);
    row("unowned v6 node range", "fd00:10:244:2::1", Kind::External, -1);
    row("outside v6 /48", "fd00:21::1", Kind::External, -1);
    row("just outside v6 /48", "fd00:20:1::", Kind::External, -1);
    row("internet v4", "8.8.8.8", Kind::External, -1);
    row("internet v6", "2001:4860:4860::8888", Kind::External, -1);
    row("docker gateway", "172.18.0.1", Kind::External, -1);
    // Families do not mix: the v4-compatible spelling of a node or pod IP is another address.
    row("v4-compatible form of node IP", "::172.18.0.3", Kind::External, -1);
    row("v4-compatible form of pod IP", "::10.244.1.10", Kind::External, -1);
}

void TestIpIndex::lookup()
{
    QFETCH(QString, address);
    QFETCH(Kind, kind);
    QFETCH(int, index);
    QFETCH(QString, matchedCidr);

    const ClusterSnapshot snapshot = builtSnapshot();
    const IpIndex ipIndex(snapshot);
    const auto parsed = IpAddress::parse(QStringView(address));
    QVERIFY2(parsed, qPrintable(address));

    const IpAttribution attribution = ipIndex.lookup(*parsed);
    QCOMPARE(attributionKindName(attribution.kind), attributionKindName(kind));
    QCOMPARE(attribution.index, qsizetype(index));
    if (kind == Kind::PodCidr) {
        QCOMPARE(attribution.matchedCidr.toString(), matchedCidr);
        QVERIFY(attribution.matchedCidr.contains(*parsed));
        QVERIFY(snapshot.nodes[index].podCidrs.contains(attribution.matchedCidr));
    } else {
        QVERIFY(attribution.matchedCidr.isNull());
    }
    // The index points at an object that really has the address.
    switch (kind) {
    case Kind::Pod:
        QVERIFY(snapshot.pods[index].podIps.contains(*parsed));
        QVERIFY(!snapshot.pods[index].hostNetwork);
        break;
    case Kind::Service:
        QVERIFY(snapshot.services[index].clusterIps.contains(*parsed));
        break;
    case Kind::NodeAddress:
        QVERIFY(snapshot.nodes[index].ipAddresses().contains(*parsed));
        break;
    case Kind::PodCidr:
    case Kind::External:
        break;
    }
}

void TestIpIndex::nullAddressIsExternal()
{
    const IpIndex ipIndex(builtSnapshot());
    const IpAttribution attribution = ipIndex.lookup(IpAddress());
    QCOMPARE(attribution.kind, Kind::External);
    QCOMPARE(attribution.index, -1);
    QVERIFY(attribution.matchedCidr.isNull());
    QCOMPARE(attribution, IpAttribution{});
    Cidr untouched = cidr("1.2.3.0/24");
    QCOMPARE(ipIndex.nodeForPodAddress(IpAddress(), &untouched), -1);
    QCOMPARE(untouched, cidr("1.2.3.0/24"));
}

void TestIpIndex::counts()
{
    const IpIndex ipIndex(builtSnapshot());
    // Node addresses: cp 2, worker 2 (Hostname is not an IP), big 1, small 1.
    // Services: 4 IPs (the headless one has none). Pods (not host network, distinct IPs):
    // 10.244.1.10, fd00:10:244:1::a, 10.244.1.20, 10.244.0.30, 10.100.7.9, 10.100.1.1.
    QCOMPARE(ipIndex.exactEntryCount(), 6 + 4 + 6);
    QCOMPARE(ipIndex.prefixCount(), 8);

    // The same range on two nodes is one prefix; a node with no ranges adds none.
    ClusterSnapshot snapshot;
    snapshot.nodes = {node("a", {}, {cidr("10.1.0.0/24")}), node("b", {}, {cidr("10.1.0.0/24")}),
                      node("c", {address("InternalIP", "10.0.0.3")}, {})};
    const IpIndex duplicated(snapshot);
    QCOMPARE(duplicated.prefixCount(), 1);
    QCOMPARE(duplicated.exactEntryCount(), 1);
}

void TestIpIndex::nodeForPodAddress_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("node");
    QTest::addColumn<QString>("matched");

    // Pod CIDRs only: known pods and node addresses make no difference here.
    QTest::newRow("known pod") << s("10.244.1.10") << 1 << s("10.244.1.0/24");
    QTest::newRow("unknown in range") << s("10.244.0.200") << 0 << s("10.244.0.0/24");
    QTest::newRow("inner of nested") << s("10.100.7.1") << 3 << s("10.100.7.0/24");
    QTest::newRow("outer of nested") << s("10.100.200.1") << 2 << s("10.100.0.0/16");
    QTest::newRow("v6 inner of nested") << s("fd00:20:0:7:1::") << 3 << s("fd00:20:0:7::/64");
    QTest::newRow("v6 outer of nested") << s("fd00:20:0:1::") << 2 << s("fd00:20::/48");
    QTest::newRow("node address") << s("172.18.0.3") << -1 << QString();
    QTest::newRow("service") << s("fd00:10:96::a") << -1 << QString();
}

void TestIpIndex::nodeForPodAddress()
{
    QFETCH(QString, address);
    QFETCH(int, node);
    QFETCH(QString, matched);
    const IpIndex ipIndex(builtSnapshot());
    const auto parsed = IpAddress::parse(QStringView(address));
    QVERIFY2(parsed, qPrintable(address));
    Cidr found;
    QCOMPARE(ipIndex.nodeForPodAddress(*parsed, &found), qsizetype(node));
    QCOMPARE(found.toString(), matched);
    QCOMPARE(ipIndex.nodeForPodAddress(*parsed), qsizetype(node)); // no out-parameter
}

bool TestIpIndex::loadFixture(QString *message)
{
    if (m_fixture)
        return true;
    const QDir dir(QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/k8s-api/cilium-kind-cluster"));
    auto loaded = loadSnapshotFiles({dir.filePath(QStringLiteral("nodeport-v1.26-init.json")),
                                     dir.filePath(QStringLiteral("nodeport-v1.26-state1.json"))});
    if (!loaded) {
        *message = describe(loaded.error());
        return false;
    }
    m_fixture = std::move(loaded).value();
    return true;
}

void TestIpIndex::fixtureLookup_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("object"); // node name, or namespace/name of pod or service
    QTest::addColumn<QString>("matchedCidr");

    auto row = [](const char *address, Kind kind, const char *object, const char *matched = "") {
        QTest::newRow(address) << s(address) << kind << s(object) << s(matched);
    };
    row("10.244.1.224", Kind::Pod, "test/echo-757d4cb97f-9gmf7");
    row("172.18.0.3", Kind::NodeAddress, "nodeport-worker");
    row("fc00:f853:ccd:e793::3", Kind::NodeAddress, "nodeport-worker");
    row("172.18.0.4", Kind::NodeAddress, "nodeport-control-plane");
    row("fc00:f853:ccd:e793::4", Kind::NodeAddress, "nodeport-control-plane");
    row("172.18.0.5", Kind::NodeAddress, "nodeport-worker2");
    row("10.96.0.1", Kind::Service, "default/kubernetes");
    row("10.96.50.104", Kind::Service, "test/echo");
    row("10.96.155.18", Kind::Service, "test/echo-local");
    row("10.244.2.17", Kind::PodCidr, "nodeport-worker2", "10.244.2.0/24");
    row("10.244.1.225", Kind::PodCidr, "nodeport-worker", "10.244.1.0/24");
    row("10.244.0.9", Kind::PodCidr, "nodeport-control-plane", "10.244.0.0/24");
    row("fd00:10:244:1::1234", Kind::PodCidr, "nodeport-worker", "fd00:10:244:1::/64");
    row("fd00:10:244:2::beef", Kind::PodCidr, "nodeport-worker2", "fd00:10:244:2::/64");
    row("fd00:10:244::5", Kind::PodCidr, "nodeport-control-plane", "fd00:10:244::/64");
    row("10.244.3.1", Kind::External, "");
    row("fd00:10:244:3::1", Kind::External, "");
    row("10.96.0.10", Kind::External, "");
    row("172.18.0.1", Kind::External, "");
    row("1.1.1.1", Kind::External, "");
}

void TestIpIndex::fixtureLookup()
{
    QFETCH(QString, address);
    QFETCH(Kind, kind);
    QFETCH(QString, object);
    QFETCH(QString, matchedCidr);

    if (!QFileInfo::exists(QStringLiteral(CARTOGRAPH_FIXTURES_DIR)))
        QSKIP("../shared/fixtures is not there");
    QString message;
    QVERIFY2(loadFixture(&message), qPrintable(message));
    const ClusterSnapshot &snapshot = *m_fixture;

    qsizetype expectedIndex = -1;
    const QString ns = object.section(u'/', 0, 0);
    const QString name = object.section(u'/', 1, 1);
    switch (kind) {
    case Kind::Pod:
        expectedIndex = snapshot.findPod(ns, name);
        break;
    case Kind::Service:
        expectedIndex = snapshot.findService(ns, name);
        break;
    case Kind::NodeAddress:
    case Kind::PodCidr:
        expectedIndex = snapshot.findNode(object);
        break;
    case Kind::External:
        break;
    }
    if (kind != Kind::External)
        QVERIFY2(expectedIndex >= 0, qPrintable(QStringLiteral("not in the fixture: ") + object));

    const IpIndex ipIndex(snapshot);
    const auto parsed = IpAddress::parse(QStringView(address));
    QVERIFY2(parsed, qPrintable(address));
    const IpAttribution attribution = ipIndex.lookup(*parsed);
    QCOMPARE(attributionKindName(attribution.kind), attributionKindName(kind));
    QCOMPARE(attribution.index, expectedIndex);
    QCOMPARE(attribution.matchedCidr.toString(), matchedCidr);
}

void TestIpIndex::fixtureCounts()
{
    if (!QFileInfo::exists(QStringLiteral(CARTOGRAPH_FIXTURES_DIR)))
        QSKIP("../shared/fixtures is not there");
    QString message;
    QVERIFY2(loadFixture(&message), qPrintable(message));
    const ClusterSnapshot &snapshot = *m_fixture;
    QCOMPARE(snapshot.nodes.size(), 3);
    QCOMPARE(snapshot.pods.size(), 1);
    QCOMPARE(snapshot.services.size(), 3);
    for (const Node &n : snapshot.nodes) {
        QCOMPARE(n.podCidrs.size(), 2); // dual stack: spec.podCIDRs has v4 and v6
        QVERIFY(n.podCidrs[0].network().isV4());
        QVERIFY(n.podCidrs[1].network().isV6());
    }
    const IpIndex ipIndex(snapshot);
    QCOMPARE(ipIndex.prefixCount(), 6);
    // 3 nodes x (v4 + v6 InternalIP), 3 service ClusterIPs, 1 pod IP.
    QCOMPARE(ipIndex.exactEntryCount(), 6 + 3 + 1);
}

QTEST_GUILESS_MAIN(TestIpIndex)
#include "tst_ipindex.moc"
