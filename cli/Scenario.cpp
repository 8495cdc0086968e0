#include "Scenario.h"

#include "CliCommands.h"
#include "SnapshotIo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace cartograph::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph-cli", text);
}

const QString kSnapshot = QStringLiteral("snapshot");
const QString kApply = QStringLiteral("apply");
const QString kDelete = QStringLiteral("delete");

void replaceOrAppend(QList<NetworkPolicy> &policies, NetworkPolicy policy)
{
    for (NetworkPolicy &existing : policies) {
        if (existing.namespaceName == policy.namespaceName && existing.name == policy.name) {
            existing = std::move(policy);
            return;
        }
    }
    policies.append(std::move(policy));
}

} // namespace

// A missing or unreadable file is the environment's fault (exit 1, as for snapshots); anything
// wrong with what the file says is the input's (exit 2).
int exitCodeFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::FileNotFound:
    case ErrorCode::NotAFile:
    case ErrorCode::Unreadable:
        return Failure;
    default:
        return UsageError;
    }
}

void addScenarioOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOption(QCommandLineOption(
        QStringList{kSnapshot},
        tr("Snapshot file (Kubernetes List or objects, JSON or YAML, as kubectl get prints "
           "them); repeat for several."),
        tr("FILE")));
    parser.addOption(QCommandLineOption(
        QStringList{kApply},
        tr("Add or replace (by namespace/name) the NetworkPolicies of this file: one object, "
           "multi-document YAML or a List. Validated strictly, as kubectl --validate=strict. "
           "Repeatable; edits apply in command-line order."),
        tr("POLICIES.yaml")));
    parser.addOption(QCommandLineOption(
        QStringList{kDelete},
        tr("Remove this NetworkPolicy. Repeatable; edits apply in command-line order."),
        tr("NAMESPACE/NAME")));
}

std::optional<int> parseScenarioArguments(QCommandLineParser &parser, const QStringList &args,
                                          QTextStream &out, QTextStream &err)
{
    if (auto exit = parseCommandLine(parser, args, out, err))
        return exit;
    return rejectPositionalArguments(parser, err, tr("snapshots are given with --snapshot FILE"));
}

// The snapshot files, then every --apply and --delete in the order the user wrote them, so
// `--delete ns/p --apply p.yaml` and `--apply p.yaml --delete ns/p` both mean what they say.
Checked<Scenario> loadScenarioEdits(const QCommandLineParser &parser)
{
    const QStringList files = parser.values(kSnapshot);
    if (files.isEmpty())
        return CommandFailure{UsageError, tr("no snapshot given; use --snapshot FILE")};
    auto loaded = loadSnapshotFiles(files);
    if (!loaded)
        return CommandFailure{Failure, describe(loaded.error())};
    Scenario scenario;
    scenario.before = std::move(*loaded);
    scenario.after = scenario.before;
    ClusterSnapshot &snapshot = scenario.after;

    const QStringList applied = parser.values(kApply);
    const QStringList deleted = parser.values(kDelete);
    qsizetype nextApply = 0;
    qsizetype nextDelete = 0;
    for (const QString &option : parser.optionNames()) {
        if (option == kApply) {
            const QString &path = applied.at(nextApply++);
            auto policies = loadPolicyFile(path);
            if (!policies)
                return CommandFailure{exitCodeFor(policies.error()), describe(policies.error())};
            for (NetworkPolicy &policy : *policies)
                replaceOrAppend(snapshot.networkPolicies, std::move(policy));
        } else if (option == kDelete) {
            const QString &name = deleted.at(nextDelete++);
            const QStringList parts = name.split(u'/');
            if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                return CommandFailure{
                    UsageError, tr("--delete: expected NAMESPACE/NAME, found \"%1\"").arg(name)};
            }
            const auto removed =
                snapshot.networkPolicies.removeIf([&](const NetworkPolicy &policy) {
                    return policy.namespaceName == parts[0] && policy.name == parts[1];
                });
            if (removed == 0) {
                return CommandFailure{UsageError,
                                      tr("--delete: no NetworkPolicy \"%1\" in the snapshot or the "
                                         "policies applied before it")
                                          .arg(name)};
            }
        }
    }
    return scenario;
}

Checked<ClusterSnapshot> loadScenario(const QCommandLineParser &parser)
{
    auto scenario = loadScenarioEdits(parser);
    if (CommandFailure *failure = std::get_if<CommandFailure>(&scenario))
        return std::move(*failure);
    return std::move(std::get<Scenario>(scenario).after);
}

} // namespace cartograph::cli
