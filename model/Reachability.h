#pragma once

#include "ClusterSnapshot.h"
#include "PolicyEngine.h"

#include <QList>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

namespace cartograph {

// An inclusive range of port numbers.
struct PortRange
{
    int first = 0;
    int last = 0;

    friend bool operator==(const PortRange &, const PortRange &) = default;
};

// Ports of one protocol that no rule of any policy can tell apart: every number a policy
// mentions (a port, an endPort range, the number a named port resolves to on some pod) bounds
// a class, and the numbers no policy mentions form one "any other port" class. The classes of
// a protocol cover 1-65535 exactly once, so a matrix per port class covers every port.
struct PortClass
{
    Protocol protocol = Protocol::TCP;
    QList<PortRange> ranges; // ascending, disjoint
    // True when the class is one number that a named port resolves to on some pod.
    bool namedPortNumber = false;

    int representative() const { return ranges.isEmpty() ? 0 : ranges.first().first; }
    bool contains(int port) const;
    QString toString() const; // "TCP 80", "TCP 8000-8099", "UDP 1-52, 54-65535"
};

// An inclusive range of addresses of one family.
struct AddressRange
{
    IpAddress first;
    IpAddress last;
};

// Endpoints that no policy can tell apart.
//
// A pod class holds the pods of one namespace that agree on everything a policy can look at:
// which policies select them, which peers (podSelector/namespaceSelector, ipBlock) they match,
// the numbers of the named ports the policies use, the family of their first IP, and the host
// network flag (which the verdict does not depend on, but CNI-dependence does).
//
// An address class is a set of addresses outside the pod network that every ipBlock either
// holds entirely or not at all; NetworkPolicy sees such an address only through ipBlocks. Each
// family's address classes cover all its addresses. A node address is such an address (its
// verdict is CNI-dependent, which PolicyEngine::check() flags); a service ClusterIP is not an
// endpoint at all — policies see its backends, so resolve it first (PolicyEngine::check() does).
struct EndpointClass
{
    enum class Kind
    {
        Pods,
        Addresses,
    };
    Kind kind = Kind::Pods;
    QString namespaceName; // Pods
    QList<qsizetype> pods; // Pods: snapshot indices, ascending
    bool hostNetwork = false;
    // Pods: the family of their first IP (None when they have no IP). Addresses: their family.
    IpAddress::Family family = IpAddress::Family::None;
    QList<AddressRange> addresses; // Addresses: ascending, disjoint

    bool isPods() const { return kind == Kind::Pods; }
    QString toString() const; // "shop: 12 pods" or "IPv4 10.0.0.0-10.0.0.255, ..."
};

// Ordered pairs of pods between two namespaces (or two workloads) on one port class.
// Every ordered pair counts, a pod with itself included.
struct PairCount
{
    QString from;
    QString to;
    qint64 allowed = 0;
    qint64 denied = 0;

    friend bool operator==(const PairCount &, const PairCount &) = default;
};

struct PortClassSummary
{
    PortClass portClass;
    QList<PairCount> namespacePairs; // every pair of namespaces with pods, sorted by (from, to)
};

// Cluster-wide reachability under the snapshot's NetworkPolicies, computed on equivalence
// classes of endpoints and ports, never pod × pod. Agrees with PolicyEngine::check() on the
// verdict of every pod → pod probe and every probe between a pod and an address that is no pod's
// and no ClusterIP. Explanations and CNI-dependence (host network, loopback, a pod's own node,
// ipBlocks matching pod IPs) stay PolicyEngine::check()'s job; the classes keep the host-network
// flag so that a caller knows where to ask.
//
// Design. Pods are grouped by what selectors can read of them (namespace, and their labels
// projected onto the keys and values selectors mention), their named-port numbers, IP family
// and ipBlock address classes; those groups are then split by every distinct selector until
// no selector separates two groups of one class (partition refinement: the coarsest classes
// with equal signatures). Port classes come from the port numbers, ranges and named-port
// numbers the policies use. For every isolated class and port class there is one bit row over
// all classes: the destinations its egress admits, the sources its ingress admits. A row depends
// only on the class's "profile" — the policies that select it for that direction (plus its IP
// family for egress ipBlocks, its named-port numbers for ingress) — so rows are computed per
// profile, and identical rows are stored once. allowed(src, dst) = egress[src][dst] AND
// ingress[dst][src]; a class that no policy isolates has no row (everything admitted).
//
// Edits (what-if). withEditedPolicies() derives the reachability of the same pods under other
// policies from what this build learnt: unchanged policies keep their analysis, pods keep their
// groups and selectors their matches unless the edit mentions labels, named ports or ipBlocks no
// policy mentioned before (then pods are regrouped and the old matches carried over); only the
// edited policies' selectors are evaluated. What is rebuilt is per class and profile.
//
// Built once per snapshot (which must outlive it). A cheap, immutable value: copies share the
// data, and every const member is thread safe.
class Reachability
{
public:
    Reachability();
    explicit Reachability(const ClusterSnapshot &snapshot);

    // The reachability of `edited`: this snapshot with NetworkPolicies added, replaced or
    // deleted, and everything else (namespaces, pods and their order) the same. Equal to
    // Reachability(edited) in every verdict; its classes may be finer. Both snapshots must
    // outlive the call; `edited` must outlive the result.
    Reachability withEditedPolicies(const ClusterSnapshot &edited) const;
    // Makes the per-snapshot indexes that edits and what-ifs use (workloads(), the pods' labels,
    // named ports and addresses in flat arrays) now, rather than on the first edit: a sandbox
    // calls it off the GUI thread when it opens. Thread safe; shared with derived reachabilities.
    void prepareEdits() const;
    // For a reachability from withEditedPolicies(): per policy of its snapshot, the index of the
    // same policy (namespace/name and effect) in the base snapshot, or -1 for one added,
    // changed, or sharing its name with another. Empty for one built in full.
    const std::vector<int> &policiesFromBase() const;

    // The snapshot this was built for.
    const ClusterSnapshot &snapshot() const;

    // Classes: pod classes first, [0, podClassCount()), ordered by namespace; then the address
    // classes, IPv4 then IPv6, each family covering all its addresses.
    qsizetype classCount() const;
    qsizetype podClassCount() const;
    const EndpointClass &endpointClass(qsizetype classIndex) const;
    qsizetype classOfPod(qsizetype podIndex) const;
    const QList<qsizetype> &members(qsizetype classIndex) const; // pods; empty for addresses
    // The address class holding an address outside the pod network; -1 for a null address.
    // Resolve pod IPs to their pods first (IpIndex): a pod is seen as a pod, not an address.
    qsizetype classOfAddress(const IpAddress &address) const;

    const QList<PortClass> &portClasses() const;
    qsizetype portClassOf(int port, Protocol protocol) const; // -1 outside 1-65535

    // The verdict between two classes on one port class.
    bool allowedBetweenClasses(qsizetype fromClass, qsizetype toClass, qsizetype portClass) const;
    // The destination classes the source class can reach on a port class.
    QList<qsizetype> allowedDestinations(qsizetype fromClass, qsizetype portClass) const;
    // A row and a column of the verdict matrix on one port class, for comparisons in bulk: bit c
    // (word c / 64, bit c % 64) is set when fromClass may reach class c, or class c may reach
    // toClass. Every class has its bit; a class or port class out of range gives no bits set.
    std::vector<std::uint64_t> destinationsAllowedFrom(qsizetype fromClass,
                                                       qsizetype portClass) const;
    std::vector<std::uint64_t> sourcesAllowedTo(qsizetype toClass, qsizetype portClass) const;

    // Probes as PolicyEngine::check() takes them (a named port resolves against the
    // destination pod; unresolved names and ports outside 1-65535 are denied), answered from
    // the classes.
    bool allowed(qsizetype fromPod, qsizetype toPod, const ProbePort &port,
                 Protocol protocol) const;
    bool allowedToAddress(qsizetype fromPod, const IpAddress &to, int port,
                          Protocol protocol) const;
    bool allowedFromAddress(const IpAddress &from, qsizetype toPod, const ProbePort &port,
                            Protocol protocol) const;

    // The pod classes a policy selects for a direction (empty when the policy does not
    // affect that direction): the rows an edit of that policy changes.
    QList<qsizetype> classesSelectedBy(qsizetype policyIndex, PolicyType direction) const;

    // Allowed and denied pod pairs per pair of namespaces on one port class; what a what-if
    // diffs. namespaceSummaries() covers every port class, using every core.
    QList<PairCount> namespaceSummary(qsizetype portClass) const;
    QList<PortClassSummary> namespaceSummaries() const;
    // The drill-down of one namespace pair: per pair of workloads (workloadOf()).
    QList<PairCount> workloadSummary(qsizetype portClass, const QString &fromNamespace,
                                     const QString &toNamespace) const;
    // "Deployment/web" (a ReplicaSet owner with the pod-template-hash suffix), "StatefulSet/db",
    // "Pod/debug" for a pod without controller.
    static QString workloadOf(const Pod &pod);
    // Every pod's workload as an id (pods of one namespace and workload share it) and the ids'
    // workloadOf() names. Made on first use, thread safe, shared with derived reachabilities.
    struct Workloads
    {
        std::vector<qint32> ofPod;
        QStringList names;
    };
    const Workloads &workloads() const;

    struct Statistics
    {
        qsizetype pods = 0;
        qsizetype podClasses = 0;
        qsizetype addressClasses = 0;
        qsizetype portClasses = 0;
        qsizetype distinctSelectors = 0;
        qsizetype egressProfiles = 0;
        qsizetype ingressProfiles = 0;
        qsizetype distinctRows = 0; // bit rows stored after deduplication
        qint64 rowBytes = 0;
    };
    Statistics statistics() const;

private:
    struct Data;
    class Builder;
    std::shared_ptr<const Data> d;
};

} // namespace cartograph
