#pragma once

#include <QStringList>
#include <optional>

class QCommandLineParser;

class QTextStream;

namespace cartograph::cli {

// Exit statuses shared by every command.
enum ExitCode
{
    Ok = 0,
    Failure = 1,
    UsageError = 2
};

// Each command parses its own arguments (args[0] is the command name) and writes results to
// out, one-line errors to err. Commands never need a display.
int runSummary(const QStringList &args, QTextStream &out, QTextStream &err);
int runExport(const QStringList &args, QTextStream &out, QTextStream &err);

QString usage();

// Parses a command's arguments: on --help prints the help and returns Ok, on a bad option prints
// one line and returns UsageError; nullopt means go on.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &args,
                                    QTextStream &out, QTextStream &err);
// For commands whose inputs are options (--snapshot, --pcap): a stray positional argument is a
// usage error whose message says which option to use (`hint`).
std::optional<int> rejectPositionalArguments(const QCommandLineParser &parser, QTextStream &err,
                                             const QString &hint);

} // namespace cartograph::cli
