#include "CaptureCommand.h"

#include "CaptureInputs.h"
#include "CaptureSession.h"
#include "CliCommands.h"
#include "FlowAttribution.h"
#include "FlowExport.h"
#include "LiveSource.h"
#include "SnapshotIo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace cartograph::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph-cli", text);
}

const QString kInterface = QStringLiteral("interface");
const QString kFilter = QStringLiteral("filter");
const QString kSeconds = QStringLiteral("seconds");
const QString kCount = QStringLiteral("count");
const QString kWrite = QStringLiteral("w");
const QString kSnapshot = QStringLiteral("snapshot");
const QString kVxlanPort = QStringLiteral("vxlan-port");
const QString kFormat = QStringLiteral("format");
const QString kSnaplen = QStringLiteral("snaplen");
const QString kBufferSize = QStringLiteral("buffer-size");
const QString kNoPromiscuous = QStringLiteral("no-promiscuous");
const QString kHelper = QStringLiteral("helper");

// SIGINT/SIGTERM become a byte on this pipe, read on the main thread (the self-pipe trick):
// the handler itself does nothing that is not async-signal-safe.
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

std::optional<qulonglong> positiveNumber(const QCommandLineParser &parser, const QString &option,
                                         QTextStream &err, qulonglong max)
{
    bool ok = false;
    const qulonglong value = parser.value(option).toULongLong(&ok);
    if (!ok || value == 0 || value > max) {
        err << "cartograph-cli: "
            << tr("--%1 must be a number from 1 to %2, not \"%3\"")
                   .arg(option)
                   .arg(max)
                   .arg(parser.value(option))
            << '\n';
        return std::nullopt;
    }
    return value;
}

int openExitCode(const Error &error)
{
    switch (error.code) {
    case ErrorCode::PermissionDenied:
    case ErrorCode::Unreadable:
    case ErrorCode::WriteFailed:
        return Failure;
    default:
        return UsageError;
    }
}

QString dropsText(const capture::CaptureDrops &drops)
{
    return tr("%1 dropped (kernel %2, interface %3, capture queue %4)")
        .arg(drops.total())
        .arg(drops.kernel)
        .arg(drops.interface)
        .arg(drops.queue);
}

} // namespace

int runCapture(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Capture live on one interface and print the flows of what was captured, in the JSON\n"
           "(or CSV) of `cartograph-cli flows`, once the capture ends: after --seconds, after\n"
           "--count frames, or on SIGINT (Ctrl+C) / SIGTERM, which end it cleanly.\n"
           "summary.dropped counts the frames lost: {total, kernel (the kernel's ring was full,\n"
           "pcap_stats ps_drop), interface (the interface or driver dropped them, ps_ifdrop),\n"
           "queue (read, but our capture queue was full)}.\n"
           "Capturing needs root or the capabilities cap_net_raw and cap_net_admin; without them\n"
           "the capture runs through cartograph-capture-helper when that is installed with\n"
           "`setcap cap_net_raw,cap_net_admin+eip`."));
    parser.addHelpOption();
    parser.addOption(QCommandLineOption(
        QStringList{QStringLiteral("i"), kInterface},
        tr("The interface to capture on (required; `cartograph-cli interfaces` lists them; "
           "\"any\" captures on all)."),
        tr("IFACE")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("f"), kFilter},
                                        tr("BPF capture filter (pcap-filter(7)), e.g. \"udp port "
                                           "8472 or tcp\"."),
                                        tr("BPF")));
    parser.addOption(
        QCommandLineOption(QStringList{kSeconds}, tr("Stop after N seconds."), tr("N")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("c"), kCount},
                                        tr("Stop after N frames."), tr("N")));
    parser.addOption(QCommandLineOption(
        QStringList{kWrite},
        tr("Also write every captured frame to this pcapng file as the capture goes (kept "
           "complete up to the last batch if the program is killed)."),
        tr("OUT.pcapng")));
    parser.addOption(QCommandLineOption(
        QStringList{kSnapshot},
        tr("Snapshot file to attribute addresses with (and take tunnel ports from); repeatable."),
        tr("FILE")));
    parser.addOption(QCommandLineOption(
        QStringList{kVxlanPort},
        tr("Decode UDP port N as VXLAN too (4789 and 8472 always are); repeatable."), tr("N")));
    parser.addOption(QCommandLineOption(QStringList{kFormat}, tr("json (default) or csv."),
                                        tr("format"), QStringLiteral("json")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("s"), kSnaplen},
                                        tr("Bytes kept per frame (default 262144)."), tr("N"),
                                        QStringLiteral("262144")));
    parser.addOption(QCommandLineOption(QStringList{kBufferSize},
                                        tr("Kernel capture buffer in MiB (default 8)."), tr("MiB"),
                                        QStringLiteral("8")));
    parser.addOption(QCommandLineOption(QStringList{kNoPromiscuous},
                                        tr("Do not put the interface into promiscuous mode.")));
    parser.addOption(QCommandLineOption(
        QStringList{kHelper},
        tr("Capture through this cartograph-capture-helper even when this process could "
           "capture itself."),
        tr("PATH")));

    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;
    if (auto exit =
            rejectPositionalArguments(parser, err, tr("the interface is given with -i IFACE")))
        return *exit;
    if (!parser.isSet(kInterface)) {
        err << "cartograph-cli: " << tr("missing -i IFACE: the interface to capture on") << '\n';
        return UsageError;
    }
    const QString format = parser.value(kFormat);
    if (format != u"json" && format != u"csv") {
        err << "cartograph-cli: " << tr("unknown format \"%1\"; expected json or csv").arg(format)
            << '\n';
        return UsageError;
    }

    capture::CaptureSessionOptions options;
    options.live.interfaceName = parser.value(kInterface);
    options.live.filter = parser.value(kFilter);
    options.live.promiscuous = !parser.isSet(kNoPromiscuous);
    options.pcapngPath = parser.value(kWrite);
    options.analysis.table.secondBuckets = false;
    options.flowSnapshots = false; // only the final report is printed
    if (parser.isSet(kSeconds)) {
        const auto seconds = positiveNumber(parser, kSeconds, err, 366ull * 24 * 3600);
        if (!seconds)
            return UsageError;
        options.duration = std::chrono::seconds(*seconds);
    }
    if (parser.isSet(kCount)) {
        const auto count = positiveNumber(parser, kCount, err, 1ull << 62);
        if (!count)
            return UsageError;
        options.maxPackets = *count;
    }
    const auto snaplen = positiveNumber(parser, kSnaplen, err, 262144);
    if (!snaplen)
        return UsageError;
    options.live.snapshotLength = int(*snaplen);
    const auto buffer = positiveNumber(parser, kBufferSize, err, 2048);
    if (!buffer)
        return UsageError;
    options.live.bufferSizeBytes = int(*buffer << 20);
    if (parser.isSet(kHelper)) {
        options.backend = capture::CaptureBackend::Helper;
        options.helperPath = parser.value(kHelper);
    }
    if (auto exit = addVxlanPorts(parser.values(kVxlanPort), options.analysis.decode, err))
        return *exit;
    capture::EndpointAttributor attributor;
    if (auto exit =
            loadAttribution(parser.values(kSnapshot), options.analysis.decode, attributor, err))
        return *exit;

    // Signals are caught before the capture starts, so Ctrl+C at any moment ends it cleanly.
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        err << "cartograph-cli: "
            << tr("cannot create a pipe: %1").arg(QString::fromLocal8Bit(strerror(errno))) << '\n';
        return Failure;
    }
    struct sigaction action
    {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    struct sigaction oldInt
    {};
    struct sigaction oldTerm
    {};
    sigaction(SIGINT, &action, &oldInt);
    sigaction(SIGTERM, &action, &oldTerm);

    capture::CaptureSession session;
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &session, [&session] {
        char bytes[16];
        while (::read(g_signalPipe[0], bytes, sizeof bytes) > 0) {
        }
        session.stop();
    });
    capture::CaptureUpdatePtr last;
    QObject::connect(&session, &capture::CaptureSession::finished, &session,
                     [&last](const capture::CaptureUpdatePtr &update) {
                         last = update;
                         QCoreApplication::quit();
                     });

    int exitCode = Ok;
    if (Status started = session.start(options); !started) {
        err << "cartograph-cli: " << describe(started.error()) << '\n';
        exitCode = openExitCode(started.error());
    } else {
        // Said once the interface is open, so a script (or a person) knows traffic now counts.
        err << "cartograph-cli: "
            << (session.backend() == capture::CaptureBackend::Helper
                    ? tr("capturing on %1 through cartograph-capture-helper")
                    : tr("capturing on %1"))
                   .arg(options.live.interfaceName)
            << '\n';
        err.flush();
        QCoreApplication::exec();
    }
    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    notifier.setEnabled(false);
    ::close(g_signalPipe[0]);
    ::close(g_signalPipe[1]);
    if (exitCode != Ok || !last || !last->report)
        return exitCode != Ok ? exitCode : Failure;

    const capture::FlowReport &report = *last->report;
    const QByteArray text = format == u"csv" ? capture::flowsToCsv(report.flows, attributor)
                                             : capture::flowReportToJson(report, attributor);
    out << QString::fromUtf8(text);
    out.flush();
    const capture::CaptureProgress &progress = last->progress;
    err << "cartograph-cli: "
        << tr("captured %1 frames on %2, %3; %4 flows")
               .arg(progress.captured)
               .arg(options.live.interfaceName, dropsText(progress.drops))
               .arg(report.flows.size());
    if (!options.pcapngPath.isEmpty())
        err << "; " << tr("%1 frames written to %2").arg(progress.written).arg(options.pcapngPath);
    err << '\n';
    if (last->error) {
        err << "cartograph-cli: " << tr("the capture ended early: %1").arg(describe(*last->error))
            << '\n';
        return Failure;
    }
    return Ok;
}

int runInterfaces(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("List the interfaces live capture can use (libpcap's list: no privileges needed),\n"
           "with their state and addresses. JSON: [{name, description, addresses, up, running,\n"
           "loopback}]."));
    parser.addHelpOption();
    parser.addOption(QCommandLineOption(QStringList{kFormat}, tr("text (default) or json."),
                                        tr("format"), QStringLiteral("text")));
    if (auto exit = parseCommandLine(parser, args, out, err))
        return *exit;
    if (auto exit = rejectPositionalArguments(parser, err, tr("interfaces takes no arguments")))
        return *exit;
    const QString format = parser.value(kFormat);
    if (format != u"json" && format != u"text") {
        err << "cartograph-cli: " << tr("unknown format \"%1\"; expected text or json").arg(format)
            << '\n';
        return UsageError;
    }
    auto interfaces = capture::listCaptureInterfaces();
    if (!interfaces) {
        err << "cartograph-cli: " << describe(interfaces.error()) << '\n';
        return Failure;
    }
    if (format == u"json") {
        QJsonArray array;
        for (const capture::CaptureInterface &interface : *interfaces) {
            array.append(QJsonObject{
                {QStringLiteral("name"), interface.name},
                {QStringLiteral("description"), interface.description},
                {QStringLiteral("addresses"), QJsonArray::fromStringList(interface.addresses)},
                {QStringLiteral("up"), interface.up},
                {QStringLiteral("running"), interface.running},
                {QStringLiteral("loopback"), interface.loopback},
            });
        }
        out << QString::fromUtf8(QJsonDocument(array).toJson());
        return Ok;
    }
    for (const capture::CaptureInterface &interface : *interfaces) {
        QStringList flags;
        if (interface.up)
            flags << QStringLiteral("up");
        if (interface.running)
            flags << QStringLiteral("running");
        if (interface.loopback)
            flags << QStringLiteral("loopback");
        out << interface.name << "  [" << flags.join(u',') << ']';
        if (!interface.addresses.isEmpty())
            out << "  " << interface.addresses.join(u' ');
        if (!interface.description.isEmpty())
            out << "  " << interface.description;
        out << '\n';
    }
    return Ok;
}

} // namespace cartograph::cli
