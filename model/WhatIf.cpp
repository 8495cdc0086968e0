#include "WhatIf.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace cartograph {

namespace {

// Pods that both sides' classes and the workload summary cannot tell apart.
struct PodGroup
{
    qsizetype classBefore = -1;
    qsizetype classAfter = -1;
    QString namespaceName;
    QString workload;
    QList<qsizetype> pods; // ascending
};

// Ports that both sides' port classes cannot tell apart.
struct PortGroup
{
    qsizetype classBefore = -1;
    qsizetype classAfter = -1;
    PortClass portClass;
};

QList<PortGroup> jointPortClasses(const Reachability &before, const Reachability &after)
{
    QList<PortGroup> groups;
    for (Protocol protocol : {Protocol::TCP, Protocol::UDP, Protocol::SCTP}) {
        std::set<int> bounds{1, 65536};
        for (const Reachability *side : {&before, &after}) {
            for (const PortClass &portClass : side->portClasses()) {
                if (portClass.protocol != protocol)
                    continue;
                for (const PortRange &range : portClass.ranges) {
                    bounds.insert(range.first);
                    bounds.insert(range.last + 1);
                }
            }
        }
        std::map<std::pair<qsizetype, qsizetype>, qsizetype> byPair;
        for (auto it = bounds.begin(); std::next(it) != bounds.end(); ++it) {
            const int first = *it;
            const int last = *std::next(it) - 1;
            if (first < 1 || last > 65535 || first > last)
                continue;
            const qsizetype b = before.portClassOf(first, protocol);
            const qsizetype a = after.portClassOf(first, protocol);
            auto [slot, inserted] = byPair.try_emplace({b, a}, groups.size());
            if (inserted) {
                PortGroup group;
                group.classBefore = b;
                group.classAfter = a;
                group.portClass.protocol = protocol;
                group.portClass.namedPortNumber =
                    (b >= 0 && before.portClasses().at(b).namedPortNumber) ||
                    (a >= 0 && after.portClasses().at(a).namedPortNumber);
                groups.append(group);
            }
            QList<PortRange> &ranges = groups[slot->second].portClass.ranges;
            if (!ranges.isEmpty() && ranges.last().last + 1 == first)
                ranges.last().last = last;
            else
                ranges.append(PortRange{first, last});
        }
    }
    return groups;
}

} // namespace

WhatIfResult computeWhatIf(const ClusterSnapshot &before, const ClusterSnapshot &after,
                           const WhatIfOptions &options)
{
    if (before.pods.size() != after.pods.size()) {
        Q_ASSERT(false);
        return {}; // not a policy edit: the pods must be the same on both sides
    }
    return computeWhatIf(Reachability(before), after, options);
}

WhatIfResult computeWhatIf(const Reachability &reachBefore, const ClusterSnapshot &after,
                           const WhatIfOptions &options)
{
    WhatIfResult result;
    const ClusterSnapshot &before = reachBefore.snapshot();
    Q_ASSERT(before.pods.size() == after.pods.size());
    if (before.pods.size() != after.pods.size())
        return result; // not a policy edit: the pods must be the same on both sides
    const Reachability reachAfter = reachBefore.withEditedPolicies(after);

    QList<PodGroup> groups;
    {
        const Reachability::Workloads &workloads = reachBefore.workloads();
        std::unordered_map<quint64, qsizetype> byKey;
        const quint64 classes =
            quint64(std::max(reachBefore.classCount(), reachAfter.classCount()));
        const quint64 workloadCount = quint64(workloads.names.size());
        quint64 previousKey = ~quint64(0);
        qsizetype previousGroup = -1;
        for (qsizetype pod = 0; pod < before.pods.size(); ++pod) {
            const quint64 b = quint64(reachBefore.classOfPod(pod));
            const quint64 a = quint64(reachAfter.classOfPod(pod));
            const quint64 workload = quint64(workloads.ofPod[size_t(pod)]);
            const quint64 key = (b * classes + a) * workloadCount + workload;
            if (key != previousKey) {
                const auto [it, inserted] = byKey.try_emplace(key, groups.size());
                if (inserted) {
                    groups.append(PodGroup{qsizetype(b),
                                           qsizetype(a),
                                           before.pods.at(pod).namespaceName,
                                           workloads.names.at(qsizetype(workload)),
                                           {}});
                }
                previousKey = key;
                previousGroup = it->second;
            }
            groups[previousGroup].pods.append(pod);
        }
    }

    // Only rows of the edited policies' classes change: a pair can flip only when the source's
    // egress or the destination's ingress is selected by an edited policy, old or new version.
    std::vector<char> sourceAffected(size_t(groups.size()), 0);
    std::vector<char> destinationAffected(size_t(groups.size()), 0);
    // The edit as the derivation saw it: policies of `after` it could not take over unchanged
    // from `before` (added, changed, or sharing a name), and those of `before` nothing took.
    QList<qsizetype> editedBefore;
    QList<qsizetype> editedAfter;
    {
        const std::vector<int> &fromBefore = reachAfter.policiesFromBase();
        std::vector<char> taken(size_t(before.networkPolicies.size()), 0);
        for (size_t i = 0; i < fromBefore.size(); ++i) {
            if (fromBefore[i] >= 0)
                taken[size_t(fromBefore[i])] = 1;
            else
                editedAfter.append(qsizetype(i));
        }
        for (size_t i = 0; i < taken.size(); ++i) {
            if (!taken[i])
                editedBefore.append(qsizetype(i));
        }
    }
    {
        for (const auto &[direction, affected] :
             {std::pair{PolicyType::Egress, &sourceAffected},
              std::pair{PolicyType::Ingress, &destinationAffected}}) {
            QSet<qsizetype> classesBefore;
            QSet<qsizetype> classesAfter;
            for (qsizetype policy : editedBefore) {
                for (qsizetype c : reachBefore.classesSelectedBy(policy, direction))
                    classesBefore.insert(c);
            }
            for (qsizetype policy : editedAfter) {
                for (qsizetype c : reachAfter.classesSelectedBy(policy, direction))
                    classesAfter.insert(c);
            }
            for (qsizetype g = 0; g < groups.size(); ++g) {
                (*affected)[size_t(g)] = classesBefore.contains(groups.at(g).classBefore) ||
                                         classesAfter.contains(groups.at(g).classAfter);
            }
        }
    }
    QList<qsizetype> affectedDestinations;
    for (qsizetype g = 0; g < groups.size(); ++g) {
        if (destinationAffected[size_t(g)])
            affectedDestinations.append(g);
    }

    for (const PortGroup &port : jointPortClasses(reachBefore, reachAfter)) {
        PortClassChange change;
        change.portClass = port.portClass;
        // (from ns, to ns) → change; (from ns, to ns, from workload, to workload) → counts.
        std::map<std::pair<QString, QString>, NamespacePairChange> namespaces;
        std::map<std::tuple<QString, QString, QString, QString>, WorkloadPairChange> workloads;
        // Flipped group pairs per namespace pair, to list pod pairs in pod order afterwards.
        std::map<std::pair<QString, QString>, QList<std::pair<qsizetype, qsizetype>>> flipped;
        const auto record = [&](qsizetype g1, qsizetype g2, bool isAllowed) {
            const PodGroup &from = groups.at(g1);
            const PodGroup &to = groups.at(g2);
            const qint64 pairs = qint64(from.pods.size()) * to.pods.size();
            NamespacePairChange &ns = namespaces[{from.namespaceName, to.namespaceName}];
            ns.from = from.namespaceName;
            ns.to = to.namespaceName;
            WorkloadPairChange &wl =
                workloads[{from.namespaceName, to.namespaceName, from.workload, to.workload}];
            wl.from = from.workload;
            wl.to = to.workload;
            (isAllowed ? ns.denyToAllow : ns.allowToDeny) += pairs;
            (isAllowed ? wl.denyToAllow : wl.allowToDeny) += pairs;
            (isAllowed ? change.denyToAllow : change.allowToDeny) += pairs;
            flipped[{from.namespaceName, to.namespaceName}].append({g1, g2});
        };
        // Verdicts in bulk: a row (every destination of a source class) or a column (every
        // source of a destination class) of each side's matrix, once per class.
        using Bits = std::vector<std::uint64_t>;
        const auto bit = [](const Bits &bits, qsizetype index) {
            return (bits[size_t(index) / 64] >> (index % 64)) & 1u;
        };
        std::unordered_map<qsizetype, Bits> rowsBefore, rowsAfter, columnsBefore, columnsAfter;
        const auto cached = [](std::unordered_map<qsizetype, Bits> &cache, qsizetype cls,
                               const auto &make) -> const Bits & {
            auto it = cache.find(cls);
            if (it == cache.end())
                it = cache.emplace(cls, make(cls)).first;
            return it->second;
        };
        // Pairs whose source's egress changed: every destination.
        for (qsizetype g1 = 0; g1 < groups.size(); ++g1) {
            if (!sourceAffected[size_t(g1)])
                continue;
            const Bits &was = cached(rowsBefore, groups.at(g1).classBefore, [&](qsizetype cls) {
                return reachBefore.destinationsAllowedFrom(cls, port.classBefore);
            });
            const Bits &is = cached(rowsAfter, groups.at(g1).classAfter, [&](qsizetype cls) {
                return reachAfter.destinationsAllowedFrom(cls, port.classAfter);
            });
            for (qsizetype g2 = 0; g2 < groups.size(); ++g2) {
                const bool isAllowed = bit(is, groups.at(g2).classAfter);
                if (bit(was, groups.at(g2).classBefore) != isAllowed)
                    record(g1, g2, isAllowed);
            }
        }
        // The other pairs can flip only where the destination's ingress changed.
        for (qsizetype g2 : affectedDestinations) {
            const Bits &was = cached(columnsBefore, groups.at(g2).classBefore, [&](qsizetype cls) {
                return reachBefore.sourcesAllowedTo(cls, port.classBefore);
            });
            const Bits &is = cached(columnsAfter, groups.at(g2).classAfter, [&](qsizetype cls) {
                return reachAfter.sourcesAllowedTo(cls, port.classAfter);
            });
            for (qsizetype g1 = 0; g1 < groups.size(); ++g1) {
                if (sourceAffected[size_t(g1)])
                    continue;
                const bool isAllowed = bit(is, groups.at(g1).classAfter);
                if (bit(was, groups.at(g1).classBefore) != isAllowed)
                    record(g1, g2, isAllowed);
            }
        }
        if (change.allowToDeny == 0 && change.denyToAllow == 0)
            continue;
        for (const auto &[key, workload] : workloads)
            namespaces[{std::get<0>(key), std::get<1>(key)}].workloads.append(workload);
        for (auto &[key, ns] : namespaces) {
            // The first pod pairs in (from pod, to pod) order: each flipped group pair offers its
            // own first ones (its pods are ascending), and the smallest of those win.
            const qsizetype cap = std::max(0, options.maxPodPairs);
            std::vector<PodPairChange> pairs;
            for (const auto &[g1, g2] : flipped[key]) {
                const bool isAllowed = reachAfter.allowedBetweenClasses(
                    groups.at(g1).classAfter, groups.at(g2).classAfter, port.classAfter);
                qsizetype taken = 0;
                for (qsizetype fromPod : groups.at(g1).pods) {
                    for (qsizetype toPod : groups.at(g2).pods) {
                        if (taken++ >= cap)
                            break;
                        pairs.push_back(PodPairChange{fromPod, toPod, isAllowed});
                    }
                    if (taken >= cap)
                        break;
                }
            }
            std::sort(pairs.begin(), pairs.end(), [](const auto &x, const auto &y) {
                return std::pair(x.fromPod, x.toPod) < std::pair(y.fromPod, y.toPod);
            });
            const qsizetype listed = std::min<qsizetype>(qsizetype(pairs.size()), cap);
            ns.podPairs = QList<PodPairChange>(pairs.begin(), pairs.begin() + listed);
            ns.morePodPairs = ns.allowToDeny + ns.denyToAllow - listed;
            change.namespaces.append(ns);
        }
        result.allowToDeny += change.allowToDeny;
        result.denyToAllow += change.denyToAllow;
        result.portClasses.append(change);
    }
    return result;
}

void addFlowChanges(const ClusterSnapshot &before, const ClusterSnapshot &after,
                    const QList<ObservedFlow> &flows, WhatIfResult &result)
{
    const PolicyEngine engineBefore(before);
    const PolicyEngine engineAfter(after);
    for (const ObservedFlow &flow : flows) {
        if (!flow.protocol || flow.port < 1 || flow.port > 65535 || flow.from.isNull() ||
            flow.to.isNull()) {
            ++result.flowsSkipped;
            continue;
        }
        ++result.flowsChecked;
        const ProbePort port{flow.port, {}};
        const PolicyVerdict was = engineBefore.check(
            PolicyEndpoint::ip(flow.from), PolicyEndpoint::ip(flow.to), port, *flow.protocol);
        const PolicyVerdict is = engineAfter.check(
            PolicyEndpoint::ip(flow.from), PolicyEndpoint::ip(flow.to), port, *flow.protocol);
        if (was.allowed == is.allowed)
            continue;
        result.flowChanges.append(FlowChange{flow, was.allowed, is.allowed,
                                             was.cniDependent || is.cniDependent, is.resolvedFrom,
                                             is.resolvedTo});
    }
}

std::optional<QList<ObservedFlow>> parseFlowsJson(const QByteArray &data, QString *error)
{
    const auto fail = [&](const QString &message) -> std::optional<QList<ObservedFlow>> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("invalid JSON at offset %1: %2")
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    if (!document.isObject() || !document.object().value(QStringLiteral("flows")).isArray())
        return fail(QStringLiteral("expected an object with a \"flows\" array"));
    const QJsonArray array = document.object().value(QStringLiteral("flows")).toArray();
    QList<ObservedFlow> flows;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = QStringLiteral("flows[%1]").arg(i);
        if (!array.at(i).isObject())
            return fail(QStringLiteral("%1: expected an object").arg(where));
        const QJsonObject object = array.at(i).toObject();
        ObservedFlow flow;
        flow.index = i;
        const QJsonValue protocol = object.value(QStringLiteral("protocol"));
        if (protocol.isString()) {
            flow.protocolText = protocol.toString();
            flow.protocol = protocolFromName(flow.protocolText);
        } else if (protocol.isDouble()) {
            flow.protocolText = QString::number(protocol.toInt());
        } else {
            return fail(QStringLiteral("%1.protocol: expected a string or a number").arg(where));
        }
        for (const char *side : {"a", "b"}) {
            const QJsonValue value = object.value(QLatin1String(side));
            if (!value.isObject())
                return fail(
                    QStringLiteral("%1.%2: expected an object").arg(where, QLatin1String(side)));
            const QJsonObject endpoint = value.toObject();
            const auto address = IpAddress::parse(endpoint.value(QStringLiteral("ip")).toString());
            if (!address)
                return fail(QStringLiteral("%1.%2.ip: expected an IP address")
                                .arg(where, QLatin1String(side)));
            (side[0] == 'a' ? flow.from : flow.to) = *address;
            const QJsonValue port = endpoint.value(QStringLiteral("port"));
            if (side[0] == 'b' && port.isDouble())
                flow.port = port.toInt();
            else if (!port.isDouble() && !port.isNull() && !port.isUndefined())
                return fail(QStringLiteral("%1.%2.port: expected a number or null")
                                .arg(where, QLatin1String(side)));
        }
        flows.append(flow);
    }
    return flows;
}

} // namespace cartograph
