#include "WhatIfCommand.h"

#include "CliCommands.h"
#include "CniDetection.h"
#include "Scenario.h"
#include "WhatIf.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace cartograph::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph-cli", text);
}

QString podName(const ClusterSnapshot &snapshot, qsizetype index)
{
    return index >= 0 && index < snapshot.pods.size() ? snapshot.pods.at(index).qualifiedName()
                                                      : QString();
}

QString endpointName(const ClusterSnapshot &snapshot, const IpAddress &address,
                     const PolicyEndpoint &resolved)
{
    const QString pod = podName(snapshot, resolved.podIndex);
    return pod.isEmpty() ? address.toString()
                         : QStringLiteral("%1 (%2)").arg(address.toString(), pod);
}

QJsonValue nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QJsonObject resultJson(const ClusterSnapshot &snapshot, const WhatIfResult &result, bool withFlows,
                       bool enforced)
{
    QJsonArray portClasses;
    for (const PortClassChange &change : result.portClasses) {
        QJsonArray namespaces;
        for (const NamespacePairChange &ns : change.namespaces) {
            QJsonArray workloads;
            for (const WorkloadPairChange &wl : ns.workloads) {
                workloads.append(QJsonObject{{QStringLiteral("from"), wl.from},
                                             {QStringLiteral("to"), wl.to},
                                             {QStringLiteral("allow_to_deny"), wl.allowToDeny},
                                             {QStringLiteral("deny_to_allow"), wl.denyToAllow}});
            }
            QJsonArray pods;
            for (const PodPairChange &pair : ns.podPairs) {
                pods.append(QJsonObject{
                    {QStringLiteral("from"), podName(snapshot, pair.fromPod)},
                    {QStringLiteral("to"), podName(snapshot, pair.toPod)},
                    {QStringLiteral("change"), pair.allowedAfter ? QStringLiteral("deny_to_allow")
                                                                 : QStringLiteral("allow_to_deny")},
                });
            }
            namespaces.append(QJsonObject{{QStringLiteral("from"), ns.from},
                                          {QStringLiteral("to"), ns.to},
                                          {QStringLiteral("allow_to_deny"), ns.allowToDeny},
                                          {QStringLiteral("deny_to_allow"), ns.denyToAllow},
                                          {QStringLiteral("workloads"), workloads},
                                          {QStringLiteral("pod_pairs"), pods},
                                          {QStringLiteral("more_pod_pairs"), ns.morePodPairs}});
        }
        QJsonArray ranges;
        for (const PortRange &range : change.portClass.ranges)
            ranges.append(QJsonArray{range.first, range.last});
        portClasses.append(
            QJsonObject{{QStringLiteral("protocol"), protocolName(change.portClass.protocol)},
                        {QStringLiteral("ports"), ranges},
                        {QStringLiteral("description"), change.portClass.toString()},
                        {QStringLiteral("allow_to_deny"), change.allowToDeny},
                        {QStringLiteral("deny_to_allow"), change.denyToAllow},
                        {QStringLiteral("namespaces"), namespaces}});
    }
    QJsonObject json{{QStringLiteral("allow_to_deny"), result.allowToDeny},
                     {QStringLiteral("deny_to_allow"), result.denyToAllow},
                     {QStringLiteral("enforced"), enforced},
                     {QStringLiteral("port_classes"), portClasses}};
    if (withFlows) {
        QJsonArray flows;
        for (const FlowChange &change : result.flowChanges) {
            flows.append(QJsonObject{
                {QStringLiteral("index"), change.flow.index},
                {QStringLiteral("protocol"), change.flow.protocolText},
                {QStringLiteral("from"), change.flow.from.toString()},
                {QStringLiteral("from_pod"),
                 nullIfEmpty(podName(snapshot, change.resolvedFrom.podIndex))},
                {QStringLiteral("to"), change.flow.to.toString()},
                {QStringLiteral("to_pod"),
                 nullIfEmpty(podName(snapshot, change.resolvedTo.podIndex))},
                {QStringLiteral("port"), change.flow.port},
                {QStringLiteral("before"),
                 change.allowedBefore ? QStringLiteral("allow") : QStringLiteral("deny")},
                {QStringLiteral("after"),
                 change.allowedAfter ? QStringLiteral("allow") : QStringLiteral("deny")},
                {QStringLiteral("cni_dependent"), change.cniDependent},
            });
        }
        json[QStringLiteral("flows")] = QJsonObject{
            {QStringLiteral("checked"), result.flowsChecked},
            {QStringLiteral("skipped"), result.flowsSkipped},
            {QStringLiteral("flipped"), flows},
        };
    }
    return json;
}

QString changeText(qint64 allowToDeny, qint64 denyToAllow)
{
    QStringList parts;
    if (allowToDeny > 0)
        parts.append(tr("%1 allow→deny").arg(allowToDeny));
    if (denyToAllow > 0)
        parts.append(tr("%1 deny→allow").arg(denyToAllow));
    return parts.join(QStringLiteral(", "));
}

void printText(QTextStream &out, const ClusterSnapshot &snapshot, const WhatIfResult &result,
               bool withFlows, bool enforced)
{
    if (!enforced) {
        out << tr("Note: the cluster's CNI does not enforce NetworkPolicy; these are the verdicts "
                  "as Kubernetes defines them.")
            << "\n\n";
    }
    if (result.portClasses.isEmpty()) {
        out << tr("No pod pair changes its verdict on any port.") << '\n';
    } else {
        out << tr("Pod pairs whose verdict changes (counted once per port class): %1")
                   .arg(changeText(result.allowToDeny, result.denyToAllow))
            << '\n';
        for (const PortClassChange &change : result.portClasses) {
            out << '\n'
                << change.portClass.toString() << ": "
                << changeText(change.allowToDeny, change.denyToAllow) << '\n';
            for (const NamespacePairChange &ns : change.namespaces) {
                out << "  " << ns.from << " -> " << ns.to << ": "
                    << changeText(ns.allowToDeny, ns.denyToAllow) << '\n';
                for (const WorkloadPairChange &wl : ns.workloads) {
                    out << "    " << wl.from << " -> " << wl.to << ": "
                        << changeText(wl.allowToDeny, wl.denyToAllow) << '\n';
                }
                if (!ns.podPairs.isEmpty())
                    out << "    " << tr("pod pairs:") << '\n';
                for (const PodPairChange &pair : ns.podPairs) {
                    out << "      " << podName(snapshot, pair.fromPod) << " -> "
                        << podName(snapshot, pair.toPod) << ": "
                        << (pair.allowedAfter ? tr("deny→allow") : tr("allow→deny")) << '\n';
                }
                if (ns.morePodPairs > 0)
                    out << "      " << tr("... and %1 more pod pairs").arg(ns.morePodPairs) << '\n';
            }
        }
    }
    if (!withFlows)
        return;
    out << '\n'
        << tr("Observed flows: %1 checked, %2 skipped (a protocol NetworkPolicy does not cover, "
              "or no port), %3 would flip")
               .arg(result.flowsChecked)
               .arg(result.flowsSkipped)
               .arg(result.flowChanges.size())
        << '\n';
    for (const FlowChange &change : result.flowChanges) {
        out << "  [" << change.flow.index << "] " << change.flow.protocolText << ' '
            << endpointName(snapshot, change.flow.from, change.resolvedFrom) << " -> "
            << endpointName(snapshot, change.flow.to, change.resolvedTo) << " port "
            << change.flow.port << ": " << (change.allowedBefore ? tr("allow") : tr("deny"))
            << " -> " << (change.allowedAfter ? tr("allow") : tr("deny"));
        if (change.cniDependent)
            out << ' ' << tr("(CNI-dependent)");
        out << '\n';
    }
}

} // namespace

int runWhatIf(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("The difference the --apply and --delete edits make to the snapshot's NetworkPolicy "
           "verdicts: per port class, the namespace pairs and workload pairs whose pod pairs "
           "change allow→deny or deny→allow, with the first pod pairs; with --flows, the "
           "observed flows (cartograph-cli flows JSON) that would flip."));
    addScenarioOptions(parser);
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("flows")},
                                        tr("Flows JSON, as cartograph-cli flows prints it."),
                                        tr("FLOWS.json")));
    parser.addOption(
        QCommandLineOption(QStringList{QStringLiteral("json")}, tr("Print JSON instead of text.")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("max-pod-pairs")},
                                        tr("Pod pairs listed per namespace pair (default 20)."),
                                        tr("N"), QStringLiteral("20")));
    if (auto exit = parseScenarioArguments(parser, args, out, err))
        return *exit;
    bool numberOk = false;
    const int maxPodPairs = parser.value(QStringLiteral("max-pod-pairs")).toInt(&numberOk);
    if (!numberOk || maxPodPairs < 0) {
        err << "cartograph-cli: " << tr("--max-pod-pairs: expected a number of 0 or more") << '\n';
        return UsageError;
    }

    auto scenario = loadScenarioEdits(parser);
    if (const CommandFailure *failure = std::get_if<CommandFailure>(&scenario)) {
        err << "cartograph-cli: " << failure->message << '\n';
        return failure->exitCode;
    }
    const Scenario &edited = std::get<Scenario>(scenario);

    const bool withFlows = parser.isSet(QStringLiteral("flows"));
    QList<ObservedFlow> flows;
    if (withFlows) {
        const QString path = parser.value(QStringLiteral("flows"));
        const QFileInfo info(path);
        QFile file(path);
        if (!info.exists()) {
            err << "cartograph-cli: " << tr("%1: no such file").arg(path) << '\n';
            return Failure;
        }
        if (!info.isFile() || !file.open(QIODevice::ReadOnly)) {
            err << "cartograph-cli: " << tr("%1: cannot be read").arg(path) << '\n';
            return Failure;
        }
        QString problem;
        auto parsed = parseFlowsJson(file.readAll(), &problem);
        if (!parsed) {
            err << "cartograph-cli: " << path << ": " << problem << '\n';
            return UsageError;
        }
        flows = std::move(*parsed);
    }

    WhatIfResult result = computeWhatIf(edited.before, edited.after, WhatIfOptions{maxPodPairs});
    if (withFlows)
        addFlowChanges(edited.before, edited.after, flows, result);
    const CniDetection cni = detectCni(edited.after);
    const bool enforced = !cni.enforcementKnown || cni.enforcesNetworkPolicy;

    if (parser.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(resultJson(edited.after, result, withFlows, enforced))
                   .toJson(QJsonDocument::Indented);
    } else {
        printText(out, edited.after, result, withFlows, enforced);
    }
    return Ok;
}

} // namespace cartograph::cli
