#include "CniDetection.h"

#include <QCoreApplication>

namespace cartograph {

QString cniPluginName(CniPlugin plugin)
{
    switch (plugin) {
    case CniPlugin::Unknown:
        return QStringLiteral("unknown");
    case CniPlugin::Calico:
        return QStringLiteral("Calico");
    case CniPlugin::Canal:
        return QStringLiteral("Canal");
    case CniPlugin::Flannel:
        return QStringLiteral("Flannel");
    case CniPlugin::Weave:
        return QStringLiteral("Weave Net");
    case CniPlugin::Cilium:
        return QStringLiteral("Cilium");
    case CniPlugin::AmazonVpc:
        return QStringLiteral("Amazon VPC CNI");
    case CniPlugin::AzureVnet:
        return QStringLiteral("Azure CNI");
    case CniPlugin::KubeRouter:
        return QStringLiteral("kube-router");
    case CniPlugin::Antrea:
        return QStringLiteral("Antrea");
    case CniPlugin::KindNet:
        return QStringLiteral("kindnet");
    }
    return {};
}

QString overlayModeName(OverlayMode mode)
{
    switch (mode) {
    case OverlayMode::Unknown:
        return QStringLiteral("unknown");
    case OverlayMode::None:
        return QStringLiteral("none (routed)");
    case OverlayMode::Vxlan:
        return QStringLiteral("VXLAN");
    case OverlayMode::IpIp:
        return QStringLiteral("IP-in-IP");
    case OverlayMode::Geneve:
        return QStringLiteral("Geneve");
    case OverlayMode::WireGuard:
        return QStringLiteral("WireGuard");
    case OverlayMode::HostGw:
        return QStringLiteral("host-gw");
    }
    return {};
}

namespace {

struct Signature
{
    CniPlugin plugin;
    const char16_t *needle; // matched against DaemonSet names, container names and images
};

// Order matters: Canal ships calico-node *and* flannel in one DaemonSet named canal.
constexpr Signature kSignatures[] = {
    {CniPlugin::Canal, u"canal"},
    {CniPlugin::Cilium, u"cilium"},
    {CniPlugin::Calico, u"calico-node"},
    {CniPlugin::Calico, u"calico/node"},
    {CniPlugin::Flannel, u"flannel"},
    {CniPlugin::Weave, u"weave-net"},
    {CniPlugin::Weave, u"weaveworks/weave-kube"},
    {CniPlugin::AmazonVpc, u"aws-node"},
    {CniPlugin::AmazonVpc, u"amazon-k8s-cni"},
    {CniPlugin::AzureVnet, u"azure-cni"},
    {CniPlugin::AzureVnet, u"azure-vnet"},
    {CniPlugin::KubeRouter, u"kube-router"},
    {CniPlugin::Antrea, u"antrea-agent"},
    {CniPlugin::KindNet, u"kindnet"},
};

bool enforces(CniPlugin plugin)
{
    switch (plugin) {
    case CniPlugin::Flannel:
        return false; // Flannel only moves packets; NetworkPolicy needs Canal/Calico on top.
    case CniPlugin::KindNet:
        return false; // kindnet before v1.0 had no policy support
    case CniPlugin::Unknown:
        return false;
    default:
        return true;
    }
}

CniPlugin pluginFromCniType(QStringView type)
{
    if (type == u"calico")
        return CniPlugin::Calico;
    if (type == u"flannel")
        return CniPlugin::Flannel;
    if (type == u"weave-net" || type == u"weave-plugin-2.8.1")
        return CniPlugin::Weave;
    if (type == u"cilium-cni")
        return CniPlugin::Cilium;
    if (type == u"aws-cni")
        return CniPlugin::AmazonVpc;
    if (type == u"azure-vnet")
        return CniPlugin::AzureVnet;
    if (type == u"antrea")
        return CniPlugin::Antrea;
    return CniPlugin::Unknown;
}

} // namespace

CniDetection detectCni(const ClusterSnapshot &snapshot)
{
    CniDetection result;
    bool sawCalico = false;
    bool sawFlannel = false;

    for (const DaemonSet &ds : snapshot.daemonSets) {
        QStringList haystack{ds.name};
        haystack += ds.containerNames;
        haystack += ds.images;
        // Every signature is checked: one DaemonSet may carry calico-node and flannel (Canal).
        for (const auto &signature : kSignatures) {
            const QStringView needle(signature.needle);
            bool hit = false;
            for (const QString &text : std::as_const(haystack)) {
                if (text.contains(needle, Qt::CaseInsensitive)) {
                    hit = true;
                    break;
                }
            }
            if (!hit)
                continue;
            if (signature.plugin == CniPlugin::Calico)
                sawCalico = true;
            if (signature.plugin == CniPlugin::Flannel)
                sawFlannel = true;
            if (result.plugin == CniPlugin::Unknown || signature.plugin == CniPlugin::Canal ||
                (signature.plugin == CniPlugin::Cilium && result.plugin == CniPlugin::Flannel))
                result.plugin = signature.plugin; // Cilium chained on Flannel enforces policy
            const QString evidence =
                QCoreApplication::translate("cartograph::CniDetection", "DaemonSet %1 (%2)")
                    .arg(ds.qualifiedName(), ds.images.join(QStringLiteral(", ")));
            if (!result.evidence.contains(evidence))
                result.evidence.append(evidence);
        }
    }
    // Calico and Flannel installed side by side is Canal whatever the DaemonSets are called.
    if (sawCalico && sawFlannel)
        result.plugin = CniPlugin::Canal;

    // NodeNetwork items: the CNI config's plugin types and the tunnel devices.
    for (const NodeNetwork &network : snapshot.nodeNetworks) {
        if (result.plugin == CniPlugin::Unknown) {
            for (const QString &type : network.cniPlugins) {
                const CniPlugin plugin = pluginFromCniType(type);
                if (plugin != CniPlugin::Unknown) {
                    result.plugin = plugin;
                    result.evidence.append(
                        QCoreApplication::translate("cartograph::CniDetection",
                                                    "CNI config %1 on node %2 (plugin %3)")
                            .arg(network.cniConfigFile, network.nodeName, type));
                    break;
                }
            }
        }
        for (const NetworkInterface &iface : network.interfaces) {
            OverlayMode mode = OverlayMode::Unknown;
            switch (iface.kind) {
            case InterfaceKind::Vxlan:
                mode = OverlayMode::Vxlan;
                break;
            case InterfaceKind::IpIp:
                mode = OverlayMode::IpIp;
                break;
            case InterfaceKind::Geneve:
                mode = OverlayMode::Geneve;
                break;
            case InterfaceKind::WireGuard:
                mode = OverlayMode::WireGuard;
                break;
            default:
                break;
            }
            // WireGuard wraps whatever else is there; it is what the wire shows.
            if (mode != OverlayMode::Unknown &&
                (result.overlay == OverlayMode::Unknown || mode == OverlayMode::WireGuard)) {
                result.overlay = mode;
                result.evidence.append(
                    QCoreApplication::translate("cartograph::CniDetection",
                                                "tunnel device %1 (%2) on node %3")
                        .arg(iface.name, interfaceKindName(iface.kind), network.nodeName));
            }
        }
    }

    if (result.plugin != CniPlugin::Unknown) {
        result.enforcementKnown = true;
        result.enforcesNetworkPolicy = enforces(result.plugin);
    }
    // Node facts without any tunnel device mean routed pod traffic (Calico BGP, host-gw).
    if (result.overlay == OverlayMode::Unknown && !snapshot.nodeNetworks.isEmpty()) {
        bool anyInterfaces = false;
        for (const NodeNetwork &network : snapshot.nodeNetworks)
            anyInterfaces |= !network.interfaces.isEmpty();
        if (anyInterfaces) {
            result.overlay =
                result.plugin == CniPlugin::Flannel ? OverlayMode::HostGw : OverlayMode::None;
            result.evidence.append(QCoreApplication::translate(
                "cartograph::CniDetection",
                "no tunnel device on the %n node(s) with interface facts", nullptr,
                int(snapshot.nodeNetworks.size())));
        }
    }
    // Without node facts, fall back on each CNI's default encapsulation.
    if (result.overlay == OverlayMode::Unknown) {
        switch (result.plugin) {
        case CniPlugin::Calico:
            result.overlay = OverlayMode::IpIp;
            break;
        case CniPlugin::Flannel:
        case CniPlugin::Canal:
        case CniPlugin::Cilium:
        case CniPlugin::Weave:
            result.overlay = OverlayMode::Vxlan;
            break;
        case CniPlugin::AmazonVpc:
        case CniPlugin::AzureVnet:
        case CniPlugin::KubeRouter:
        case CniPlugin::KindNet:
            result.overlay = OverlayMode::None;
            break;
        case CniPlugin::Antrea:
            result.overlay = OverlayMode::Geneve;
            break;
        case CniPlugin::Unknown:
            break;
        }
    }
    return result;
}

} // namespace cartograph
