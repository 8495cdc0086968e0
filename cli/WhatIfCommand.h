#pragma once

#include <QStringList>

class QTextStream;

namespace cartograph::cli {

// whatif: the difference the --apply/--delete edits make to the --snapshot files' reachability
// (per port class: namespace pairs, workload pairs and the first pod pairs whose verdict flips),
// and with --flows FLOWS.json (`cartograph-cli flows` JSON) the observed flows that would flip.
// Human text by default, --json for machines.
int runWhatIf(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace cartograph::cli
