#pragma once

// Test support: seeded random clusters and policy sets for the randomized comparisons of the
// class-based engines (Reachability, WhatIf) with the per-probe PolicyEngine. Reproducible: the
// same seed always gives the same cluster.

#include "ClusterSnapshot.h"

#include <QRandomGenerator>
#include <QSet>
#include <QStringList>

namespace cartograph::testing {

// Parse helpers for literals in tests; a bad literal is a bug in the test (qFatal).
IpAddress ip(const QString &text);
Cidr cidr(const QString &text);

extern const QStringList kLabelKeys;
extern const QStringList kLabelValues;
extern const QStringList kPortNames;
extern const QList<int> kPortNumbers;
constexpr Protocol kAllProtocols[] = {Protocol::TCP, Protocol::UDP, Protocol::SCTP};

// Pod addresses come from small pools, so that ipBlocks and their excepts cut through them.
IpAddress poolAddress(bool v6, int index);

// Small clusters fit every class in one 64-bit word; large ones need several, so the bit rows,
// their ends and the 64×64 transposition of the summaries are exercised too.
struct ClusterSize
{
    int maxNamespaces = 3;
    int minPods = 3;
    int maxPods = 18;
    int maxPolicies = 6;
    int labelValues = 3; // of kLabelValues
    int poolBits = 5;    // pod addresses: 10.0.0.0/27, fd00::/123
};
constexpr ClusterSize kSmall;
constexpr ClusterSize kLarge{5, 150, 250, 14, 5, 8};

class ClusterGenerator
{
public:
    explicit ClusterGenerator(quint32 seed, ClusterSize size = kSmall)
        : m_random(seed)
        , m_size(size)
        , m_poolSize(1 << size.poolBits)
        , m_values(kLabelValues.mid(0, size.labelValues))
    {}

    ClusterSnapshot generate();
    // Addresses that are no pod's: pool addresses (on the blocks' boundaries) and far ones.
    QList<IpAddress> externalAddresses(const ClusterSnapshot &snapshot, int count);
    NetworkPolicy policy(const QStringList &namespaces, int index);
    int pick(int count) { return int(m_random.bounded(count)); }
    bool chance(int percent) { return pick(100) < percent; }

private:
    template <typename T> const T &oneOf(const QList<T> &list)
    {
        return list[pick(int(list.size()))];
    }

    LabelSelector selector();
    Labels labels(int maxCount);
    IpBlock ipBlock();
    NetworkPolicyPeer peer();
    NetworkPolicyPort port();

    QRandomGenerator m_random;
    ClusterSize m_size;
    int m_poolSize;
    QStringList m_values;
};

// A random single-policy edit of `before`: add a new policy, replace one (same namespace/name,
// new content), or delete one. `description` says which ("add", "replace 3", "delete 0").
ClusterSnapshot randomEdit(ClusterGenerator &generator, const ClusterSnapshot &before,
                           QString *description);

} // namespace cartograph::testing
