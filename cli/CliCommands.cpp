#include "CliCommands.h"

#include "CniDetection.h"
#include "DiagramExport.h"
#include "SnapshotIo.h"
#include "SnapshotSource.h"
#include "TopologyScene.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <map>

namespace cartograph::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph-cli", text);
}

// Adds the options every snapshot-reading command shares.
void addSnapshotOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("demo")},
                                        tr("Use an embedded demo cluster instead of files: "
                                           "calico or flannel."),
                                        tr("flavour")));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 tr("Snapshot files: Kubernetes List or objects, JSON or YAML "
                                    "(as kubectl get -o json|yaml prints them)."),
                                 QStringLiteral("[FILE...]"));
}

Result<ClusterSnapshot> loadFromArguments(const QCommandLineParser &parser, QTextStream &err,
                                          int *exitCode)
{
    const QStringList files = parser.positionalArguments();
    const QString demo = parser.value(QStringLiteral("demo"));
    Error usage;
    usage.code = ErrorCode::InvalidValue;
    if (!demo.isEmpty()) {
        if (!files.isEmpty()) {
            err << "cartograph-cli: " << tr("give either --demo or files, not both") << '\n';
            *exitCode = UsageError;
            return usage;
        }
        DemoFlavour flavour;
        if (demo == u"calico") {
            flavour = DemoFlavour::CalicoIpIp;
        } else if (demo == u"flannel") {
            flavour = DemoFlavour::FlannelVxlan;
        } else {
            err << "cartograph-cli: "
                << tr("unknown demo \"%1\"; expected calico or flannel").arg(demo) << '\n';
            *exitCode = UsageError;
            return usage;
        }
        auto result = DemoSnapshotSource(flavour).load();
        if (!result) {
            err << "cartograph-cli: " << describe(result.error()) << '\n';
            *exitCode = Failure;
        }
        return result;
    }
    if (files.isEmpty()) {
        err << "cartograph-cli: " << tr("no snapshot file given (or use --demo calico|flannel)")
            << '\n';
        *exitCode = UsageError;
        return usage;
    }
    auto result = FileSnapshotSource(files).load();
    if (!result) {
        err << "cartograph-cli: " << describe(result.error()) << '\n';
        *exitCode = Failure;
    }
    return result;
}

QString readyName(ConditionStatus status)
{
    switch (status) {
    case ConditionStatus::True:
        return QStringLiteral("Ready");
    case ConditionStatus::False:
        return QStringLiteral("NotReady");
    case ConditionStatus::Unknown:
        return QStringLiteral("Unknown");
    }
    return {};
}

QJsonArray toJsonArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &s : list)
        array.append(s);
    return array;
}

QString padded(const QString &text, int width)
{
    return text.leftJustified(width, u' ');
}

} // namespace

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &args,
                                    QTextStream &out, QTextStream &err)
{
    if (!parser.parse(args)) {
        err << "cartograph-cli: " << parser.errorText() << '\n';
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return Ok;
    }
    return std::nullopt;
}

std::optional<int> rejectPositionalArguments(const QCommandLineParser &parser, QTextStream &err,
                                             const QString &hint)
{
    if (parser.positionalArguments().isEmpty())
        return std::nullopt;
    err << "cartograph-cli: "
        << tr("unexpected argument \"%1\"; %2").arg(parser.positionalArguments().constFirst(), hint)
        << '\n';
    return UsageError;
}

QString usage()
{
    return tr(
        "Usage: cartograph-cli <command> [options]\n"
        "\n"
        "See how a Kubernetes cluster's network is wired, without a display.\n"
        "\n"
        "Commands:\n"
        "  summary FILE...    Counts per kind, nodes with pod CIDRs and addresses, the CNI\n"
        "                     and whether it enforces NetworkPolicy, policies per namespace.\n"
        "  export FILE...     Render the topology diagram to SVG, PNG or PDF.\n"
        "  reach --snapshot FILE... [--apply POLICIES.yaml...] [--delete NAMESPACE/NAME...]\n"
        "        --probes PROBES.json\n"
        "                     NetworkPolicy verdicts (allow/deny, with explanation) for a\n"
        "                     JSON array of probes, as JSON.\n"
        "  explain --snapshot FILE... --from F --to T --port P [--protocol X]\n"
        "        [--apply POLICIES.yaml...] [--delete NAMESPACE/NAME...]\n"
        "                     Why NetworkPolicy allows or denies one connection, for people.\n"
        "  whatif --snapshot FILE... [--apply POLICIES.yaml...] [--delete NAMESPACE/NAME...]\n"
        "        [--flows FLOWS.json] [--json] [--max-pod-pairs N]\n"
        "                     What the edits change: pod pairs per port class, namespace and\n"
        "                     workload that flip allow/deny, and observed flows that would flip.\n"
        "  flows --pcap FILE [--snapshot FILE...] [--vxlan-port N...] [--format json|csv]\n"
        "                     Replay a pcap/pcapng into flows (overlays decoded: VXLAN,\n"
        "                     Geneve, IP-in-IP, GRE, WireGuard) attributed to pods, services\n"
        "                     and nodes, as JSON or CSV.\n"
        "  capture -i IFACE [--filter BPF] [--seconds N] [--count N] [-w OUT.pcapng]\n"
        "        [--snapshot FILE...] [--vxlan-port N...] [--format json|csv]\n"
        "                     Capture live (as root, or through cartograph-capture-helper) and\n"
        "                     print the flows JSON with summary.dropped; SIGINT ends it cleanly.\n"
        "  interfaces [--format text|json]\n"
        "                     The interfaces live capture can use, with state and addresses.\n"
        "  snapshot [--kubeconfig FILE] [--context NAME] [-n NAMESPACE | -A] -o OUT.json\n"
        "                     List a live cluster once into a List snapshot; exit 3 with the\n"
        "                     diagnosis on stderr when the kubeconfig or API server fails.\n"
        "  diagnose [--kubeconfig FILE] [--context NAME] [--snapshot FILE...] [--format json]\n"
        "                     Findings with severity: kubeconfig, reachability, TLS, auth,\n"
        "                     RBAC, NotReady nodes, missing static pods, CNI, NodePort URLs.\n"
        "  contexts [--kubeconfig FILE]\n"
        "                     The kubeconfig's contexts, as kubectl config get-contexts.\n"
        "\n"
        "Run 'cartograph-cli <command> --help' for a command's options.\n");
}

int runSummary(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Summarise a cluster snapshot: object counts, nodes, CNI, NetworkPolicies."));
    addSnapshotOptions(parser);
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("json")},
                                        tr("Print JSON for machines instead of text.")));
    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;

    int exitCode = Ok;
    const auto loaded = loadFromArguments(parser, err, &exitCode);
    if (!loaded)
        return exitCode;
    const ClusterSnapshot &snapshot = *loaded;
    const CniDetection cni = detectCni(snapshot);

    const std::map<QString, qsizetype> counts = {
        {QStringLiteral("Namespace"), snapshot.namespaces.size()},
        {QStringLiteral("Node"), snapshot.nodes.size()},
        {QStringLiteral("Pod"), snapshot.pods.size()},
        {QStringLiteral("Service"), snapshot.services.size()},
        {QStringLiteral("EndpointSlice"), snapshot.endpointSlices.size()},
        {QStringLiteral("NetworkPolicy"), snapshot.networkPolicies.size()},
        {QStringLiteral("DaemonSet"), snapshot.daemonSets.size()},
        {QStringLiteral("NodeNetwork"), snapshot.nodeNetworks.size()},
    };
    std::map<QString, int> policiesPerNamespace;
    for (const auto &policy : snapshot.networkPolicies)
        ++policiesPerNamespace[policy.namespaceName];
    qsizetype hostNetworkPods = 0;
    for (const auto &pod : snapshot.pods)
        hostNetworkPods += pod.hostNetwork ? 1 : 0;

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject root;
        root[QStringLiteral("sources")] = toJsonArray(snapshot.sources);
        QJsonObject countsJson;
        for (const auto &[kind, count] : counts)
            countsJson[kind] = qint64(count);
        root[QStringLiteral("counts")] = countsJson;
        QJsonObject skipped;
        for (auto it = snapshot.skippedKinds.cbegin(); it != snapshot.skippedKinds.cend(); ++it)
            skipped[it.key()] = it.value();
        root[QStringLiteral("skipped")] = skipped;
        root[QStringLiteral("hostNetworkPods")] = qint64(hostNetworkPods);
        QJsonObject cniJson;
        cniJson[QStringLiteral("plugin")] = cniPluginName(cni.plugin);
        cniJson[QStringLiteral("overlay")] = overlayModeName(cni.overlay);
        cniJson[QStringLiteral("enforcesNetworkPolicy")] =
            cni.enforcementKnown ? QJsonValue(cni.enforcesNetworkPolicy) : QJsonValue();
        cniJson[QStringLiteral("evidence")] = toJsonArray(cni.evidence);
        root[QStringLiteral("cni")] = cniJson;
        QJsonArray nodes;
        for (const Node &node : snapshot.nodes) {
            QJsonObject n;
            n[QStringLiteral("name")] = node.name;
            n[QStringLiteral("roles")] = toJsonArray(node.roles);
            n[QStringLiteral("ready")] = readyName(node.ready);
            QJsonArray addresses;
            for (const NodeAddress &address : node.addresses)
                addresses.append(QJsonObject{{QStringLiteral("type"), address.type},
                                             {QStringLiteral("address"), address.address}});
            n[QStringLiteral("addresses")] = addresses;
            QJsonArray cidrs;
            for (const Cidr &cidr : node.podCidrs)
                cidrs.append(cidr.toString());
            n[QStringLiteral("podCIDRs")] = cidrs;
            n[QStringLiteral("pods")] = qint64(snapshot.podsOnNode(node.name).size());
            nodes.append(n);
        }
        root[QStringLiteral("nodes")] = nodes;
        QJsonObject policies;
        for (const auto &[ns, count] : policiesPerNamespace)
            policies[ns] = count;
        root[QStringLiteral("networkPoliciesPerNamespace")] = policies;
        out << QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
        return Ok;
    }

    out << tr("Sources: %1").arg(snapshot.sources.join(QStringLiteral(", "))) << '\n';
    QStringList countParts;
    for (const auto &[kind, count] : counts)
        countParts.append(QStringLiteral("%1 %2").arg(count).arg(kind));
    out << tr("Objects: %1").arg(countParts.join(QStringLiteral(", "))) << '\n';
    if (!snapshot.skippedKinds.isEmpty()) {
        QStringList skipped;
        for (auto it = snapshot.skippedKinds.cbegin(); it != snapshot.skippedKinds.cend(); ++it)
            skipped.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
        out << tr("Skipped (not modelled): %1").arg(skipped.join(QStringLiteral(", "))) << '\n';
    }
    out << tr("Host-network pods: %1").arg(hostNetworkPods) << '\n';
    QString enforcement;
    if (!cni.enforcementKnown)
        enforcement = tr("NetworkPolicy enforcement unknown");
    else if (cni.enforcesNetworkPolicy)
        enforcement = tr("enforces NetworkPolicy");
    else
        enforcement = tr("does NOT enforce NetworkPolicy");
    out << tr("CNI: %1, overlay %2, %3")
               .arg(cniPluginName(cni.plugin), overlayModeName(cni.overlay), enforcement)
        << '\n';
    for (const QString &evidence : cni.evidence)
        out << "  " << tr("evidence: %1").arg(evidence) << '\n';

    out << '\n' << tr("Nodes:") << '\n';
    out << "  " << padded(tr("NAME"), 24) << padded(tr("ROLES"), 16) << padded(tr("STATUS"), 10)
        << padded(tr("PODS"), 6) << padded(tr("POD CIDRS"), 34) << tr("ADDRESSES") << '\n';
    for (const Node &node : snapshot.nodes) {
        QStringList cidrs;
        for (const Cidr &cidr : node.podCidrs)
            cidrs.append(cidr.toString());
        QStringList addresses;
        for (const NodeAddress &address : node.addresses)
            addresses.append(address.type + u'=' + address.address);
        out << "  " << padded(node.name, 24)
            << padded(node.roles.isEmpty() ? QStringLiteral("<none>") : node.roles.join(u','), 16)
            << padded(readyName(node.ready), 10)
            << padded(QString::number(snapshot.podsOnNode(node.name).size()), 6)
            << padded(cidrs.isEmpty() ? QStringLiteral("<none>") : cidrs.join(u','), 34)
            << addresses.join(u' ') << '\n';
    }
    out << '\n' << tr("NetworkPolicies per namespace:") << '\n';
    if (policiesPerNamespace.empty())
        out << "  " << tr("(none)") << '\n';
    for (const auto &[ns, count] : policiesPerNamespace)
        out << "  " << padded(ns, 24) << count << '\n';
    if (!policiesPerNamespace.empty() && cni.enforcementKnown && !cni.enforcesNetworkPolicy) {
        out << '\n'
            << tr("Warning: %1 does not enforce NetworkPolicy; the policies above have no effect.")
                   .arg(cniPluginName(cni.plugin))
            << '\n';
    }
    return Ok;
}

int runExport(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Render the topology of a snapshot with the same diagram code that paints the screen."));
    addSnapshotOptions(parser);
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("format"), QStringLiteral("f")},
                                        tr("Output format: svg, png or pdf (default: from the "
                                           "output file's extension)."),
                                        tr("format")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("output"), QStringLiteral("o")},
                                        tr("Output file."), tr("file")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("scale")},
                                        tr("PNG only: pixels per diagram unit (default 1)."),
                                        tr("factor"), QStringLiteral("1")));
    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;

    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        err << "cartograph-cli: " << tr("missing -o OUT: the file to write") << '\n';
        return UsageError;
    }
    QString formatName = parser.value(QStringLiteral("format"));
    if (formatName.isEmpty())
        formatName = output.section(u'.', -1).toLower();
    const auto format = diagram::exportFormatFromName(formatName);
    if (!format) {
        err << "cartograph-cli: "
            << tr("unknown format \"%1\"; expected svg, png or pdf").arg(formatName) << '\n';
        return UsageError;
    }
    bool scaleOk = false;
    const double scale = parser.value(QStringLiteral("scale")).toDouble(&scaleOk);
    if (!scaleOk || scale <= 0 || scale > 8) {
        err << "cartograph-cli: "
            << tr("--scale must be a number greater than 0 and at most 8, not \"%1\"")
                   .arg(parser.value(QStringLiteral("scale")))
            << '\n';
        return UsageError;
    }

    int exitCode = Ok;
    const auto loaded = loadFromArguments(parser, err, &exitCode);
    if (!loaded)
        return exitCode;
    const diagram::TopologyScene scene = diagram::TopologyScene::layout(*loaded);
    if (Status status = diagram::exportScene(scene, *format, output, scale); !status) {
        err << "cartograph-cli: " << describe(status.error()) << '\n';
        return Failure;
    }
    out << tr("wrote %1 (%2 shapes, %3 edges)")
               .arg(output)
               .arg(scene.shapes().size())
               .arg(scene.edges().size())
        << '\n';
    return Ok;
}

} // namespace cartograph::cli
