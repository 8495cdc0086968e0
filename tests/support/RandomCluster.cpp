#include "RandomCluster.h"

namespace cartograph::testing {

IpAddress ip(const QString &text)
{
    const auto parsed = IpAddress::parse(text);
    if (!parsed)
        qFatal("test bug: bad address %s", qPrintable(text));
    return *parsed;
}

Cidr cidr(const QString &text)
{
    const auto parsed = Cidr::parse(text);
    if (!parsed)
        qFatal("test bug: bad CIDR %s", qPrintable(text));
    return *parsed;
}

const QStringList kLabelKeys = {QStringLiteral("app"), QStringLiteral("tier"),
                                QStringLiteral("team"), QStringLiteral("env")};
const QStringList kLabelValues = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                  QStringLiteral("d"), QStringLiteral("e")};
const QStringList kPortNames = {QStringLiteral("http"), QStringLiteral("metrics"),
                                QStringLiteral("dns")};
const QList<int> kPortNumbers = {53, 80, 81, 8080, 8081, 9090};

IpAddress poolAddress(bool v6, int index)
{
    if (v6)
        return ip(QStringLiteral("fd00::%1").arg(index, 0, 16));
    return ip(QStringLiteral("10.0.0.%1").arg(index));
}

Labels ClusterGenerator::labels(int maxCount)
{
    Labels result;
    const int count = pick(maxCount + 1);
    for (int i = 0; i < count; ++i)
        result.insert(oneOf(kLabelKeys), oneOf(m_values));
    return result;
}

LabelSelector ClusterGenerator::selector()
{
    using Op = LabelSelectorRequirement::Operator;
    LabelSelector result;
    if (chance(25))
        return result; // {}: everything
    const int matchLabels = pick(3);
    for (int i = 0; i < matchLabels; ++i)
        result.matchLabels.insert(oneOf(kLabelKeys), oneOf(m_values));
    const int expressions = pick(3);
    for (int i = 0; i < expressions; ++i) {
        LabelSelectorRequirement requirement;
        requirement.key = oneOf(kLabelKeys);
        requirement.op = Op(pick(4));
        if (requirement.op == Op::In || requirement.op == Op::NotIn) {
            const int values = 1 + pick(2);
            for (int v = 0; v < values; ++v)
                requirement.values.append(oneOf(m_values));
        }
        result.matchExpressions.append(requirement);
    }
    return result;
}

IpBlock ClusterGenerator::ipBlock()
{
    const bool v6 = chance(35);
    const int width = v6 ? 128 : 32;
    IpBlock block;
    if (chance(10)) {
        block.cidr = v6 ? cidr(QStringLiteral("::/0")) : cidr(QStringLiteral("0.0.0.0/0"));
    } else {
        // Prefixes around the address pool: from all of it to one address.
        const int length = width - pick(m_size.poolBits + 1);
        block.cidr = Cidr(poolAddress(v6, pick(m_poolSize)), length);
    }
    const int excepts = pick(3);
    for (int i = 0; i < excepts; ++i) {
        const int length =
            std::min(width, std::max(block.cidr.prefixLength(), width - m_size.poolBits) + pick(4));
        const Cidr except(poolAddress(v6, pick(m_poolSize)), length);
        if (block.cidr.contains(except) && except.prefixLength() > block.cidr.prefixLength())
            block.except.append(except);
    }
    return block;
}

NetworkPolicyPeer ClusterGenerator::peer()
{
    NetworkPolicyPeer result;
    switch (pick(10)) {
    case 0:
    case 1:
    case 2:
        result.podSelector = selector();
        break;
    case 3:
    case 4:
        result.namespaceSelector = selector();
        if (chance(30)) {
            // kubernetes.io/metadata.name, set on every namespace (also one without object).
            result.namespaceSelector = LabelSelector{};
            result.namespaceSelector->matchLabels.insert(
                QStringLiteral("kubernetes.io/metadata.name"),
                oneOf(QStringList{QStringLiteral("ns0"), QStringLiteral("ns1"),
                                  QStringLiteral("loose")}));
        }
        break;
    case 5:
    case 6:
        result.podSelector = selector();
        result.namespaceSelector = selector();
        break;
    case 7:
    case 8:
        result.ipBlock = ipBlock();
        break;
    default:
        if (chance(50))
            result.ipBlock = ipBlock();
        // else: a peer without any field (matches nothing)
        break;
    }
    return result;
}

NetworkPolicyPort ClusterGenerator::port()
{
    NetworkPolicyPort result;
    if (!chance(30))
        result.protocol = kAllProtocols[pick(3)];
    switch (pick(8)) {
    case 0:
    case 1:
    case 2:
        result.portNumber = chance(80) ? oneOf(kPortNumbers) : 1 + pick(100);
        break;
    case 3:
    case 4:
        result.portNumber = chance(70) ? oneOf(kPortNumbers) : 1 + pick(100);
        // endPort ranges; now and then one below port (rejected by validation; admits nothing).
        result.endPort = *result.portNumber + (chance(90) ? pick(30) : -1 - pick(3));
        break;
    case 5:
    case 6:
        result.portName = chance(85) ? oneOf(kPortNames) : QStringLiteral("nosuch");
        break;
    default:
        break; // protocol only
    }
    return result;
}

NetworkPolicy ClusterGenerator::policy(const QStringList &namespaces, int index)
{
    NetworkPolicy result;
    result.namespaceName = chance(90) ? oneOf(namespaces) : QStringLiteral("empty");
    result.name = QStringLiteral("p%1").arg(index);
    result.podSelector = selector();
    if (chance(50)) {
        QList<PolicyType> types;
        if (chance(70))
            types.append(PolicyType::Ingress);
        if (chance(60))
            types.append(PolicyType::Egress);
        result.policyTypes = types; // sometimes empty: the policy affects nothing
    }
    for (QList<NetworkPolicyRule> *rules : {&result.ingress, &result.egress}) {
        const int count = pick(4);
        for (int r = 0; r < count; ++r) {
            NetworkPolicyRule rule;
            const int peers = chance(20) ? 0 : 1 + pick(3);
            for (int p = 0; p < peers; ++p)
                rule.peers.append(peer());
            const int ports = chance(30) ? 0 : 1 + pick(3);
            for (int p = 0; p < ports; ++p)
                rule.ports.append(port());
            rules->append(rule);
        }
    }
    return result;
}

ClusterSnapshot ClusterGenerator::generate()
{
    ClusterSnapshot snapshot;
    const int namespaceCount = 1 + pick(m_size.maxNamespaces);
    QStringList namespaces;
    for (int n = 0; n < namespaceCount; ++n) {
        Namespace ns;
        ns.name = QStringLiteral("ns%1").arg(n);
        ns.labels = labels(2);
        ns.phase = QStringLiteral("Active");
        snapshot.namespaces.append(ns);
        namespaces.append(ns.name);
    }
    if (chance(40))
        namespaces.append(QStringLiteral("loose")); // pods, but no Namespace object

    QList<int> freeV4;
    QList<int> freeV6;
    for (int i = 0; i < m_poolSize; ++i) {
        freeV4.append(i);
        freeV6.append(i);
    }
    const auto take = [&](QList<int> &free) { return free.takeAt(pick(int(free.size()))); };
    const int podCount = m_size.minPods + pick(m_size.maxPods - m_size.minPods + 1);
    for (int p = 0; p < podCount; ++p) {
        Pod pod;
        pod.namespaceName = oneOf(namespaces);
        pod.name = QStringLiteral("pod%1").arg(p);
        pod.labels = labels(3);
        pod.phase = QStringLiteral("Running");
        switch (pick(10)) {
        case 0:
            break; // no IP yet
        case 1:
        case 2:
            pod.podIps = {poolAddress(true, take(freeV6))};
            break;
        case 3:
            pod.podIps = {poolAddress(false, take(freeV4)), poolAddress(true, take(freeV6))};
            break;
        case 4:
            pod.podIps = {poolAddress(true, take(freeV6)), poolAddress(false, take(freeV4))};
            break;
        default:
            pod.podIps = {poolAddress(false, take(freeV4))};
            break;
        }
        pod.hostNetwork = chance(10);
        const int containers = pick(3);
        for (int c = 0; c < containers; ++c) {
            Container container;
            container.name = QStringLiteral("c%1").arg(c);
            const int ports = pick(3);
            for (int i = 0; i < ports; ++i) {
                ContainerPort port;
                port.name = chance(80) ? oneOf(kPortNames) : QString();
                port.containerPort = oneOf(kPortNumbers);
                port.protocol = chance(70) ? Protocol::TCP : kAllProtocols[pick(3)];
                container.ports.append(port);
            }
            pod.containers.append(container);
        }
        snapshot.pods.append(pod);
    }
    const int policyCount = pick(m_size.maxPolicies + 1);
    for (int i = 0; i < policyCount; ++i)
        snapshot.networkPolicies.append(policy(namespaces, i));
    return snapshot;
}

QList<IpAddress> ClusterGenerator::externalAddresses(const ClusterSnapshot &snapshot, int count)
{
    QSet<IpAddress> podAddresses;
    for (const Pod &pod : snapshot.pods) {
        for (const IpAddress &address : pod.podIps)
            podAddresses.insert(address);
    }
    QList<IpAddress> result;
    while (result.size() < count) {
        const bool v6 = chance(40);
        IpAddress address;
        if (chance(80))
            address = poolAddress(v6, pick(m_poolSize));
        else
            address = v6 ? ip(QStringLiteral("2001:db8::%1").arg(pick(1000)))
                         : ip(QStringLiteral("203.0.113.%1").arg(pick(256)));
        if (!podAddresses.contains(address))
            result.append(address);
    }
    return result;
}

// A random single-policy edit of `before`: add a new policy, replace one (same namespace/name,
// new content), or delete one.
ClusterSnapshot randomEdit(ClusterGenerator &generator, const ClusterSnapshot &before,
                           QString *description)
{
    ClusterSnapshot after = before;
    QStringList namespaces;
    for (const Pod &pod : before.pods) {
        if (!namespaces.contains(pod.namespaceName))
            namespaces.append(pod.namespaceName);
    }
    if (namespaces.isEmpty())
        namespaces.append(QStringLiteral("ns0"));
    const int kind = after.networkPolicies.isEmpty() ? 0 : generator.pick(3);
    if (kind == 0) {
        after.networkPolicies.append(generator.policy(namespaces, 100));
        *description = QStringLiteral("add");
    } else {
        const int index = generator.pick(int(after.networkPolicies.size()));
        if (kind == 1) {
            NetworkPolicy replacement = generator.policy(namespaces, index);
            replacement.namespaceName = after.networkPolicies[index].namespaceName;
            replacement.name = after.networkPolicies[index].name;
            after.networkPolicies[index] = replacement;
            *description = QStringLiteral("replace %1").arg(index);
        } else {
            after.networkPolicies.removeAt(index);
            *description = QStringLiteral("delete %1").arg(index);
        }
    }
    return after;
}

} // namespace cartograph::testing
