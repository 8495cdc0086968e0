#include "IpIndex.h"

#include <algorithm>

namespace cartograph {

QString attributionKindName(IpAttribution::Kind kind)
{
    switch (kind) {
    case IpAttribution::Kind::Pod:
        return QStringLiteral("pod");
    case IpAttribution::Kind::Service:
        return QStringLiteral("service");
    case IpAttribution::Kind::NodeAddress:
        return QStringLiteral("node");
    case IpAttribution::Kind::PodCidr:
        return QStringLiteral("pod-cidr");
    case IpAttribution::Kind::External:
        return QStringLiteral("external");
    }
    return {};
}

IpIndex::IpIndex(const ClusterSnapshot &snapshot)
{
    m_exact.reserve(snapshot.pods.size() + snapshot.services.size() + snapshot.nodes.size() * 2);
    // Node addresses first: host-network pods report the node's IP as their pod IP, and the
    // address belongs to the node, not to whichever of those pods came last.
    for (qsizetype i = 0; i < snapshot.nodes.size(); ++i) {
        const Node &node = snapshot.nodes[i];
        for (const auto &address : node.addresses) {
            if (const auto ip = IpAddress::parse(address.address))
                m_exact.insert(*ip, IpAttribution{IpAttribution::Kind::NodeAddress, i, {}});
        }
        for (const Cidr &cidr : node.podCidrs)
            addPrefix(cidr, i);
    }
    for (qsizetype i = 0; i < snapshot.services.size(); ++i) {
        for (const IpAddress &ip : snapshot.services[i].clusterIps)
            m_exact.insert(ip, IpAttribution{IpAttribution::Kind::Service, i, {}});
    }
    for (qsizetype i = 0; i < snapshot.pods.size(); ++i) {
        const Pod &pod = snapshot.pods[i];
        if (pod.hostNetwork)
            continue;
        // Finished pods keep their IP in status but no longer own it; a running pod wins.
        const bool finished = pod.phase == u"Succeeded" || pod.phase == u"Failed";
        for (const IpAddress &ip : pod.podIps) {
            auto it = m_exact.find(ip);
            if (it == m_exact.end())
                m_exact.insert(ip, IpAttribution{IpAttribution::Kind::Pod, i, {}});
            else if (!finished && it->kind == IpAttribution::Kind::Pod)
                *it = IpAttribution{IpAttribution::Kind::Pod, i, {}};
        }
    }
    std::sort(m_v4Lengths.begin(), m_v4Lengths.end(), std::greater<>());
    std::sort(m_v6Lengths.begin(), m_v6Lengths.end(), std::greater<>());
}

void IpIndex::addPrefix(const Cidr &cidr, qsizetype nodeIndex)
{
    if (cidr.isNull())
        return;
    const int length = cidr.prefixLength();
    if (cidr.network().isV4()) {
        m_v4Prefixes[size_t(length)].insert(cidr.network(), nodeIndex);
        if (!m_v4Lengths.contains(length))
            m_v4Lengths.append(length);
    } else {
        m_v6Prefixes[size_t(length)].insert(cidr.network(), nodeIndex);
        if (!m_v6Lengths.contains(length))
            m_v6Lengths.append(length);
    }
}

qsizetype IpIndex::prefixCount() const
{
    qsizetype count = 0;
    for (const auto &table : m_v4Prefixes)
        count += table.size();
    for (const auto &table : m_v6Prefixes)
        count += table.size();
    return count;
}

qsizetype IpIndex::nodeForPodAddress(const IpAddress &address, Cidr *matched) const
{
    if (address.isNull())
        return -1;
    const bool v4 = address.isV4();
    const auto &lengths = v4 ? m_v4Lengths : m_v6Lengths;
    for (int length : lengths) {
        const IpAddress network = address.masked(length);
        const auto &table = v4 ? m_v4Prefixes[size_t(length)] : m_v6Prefixes[size_t(length)];
        const auto it = table.constFind(network);
        if (it != table.constEnd()) {
            if (matched)
                *matched = Cidr(network, length);
            return *it;
        }
    }
    return -1;
}

IpAttribution IpIndex::lookup(const IpAddress &address) const
{
    if (const auto it = m_exact.constFind(address); it != m_exact.constEnd())
        return *it;
    Cidr matched;
    const qsizetype node = nodeForPodAddress(address, &matched);
    if (node >= 0)
        return IpAttribution{IpAttribution::Kind::PodCidr, node, matched};
    return IpAttribution{};
}

} // namespace cartograph
