#pragma once

#include <QStringList>

class QTextStream;

namespace cartograph::cli {

// NetworkPolicy verdicts. Both commands read --snapshot files, then apply the --apply and
// --delete edits in the order they are given on the command line, and ask the PolicyEngine.
//
// reach: one JSON object per probe of a probes file, in input order, on stdout. Any bad input
// (a malformed probe or policy file, an unknown pod or policy) prints one line on stderr naming
// the file and the probe index or field, and nothing at all on stdout.
int runReach(const QStringList &args, QTextStream &out, QTextStream &err);
// explain: one probe from the command line, explained for people.
int runExplain(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace cartograph::cli
