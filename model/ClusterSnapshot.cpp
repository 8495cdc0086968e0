#include "ClusterSnapshot.h"

namespace cartograph {

qsizetype ClusterSnapshot::objectCount() const
{
    return namespaces.size() + nodes.size() + pods.size() + services.size() +
           endpointSlices.size() + networkPolicies.size() + daemonSets.size() + nodeNetworks.size();
}

qsizetype ClusterSnapshot::findNode(QStringView name) const
{
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        if (nodes[i].name == name)
            return i;
    }
    return -1;
}

qsizetype ClusterSnapshot::findPod(QStringView namespaceName, QStringView name) const
{
    for (qsizetype i = 0; i < pods.size(); ++i) {
        if (pods[i].name == name && pods[i].namespaceName == namespaceName)
            return i;
    }
    return -1;
}

qsizetype ClusterSnapshot::findService(QStringView namespaceName, QStringView name) const
{
    for (qsizetype i = 0; i < services.size(); ++i) {
        if (services[i].name == name && services[i].namespaceName == namespaceName)
            return i;
    }
    return -1;
}

const NodeNetwork *ClusterSnapshot::nodeNetwork(QStringView nodeName) const
{
    for (const auto &network : nodeNetworks) {
        if (network.nodeName == nodeName)
            return &network;
    }
    return nullptr;
}

QList<qsizetype> ClusterSnapshot::podsSelectedBy(const Service &service) const
{
    QList<qsizetype> result;
    // A service without selector (or with an empty one) selects no pods: its endpoints are
    // managed by hand, as kube-controller-manager's endpoint controller does.
    if (!service.selector || service.selector->isEmpty())
        return result;
    LabelSelector selector;
    selector.matchLabels = *service.selector;
    for (qsizetype i = 0; i < pods.size(); ++i) {
        if (pods[i].namespaceName == service.namespaceName && selector.matches(pods[i].labels))
            result.append(i);
    }
    return result;
}

QList<qsizetype> ClusterSnapshot::podsOnNode(QStringView nodeName) const
{
    QList<qsizetype> result;
    for (qsizetype i = 0; i < pods.size(); ++i) {
        if (pods[i].nodeName == nodeName)
            result.append(i);
    }
    return result;
}

} // namespace cartograph
