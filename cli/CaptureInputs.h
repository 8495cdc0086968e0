#pragma once

// What `flows` and `capture` take alike: --vxlan-port values and --snapshot files (the
// endpoint attribution, and the tunnel ports their NodeNetworks name).

#include "FlowAnalysis.h"
#include "FlowAttribution.h"

#include <QStringList>
#include <optional>

class QTextStream;

namespace cartograph::cli {

// Adds each --vxlan-port value to `decode`; on a value that is not a UDP port, prints why and
// returns the exit status.
std::optional<int> addVxlanPorts(const QStringList &values, capture::DecodeOptions &decode,
                                 QTextStream &err);

// Loads the snapshot files (none: nothing to do) into `attributor` and adds their tunnel ports
// to `decode`; on failure prints why and returns the exit status: 1 when a file is missing or
// unreadable (the environment's fault), 2 when what it says is wrong (the input's).
std::optional<int> loadAttribution(const QStringList &snapshots, capture::DecodeOptions &decode,
                                   capture::EndpointAttributor &attributor, QTextStream &err);

} // namespace cartograph::cli
