#pragma once

#include "ClusterSnapshot.h"
#include "PolicyEngine.h"
#include "Reachability.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace cartograph {

// A pod pair whose verdict changes; indices into ClusterSnapshot::pods (the same in both).
struct PodPairChange
{
    qsizetype fromPod = -1;
    qsizetype toPod = -1;
    bool allowedAfter = false; // true: deny → allow; false: allow → deny
};

// Ordered pod pairs from one namespace (workload) to another whose verdict flips.
struct WorkloadPairChange
{
    QString from; // workload (Reachability::workloadOf())
    QString to;
    qint64 allowToDeny = 0;
    qint64 denyToAllow = 0;
};

struct NamespacePairChange
{
    QString from;
    QString to;
    qint64 allowToDeny = 0;
    qint64 denyToAllow = 0;
    QList<WorkloadPairChange> workloads; // sorted by (from, to)
    QList<PodPairChange> podPairs;       // the first WhatIfOptions::maxPodPairs, by pod index
    qint64 morePodPairs = 0;             // flipped pairs not listed
};

// Ports that neither the before nor the after policies can tell apart.
struct PortClassChange
{
    PortClass portClass;
    qint64 allowToDeny = 0;
    qint64 denyToAllow = 0;
    QList<NamespacePairChange> namespaces; // sorted by (from, to)
};

// One flow of a `cartograph-cli flows` JSON file, as the policy sees it: A opened it to B.
struct ObservedFlow
{
    qsizetype index = -1;             // in the file's "flows" array
    QString protocolText;             // as written ("TCP", "ICMP", 17, ...)
    std::optional<Protocol> protocol; // none for protocols NetworkPolicy does not cover
    IpAddress from;
    IpAddress to;
    int port = 0; // B's port; 0 when the flow has none
};

struct FlowChange
{
    ObservedFlow flow;
    bool allowedBefore = false;
    bool allowedAfter = false;
    bool cniDependent = false;   // before or after
    PolicyEndpoint resolvedFrom; // as PolicyEngine::check() resolved them (after the edit)
    PolicyEndpoint resolvedTo;
};

struct WhatIfOptions
{
    int maxPodPairs = 20; // listed per namespace pair
};

struct WhatIfResult
{
    QList<PortClassChange> portClasses; // only port classes with changes, TCP, UDP, SCTP order
    qint64 allowToDeny = 0;             // pod pairs × port classes
    qint64 denyToAllow = 0;
    // Flows (when given): every flow whose verdict flips, and how many were checked or skipped
    // (a protocol NetworkPolicy does not cover, no port).
    QList<FlowChange> flowChanges;
    qsizetype flowsChecked = 0;
    qsizetype flowsSkipped = 0;
};

// The difference a set of policy edits makes: `after` is `before` with NetworkPolicies added,
// replaced or deleted; pods, namespaces and everything else must be the same (same indices;
// with a different pod count the result is empty).
//
// Computed from a Reachability of `before` and one of `after` derived from it. Pods are grouped by
// (class before, class after, workload), ports by (port class before, port class after), and pairs
// of groups are compared once per port group, never pod × pod. The comparison is restricted to what
// the edit can change: the policies that differ by namespace/name (added, deleted, or with
// different selectors, rules or types) select some classes for egress and ingress
// (Reachability::classesSelectedBy(), old and new version); only pairs whose source is such an
// egress class or whose destination such an ingress class are compared. Policies whose name repeats
// on a side count as edited (Reachability::policiesFromBase()).
WhatIfResult computeWhatIf(const ClusterSnapshot &before, const ClusterSnapshot &after,
                           const WhatIfOptions &options = {});
// The same from a Reachability of `before` that is already built (a what-if sandbox keeps it
// while the user edits): `after`'s side is derived from it (Reachability::withEditedPolicies()),
// so the cost is that of the edit, not of the cluster's policies.
WhatIfResult computeWhatIf(const Reachability &before, const ClusterSnapshot &after,
                           const WhatIfOptions &options = {});

// The verdict of every observed flow before and after (PolicyEngine::check(), addresses resolved
// to pods); fills result.flowChanges, flowsChecked and flowsSkipped.
void addFlowChanges(const ClusterSnapshot &before, const ClusterSnapshot &after,
                    const QList<ObservedFlow> &flows, WhatIfResult &result);

// Reads {"flows": [{"protocol": ..., "a": {"ip", "port"}, "b": {"ip", "port"}}, ...]}, the
// `cartograph-cli flows` JSON. On failure returns nothing and sets `error`.
std::optional<QList<ObservedFlow>> parseFlowsJson(const QByteArray &data, QString *error);

} // namespace cartograph
