#pragma once

#include <QStringList>

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

} // namespace cartograph::cli
