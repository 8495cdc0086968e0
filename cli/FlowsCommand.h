#pragma once

#include <QStringList>

class QTextStream;

namespace cartograph::cli {

// flows: a capture file replayed into bidirectional flows, attributed to the cluster of the
// --snapshot files, printed as JSON ({"flows": [...], "summary": {...}}) or CSV. A capture
// that cannot be opened (missing, unreadable, not pcap/pcapng) exits with UsageError (2) and
// one line naming the file and libpcap's reason; a capture damaged part way prints the flows
// before the damage, with summary.read_error set and a warning on stderr.
int runFlows(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace cartograph::cli
