// detectCni(): which CNI a cluster runs, whether it enforces NetworkPolicy, and how it
// encapsulates, from DaemonSets named and imaged as the real installs are, from the agent's
// NodeNetwork items, and from the projects' own DaemonSet manifests.

#include "ClusterSnapshot.h"
#include "CniDetection.h"
#include "SnapshotIo.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

using namespace cartograph;

Q_DECLARE_METATYPE(cartograph::ClusterSnapshot)
Q_DECLARE_METATYPE(cartograph::CniPlugin)
Q_DECLARE_METATYPE(cartograph::OverlayMode)

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QStringList list(std::initializer_list<const char *> texts)
{
    QStringList result;
    for (const char *text : texts)
        result.append(s(text));
    return result;
}

DaemonSet daemonSet(const char *ns, const char *name,
                    std::initializer_list<const char *> containers,
                    std::initializer_list<const char *> images, bool hostNetwork = true)
{
    DaemonSet ds;
    ds.namespaceName = s(ns);
    ds.name = s(name);
    ds.containerNames = list(containers);
    ds.images = list(images);
    ds.hostNetwork = hostNetwork;
    ds.desired = 3;
    ds.ready = 3;
    return ds;
}

// Present in nearly every cluster, and a CNI in none.
DaemonSet kubeProxy()
{
    return daemonSet("kube-system", "kube-proxy", {"kube-proxy"},
                     {"registry.k8s.io/kube-proxy:v1.29.0"});
}

DaemonSet calicoNode()
{
    return daemonSet("kube-system", "calico-node",
                     {"upgrade-ipam", "install-cni", "mount-bpffs", "calico-node"},
                     {"docker.io/calico/cni:v3.27.0", "docker.io/calico/cni:v3.27.0",
                      "docker.io/calico/node:v3.27.0", "docker.io/calico/node:v3.27.0"});
}

DaemonSet kubeFlannel()
{
    return daemonSet("kube-flannel", "kube-flannel-ds",
                     {"install-cni-plugin", "install-cni", "kube-flannel"},
                     {"docker.io/flannel/flannel-cni-plugin:v1.2.0",
                      "docker.io/flannel/flannel:v0.24.0", "docker.io/flannel/flannel:v0.24.0"});
}

ClusterSnapshot withDaemonSets(QList<DaemonSet> daemonSets)
{
    ClusterSnapshot snapshot;
    snapshot.daemonSets = std::move(daemonSets);
    return snapshot;
}

NetworkInterface iface(const char *name, InterfaceKind kind)
{
    NetworkInterface i;
    i.name = s(name);
    i.kind = kind;
    i.state = QStringLiteral("UP");
    i.mtu = 1450;
    if (kind == InterfaceKind::Vxlan)
        i.vni = 1;
    return i;
}

NodeNetwork nodeNetwork(const char *node, std::initializer_list<const char *> cniPlugins,
                        QList<NetworkInterface> interfaces, const char *configFile = "")
{
    NodeNetwork network;
    network.nodeName = s(node);
    network.cniPlugins = list(cniPlugins);
    network.cniConfigFile = s(configFile);
    network.interfaces = std::move(interfaces);
    return network;
}

ClusterSnapshot withNodeNetworks(QList<NodeNetwork> networks, QList<DaemonSet> daemonSets = {})
{
    ClusterSnapshot snapshot;
    snapshot.nodeNetworks = std::move(networks);
    snapshot.daemonSets = std::move(daemonSets);
    return snapshot;
}

// The interfaces every node has whatever the CNI: no tunnel among them.
QList<NetworkInterface> plainInterfaces(QList<NetworkInterface> extra = {})
{
    QList<NetworkInterface> result{iface("lo", InterfaceKind::Loopback),
                                   iface("eth0", InterfaceKind::Ethernet)};
    result += extra;
    return result;
}

QString evidenceText(const CniDetection &detection)
{
    return detection.evidence.join(QStringLiteral(" | "));
}

} // namespace

class TestCniDetection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names();
    void detect_data();
    void detect();
    void independentOfNodeNetworkOrder();
    void manifests_data();
    void manifests();
};

void TestCniDetection::names()
{
    QCOMPARE(cniPluginName(CniPlugin::Unknown), s("unknown"));
    QCOMPARE(cniPluginName(CniPlugin::Flannel), s("Flannel"));
    QCOMPARE(cniPluginName(CniPlugin::Weave), s("Weave Net"));
    QCOMPARE(overlayModeName(OverlayMode::Vxlan), s("VXLAN"));
    QCOMPARE(overlayModeName(OverlayMode::None), s("none (routed)"));
    for (CniPlugin plugin :
         {CniPlugin::Unknown, CniPlugin::Calico, CniPlugin::Canal, CniPlugin::Flannel,
          CniPlugin::Weave, CniPlugin::Cilium, CniPlugin::AmazonVpc, CniPlugin::AzureVnet,
          CniPlugin::KubeRouter, CniPlugin::Antrea, CniPlugin::KindNet})
        QVERIFY(!cniPluginName(plugin).isEmpty());
    for (OverlayMode mode :
         {OverlayMode::Unknown, OverlayMode::None, OverlayMode::Vxlan, OverlayMode::IpIp,
          OverlayMode::Geneve, OverlayMode::WireGuard, OverlayMode::HostGw})
        QVERIFY(!overlayModeName(mode).isEmpty());
}

void TestCniDetection::detect_data()
{
    QTest::addColumn<ClusterSnapshot>("snapshot");
    QTest::addColumn<CniPlugin>("plugin");
    QTest::addColumn<OverlayMode>("overlay");
    QTest::addColumn<bool>("enforcementKnown");
    QTest::addColumn<bool>("enforces");
    QTest::addColumn<QStringList>("evidence"); // each must appear in some evidence line

    // --- DaemonSets as the real installs name and image them; overlay is each CNI's default.
    QTest::newRow("calico-node") << withDaemonSets({kubeProxy(), calicoNode()}) << CniPlugin::Calico
                                 << OverlayMode::IpIp << true << true
                                 << list({"kube-system/calico-node",
                                          "docker.io/calico/node:v3.27.0"});
    QTest::newRow("kube-flannel-ds")
        << withDaemonSets({kubeFlannel(), kubeProxy()}) << CniPlugin::Flannel << OverlayMode::Vxlan
        << true << false
        << list({"kube-flannel/kube-flannel-ds", "docker.io/flannel/flannel:v0.24.0"});
    QTest::newRow("legacy flannel in kube-system")
        << withDaemonSets({daemonSet(
               "kube-system", "kube-flannel-ds-amd64", {"install-cni", "kube-flannel"},
               {"quay.io/coreos/flannel:v0.11.0-amd64", "quay.io/coreos/flannel:v0.11.0-amd64"})})
        << CniPlugin::Flannel << OverlayMode::Vxlan << true << false
        << list({"kube-system/kube-flannel-ds-amd64"});
    QTest::newRow("weave-net") << withDaemonSets(
                                      {kubeProxy(), daemonSet("kube-system", "weave-net",
                                                              {"weave-init", "weave", "weave-npc"},
                                                              {"weaveworks/weave-kube:latest",
                                                               "weaveworks/weave-kube:latest",
                                                               "weaveworks/weave-npc:latest"})})
                               << CniPlugin::Weave << OverlayMode::Vxlan << true << true
                               << list({"kube-system/weave-net", "weaveworks/weave-kube:latest"});
    QTest::newRow("weave by image only")
        << withDaemonSets(
               {daemonSet("networking", "pod-network", {"weave"}, {"weaveworks/weave-kube:2.8.1"})})
        << CniPlugin::Weave << OverlayMode::Vxlan << true << true
        << list({"networking/pod-network"});
    QTest::newRow("cilium")
        << withDaemonSets(
               {kubeProxy(),
                daemonSet("kube-system", "cilium",
                          {"config", "mount-cgroup", "apply-sysctl-overwrites", "mount-bpf-fs",
                           "clean-cilium-state", "install-cni-binaries", "cilium-agent"},
                          {"quay.io/cilium/cilium:v1.14.5", "quay.io/cilium/cilium:v1.14.5",
                           "quay.io/cilium/cilium:v1.14.5", "quay.io/cilium/cilium:v1.14.5",
                           "quay.io/cilium/cilium:v1.14.5", "quay.io/cilium/cilium:v1.14.5",
                           "quay.io/cilium/cilium:v1.14.5"})})
        << CniPlugin::Cilium << OverlayMode::Vxlan << true << true
        << list({"kube-system/cilium", "quay.io/cilium/cilium:v1.14.5"});
    QTest::newRow("canal")
        << withDaemonSets(
               {daemonSet("kube-system", "canal",
                          {"install-cni", "mount-bpffs", "calico-node", "kube-flannel"},
                          {"docker.io/calico/cni:v3.27.0", "docker.io/calico/node:v3.27.0",
                           "docker.io/calico/node:v3.27.0", "docker.io/flannel/flannel:v0.24.0"}),
                kubeProxy()})
        << CniPlugin::Canal << OverlayMode::Vxlan << true << true << list({"kube-system/canal"});
    QTest::newRow("rke2-canal") << withDaemonSets({daemonSet(
                                       "kube-system", "rke2-canal",
                                       {"install-cni", "calico-node", "kube-flannel"},
                                       {"rancher/hardened-calico:v3.26.3-build20231109",
                                        "rancher/hardened-calico:v3.26.3-build20231109",
                                        "rancher/hardened-flannel:v0.23.0-build20231109"})})
                                << CniPlugin::Canal << OverlayMode::Vxlan << true << true
                                << list({"kube-system/rke2-canal"});
    // Calico and Flannel side by side are Canal "whatever the DaemonSets are called"
    // (CniDetection.cpp), in either order, and also when one DaemonSet runs both.
    QTest::newRow("calico-node and kube-flannel-ds")
        << withDaemonSets({calicoNode(), kubeFlannel()}) << CniPlugin::Canal << OverlayMode::Vxlan
        << true << true << list({"kube-system/calico-node", "kube-flannel/kube-flannel-ds"});
    QTest::newRow("kube-flannel-ds and calico-node")
        << withDaemonSets({kubeFlannel(), calicoNode()}) << CniPlugin::Canal << OverlayMode::Vxlan
        << true << true << list({"kube-system/calico-node", "kube-flannel/kube-flannel-ds"});
    QTest::newRow("calico and flannel containers in one DaemonSet")
        << withDaemonSets({daemonSet(
               "kube-system", "pod-network", {"install-cni", "calico-node", "kube-flannel"},
               {"docker.io/calico/cni:v3.27.0", "docker.io/calico/node:v3.27.0",
                "docker.io/flannel/flannel:v0.24.0"})})
        << CniPlugin::Canal << OverlayMode::Vxlan << true << true
        << list({"kube-system/pod-network"});
    QTest::newRow("aws-node")
        << withDaemonSets(
               {kubeProxy(), daemonSet("kube-system", "aws-node",
                                       {"aws-vpc-cni-init", "aws-node", "aws-eks-nodeagent"},
                                       {"602401143452.dkr.ecr.us-west-2.amazonaws.com/"
                                        "amazon-k8s-cni-init:v1.16.0-eksbuild.1",
                                        "602401143452.dkr.ecr.us-west-2.amazonaws.com/"
                                        "amazon-k8s-cni:v1.16.0-eksbuild.1",
                                        "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/"
                                        "aws-network-policy-agent:v1.0.7-eksbuild.1"})})
        << CniPlugin::AmazonVpc << OverlayMode::None << true << true
        << list({"kube-system/aws-node"});
    QTest::newRow("kindnet") << withDaemonSets(
                                    {daemonSet("kube-system", "kindnet", {"kindnet-cni"},
                                               {"docker.io/kindest/kindnetd:v20230809-80a64d96"}),
                                     kubeProxy()})
                             << CniPlugin::KindNet << OverlayMode::None << true << false
                             << list({"kube-system/kindnet"});
    QTest::newRow("antrea-agent")
        << withDaemonSets({daemonSet(
               "kube-system", "antrea-agent", {"install-cni", "antrea-agent", "antrea-ovs"},
               {"antrea/antrea-agent-ubuntu:v2.0.0", "antrea/antrea-agent-ubuntu:v2.0.0",
                "antrea/antrea-agent-ubuntu:v2.0.0"})})
        << CniPlugin::Antrea << OverlayMode::Geneve << true << true
        << list({"kube-system/antrea-agent"});
    QTest::newRow("kube-router")
        << withDaemonSets(
               {daemonSet("kube-system", "kube-router", {"install-cni", "kube-router"},
                          {"docker.io/busybox", "docker.io/cloudnativelabs/kube-router"})})
        << CniPlugin::KubeRouter << OverlayMode::None << true << true
        << list({"kube-system/kube-router"});
    QTest::newRow("no CNI DaemonSet")
        << withDaemonSets(
               {kubeProxy(),
                daemonSet("kube-system", "node-local-dns", {"node-cache"},
                          {"registry.k8s.io/dns/k8s-dns-node-cache:1.22.20"}),
                daemonSet("kube-system", "ebs-csi-node",
                          {"ebs-plugin", "node-driver-registrar", "liveness-probe"},
                          {"public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.25.0",
                           "public.ecr.aws/eks-distro/kubernetes-csi/node-driver-registrar:v2.9.0",
                           "public.ecr.aws/eks-distro/kubernetes-csi/livenessprobe:v2.11.0"},
                          false)})
        << CniPlugin::Unknown << OverlayMode::Unknown << false << false << QStringList();
    QTest::newRow("empty snapshot") << ClusterSnapshot{} << CniPlugin::Unknown
                                    << OverlayMode::Unknown << false << false << QStringList();

    // --- NodeNetwork items alone: the CNI config's plugin types and the tunnel devices.
    QTest::newRow("cni config flannel")
        << withNodeNetworks({nodeNetwork("node-1", {"flannel", "portmap"}, plainInterfaces(),
                                         "/etc/cni/net.d/10-flannel.conflist")})
        // Interfaces known and no flannel.1: Flannel's host-gw backend, not VXLAN.
        << CniPlugin::Flannel << OverlayMode::HostGw << true << false
        << list({"node-1", "/etc/cni/net.d/10-flannel.conflist", "flannel"});
    QTest::newRow("cni config calico after portmap")
        << withNodeNetworks({nodeNetwork("node-1", {"portmap", "calico", "bandwidth"}, {},
                                         "/etc/cni/net.d/10-calico.conflist")})
        << CniPlugin::Calico << OverlayMode::IpIp << true << true
        << list({"node-1", "/etc/cni/net.d/10-calico.conflist"});
    QTest::newRow("cni config cilium")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"cilium-cni"}, {}, "/etc/cni/net.d/05-cilium.conflist")})
        << CniPlugin::Cilium << OverlayMode::Vxlan << true << true << list({"05-cilium.conflist"});
    QTest::newRow("cni config weave")
        << withNodeNetworks({nodeNetwork("node-1", {"weave-net", "portmap"}, {},
                                         "/etc/cni/net.d/10-weave.conflist")})
        << CniPlugin::Weave << OverlayMode::Vxlan << true << true << list({"10-weave.conflist"});
    QTest::newRow("cni config aws")
        << withNodeNetworks({nodeNetwork("ip-10-0-1-5", {"aws-cni", "egress-cni", "portmap"}, {},
                                         "/etc/cni/net.d/10-aws.conflist")})
        << CniPlugin::AmazonVpc << OverlayMode::None << true << true << list({"ip-10-0-1-5"});
    QTest::newRow("cni config of no known CNI")
        << withNodeNetworks({nodeNetwork("node-1", {"bridge", "portmap"}, plainInterfaces(),
                                         "/etc/cni/net.d/10-bridge.conflist")})
        // Interfaces known and no tunnel device: pod traffic between nodes is routed.
        << CniPlugin::Unknown << OverlayMode::None << false << false << QStringList();
    QTest::newRow("vxlan flannel.1 alone")
        << withNodeNetworks({nodeNetwork("node-1", {},
                                         plainInterfaces({iface("flannel.1", InterfaceKind::Vxlan),
                                                          iface("cni0", InterfaceKind::Bridge)}))})
        << CniPlugin::Unknown << OverlayMode::Vxlan << false << false
        << list({"flannel.1", "node-1"});
    QTest::newRow("cni config flannel and flannel.1")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"flannel", "portmap"},
                            plainInterfaces({iface("flannel.1", InterfaceKind::Vxlan)}),
                            "/etc/cni/net.d/10-flannel.conflist")})
        << CniPlugin::Flannel << OverlayMode::Vxlan << true << false
        << list({"10-flannel.conflist", "flannel.1"});
    QTest::newRow("ipip tunl0 alone")
        << withNodeNetworks(
               {nodeNetwork("node-2", {}, plainInterfaces({iface("tunl0", InterfaceKind::IpIp)}))})
        << CniPlugin::Unknown << OverlayMode::IpIp << false << false << list({"tunl0", "node-2"});
    QTest::newRow("cni config calico and tunl0")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"calico"},
                            plainInterfaces({iface("tunl0", InterfaceKind::IpIp),
                                             iface("cali1a2b3c4d5e6", InterfaceKind::Veth)}),
                            "/etc/cni/net.d/10-calico.conflist")})
        << CniPlugin::Calico << OverlayMode::IpIp << true << true << list({"tunl0"});
    QTest::newRow("wireguard alone")
        << withNodeNetworks({nodeNetwork(
               "node-1", {}, plainInterfaces({iface("wg0", InterfaceKind::WireGuard)}))})
        << CniPlugin::Unknown << OverlayMode::WireGuard << false << false << list({"wg0"});
    QTest::newRow("geneve alone")
        << withNodeNetworks({nodeNetwork(
               "node-1", {}, plainInterfaces({iface("genev_sys_6081", InterfaceKind::Geneve)}))})
        << CniPlugin::Unknown << OverlayMode::Geneve << false << false << list({"genev_sys_6081"});
    // Node facts beat each CNI's default encapsulation.
    QTest::newRow("calico-node with vxlan.calico")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"calico"},
                            plainInterfaces({iface("vxlan.calico", InterfaceKind::Vxlan)}))},
               {calicoNode()})
        << CniPlugin::Calico << OverlayMode::Vxlan << true << true
        << list({"kube-system/calico-node", "vxlan.calico"});
    QTest::newRow("calico wireguard over ipip")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"calico"},
                            plainInterfaces({iface("tunl0", InterfaceKind::IpIp),
                                             iface("wireguard.cali", InterfaceKind::WireGuard)}))},
               {calicoNode()})
        << CniPlugin::Calico << OverlayMode::WireGuard << true << true << list({"wireguard.cali"});
    QTest::newRow("calico wireguard before vxlan")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"calico"},
                            plainInterfaces({iface("wireguard.cali", InterfaceKind::WireGuard),
                                             iface("vxlan.calico", InterfaceKind::Vxlan)}))},
               {calicoNode()})
        << CniPlugin::Calico << OverlayMode::WireGuard << true << true << list({"wireguard.cali"});
    QTest::newRow("cilium geneve")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"cilium-cni"},
                            plainInterfaces({iface("cilium_geneve", InterfaceKind::Geneve),
                                             iface("cilium_host", InterfaceKind::Veth)}))})
        << CniPlugin::Cilium << OverlayMode::Geneve << true << true << list({"cilium_geneve"});
    // The DaemonSet names the CNI; the CNI config of another plugin type does not override it.
    QTest::newRow("daemonset wins over cni config")
        << withNodeNetworks({nodeNetwork("node-1", {"flannel"}, {})}, {calicoNode()})
        << CniPlugin::Calico << OverlayMode::IpIp << true << true
        << list({"kube-system/calico-node"});
    // Node facts that list the interfaces and show no tunnel device: Calico in BGP mode without
    // encapsulation. The default (IP-in-IP) is only for when there are no node facts.
    QTest::newRow("calico routed, node facts without tunnel")
        << withNodeNetworks(
               {nodeNetwork("node-1", {"calico"},
                            plainInterfaces({iface("cali1a2b3c4d5e6", InterfaceKind::Veth)})),
                nodeNetwork("node-2", {"calico"},
                            plainInterfaces({iface("cali6e5d4c3b2a1", InterfaceKind::Veth)}))},
               {calicoNode()})
        << CniPlugin::Calico << OverlayMode::None << true << true
        << list({"kube-system/calico-node"});
}

void TestCniDetection::detect()
{
    QFETCH(ClusterSnapshot, snapshot);
    QFETCH(CniPlugin, plugin);
    QFETCH(OverlayMode, overlay);
    QFETCH(bool, enforcementKnown);
    QFETCH(bool, enforces);
    QFETCH(QStringList, evidence);

    const CniDetection detection = detectCni(snapshot);
    QCOMPARE(cniPluginName(detection.plugin), cniPluginName(plugin));
    QCOMPARE(overlayModeName(detection.overlay), overlayModeName(overlay));
    QCOMPARE(detection.enforcementKnown, enforcementKnown);
    QCOMPARE(detection.enforcesNetworkPolicy, enforces);

    // Evidence exactly when something was found, naming what the verdict rests on.
    const bool foundSomething = plugin != CniPlugin::Unknown || overlay != OverlayMode::Unknown;
    QCOMPARE(!detection.evidence.isEmpty(), foundSomething);
    const QString text = evidenceText(detection);
    for (const QString &needle : std::as_const(evidence))
        QVERIFY2(text.contains(needle), qPrintable(needle + QStringLiteral(" not in: ") + text));
    // Nothing that is not a CNI is named as evidence.
    QVERIFY2(!text.contains(QStringLiteral("kube-proxy")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("node-local-dns")), qPrintable(text));
}

void TestCniDetection::independentOfNodeNetworkOrder()
{
    // The tunnel seen on one node is the cluster's, whichever node comes first.
    const NodeNetwork withTunnel = nodeNetwork(
        "node-1", {"flannel"}, plainInterfaces({iface("flannel.1", InterfaceKind::Vxlan)}));
    const NodeNetwork withoutFacts = nodeNetwork("node-2", {}, {});
    const CniDetection a = detectCni(withNodeNetworks({withTunnel, withoutFacts}));
    const CniDetection b = detectCni(withNodeNetworks({withoutFacts, withTunnel}));
    QCOMPARE(cniPluginName(a.plugin), cniPluginName(CniPlugin::Flannel));
    QCOMPARE(cniPluginName(b.plugin), cniPluginName(a.plugin));
    QCOMPARE(overlayModeName(a.overlay), overlayModeName(OverlayMode::Vxlan));
    QCOMPARE(overlayModeName(b.overlay), overlayModeName(a.overlay));
    QCOMPARE(b.enforcesNetworkPolicy, a.enforcesNetworkPolicy);
}

void TestCniDetection::manifests_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<CniPlugin>("plugin");
    QTest::addColumn<bool>("enforces");
    QTest::addColumn<QString>("daemonSet");

    QTest::newRow("kube-flannel.yml") << s("kube-flannel.yml") << CniPlugin::Flannel << false
                                      << s("kube-flannel/kube-flannel-ds");
    QTest::newRow("weave-daemonset-k8s-1.11.yaml")
        << s("weave-daemonset-k8s-1.11.yaml") << CniPlugin::Weave << true
        << s("kube-system/weave-net");
}

void TestCniDetection::manifests()
{
    QFETCH(QString, file);
    QFETCH(CniPlugin, plugin);
    QFETCH(bool, enforces);
    QFETCH(QString, daemonSet);

    if (!QFileInfo::exists(QStringLiteral(CARTOGRAPH_FIXTURES_DIR)))
        QSKIP("../shared/fixtures is not there");
    const QDir dir(QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/manifests/cni-daemonsets"));
    const auto loaded = loadSnapshotFiles({dir.filePath(file)});
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(describe(loaded.error())));

    bool found = false;
    for (const DaemonSet &ds : loaded->daemonSets)
        found = found || ds.qualifiedName() == daemonSet;
    QVERIFY2(found, qPrintable(daemonSet));

    const CniDetection detection = detectCni(*loaded);
    QCOMPARE(cniPluginName(detection.plugin), cniPluginName(plugin));
    QVERIFY(detection.enforcementKnown);
    QCOMPARE(detection.enforcesNetworkPolicy, enforces);
    // Neither manifest says more than the CNI's default (VXLAN for both).
    QCOMPARE(overlayModeName(detection.overlay), overlayModeName(OverlayMode::Vxlan));
    QVERIFY(!detection.evidence.isEmpty());
    QVERIFY2(evidenceText(detection).contains(daemonSet), qPrintable(evidenceText(detection)));
}

QTEST_GUILESS_MAIN(TestCniDetection)
#include "tst_cnidetection.moc"
