#pragma once

#include "ClusterSnapshot.h"
#include "IpAddress.h"

#include <QHash>
#include <QList>
#include <array>

namespace cartograph {

// What an address is, in cluster terms.
struct IpAttribution
{
    enum class Kind
    {
        Pod,         // a pod's own IP (not host network)
        Service,     // a service ClusterIP
        NodeAddress, // a node's InternalIP/ExternalIP (host-network pods share it)
        PodCidr,     // not a known pod, but inside a node's pod CIDR
        External,    // none of the above
    };
    Kind kind = Kind::External;
    qsizetype index = -1; // into pods / services / nodes (node for PodCidr too)
    Cidr matchedCidr;     // PodCidr: the node range that contains the address

    friend bool operator==(const IpAttribution &, const IpAttribution &) = default;
};

QString attributionKindName(IpAttribution::Kind kind);

// Answers "what is this address?" for one snapshot: exact match on pod, service and node
// addresses, then longest prefix over node pod CIDRs. Built once, then read-only.
class IpIndex
{
public:
    IpIndex() = default;
    explicit IpIndex(const ClusterSnapshot &snapshot);

    IpAttribution lookup(const IpAddress &address) const;
    // Longest-prefix match over the pod CIDRs only; -1 when none contains the address.
    qsizetype nodeForPodAddress(const IpAddress &address, Cidr *matched = nullptr) const;

    qsizetype exactEntryCount() const { return m_exact.size(); }
    qsizetype prefixCount() const;

private:
    void addPrefix(const Cidr &cidr, qsizetype nodeIndex);

    QHash<IpAddress, IpAttribution> m_exact;
    // One hash per prefix length and family; lengths in use are probed longest first.
    std::array<QHash<IpAddress, qsizetype>, 33> m_v4Prefixes;
    std::array<QHash<IpAddress, qsizetype>, 129> m_v6Prefixes;
    QList<int> m_v4Lengths; // descending
    QList<int> m_v6Lengths; // descending
};

} // namespace cartograph
