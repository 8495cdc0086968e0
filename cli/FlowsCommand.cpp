#include "FlowsCommand.h"

#include "CaptureInputs.h"
#include "CliCommands.h"
#include "FlowAnalysis.h"
#include "FlowAttribution.h"
#include "FlowExport.h"
#include "PacketSource.h"
#include "SnapshotIo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileDevice>
#include <QIODevice>
#include <QTextStream>

namespace cartograph::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph-cli", text);
}

const QString kPcap = QStringLiteral("pcap");
const QString kSnapshot = QStringLiteral("snapshot");
const QString kVxlanPort = QStringLiteral("vxlan-port");
const QString kFormat = QStringLiteral("format");
const QString kIdleTimeout = QStringLiteral("idle-timeout");
const QString kMaxFlows = QStringLiteral("max-flows");
const QString kBuckets = QStringLiteral("buckets");

QString description()
{
    return tr(
        "Replay a pcap or pcapng capture into bidirectional flows and attribute their endpoints\n"
        "to the cluster of the snapshot files.\n"
        "\n"
        "Output (JSON): {\"flows\": [...], \"summary\": {...}}. Each flow: protocol (\"TCP\",\n"
        "\"UDP\", \"ICMP\", \"ICMPv6\", \"SCTP\" or the IP protocol number); a and b, each\n"
        "{ip, port, endpoint: {kind: pod|service|node|external, namespace, name}} (endpoint is\n"
        "null without --snapshot; an address in a node's pod CIDR that no pod holds is a pod\n"
        "with null name and its \"node\"); packets_ab, bytes_ab, packets_ba, bytes_ba (bytes are\n"
        "frame lengths on the wire, as Wireshark counts them); first and last (RFC 3339, UTC,\n"
        "microseconds); tunnel (null, or {type, vni, outer_a, outer_b, port, outer_a_node,\n"
        "outer_b_node, payload, inner} for vxlan, geneve, ipip, 6in4, gre, wireguard: vni is\n"
        "the VNI or GRE key of the A to B packets (vni_ba appears when B to A used another),\n"
        "payload is ip, or non-ip/encrypted/damaged when the flow is the tunnel's own outer\n"
        "conversation, inner holds a nested tunnel); tcp_flags (SYN, FIN, RST seen; null for\n"
        "other protocols); ended (\"idle-timeout\" or \"evicted\") when the flow left the\n"
        "table before the capture's end.\n"
        "A is the source of the flow's first packet. TCP, UDP and SCTP flows are keyed by\n"
        "addresses and ports; ICMP, ICMPv6 and other protocols by the address pair (ports\n"
        "null), as are non-first IP fragments and packets whose transport header was cut.\n"
        "Tunnelled packets count in their inner conversation, and the tunnel is part of the\n"
        "flow's identity. Flows are ordered by first packet, then protocol and endpoints.\n"
        "Summary: packets, bytes, flows, ip_packets, malformed (frames by reason),\n"
        "undecodable, non_ip, evicted, expired, link_types, read_error.");
}

} // namespace

int runFlows(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description());
    parser.addHelpOption();
    parser.addOption(QCommandLineOption(
        QStringList{kPcap}, tr("The capture to read: pcap or pcapng (required)."), tr("FILE")));
    parser.addOption(QCommandLineOption(
        QStringList{kSnapshot},
        tr("Snapshot file (Kubernetes List or objects, JSON or YAML, as kubectl get prints them) "
           "to attribute addresses with; repeat for several. Tunnel ports of its NodeNetwork "
           "devices are decoded too."),
        tr("FILE")));
    parser.addOption(QCommandLineOption(
        QStringList{kVxlanPort},
        tr("Decode UDP port N as VXLAN too (4789 and 8472 always are); repeatable."), tr("N")));
    parser.addOption(QCommandLineOption(QStringList{kFormat}, tr("json (default) or csv."),
                                        tr("format"), QStringLiteral("json")));
    parser.addOption(QCommandLineOption(
        QStringList{kIdleTimeout},
        tr("End a flow after this many seconds without packets; a later packet starts a new "
           "flow. 0 (default): never."),
        tr("seconds"), QStringLiteral("0")));
    parser.addOption(QCommandLineOption(
        QStringList{kMaxFlows},
        tr("Flows held at once (default 1000000); beyond it the least recently active flow is "
           "ended and counted in summary.evicted."),
        tr("N"), QStringLiteral("1000000")));
    parser.addOption(QCommandLineOption(
        QStringList{kBuckets},
        tr("JSON: add each flow's per-second traffic as \"buckets\": [[unix_second, packets_ab, "
           "bytes_ab, packets_ba, bytes_ba], ...].")));

    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;
    if (auto exit =
            rejectPositionalArguments(parser, err, tr("the capture is given with --pcap FILE")))
        return *exit;
    const QStringList pcaps = parser.values(kPcap);
    if (pcaps.size() != 1) {
        err << "cartograph-cli: "
            << (pcaps.isEmpty() ? tr("missing --pcap FILE: the capture to read")
                                : tr("give one --pcap FILE"))
            << '\n';
        return UsageError;
    }
    const QString format = parser.value(kFormat);
    if (format != u"json" && format != u"csv") {
        err << "cartograph-cli: " << tr("unknown format \"%1\"; expected json or csv").arg(format)
            << '\n';
        return UsageError;
    }

    capture::AnalysisOptions options;
    if (auto exit = addVxlanPorts(parser.values(kVxlanPort), options.decode, err))
        return *exit;
    bool ok = false;
    const double idleSeconds = parser.value(kIdleTimeout).toDouble(&ok);
    if (!ok || idleSeconds < 0 || idleSeconds > 1e9) {
        err << "cartograph-cli: "
            << tr("--idle-timeout must be a number of seconds (0 or more), not \"%1\"")
                   .arg(parser.value(kIdleTimeout))
            << '\n';
        return UsageError;
    }
    options.table.idleTimeoutUs = std::int64_t(idleSeconds * 1e6);
    const qulonglong maxFlows = parser.value(kMaxFlows).toULongLong(&ok);
    if (!ok || maxFlows == 0) {
        err << "cartograph-cli: "
            << tr("--max-flows must be a positive number, not \"%1\"").arg(parser.value(kMaxFlows))
            << '\n';
        return UsageError;
    }
    options.table.maxFlows = std::size_t(maxFlows);
    const bool buckets = parser.isSet(kBuckets);
    options.table.secondBuckets = buckets;

    capture::EndpointAttributor attributor;
    if (auto exit = loadAttribution(parser.values(kSnapshot), options.decode, attributor, err))
        return *exit;

    auto source = capture::PcapSource::openFile(pcaps.constFirst());
    if (!source) {
        err << "cartograph-cli: " << describe(source.error()) << '\n';
        return UsageError;
    }
    // The flows are written straight from the replay's table, one at a time: at a million flows,
    // records for all of them would cost more memory than the table itself.
    auto results = capture::replayCapture(**source, options);
    if (!results) {
        err << "cartograph-cli: " << describe(results.error()) << '\n';
        return Failure;
    }
    const capture::CaptureSummary &summary = results->summary();
    if (summary.readError) {
        err << "cartograph-cli: "
            << tr("warning: %1; the flows hold the %2 packets before it")
                   .arg(describe(*summary.readError))
                   .arg(summary.packets)
            << '\n';
    }

    capture::FlowExportOptions exportOptions;
    exportOptions.secondBuckets = buckets;
    // UTF-8 written to the stream's device as it is made, rather than built whole and decoded to
    // UTF-16 and encoded back, which at a million flows costs more than the replay.
    if (QIODevice *device = out.device()) {
        out.flush();
        bool written = format == u"csv" ? capture::writeFlowsCsv(*device, *results, attributor)
                                        : capture::writeFlowReportJson(*device, *results,
                                                                       attributor, exportOptions);
        // A file device may still hold the tail: a full disk shows when it is flushed.
        if (auto *file = qobject_cast<QFileDevice *>(device))
            written = file->flush() && written;
        if (!written) {
            err << "cartograph-cli: " << tr("cannot write the flows: %1").arg(device->errorString())
                << '\n';
            return Failure;
        }
    } else {
        const capture::FlowReport report = std::move(*results).takeReport();
        out << QString::fromUtf8(
            format == u"csv" ? capture::flowsToCsv(report.flows, attributor)
                             : capture::flowReportToJson(report, attributor, exportOptions));
    }
    return Ok;
}

} // namespace cartograph::cli
