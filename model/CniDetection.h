#pragma once

#include "ClusterSnapshot.h"

#include <QString>
#include <QStringList>

namespace cartograph {

enum class CniPlugin
{
    Unknown,
    Calico,
    Canal,
    Flannel,
    Weave,
    Cilium,
    AmazonVpc,
    AzureVnet,
    KubeRouter,
    Antrea,
    KindNet
};
QString cniPluginName(CniPlugin plugin);

enum class OverlayMode
{
    Unknown,
    None,
    Vxlan,
    IpIp,
    Geneve,
    WireGuard,
    HostGw
};
QString overlayModeName(OverlayMode mode);

struct CniDetection
{
    CniPlugin plugin = CniPlugin::Unknown;
    OverlayMode overlay = OverlayMode::Unknown;
    // Whether the detected CNI enforces NetworkPolicy (Flannel alone does not).
    bool enforcesNetworkPolicy = false;
    bool enforcementKnown = false;
    // What the verdict rests on, for people ("DaemonSet kube-system/calico-node (image …)").
    QStringList evidence;
};

// Looks at DaemonSet names and images, then NodeNetwork items (tunnel devices, CNI config).
CniDetection detectCni(const ClusterSnapshot &snapshot);

} // namespace cartograph
