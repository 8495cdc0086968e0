#pragma once

#include "ClusterSnapshot.h"
#include "CniDetection.h"
#include "IpIndex.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cartograph {

// One side of a connection as NetworkPolicy sees it: a pod of the snapshot, or an address
// (outside the cluster, a node, or a service ClusterIP before translation).
struct PolicyEndpoint
{
    qsizetype podIndex = -1; // into ClusterSnapshot::pods; -1 for an address
    IpAddress address;       // the pod's first IP of the probe's family, or the given address

    static PolicyEndpoint pod(qsizetype index) { return PolicyEndpoint{index, {}}; }
    static PolicyEndpoint ip(const IpAddress &address) { return PolicyEndpoint{-1, address}; }
    bool isPod() const { return podIndex >= 0; }

    friend bool operator==(const PolicyEndpoint &, const PolicyEndpoint &) = default;
};

// The destination port of a probe: a number, or a name resolved against the destination pod's
// container ports (so one name can mean different numbers on different pods, or nothing).
// For a service ClusterIP destination the name is the service port's name. A non-empty name
// wins over the number.
struct ProbePort
{
    int number = 0;
    QString name;
};

// The rule that admitted the traffic: indices as written in the policy (0-based).
struct RuleMatch
{
    QString policy;     // namespace/name
    int ruleIndex = -1; // in spec.ingress or spec.egress
    int peerIndex = -1; // in from/to; -1 when the rule has no peers (every peer)
    int portIndex = -1; // in ports; -1 when the rule has no ports (every port)

    friend bool operator==(const RuleMatch &, const RuleMatch &) = default;
};

// One direction of the verdict: the source pod's egress, or the destination pod's ingress.
struct DirectionVerdict
{
    bool evaluated = false;        // false when that side is not a pod (policies do not apply)
    bool isolated = false;         // some policy selects the pod for this direction
    QStringList selectingPolicies; // namespace/name of every policy that selects it, sorted
    std::optional<RuleMatch> admittedBy; // the first rule (policy order, then rule, peer, port)
    bool allowed = true;
};

// A service ClusterIP destination, resolved: one backing endpoint and its own verdict.
struct BackendVerdict
{
    qsizetype podIndex = -1; // -1: an EndpointSlice address that is no pod of the snapshot
    IpAddress address;       // the backend address the policy sees
    int targetPort = 0;      // the service port translated for this backend; 0 when unresolved
    bool allowed = false;
    DirectionVerdict egress;
    DirectionVerdict ingress;
};

struct PolicyVerdict
{
    bool allowed = true; // egress of the source AND ingress of the destination
    // Where the API leaves the outcome to the CNI: host-network pods on either side, traffic
    // from the destination pod's own node. The verdict is still the one the API defines.
    bool cniDependent = false;
    QStringList cniDependentReasons;
    DirectionVerdict egress;
    DirectionVerdict ingress;
    // A service ClusterIP destination is resolved to its endpoints (policies see pod IPs after
    // service translation): the backing pods in EndpointSlice order, and each one's verdict.
    // egress/ingress above then repeat the first denying backend (else the first backend).
    QList<qsizetype> resolvedBackends;
    QList<BackendVerdict> backends;
    qsizetype service = -1; // into ClusterSnapshot::services when the destination was a ClusterIP
    // The endpoints as evaluated: an address that belongs to a pod becomes that pod, and each pod
    // side carries the address the policy saw (empty when the pod has none of that family).
    PolicyEndpoint resolvedFrom;
    PolicyEndpoint resolvedTo;
    // The destination port number evaluated (a named probe port resolved); for a service
    // ClusterIP the service port (each backend has its targetPort).
    int resolvedPort = 0;
    // Facts people need beside the verdict ("Flannel does not enforce NetworkPolicy", "port
    // name http resolves to 8080 on the destination pod", ...).
    QStringList notes;
    bool enforced = true; // false when the detected CNI does not enforce NetworkPolicy
};

// Evaluates networking.k8s.io/v1 NetworkPolicy exactly as the Kubernetes API reference defines
// it. Built once per snapshot (which must outlive it); check() is const and thread safe.
class PolicyEngine
{
public:
    explicit PolicyEngine(const ClusterSnapshot &snapshot);

    PolicyVerdict check(const PolicyEndpoint &from, const PolicyEndpoint &to, const ProbePort &port,
                        Protocol protocol) const;

    const ClusterSnapshot &snapshot() const { return m_snapshot; }
    const CniDetection &cni() const { return m_cni; }
    // Index of the pod namespace/name in the snapshot, -1 when absent (hashed, no scan).
    qsizetype findPod(QStringView namespaceName, QStringView name) const;
    // The labels a namespace selector sees: the snapshot's, plus kubernetes.io/metadata.name
    // (which the API server sets on every namespace, so also for one the snapshot lacks).
    Labels namespaceLabels(const QString &namespaceName) const;

private:
    struct Side;
    enum class PeerMatch
    {
        None,
        Selector, // podSelector/namespaceSelector, or a rule without peers
        IpBlock,
    };

    void checkResolved(Side from, Side to, const ProbePort &port, Protocol protocol,
                       PolicyVerdict &verdict) const;
    void checkService(const Side &from, qsizetype serviceIndex, const IpAddress &clusterIp,
                      const ProbePort &port, Protocol protocol, PolicyVerdict &verdict) const;
    DirectionVerdict evaluate(PolicyType direction, const Pod &subject, const Side &peer,
                              const Pod *destination, int port, Protocol protocol,
                              bool *onlyIpBlockAdmits) const;
    PeerMatch matchPeer(const NetworkPolicy &policy, const NetworkPolicyPeer &peer,
                        const Side &side) const;
    void addCniReason(PolicyVerdict &verdict, const QString &reason) const;

    const ClusterSnapshot &m_snapshot;
    IpIndex m_ipIndex;
    CniDetection m_cni;
    // Namespace labels by name (a namespace missing from the snapshot has only the
    // kubernetes.io/metadata.name label the API server adds to every namespace).
    QHash<QString, Labels> m_namespaceLabels;
    // Policies by namespace, indices into snapshot.networkPolicies, in snapshot order.
    QHash<QString, QList<qsizetype>> m_policiesByNamespace;
    // Lookups check() needs without scanning: pods by namespace/name (EndpointSlice targetRefs),
    // nodes by name, EndpointSlices by namespace/service.
    QHash<QString, qsizetype> m_podByName;
    QHash<QString, qsizetype> m_nodeByName;
    QHash<QString, QList<qsizetype>> m_slicesByService;
};

} // namespace cartograph
