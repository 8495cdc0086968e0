#include "ClusterTypes.h"

namespace cartograph {

QString protocolName(Protocol protocol)
{
    switch (protocol) {
    case Protocol::TCP:
        return QStringLiteral("TCP");
    case Protocol::UDP:
        return QStringLiteral("UDP");
    case Protocol::SCTP:
        return QStringLiteral("SCTP");
    }
    return {};
}

std::optional<Protocol> protocolFromName(QStringView name)
{
    if (name == u"TCP")
        return Protocol::TCP;
    if (name == u"UDP")
        return Protocol::UDP;
    if (name == u"SCTP")
        return Protocol::SCTP;
    return std::nullopt;
}

bool isValidPortName(QStringView name)
{
    if (name.isEmpty() || name.size() > 15 || name.front() == u'-' || name.back() == u'-' ||
        name.contains(u"--"))
        return false;
    bool letter = false;
    for (QChar c : name) {
        const char16_t u = c.unicode();
        if (u >= u'a' && u <= u'z')
            letter = true;
        else if (!((u >= u'0' && u <= u'9') || u == u'-'))
            return false;
    }
    return letter;
}

QList<IpAddress> Node::ipAddresses() const
{
    QList<IpAddress> result;
    for (const QString &type : {QStringLiteral("InternalIP"), QStringLiteral("ExternalIP")}) {
        for (const auto &address : addresses) {
            if (address.type != type)
                continue;
            if (const auto ip = IpAddress::parse(address.address); ip && !result.contains(*ip))
                result.append(*ip);
        }
    }
    return result;
}

IpAddress Node::internalIp() const
{
    for (const auto &address : addresses) {
        if (address.type == u"InternalIP") {
            if (const auto ip = IpAddress::parse(address.address))
                return *ip;
        }
    }
    const auto all = ipAddresses();
    return all.isEmpty() ? IpAddress() : all.first();
}

int Pod::namedPort(QStringView portName, Protocol protocol) const
{
    for (const auto &container : containers) {
        for (const auto &port : container.ports) {
            if (port.name == portName && port.protocol == protocol)
                return port.containerPort;
        }
    }
    return 0;
}

QString serviceTypeName(ServiceType type)
{
    switch (type) {
    case ServiceType::ClusterIP:
        return QStringLiteral("ClusterIP");
    case ServiceType::NodePort:
        return QStringLiteral("NodePort");
    case ServiceType::LoadBalancer:
        return QStringLiteral("LoadBalancer");
    case ServiceType::ExternalName:
        return QStringLiteral("ExternalName");
    }
    return {};
}

QString Service::dnsName(const QString &clusterDomain) const
{
    return name + u'.' + namespaceName + QStringLiteral(".svc.") + clusterDomain;
}

bool NetworkPolicy::affectsIngress() const
{
    if (!policyTypes)
        return true;
    return policyTypes->contains(PolicyType::Ingress);
}

bool NetworkPolicy::affectsEgress() const
{
    if (!policyTypes)
        return !egress.isEmpty();
    return policyTypes->contains(PolicyType::Egress);
}

namespace {
struct KindName
{
    InterfaceKind kind;
    const char16_t *name;
};
constexpr KindName kInterfaceKinds[] = {
    {InterfaceKind::Loopback, u"loopback"}, {InterfaceKind::Ethernet, u"ethernet"},
    {InterfaceKind::Bridge, u"bridge"},     {InterfaceKind::Veth, u"veth"},
    {InterfaceKind::Vxlan, u"vxlan"},       {InterfaceKind::IpIp, u"ipip"},
    {InterfaceKind::Geneve, u"geneve"},     {InterfaceKind::WireGuard, u"wireguard"},
    {InterfaceKind::Gre, u"gre"},           {InterfaceKind::Dummy, u"dummy"},
    {InterfaceKind::Other, u"other"},
};
} // namespace

QString interfaceKindName(InterfaceKind kind)
{
    for (const auto &entry : kInterfaceKinds) {
        if (entry.kind == kind)
            return QString::fromUtf16(entry.name);
    }
    return QStringLiteral("other");
}

std::optional<InterfaceKind> interfaceKindFromName(QStringView name)
{
    for (const auto &entry : kInterfaceKinds) {
        if (name == QStringView(entry.name))
            return entry.kind;
    }
    // ip -d link's own names for the same things.
    if (name == u"loopback" || name == u"lo")
        return InterfaceKind::Loopback;
    if (name == u"ether")
        return InterfaceKind::Ethernet;
    if (name == u"wg")
        return InterfaceKind::WireGuard;
    if (name == u"gretap" || name == u"ip6gre")
        return InterfaceKind::Gre;
    if (name == u"ip6tnl" || name == u"sit")
        return InterfaceKind::IpIp;
    return std::nullopt;
}

bool isTunnel(InterfaceKind kind)
{
    switch (kind) {
    case InterfaceKind::Vxlan:
    case InterfaceKind::IpIp:
    case InterfaceKind::Geneve:
    case InterfaceKind::WireGuard:
    case InterfaceKind::Gre:
        return true;
    default:
        return false;
    }
}

namespace {

bool samePort(const NetworkPolicyPort &a, const NetworkPolicyPort &b)
{
    return a.protocol == b.protocol && a.portNumber == b.portNumber && a.portName == b.portName &&
           a.endPort == b.endPort;
}

bool samePeer(const NetworkPolicyPeer &a, const NetworkPolicyPeer &b)
{
    if (a.podSelector != b.podSelector || a.namespaceSelector != b.namespaceSelector ||
        a.ipBlock.has_value() != b.ipBlock.has_value())
        return false;
    return !a.ipBlock ||
           (a.ipBlock->cidr == b.ipBlock->cidr && a.ipBlock->except == b.ipBlock->except);
}

bool sameRules(const QList<NetworkPolicyRule> &a, const QList<NetworkPolicyRule> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype r = 0; r < a.size(); ++r) {
        const NetworkPolicyRule &x = a.at(r);
        const NetworkPolicyRule &y = b.at(r);
        if (x.peers.size() != y.peers.size() || x.ports.size() != y.ports.size())
            return false;
        for (qsizetype i = 0; i < x.peers.size(); ++i) {
            if (!samePeer(x.peers.at(i), y.peers.at(i)))
                return false;
        }
        for (qsizetype i = 0; i < x.ports.size(); ++i) {
            if (!samePort(x.ports.at(i), y.ports.at(i)))
                return false;
        }
    }
    return true;
}

} // namespace

bool sameNetworkPolicyEffect(const NetworkPolicy &a, const NetworkPolicy &b)
{
    return a.namespaceName == b.namespaceName && a.podSelector == b.podSelector &&
           a.policyTypes == b.policyTypes && sameRules(a.ingress, b.ingress) &&
           sameRules(a.egress, b.egress);
}

} // namespace cartograph
