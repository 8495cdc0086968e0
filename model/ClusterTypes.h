#pragma once

#include "IpAddress.h"
#include "Labels.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>
#include <variant>

namespace cartograph {

enum class Protocol
{
    TCP,
    UDP,
    SCTP
};
QString protocolName(Protocol protocol);
std::optional<Protocol> protocolFromName(QStringView name);

// IANA_SVC_NAME, what a named port must be (container ports, targetPort, NetworkPolicy ports):
// at most 15 lowercase letters, digits and '-', at least one letter, no '-' at either end, no "--".
bool isValidPortName(QStringView name);

struct OwnerReference
{
    QString kind;
    QString name;
    bool controller = false;
    friend bool operator==(const OwnerReference &, const OwnerReference &) = default;
};

struct Namespace
{
    QString name;
    Labels labels;
    QString phase; // Active / Terminating
};

struct NodeAddress
{
    QString type; // InternalIP, ExternalIP, Hostname, InternalDNS, ExternalDNS
    QString address;
};

struct Taint
{
    QString key;
    QString value;
    QString effect; // NoSchedule, PreferNoSchedule, NoExecute
};

enum class ConditionStatus
{
    True,
    False,
    Unknown
};

struct Node
{
    QString name;
    Labels labels;
    QList<NodeAddress> addresses;
    QList<Cidr> podCidrs; // spec.podCIDRs (falls back to spec.podCIDR)
    ConditionStatus ready = ConditionStatus::Unknown;
    QString readyReason;
    QString readyMessage;
    QString lastHeartbeat; // RFC 3339, as the API gives it
    QString kubeletVersion;
    QString osImage;
    QString containerRuntime;
    QString architecture;
    QList<Taint> taints;
    QStringList roles; // from node-role.kubernetes.io/<role> labels
    bool unschedulable = false;

    // Addresses that are IPs (InternalIP first, then ExternalIP), parsed.
    QList<IpAddress> ipAddresses() const;
    IpAddress internalIp() const;
};

struct ContainerPort
{
    QString name;
    int containerPort = 0;
    int hostPort = 0;
    Protocol protocol = Protocol::TCP;
};

struct Container
{
    QString name;
    QString image;
    QList<ContainerPort> ports;
    bool init = false; // an init (or native sidecar) container
};

struct Pod
{
    QString namespaceName;
    QString name;
    QString uid;
    Labels labels;
    std::optional<OwnerReference> owner; // the controller owner, when there is one
    QString nodeName;
    QList<IpAddress> podIps; // status.podIPs (falls back to status.podIP)
    IpAddress hostIp;
    bool hostNetwork = false;
    QList<Container> containers;
    QString phase; // Pending, Running, Succeeded, Failed, Unknown
    bool ready = false;
    // Static pods are read by the kubelet from staticPodPath; the API holds their mirror pod,
    // marked by the kubernetes.io/config.mirror annotation (and owner kind Node).
    bool mirrorPod = false;
    QString configSource; // kubernetes.io/config.source: file, api, http

    QString qualifiedName() const { return namespaceName + u'/' + name; }
    // Resolves a named container port ("http") to its number on this pod; 0 when absent.
    int namedPort(QStringView portName, Protocol protocol) const;
};

enum class ServiceType
{
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName
};
QString serviceTypeName(ServiceType type);

struct ServicePort
{
    QString name;
    Protocol protocol = Protocol::TCP;
    int port = 0;
    // targetPort is an int-or-string in the API; both kept.
    int targetPortNumber = 0;
    QString targetPortName;
    int nodePort = 0;
    QString appProtocol;
};

struct Service
{
    QString namespaceName;
    QString name;
    Labels labels;
    ServiceType type = ServiceType::ClusterIP;
    QList<IpAddress> clusterIps; // empty for headless ("None") and ExternalName services
    bool headless = false;
    QList<ServicePort> ports;
    std::optional<Labels> selector; // absent: endpoints are managed by hand
    QString externalName;
    QStringList externalIps;
    QStringList loadBalancerIngress;
    QString externalTrafficPolicy;

    QString qualifiedName() const { return namespaceName + u'/' + name; }
    // <svc>.<ns>.svc.<clusterDomain>
    QString dnsName(const QString &clusterDomain) const;
};

struct EndpointRef
{
    QStringList addresses;
    bool ready = true;
    bool serving = true;
    bool terminating = false;
    QString nodeName;
    QString targetKind; // usually Pod
    QString targetNamespace;
    QString targetName;
};

struct EndpointPort
{
    QString name;
    int port = 0;
    Protocol protocol = Protocol::TCP;
};

struct EndpointSlice
{
    QString namespaceName;
    QString name;
    QString serviceName; // label kubernetes.io/service-name
    QString addressType; // IPv4, IPv6, FQDN
    QList<EndpointRef> endpoints;
    QList<EndpointPort> ports;
};

// networking.k8s.io/v1 NetworkPolicy, every field kept as the API defines it.
struct NetworkPolicyPort
{
    std::optional<Protocol> protocol; // absent means TCP
    // int-or-string; absent means every port
    std::optional<int> portNumber;
    std::optional<QString> portName;
    std::optional<int> endPort;

    Protocol effectiveProtocol() const { return protocol.value_or(Protocol::TCP); }
};

struct IpBlock
{
    Cidr cidr;
    QList<Cidr> except;
};

struct NetworkPolicyPeer
{
    std::optional<LabelSelector> podSelector;
    std::optional<LabelSelector> namespaceSelector;
    std::optional<IpBlock> ipBlock;
};

// One ingress (from) or egress (to) rule. Empty peers means every peer, empty ports every port.
struct NetworkPolicyRule
{
    QList<NetworkPolicyPeer> peers;
    QList<NetworkPolicyPort> ports;
};

enum class PolicyType
{
    Ingress,
    Egress
};

struct NetworkPolicy
{
    QString namespaceName;
    QString name;
    Labels labels;
    LabelSelector podSelector;
    QList<NetworkPolicyRule> ingress;
    QList<NetworkPolicyRule> egress;
    // As written; absent means: Ingress, plus Egress when egress rules exist.
    std::optional<QList<PolicyType>> policyTypes;

    QString qualifiedName() const { return namespaceName + u'/' + name; }
    bool affectsIngress() const;
    bool affectsEgress() const;
};

// True when both policies read and admit exactly the same: namespace, podSelector, policyTypes as
// written, and the rules in order (name and labels aside). Equivalent policies written
// differently compare unequal; callers treat that as an edit, which costs work, never exactness.
bool sameNetworkPolicyEffect(const NetworkPolicy &a, const NetworkPolicy &b);

struct DaemonSet
{
    QString namespaceName;
    QString name;
    Labels labels;
    QStringList containerNames;
    QStringList images;
    bool hostNetwork = false;
    int desired = 0;
    int ready = 0;

    QString qualifiedName() const { return namespaceName + u'/' + name; }
};

// Node-level facts the API does not hold, written by the Cartograph agent as items of kind
// NodeNetwork in API group cartograph.io (see resources/demo/README.md for the schema).
enum class InterfaceKind
{
    Loopback,
    Ethernet,
    Bridge,
    Veth,
    Vxlan,
    IpIp,
    Geneve,
    WireGuard,
    Gre,
    Dummy,
    Other
};
QString interfaceKindName(InterfaceKind kind);
std::optional<InterfaceKind> interfaceKindFromName(QStringView name);
bool isTunnel(InterfaceKind kind);

struct InterfaceAddress
{
    IpAddress address; // the interface's own address (not masked)
    int prefixLength = 0;
    IpAddress broadcast;
    QString scope; // global, link, host
};

struct NetworkInterface
{
    QString name;
    InterfaceKind kind = InterfaceKind::Other;
    int mtu = 0;
    QString mac;
    QString state; // UP, DOWN, UNKNOWN
    QList<InterfaceAddress> addresses;
    QString master;     // the bridge a port belongs to
    QString peerPod;    // veth: namespace/name of the pod on the other end
    QString peerIfName; // veth: the interface name inside the pod (eth0)
    // Tunnels
    std::optional<int> vni;
    int udpPort = 0;
    IpAddress tunnelLocal;
    IpAddress tunnelRemote;
    QString underlayDevice;
};

struct Route
{
    Cidr destination; // 0.0.0.0/0 for default
    IpAddress gateway;
    QString device;
    bool onLink = false;
    QString protocol; // kernel, boot, bird, static
};

struct NodeNetwork
{
    QString nodeName;
    QList<NetworkInterface> interfaces;
    QList<Route> routes;
    QString cniConfigFile;
    QString cniNetworkName;
    QStringList cniPlugins;
    QString staticPodPath;
};

} // namespace cartograph
