#pragma once

#include "ClusterTypes.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace cartograph {

// Everything known about one cluster at one moment: what a List snapshot holds, parsed.
// A plain value: cheap to move, safe to hand across threads once built.
struct ClusterSnapshot
{
    QList<Namespace> namespaces;
    QList<Node> nodes;
    QList<Pod> pods;
    QList<Service> services;
    QList<EndpointSlice> endpointSlices;
    QList<NetworkPolicy> networkPolicies;
    QList<DaemonSet> daemonSets;
    QList<NodeNetwork> nodeNetworks;

    QString clusterDomain = QStringLiteral("cluster.local");
    // Items of kinds Cartograph does not model (Deployment, ConfigMap, …), counted by kind.
    QMap<QString, qint64> skippedKinds;
    // Files or resources the snapshot was read from, in order.
    QStringList sources;

    qsizetype objectCount() const;

    // Lookups by name; -1 when absent. Linear; build a SnapshotIndex for repeated use.
    qsizetype findNode(QStringView name) const;
    qsizetype findPod(QStringView namespaceName, QStringView name) const;
    qsizetype findService(QStringView namespaceName, QStringView name) const;
    const NodeNetwork *nodeNetwork(QStringView nodeName) const;

    // Pods whose labels the service's selector matches (same namespace), by index.
    QList<qsizetype> podsSelectedBy(const Service &service) const;
    // Indices of pods scheduled on the node.
    QList<qsizetype> podsOnNode(QStringView nodeName) const;
};

} // namespace cartograph
