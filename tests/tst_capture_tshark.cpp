// tshark as the oracle for `cartograph-cli flows`: every capture in ../shared/fixtures/pcap/ and
// captures written here (IP-in-IP, 6in4, GRE incl. keys/TEB/PPTP, Geneve with options, nested
// Geneve→VXLAN, WireGuard, VXLAN on a custom port, every link type, IPv6 extension headers,
// fragments, SCTP, every snaplen cut of tunnelled packets, lying lengths).
//
// How the two are compared (strictly: every conversation on either side must be matched, and
// every per-direction frame and byte count must be equal):
// - tshark runs with -o ip.defragment:FALSE -o ipv6.defragment:FALSE: cartograph does not
//   reassemble, so a first fragment counts in its TCP/UDP conversation and the others in the
//   address pair's flow, which is what tshark counts without reassembly.
// - -d udp.port==8472,vxlan (and each --vxlan-port given to the CLI) so tshark decodes the same
//   VXLAN ports; Geneve 6081 and VXLAN 4789 it decodes by default.
// - -c N with N = the packets cartograph read: where libpcap stops (a truncated file, a pcapng
//   interface of another link type, which libpcap 1.10 cannot mix), tshark looks at the same
//   packets.
// - TCP, UDP and SCTP: each tshark conversation A:a <-> B:b must equal, per direction, the sum of
//   our flows with those endpoints (our flows also split by tunnel, e.g. the same conversation
//   seen bare on cni0 and VXLAN-encapsulated on eth0 in one "any" capture; tshark adds both up).
// - tshark also lists the outer UDP conversation of every VXLAN/Geneve packet. Our flows keep
//   the tunnel beside the inner conversation with outer addresses and the tunnel's UDP port,
//   but not the other, ephemeral port (Linux picks one per inner flow): so the remaining tshark
//   UDP conversations are summed per (outer source, outer destination, tunnel port: the
//   destination port, or the source port when the packet came from the tunnel port) and must
//   equal the sums over our tunnel levels (and over our flows that are a tunnel's own
//   conversation: VXLAN carrying ARP, a truncated inner packet).
// - IPv4 and IPv6 address pairs (tshark counts every IP header, outer and inner): each must
//   equal the sum over our flows' inner pairs plus their tunnel levels' outer pairs. tshark 4.0
//   leaves two kinds of IPv6 packet out of its table: non-first fragments and packets whose
//   extension headers are cut; they belong to our flows, so tshark is asked for exactly those
//   frames (a display filter) and their addresses and lengths are added to its side.
// - tshark prints byte counts of 10000 and more rounded ("13 kB"); those cells are asked again
//   exactly: tshark lists the frames of the conversation's direction (a display filter) with
//   their lengths, and their number must also equal the table's.

#include "tst_capture_packets.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

using namespace captest;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run runProgram(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(240000))
        qFatal("%s did not finish", qPrintable(program));
    return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
               process.readAllStandardOutput(), QString::fromUtf8(process.readAllStandardError())};
}

// One direction's frames and bytes in a tshark conversation table.
struct Cell
{
    qint64 frames = 0;
    qint64 bytes = 0;
    QString unit; // "bytes", or "kB"/"MB"/"GB" when tshark rounded
};

struct Conversation
{
    QString a; // "10.0.0.1:80" (transport tables) or "10.0.0.1" (IP tables)
    QString b;
    Cell ab; // tshark's "->" columns: A to B
    Cell ba; // "<-": B to A
};

using Tables = QMap<QString, QList<Conversation>>; // "TCP", "UDP", "SCTP", "IPv4", "IPv6"

std::pair<QString, QString> splitEndpoint(const QString &endpoint)
{
    const qsizetype colon = endpoint.lastIndexOf(u':');
    return {endpoint.left(colon), endpoint.mid(colon + 1)};
}

bool isV6(const QString &address)
{
    return address.contains(u':');
}

// Frames and bytes: by key (e.g. "TCP 10.0.0.1:1 > 10.0.0.2:2"), summed.
struct Totals
{
    QMap<QString, std::pair<qint64, qint64>> sums;
    void add(const QString &key, qint64 frames, qint64 bytes)
    {
        if (frames == 0 && bytes == 0)
            return;
        auto &entry = sums[key];
        entry.first += frames;
        entry.second += bytes;
    }
};

QString describeDiff(const Totals &ours, const Totals &theirs)
{
    QStringList lines;
    QStringList keys = ours.sums.keys() + theirs.sums.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &key : keys) {
        const auto o = ours.sums.value(key);
        const auto t = theirs.sums.value(key);
        if (o != t) {
            lines.append(QStringLiteral("  %1: ours %2 frames/%3 bytes, tshark %4/%5")
                             .arg(key)
                             .arg(o.first)
                             .arg(o.second)
                             .arg(t.first)
                             .arg(t.second));
        }
    }
    return lines.join(u'\n');
}

class Oracle
{
public:
    Oracle(QString tshark, QString cli)
        : m_tshark(std::move(tshark))
        , m_cli(std::move(cli))
    {}

    // Runs both on `path` and returns every difference, empty when they agree. `cliExtra` and
    // `tsharkExtra` carry matching options (--vxlan-port N and -d udp.port==N,vxlan).
    // `note` tells what was compared, for the log.
    QStringList compare(const QString &path, const QStringList &cliExtra,
                        const QStringList &tsharkExtra, QJsonObject *ourReport = nullptr,
                        QString *note = nullptr)
    {
        QStringList problems;
        QString unused;
        if (!note)
            note = &unused;
        const Run ours = runProgram(
            m_cli, QStringList{QStringLiteral("flows"), QStringLiteral("--pcap"), path} + cliExtra);
        const Run theirs0 = runProgram(m_tshark, {QStringLiteral("-r"), path, QStringLiteral("-q"),
                                                  QStringLiteral("-c"), QStringLiteral("1")});
        if (ours.exitCode != 0) {
            // libpcap refused the file: tshark must refuse it too, and our message must name
            // the file.
            if (ours.exitCode != 2)
                problems.append(QStringLiteral("exit %1: %2").arg(ours.exitCode).arg(ours.err));
            if (!ours.err.contains(path))
                problems.append(QStringLiteral("message does not name the file: ") + ours.err);
            if (theirs0.exitCode == 0 && !theirs0.err.contains(u"tshark:"))
                problems.append(QStringLiteral("tshark reads what libpcap refused: ") + ours.err);
            *note = QStringLiteral("refused by both; ours: ") + ours.err.trimmed() +
                    QStringLiteral(" | tshark: ") + theirs0.err.simplified();
            return problems;
        }
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(ours.out, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return {QStringLiteral("not JSON: ") + error.errorString()};
        const QJsonObject report = document.object();
        if (ourReport)
            *ourReport = report;
        const QJsonObject summary = report.value(QStringLiteral("summary")).toObject();
        const qint64 packets = summary.value(QStringLiteral("packets")).toInteger();
        const QJsonArray flows = report.value(QStringLiteral("flows")).toArray();
        const QString readError = summary.value(QStringLiteral("read_error")).toString();
        const QString stopped = readError.isEmpty()
                                    ? QString()
                                    : QStringLiteral(" (libpcap stopped: %1)").arg(readError);
        if (packets == 0) {
            if (!flows.isEmpty())
                problems.append(QStringLiteral("flows without packets"));
            *note = QStringLiteral("0 packets, no flows") + stopped;
            return problems;
        }

        Tables tables = tsharkTables(path, packets, tsharkExtra, &problems);
        resolveRounded(path, packets, tsharkExtra, tables, &problems);

        // Ours.
        Totals transport;            // "PROTO src:port > dst:port"
        QSet<QString> transportKeys; // "PROTO lowEndpoint highEndpoint"
        Totals tunnels;              // "src > dst :port"
        Totals pairs;                // "src > dst"
        for (const QJsonValue &value : flows) {
            const QJsonObject flow = value.toObject();
            const QJsonObject a = flow.value(QStringLiteral("a")).toObject();
            const QJsonObject b = flow.value(QStringLiteral("b")).toObject();
            const QString aIp = a.value(QStringLiteral("ip")).toString();
            const QString bIp = b.value(QStringLiteral("ip")).toString();
            const qint64 pab = flow.value(QStringLiteral("packets_ab")).toInteger();
            const qint64 bab = flow.value(QStringLiteral("bytes_ab")).toInteger();
            const qint64 pba = flow.value(QStringLiteral("packets_ba")).toInteger();
            const qint64 bba = flow.value(QStringLiteral("bytes_ba")).toInteger();
            QList<QJsonObject> levels;
            for (QJsonValue t = flow.value(QStringLiteral("tunnel")); t.isObject();
                 t = t.toObject().value(QStringLiteral("inner")))
                levels.append(t.toObject());
            const auto udpTunnel = [](const QJsonObject &level) {
                const QString type = level.value(QStringLiteral("type")).toString();
                return type == u"vxlan" || type == u"geneve";
            };
            const bool carrier = !levels.isEmpty() &&
                                 levels.last().value(QStringLiteral("payload")).toString() != u"ip";
            const QString protocol = flow.value(QStringLiteral("protocol")).toVariant().toString();
            const bool hasPorts = !a.value(QStringLiteral("port")).isNull();
            if (hasPorts) {
                const QString aEnd = aIp + u':' + QString::number(a.value(u"port").toInt());
                const QString bEnd = bIp + u':' + QString::number(b.value(u"port").toInt());
                if (carrier && udpTunnel(levels.last())) {
                    const QJsonObject &level = levels.last();
                    addTunnel(tunnels, level, pab, bab, pba, bba);
                } else {
                    transport.add(protocol + u' ' + aEnd + QStringLiteral(" > ") + bEnd, pab, bab);
                    transport.add(protocol + u' ' + bEnd + QStringLiteral(" > ") + aEnd, pba, bba);
                    transportKeys.insert(conversationKey(protocol, aEnd, bEnd));
                }
            }
            for (const QJsonObject &level : levels) {
                if (level.value(QStringLiteral("payload")).toString() != u"ip")
                    continue; // the flow's own addresses, counted below
                if (udpTunnel(level))
                    addTunnel(tunnels, level, pab, bab, pba, bba);
                const QString outerA = level.value(QStringLiteral("outer_a")).toString();
                const QString outerB = level.value(QStringLiteral("outer_b")).toString();
                pairs.add(outerA + QStringLiteral(" > ") + outerB, pab, bab);
                pairs.add(outerB + QStringLiteral(" > ") + outerA, pba, bba);
            }
            pairs.add(aIp + QStringLiteral(" > ") + bIp, pab, bab);
            pairs.add(bIp + QStringLiteral(" > ") + aIp, pba, bba);
        }

        // tshark's.
        QSet<int> tunnelPorts{4789, 8472, 6081};
        for (qsizetype i = 0; i + 1 < cliExtra.size(); ++i) {
            if (cliExtra[i] == u"--vxlan-port")
                tunnelPorts.insert(cliExtra[i + 1].toInt());
        }
        Totals theirTransport;
        Totals theirTunnels;
        Totals theirPairs;
        QSet<QString> theirKeys;
        for (const QString &table :
             {QStringLiteral("TCP"), QStringLiteral("UDP"), QStringLiteral("SCTP")}) {
            for (const Conversation &c : tables.value(table)) {
                const QString key = conversationKey(table, c.a, c.b);
                if (transportKeys.contains(key)) {
                    theirKeys.insert(key);
                    theirTransport.add(table + u' ' + c.a + QStringLiteral(" > ") + c.b,
                                       c.ab.frames, c.ab.bytes);
                    theirTransport.add(table + u' ' + c.b + QStringLiteral(" > ") + c.a,
                                       c.ba.frames, c.ba.bytes);
                } else if (table == u"UDP") {
                    // Keyed by the tunnel's port: the destination's, or the source's when the
                    // packet came from the tunnel port.
                    const auto [aIp, aPort] = splitEndpoint(c.a);
                    const auto [bIp, bPort] = splitEndpoint(c.b);
                    const auto tunnelPort = [&](const QString &to, const QString &from) {
                        const bool fromTunnelPort =
                            !tunnelPorts.contains(to.toInt()) && tunnelPorts.contains(from.toInt());
                        return fromTunnelPort ? from : to;
                    };
                    theirTunnels.add(aIp + QStringLiteral(" > ") + bIp + QStringLiteral(" :") +
                                         tunnelPort(bPort, aPort),
                                     c.ab.frames, c.ab.bytes);
                    theirTunnels.add(bIp + QStringLiteral(" > ") + aIp + QStringLiteral(" :") +
                                         tunnelPort(aPort, bPort),
                                     c.ba.frames, c.ba.bytes);
                } else {
                    problems.append(QStringLiteral("%1 %2 <-> %3 (%4 + %5 frames) is not among our "
                                                   "flows")
                                        .arg(table, c.a, c.b)
                                        .arg(c.ab.frames)
                                        .arg(c.ba.frames));
                }
            }
        }
        for (const QString &key : transportKeys) {
            if (!theirKeys.contains(key))
                problems.append(
                    QStringLiteral("our conversation %1 is not in tshark's tables").arg(key));
        }
        for (const QString &table : {QStringLiteral("IPv4"), QStringLiteral("IPv6")}) {
            for (const Conversation &c : tables.value(table)) {
                theirPairs.add(c.a + QStringLiteral(" > ") + c.b, c.ab.frames, c.ab.bytes);
                theirPairs.add(c.b + QStringLiteral(" > ") + c.a, c.ba.frames, c.ba.bytes);
            }
        }
        addUncountedIpv6(path, packets, tsharkExtra, theirPairs);
        if (transport.sums != theirTransport.sums)
            problems.append(QStringLiteral("TCP/UDP/SCTP conversations differ:\n") +
                            describeDiff(transport, theirTransport));
        if (tunnels.sums != theirTunnels.sums)
            problems.append(QStringLiteral("outer tunnel UDP conversations differ:\n") +
                            describeDiff(tunnels, theirTunnels));
        if (pairs.sums != theirPairs.sums)
            problems.append(QStringLiteral("IP address pairs differ:\n") +
                            describeDiff(pairs, theirPairs));
        qsizetype ipConversations = 0;
        for (const QString &table : {QStringLiteral("IPv4"), QStringLiteral("IPv6")})
            ipConversations += tables.value(table).size();
        *note = QStringLiteral("%1 packets%2; tshark: %3 TCP, %4 UDP, %5 SCTP, %6 IP "
                               "conversations; %7 matched one by one, %8 outer tunnel "
                               "directions summed; %9 flows of ours")
                    .arg(packets)
                    .arg(stopped)
                    .arg(tables.value(QStringLiteral("TCP")).size())
                    .arg(tables.value(QStringLiteral("UDP")).size())
                    .arg(tables.value(QStringLiteral("SCTP")).size())
                    .arg(ipConversations)
                    .arg(theirKeys.size())
                    .arg(theirTunnels.sums.size())
                    .arg(flows.size());
        return problems;
    }

private:
    static QString conversationKey(const QString &protocol, const QString &x, const QString &y)
    {
        return protocol + u' ' + qMin(x, y) + u' ' + qMax(x, y);
    }

    static void addTunnel(Totals &tunnels, const QJsonObject &level, qint64 pab, qint64 bab,
                          qint64 pba, qint64 bba)
    {
        const QString outerA = level.value(QStringLiteral("outer_a")).toString();
        const QString outerB = level.value(QStringLiteral("outer_b")).toString();
        const QString port = QString::number(level.value(QStringLiteral("port")).toInt());
        tunnels.add(outerA + QStringLiteral(" > ") + outerB + QStringLiteral(" :") + port, pab,
                    bab);
        tunnels.add(outerB + QStringLiteral(" > ") + outerA + QStringLiteral(" :") + port, pba,
                    bba);
    }

    QStringList baseArguments(const QString &path, qint64 packets, const QStringList &extra) const
    {
        QStringList arguments{QStringLiteral("-r"),
                              path,
                              QStringLiteral("-q"),
                              QStringLiteral("-o"),
                              QStringLiteral("ip.defragment:FALSE"),
                              QStringLiteral("-o"),
                              QStringLiteral("ipv6.defragment:FALSE"),
                              QStringLiteral("-d"),
                              QStringLiteral("udp.port==8472,vxlan"),
                              QStringLiteral("-c"),
                              QString::number(packets)};
        return arguments + extra;
    }

    Tables tsharkTables(const QString &path, qint64 packets, const QStringList &extra,
                        QStringList *problems) const
    {
        QStringList arguments = baseArguments(path, packets, extra);
        for (const char *table : {"tcp", "udp", "sctp", "ip", "ipv6"})
            arguments += {QStringLiteral("-z"), QStringLiteral("conv,") + QLatin1String(table)};
        const Run run = runProgram(m_tshark, arguments);
        if (run.exitCode != 0 && run.out.isEmpty())
            problems->append(QStringLiteral("tshark failed: ") + run.err);
        static const QRegularExpression header(
            QStringLiteral("^(TCP|UDP|SCTP|IPv4|IPv6) Conversations"));
        static const QRegularExpression row(QStringLiteral(
            R"(^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+) (bytes|kB|MB|GB)\s+(\d+)\s+(\d+) (bytes|kB|MB|GB)\s+(\d+)\s+(\d+) (bytes|kB|MB|GB)\s)"));
        Tables tables;
        QString current;
        for (const QByteArray &line : run.out.split('\n')) {
            const QString text = QString::fromUtf8(line);
            if (const auto m = header.match(text); m.hasMatch()) {
                current = m.captured(1);
                tables[current];
                continue;
            }
            const auto m = row.match(text);
            if (!m.hasMatch() || current.isEmpty())
                continue;
            Conversation c;
            c.a = m.captured(1);
            c.b = m.captured(2);
            c.ba = Cell{m.captured(3).toLongLong(), m.captured(4).toLongLong(), m.captured(5)};
            c.ab = Cell{m.captured(6).toLongLong(), m.captured(7).toLongLong(), m.captured(8)};
            tables[current].append(c);
        }
        return tables;
    }

    // tshark 4.0 counts an IPv6 header in its conversation table only once the extension
    // header chain has been read, and never for a non-first fragment; every IP packet belongs to
    // one of our flows, so those frames, as tshark itself selects and addresses them, are
    // added to its IPv6 pairs.
    void addUncountedIpv6(const QString &path, qint64 packets, const QStringList &extra,
                          Totals &pairs) const
    {
        QStringList arguments{QStringLiteral("-r"), path,
                              QStringLiteral("-o"), QStringLiteral("ip.defragment:FALSE"),
                              QStringLiteral("-o"), QStringLiteral("ipv6.defragment:FALSE"),
                              QStringLiteral("-d"), QStringLiteral("udp.port==8472,vxlan")};
        arguments += extra;
        arguments += {QStringLiteral("-Y"),
                      QStringLiteral("ipv6.fraghdr.offset > 0 || ((_ws.malformed || _ws.short) "
                                     "&& frame.protocols matches \":ipv6([.][a-z]+)*$\")"),
                      QStringLiteral("-T"),
                      QStringLiteral("fields"),
                      QStringLiteral("-E"),
                      QStringLiteral("occurrence=l"),
                      QStringLiteral("-e"),
                      QStringLiteral("frame.number"),
                      QStringLiteral("-e"),
                      QStringLiteral("ipv6.src"),
                      QStringLiteral("-e"),
                      QStringLiteral("ipv6.dst"),
                      QStringLiteral("-e"),
                      QStringLiteral("frame.len")};
        const Run run = runProgram(m_tshark, arguments);
        for (const QByteArray &line : run.out.split('\n')) {
            const QList<QByteArray> fields = line.trimmed().split('\t');
            if (fields.size() != 4 || fields[0].toLongLong() > packets || fields[1].isEmpty() ||
                fields[2].isEmpty())
                continue; // the IPv6 header itself is cut: neither side counts it
            pairs.add(QString::fromLatin1(fields[1]) + QStringLiteral(" > ") +
                          QString::fromLatin1(fields[2]),
                      1, fields[3].toLongLong());
        }
    }

    // Byte counts tshark rounded ("13 kB") are asked again exactly: the frames matching a filter
    // for the conversation's direction are listed with their lengths; their number must match
    // the table's.
    void resolveRounded(const QString &path, qint64 packets, const QStringList &extra,
                        Tables &tables, QStringList *problems) const
    {
        struct Request
        {
            Cell *cell;
            QString filter;
        };
        QList<Request> requests;
        for (auto it = tables.begin(); it != tables.end(); ++it) {
            const QString &table = it.key();
            for (Conversation &c : it.value()) {
                for (int direction = 0; direction < 2; ++direction) {
                    Cell &cell = direction == 0 ? c.ab : c.ba;
                    if (cell.unit == u"bytes")
                        continue;
                    const QString &from = direction == 0 ? c.a : c.b;
                    const QString &to = direction == 0 ? c.b : c.a;
                    QString filter;
                    if (table == u"IPv4" || table == u"IPv6") {
                        const QString family =
                            table == u"IPv4" ? QStringLiteral("ip") : QStringLiteral("ipv6");
                        filter = QStringLiteral("%1.src==%2 && %1.dst==%3").arg(family, from, to);
                    } else {
                        const auto [fromIp, fromPort] = splitEndpoint(from);
                        const auto [toIp, toPort] = splitEndpoint(to);
                        const QString family =
                            isV6(fromIp) ? QStringLiteral("ipv6") : QStringLiteral("ip");
                        const QString protocol = table.toLower();
                        filter = QStringLiteral("%1.src==%2 && %1.dst==%3 && %4.srcport==%5 && "
                                                "%4.dstport==%6")
                                     .arg(family, fromIp, toIp, protocol, fromPort, toPort);
                    }
                    requests.append(Request{&cell, filter});
                }
            }
        }
        // io,stat prints no row for a capture of zero duration, so the frames are listed.
        for (const Request &request : requests) {
            QStringList arguments{QStringLiteral("-r"), path,
                                  QStringLiteral("-o"), QStringLiteral("ip.defragment:FALSE"),
                                  QStringLiteral("-o"), QStringLiteral("ipv6.defragment:FALSE"),
                                  QStringLiteral("-d"), QStringLiteral("udp.port==8472,vxlan")};
            arguments += extra;
            arguments += {QStringLiteral("-Y"), request.filter,
                          QStringLiteral("-T"), QStringLiteral("fields"),
                          QStringLiteral("-e"), QStringLiteral("frame.number"),
                          QStringLiteral("-e"), QStringLiteral("frame.len")};
            const Run run = runProgram(m_tshark, arguments);
            qint64 frames = 0;
            qint64 bytes = 0;
            for (const QByteArray &line : run.out.split('\n')) {
                const QList<QByteArray> fields = line.trimmed().split('\t');
                if (fields.size() != 2 || fields[0].toLongLong() > packets)
                    continue;
                ++frames;
                bytes += fields[1].toLongLong();
            }
            Cell &cell = *request.cell;
            const qint64 divisor = cell.unit == u"kB"   ? 1000
                                   : cell.unit == u"MB" ? 1000000
                                                        : 1000000000;
            if (frames != cell.frames || bytes / divisor != cell.bytes) {
                problems->append(QStringLiteral("frames of \"%1\": %2 frames/%3 bytes, the table "
                                                "says %4 frames/%5 %6")
                                     .arg(request.filter)
                                     .arg(frames)
                                     .arg(bytes)
                                     .arg(cell.frames)
                                     .arg(cell.bytes)
                                     .arg(cell.unit));
            }
            cell.bytes = bytes;
            cell.unit = QStringLiteral("bytes");
        }
    }

    QString m_tshark;
    QString m_cli;
};

QString fixturesDir()
{
    return QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/pcap");
}

} // namespace

class TestCaptureTshark : public QObject
{
    Q_OBJECT

private:
    QString m_tshark;
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    void requireTshark()
    {
        if (m_tshark.isEmpty())
            QSKIP("tshark is not installed (Debian: apt-get install tshark)");
    }

    static QStringList tunnelTypes(const QJsonObject &report)
    {
        QStringList types;
        for (const QJsonValue &value : report.value(QStringLiteral("flows")).toArray()) {
            for (QJsonValue t = value.toObject().value(QStringLiteral("tunnel")); t.isObject();
                 t = t.toObject().value(QStringLiteral("inner")))
                types.append(t.toObject().value(QStringLiteral("type")).toString());
        }
        types.removeDuplicates();
        types.sort();
        return types;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (qEnvironmentVariableIsSet("CARTOGRAPH_KEEP_CAPTURES")) { // to look at them by hand
            m_dir.setAutoRemove(false);
            qInfo("captures written to %s", qPrintable(m_dir.path()));
        }
        QVERIFY2(QFile::exists(QStringLiteral(CARTOGRAPH_CLI_PATH)), CARTOGRAPH_CLI_PATH);
        m_tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    }

    void fixtures_data()
    {
        QTest::addColumn<QString>("path");
        if (!QDir(fixturesDir()).exists()) {
            QTest::newRow("absent") << QString();
            return;
        }
        QStringList files;
        QDirIterator it(fixturesDir(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(it.next());
        files.sort();
        for (const QString &file : files)
            QTest::newRow(qPrintable(QDir(fixturesDir()).relativeFilePath(file))) << file;
    }

    // Every capture in the fixtures, whatever it holds (broken ones included).
    void fixtures()
    {
        QFETCH(QString, path);
        if (path.isEmpty())
            QSKIP("../shared/fixtures is not present");
        requireTshark();
        Oracle oracle(m_tshark, QStringLiteral(CARTOGRAPH_CLI_PATH));
        QString note;
        const QStringList problems = oracle.compare(path, {}, {}, nullptr, &note);
        qInfo().noquote() << note;
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void written_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("pcap");
        QTest::addColumn<QStringList>("cliExtra");
        QTest::addColumn<QStringList>("tsharkExtra");
        QTest::addColumn<QStringList>("tunnelTypes"); // expected in our flows

        std::int64_t t = 1700000000000000;
        auto rec = [&t](const QByteArray &data, std::uint32_t wire = 0) {
            t += 1500;
            return Record{t, data, wire};
        };
        const QByteArray payload = filler(40);

        {
            // Calico-style IP-in-IP between two nodes, a TCP exchange and UDP both ways;
            // 6in4 carrying an IPv6 TCP handshake.
            QList<Record> r;
            auto ipip = [&](const char *os, const char *od, const char *is, const char *id,
                            std::uint8_t proto, const QByteArray &l4) {
                return ethernet(kIpv4, ipv4(os, od, 4, ipv4(is, id, proto, l4)));
            };
            r << rec(ipip("192.168.1.11", "192.168.1.12", "10.244.0.5", "10.244.1.7", 6,
                          tcp(40000, 8080, kSyn)));
            r << rec(ipip("192.168.1.12", "192.168.1.11", "10.244.1.7", "10.244.0.5", 6,
                          tcp(8080, 40000, kSyn | kAck)));
            r << rec(ipip("192.168.1.11", "192.168.1.12", "10.244.0.5", "10.244.1.7", 6,
                          tcp(40000, 8080, kAck | kPsh, payload)));
            r << rec(ipip("192.168.1.12", "192.168.1.11", "10.244.1.7", "10.244.0.5", 6,
                          tcp(8080, 40000, kFin | kAck)));
            r << rec(ipip("192.168.1.11", "192.168.1.12", "10.244.0.5", "10.244.1.9", 17,
                          udp(5353, 53, payload)));
            r << rec(ipip("192.168.1.12", "192.168.1.11", "10.244.1.9", "10.244.0.5", 17,
                          udp(53, 5353, payload + payload)));
            r << rec(ipip("192.168.1.11", "192.168.1.12", "10.244.0.5", "10.244.1.7", 1,
                          icmpEcho(7, 1)));
            r << rec(ethernet(
                kIpv4, ipv4("192.0.2.1", "198.51.100.2", 41,
                            ipv6("2001:db8::1", "2001:db8:1::2", 6, tcp(50000, 443, kSyn)))));
            r << rec(ethernet(kIpv4, ipv4("198.51.100.2", "192.0.2.1", 41,
                                          ipv6("2001:db8:1::2", "2001:db8::1", 6,
                                               tcp(443, 50000, kSyn | kAck)))));
            QTest::newRow("ipip-and-6in4")
                << QStringLiteral("ipip.pcap") << pcapFile(linktype::Ethernet, r) << QStringList()
                << QStringList() << QStringList{QStringLiteral("6in4"), QStringLiteral("ipip")};
        }
        {
            // GRE: plain, with checksum+key+sequence, transparent Ethernet bridging with a
            // key, and PPTP's enhanced GRE carrying PPP/IPv4 (and an ack-only packet).
            QList<Record> r;
            const auto outer = [](const char *s, const char *d, const QByteArray &g) {
                return ethernet(kIpv4, ipv4(s, d, 47, g));
            };
            r << rec(outer("172.16.0.1", "172.16.0.2",
                           gre(kIpv4, ipv4("10.1.0.1", "10.2.0.1", 17, udp(1000, 2000, payload)))));
            r << rec(outer("172.16.0.2", "172.16.0.1",
                           gre(kIpv4, ipv4("10.2.0.1", "10.1.0.1", 17, udp(2000, 1000, payload)))));
            GreOptions keyed;
            keyed.checksum = true;
            keyed.key = 0x2a;
            keyed.sequence = 7;
            r << rec(
                outer("172.16.0.1", "172.16.0.2",
                      gre(kIpv4, ipv4("10.1.0.1", "10.2.0.1", 6, tcp(3333, 80, kSyn)), keyed)));
            GreOptions teb;
            teb.key = 100;
            r << rec(outer(
                "172.16.0.1", "172.16.0.3",
                gre(0x6558,
                    ethernet(kIpv4, ipv4("10.9.0.1", "10.9.0.2", 6, tcp(4444, 22, kSyn, payload))),
                    teb)));
            r << rec(outer(
                "172.16.0.3", "172.16.0.1",
                gre(0x6558,
                    ethernet(kIpv4, ipv4("10.9.0.2", "10.9.0.1", 6, tcp(22, 4444, kSyn | kAck))),
                    teb)));
            r << rec(outer(
                "20.0.0.1", "20.0.0.2",
                grePptp(0x1234,
                        pppIpv4(ipv4("192.168.10.1", "192.168.10.2", 17, udp(7000, 7001, payload))),
                        1)));
            r << rec(outer("20.0.0.2", "20.0.0.1", grePptp(0x4321, {}, {}, 1)));
            QTest::newRow("gre") << QStringLiteral("gre.pcap") << pcapFile(linktype::Ethernet, r)
                                 << QStringList() << QStringList()
                                 << QStringList{QStringLiteral("gre")};
        }
        {
            // Geneve with options carrying Ethernet, Geneve carrying IPv4 directly, and
            // Geneve → VXLAN nested (decoded to the innermost conversation).
            QList<Record> r;
            const auto outer = [](const char *s, const char *d, std::uint16_t sport,
                                  std::uint16_t dport, const QByteArray &p) {
                return ethernet(kIpv4, ipv4(s, d, 17, udp(sport, dport, p)));
            };
            r << rec(outer(
                "10.0.0.1", "10.0.0.2", 50001, 6081,
                geneve(77, 0x6558,
                       ethernet(kIpv4, ipv4("172.20.0.1", "172.20.0.2", 6, tcp(34567, 443, kSyn))),
                       3)));
            r << rec(outer("10.0.0.2", "10.0.0.1", 50002, 6081,
                           geneve(77, 0x6558,
                                  ethernet(kIpv4, ipv4("172.20.0.2", "172.20.0.1", 6,
                                                       tcp(443, 34567, kSyn | kAck, payload))),
                                  1)));
            r << rec(outer(
                "10.0.0.1", "10.0.0.2", 50003, 6081,
                geneve(78, kIpv4, ipv4("172.21.0.1", "172.21.0.2", 17, udp(9000, 9001, payload)))));
            r << rec(outer(
                "10.0.0.1", "10.0.0.2", 50004, 6081,
                geneve(79, kIpv4,
                       ipv4("10.50.0.1", "10.50.0.2", 17,
                            udp(40001, 4789,
                                vxlan(5, ethernet(kIpv4, ipv4("192.168.77.1", "192.168.77.2", 17,
                                                              udp(1111, 53, payload)))))))));
            QTest::newRow("geneve")
                << QStringLiteral("geneve.pcap") << pcapFile(linktype::Ethernet, r) << QStringList()
                << QStringList() << QStringList{QStringLiteral("geneve"), QStringLiteral("vxlan")};
        }
        {
            // WireGuard between two nodes: handshake initiation, response, data both ways.
            QList<Record> r;
            const auto wg = [](const char *s, const char *d, std::uint16_t sp, std::uint16_t dp,
                               std::uint8_t type, int size) {
                return ethernet(kIpv4, ipv4(s, d, 17, udp(sp, dp, wireguard(type, size))));
            };
            r << rec(wg("192.168.1.11", "192.168.1.12", 51820, 51820, 1, 148));
            r << rec(wg("192.168.1.12", "192.168.1.11", 51820, 51820, 2, 92));
            r << rec(wg("192.168.1.11", "192.168.1.12", 51820, 51820, 4, 96));
            r << rec(wg("192.168.1.12", "192.168.1.11", 51820, 51820, 4, 128));
            r << rec(wg("192.168.1.13", "192.168.1.11", 43210, 51820, 1, 148));
            QTest::newRow("wireguard")
                << QStringLiteral("wireguard.pcap") << pcapFile(linktype::Ethernet, r)
                << QStringList() << QStringList() << QStringList{QStringLiteral("wireguard")};
        }
        {
            // VXLAN on a port only the command line names, with a VLAN-tagged inner frame and
            // an inner ARP; plus VXLAN on 4789 with an inner IPv6 TCP.
            QList<Record> r;
            const QByteArray inner = ethernetTagged(
                {{0x8100, 42}}, kIpv4, ipv4("10.10.0.1", "10.10.0.2", 6, tcp(1234, 5678, kSyn)));
            r << rec(ethernet(
                kIpv4, ipv4("192.168.5.1", "192.168.5.2", 17, udp(33333, 9999, vxlan(9, inner)))));
            r << rec(
                ethernet(kIpv4, ipv4("192.168.5.2", "192.168.5.1", 17,
                                     udp(33334, 9999,
                                         vxlan(9, ethernet(kIpv4, ipv4("10.10.0.2", "10.10.0.1", 6,
                                                                       tcp(5678, 1234, kRst))))))));
            r << rec(
                ethernet(kIpv4, ipv4("192.168.5.1", "192.168.5.2", 17,
                                     udp(33335, 9999, vxlan(9, ethernet(kArp, arpRequest()))))));
            r << rec(
                ethernet(kIpv4, ipv4("192.168.5.1", "192.168.5.3", 17,
                                     udp(33336, 4789,
                                         vxlan(10, ethernet(kIpv6, ipv6("fd00::1", "fd00::2", 6,
                                                                        tcp(1, 2, kSyn))))))));
            // Sent from the tunnel port to an ephemeral one: decoded all the same.
            r << rec(ethernet(kIpv4,
                              ipv4("192.168.5.3", "192.168.5.1", 17,
                                   udp(4789, 40000,
                                       vxlan(10, ethernet(kIpv4, ipv4("10.10.0.7", "10.10.0.8", 17,
                                                                      udp(7, 8, payload))))))));
            r << rec(ethernet(
                kIpv4,
                ipv4("192.168.5.3", "192.168.5.1", 17,
                     udp(6081, 40000,
                         geneve(11, kIpv4, ipv4("10.10.0.7", "10.10.0.9", 6, tcp(9, 10, kSyn)))))));
            QTest::newRow("vxlan-custom-port")
                << QStringLiteral("vxlan9999.pcap") << pcapFile(linktype::Ethernet, r)
                << QStringList{QStringLiteral("--vxlan-port"), QStringLiteral("9999")}
                << QStringList{QStringLiteral("-d"), QStringLiteral("udp.port==9999,vxlan")}
                << QStringList{QStringLiteral("geneve"), QStringLiteral("vxlan")};
        }

        // Every link type, each carrying a TCP exchange and a UDP datagram.
        const QByteArray v4tcp = ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn));
        const QByteArray v4tcpBack = ipv4("10.0.0.2", "10.0.0.1", 6, tcp(80, 1025, kSyn | kAck));
        const QByteArray v6udp = ipv6("fe80::1", "ff02::fb", 17, udp(5353, 5353, payload));
        const auto linkRow = [&](const char *name, std::uint32_t linkType,
                                 const std::function<QByteArray(const QByteArray &, bool)> &wrap) {
            QList<Record> r{rec(wrap(v4tcp, false)), rec(wrap(v4tcpBack, false)),
                            rec(wrap(v6udp, true))};
            QTest::newRow(name) << QString::fromLatin1(name) + QStringLiteral(".pcap")
                                << pcapFile(linkType, r) << QStringList() << QStringList()
                                << QStringList();
        };
        linkRow("null-little-endian", linktype::Null,
                [](const QByteArray &p, bool v6) -> QByteArray {
                    return nullHeader(v6 ? 30 : 2, true) + p;
                });
        linkRow("null-big-endian", linktype::Null, [](const QByteArray &p, bool v6) -> QByteArray {
            return nullHeader(v6 ? 24 : 2, false) + p;
        });
        linkRow("loop", linktype::Loop, [](const QByteArray &p, bool v6) -> QByteArray {
            return nullHeader(v6 ? 28 : 2, false) + p;
        });
        linkRow("raw", linktype::Raw, [](const QByteArray &p, bool) -> QByteArray { return p; });
        linkRow("sll", linktype::LinuxSll, [](const QByteArray &p, bool v6) -> QByteArray {
            return sll(v6 ? kIpv6 : kIpv4, p);
        });
        linkRow("sll2", linktype::LinuxSll2, [](const QByteArray &p, bool v6) -> QByteArray {
            return sll2(v6 ? kIpv6 : kIpv4, p);
        });
        linkRow("ethernet-qinq", linktype::Ethernet,
                [](const QByteArray &p, bool v6) -> QByteArray {
                    return ethernetTagged({{0x88a8, 100}, {0x8100, 200}}, v6 ? kIpv6 : kIpv4, p);
                });
        {
            QList<Record> r{rec(v4tcp), rec(v4tcpBack)};
            QTest::newRow("ipv4-linktype")
                << QStringLiteral("ipv4.pcap") << pcapFile(linktype::Ipv4, r) << QStringList()
                << QStringList() << QStringList();
            QList<Record> r6{rec(v6udp), rec(ipv6("ff02::fb", "fe80::1", 58, icmpv6Echo(1, 1)))};
            QTest::newRow("ipv6-linktype")
                << QStringLiteral("ipv6.pcap") << pcapFile(linktype::Ipv6, r6) << QStringList()
                << QStringList() << QStringList();
        }
        {
            // IPv6 extension header chains, IPv6 and IPv4 fragments, SCTP, ICMP.
            QList<Record> r;
            const QByteArray chain = ipv6Extension(43, 0) + ipv6Extension(60, 1) +
                                     ipv6Extension(51, 0) + ipv6AuthenticationHeader(6) +
                                     tcp(2000, 443, kSyn);
            r << rec(ethernet(kIpv6, ipv6("2001:db8::a", "2001:db8::b", 0, chain)));
            r << rec(ethernet(kIpv6, ipv6("2001:db8::b", "2001:db8::a", 60,
                                          ipv6Extension(6, 0) + tcp(443, 2000, kSyn | kAck))));
            const QByteArray datagram = udp(6000, 7000, filler(64), 8 + 128);
            r << rec(ethernet(kIpv6, ipv6("2001:db8::a", "2001:db8::b", 44,
                                          ipv6Fragment(17, 0, true) + datagram)));
            r << rec(ethernet(kIpv6, ipv6("2001:db8::a", "2001:db8::b", 44,
                                          ipv6Fragment(17, 9, false) + filler(64))));
            Ipv4Options first;
            first.moreFragments = true;
            first.id = 77;
            r << rec(ethernet(kIpv4, ipv4("10.3.0.1", "10.3.0.2", 17,
                                          udp(6000, 7000, filler(64), 8 + 128), first)));
            Ipv4Options second;
            second.fragmentOffset = 9;
            second.id = 77;
            r << rec(ethernet(kIpv4, ipv4("10.3.0.1", "10.3.0.2", 17, filler(64), second)));
            r << rec(ethernet(kIpv4, ipv4("10.4.0.1", "10.4.0.2", 132, sctpInit(3868, 3868))));
            r << rec(ethernet(kIpv4, ipv4("10.4.0.2", "10.4.0.1", 132, sctpInit(3868, 3868))));
            r << rec(ethernet(kIpv4, ipv4("10.5.0.1", "10.5.0.2", 1, icmpEcho(1, 1))));
            r << rec(ethernet(kIpv4, ipv4("10.5.0.2", "10.5.0.1", 1, icmpEcho(1, 1, true))));
            r << rec(ethernet(kArp, arpRequest()));
            // ICMP errors quoting the packet that caused them: the error is ICMP between the
            // reporting host and the sender, whatever it quotes.
            const QByteArray quoted = ipv4("10.5.0.1", "10.5.0.9", 17, udp(40000, 53, filler(20)));
            r << rec(
                ethernet(kIpv4, ipv4("10.5.0.9", "10.5.0.1", 1,
                                     QByteArray::fromHex("03030000") + be32(0) + quoted.left(28))));
            const QByteArray quoted6 = ipv6("2001:db8::a", "2001:db8::c", 6, tcp(2001, 22, kSyn));
            r << rec(ethernet(kIpv6, ipv6("2001:db8::c", "2001:db8::a", 58,
                                          QByteArray::fromHex("01040000") + be32(0) + quoted6)));
            QTest::newRow("ipv6-extensions-fragments-sctp")
                << QStringLiteral("ext.pcap") << pcapFile(linktype::Ethernet, r) << QStringList()
                << QStringList() << QStringList();
        }
        {
            // Every snaplen cut (0 .. full length) of tunnelled and plain packets: what both
            // count at each cut point.
            const QList<QByteArray> packets{
                ethernet(kIpv4, ipv4("10.6.0.1", "10.6.0.2", 6, tcp(1111, 2222, kSyn, {}, 3))),
                ethernet(kIpv4, ipv4("10.6.0.1", "10.6.0.2", 17, udp(3333, 4444, filler(8)))),
                ethernet(kIpv6, ipv6("fd00::1", "fd00::2", 0,
                                     ipv6Extension(44, 0) + ipv6Fragment(6, 0, false) +
                                         tcp(5555, 6666, kSyn))),
                ethernet(kIpv4, ipv4("192.168.9.1", "192.168.9.2", 17,
                                     udp(40000, 4789,
                                         vxlan(3, ethernet(kIpv4, ipv4("10.7.0.1", "10.7.0.2", 6,
                                                                       tcp(7777, 8888, kSyn))))))),
                ethernet(kIpv4,
                         ipv4("192.168.9.1", "192.168.9.2", 17,
                              udp(40001, 6081,
                                  geneve(4, kIpv4,
                                         ipv4("10.8.0.1", "10.8.0.2", 17, udp(9999, 53, filler(4))),
                                         2)))),
                ethernet(kIpv4, ipv4("192.168.9.1", "192.168.9.3", 4,
                                     ipv4("10.9.0.1", "10.9.0.2", 6, tcp(1212, 3434, kSyn)))),
                ethernet(kIpv4, ipv4("192.168.9.1", "192.168.9.4", 47,
                                     gre(0x6558,
                                         ethernet(kIpv4, ipv4("10.11.0.1", "10.11.0.2", 17,
                                                              udp(5656, 7878, filler(4)))),
                                         GreOptions{false, 5, {}}))),
            };
            QList<Record> r;
            for (const QByteArray &packet : packets) {
                for (qsizetype cut = 0; cut <= packet.size(); ++cut)
                    r << rec(packet.left(cut), std::uint32_t(packet.size()));
            }
            QTest::newRow("every-snaplen-cut")
                << QStringLiteral("cuts.pcap") << pcapFile(linktype::Ethernet, r) << QStringList()
                << QStringList()
                << QStringList{QStringLiteral("geneve"), QStringLiteral("gre"),
                               QStringLiteral("ipip"), QStringLiteral("vxlan")};
        }
        {
            // Headers whose lengths lie.
            QList<Record> r;
            Ipv4Options longer;
            longer.totalLength = 400;
            r << rec(
                ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 17, udp(1, 2, payload), longer)));
            Ipv4Options shorter;
            shorter.totalLength = 12;
            r << rec(
                ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 17, udp(1, 2, payload), shorter)));
            Ipv4Options tinyHeader;
            tinyHeader.headerWords = 3;
            r << rec(
                ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 6, tcp(3, 4, kSyn), tinyHeader)));
            Ipv4Options hugeHeader;
            hugeHeader.headerWords = 15;
            r << rec(
                ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 6, tcp(3, 4, kSyn), hugeHeader)));
            r << rec(
                ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 6, tcp(5, 6, kSyn, payload, 0, 2))));
            r << rec(
                ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 6, tcp(5, 6, kSyn, {}, 0, 15))));
            r << rec(ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 17, udp(7, 8, payload, 4))));
            r << rec(ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 17, udp(7, 8, payload, 900))));
            r << rec(ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 17, udp(12, 13, payload, 0))));
            r << rec(ethernet(kIpv6, ipv6("fd00::1", "fd00::2", 17, udp(14, 15, payload, 0))));
            r << rec(ethernet(kIpv6, ipv6("fd00::1", "fd00::2", 17, udp(9, 10, payload), 3000)));
            r << rec(ethernet(
                kIpv6, ipv6("fd00::1", "fd00::2", 0, QByteArray::fromHex("11ff") + filler(6))));
            r << rec(ethernet(kIpv4, ipv4("10.12.0.1", "10.12.0.2", 17,
                                          udp(11, 6081, QByteArray::fromHex("3f006558000001")))));
            QTest::newRow("lying-lengths")
                << QStringLiteral("lies.pcap") << pcapFile(linktype::Ethernet, r) << QStringList()
                << QStringList() << QStringList{QStringLiteral("geneve")};
        }
    }

    // Captures written here, with what generic fixtures lack, against tshark on the same file.
    void written()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, pcap);
        QFETCH(QStringList, cliExtra);
        QFETCH(QStringList, tsharkExtra);
        QFETCH(QStringList, tunnelTypes);
        requireTshark();
        const QString path = write(name, pcap);
        Oracle oracle(m_tshark, QStringLiteral(CARTOGRAPH_CLI_PATH));
        QJsonObject report;
        QString note;
        const QStringList problems = oracle.compare(path, cliExtra, tsharkExtra, &report, &note);
        qInfo().noquote() << note;
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QVERIFY(!report.value(QStringLiteral("flows")).toArray().isEmpty());
        QCOMPARE(TestCaptureTshark::tunnelTypes(report), tunnelTypes);
    }
};

QTEST_GUILESS_MAIN(TestCaptureTshark)
#include "tst_capture_tshark.moc"
