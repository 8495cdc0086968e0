#include "PolicyEngine.h"

#include <QCoreApplication>
#include <algorithm>

namespace cartograph {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::PolicyEngine", text);
}

const QString kMetadataNameLabel = QStringLiteral("kubernetes.io/metadata.name");

constexpr int kNoPortMatches = -2;
constexpr int kEveryPort = -1;

QString familyName(IpAddress::Family family)
{
    return family == IpAddress::Family::V6 ? QStringLiteral("IPv6") : QStringLiteral("IPv4");
}

QString directionName(PolicyType direction)
{
    return direction == PolicyType::Ingress ? QStringLiteral("ingress") : QStringLiteral("egress");
}

// The index of the first port of the rule that admits `port`/`protocol` on `destination`,
// kEveryPort when the rule lists no ports, kNoPortMatches when none does.
int matchPorts(const QList<NetworkPolicyPort> &ports, const Pod *destination, int port,
               Protocol protocol)
{
    if (ports.isEmpty())
        return kEveryPort;
    for (qsizetype i = 0; i < ports.size(); ++i) {
        const NetworkPolicyPort &rulePort = ports[i];
        if (rulePort.effectiveProtocol() != protocol)
            continue;
        if (rulePort.portNumber) {
            const int first = *rulePort.portNumber;
            const int last = rulePort.endPort.value_or(first);
            if (port >= first && port <= last)
                return int(i);
        } else if (rulePort.portName) {
            // A named port means the destination pod's container port of that name and
            // protocol, also in egress rules; an address has no named ports.
            if (destination && port > 0 &&
                destination->namedPort(*rulePort.portName, protocol) == port)
                return int(i);
        } else {
            return int(i); // protocol only: every port of that protocol
        }
    }
    return kNoPortMatches;
}

QString addressList(const Pod &pod)
{
    QStringList ips;
    for (const IpAddress &address : pod.podIps)
        ips.append(address.toString());
    return ips.isEmpty() ? tr("none") : ips.join(u", ");
}

QString describeMatch(const RuleMatch &match, PolicyType direction)
{
    const QString peer =
        match.peerIndex < 0 ? tr("every peer") : tr("peer %1").arg(match.peerIndex);
    const QString port =
        match.portIndex < 0 ? tr("every port") : tr("port %1").arg(match.portIndex);
    return tr("%1 %2 rule %3, %4, %5")
        .arg(match.policy, directionName(direction), QString::number(match.ruleIndex), peer, port);
}

} // namespace

// One side of the connection once the probe's endpoint is resolved.
struct PolicyEngine::Side
{
    qsizetype podIndex = -1;
    const Pod *pod = nullptr;
    IpAddress address;
    bool explicitAddress = false;
    IpAttribution attribution; // what the address is, for a side that is no pod

    QString describe() const { return pod ? pod->qualifiedName() : address.toString(); }
};

PolicyEngine::PolicyEngine(const ClusterSnapshot &snapshot)
    : m_snapshot(snapshot)
    , m_ipIndex(snapshot)
    , m_cni(detectCni(snapshot))
{
    m_namespaceLabels.reserve(snapshot.namespaces.size());
    for (const Namespace &ns : snapshot.namespaces) {
        Labels labels = ns.labels;
        // The API server sets it on every namespace, to the name, whatever the object says.
        labels.insert(kMetadataNameLabel, ns.name);
        m_namespaceLabels.insert(ns.name, std::move(labels));
    }
    for (qsizetype i = 0; i < snapshot.networkPolicies.size(); ++i)
        m_policiesByNamespace[snapshot.networkPolicies[i].namespaceName].append(i);
    m_podByName.reserve(snapshot.pods.size());
    for (qsizetype i = 0; i < snapshot.pods.size(); ++i)
        m_podByName.insert(snapshot.pods[i].qualifiedName(), i);
    m_nodeByName.reserve(snapshot.nodes.size());
    for (qsizetype i = 0; i < snapshot.nodes.size(); ++i)
        m_nodeByName.insert(snapshot.nodes[i].name, i);
    for (qsizetype i = 0; i < snapshot.endpointSlices.size(); ++i) {
        const EndpointSlice &slice = snapshot.endpointSlices[i];
        if (!slice.serviceName.isEmpty())
            m_slicesByService[slice.namespaceName + u'/' + slice.serviceName].append(i);
    }
}

qsizetype PolicyEngine::findPod(QStringView namespaceName, QStringView name) const
{
    return m_podByName.value(namespaceName.toString() + u'/' + name, -1);
}

Labels PolicyEngine::namespaceLabels(const QString &namespaceName) const
{
    const auto it = m_namespaceLabels.constFind(namespaceName);
    if (it != m_namespaceLabels.constEnd())
        return *it;
    Labels labels;
    labels.insert(kMetadataNameLabel, namespaceName);
    return labels;
}

void PolicyEngine::addCniReason(PolicyVerdict &verdict, const QString &reason) const
{
    if (!verdict.cniDependentReasons.contains(reason))
        verdict.cniDependentReasons.append(reason);
    verdict.cniDependent = true;
}

PolicyVerdict PolicyEngine::check(const PolicyEndpoint &from, const PolicyEndpoint &to,
                                  const ProbePort &port, Protocol protocol) const
{
    PolicyVerdict verdict;
    if (m_cni.enforcementKnown && !m_cni.enforcesNetworkPolicy) {
        verdict.enforced = false;
        verdict.notes.append(
            tr("the CNI plugin (%1) does not enforce NetworkPolicy: the traffic flows whatever "
               "the policies say; the verdict is the one the API defines")
                .arg(cniPluginName(m_cni.plugin)));
    } else if (!m_cni.enforcementKnown) {
        verdict.notes.append(
            tr("the CNI plugin was not recognised, so whether it enforces "
               "NetworkPolicy is unknown; the verdict is the one the API defines"));
    }

    // An endpoint becomes a Side; an address that is a pod's IP becomes that pod.
    auto resolve = [&](const PolicyEndpoint &endpoint, bool destination) -> std::optional<Side> {
        const QString role = destination ? tr("destination") : tr("source");
        Side side;
        if (endpoint.isPod()) {
            if (endpoint.podIndex >= m_snapshot.pods.size()) {
                verdict.notes.append(tr("the %1 pod index %2 is not a pod of the snapshot")
                                         .arg(role, QString::number(endpoint.podIndex)));
                return std::nullopt;
            }
            side.podIndex = endpoint.podIndex;
            side.pod = &m_snapshot.pods[endpoint.podIndex];
            side.address = endpoint.address;
            side.explicitAddress = !endpoint.address.isNull();
            if (side.explicitAddress && !side.pod->podIps.contains(endpoint.address)) {
                verdict.notes.append(
                    tr("%1 is not an IP of pod %2 (its IPs: %3); evaluated as given")
                        .arg(endpoint.address.toString(), side.pod->qualifiedName(),
                             addressList(*side.pod)));
            }
            return side;
        }
        if (endpoint.address.isNull()) {
            verdict.notes.append(tr("the %1 is neither a pod nor an address").arg(role));
            return std::nullopt;
        }
        side.address = endpoint.address;
        side.explicitAddress = true;
        side.attribution = m_ipIndex.lookup(endpoint.address);
        const QString address = endpoint.address.toString();
        switch (side.attribution.kind) {
        case IpAttribution::Kind::Pod:
            side.podIndex = side.attribution.index;
            side.pod = &m_snapshot.pods[side.podIndex];
            verdict.notes.append(
                tr("%1 is the IP of pod %2").arg(address, side.pod->qualifiedName()));
            break;
        case IpAttribution::Kind::Service:
            if (!destination) {
                verdict.notes.append(
                    tr("%1 is the ClusterIP of service %2; services do not originate traffic, so "
                       "it is evaluated as a plain address")
                        .arg(address, m_snapshot.services[side.attribution.index].qualifiedName()));
            }
            break;
        case IpAttribution::Kind::NodeAddress:
            verdict.notes.append(tr("%1 is an address of node %2")
                                     .arg(address, m_snapshot.nodes[side.attribution.index].name));
            break;
        case IpAttribution::Kind::PodCidr:
            verdict.notes.append(
                tr("%1 is inside node %2's pod CIDR %3 but no pod of the snapshot has it; "
                   "evaluated as a plain address")
                    .arg(address, m_snapshot.nodes[side.attribution.index].name,
                         side.attribution.matchedCidr.toString()));
            break;
        case IpAttribution::Kind::External:
            verdict.notes.append(
                tr("%1 belongs to no pod, service or node of the snapshot (outside the cluster)")
                    .arg(address));
            break;
        }
        return side;
    };

    const std::optional<Side> source = resolve(from, false);
    const std::optional<Side> destination = resolve(to, true);
    if (!source || !destination) {
        verdict.allowed = false;
        return verdict;
    }
    if (!destination->pod && destination->attribution.kind == IpAttribution::Kind::Service) {
        checkService(*source, destination->attribution.index, destination->address, port, protocol,
                     verdict);
    } else {
        checkResolved(*source, *destination, port, protocol, verdict);
    }
    return verdict;
}

void PolicyEngine::checkResolved(Side from, Side to, const ProbePort &port, Protocol protocol,
                                 PolicyVerdict &verdict) const
{
    // Both ends of a packet share one family: an explicit address decides, else the source
    // pod's first IP, else the destination pod's.
    IpAddress::Family family = IpAddress::Family::None;
    if (from.explicitAddress)
        family = from.address.family();
    else if (to.explicitAddress)
        family = to.address.family();
    else if (from.pod && !from.pod->podIps.isEmpty())
        family = from.pod->podIps.first().family();
    else if (to.pod && !to.pod->podIps.isEmpty())
        family = to.pod->podIps.first().family();

    auto pickAddress = [&](Side &side) {
        if (!side.pod || !side.address.isNull())
            return;
        if (side.pod->podIps.isEmpty()) {
            verdict.notes.append(tr("pod %1 has no IP (phase %2): no ipBlock can match it")
                                     .arg(side.pod->qualifiedName(), side.pod->phase.isEmpty()
                                                                         ? tr("unknown")
                                                                         : side.pod->phase));
            return;
        }
        for (const IpAddress &ip : side.pod->podIps) {
            if (ip.family() == family) {
                side.address = ip;
                return;
            }
        }
        verdict.notes.append(tr("pod %1 has no %2 address: no ipBlock can match it")
                                 .arg(side.pod->qualifiedName(), familyName(family)));
    };
    pickAddress(from);
    pickAddress(to);
    verdict.resolvedFrom = PolicyEndpoint{from.podIndex, from.address};
    verdict.resolvedTo = PolicyEndpoint{to.podIndex, to.address};

    bool connectable = true;
    if (!from.address.isNull() && !to.address.isNull() &&
        from.address.family() != to.address.family()) {
        connectable = false;
        verdict.notes.append(tr("%1 and %2 are of different address families: no packet goes "
                                "from one to the other")
                                 .arg(from.address.toString(), to.address.toString()));
    }

    int number = 0;
    if (!port.name.isEmpty()) {
        if (to.pod) {
            number = to.pod->namedPort(port.name, protocol);
            if (number == 0) {
                connectable = false;
                verdict.notes.append(
                    tr("pod %1 has no %2 container port named %3: the name "
                       "resolves to nothing, so the probe is denied")
                        .arg(to.pod->qualifiedName(), protocolName(protocol), port.name));
            } else {
                verdict.notes.append(tr("port name %1 resolves to %2/%3 on pod %4")
                                         .arg(port.name, QString::number(number),
                                              protocolName(protocol), to.pod->qualifiedName()));
            }
        } else {
            connectable = false;
            verdict.notes.append(tr("port name %1 can only be resolved against a destination pod, "
                                    "and %2 is none: the probe is denied")
                                     .arg(port.name, to.address.toString()));
        }
    } else {
        number = port.number;
        if (number < 1 || number > 65535) {
            connectable = false;
            verdict.notes.append(
                tr("port %1 is outside 1-65535: the probe is denied").arg(port.number));
        }
    }
    verdict.resolvedPort = number;

    bool egressOnlyIpBlock = false;
    bool ingressOnlyIpBlock = false;
    if (from.pod) {
        verdict.egress = evaluate(PolicyType::Egress, *from.pod, to, to.pod, number, protocol,
                                  &egressOnlyIpBlock);
    }
    if (to.pod) {
        verdict.ingress = evaluate(PolicyType::Ingress, *to.pod, from, to.pod, number, protocol,
                                   &ingressOnlyIpBlock);
    }
    if (!from.pod && !to.pod) {
        verdict.notes.append(
            tr("neither side is a pod: NetworkPolicy does not apply to this traffic"));
    }
    verdict.allowed = connectable && verdict.egress.allowed && verdict.ingress.allowed;

    // Where the API leaves the outcome to the network plugin.
    const auto nodeName = [&](const Side &side) -> QString {
        if (side.pod)
            return side.pod->hostNetwork ? side.pod->nodeName : QString();
        if (side.attribution.kind == IpAttribution::Kind::NodeAddress)
            return m_snapshot.nodes[side.attribution.index].name;
        return {};
    };
    for (const Side *side : {&from, &to}) {
        if (side->pod && side->pod->hostNetwork) {
            addCniReason(verdict,
                         tr("pod %1 uses the host network (its IP is node %2's): NetworkPolicy "
                            "behaviour for host-network pods is undefined, and most CNIs treat "
                            "its traffic as the node's, which policies do not select")
                             .arg(side->pod->qualifiedName(), side->pod->nodeName));
        }
    }
    const QString fromNode = nodeName(from);
    const bool fromOwnNode =
        to.pod && !to.pod->nodeName.isEmpty() &&
        (fromNode == to.pod->nodeName ||
         (!from.pod && !to.pod->hostIp.isNull() && from.address == to.pod->hostIp));
    if (fromOwnNode) {
        addCniReason(verdict,
                     tr("the traffic comes from node %1, where pod %2 runs (kubelet probes and "
                        "other host processes): most CNIs always allow a pod's own node, and "
                        "the API does not say")
                         .arg(to.pod->nodeName, to.pod->qualifiedName()));
    } else if (!from.pod && !fromNode.isEmpty()) {
        addCniReason(verdict, tr("the source %1 is node %2's address: whether ipBlock rules match "
                                 "node addresses depends on the CNI")
                                  .arg(from.address.toString(), fromNode));
    }
    if (!to.pod && to.attribution.kind == IpAttribution::Kind::NodeAddress && from.pod) {
        addCniReason(verdict, tr("the destination %1 is node %2's address: whether ipBlock rules "
                                 "match node addresses depends on the CNI")
                                  .arg(to.address.toString(), nodeName(to)));
    }
    if (from.pod && to.pod && from.podIndex == to.podIndex) {
        addCniReason(verdict,
                     tr("pod %1 connects to itself: the effect of policies on such loopback "
                        "traffic is undefined and CNIs differ (kubernetes/kubernetes#95879)")
                         .arg(from.pod->qualifiedName()));
    }
    // An ipBlock that admits a pod IP matters only when it alone decides the outcome.
    if (verdict.allowed && egressOnlyIpBlock) {
        addCniReason(verdict,
                     tr("egress of %1 admits pod %2 only through an ipBlock holding its "
                        "pod IP (%3): ipBlocks are meant for cluster-external "
                        "addresses, and whether they match pod IPs is up to the CNI")
                         .arg(from.describe(), to.describe(),
                              describeMatch(*verdict.egress.admittedBy, PolicyType::Egress)));
    }
    if (verdict.allowed && ingressOnlyIpBlock) {
        addCniReason(verdict,
                     tr("ingress of %1 admits pod %2 only through an ipBlock holding its "
                        "pod IP (%3): ipBlocks are meant for cluster-external "
                        "addresses, and whether they match pod IPs is up to the CNI")
                         .arg(to.describe(), from.describe(),
                              describeMatch(*verdict.ingress.admittedBy, PolicyType::Ingress)));
    }
}

DirectionVerdict PolicyEngine::evaluate(PolicyType direction, const Pod &subject, const Side &peer,
                                        const Pod *destination, int port, Protocol protocol,
                                        bool *onlyIpBlockAdmits) const
{
    DirectionVerdict result;
    result.evaluated = true;
    bool admitted = false;
    bool admittedBySelector = false;
    const auto policies = m_policiesByNamespace.constFind(subject.namespaceName);
    if (policies != m_policiesByNamespace.constEnd()) {
        for (const qsizetype policyIndex : *policies) {
            const NetworkPolicy &policy = m_snapshot.networkPolicies[policyIndex];
            const bool affects =
                direction == PolicyType::Ingress ? policy.affectsIngress() : policy.affectsEgress();
            if (!affects || !policy.podSelector.matches(subject.labels))
                continue;
            result.selectingPolicies.append(policy.qualifiedName());
            // Once a selector admits (or the peer is no pod, so no ipBlock caveat can arise),
            // later rules only add to the list of selecting policies.
            if (admitted && (admittedBySelector || !peer.pod))
                continue;
            const QList<NetworkPolicyRule> &rules =
                direction == PolicyType::Ingress ? policy.ingress : policy.egress;
            for (qsizetype r = 0; r < rules.size(); ++r) {
                const NetworkPolicyRule &rule = rules[r];
                const int portIndex = matchPorts(rule.ports, destination, port, protocol);
                if (portIndex == kNoPortMatches)
                    continue;
                const auto record = [&](int peerIndex, PeerMatch match) {
                    if (!result.admittedBy) {
                        result.admittedBy =
                            RuleMatch{policy.qualifiedName(), int(r), peerIndex, portIndex};
                    }
                    admitted = true;
                    admittedBySelector |= match == PeerMatch::Selector;
                };
                if (rule.peers.isEmpty()) {
                    record(-1, PeerMatch::Selector);
                } else {
                    for (qsizetype p = 0; p < rule.peers.size(); ++p) {
                        const PeerMatch match = matchPeer(policy, rule.peers[p], peer);
                        if (match != PeerMatch::None)
                            record(int(p), match);
                    }
                }
            }
        }
    }
    result.isolated = !result.selectingPolicies.isEmpty();
    std::sort(result.selectingPolicies.begin(), result.selectingPolicies.end());
    result.allowed = !result.isolated || result.admittedBy.has_value();
    if (onlyIpBlockAdmits)
        *onlyIpBlockAdmits = result.isolated && admitted && peer.pod && !admittedBySelector;
    return result;
}

PolicyEngine::PeerMatch PolicyEngine::matchPeer(const NetworkPolicy &policy,
                                                const NetworkPolicyPeer &peer,
                                                const Side &side) const
{
    if (peer.ipBlock) {
        // Validation keeps ipBlock apart from the selectors; it applies to the peer's address.
        if (side.address.isNull() || !peer.ipBlock->cidr.contains(side.address))
            return PeerMatch::None;
        for (const Cidr &except : peer.ipBlock->except) {
            if (except.contains(side.address))
                return PeerMatch::None;
        }
        return PeerMatch::IpBlock;
    }
    if (!side.pod || (!peer.podSelector && !peer.namespaceSelector))
        return PeerMatch::None;
    if (peer.namespaceSelector) {
        if (!peer.namespaceSelector->matches(namespaceLabels(side.pod->namespaceName)))
            return PeerMatch::None;
    } else if (side.pod->namespaceName != policy.namespaceName) {
        return PeerMatch::None; // podSelector alone: pods of the policy's own namespace
    }
    if (peer.podSelector && !peer.podSelector->matches(side.pod->labels))
        return PeerMatch::None;
    return PeerMatch::Selector;
}

void PolicyEngine::checkService(const Side &from, qsizetype serviceIndex,
                                const IpAddress &clusterIp, const ProbePort &port,
                                Protocol protocol, PolicyVerdict &verdict) const
{
    const Service &service = m_snapshot.services[serviceIndex];
    verdict.service = serviceIndex;
    verdict.resolvedFrom = PolicyEndpoint{from.podIndex, from.address};
    verdict.resolvedTo = PolicyEndpoint::ip(clusterIp);
    verdict.notes.append(tr("%1 is the ClusterIP of service %2: NetworkPolicy sees the backing "
                            "pods after service translation, so each backend is evaluated on "
                            "its targetPort")
                             .arg(clusterIp.toString(), service.qualifiedName()));

    const ServicePort *servicePort = nullptr;
    for (const ServicePort &candidate : service.ports) {
        if (candidate.protocol != protocol)
            continue;
        if (port.name.isEmpty() ? candidate.port == port.number : candidate.name == port.name) {
            servicePort = &candidate;
            break;
        }
    }
    const QString probePort = port.name.isEmpty() ? QString::number(port.number) : port.name;
    if (!servicePort) {
        verdict.allowed = false;
        verdict.notes.append(tr("service %1 has no port %2/%3: nothing forwards the probe")
                                 .arg(service.qualifiedName(), probePort, protocolName(protocol)));
        return;
    }
    verdict.resolvedPort = servicePort->port;

    struct Candidate
    {
        qsizetype podIndex = -1;
        IpAddress address;
        int slicePort = 0;
    };
    QList<Candidate> candidates;
    bool anySlice = false;
    const QString family = familyName(clusterIp.family());
    const auto slices = m_slicesByService.constFind(service.qualifiedName());
    if (slices != m_slicesByService.constEnd()) {
        for (const qsizetype sliceIndex : *slices) {
            const EndpointSlice &slice = m_snapshot.endpointSlices[sliceIndex];
            if (!slice.addressType.isEmpty() && slice.addressType != family)
                continue; // the other family's slice of a dual-stack service
            anySlice = true;
            int slicePort = 0;
            for (const EndpointPort &endpointPort : slice.ports) {
                if (endpointPort.protocol == protocol && endpointPort.name == servicePort->name)
                    slicePort = endpointPort.port;
            }
            for (const EndpointRef &endpoint : slice.endpoints) {
                const QString target = endpoint.targetName.isEmpty() ? endpoint.addresses.value(0)
                                                                     : endpoint.targetName;
                if (!endpoint.ready) {
                    verdict.notes.append(tr("endpoint %1 of EndpointSlice %2 is not ready: "
                                            "kube-proxy sends it no traffic")
                                             .arg(target, slice.name));
                    continue;
                }
                Candidate candidate;
                candidate.slicePort = slicePort;
                if (!endpoint.addresses.isEmpty()) {
                    if (const auto parsed = IpAddress::parse(endpoint.addresses.first()))
                        candidate.address = *parsed;
                }
                if (endpoint.targetKind == u"Pod" && !endpoint.targetName.isEmpty()) {
                    const QString ns = endpoint.targetNamespace.isEmpty()
                                           ? slice.namespaceName
                                           : endpoint.targetNamespace;
                    candidate.podIndex = m_podByName.value(ns + u'/' + endpoint.targetName, -1);
                }
                if (candidate.podIndex < 0 && !candidate.address.isNull()) {
                    const IpAttribution attribution = m_ipIndex.lookup(candidate.address);
                    if (attribution.kind == IpAttribution::Kind::Pod)
                        candidate.podIndex = attribution.index;
                }
                if (candidate.podIndex < 0 && candidate.address.isNull()) {
                    verdict.notes.append(tr("endpoint %1 of EndpointSlice %2 names no pod of the "
                                            "snapshot and no address: skipped")
                                             .arg(target, slice.name));
                    continue;
                }
                const bool duplicate =
                    std::any_of(candidates.cbegin(), candidates.cend(), [&](const Candidate &c) {
                        return candidate.podIndex >= 0 ? c.podIndex == candidate.podIndex
                                                       : c.address == candidate.address;
                    });
                if (!duplicate)
                    candidates.append(candidate);
            }
        }
    }
    if (!anySlice) {
        if (service.selector && !service.selector->isEmpty()) {
            verdict.notes.append(tr("the snapshot holds no %1 EndpointSlice of service %2: its "
                                    "backends are the pods its selector matches")
                                     .arg(family, service.qualifiedName()));
            for (const qsizetype podIndex : m_snapshot.podsSelectedBy(service)) {
                const Pod &pod = m_snapshot.pods[podIndex];
                if (pod.phase == u"Succeeded" || pod.phase == u"Failed")
                    continue;
                candidates.append(Candidate{podIndex, {}, 0});
            }
        }
    }
    if (candidates.isEmpty()) {
        verdict.allowed = false;
        verdict.notes.append(tr("service %1 has no ready backend: nothing answers on %2")
                                 .arg(service.qualifiedName(), clusterIp.toString()));
        return;
    }

    QStringList allowedBackends;
    QStringList deniedBackends;
    for (const Candidate &candidate : std::as_const(candidates)) {
        BackendVerdict backend;
        backend.podIndex = candidate.podIndex;
        const Pod *pod = candidate.podIndex >= 0 ? &m_snapshot.pods[candidate.podIndex] : nullptr;
        if (servicePort->targetPortNumber > 0) {
            backend.targetPort = servicePort->targetPortNumber;
        } else if (!servicePort->targetPortName.isEmpty()) {
            backend.targetPort = pod ? pod->namedPort(servicePort->targetPortName, protocol) : 0;
            if (backend.targetPort == 0)
                backend.targetPort = candidate.slicePort;
        } else {
            backend.targetPort = servicePort->port; // targetPort defaults to port
        }
        const QString name = pod ? pod->qualifiedName() : candidate.address.toString();

        if (backend.targetPort == 0) {
            backend.address = candidate.address;
            backend.allowed = false;
            verdict.notes.append(tr("targetPort %1 of service %2 names no %3 container port of "
                                    "backend %4: the connection fails there")
                                     .arg(servicePort->targetPortName, service.qualifiedName(),
                                          protocolName(protocol), name));
        } else {
            Side backendSide;
            backendSide.podIndex = candidate.podIndex;
            backendSide.pod = pod;
            if (pod) {
                if (!candidate.address.isNull() && pod->podIps.contains(candidate.address))
                    backendSide.address = candidate.address;
                // Pick the backend's address of the ClusterIP's family when the slice gave none.
                if (backendSide.address.isNull()) {
                    for (const IpAddress &ip : pod->podIps) {
                        if (ip.family() == clusterIp.family()) {
                            backendSide.address = ip;
                            break;
                        }
                    }
                }
            } else {
                backendSide.address = candidate.address;
                backendSide.attribution = m_ipIndex.lookup(candidate.address);
            }
            backendSide.explicitAddress = !backendSide.address.isNull();

            PolicyVerdict sub;
            checkResolved(from, backendSide, ProbePort{backend.targetPort, {}}, protocol, sub);
            backend.address = sub.resolvedTo.address;
            backend.allowed = sub.allowed;
            backend.egress = sub.egress;
            backend.ingress = sub.ingress;
            if (!sub.resolvedFrom.address.isNull() && verdict.resolvedFrom.address.isNull())
                verdict.resolvedFrom = sub.resolvedFrom;
            for (const QString &reason : std::as_const(sub.cniDependentReasons))
                addCniReason(verdict, reason);
            for (const QString &note : std::as_const(sub.notes)) {
                if (!verdict.notes.contains(note))
                    verdict.notes.append(note);
            }
        }
        (backend.allowed ? allowedBackends : deniedBackends).append(name);
        if (candidate.podIndex >= 0)
            verdict.resolvedBackends.append(candidate.podIndex);
        verdict.backends.append(std::move(backend));
    }

    const auto firstDenied = std::find_if(verdict.backends.cbegin(), verdict.backends.cend(),
                                          [](const BackendVerdict &b) { return !b.allowed; });
    const BackendVerdict &shown =
        firstDenied != verdict.backends.cend() ? *firstDenied : verdict.backends.first();
    verdict.egress = shown.egress;
    verdict.ingress = shown.ingress;
    verdict.allowed = deniedBackends.isEmpty();

    QStringList targetPorts;
    for (const BackendVerdict &backend : std::as_const(verdict.backends)) {
        const QString text = QString::number(backend.targetPort);
        if (!targetPorts.contains(text))
            targetPorts.append(text);
    }
    verdict.notes.append(QCoreApplication::translate("cartograph::PolicyEngine",
                                                     "service port %1/%2 forwards to targetPort "
                                                     "%3 on %n backend(s)",
                                                     nullptr, int(verdict.backends.size()))
                             .arg(QString::number(servicePort->port), protocolName(protocol),
                                  targetPorts.join(u", ")));
    if (!allowedBackends.isEmpty() && !deniedBackends.isEmpty()) {
        verdict.notes.append(tr("the backends disagree: allowed to %1, denied to %2; which one "
                                "answers depends on kube-proxy's choice, so the service counts "
                                "as denied")
                                 .arg(allowedBackends.join(u", "), deniedBackends.join(u", ")));
    }
}

} // namespace cartograph
