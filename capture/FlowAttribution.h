#pragma once

#include "ClusterSnapshot.h"
#include "IpIndex.h"

#include <QHash>
#include <QString>
#include <cstdint>
#include <optional>

namespace cartograph::capture {

// Who an address (and port) is in cluster terms.
struct ClusterEndpoint
{
    enum class Kind : std::uint8_t
    {
        Pod,
        Service,
        Node,
        External,
    };
    Kind kind = Kind::External;
    QString namespaceName; // pods and services
    QString name;          // pod, service or node name; empty for an unknown pod in a pod CIDR
    QString nodeName;      // pods: the node they run on (set for an unknown pod in a pod CIDR)

    friend bool operator==(const ClusterEndpoint &, const ClusterEndpoint &) = default;
};
QString clusterEndpointKindName(ClusterEndpoint::Kind kind);

// Attributes flow endpoints through a snapshot's IP index:
// - a pod's own IP → that pod; a service ClusterIP (or external IP, load-balancer ingress IP)
//   → that service;
// - a node address with a service's nodePort (same protocol) → that service (NodePort);
// - a node address and a port that exactly one pod on that node declares, as a hostPort or as
//   the containerPort of a host-network pod → that pod; kube-apiserver (6443) and etcd
//   (2379/2380) host-network static pods are also recognised by their kubeadm `component`
//   label or name prefix when they declare no ports, again only when exactly one matches;
//   anything else on a node address (kubelet 10250 included) → the node;
// - an address of a node's interface from its NodeNetwork (cni0, flannel.1, tunl0) → the node;
// - an address inside a node's pod CIDR that no pod holds → an unknown pod on that node;
// - anything else → external.
// Built once per snapshot, then read-only (safe to share across threads).
class EndpointAttributor
{
public:
    EndpointAttributor() = default; // no snapshot: every address is external
    explicit EndpointAttributor(ClusterSnapshot snapshot);

    bool hasSnapshot() const { return m_hasSnapshot; }

    // protocol: the IP protocol number; port only counts for TCP (6), UDP (17) and SCTP (132).
    ClusterEndpoint endpoint(const IpAddress &address, std::optional<std::uint16_t> port,
                             std::uint8_t protocol) const;
    // The node an address belongs to (node address or node interface address), for the
    // outer addresses of tunnels; empty when none.
    QString nodeName(const IpAddress &address) const;

    const ClusterSnapshot &snapshot() const { return m_snapshot; }

private:
    qsizetype nodeIndex(const IpAddress &address) const;
    ClusterEndpoint onNode(qsizetype node, std::optional<std::uint16_t> port,
                           std::uint8_t protocol) const;

    ClusterSnapshot m_snapshot;
    IpIndex m_index;
    bool m_hasSnapshot = false;
    QHash<IpAddress, qsizetype> m_interfaceNodes;     // NodeNetwork interface address → node
    QHash<IpAddress, qsizetype> m_externalServiceIps; // externalIPs, LB ingress → service
    QHash<quint32, qsizetype> m_nodePorts;            // (protocol << 16 | nodePort) → service
    QHash<QString, QList<qsizetype>> m_podsByNode;    // pods that bind node addresses
};

} // namespace cartograph::capture
