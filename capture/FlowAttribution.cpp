#include "FlowAttribution.h"

namespace cartograph::capture {

namespace {

std::uint8_t ipProtocol(Protocol protocol)
{
    switch (protocol) {
    case Protocol::TCP:
        return 6;
    case Protocol::UDP:
        return 17;
    case Protocol::SCTP:
        return 132;
    }
    return 0;
}

bool hasPortNumbers(std::uint8_t protocol)
{
    return protocol == 6 || protocol == 17 || protocol == 132;
}

quint32 portKey(std::uint8_t protocol, std::uint16_t port)
{
    return (quint32(protocol) << 16) | port;
}

// kubeadm's static control-plane pods run with hostNetwork and often declare no ports; their
// `component` label (and name prefix, <component>-<node>) says what listens on the well-known
// port. The kubelet (10250) is the node itself, not a pod.
QString wellKnownComponent(std::uint16_t port)
{
    switch (port) {
    case 6443:
        return QStringLiteral("kube-apiserver");
    case 2379:
    case 2380:
        return QStringLiteral("etcd");
    default:
        return {};
    }
}

bool declaresPort(const Pod &pod, std::uint16_t port, std::uint8_t protocol)
{
    for (const Container &container : pod.containers) {
        for (const ContainerPort &declared : container.ports) {
            if (ipProtocol(declared.protocol) != protocol)
                continue;
            if (declared.hostPort == port)
                return true;
            if (pod.hostNetwork && declared.containerPort == port)
                return true;
        }
    }
    return false;
}

bool bindsNodeAddress(const Pod &pod)
{
    if (pod.hostNetwork)
        return true;
    for (const Container &container : pod.containers) {
        for (const ContainerPort &declared : container.ports) {
            if (declared.hostPort != 0)
                return true;
        }
    }
    return false;
}

bool isRunning(const Pod &pod)
{
    return pod.phase != u"Succeeded" && pod.phase != u"Failed";
}

} // namespace

QString clusterEndpointKindName(ClusterEndpoint::Kind kind)
{
    switch (kind) {
    case ClusterEndpoint::Kind::Pod:
        return QStringLiteral("pod");
    case ClusterEndpoint::Kind::Service:
        return QStringLiteral("service");
    case ClusterEndpoint::Kind::Node:
        return QStringLiteral("node");
    case ClusterEndpoint::Kind::External:
        return QStringLiteral("external");
    }
    return {};
}

EndpointAttributor::EndpointAttributor(ClusterSnapshot snapshot)
    : m_snapshot(std::move(snapshot))
    , m_index(m_snapshot)
    , m_hasSnapshot(true)
{
    for (const NodeNetwork &network : m_snapshot.nodeNetworks) {
        const qsizetype node = m_snapshot.findNode(network.nodeName);
        if (node < 0)
            continue;
        for (const NetworkInterface &interface : network.interfaces) {
            for (const InterfaceAddress &address : interface.addresses) {
                if (!address.address.isNull() && !m_interfaceNodes.contains(address.address))
                    m_interfaceNodes.insert(address.address, node);
            }
            if (!interface.tunnelLocal.isNull() &&
                !m_interfaceNodes.contains(interface.tunnelLocal))
                m_interfaceNodes.insert(interface.tunnelLocal, node);
        }
    }
    for (qsizetype i = 0; i < m_snapshot.services.size(); ++i) {
        const Service &service = m_snapshot.services[i];
        for (const ServicePort &port : service.ports) {
            if (port.nodePort > 0 && port.nodePort <= 0xffff)
                m_nodePorts.insert(portKey(ipProtocol(port.protocol), std::uint16_t(port.nodePort)),
                                   i);
        }
        QStringList addresses = service.externalIps;
        addresses += service.loadBalancerIngress;
        for (const QString &text : addresses) {
            if (const auto address = IpAddress::parse(QStringView(text)))
                m_externalServiceIps.insert(*address, i);
        }
    }
    for (qsizetype i = 0; i < m_snapshot.pods.size(); ++i) {
        const Pod &pod = m_snapshot.pods[i];
        if (!pod.nodeName.isEmpty() && isRunning(pod) && bindsNodeAddress(pod))
            m_podsByNode[pod.nodeName].append(i);
    }
}

qsizetype EndpointAttributor::nodeIndex(const IpAddress &address) const
{
    const IpAttribution attribution = m_index.lookup(address);
    if (attribution.kind == IpAttribution::Kind::NodeAddress)
        return attribution.index;
    return m_interfaceNodes.value(address, -1);
}

QString EndpointAttributor::nodeName(const IpAddress &address) const
{
    if (!m_hasSnapshot)
        return {};
    const qsizetype node = nodeIndex(address);
    return node >= 0 ? m_snapshot.nodes[node].name : QString();
}

ClusterEndpoint EndpointAttributor::onNode(qsizetype node, std::optional<std::uint16_t> port,
                                           std::uint8_t protocol) const
{
    const Node &n = m_snapshot.nodes[node];
    if (port && hasPortNumbers(protocol)) {
        if (const auto it = m_nodePorts.constFind(portKey(protocol, *port));
            it != m_nodePorts.constEnd()) {
            const Service &service = m_snapshot.services[*it];
            return ClusterEndpoint{
                ClusterEndpoint::Kind::Service, service.namespaceName, service.name, {}};
        }
        const QList<qsizetype> pods = m_podsByNode.value(n.name);
        auto single = [&](auto &&matches) -> qsizetype {
            qsizetype found = -1;
            for (qsizetype index : pods) {
                if (!matches(m_snapshot.pods[index]))
                    continue;
                if (found >= 0)
                    return -1; // two candidates: not certain
                found = index;
            }
            return found;
        };
        qsizetype pod = single([&](const Pod &p) { return declaresPort(p, *port, protocol); });
        const QString component = protocol == 6 ? wellKnownComponent(*port) : QString();
        if (pod < 0 && !component.isEmpty()) {
            pod = single([&](const Pod &p) {
                return p.hostNetwork && (p.labels.value(u"component") == component ||
                                         p.name.startsWith(component + u'-'));
            });
        }
        if (pod >= 0) {
            const Pod &p = m_snapshot.pods[pod];
            return ClusterEndpoint{ClusterEndpoint::Kind::Pod, p.namespaceName, p.name, p.nodeName};
        }
    }
    return ClusterEndpoint{ClusterEndpoint::Kind::Node, {}, n.name, {}};
}

ClusterEndpoint EndpointAttributor::endpoint(const IpAddress &address,
                                             std::optional<std::uint16_t> port,
                                             std::uint8_t protocol) const
{
    if (!m_hasSnapshot)
        return {};
    const IpAttribution attribution = m_index.lookup(address);
    switch (attribution.kind) {
    case IpAttribution::Kind::Pod: {
        const Pod &pod = m_snapshot.pods[attribution.index];
        return ClusterEndpoint{ClusterEndpoint::Kind::Pod, pod.namespaceName, pod.name,
                               pod.nodeName};
    }
    case IpAttribution::Kind::Service: {
        const Service &service = m_snapshot.services[attribution.index];
        return ClusterEndpoint{
            ClusterEndpoint::Kind::Service, service.namespaceName, service.name, {}};
    }
    case IpAttribution::Kind::NodeAddress:
        return onNode(attribution.index, port, protocol);
    case IpAttribution::Kind::PodCidr: {
        // The bridge and tunnel device addresses of a node sit in its pod CIDR too.
        const qsizetype node = m_interfaceNodes.value(address, -1);
        if (node >= 0)
            return ClusterEndpoint{
                ClusterEndpoint::Kind::Node, {}, m_snapshot.nodes[node].name, {}};
        return ClusterEndpoint{
            ClusterEndpoint::Kind::Pod, {}, {}, m_snapshot.nodes[attribution.index].name};
    }
    case IpAttribution::Kind::External:
        break;
    }
    if (const qsizetype node = m_interfaceNodes.value(address, -1); node >= 0)
        return onNode(node, port, protocol);
    if (const qsizetype service = m_externalServiceIps.value(address, -1); service >= 0) {
        const Service &s = m_snapshot.services[service];
        return ClusterEndpoint{ClusterEndpoint::Kind::Service, s.namespaceName, s.name, {}};
    }
    return {};
}

} // namespace cartograph::capture
