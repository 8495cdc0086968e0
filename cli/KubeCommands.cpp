#include "KubeCommands.h"

#include "CliCommands.h"
#include "ClusterCollector.h"
#include "Diagnostics.h"
#include "ExecCredential.h"
#include "Kubeconfig.h"
#include "SnapshotIo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QTextStream>

namespace cartograph::cli {

namespace {

using namespace cartograph::kube;

// The kubeconfig or the cluster failed: the diagnosis is on stderr.
constexpr int ClusterFailure = 3;

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph-cli", text);
}

const QString kKubeconfig = QStringLiteral("kubeconfig");
const QString kContext = QStringLiteral("context");
const QString kNamespace = QStringLiteral("namespace");
const QString kAllNamespaces = QStringLiteral("all-namespaces");
const QString kOutput = QStringLiteral("output");
const QString kFormat = QStringLiteral("format");
const QString kSnapshot = QStringLiteral("snapshot");
const QString kRequestTimeout = QStringLiteral("request-timeout");

void addKubeconfigOption(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(
        QStringList{kKubeconfig},
        tr("The kubeconfig to use; default: the files in KUBECONFIG (merged as kubectl merges "
           "them), else ~/.kube/config."),
        tr("FILE")));
}

void addConnectionOptions(QCommandLineParser &parser)
{
    addKubeconfigOption(parser);
    parser.addOption(QCommandLineOption(
        QStringList{kContext}, tr("The kubeconfig context to use; default: current-context."),
        tr("NAME")));
    parser.addOption(QCommandLineOption(
        QStringList{kRequestTimeout},
        tr("Give up on a request that gets no answer for this long: seconds, or a duration "
           "such as 30s or 1m (default 30s)."),
        tr("DURATION"), QStringLiteral("30s")));
}

std::optional<int> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)(ms|s|m)?$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 value = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 ms = unit == u"ms" ? value : unit == u"m" ? value * 60000 : value * 1000;
    if (ms <= 0 || ms > 3600 * 1000)
        return std::nullopt;
    return int(ms);
}

// The CLI approves exec credential plugins: the user chose the kubeconfig (--kubeconfig, or
// KUBECONFIG / ~/.kube/config, the files kubectl itself would run the plugin from), as with
// kubectl. It still says on stderr which command runs, so nothing runs silently.
std::shared_ptr<ExecApproval> cliExecApproval(QTextStream &err)
{
    return std::make_shared<ExecApprovalFunction>(
        [&err](const ExecPluginConfig &plugin, const QString &contextName) {
            err << "cartograph-cli: "
                << tr("running the exec credential plugin of context \"%1\" (from %2): %3")
                       .arg(contextName, plugin.sourceFile, plugin.commandLine())
                << '\n';
            err.flush();
            return true;
        });
}

void printFindings(QTextStream &stream, const QList<Finding> &findings)
{
    stream << findingsToText(findings);
}

int reportFailure(QTextStream &err, const KubeError &error)
{
    err << "cartograph-cli: " << describe(error) << '\n';
    printFindings(err, diagnoseError(error));
    return ClusterFailure;
}

struct ConnectionRequest
{
    KubeconfigLocation location;
    QString context;
};

KubeResult<ClusterConnection> connect(const ConnectionRequest &request)
{
    auto config = loadKubeconfig(request.location);
    if (!config)
        return config.error();
    return resolveContext(*config, request.context);
}

} // namespace

int runContexts(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("List the kubeconfig's contexts as `kubectl config get-contexts` does: CURRENT "
           "(* for current-context), NAME, CLUSTER, AUTHINFO, NAMESPACE, sorted by name."));
    parser.addHelpOption();
    addKubeconfigOption(parser);
    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;
    if (auto exit =
            rejectPositionalArguments(parser, err, tr("the kubeconfig is given with --kubeconfig")))
        return *exit;
    KubeconfigLocation location;
    location.explicitPath = parser.value(kKubeconfig);
    auto config = loadKubeconfig(location);
    if (!config)
        return reportFailure(err, config.error());

    // kubectl's tabwriter: every column but the last padded to its widest cell plus three.
    QList<QStringList> rows{{QStringLiteral("CURRENT"), QStringLiteral("NAME"),
                             QStringLiteral("CLUSTER"), QStringLiteral("AUTHINFO"),
                             QStringLiteral("NAMESPACE")}};
    for (const KubeconfigContext &context : config->contexts) {
        rows.append({context.name == config->currentContext ? QStringLiteral("*") : QString(),
                     context.name, context.cluster, context.user, context.namespaceName});
    }
    QList<qsizetype> widths(5, 0);
    for (const QStringList &row : rows) {
        for (qsizetype column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], row[column].size());
    }
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype column = 0; column < row.size(); ++column) {
            line += column + 1 < row.size() ? row[column].leftJustified(widths[column] + 3, u' ')
                                            : row[column];
        }
        out << line << '\n';
    }
    return Ok;
}

int runSnapshot(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("List a live cluster once and write a Kubernetes List snapshot (namespaces, nodes, "
           "pods, services, endpointslices, networkpolicies, daemonsets and Cartograph "
           "NodeNetworks where installed): the format every other command reads.\n"
           "Namespaced resources come from the context's namespace unless -n or -A says "
           "otherwise, as with kubectl get. Exit 0 on success, also when some resources may not "
           "be read (named on stderr); 3 with the diagnosis on stderr when the kubeconfig or "
           "the API server fails."));
    parser.addHelpOption();
    addConnectionOptions(parser);
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("n"), kNamespace},
                                        tr("Only this namespace."), tr("NAMESPACE")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("A"), kAllNamespaces},
                                        tr("Every namespace.")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("o"), kOutput},
                                        tr("Where to write the snapshot (JSON)."), tr("OUT.json")));
    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;
    if (auto exit = rejectPositionalArguments(parser, err, tr("the output is given with -o FILE")))
        return *exit;
    if (!parser.isSet(kOutput) || parser.value(kOutput).isEmpty()) {
        err << "cartograph-cli: " << tr("missing -o OUT.json: where to write the snapshot") << '\n';
        return UsageError;
    }
    if (parser.isSet(kNamespace) && parser.isSet(kAllNamespaces)) {
        err << "cartograph-cli: " << tr("give -n NAMESPACE or -A, not both") << '\n';
        return UsageError;
    }
    const auto timeout = parseDuration(parser.value(kRequestTimeout));
    if (!timeout) {
        err << "cartograph-cli: "
            << tr("--request-timeout must be a duration such as 30s, 1m or 500ms, not \"%1\"")
                   .arg(parser.value(kRequestTimeout))
            << '\n';
        return UsageError;
    }
    ConnectionRequest request;
    request.location.explicitPath = parser.value(kKubeconfig);
    request.context = parser.value(kContext);
    auto connection = connect(request);
    if (!connection)
        return reportFailure(err, connection.error());
    printFindings(err, diagnoseConnection(*connection));

    CollectorOptions options;
    options.requestTimeoutMs = *timeout;
    if (parser.isSet(kNamespace))
        options.namespaceName = parser.value(kNamespace);
    else if (!parser.isSet(kAllNamespaces))
        options.namespaceName = connection->namespaceName;
    auto fetched = ClusterCollector::fetchSnapshot(*connection, cliExecApproval(err), options);
    if (!fetched)
        return reportFailure(err, fetched.error());
    printFindings(err, diagnoseAccessIssues(fetched->accessIssues, connection->contextName));
    if (Status saved = saveSnapshotFile(fetched->snapshot, parser.value(kOutput)); !saved) {
        err << "cartograph-cli: " << describe(saved.error()) << '\n';
        return Failure;
    }
    return Ok;
}

int runDiagnose(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Explain what is wrong, with what to do about it: the kubeconfig (missing, corrupt, "
           "no such context), reaching the API server (DNS, refused, timeout, TLS, 401, 403), "
           "resources you may not read, nodes NotReady, control-plane static pods without "
           "mirror pods, a CNI that ignores existing NetworkPolicies, and the URLs of NodePort "
           "services. With --snapshot, offline from snapshot files instead of a live cluster.\n"
           "Text: one block per finding, \"SEVERITY: title\" then detail and suggestion. JSON: "
           "{\"findings\": [{severity, id, subject, title, detail, suggestion}]}.\n"
           "Exit 0 when no finding has severity error, 3 when one has."));
    parser.addHelpOption();
    addConnectionOptions(parser);
    parser.addOption(QCommandLineOption(
        QStringList{kSnapshot},
        tr("Diagnose this snapshot file instead of a live cluster; repeat for several."),
        tr("FILE")));
    parser.addOption(QCommandLineOption(QStringList{kFormat}, tr("text (default) or json."),
                                        tr("format"), QStringLiteral("text")));
    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;
    if (auto exit = rejectPositionalArguments(parser, err,
                                              tr("snapshot files are given with --snapshot FILE")))
        return *exit;
    const QString format = parser.value(kFormat);
    if (format != u"text" && format != u"json") {
        err << "cartograph-cli: " << tr("unknown format \"%1\"; expected text or json").arg(format)
            << '\n';
        return UsageError;
    }
    const auto timeout = parseDuration(parser.value(kRequestTimeout));
    if (!timeout) {
        err << "cartograph-cli: "
            << tr("--request-timeout must be a duration such as 30s, 1m or 500ms, not \"%1\"")
                   .arg(parser.value(kRequestTimeout))
            << '\n';
        return UsageError;
    }
    const QStringList snapshots = parser.values(kSnapshot);
    if (!snapshots.isEmpty() && (parser.isSet(kKubeconfig) || parser.isSet(kContext))) {
        err << "cartograph-cli: " << tr("give --snapshot FILE or --kubeconfig/--context, not both")
            << '\n';
        return UsageError;
    }

    QList<Finding> findings;
    if (!snapshots.isEmpty()) {
        auto loaded = loadSnapshotFiles(snapshots);
        if (!loaded) {
            err << "cartograph-cli: " << cartograph::describe(loaded.error()) << '\n';
            return Failure;
        }
        findings = diagnoseSnapshot(*loaded);
    } else {
        ConnectionRequest request;
        request.location.explicitPath = parser.value(kKubeconfig);
        request.context = parser.value(kContext);
        auto connection = connect(request);
        if (!connection) {
            findings = diagnoseError(connection.error());
        } else {
            findings += diagnoseConnection(*connection);
            CollectorOptions options;
            options.requestTimeoutMs = *timeout;
            auto fetched =
                ClusterCollector::fetchSnapshot(*connection, cliExecApproval(err), options);
            if (!fetched) {
                findings += diagnoseError(fetched.error());
            } else {
                findings += diagnoseAccessIssues(fetched->accessIssues, connection->contextName);
                findings += diagnoseSnapshot(fetched->snapshot);
            }
        }
    }

    const bool anyError = std::any_of(findings.cbegin(), findings.cend(), [](const Finding &f) {
        return f.severity == Severity::Error;
    });
    if (format == u"json") {
        out << QString::fromUtf8(findingsToJson(findings));
    } else if (findings.isEmpty()) {
        out << tr("No problems found.") << '\n';
    } else {
        printFindings(out, findings);
    }
    return anyError ? ClusterFailure : Ok;
}

} // namespace cartograph::cli
