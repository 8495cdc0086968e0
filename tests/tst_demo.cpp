// The embedded demo clusters (:/demo/calico.json, :/demo/flannel.json) must be what they claim:
// a consistent three-node cluster, checked here through the model as the application loads it
// (DemoSnapshotSource), not through the JSON. resources/demo/generate_demo.py writes the files.

#include "ClusterSnapshot.h"
#include "CniDetection.h"
#include "SnapshotSource.h"

#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QTest>
#include <map>
#include <type_traits>

using namespace cartograph;

Q_DECLARE_METATYPE(cartograph::DemoFlavour)

namespace {

const QString kControlPlane = QStringLiteral("control-plane");
const QString kSockShop = QStringLiteral("sock-shop");
const QString kKubeSystem = QStringLiteral("kube-system");

Cidr cidr(const char *text)
{
    const auto parsed = Cidr::parse(QString::fromLatin1(text));
    Q_ASSERT(parsed);
    return *parsed;
}

IpAddress ip(const char *text)
{
    const auto parsed = IpAddress::parse(QString::fromLatin1(text));
    Q_ASSERT(parsed);
    return *parsed;
}

QString tunnelDevice(DemoFlavour flavour)
{
    return flavour == DemoFlavour::CalicoIpIp ? QStringLiteral("tunl0")
                                              : QStringLiteral("flannel.1");
}

const NetworkInterface *findInterface(const NodeNetwork &network, QStringView name)
{
    for (const auto &iface : network.interfaces) {
        if (iface.name == name)
            return &iface;
    }
    return nullptr;
}

// The ServicePort's targetPort as a number on one pod: the number itself, or the named
// container port; 0 when it does not resolve.
int resolveTargetPort(const ServicePort &port, const Pod &pod)
{
    if (port.targetPortNumber > 0)
        return port.targetPortNumber;
    if (!port.targetPortName.isEmpty())
        return pod.namedPort(port.targetPortName, port.protocol);
    return port.port; // targetPort absent: same as port
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// For COMPARE_ON's message.
template <typename T>
requires std::is_integral_v<T> QString toText(T value)
{
    return QString::number(value);
}
QString toText(const QString &value)
{
    return u'"' + value + u'"';
}
QString toText(const QStringList &value)
{
    return u'[' + value.join(u", ") + u']';
}
QString toText(const IpAddress &value)
{
    return value.isNull() ? QStringLiteral("(none)") : value.toString();
}
QString toText(const Cidr &value)
{
    return value.toString();
}
QString toText(const QList<int> &value)
{
    QStringList numbers;
    for (const int number : value)
        numbers.append(QString::number(number));
    return toText(numbers);
}

} // namespace

// QCOMPARE whose failure names the object (node, pod, service …) being checked. The values are
// copied: `actual` may name a member of a temporary (node.podCidrs.value(0).network()).
#define COMPARE_ON(what, actual, expected)                                                         \
    do {                                                                                           \
        const auto actualValue_ = (actual);                                                        \
        const auto expectedValue_ = (expected);                                                    \
        QVERIFY2(actualValue_ == expectedValue_,                                                   \
                 qPrintable(QString(what) + u": " + QStringLiteral(#actual) + u" is " +            \
                            toText(actualValue_) + u", expected " + toText(expectedValue_)));      \
    } while (false)

class TestDemo : public QObject
{
    Q_OBJECT

private:
    // Loads each flavour once; nullptr (and m_errors filled) when loading failed.
    const ClusterSnapshot *snapshot();
    DemoFlavour flavour() const;

    std::map<int, ClusterSnapshot> m_snapshots;
    QHash<int, QString> m_errors;

private slots:
    void initTestCase_data();

    void loads();
    void nodes();
    void podAddresses();
    void staticPods();
    void daemonSets();
    void serviceClusterIps();
    void wellKnownServices();
    void endpointSlicesMatchSelectors();
    void endpointPortsResolveTargetPorts();
    void nodeNetworkUnderlay();
    void tunnelDevice();
    void vethPeers();
    void routesToOtherNodes();
    void networkPolicies();
    void cniDetection();
};

#define SNAPSHOT_OR_FAIL(name)                                                                     \
    const ClusterSnapshot *name = snapshot();                                                      \
    QVERIFY2(name, qPrintable(m_errors.value(int(flavour()))))

DemoFlavour TestDemo::flavour() const
{
    QFETCH_GLOBAL(DemoFlavour, flavour);
    return flavour;
}

const ClusterSnapshot *TestDemo::snapshot()
{
    const DemoFlavour f = flavour();
    const int key = int(f);
    if (const auto it = m_snapshots.find(key); it != m_snapshots.end())
        return &it->second;
    if (m_errors.contains(key))
        return nullptr;
    auto loaded = DemoSnapshotSource(f).load();
    if (!loaded) {
        m_errors.insert(key, QStringLiteral("loading %1 failed: %2")
                                 .arg(demoResourcePath(f), describe(loaded.error())));
        return nullptr;
    }
    return &m_snapshots.emplace(key, std::move(loaded).value()).first->second;
}

void TestDemo::initTestCase_data()
{
    QTest::addColumn<DemoFlavour>("flavour");
    const QList<DemoFlavour> flavours = allDemoFlavours();
    QCOMPARE(flavours.size(), 2);
    for (const DemoFlavour f : flavours)
        QTest::newRow(QFileInfo(demoResourcePath(f)).baseName().toUtf8().constData()) << f;
}

void TestDemo::loads()
{
    SNAPSHOT_OR_FAIL(s);
    QVERIFY2(s->skippedKinds.isEmpty(),
             qPrintable(QStringLiteral("the loader skipped kinds it should know: %1")
                            .arg(QStringList(s->skippedKinds.keys()).join(u", "))));
    QVERIFY2(s->sources.contains(demoResourcePath(flavour())), qPrintable(s->sources.join(u", ")));
    QStringList namespaces;
    for (const auto &ns : s->namespaces) {
        namespaces.append(ns.name);
        COMPARE_ON(QStringLiteral("namespace ") + ns.name, ns.phase, QStringLiteral("Active"));
    }
    for (const char *expected :
         {"default", "kube-system", "kube-public", "kube-node-lease", "sock-shop"}) {
        QVERIFY2(
            namespaces.contains(QString::fromLatin1(expected)),
            qPrintable(QStringLiteral("namespace %1 missing").arg(QString::fromLatin1(expected))));
    }
    QCOMPARE(namespaces.contains(QStringLiteral("kube-flannel")),
             flavour() == DemoFlavour::FlannelVxlan);
    // every namespaced object lives in a namespace that exists
    for (const auto &pod : s->pods)
        QVERIFY2(namespaces.contains(pod.namespaceName), qPrintable(pod.qualifiedName()));
    for (const auto &svc : s->services)
        QVERIFY2(namespaces.contains(svc.namespaceName), qPrintable(svc.qualifiedName()));
    QCOMPARE(s->nodeNetworks.size(), s->nodes.size());
}

void TestDemo::nodes()
{
    SNAPSHOT_OR_FAIL(s);
    QCOMPARE(s->nodes.size(), 3);
    const Cidr clusterCidr = cidr("10.244.0.0/16");
    const Cidr underlay = cidr("192.168.56.0/24");
    int controlPlanes = 0;
    QList<Cidr> allPodCidrs;
    QSet<IpAddress> nodeIps;
    for (const auto &node : s->nodes) {
        const QString what = QStringLiteral("node ") + node.name;
        if (node.roles.contains(QStringLiteral("control-plane"))) {
            ++controlPlanes;
            COMPARE_ON(what, node.name, kControlPlane);
            bool tainted = false;
            for (const auto &taint : node.taints) {
                tainted |= taint.key == u"node-role.kubernetes.io/control-plane" &&
                           taint.effect == u"NoSchedule";
            }
            QVERIFY2(tainted, qPrintable(what + u": control-plane NoSchedule taint missing"));
        } else {
            QVERIFY2(node.taints.isEmpty(), qPrintable(what + u": workers are not tainted"));
        }
        QVERIFY2(node.ready == ConditionStatus::True, qPrintable(what + u" is not Ready"));
        QVERIFY2(node.kubeletVersion.startsWith(u"v1.29."),
                 qPrintable(what + u": " + node.kubeletVersion));
        QVERIFY2(underlay.contains(node.internalIp()),
                 qPrintable(what + u": InternalIP " + node.internalIp().toString()));
        QVERIFY2(!nodeIps.contains(node.internalIp()), qPrintable(what + u": InternalIP reused"));
        nodeIps.insert(node.internalIp());
        COMPARE_ON(what, node.podCidrs.size(), 1);
        for (const Cidr &podCidr : node.podCidrs) {
            QVERIFY2(
                clusterCidr.contains(podCidr),
                qPrintable(what + u": pod CIDR " + podCidr.toString() + u" outside 10.244.0.0/16"));
            for (const Cidr &other : allPodCidrs) {
                QVERIFY2(!other.contains(podCidr) && !podCidr.contains(other),
                         qPrintable(what + u": pod CIDR " + podCidr.toString() + u" overlaps " +
                                    other.toString()));
            }
            allPodCidrs.append(podCidr);
        }
    }
    QCOMPARE(controlPlanes, 1);
    QCOMPARE(s->nodes[s->findNode(kControlPlane)].internalIp(), ip("192.168.56.10"));
}

void TestDemo::podAddresses()
{
    SNAPSHOT_OR_FAIL(s);
    QVERIFY(s->pods.size() >= 25);
    QHash<IpAddress, QString> owners;
    int hostNetworkPods = 0;
    for (const auto &pod : s->pods) {
        const QString what = QStringLiteral("pod ") + pod.qualifiedName();
        const qsizetype nodeIndex = s->findNode(pod.nodeName);
        QVERIFY2(nodeIndex >= 0, qPrintable(what + u": unknown node " + pod.nodeName));
        const Node &node = s->nodes[nodeIndex];
        COMPARE_ON(what, pod.phase, QStringLiteral("Running"));
        QVERIFY2(pod.ready, qPrintable(what + u" is not ready"));
        QVERIFY2(pod.hostIp == node.internalIp(),
                 qPrintable(what + u": hostIP " + pod.hostIp.toString() + u" is not " + node.name +
                            u"'s InternalIP " + node.internalIp().toString()));
        QVERIFY2(!pod.podIps.isEmpty(), qPrintable(what + u": no pod IP"));
        if (pod.hostNetwork) {
            ++hostNetworkPods;
            QVERIFY2(pod.podIps.size() == 1 && pod.podIps.first() == node.internalIp(),
                     qPrintable(what + u": host-network pod IP " + pod.podIps.first().toString() +
                                u" is not the node IP " + node.internalIp().toString()));
            continue;
        }
        for (const IpAddress &address : pod.podIps) {
            bool inside = false;
            for (const Cidr &podCidr : node.podCidrs)
                inside |= podCidr.contains(address);
            QVERIFY2(inside, qPrintable(what + u": " + address.toString() + u" is outside " +
                                        node.name + u"'s pod CIDR"));
            QVERIFY2(!owners.contains(address),
                     qPrintable(what + u": " + address.toString() + u" is also " +
                                owners.value(address) + u"'s"));
            owners.insert(address, pod.qualifiedName());
        }
    }
    // 4 static pods + kube-proxy and the CNI agent on each of the 3 nodes
    QCOMPARE(hostNetworkPods, 4 + 2 * 3);
}

void TestDemo::staticPods()
{
    SNAPSHOT_OR_FAIL(s);
    const std::map<QString, QList<int>> expected = {
        {QStringLiteral("etcd"), {2379, 2380}},
        {QStringLiteral("kube-apiserver"), {6443}},
        {QStringLiteral("kube-scheduler"), {10259}},
        {QStringLiteral("kube-controller-manager"), {10257}},
    };
    for (const auto &[component, ports] : expected) {
        const QString name = component + u'-' + kControlPlane;
        const qsizetype index = s->findPod(kKubeSystem, name);
        QVERIFY2(index >= 0,
                 qPrintable(QStringLiteral("static pod kube-system/%1 missing").arg(name)));
        const Pod &pod = s->pods[index];
        const QString what = QStringLiteral("pod ") + pod.qualifiedName();
        QVERIFY2(pod.mirrorPod, qPrintable(what + u" is not a mirror pod"));
        COMPARE_ON(what, pod.configSource, QStringLiteral("file"));
        QVERIFY2(pod.hostNetwork, qPrintable(what + u" is not host-network"));
        COMPARE_ON(what, pod.nodeName, kControlPlane);
        QVERIFY2(pod.owner && pod.owner->kind == u"Node" && pod.owner->name == kControlPlane,
                 qPrintable(what + u": owner is not Node/control-plane"));
        QList<int> found;
        for (const auto &container : pod.containers) {
            for (const auto &port : container.ports) {
                found.append(port.containerPort);
                COMPARE_ON(what, port.hostPort, port.containerPort); // host network
            }
        }
        std::sort(found.begin(), found.end());
        COMPARE_ON(what, found, ports);
    }
    int mirrorPods = 0;
    for (const auto &pod : s->pods)
        mirrorPods += pod.mirrorPod ? 1 : 0;
    QCOMPARE(mirrorPods, 4);
}

void TestDemo::daemonSets()
{
    SNAPSHOT_OR_FAIL(s);
    const QString cniDaemonSet = flavour() == DemoFlavour::CalicoIpIp
                                     ? QStringLiteral("kube-system/calico-node")
                                     : QStringLiteral("kube-flannel/kube-flannel-ds");
    const QString cniImage = flavour() == DemoFlavour::CalicoIpIp
                                 ? QStringLiteral("docker.io/calico/node:v3.27.0")
                                 : QStringLiteral("docker.io/flannel/flannel:v0.24.0");
    QStringList names;
    for (const auto &ds : s->daemonSets) {
        names.append(ds.qualifiedName());
        const QString what = QStringLiteral("daemonset ") + ds.qualifiedName();
        QVERIFY2(ds.hostNetwork, qPrintable(what + u" is not host-network"));
        COMPARE_ON(what, ds.desired, 3);
        COMPARE_ON(what, ds.ready, 3);
        QStringList podNodes;
        for (const auto &pod : s->pods) {
            if (pod.namespaceName == ds.namespaceName && pod.owner &&
                pod.owner->kind == u"DaemonSet" && pod.owner->name == ds.name) {
                podNodes.append(pod.nodeName);
                QVERIFY2(pod.hostNetwork, qPrintable(pod.qualifiedName()));
            }
        }
        COMPARE_ON(
            what, sorted(podNodes),
            QStringList({kControlPlane, QStringLiteral("worker-1"), QStringLiteral("worker-2")}));
        if (ds.qualifiedName() == cniDaemonSet)
            QVERIFY2(ds.images.contains(cniImage),
                     qPrintable(what + u": " + ds.images.join(u", ")));
    }
    QCOMPARE(sorted(names), sorted({QStringLiteral("kube-system/kube-proxy"), cniDaemonSet}));
}

void TestDemo::serviceClusterIps()
{
    SNAPSHOT_OR_FAIL(s);
    const Cidr serviceCidr = cidr("10.96.0.0/12");
    QHash<IpAddress, QString> owners;
    for (const auto &svc : s->services) {
        const QString what = QStringLiteral("service ") + svc.qualifiedName();
        QVERIFY2(!svc.headless && svc.clusterIps.size() == 1,
                 qPrintable(what + u": expected one ClusterIP"));
        const IpAddress &address = svc.clusterIps.first();
        QVERIFY2(serviceCidr.contains(address),
                 qPrintable(what + u": " + address.toString() + u" outside 10.96.0.0/12"));
        QVERIFY2(!owners.contains(address),
                 qPrintable(what + u": " + address.toString() + u" is also " +
                            owners.value(address) + u"'s"));
        owners.insert(address, svc.qualifiedName());
    }
    QCOMPARE(owners.size(), 16);
}

void TestDemo::wellKnownServices()
{
    SNAPSHOT_OR_FAIL(s);
    const qsizetype kubernetes = s->findService(u"default", u"kubernetes");
    QVERIFY2(kubernetes >= 0, "service default/kubernetes missing");
    const Service &api = s->services[kubernetes];
    QCOMPARE(api.clusterIps.value(0), ip("10.96.0.1"));
    QVERIFY2(!api.selector,
             "default/kubernetes has no selector: the API server keeps its endpoints");
    QCOMPARE(api.ports.size(), 1);
    QCOMPARE(api.ports[0].port, 443);
    QCOMPARE(api.ports[0].targetPortNumber, 6443);

    const qsizetype dnsIndex = s->findService(kKubeSystem, u"kube-dns");
    QVERIFY2(dnsIndex >= 0, "service kube-system/kube-dns missing");
    const Service &dns = s->services[dnsIndex];
    QCOMPARE(dns.clusterIps.value(0), ip("10.96.0.10"));
    QCOMPARE(dns.dnsName(s->clusterDomain),
             QStringLiteral("kube-dns.kube-system.svc.cluster.local"));
    QStringList dnsPorts;
    for (const auto &port : dns.ports)
        dnsPorts.append(QStringLiteral("%1 %2/%3")
                            .arg(port.name)
                            .arg(port.port)
                            .arg(protocolName(port.protocol)));
    QCOMPARE(dnsPorts, QStringList({QStringLiteral("dns 53/UDP"), QStringLiteral("dns-tcp 53/TCP"),
                                    QStringLiteral("metrics 9153/TCP")}));
    QCOMPARE(s->podsSelectedBy(dns).size(), 2);

    const qsizetype frontIndex = s->findService(kSockShop, u"front-end");
    QVERIFY2(frontIndex >= 0, "service sock-shop/front-end missing");
    const Service &front = s->services[frontIndex];
    QVERIFY2(front.type == ServiceType::NodePort,
             qPrintable(u"sock-shop/front-end is " + serviceTypeName(front.type)));
    QCOMPARE(front.ports.size(), 1);
    QCOMPARE(front.ports[0].port, 80);
    QCOMPARE(front.ports[0].targetPortNumber, 8079);
    QCOMPARE(front.ports[0].nodePort, 30001);
    QCOMPARE(s->podsSelectedBy(front).size(), 2);

    // the sock-shop: every service of the demo is there, each selecting its own pods
    const QStringList sockShop = {QStringLiteral("carts"),        QStringLiteral("carts-db"),
                                  QStringLiteral("catalogue"),    QStringLiteral("catalogue-db"),
                                  QStringLiteral("front-end"),    QStringLiteral("orders"),
                                  QStringLiteral("orders-db"),    QStringLiteral("payment"),
                                  QStringLiteral("queue-master"), QStringLiteral("rabbitmq"),
                                  QStringLiteral("session-db"),   QStringLiteral("shipping"),
                                  QStringLiteral("user"),         QStringLiteral("user-db")};
    for (const QString &name : sockShop) {
        const qsizetype index = s->findService(kSockShop, name);
        QVERIFY2(index >= 0, qPrintable(QStringLiteral("service sock-shop/%1 missing").arg(name)));
        const Service &svc = s->services[index];
        QVERIFY2(svc.selector && svc.selector->value(u"name") == name,
                 qPrintable(svc.qualifiedName() + u": selector is not name=" + name));
    }
}

void TestDemo::endpointSlicesMatchSelectors()
{
    SNAPSHOT_OR_FAIL(s);
    int checked = 0;
    for (const auto &svc : s->services) {
        const QString what = QStringLiteral("service ") + svc.qualifiedName();
        QList<const EndpointSlice *> slices;
        for (const auto &slice : s->endpointSlices) {
            if (slice.namespaceName == svc.namespaceName && slice.serviceName == svc.name)
                slices.append(&slice);
        }
        QVERIFY2(!slices.isEmpty(), qPrintable(what + u" has no EndpointSlice"));
        if (!svc.selector) {
            // default/kubernetes: the API server's own address, no pod behind it
            for (const EndpointSlice *slice : slices) {
                for (const auto &endpoint : slice->endpoints) {
                    QVERIFY2(endpoint.targetName.isEmpty(),
                             qPrintable(what + u": endpoint without selector names a pod"));
                    COMPARE_ON(what, endpoint.addresses,
                               QStringList({QStringLiteral("192.168.56.10")}));
                }
                COMPARE_ON(what, slice->ports.size(), 1);
                COMPARE_ON(what, slice->ports[0].port, 6443);
            }
            continue;
        }
        QStringList selected;
        for (const qsizetype index : s->podsSelectedBy(svc))
            selected.append(s->pods[index].name);
        QVERIFY2(!selected.isEmpty(), qPrintable(what + u" selects no pod"));
        QStringList referenced;
        for (const EndpointSlice *slice : slices) {
            COMPARE_ON(what, slice->addressType, QStringLiteral("IPv4"));
            for (const auto &endpoint : slice->endpoints) {
                const QString where = what + u": endpoint " + endpoint.targetName;
                COMPARE_ON(where, endpoint.targetKind, QStringLiteral("Pod"));
                COMPARE_ON(where, endpoint.targetNamespace, svc.namespaceName);
                referenced.append(endpoint.targetName);
                const qsizetype podIndex =
                    s->findPod(endpoint.targetNamespace, endpoint.targetName);
                QVERIFY2(podIndex >= 0, qPrintable(where + u" names no existing pod"));
                const Pod &pod = s->pods[podIndex];
                QVERIFY2(endpoint.addresses == QStringList({pod.podIps.value(0).toString()}),
                         qPrintable(where + u": address " + endpoint.addresses.join(u',') +
                                    u" is not the pod IP " + pod.podIps.value(0).toString()));
                QVERIFY2(endpoint.nodeName == pod.nodeName,
                         qPrintable(where + u": nodeName " + endpoint.nodeName + u" != " +
                                    pod.nodeName));
                QVERIFY2(endpoint.ready, qPrintable(where + u" is not ready"));
            }
        }
        QVERIFY2(sorted(referenced) == sorted(selected),
                 qPrintable(what + u": EndpointSlices reference [" +
                            sorted(referenced).join(u", ") + u"] but the selector matches [" +
                            sorted(selected).join(u", ") + u"]"));
        ++checked;
    }
    QCOMPARE(checked, 15); // kube-dns + 14 sock-shop services
}

void TestDemo::endpointPortsResolveTargetPorts()
{
    SNAPSHOT_OR_FAIL(s);
    bool sawNamedTarget = false;
    for (const auto &svc : s->services) {
        if (!svc.selector)
            continue;
        const QList<qsizetype> pods = s->podsSelectedBy(svc);
        QVERIFY2(!pods.isEmpty(), qPrintable(svc.qualifiedName()));
        for (const auto &port : svc.ports) {
            const QString what =
                QStringLiteral("service %1 port %2/%3 (targetPort %4)")
                    .arg(svc.qualifiedName())
                    .arg(port.port)
                    .arg(protocolName(port.protocol), port.targetPortName.isEmpty()
                                                          ? QString::number(port.targetPortNumber)
                                                          : port.targetPortName);
            sawNamedTarget |= !port.targetPortName.isEmpty();
            const int expected = resolveTargetPort(port, s->pods[pods.first()]);
            QVERIFY2(expected > 0,
                     qPrintable(what + u" does not resolve on " + s->pods[pods.first()].name));
            for (const qsizetype index : pods) {
                QVERIFY2(resolveTargetPort(port, s->pods[index]) == expected,
                         qPrintable(what + u" resolves differently on " + s->pods[index].name));
            }
            for (const auto &slice : s->endpointSlices) {
                if (slice.namespaceName != svc.namespaceName || slice.serviceName != svc.name)
                    continue;
                const EndpointPort *match = nullptr;
                for (const auto &endpointPort : slice.ports) {
                    if (endpointPort.name == port.name && endpointPort.protocol == port.protocol)
                        match = &endpointPort;
                }
                QVERIFY2(match,
                         qPrintable(what + u": EndpointSlice " + slice.name + u" lacks the port"));
                QVERIFY2(match->port == expected,
                         qPrintable(what + u": EndpointSlice " + slice.name + u" says " +
                                    QString::number(match->port) + u", expected " +
                                    QString::number(expected)));
            }
        }
    }
    QVERIFY2(sawNamedTarget, "no service uses a named targetPort (rabbitmq's exporter should)");
}

void TestDemo::nodeNetworkUnderlay()
{
    SNAPSHOT_OR_FAIL(s);
    const bool calico = flavour() == DemoFlavour::CalicoIpIp;
    for (const auto &node : s->nodes) {
        const QString what = QStringLiteral("node ") + node.name;
        const NodeNetwork *network = s->nodeNetwork(node.name);
        QVERIFY2(network, qPrintable(what + u" has no NodeNetwork"));
        COMPARE_ON(what, network->staticPodPath, QStringLiteral("/etc/kubernetes/manifests"));
        COMPARE_ON(what, network->cniConfigFile,
                   calico ? QStringLiteral("/etc/cni/net.d/10-calico.conflist")
                          : QStringLiteral("/etc/cni/net.d/10-flannel.conflist"));
        COMPARE_ON(what, network->cniNetworkName,
                   calico ? QStringLiteral("k8s-pod-network") : QStringLiteral("cbr0"));
        COMPARE_ON(what, network->cniPlugins,
                   calico ? QStringList({QStringLiteral("calico"), QStringLiteral("bandwidth"),
                                         QStringLiteral("portmap")})
                          : QStringList({QStringLiteral("flannel"), QStringLiteral("portmap")}));

        QSet<QString> names;
        for (const auto &iface : network->interfaces) {
            QVERIFY2(!names.contains(iface.name),
                     qPrintable(what + u": interface " + iface.name + u" listed twice"));
            names.insert(iface.name);
        }
        const NetworkInterface *eth0 = findInterface(*network, u"eth0");
        QVERIFY2(eth0, qPrintable(what + u" has no eth0"));
        QVERIFY2(eth0->kind == InterfaceKind::Ethernet,
                 qPrintable(what + u": eth0 is " + interfaceKindName(eth0->kind)));
        const InterfaceAddress *nodeAddress = nullptr;
        for (const auto &address : eth0->addresses) {
            if (address.address == node.internalIp())
                nodeAddress = &address;
        }
        QVERIFY2(nodeAddress, qPrintable(what + u": eth0 does not carry the InternalIP " +
                                         node.internalIp().toString()));
        COMPARE_ON(what, nodeAddress->prefixLength, 24);
        QVERIFY2(nodeAddress->broadcast == ip("192.168.56.255"),
                 qPrintable(what + u": eth0 broadcast is " + toText(nodeAddress->broadcast)));

        bool defaultRoute = false;
        for (const auto &route : network->routes) {
            defaultRoute |= route.destination.prefixLength() == 0 && route.device == u"eth0" &&
                            route.gateway == ip("192.168.56.1");
        }
        QVERIFY2(defaultRoute, qPrintable(what + u": no default route via 192.168.56.1 dev eth0"));
    }
}

void TestDemo::tunnelDevice()
{
    SNAPSHOT_OR_FAIL(s);
    const DemoFlavour f = flavour();
    for (const auto &node : s->nodes) {
        const QString what = QStringLiteral("node ") + node.name;
        const NodeNetwork *network = s->nodeNetwork(node.name);
        QVERIFY2(network, qPrintable(what + u" has no NodeNetwork"));
        const NetworkInterface *tunnel = findInterface(*network, ::tunnelDevice(f));
        QVERIFY2(tunnel, qPrintable(what + u" has no " + ::tunnelDevice(f)));
        QVERIFY2(isTunnel(tunnel->kind),
                 qPrintable(what + u": " + tunnel->name + u" is no tunnel"));
        // the tunnel device holds the first address of the node's pod CIDR, as /32
        COMPARE_ON(what, tunnel->addresses.size(), 1);
        COMPARE_ON(what, tunnel->addresses[0].address, node.podCidrs.value(0).network());
        COMPARE_ON(what, tunnel->addresses[0].prefixLength, 32);
        if (f == DemoFlavour::CalicoIpIp) {
            QVERIFY2(tunnel->kind == InterfaceKind::IpIp,
                     qPrintable(what + u": tunl0 is " + interfaceKindName(tunnel->kind)));
            QVERIFY2(!findInterface(*network, u"cni0"),
                     qPrintable(what + u": Calico has no bridge"));
        } else {
            QVERIFY2(tunnel->kind == InterfaceKind::Vxlan,
                     qPrintable(what + u": flannel.1 is " + interfaceKindName(tunnel->kind)));
            QVERIFY2(tunnel->vni == 1, qPrintable(what + u": flannel.1 VNI is not 1"));
            COMPARE_ON(what, tunnel->udpPort, 8472);
            COMPARE_ON(what, tunnel->tunnelLocal, node.internalIp());
            COMPARE_ON(what, tunnel->underlayDevice, QStringLiteral("eth0"));
            const NetworkInterface *bridge = findInterface(*network, u"cni0");
            QVERIFY2(bridge && bridge->kind == InterfaceKind::Bridge,
                     qPrintable(what + u": no cni0 bridge"));
            // cni0 is the pods' gateway: the pod CIDR's .1
            const IpAddress gateway = IpAddress::fromV4(node.podCidrs.value(0).network().v4() + 1);
            QVERIFY2(bridge->addresses.value(0).address == gateway,
                     qPrintable(what + u": cni0 has " +
                                bridge->addresses.value(0).address.toString() + u", expected " +
                                gateway.toString()));
            COMPARE_ON(what, bridge->addresses.value(0).prefixLength, 24);
        }
    }
}

void TestDemo::vethPeers()
{
    SNAPSHOT_OR_FAIL(s);
    const bool calico = flavour() == DemoFlavour::CalicoIpIp;
    for (const auto &node : s->nodes) {
        const QString what = QStringLiteral("node ") + node.name;
        const NodeNetwork *network = s->nodeNetwork(node.name);
        QVERIFY2(network, qPrintable(what + u" has no NodeNetwork"));
        QStringList peers;
        for (const auto &iface : network->interfaces) {
            if (iface.kind != InterfaceKind::Veth)
                continue;
            const QString where = what + u": veth " + iface.name;
            if (calico) {
                QVERIFY2(iface.name.startsWith(u"cali") && iface.name.size() == 15,
                         qPrintable(where + u" is not named cali<11 hex>"));
                QVERIFY2(iface.master.isEmpty(),
                         qPrintable(where + u": Calico routes, no bridge port"));
            } else {
                QVERIFY2(iface.name.startsWith(u"veth"), qPrintable(where));
                COMPARE_ON(where, iface.master, QStringLiteral("cni0"));
            }
            COMPARE_ON(where, iface.peerIfName, QStringLiteral("eth0"));
            const qsizetype slash = iface.peerPod.indexOf(u'/');
            QVERIFY2(slash > 0,
                     qPrintable(where + u": peer pod \"" + iface.peerPod + u"\" is not ns/name"));
            const qsizetype podIndex = s->findPod(QStringView(iface.peerPod).left(slash),
                                                  QStringView(iface.peerPod).mid(slash + 1));
            QVERIFY2(podIndex >= 0,
                     qPrintable(where + u": peer pod " + iface.peerPod + u" does not exist"));
            const Pod &pod = s->pods[podIndex];
            QVERIFY2(pod.nodeName == node.name, qPrintable(where + u": peer pod " + iface.peerPod +
                                                           u" runs on " + pod.nodeName));
            QVERIFY2(!pod.hostNetwork,
                     qPrintable(where + u": peer pod " + iface.peerPod + u" is host-network"));
            peers.append(iface.peerPod);
        }
        // and the converse: every pod with its own network namespace hangs off one veth
        QStringList ownNetns;
        for (const qsizetype index : s->podsOnNode(node.name)) {
            if (!s->pods[index].hostNetwork)
                ownNetns.append(s->pods[index].qualifiedName());
        }
        QVERIFY2(sorted(peers) == sorted(ownNetns),
                 qPrintable(what + u": veth peers [" + sorted(peers).join(u", ") +
                            u"] but pods with their own network namespace [" +
                            sorted(ownNetns).join(u", ") + u"]"));
    }
}

void TestDemo::routesToOtherNodes()
{
    SNAPSHOT_OR_FAIL(s);
    const DemoFlavour f = flavour();
    for (const auto &node : s->nodes) {
        const QString what = QStringLiteral("node ") + node.name;
        const NodeNetwork *network = s->nodeNetwork(node.name);
        QVERIFY2(network, qPrintable(what + u" has no NodeNetwork"));
        for (const auto &other : s->nodes) {
            if (other.name == node.name)
                continue;
            for (const Cidr &podCidr : other.podCidrs) {
                const Route *route = nullptr;
                for (const auto &candidate : network->routes) {
                    if (candidate.destination == podCidr)
                        route = &candidate;
                }
                const QString where =
                    what + u": route to " + other.name + u"'s " + podCidr.toString();
                QVERIFY2(route, qPrintable(where + u" missing"));
                QVERIFY2(route->device == ::tunnelDevice(f),
                         qPrintable(where + u" goes via " + route->device));
                QVERIFY2(route->onLink, qPrintable(where + u" is not onlink"));
                // Calico (BIRD) routes to the peer node's underlay IP; Flannel to its VTEP
                // address, the first address of the peer's pod CIDR
                const IpAddress gateway =
                    f == DemoFlavour::CalicoIpIp ? other.internalIp() : podCidr.network();
                QVERIFY2(route->gateway == gateway,
                         qPrintable(where + u": gateway " + route->gateway.toString() +
                                    u", expected " + gateway.toString()));
                if (f == DemoFlavour::CalicoIpIp)
                    COMPARE_ON(where, route->protocol, QStringLiteral("bird"));
            }
        }
        // local delivery: Calico has a host route per pod, Flannel the whole CIDR on cni0
        for (const qsizetype index : s->podsOnNode(node.name)) {
            const Pod &pod = s->pods[index];
            if (pod.hostNetwork)
                continue;
            const Route *best = nullptr;
            for (const auto &route : network->routes) {
                if (route.destination.contains(pod.podIps.value(0)) &&
                    (!best || route.destination.prefixLength() > best->destination.prefixLength()))
                    best = &route;
            }
            QVERIFY2(best, qPrintable(what + u": no route to pod " + pod.qualifiedName()));
            if (f == DemoFlavour::CalicoIpIp) {
                COMPARE_ON(what, best->destination.prefixLength(), 32);
                const NetworkInterface *veth = findInterface(*network, best->device);
                QVERIFY2(veth && veth->peerPod == pod.qualifiedName(),
                         qPrintable(what + u": the route to " + pod.qualifiedName() +
                                    u" leaves via " + best->device + u", not the pod's veth"));
            } else {
                QVERIFY2(best->device == u"cni0",
                         qPrintable(what + u": pod " + pod.qualifiedName() + u" reached via " +
                                    best->device));
                COMPARE_ON(what, best->destination, node.podCidrs.value(0));
            }
        }
    }
}

void TestDemo::networkPolicies()
{
    SNAPSHOT_OR_FAIL(s);
    int sockShopPolicies = 0;
    bool namespaceSelector = false, egress = false, ipBlockExcept = false, namedPort = false;
    for (const auto &policy : s->networkPolicies) {
        if (policy.namespaceName == kSockShop)
            ++sockShopPolicies;
        int selected = 0;
        for (const auto &pod : s->pods) {
            if (pod.namespaceName == policy.namespaceName && policy.podSelector.matches(pod.labels))
                ++selected;
        }
        QVERIFY2(selected > 0,
                 qPrintable(QStringLiteral("policy %1: podSelector {%2} selects no pod")
                                .arg(policy.qualifiedName(), policy.podSelector.toString())));
        egress |= !policy.egress.isEmpty() && policy.affectsEgress();
        for (const auto *rules : {&policy.ingress, &policy.egress}) {
            for (const auto &rule : *rules) {
                for (const auto &peer : rule.peers) {
                    namespaceSelector |= peer.namespaceSelector.has_value();
                    ipBlockExcept |= peer.ipBlock && !peer.ipBlock->except.isEmpty();
                    if (peer.podSelector && !peer.podSelector->isEmpty() &&
                        !peer.namespaceSelector) {
                        // a peer selecting pods of its own namespace must match at least one
                        bool any = false;
                        for (const auto &pod : s->pods) {
                            any |= pod.namespaceName == policy.namespaceName &&
                                   peer.podSelector->matches(pod.labels);
                        }
                        QVERIFY2(any,
                                 qPrintable(QStringLiteral("policy %1: peer {%2} matches no pod")
                                                .arg(policy.qualifiedName(),
                                                     peer.podSelector->toString())));
                    }
                }
                for (const auto &port : rule.ports)
                    namedPort |= port.portName.has_value();
            }
        }
    }
    QVERIFY2(sockShopPolicies >= 5,
             qPrintable(QStringLiteral("sock-shop has %1 NetworkPolicies, expected at least 5")
                            .arg(sockShopPolicies)));
    QVERIFY2(namespaceSelector, "no policy peer uses a namespaceSelector");
    QVERIFY2(egress, "no policy has an egress rule");
    QVERIFY2(ipBlockExcept, "no policy has an ipBlock with except");
    QVERIFY2(namedPort, "no policy names its port");
}

void TestDemo::cniDetection()
{
    SNAPSHOT_OR_FAIL(s);
    const CniDetection detection = detectCni(*s);
    const QString evidence = detection.evidence.join(u"; ");
    if (flavour() == DemoFlavour::CalicoIpIp) {
        QVERIFY2(detection.plugin == CniPlugin::Calico,
                 qPrintable(cniPluginName(detection.plugin) + u": " + evidence));
        QVERIFY2(detection.overlay == OverlayMode::IpIp,
                 qPrintable(overlayModeName(detection.overlay) + u": " + evidence));
        QVERIFY2(detection.enforcementKnown && detection.enforcesNetworkPolicy,
                 qPrintable(evidence));
    } else {
        QVERIFY2(detection.plugin == CniPlugin::Flannel,
                 qPrintable(cniPluginName(detection.plugin) + u": " + evidence));
        QVERIFY2(detection.overlay == OverlayMode::Vxlan,
                 qPrintable(overlayModeName(detection.overlay) + u": " + evidence));
        QVERIFY2(detection.enforcementKnown && !detection.enforcesNetworkPolicy,
                 qPrintable(evidence));
    }
}

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
