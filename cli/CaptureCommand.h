#pragma once

#include <QStringList>

class QTextStream;

namespace cartograph::cli {

// capture: a live capture on one interface (directly when root or capable, else through
// cartograph-capture-helper) until --seconds, --count, SIGINT or SIGTERM; then the `flows` JSON
// (or CSV) of what was captured, with summary.dropped {total, kernel, interface, queue}. -w keeps
// every captured frame in a pcapng written as the capture goes. Errors: exit 1 when privileges
// are missing (the message says how to get them), 2 for an unknown interface or a bad filter.
int runCapture(const QStringList &args, QTextStream &out, QTextStream &err);

// interfaces: what libpcap can capture on, with flags and addresses (text or --format json).
int runInterfaces(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace cartograph::cli
