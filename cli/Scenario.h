#pragma once

#include "ClusterSnapshot.h"
#include "Result.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <variant>

class QCommandLineParser;
class QTextStream;

namespace cartograph::cli {

// What the policy commands (reach, explain, whatif) share: --snapshot, --apply and --delete.

// Why a command stops: its exit status and the one line for stderr.
struct CommandFailure
{
    int exitCode = 2; // UsageError
    QString message;
};

template <typename T> using Checked = std::variant<T, CommandFailure>;

// A missing or unreadable file is the environment's fault (exit 1, as for snapshots); anything
// wrong with what the file says is the input's (exit 2).
int exitCodeFor(const Error &error);

// --help, --snapshot, --apply, --delete.
void addScenarioOptions(QCommandLineParser &parser);
// Parses; an exit status when the command is done (help, a usage error, a positional argument).
std::optional<int> parseScenarioArguments(QCommandLineParser &parser, const QStringList &args,
                                          QTextStream &out, QTextStream &err);

// The snapshot files as read, and the same with every --apply and --delete applied in the
// order the user wrote them.
struct Scenario
{
    ClusterSnapshot before;
    ClusterSnapshot after;
};
Checked<Scenario> loadScenarioEdits(const QCommandLineParser &parser);
// Only the edited snapshot.
Checked<ClusterSnapshot> loadScenario(const QCommandLineParser &parser);

} // namespace cartograph::cli
