#pragma once

#include "FlowAnalysis.h"
#include "FlowAttribution.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <vector>

class QIODevice;

namespace cartograph::capture {

// "TCP", "UDP", "ICMP", "ICMPv6", "SCTP"; empty for other protocol numbers.
QString ipProtocolName(std::uint8_t protocol);
// RFC 3339 in UTC with microseconds: 2024-05-01T12:00:03.250000Z.
QString formatTimestampUs(std::int64_t microseconds);
// The flags among SYN, FIN, RST that are set, in that order.
QStringList tcpFlagNames(std::uint8_t flags);

struct FlowExportOptions
{
    bool secondBuckets = false; // JSON: add each flow's per-second buckets
};

// {"flows": [...], "summary": {...}}: the `cartograph-cli flows` contract. Endpoints are
// attributed through `attributor`; without a snapshot, "endpoint" is null.
QByteArray flowReportToJson(const FlowReport &report, const EndpointAttributor &attributor,
                            const FlowExportOptions &options = {});
// One header line, then one line per flow (RFC 4180 quoting). Nested tunnels show as
// "outer/inner" in tunnel_type; the other tunnel columns describe the outermost level.
QByteArray flowsToCsv(const std::vector<FlowRecord> &flows, const EndpointAttributor &attributor);

// The same two, written to `device` in chunks as they are made: a million flows need no copy of
// the whole text in memory. False when a write to the device failed.
bool writeFlowReportJson(QIODevice &device, const FlowReport &report,
                         const EndpointAttributor &attributor,
                         const FlowExportOptions &options = {});
bool writeFlowsCsv(QIODevice &device, const std::vector<FlowRecord> &flows,
                   const EndpointAttributor &attributor);
// The same from a replay's results, one flow at a time: the bytes are those of the report the
// results give (FlowResults::takeReport), without its records held in memory.
bool writeFlowReportJson(QIODevice &device, const FlowResults &results,
                         const EndpointAttributor &attributor,
                         const FlowExportOptions &options = {});
bool writeFlowsCsv(QIODevice &device, const FlowResults &results,
                   const EndpointAttributor &attributor);

} // namespace cartograph::capture
