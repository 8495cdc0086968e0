// The capture layer: the decoder on hand-built frames (every link type and encapsulation, every
// cut of every frame, lying lengths, random bytes), the flow table (keying, direction, flags,
// buckets, idle timeout, flow limit, memory), attribution through a snapshot built here, the
// libpcap sources (files, file descriptors, QIODevices; broken captures), the JSON/CSV export
// and the `cartograph-cli flows` contract (exit codes, messages, attribution end to end).

#include "ClusterSnapshot.h"
#include "FlowAnalysis.h"
#include "FlowAttribution.h"
#include "FlowExport.h"
#include "FlowTable.h"
#include "PacketDecoder.h"
#include "PacketSource.h"
#include "tst_capture_packets.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <thread>
#include <unistd.h>

using namespace cartograph;
using namespace cartograph::capture;
using namespace captest;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QString fixture(const char *relative)
{
    return QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/pcap/") + QLatin1String(relative);
}

bool haveFixtures()
{
    return QDir(QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/pcap")).exists();
}

DecodedPacket decodeFrame(int linkType, const QByteArray &frame, const DecodeOptions &options = {})
{
    DecodedPacket out;
    PacketDecoder(options).decode(
        linkType,
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t *>(frame.constData()),
                                      size_t(frame.size())),
        std::uint32_t(frame.size()), out);
    return out;
}

// "vxlan:100:4789:ip" per level, outermost first, joined by ">".
QString tunnelSummary(const DecodedPacket &packet)
{
    QStringList levels;
    for (int i = 0; i < packet.tunnelCount; ++i) {
        const TunnelLevel &level = packet.tunnels[size_t(i)];
        levels.append(QStringLiteral("%1:%2:%3:%4")
                          .arg(tunnelTypeName(level.type),
                               level.hasKey ? QString::number(level.key) : QStringLiteral("-"),
                               level.udpPort ? QString::number(level.udpPort) : QStringLiteral("-"),
                               tunnelPayloadName(level.payload)));
    }
    return levels.join(u'>');
}

QString kindName(DecodedPacket::Kind kind)
{
    switch (kind) {
    case DecodedPacket::Kind::Ip:
        return QStringLiteral("ip");
    case DecodedPacket::Kind::NonIp:
        return QStringLiteral("non-ip");
    case DecodedPacket::Kind::Undecodable:
        return QStringLiteral("undecodable");
    }
    return {};
}

// "TCP 10.0.0.1:1025 > 10.0.0.2:80", "ICMP 10.0.0.1 > 10.0.0.2", "17 10.0.0.1 > 10.0.0.2"
QString conversation(const DecodedPacket &packet)
{
    if (packet.kind != DecodedPacket::Kind::Ip)
        return {};
    QString protocol = ipProtocolName(packet.protocol);
    if (protocol.isEmpty())
        protocol = QString::number(packet.protocol);
    if (!packet.hasPorts)
        return QStringLiteral("%1 %2 > %3")
            .arg(protocol, packet.src.toString(), packet.dst.toString());
    return QStringLiteral("%1 %2:%3 > %4:%5")
        .arg(protocol, packet.src.toString())
        .arg(packet.srcPort)
        .arg(packet.dst.toString())
        .arg(packet.dstPort);
}

// What differs between decoding `frame` with the one-pass overlay decoding and through the
// general steps alone (DecodeOptions::tunnelFastPath); empty when nothing does. The bytes are
// copied into a heap block of exactly their size, so AddressSanitizer sees a read past them.
QString fastPathDifference(int linkType, const QByteArray &frame, std::uint32_t wire)
{
    std::unique_ptr<std::uint8_t[]> bytes(
        new std::uint8_t[size_t(std::max<qsizetype>(frame.size(), 1))]);
    std::memcpy(bytes.get(), frame.constData(), size_t(frame.size()));
    const std::span<const std::uint8_t> captured(bytes.get(), size_t(frame.size()));
    // (Made once: a decoder holds its port sets, 24 KiB.)
    static const PacketDecoder onePass{DecodeOptions{}};
    static const PacketDecoder generalSteps = [] {
        DecodeOptions options;
        options.tunnelFastPath = false;
        return PacketDecoder(options);
    }();
    DecodedPacket fast;
    DecodedPacket slow;
    onePass.decode(linkType, captured, wire, fast);
    generalSteps.decode(linkType, captured, wire, slow);
    const auto describe = [](const DecodedPacket &p) {
        QString text =
            QStringLiteral("%1 %2 [%3] malformed %4 fragment %5 flags %6")
                .arg(kindName(p.kind), conversation(p), tunnelSummary(p),
                     p.malformed ? malformedReasonName(*p.malformed) : QStringLiteral("-"))
                .arg(p.fragment)
                .arg(p.tcpFlags);
        for (int i = 0; i < p.tunnelCount; ++i)
            text += QStringLiteral(" outer %1 > %2")
                        .arg(p.tunnels[size_t(i)].outerSrc.toString(),
                             p.tunnels[size_t(i)].outerDst.toString());
        return text;
    };
    bool same = fast.kind == slow.kind && fast.malformed == slow.malformed &&
                fast.src == slow.src && fast.dst == slow.dst && fast.srcPort == slow.srcPort &&
                fast.dstPort == slow.dstPort && fast.protocol == slow.protocol &&
                fast.hasPorts == slow.hasPorts && fast.fragment == slow.fragment &&
                fast.tcpFlags == slow.tcpFlags && fast.tunnelCount == slow.tunnelCount;
    for (int i = 0; same && i < fast.tunnelCount; ++i)
        same = fast.tunnels[size_t(i)] == slow.tunnels[size_t(i)];
    if (same)
        return {};
    return QStringLiteral("one pass: %1; general steps: %2").arg(describe(fast), describe(slow));
}

QByteArray v4Tcp(std::uint8_t flags = kSyn)
{
    return ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, flags));
}

QByteArray v4Udp()
{
    return ipv4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, filler(12)));
}

QByteArray v6Udp()
{
    return ipv6("fd00::1", "fd00::2", 17, udp(5000, 53, filler(12)));
}

QByteArray nested(int depth, const QByteArray &innermost)
{
    QByteArray packet = innermost;
    for (int i = 0; i < depth; ++i)
        packet = ipv4("172.31.0.1", "172.31.0.2", 4, packet);
    return packet;
}

Record at(std::int64_t us, const QByteArray &frame)
{
    return Record{us, frame, 0};
}

// Builds a snapshot in code for attribution: two nodes with pod CIDRs, pods (plain, host
// network control plane, a declared host-network port, a hostPort), services (ClusterIP,
// NodePort, external IP) and node interfaces from a NodeNetwork.
ClusterSnapshot attributionSnapshot()
{
    ClusterSnapshot snapshot;
    auto node = [](const char *name, const char *address, const char *cidr) {
        Node n;
        n.name = s(name);
        n.addresses = {NodeAddress{QStringLiteral("InternalIP"), s(address)}};
        n.podCidrs = {*Cidr::parse(s(cidr))};
        n.ready = ConditionStatus::True;
        return n;
    };
    snapshot.nodes = {node("node-a", "192.168.1.11", "10.244.0.0/24"),
                      node("node-b", "192.168.1.12", "10.244.1.0/24")};
    auto pod = [](const char *ns, const char *name, const char *nodeName, const char *address,
                  bool hostNetwork, Labels labels = {}, QList<ContainerPort> ports = {}) {
        Pod p;
        p.namespaceName = s(ns);
        p.name = s(name);
        p.nodeName = s(nodeName);
        p.podIps = {ip(address)};
        p.hostNetwork = hostNetwork;
        p.labels = std::move(labels);
        p.phase = QStringLiteral("Running");
        Container container;
        container.name = QStringLiteral("main");
        container.ports = std::move(ports);
        p.containers = {container};
        return p;
    };
    auto port = [](int containerPort, int hostPort = 0, Protocol protocol = Protocol::TCP) {
        ContainerPort p;
        p.containerPort = containerPort;
        p.hostPort = hostPort;
        p.protocol = protocol;
        return p;
    };
    snapshot.pods = {
        pod("default", "web", "node-a", "10.244.0.5", false),
        pod("kube-system", "kube-apiserver-node-a", "node-a", "192.168.1.11", true,
            Labels{{QStringLiteral("component"), QStringLiteral("kube-apiserver")}}),
        pod("kube-system", "etcd-node-a", "node-a", "192.168.1.11", true,
            Labels{{QStringLiteral("component"), QStringLiteral("etcd")}}),
        pod("monitoring", "node-exporter-b", "node-b", "192.168.1.12", true, {}, {port(9100)}),
        pod("default", "ingress", "node-b", "10.244.1.9", false, {}, {port(443, 8443)}),
        // two pods claiming to be etcd on node-b: not certain, so the node
        pod("kube-system", "etcd-node-b", "node-b", "192.168.1.12", true,
            Labels{{QStringLiteral("component"), QStringLiteral("etcd")}}),
        pod("kube-system", "etcd-backup", "node-b", "192.168.1.12", true,
            Labels{{QStringLiteral("component"), QStringLiteral("etcd")}}),
    };
    auto service = [](const char *name, ServiceType type, const char *clusterIp, int nodePort,
                      QStringList externalIps = {}) {
        Service svc;
        svc.namespaceName = QStringLiteral("default");
        svc.name = s(name);
        svc.type = type;
        svc.clusterIps = {ip(clusterIp)};
        ServicePort p;
        p.port = 80;
        p.targetPortNumber = 8080;
        p.nodePort = nodePort;
        svc.ports = {p};
        svc.externalIps = std::move(externalIps);
        return svc;
    };
    snapshot.services = {service("web-svc", ServiceType::ClusterIP, "10.96.0.10", 0),
                         service("web-np", ServiceType::NodePort, "10.96.0.11", 30080),
                         service("lb", ServiceType::LoadBalancer, "10.96.0.12", 0,
                                 {QStringLiteral("203.0.113.10")})};
    NodeNetwork network;
    network.nodeName = QStringLiteral("node-a");
    NetworkInterface cni0;
    cni0.name = QStringLiteral("cni0");
    cni0.kind = InterfaceKind::Bridge;
    cni0.addresses = {InterfaceAddress{ip("10.244.0.1"), 24, {}, QStringLiteral("global")}};
    NetworkInterface flannel;
    flannel.name = QStringLiteral("flannel.1");
    flannel.kind = InterfaceKind::Vxlan;
    flannel.udpPort = 8472;
    flannel.addresses = {InterfaceAddress{ip("10.244.0.0"), 32, {}, QStringLiteral("global")}};
    NetworkInterface custom;
    custom.name = QStringLiteral("vxlan.custom");
    custom.kind = InterfaceKind::Vxlan;
    custom.udpPort = 7799;
    network.interfaces = {cni0, flannel, custom};
    snapshot.nodeNetworks = {network};
    return snapshot;
}

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

CliRun cli(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(CARTOGRAPH_CLI_PATH), arguments);
    if (!process.waitForFinished(120000))
        qFatal("cartograph-cli did not finish");
    return CliRun{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                  process.readAllStandardOutput(),
                  QString::fromUtf8(process.readAllStandardError())};
}

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("not a JSON object: %s", qPrintable(error.errorString()));
    return document.object();
}

} // namespace

class TestCapture : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString dir = m_dir.filePath(QString::number(++m_files));
        QDir().mkpath(dir);
        const QString path = dir + u'/' + name;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static FlowReport analyze(const QByteArray &pcap, const AnalysisOptions &options = {})
    {
        QBuffer buffer;
        buffer.setData(pcap);
        buffer.open(QIODevice::ReadOnly);
        auto source = PcapSource::openDevice(&buffer, QStringLiteral("buffer"));
        if (!source)
            qFatal("%s", qPrintable(describe(source.error())));
        auto report = analyzeCapture(**source, options);
        if (!report)
            qFatal("%s", qPrintable(describe(report.error())));
        return std::move(report).value();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---------------------------------------------------------------- decoder

    void decode_data()
    {
        QTest::addColumn<int>("linkType");
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("conversation");
        QTest::addColumn<QString>("tunnels");
        QTest::addColumn<QString>("malformed");

        const QString tcp4 = QStringLiteral("TCP 10.0.0.1:1025 > 10.0.0.2:80");
        const QString udp4 = QStringLiteral("UDP 10.0.0.1:5000 > 10.0.0.2:53");
        const QString udp6 = QStringLiteral("UDP fd00::1:5000 > fd00::2:53");
        const QString none;
        auto row = [](const char *name, int linkType, const QByteArray &frame, const QString &kind,
                      const QString &conv, const QString &tunnels = {},
                      const QString &malformed = {}) {
            QTest::newRow(name) << linkType << frame << kind << conv << tunnels << malformed;
        };
        const QString ipKind = QStringLiteral("ip");
        const QString nonIp = QStringLiteral("non-ip");
        const QString undecodable = QStringLiteral("undecodable");

        // Link layers.
        row("ethernet-ipv4-tcp", LinkType::Ethernet, ethernet(kIpv4, v4Tcp()), ipKind, tcp4);
        row("ethernet-ipv6-udp", LinkType::Ethernet, ethernet(kIpv6, v6Udp()), ipKind, udp6);
        row("ethernet-arp", LinkType::Ethernet, ethernet(kArp, arpRequest()), nonIp, none);
        row("ethernet-802.3-llc", LinkType::Ethernet,
            ethernet(0x0026, QByteArray::fromHex("424203000000") + filler(32)), nonIp, none);
        row("ethernet-lldp", LinkType::Ethernet, ethernet(0x88cc, filler(30)), nonIp, none);
        row("vlan-802.1q", LinkType::Ethernet, ethernetTagged({{0x8100, 10}}, kIpv4, v4Tcp()),
            ipKind, tcp4);
        row("qinq-802.1ad", LinkType::Ethernet,
            ethernetTagged({{0x88a8, 10}, {0x8100, 20}}, kIpv4, v4Udp()), ipKind, udp4);
        row("qinq-9100", LinkType::Ethernet,
            ethernetTagged({{0x9100, 10}, {0x8100, 20}}, kIpv6, v6Udp()), ipKind, udp6);
        row("vlan-arp", LinkType::Ethernet, ethernetTagged({{0x8100, 10}}, kArp, arpRequest()),
            nonIp, none);
        row("cisco-metadata", LinkType::Ethernet,
            ethernet(0x8909, QByteArray::fromHex("0101000100") + QByteArray(1, '\x05') +
                                 be16(kIpv4) + v4Tcp()),
            ipKind, tcp4);
        row("pppoe-session", LinkType::Ethernet,
            ethernet(0x8864, QByteArray::fromHex("11000001") + be16(unsigned(2 + v4Udp().size())) +
                                 be16(0x0021) + v4Udp()),
            ipKind, udp4);
        row("sll-ipv4", LinkType::LinuxSll, sll(kIpv4, v4Tcp()), ipKind, tcp4);
        row("sll-arp", LinkType::LinuxSll, sll(kArp, arpRequest()), nonIp, none);
        row("sll-llc", LinkType::LinuxSll, sll(0x0004, filler(20)), nonIp, none);
        row("sll-vlan", LinkType::LinuxSll, sll(0x8100, be16(5) + be16(kIpv4) + v4Tcp()), ipKind,
            tcp4);
        row("sll2-ipv6", LinkType::LinuxSll2, sll2(kIpv6, v6Udp()), ipKind, udp6);
        row("null-little-endian-inet", LinkType::Null, nullHeader(2, true) + v4Tcp(), ipKind, tcp4);
        row("null-big-endian-inet", LinkType::Null, nullHeader(2, false) + v4Tcp(), ipKind, tcp4);
        row("null-little-endian-inet6-darwin", LinkType::Null, nullHeader(30, true) + v6Udp(),
            ipKind, udp6);
        row("null-big-endian-inet6-bsd", LinkType::Null, nullHeader(24, false) + v6Udp(), ipKind,
            udp6);
        row("null-old-linux-ethertype", LinkType::Null, QByteArray::fromHex("0f000800") + v4Tcp(),
            ipKind, tcp4);
        row("null-unknown-family", LinkType::Null, nullHeader(7, true) + filler(20), nonIp, none);
        row("loop-inet6-freebsd", LinkType::Loop, nullHeader(28, false) + v6Udp(), ipKind, udp6);
        row("raw-12-ipv4", LinkType::Raw, v4Tcp(), ipKind, tcp4);
        row("raw-14-ipv6", LinkType::RawOpenBsd, v6Udp(), ipKind, udp6);
        row("raw-101-ipv4", LinkType::RawLinktype, v4Udp(), ipKind, udp4);
        row("raw-version-5", LinkType::Raw, QByteArray(1, '\x50') + filler(30), undecodable, none,
            none, QStringLiteral("ip-bad-version"));
        row("ipv4-228", LinkType::Ipv4, v4Tcp(), ipKind, tcp4);
        row("ipv6-229", LinkType::Ipv6, v6Udp(), ipKind, udp6);
        row("ipv4-228-holding-ipv6", LinkType::Ipv4, v6Udp(), undecodable, none, none,
            QStringLiteral("ip-bad-version"));
        row("unknown-link-type", 147, filler(40), nonIp, none);

        // Transports.
        row("icmp", LinkType::Raw, ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(1, 2)), ipKind,
            QStringLiteral("ICMP 10.0.0.1 > 10.0.0.2"));
        row("icmpv6", LinkType::Raw, ipv6("fd00::1", "fd00::2", 58, icmpv6Echo(1, 2)), ipKind,
            QStringLiteral("ICMPv6 fd00::1 > fd00::2"));
        row("sctp", LinkType::Raw, ipv4("10.0.0.1", "10.0.0.2", 132, sctpInit(2905, 2906)), ipKind,
            QStringLiteral("SCTP 10.0.0.1:2905 > 10.0.0.2:2906"));
        row("esp", LinkType::Raw, ipv4("10.0.0.1", "10.0.0.2", 50, filler(40)), ipKind,
            QStringLiteral("50 10.0.0.1 > 10.0.0.2"));
        row("tcp-with-options", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn, {}, 5)), ipKind, tcp4);
        row("ipv4-with-options", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, filler(12)),
                 Ipv4Options{1, false, 0, 3}),
            ipKind, udp4);
        row("ipv4-first-fragment", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, filler(64), 200),
                 Ipv4Options{7, true, 0}),
            ipKind, udp4);
        row("ipv4-later-fragment", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 17, filler(64), Ipv4Options{7, false, 9}), ipKind,
            QStringLiteral("UDP 10.0.0.1 > 10.0.0.2"));
        row("ipv6-extension-chain", LinkType::Raw,
            ipv6("fd00::1", "fd00::2", 0,
                 ipv6Extension(43, 1) + ipv6Extension(60, 0) + ipv6Extension(51, 2) +
                     ipv6AuthenticationHeader(17) + udp(5000, 53, filler(12))),
            ipKind, udp6);
        row("ipv6-first-fragment", LinkType::Raw,
            ipv6("fd00::1", "fd00::2", 44,
                 ipv6Fragment(17, 0, true) + udp(5000, 53, filler(64), 200)),
            ipKind, udp6);
        row("ipv6-later-fragment", LinkType::Raw,
            ipv6("fd00::1", "fd00::2", 44, ipv6Fragment(17, 9, false) + filler(64)), ipKind,
            QStringLiteral("UDP fd00::1 > fd00::2"));
        row("ipv6-no-next-header", LinkType::Raw, ipv6("fd00::1", "fd00::2", 59, {}), ipKind,
            QStringLiteral("59 fd00::1 > fd00::2"));

        // Encapsulations.
        const QByteArray innerTcp =
            ethernet(kIpv4, ipv4("10.244.0.2", "10.244.1.2", 6, tcp(41680, 8080, kSyn)));
        const QString innerConv = QStringLiteral("TCP 10.244.0.2:41680 > 10.244.1.2:8080");
        auto overUdp = [](std::uint16_t sport, std::uint16_t dport, const QByteArray &payload) {
            return ethernet(kIpv4,
                            ipv4("192.168.56.11", "192.168.56.12", 17, udp(sport, dport, payload)));
        };
        row("vxlan-4789", LinkType::Ethernet, overUdp(51868, 4789, vxlan(100, innerTcp)), ipKind,
            innerConv, QStringLiteral("vxlan:100:4789:ip"));
        row("vxlan-8472", LinkType::Ethernet, overUdp(51868, 8472, vxlan(1, innerTcp)), ipKind,
            innerConv, QStringLiteral("vxlan:1:8472:ip"));
        row("vxlan-7799-not-configured", LinkType::Ethernet,
            overUdp(51868, 7799, vxlan(1, innerTcp)), ipKind,
            QStringLiteral("UDP 192.168.56.11:51868 > 192.168.56.12:7799"));
        row("vxlan-from-its-port", LinkType::Ethernet, overUdp(4789, 40000, vxlan(1, innerTcp)),
            ipKind, innerConv, QStringLiteral("vxlan:1:4789:ip"));
        row("vxlan-inner-arp", LinkType::Ethernet,
            overUdp(51868, 4789, vxlan(100, ethernet(kArp, arpRequest()))), ipKind,
            QStringLiteral("UDP 192.168.56.11:51868 > 192.168.56.12:4789"),
            QStringLiteral("vxlan:100:4789:non-ip"));
        row("vxlan-inner-cut", LinkType::Ethernet,
            overUdp(51868, 4789, vxlan(100, innerTcp.left(10))), ipKind,
            QStringLiteral("UDP 192.168.56.11:51868 > 192.168.56.12:4789"),
            QStringLiteral("vxlan:100:4789:damaged"), QStringLiteral("ethernet-truncated"));
        row("vxlan-header-cut", LinkType::Ethernet, overUdp(51868, 4789, QByteArray(5, '\x08')),
            ipKind, QStringLiteral("UDP 192.168.56.11:51868 > 192.168.56.12:4789"),
            QStringLiteral("vxlan:-:4789:damaged"), QStringLiteral("vxlan-truncated"));
        row("geneve-options-ethernet", LinkType::Ethernet,
            overUdp(50000, 6081, geneve(77, 0x6558, innerTcp, 4)), ipKind, innerConv,
            QStringLiteral("geneve:77:6081:ip"));
        row("geneve-ipv4", LinkType::Ethernet,
            overUdp(50000, 6081,
                    geneve(78, kIpv4, ipv4("10.244.0.2", "10.244.1.2", 6, tcp(41680, 8080, kSyn)))),
            ipKind, innerConv, QStringLiteral("geneve:78:6081:ip"));
        row("geneve-options-cut", LinkType::Ethernet,
            overUdp(50000, 6081, geneve(77, 0x6558, {}, 4).left(12)), ipKind,
            QStringLiteral("UDP 192.168.56.11:50000 > 192.168.56.12:6081"),
            QStringLiteral("geneve:77:6081:damaged"), QStringLiteral("geneve-options-truncated"));
        row("geneve-version-1", LinkType::Ethernet,
            overUdp(50000, 6081, QByteArray(1, '\x40') + geneve(77, 0x6558, innerTcp).mid(1)),
            ipKind, QStringLiteral("UDP 192.168.56.11:50000 > 192.168.56.12:6081"));
        row("geneve-then-vxlan", LinkType::Ethernet,
            overUdp(
                50000, 6081,
                geneve(5, kIpv4,
                       ipv4("10.50.0.1", "10.50.0.2", 17, udp(40000, 4789, vxlan(6, innerTcp))))),
            ipKind, innerConv, QStringLiteral("geneve:5:6081:ip>vxlan:6:4789:ip"));
        row("ipip", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("192.168.56.11", "192.168.56.12", 4,
                                 ipv4("10.244.0.2", "10.244.1.2", 6, tcp(41680, 8080, kSyn)))),
            ipKind, innerConv, QStringLiteral("ipip:-:-:ip"));
        row("ipip-over-ipv6", LinkType::Ethernet,
            ethernet(kIpv6, ipv6("fd00::a", "fd00::b", 4,
                                 ipv4("10.244.0.2", "10.244.1.2", 6, tcp(41680, 8080, kSyn)))),
            ipKind, innerConv, QStringLiteral("ipip:-:-:ip"));
        row("6in4", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("192.0.2.1", "198.51.100.2", 41, v6Udp())), ipKind, udp6,
            QStringLiteral("6in4:-:-:ip"));
        row("ipip-inner-cut", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("192.168.56.11", "192.168.56.12", 4, v4Tcp().left(12))), ipKind,
            QStringLiteral("4 192.168.56.11 > 192.168.56.12"), QStringLiteral("ipip:-:-:damaged"),
            QStringLiteral("ipv4-truncated"));
        row("gre", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("172.16.0.1", "172.16.0.2", 47, gre(kIpv4, v4Tcp()))), ipKind,
            tcp4, QStringLiteral("gre:-:-:ip"));
        row("gre-checksum-key-sequence", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("172.16.0.1", "172.16.0.2", 47,
                                 gre(kIpv6, v6Udp(), GreOptions{true, 42, 9}))),
            ipKind, udp6, QStringLiteral("gre:42:-:ip"));
        row("gre-transparent-ethernet", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("172.16.0.1", "172.16.0.2", 47,
                                 gre(0x6558, innerTcp, GreOptions{false, 7, {}}))),
            ipKind, innerConv, QStringLiteral("gre:7:-:ip"));
        row("gre-pptp-ppp", LinkType::Ethernet,
            ethernet(kIpv4,
                     ipv4("172.16.0.1", "172.16.0.2", 47, grePptp(0x1234, pppIpv4(v4Udp()), 5, 4))),
            ipKind, udp4, QStringLiteral("gre:4660:-:ip"));
        row("gre-pptp-ack-only", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("172.16.0.1", "172.16.0.2", 47, grePptp(0x1234, {}, {}, 4))),
            ipKind, QStringLiteral("47 172.16.0.1 > 172.16.0.2"),
            QStringLiteral("gre:4660:-:non-ip"));
        row("gre-keepalive", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("172.16.0.1", "172.16.0.2", 47,
                                 gre(kIpv4, ipv4("172.16.0.2", "172.16.0.1", 47, gre(0, {}))))),
            ipKind, QStringLiteral("47 172.16.0.2 > 172.16.0.1"),
            QStringLiteral("gre:-:-:ip>gre:-:-:non-ip"));
        row("gre-source-route", LinkType::Ethernet,
            ethernet(kIpv4,
                     ipv4("172.16.0.1", "172.16.0.2", 47, be16(0x4000) + be16(kIpv4) + filler(20))),
            ipKind, QStringLiteral("47 172.16.0.1 > 172.16.0.2"));
        row("gre-header-cut", LinkType::Ethernet,
            ethernet(kIpv4, ipv4("172.16.0.1", "172.16.0.2", 47,
                                 gre(kIpv4, {}, GreOptions{true, 42, 9}).left(10))),
            ipKind, QStringLiteral("47 172.16.0.1 > 172.16.0.2"), none,
            QStringLiteral("gre-truncated"));
        row("wireguard-handshake", LinkType::Ethernet, overUdp(51820, 51820, wireguard(1, 148)),
            ipKind, QStringLiteral("UDP 192.168.56.11:51820 > 192.168.56.12:51820"),
            QStringLiteral("wireguard:-:51820:encrypted"));
        row("wireguard-from-port", LinkType::Ethernet, overUdp(51820, 40000, wireguard(4, 64)),
            ipKind, QStringLiteral("UDP 192.168.56.11:51820 > 192.168.56.12:40000"),
            QStringLiteral("wireguard:-:51820:encrypted"));
        row("wireguard-port-not-wireguard", LinkType::Ethernet, overUdp(40000, 51820, filler(40)),
            ipKind, QStringLiteral("UDP 192.168.56.11:40000 > 192.168.56.12:51820"));
        row("vxlan-in-wireguard-port-chain", LinkType::Ethernet,
            overUdp(51868, 4789,
                    vxlan(1, ethernet(kIpv4, ipv4("10.1.0.1", "10.1.0.2", 17,
                                                  udp(51820, 51820, wireguard(4, 32)))))),
            ipKind, QStringLiteral("UDP 10.1.0.1:51820 > 10.1.0.2:51820"),
            QStringLiteral("vxlan:1:4789:ip>wireguard:-:51820:encrypted"));

        // Damage.
        row("empty-frame", LinkType::Ethernet, {}, undecodable, none, none,
            QStringLiteral("ethernet-truncated"));
        row("ethernet-cut", LinkType::Ethernet, filler(10), undecodable, none, none,
            QStringLiteral("ethernet-truncated"));
        row("sll-cut", LinkType::LinuxSll, filler(15), undecodable, none, none,
            QStringLiteral("sll-truncated"));
        row("sll2-cut", LinkType::LinuxSll2, filler(19), undecodable, none, none,
            QStringLiteral("sll2-truncated"));
        row("null-cut", LinkType::Null, filler(3), undecodable, none, none,
            QStringLiteral("null-truncated"));
        row("vlan-too-deep", LinkType::Ethernet,
            ethernetTagged({{0x8100, 1},
                            {0x8100, 2},
                            {0x8100, 3},
                            {0x8100, 4},
                            {0x8100, 5},
                            {0x8100, 6},
                            {0x8100, 7},
                            {0x8100, 8},
                            {0x8100, 9}},
                           kIpv4, v4Tcp()),
            undecodable, none, none, QStringLiteral("vlan-too-deep"));
        row("ipv4-header-length-3", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn),
                 Ipv4Options{1, false, 0, 0, {}, 3}),
            undecodable, none, none, QStringLiteral("ipv4-bad-header-length"));
        row("ipv4-header-length-beyond", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, {}, Ipv4Options{1, false, 0, 0, {}, 15}), undecodable,
            none, none, QStringLiteral("ipv4-truncated"));
        row("ipv4-total-below-header", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn), Ipv4Options{1, false, 0, 0, 12}),
            undecodable, none, none, QStringLiteral("ipv4-bad-total-length"));
        row("ipv4-total-beyond-frame", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn), Ipv4Options{1, false, 0, 0, 9000}),
            ipKind, tcp4, none, QStringLiteral("ipv4-length-exceeds-frame"));
        row("ipv4-total-zero-offload", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn), Ipv4Options{1, false, 0, 0, 0}),
            ipKind, tcp4);
        row("ipv6-payload-beyond-frame", LinkType::Raw,
            ipv6("fd00::1", "fd00::2", 17, udp(5000, 53, filler(12)), 5000), ipKind, udp6, none,
            QStringLiteral("ipv6-length-exceeds-frame"));
        row("ipv6-extension-beyond", LinkType::Raw,
            ipv6("fd00::1", "fd00::2", 0, QByteArray::fromHex("11ff") + filler(6)), ipKind,
            QStringLiteral("0 fd00::1 > fd00::2"), none,
            QStringLiteral("ipv6-extension-truncated"));
        row("tcp-data-offset-2", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn, {}, 0, 2)), ipKind,
            QStringLiteral("TCP 10.0.0.1 > 10.0.0.2"), none,
            QStringLiteral("tcp-bad-header-length"));
        row("tcp-options-cut", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kSyn, {}, 0, 15)), ipKind,
            QStringLiteral("TCP 10.0.0.1 > 10.0.0.2"), none, QStringLiteral("tcp-truncated"));
        row("udp-length-4", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, filler(12), 4)), ipKind,
            QStringLiteral("UDP 10.0.0.1 > 10.0.0.2"), none, QStringLiteral("udp-bad-length"));
        row("udp-length-0-ipv4", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, filler(12), 0)), ipKind,
            QStringLiteral("UDP 10.0.0.1 > 10.0.0.2"), none, QStringLiteral("udp-bad-length"));
        row("udp-length-0-ipv6-jumbogram", LinkType::Raw,
            ipv6("fd00::1", "fd00::2", 17, udp(5000, 53, filler(12), 0)), ipKind, udp6);
        row("udp-length-beyond", LinkType::Raw,
            ipv4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, filler(12), 900)), ipKind, udp4, none,
            QStringLiteral("udp-length-exceeds-frame"));
        row("sctp-cut", LinkType::Raw, ipv4("10.0.0.1", "10.0.0.2", 132, filler(6)), ipKind,
            QStringLiteral("SCTP 10.0.0.1 > 10.0.0.2"), none, QStringLiteral("sctp-truncated"));
        row("tunnel-depth-4", LinkType::Raw, nested(4, v4Tcp()), ipKind, tcp4,
            QStringLiteral("ipip:-:-:ip>ipip:-:-:ip>ipip:-:-:ip>ipip:-:-:ip"));
        row("tunnel-too-deep", LinkType::Raw, nested(5, v4Tcp()), ipKind,
            QStringLiteral("4 172.31.0.1 > 172.31.0.2"),
            QStringLiteral("ipip:-:-:ip>ipip:-:-:ip>ipip:-:-:ip>ipip:-:-:ip"),
            QStringLiteral("tunnel-too-deep"));
    }

    void decode()
    {
        QFETCH(int, linkType);
        QFETCH(QByteArray, frame);
        QFETCH(QString, kind);
        QFETCH(QString, conversation);
        QFETCH(QString, tunnels);
        QFETCH(QString, malformed);
        const DecodedPacket packet = decodeFrame(linkType, frame);
        QCOMPARE(kindName(packet.kind), kind);
        QCOMPARE(::conversation(packet), conversation);
        QCOMPARE(tunnelSummary(packet), tunnels);
        QCOMPARE(packet.malformed ? malformedReasonName(*packet.malformed) : QString(), malformed);
    }

    // Every prefix of every frame above, in a heap block of exactly that size (AddressSanitizer
    // catches a read one byte past it), with the wire length as captured, as the full frame
    // and as absurd: never a read out of bounds, and a consistent result.
    void everyPrefixLength_data() { decode_data(); }
    void everyPrefixLength()
    {
        QFETCH(int, linkType);
        QFETCH(QByteArray, frame);
        const PacketDecoder decoder;
        DecodedPacket packet;
        for (qsizetype length = 0; length <= frame.size(); ++length) {
            std::unique_ptr<std::uint8_t[]> bytes(length ? new std::uint8_t[size_t(length)]
                                                         : nullptr);
            if (length)
                std::memcpy(bytes.get(), frame.constData(), size_t(length));
            const std::span<const std::uint8_t> captured(bytes.get(), size_t(length));
            for (std::uint32_t wire : {std::uint32_t(length), std::uint32_t(frame.size()),
                                       std::uint32_t(0xffffffffu), std::uint32_t(0)}) {
                decoder.decode(linkType, captured, wire, packet);
                QVERIFY(packet.tunnelCount <= kMaxTunnelDepth);
                if (packet.kind == DecodedPacket::Kind::Undecodable)
                    QVERIFY2(packet.malformed.has_value(), qPrintable(QString::number(length)));
                if (packet.kind == DecodedPacket::Kind::Ip) {
                    QVERIFY(!packet.src.isNull());
                    QVERIFY(!packet.dst.isNull());
                }
                if (packet.kind != DecodedPacket::Kind::Ip)
                    QCOMPARE(packet.tunnelCount, 0);
            }
        }
    }

    // Random bytes under every link type: nothing but counted outcomes.
    void randomBytes()
    {
        QRandomGenerator random(20240501);
        const PacketDecoder decoder;
        DecodedPacket packet;
        const int linkTypes[] = {LinkType::Ethernet, LinkType::LinuxSll, LinkType::LinuxSll2,
                                 LinkType::Null,     LinkType::Loop,     LinkType::Raw,
                                 LinkType::Ipv4,     LinkType::Ipv6};
        // Seeds that reach deep: valid headers, then random bytes after them.
        const QList<QByteArray> prefixes{
            {},
            ethernet(kIpv4, {}),
            ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 4789, {}))).left(42),
            ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 6081, {}))).left(42),
            ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 47, {})).left(34),
            ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 4, {})).left(34),
            ethernet(kIpv6, ipv6("fd00::1", "fd00::2", 0, {})).left(54),
        };
        int outcomes[3] = {0, 0, 0};
        for (int i = 0; i < 60000; ++i) {
            const int linkType = linkTypes[random.bounded(int(std::size(linkTypes)))];
            QByteArray frame = linkType == LinkType::Ethernet
                                   ? prefixes[random.bounded(int(prefixes.size()))]
                                   : QByteArray();
            const int extra = random.bounded(120);
            for (int j = 0; j < extra; ++j)
                frame.append(char(random.bounded(256)));
            std::vector<std::uint8_t> bytes(frame.begin(), frame.end());
            decoder.decode(linkType, std::span<const std::uint8_t>(bytes.data(), bytes.size()),
                           random.generate(), packet);
            ++outcomes[int(packet.kind)];
            QVERIFY(packet.tunnelCount <= kMaxTunnelDepth);
        }
        QVERIFY(outcomes[0] > 0 && outcomes[1] > 0 && outcomes[2] > 0);
    }

    // DecodeOptions::tunnelFastPath decodes the usual overlay packet and tunnel inside in one
    // pass; it must give what the general steps give, whatever the bytes. Every frame above, at
    // every cut and with the wire lengths everyPrefixLength() uses, both ways.
    void tunnelFastPath_data() { decode_data(); }
    void tunnelFastPath()
    {
        QFETCH(int, linkType);
        QFETCH(QByteArray, frame);
        for (qsizetype length = 0; length <= frame.size(); ++length) {
            for (std::uint32_t wire : {std::uint32_t(length), std::uint32_t(frame.size()),
                                       std::uint32_t(0xffffffffu), std::uint32_t(0)}) {
                const QString difference = fastPathDifference(linkType, frame.left(length), wire);
                QVERIFY2(difference.isEmpty(), qPrintable(QStringLiteral("cut at %1, wire %2: %3")
                                                              .arg(length)
                                                              .arg(wire)
                                                              .arg(difference)));
            }
        }
    }

    // Overlay frames with header bytes changed at random (the fields the one-pass decoding
    // checks and the ones it copies), cut and given wire lengths at random: both ways alike.
    void tunnelFastPathMutated()
    {
        const QByteArray innerTcp = ethernet(kIpv4, v4Tcp(kSyn | kAck));
        const QByteArray innerUdp = ethernet(kIpv4, v4Udp());
        const auto overlay = [](std::uint8_t protocol, const QByteArray &payload) {
            return ethernet(kIpv4, ipv4("192.168.56.11", "192.168.56.12", protocol, payload));
        };
        Ipv4Options withOptions;
        withOptions.optionWords = 1;
        const QList<QByteArray> frames{
            overlay(17, udp(51868, 8472, vxlan(1, innerTcp))),
            overlay(17, udp(51868, 4789, vxlan(7, innerUdp))),
            overlay(17, udp(4789, 40000, vxlan(7, innerTcp))), // from the VXLAN port
            overlay(17, udp(51868, 8472,
                            vxlan(1, ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 17,
                                                          udp(1, 4789, filler(20))))))),
            overlay(17, udp(51868, 8472,
                            vxlan(1, ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 6,
                                                          tcp(1, 2, kSyn, {}, 2)))))),
            // Inner UDP from a tunnel port (VXLAN, WireGuard, Geneve): a tunnel inside.
            overlay(4, ipv4("10.0.0.1", "10.0.0.2", 17, udp(4789, 33000, vxlan(2, innerTcp)))),
            overlay(4, ipv4("10.0.0.1", "10.0.0.2", 17,
                            udp(51820, 33000, QByteArray::fromHex("01000000") + filler(40)))),
            overlay(4,
                    ipv4("10.0.0.1", "10.0.0.2", 17, udp(6081, 33000, geneve(3, kIpv4, v4Udp())))),
            overlay(4, v4Tcp(kFin)),
            overlay(4, v4Udp()),
            overlay(4, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, kRst), withOptions)),
            overlay(17, udp(51868, 6081, geneve(5, 0x6558, innerTcp, 2))),
            overlay(17, udp(51868, 6081, geneve(5, kIpv4, v4Udp()))),
            ethernetTagged(
                {{0x8100, 10}}, kIpv4,
                ipv4("192.168.56.11", "192.168.56.12", 17, udp(51868, 8472, vxlan(1, innerTcp)))),
            ethernet(kIpv4, v4Tcp()),
            ethernet(kIpv4, v4Udp()),
        };
        QRandomGenerator random(20261129);
        for (int i = 0; i < 200000; ++i) {
            const int which = random.bounded(int(frames.size()));
            QByteArray frame = frames[which];
            const int changes = random.bounded(4);
            for (int c = 0; c < changes; ++c) {
                // Mostly within the headers (the first 100 bytes), a value near the old one
                // or anything.
                const int at = random.bounded(int(std::min<qsizetype>(frame.size(), 100)));
                frame[at] = random.bounded(2) ? char(frame[at] + random.bounded(-2, 3))
                                              : char(random.bounded(256));
            }
            const qsizetype length =
                random.bounded(4) == 0 ? random.bounded(int(frame.size()) + 1) : frame.size();
            const std::uint32_t wires[] = {std::uint32_t(length), std::uint32_t(frame.size()),
                                           std::uint32_t(frame.size() + random.bounded(-30, 30)),
                                           random.generate()};
            const std::uint32_t wire = wires[random.bounded(4)];
            const QString difference =
                fastPathDifference(LinkType::Ethernet, frame.left(length), wire);
            QVERIFY2(difference.isEmpty(),
                     qPrintable(QStringLiteral("frame %1 as %2, wire %3: %4")
                                    .arg(which)
                                    .arg(QString::fromLatin1(frame.left(length).toHex()))
                                    .arg(wire)
                                    .arg(difference)));
        }
    }

    // Every frame of every fixture capture, both ways.
    void tunnelFastPathOnFixtures()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        QStringList files;
        QDirIterator it(fixture(""), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(it.next());
        files.sort();
        QVERIFY(!files.isEmpty());
        std::uint64_t frames = 0;
        std::uint64_t tunnelled = 0;
        for (const QString &file : files) {
            auto source = PcapSource::openFile(file);
            if (!source)
                continue; // not a capture libpcap reads (the bad-capture fixtures)
            RawPacket packet;
            for (std::uint64_t index = 0;; ++index) {
                const Result<bool> more = (*source)->next(packet);
                if (!more || !*more)
                    break;
                const QByteArray bytes(reinterpret_cast<const char *>(packet.data.data()),
                                       qsizetype(packet.data.size()));
                const QString difference =
                    fastPathDifference(packet.linkType, bytes, packet.wireLength);
                QVERIFY2(difference.isEmpty(), qPrintable(QStringLiteral("%1, frame %2: %3")
                                                              .arg(file)
                                                              .arg(index + 1)
                                                              .arg(difference)));
                ++frames;
                tunnelled += decodeFrame(packet.linkType, bytes).tunnelCount > 0;
            }
        }
        qInfo() << frames << "frames," << tunnelled << "tunnelled";
        QVERIFY(tunnelled > 100);
    }

    void tunnelPortsOption()
    {
        DecodeOptions options;
        options.vxlanPorts.add(7799);
        const QByteArray frame =
            ethernet(kIpv4, ipv4("192.168.56.11", "192.168.56.12", 17,
                                 udp(1, 7799, vxlan(3, ethernet(kIpv4, v4Tcp())))));
        const DecodedPacket packet = decodeFrame(LinkType::Ethernet, frame, options);
        QCOMPARE(::conversation(packet), QStringLiteral("TCP 10.0.0.1:1025 > 10.0.0.2:80"));
        QCOMPARE(tunnelSummary(packet), QStringLiteral("vxlan:3:7799:ip"));
        QCOMPARE(packet.tunnels[0].outerSrc, ip("192.168.56.11"));
        QCOMPARE(packet.tunnels[0].outerDst, ip("192.168.56.12"));

        // The snapshot's NodeNetwork devices bring their ports.
        DecodeOptions fromSnapshot;
        addSnapshotTunnelPorts(attributionSnapshot(), fromSnapshot);
        QVERIFY(fromSnapshot.vxlanPorts.contains(7799));
        QVERIFY(fromSnapshot.vxlanPorts.contains(8472));
        QVERIFY(fromSnapshot.vxlanPorts.contains(4789));
        QVERIFY(!fromSnapshot.vxlanPorts.contains(7800));
    }

    // ---------------------------------------------------------------- flows

    void flowDirectionAndCounts()
    {
        FlowTable table;
        const auto add = [&](const QByteArray &ipPacket, std::int64_t us) {
            const QByteArray frame = ethernet(kIpv4, ipPacket);
            table.add(decodeFrame(LinkType::Ethernet, frame), us, std::uint32_t(frame.size()));
            return frame.size();
        };
        // The server's packet comes first (capture started mid-conversation): it is side A.
        const qsizetype first =
            add(ipv4("10.0.0.2", "10.0.0.1", 6, tcp(80, 1025, kSyn | kAck)), 1000000500000);
        const qsizetype second =
            add(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kAck | kFin)), 1000000900000);
        const qsizetype third =
            add(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1025, 80, kRst, filler(10))), 1000001200000);
        QCOMPARE(table.size(), size_t(1));
        const std::vector<FlowRecord> flows = table.activeFlows();
        QCOMPARE(flows.size(), size_t(1));
        const FlowRecord &flow = flows[0];
        QCOMPARE(flow.a, ip("10.0.0.2"));
        QCOMPARE(flow.aPort, 80);
        QCOMPARE(flow.b, ip("10.0.0.1"));
        QCOMPARE(flow.bPort, 1025);
        QCOMPARE(flow.packetsAb, 1u);
        QCOMPARE(flow.bytesAb, std::uint64_t(first));
        QCOMPARE(flow.packetsBa, 2u);
        QCOMPARE(flow.bytesBa, std::uint64_t(second + third));
        QCOMPARE(flow.firstUs, 1000000500000);
        QCOMPARE(flow.lastUs, 1000001200000);
        QCOMPARE(tcpFlagNames(flow.tcpFlags), (QStringList{s("SYN"), s("FIN"), s("RST")}));
        QVERIFY(flow.tunnel.empty());
        // Per-second buckets, A → B and B → A.
        QCOMPARE(flow.buckets.size(), size_t(2));
        QCOMPARE(flow.buckets[0].second, 1000000);
        QCOMPARE(flow.buckets[0].packets[0], 1u);
        QCOMPARE(flow.buckets[0].packets[1], 1u);
        QCOMPARE(flow.buckets[1].second, 1000001);
        QCOMPARE(flow.buckets[1].packets[1], 1u);
        QCOMPARE(flow.buckets[1].bytes[1], std::uint64_t(third));
    }

    void flowKeying()
    {
        FlowTable table;
        std::int64_t us = 0;
        const auto add = [&](const QByteArray &frame) {
            table.add(decodeFrame(LinkType::Ethernet, frame), us += 1000, 100);
        };
        // ICMP: one flow per address pair, whatever the identifiers; both directions.
        add(ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(1, 1))));
        add(ethernet(kIpv4, ipv4("10.0.0.2", "10.0.0.1", 1, icmpEcho(1, 1, true))));
        add(ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(2, 1))));
        add(ethernet(kIpv6, ipv6("fd00::1", "fd00::2", 58, icmpv6Echo(9, 1))));
        // UDP: by ports; a later fragment goes to the address pair's flow.
        add(ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, filler(8)))));
        add(ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 17, udp(5001, 53, filler(8)))));
        add(ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 17, filler(8), Ipv4Options{5, false, 3})));
        // The same TCP conversation bare and inside VXLAN (both directions, different VNIs):
        // two flows, the tunnelled one bidirectional.
        const auto inner = [](const char *src, const char *dst, std::uint16_t sp,
                              std::uint16_t dp) {
            return ethernet(kIpv4, ipv4(src, dst, 6, tcp(sp, dp, kSyn)));
        };
        const auto viaVxlan = [&](const char *outerSrc, const char *outerDst,
                                  std::uint16_t outerPort, std::uint32_t vni,
                                  const QByteArray &payload) {
            add(ethernet(kIpv4,
                         ipv4(outerSrc, outerDst, 17, udp(outerPort, 8472, vxlan(vni, payload)))));
        };
        add(inner("10.244.0.2", "10.244.1.2", 41680, 8080));
        viaVxlan("192.168.56.11", "192.168.56.12", 51868, 1,
                 inner("10.244.0.2", "10.244.1.2", 41680, 8080));
        viaVxlan("192.168.56.12", "192.168.56.11", 47309, 2,
                 inner("10.244.1.2", "10.244.0.2", 8080, 41680));
        // One VNI both ways: the B → A levels are those of A → B, and tunnelBa stays empty.
        viaVxlan("192.168.56.11", "192.168.56.12", 51870, 1,
                 inner("10.244.0.3", "10.244.1.2", 41682, 8080));
        viaVxlan("192.168.56.12", "192.168.56.11", 47311, 1,
                 inner("10.244.1.2", "10.244.0.3", 8080, 41682));
        // One conversation through two node pairs' tunnels in turn, and through a tunnel
        // inside the first one: three flows, whichever tunnel the previous packet came through.
        const QByteArray conversation = inner("10.244.0.4", "10.244.1.2", 41684, 8080);
        const QByteArray nested = ethernet(
            kIpv4, ipv4("172.16.0.1", "172.16.0.2", 17, udp(51874, 4789, vxlan(4, conversation))));
        for (int round = 0; round < 2; ++round) {
            viaVxlan("192.168.56.11", "192.168.56.12", 51872, 3, conversation);
            viaVxlan("192.168.56.13", "192.168.56.12", 51872, 3, conversation);
            viaVxlan("192.168.56.11", "192.168.56.12", 51872, 3, nested);
        }
        // Same endpoints on both sides.
        add(ethernet(kIpv4, ipv4("127.0.0.1", "127.0.0.1", 17, udp(5000, 5000, filler(4)))));
        add(ethernet(kIpv4, ipv4("127.0.0.1", "127.0.0.1", 17, udp(5000, 5000, filler(4)))));

        std::vector<FlowRecord> flows = table.activeFlows();
        std::sort(flows.begin(), flows.end(), flowRecordLess);
        QStringList summary;
        for (const FlowRecord &f : flows) {
            QString line = QStringLiteral("%1 %2:%3 %4:%5 %6/%7")
                               .arg(f.protocol)
                               .arg(f.a.toString())
                               .arg(f.hasPorts ? QString::number(f.aPort) : s("-"))
                               .arg(f.b.toString())
                               .arg(f.hasPorts ? QString::number(f.bPort) : s("-"))
                               .arg(f.packetsAb)
                               .arg(f.packetsBa);
            if (!f.tunnel.empty()) {
                line += QStringLiteral(" vxlan %1>%2 vni %3/%4")
                            .arg(f.tunnel[0].outerSrc.toString(), f.tunnel[0].outerDst.toString())
                            .arg(f.tunnel[0].key)
                            .arg(f.tunnelBa.empty() ? -1 : int(f.tunnelBa[0].key));
            }
            summary.append(line);
        }
        const QStringList expected{
            s("1 10.0.0.1:- 10.0.0.2:- 2/1"),
            s("58 fd00::1:- fd00::2:- 1/0"),
            s("17 10.0.0.1:5000 10.0.0.2:53 1/0"),
            s("17 10.0.0.1:5001 10.0.0.2:53 1/0"),
            s("17 10.0.0.1:- 10.0.0.2:- 1/0"),
            s("6 10.244.0.2:41680 10.244.1.2:8080 1/0"),
            s("6 10.244.0.2:41680 10.244.1.2:8080 1/1 vxlan 192.168.56.11>192.168.56.12 vni 1/2"),
            s("6 10.244.0.3:41682 10.244.1.2:8080 1/1 vxlan 192.168.56.11>192.168.56.12 vni 1/-1"),
            s("6 10.244.0.4:41684 10.244.1.2:8080 2/0 vxlan 192.168.56.11>192.168.56.12 vni 3/-1"),
            s("6 10.244.0.4:41684 10.244.1.2:8080 2/0 vxlan 192.168.56.13>192.168.56.12 vni 3/-1"),
            s("6 10.244.0.4:41684 10.244.1.2:8080 2/0 vxlan 192.168.56.11>192.168.56.12 vni 3/-1"),
            s("17 127.0.0.1:5000 127.0.0.1:5000 2/0"),
        };
        QCOMPARE(summary, expected);
    }

    void idleTimeout()
    {
        FlowTableOptions options;
        options.idleTimeoutUs = 10 * 1000000;
        FlowTable table(options);
        const DecodedPacket packet = decodeFrame(LinkType::Raw, v4Udp());
        table.add(packet, 0, 100);
        table.add(packet, 5 * 1000000, 100);
        table.add(packet, 30 * 1000000, 100); // 25 s later: a new flow
        QCOMPARE(table.endedIdle(), 1u);
        const std::vector<FlowRecord> ended = table.takeEnded();
        QCOMPARE(ended.size(), size_t(1));
        QCOMPARE(ended[0].packetsAb, 2u);
        QCOMPARE(ended[0].end, FlowRecord::End::IdleTimeout);
        QVERIFY(table.takeEnded().empty());
        QCOMPARE(table.activeFlows().at(0).packetsAb, 1u);
        // A flow that went quiet is swept when time moves on, without a packet of its own.
        table.add(decodeFrame(LinkType::Raw, v4Tcp()), 31 * 1000000, 60);
        table.add(decodeFrame(LinkType::Raw, v6Udp()), 39 * 1000000, 60);
        table.add(decodeFrame(LinkType::Raw, v6Udp()), 45 * 1000000, 60);
        const std::vector<FlowRecord> swept = table.takeEnded();
        QCOMPARE(swept.size(), size_t(2)); // the UDP flow (last packet at 30 s) and TCP (31 s)
        QCOMPARE(swept[0].protocol, 17);
        QCOMPARE(swept[1].protocol, 6);
        QCOMPARE(table.endedIdle(), 3u);
        QCOMPARE(table.size(), size_t(1));
        QCOMPARE(table.evicted(), 0u);
    }

    void flowLimit()
    {
        FlowTableOptions options;
        options.maxFlows = 2;
        FlowTable table(options);
        const auto udpFrom = [](std::uint16_t port) {
            return decodeFrame(LinkType::Raw,
                               ipv4("10.0.0.1", "10.0.0.2", 17, udp(port, 53, filler(4))));
        };
        table.add(udpFrom(1), 1, 50);
        table.add(udpFrom(2), 2, 50);
        table.add(udpFrom(1), 3, 50); // 1 is now the most recently active
        table.add(udpFrom(3), 4, 50); // evicts 2
        QCOMPARE(table.size(), size_t(2));
        QCOMPARE(table.evicted(), 1u);
        std::vector<FlowRecord> ended = table.takeEnded();
        QCOMPARE(ended.size(), size_t(1));
        QCOMPARE(ended[0].aPort, 2);
        QCOMPARE(ended[0].end, FlowRecord::End::FlowLimit);
        table.add(udpFrom(2), 5, 50); // comes back as a new flow, evicting 1
        QCOMPARE(table.evicted(), 2u);
        ended = table.takeEnded();
        QCOMPARE(ended.at(0).aPort, 1);
        QCOMPARE(ended.at(0).packetsAb, 2u);
        std::uint64_t packets = 0;
        for (const FlowRecord &f : table.activeFlows())
            packets += f.packetsAb;
        QCOMPARE(packets, 2u); // nothing lost: 2 + 1 + 2 = 5 packets in all

        // Through the analysis: every packet lands in exactly one reported flow.
        QList<Record> records;
        for (int i = 0; i < 200; ++i)
            records << at(1000 + i,
                          ethernet(kIpv4, ipv4("10.0.0.1", "10.0.0.2", 17,
                                               udp(std::uint16_t(1000 + i % 37), 53, filler(4)))));
        AnalysisOptions analysis;
        analysis.table.maxFlows = 5;
        const FlowReport report = analyze(pcapFile(linktype::Ethernet, records), analysis);
        std::uint64_t total = 0;
        for (const FlowRecord &f : report.flows)
            total += f.packetsAb + f.packetsBa;
        QCOMPARE(total, 200u);
        QVERIFY(report.summary.evicted > 0);
        QCOMPARE(report.summary.flows, report.flows.size());
    }

    // Flows keep an address in four bytes: an IPv6 address folded (its words XORed), with the
    // full address beside. Addresses whose folds are equal must still be different flows, and
    // IPv6 flows must leave the table (limit, timeout) and come back as any other.
    void foldedAddressesStayApart()
    {
        FlowTableOptions options;
        options.maxFlows = 3;
        options.idleTimeoutUs = 60 * 1000000;
        FlowTable table(options);
        std::int64_t us = 0;
        const auto add = [&](const QByteArray &frame, std::int64_t step = 1000) {
            table.add(decodeFrame(LinkType::Raw, frame), us += step, 100);
        };
        const auto udp6 = [](const char *src, const char *dst) {
            return ipv6(src, dst, 17, udp(4000, 53, filler(4)));
        };
        const auto udp4 = [](const char *src, const char *dst) {
            return ipv4(src, dst, 17, udp(4000, 53, filler(4)));
        };
        // The same words in another order, and an IPv4 address inside an IPv6 one: equal folds.
        add(udp6("fd00::1", "fd00::2"));
        add(udp6("0:0:0:1:fd00::", "0:0:0:2:fd00::"));
        add(udp4("10.0.0.1", "10.0.0.2"));
        add(udp6("fd00::1", "fd00::2"));
        QCOMPARE(table.size(), size_t(3));
        QCOMPARE(table.evicted(), 0u);
        // ::a00:1 folds to 10.0.0.1: a fourth flow, which evicts the least recently active.
        add(udp6("::a00:1", "::a00:2"));
        QCOMPARE(table.evicted(), 1u);
        std::vector<FlowRecord> ended = table.takeEnded();
        QCOMPARE(ended.size(), size_t(1));
        QCOMPARE(ended[0].a, ip("0:0:0:1:fd00::"));
        QCOMPARE(ended[0].b, ip("0:0:0:2:fd00::"));
        QCOMPARE(ended[0].end, FlowRecord::End::FlowLimit);
        // It comes back as a new flow; the rest go quiet and time out around it.
        add(udp6("0:0:0:2:fd00::", "0:0:0:1:fd00::"), 61 * 1000000);
        add(udp6("0:0:0:2:fd00::", "0:0:0:1:fd00::"), 1000);
        ended = table.takeEnded();
        QCOMPARE(ended.size(), size_t(3));
        for (const FlowRecord &flow : ended)
            QCOMPARE(flow.end, FlowRecord::End::IdleTimeout);
        std::sort(ended.begin(), ended.end(), flowRecordLess);
        QCOMPARE(ended[0].a, ip("fd00::1"));
        QCOMPARE(ended[0].b, ip("fd00::2"));
        QCOMPARE(ended[0].packetsAb, 2u);
        QCOMPARE(ended[1].a, ip("10.0.0.1"));
        QCOMPARE(ended[1].packetsAb, 1u);
        QCOMPARE(ended[2].a, ip("::a00:1"));
        QCOMPARE(ended[2].packetsAb, 1u);
        const std::vector<FlowRecord> active = table.activeFlows();
        QCOMPARE(active.size(), size_t(1));
        QCOMPARE(active[0].a, ip("0:0:0:2:fd00::"));
        QCOMPARE(active[0].b, ip("0:0:0:1:fd00::"));
        QCOMPARE(active[0].packetsAb, 2u);
        QCOMPARE(active[0].firstUs, active[0].lastUs - 1000);

        // Flows are told apart by their key's hash before any compare: only keys whose hashes
        // share their low 32 bits are ever compared. Among 300,000 addresses of one fold some
        // pairs do (about ten expected), and must stay apart.
        FlowTableOptions many;
        many.maxFlows = 1000000;
        many.secondBuckets = false;
        FlowTable sameFold(many);
        DecodedPacket packet = decodeFrame(LinkType::Raw, udp6("fd00::1", "fd00::2"));
        constexpr std::uint32_t kAddresses = 300000;
        for (std::uint32_t i = 0; i < kAddresses; ++i) {
            std::array<std::uint8_t, 16> bytes{0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0, 0, 0, 0, 0, 0, 1};
            for (int b = 0; b < 4; ++b) // words 0 and 1 are equal: they cancel in the fold
                bytes[size_t(b)] = bytes[size_t(b + 4)] = std::uint8_t(i >> (8 * b));
            packet.src = IpAddress::fromV6(bytes);
            sameFold.add(packet, i, 100);
        }
        QCOMPARE(sameFold.size(), size_t(kAddresses));
    }

    // Flows are found first through the table's small recent-flow cache. Conversations that come
    // back after they were evicted or timed out, more of them than the cache holds, must still
    // be counted whole: per conversation, the packets over all its reported flows are exactly
    // those sent (a cache entry left pointing at an ended flow would lose them).
    void recentFlowCacheLosesNothing()
    {
        FlowTableOptions options;
        options.maxFlows = 3000;
        options.idleTimeoutUs = 2 * 1000000;
        options.secondBuckets = false;
        FlowTable table(options);
        DecodedPacket packet = decodeFrame(LinkType::Raw, v4Udp());
        std::map<IpAddress, std::uint64_t> sent; // by conversation (its source address)
        std::uint64_t state = 12345;
        std::int64_t now = 0;
        for (int i = 0; i < 300000; ++i) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            // A hot set of 64 and a long tail of 40,000 conversations, with time moving on.
            const auto conversation =
                std::uint32_t((state >> 33) % 8 == 0 ? (state >> 40) % 40000 : (state >> 40) % 64);
            now += std::int64_t((state >> 20) % 200);
            packet.src = IpAddress::fromV4(0x0a000000u + conversation);
            table.add(packet, now, 100);
            ++sent[packet.src];
        }
        QVERIFY(table.evicted() > 0);
        QVERIFY(table.endedIdle() > 0);
        std::map<IpAddress, std::uint64_t> counted;
        const auto count = [&](const std::vector<FlowRecord> &flows) {
            for (const FlowRecord &flow : flows) {
                QCOMPARE(flow.packetsBa, 0u);
                counted[flow.a] += flow.packetsAb;
            }
        };
        count(table.takeEnded());
        count(table.activeFlows());
        QCOMPARE(counted.size(), sent.size());
        QVERIFY(counted == sent);
    }

    // The table's own memory per flow stays under the issue's 300 bytes (buckets apart).
    void memoryPerFlow()
    {
        FlowTableOptions options;
        options.secondBuckets = false;
        FlowTable table(options);
        DecodedPacket packet = decodeFrame(LinkType::Raw, v4Udp());
        for (std::uint32_t i = 0; i < 200000; ++i) {
            packet.src = IpAddress::fromV4(0x0a000000u + i);
            table.add(packet, i, 100);
        }
        QCOMPARE(table.size(), size_t(200000));
        const double perFlow = double(table.memoryBytes()) / double(table.size());
        qInfo("flow table: %.1f bytes per flow", perFlow);
        QVERIFY2(perFlow <= 300, qPrintable(QString::number(perFlow)));
    }

    // ---------------------------------------------------------------- attribution

    void attribution_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<int>("port"); // -1: none
        QTest::addColumn<int>("protocol");
        QTest::addColumn<QString>("expected"); // kind namespace/name (node)

        auto row = [](const char *name, const char *address, int port, int protocol,
                      const char *expected) {
            QTest::newRow(name) << s(address) << port << protocol << s(expected);
        };
        row("pod", "10.244.0.5", 8080, 6, "pod default/web (node-a)");
        row("clusterip", "10.96.0.10", 80, 6, "service default/web-svc");
        row("nodeport-any-node", "192.168.1.12", 30080, 6, "service default/web-np");
        row("nodeport-other-protocol", "192.168.1.12", 30080, 17, "node /node-b");
        row("apiserver-by-label", "192.168.1.11", 6443, 6,
            "pod kube-system/kube-apiserver-node-a (node-a)");
        row("etcd-client", "192.168.1.11", 2379, 6, "pod kube-system/etcd-node-a (node-a)");
        row("etcd-peer", "192.168.1.11", 2380, 6, "pod kube-system/etcd-node-a (node-a)");
        row("kubelet-is-the-node", "192.168.1.11", 10250, 6, "node /node-a");
        row("ephemeral-port", "192.168.1.11", 51234, 6, "node /node-a");
        row("icmp-to-node", "192.168.1.11", -1, 1, "node /node-a");
        row("no-apiserver-here", "192.168.1.12", 6443, 6, "node /node-b");
        row("two-etcd-candidates", "192.168.1.12", 2379, 6, "node /node-b");
        row("declared-host-network-port", "192.168.1.12", 9100, 6,
            "pod monitoring/node-exporter-b (node-b)");
        row("host-port", "192.168.1.12", 8443, 6, "pod default/ingress (node-b)");
        row("host-port-wrong-protocol", "192.168.1.12", 8443, 17, "node /node-b");
        row("bridge-address", "10.244.0.1", 53, 17, "node /node-a");
        row("unknown-pod-in-cidr", "10.244.0.77", 80, 6, "pod / (node-a)");
        row("unknown-pod-other-node", "10.244.1.200", -1, 1, "pod / (node-b)");
        row("external", "8.8.8.8", 53, 17, "external /");
        row("external-ipv6", "2001:db8::1", 443, 6, "external /");
        row("service-external-ip", "203.0.113.10", 80, 6, "service default/lb");
    }

    void attribution()
    {
        QFETCH(QString, address);
        QFETCH(int, port);
        QFETCH(int, protocol);
        QFETCH(QString, expected);
        static const EndpointAttributor attributor(attributionSnapshot());
        const ClusterEndpoint endpoint = attributor.endpoint(
            *IpAddress::parse(QStringView(address)),
            port < 0 ? std::nullopt : std::optional<std::uint16_t>(std::uint16_t(port)),
            std::uint8_t(protocol));
        QString text = clusterEndpointKindName(endpoint.kind) + u' ' + endpoint.namespaceName +
                       u'/' + endpoint.name;
        if (endpoint.kind == ClusterEndpoint::Kind::Pod)
            text += QStringLiteral(" (%1)").arg(endpoint.nodeName);
        QCOMPARE(text, expected);
    }

    void attributionOfTunnelEnds()
    {
        const EndpointAttributor attributor(attributionSnapshot());
        QCOMPARE(attributor.nodeName(ip("192.168.1.12")), s("node-b"));
        QCOMPARE(attributor.nodeName(ip("10.244.0.0")), s("node-a")); // flannel.1
        QCOMPARE(attributor.nodeName(ip("10.244.0.5")), QString());
        QCOMPARE(attributor.nodeName(ip("8.8.8.8")), QString());

        const EndpointAttributor none;
        QVERIFY(!none.hasSnapshot());
        QCOMPARE(none.endpoint(ip("192.168.1.12"), 6443, 6).kind, ClusterEndpoint::Kind::External);
        QCOMPARE(none.nodeName(ip("192.168.1.12")), QString());
    }

    // ---------------------------------------------------------------- sources

    void openErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason"); // part of libpcap's words that must be quoted

        QTest::newRow("missing") << m_dir.filePath(QStringLiteral("nowhere/none.pcap"))
                                 << s("No such file");
        QTest::newRow("directory") << m_dir.path() << s("Is a directory");
        QTest::newRow("text") << write(QStringLiteral("notes.pcap"), "this is not a capture\n")
                              << s("unknown file format");
        QTest::newRow("empty") << write(QStringLiteral("empty.pcap"), {})
                               << s("truncated dump file");
        QTest::newRow("header-cut")
            << write(QStringLiteral("cut.pcap"), pcapFile(linktype::Ethernet, {}).left(13))
            << s("truncated dump file");
        QByteArray reserved = pcapFile(linktype::Ethernet, {});
        reserved[22] = '\x30'; // link type 0x00300001
        QTest::newRow("reserved-link-type-bits")
            << write(QStringLiteral("reserved.pcap"), reserved) << s("reserved bits");
        QByteArray archaic = pcapFile(linktype::Ethernet, {});
        archaic[4] = '\x01'; // major version 1
        QTest::newRow("version-1")
            << write(QStringLiteral("archaic.pcap"), archaic) << s("archaic pcap savefile format");
        if (haveFixtures()) {
            QTest::newRow("fixture-pcapng-version")
                << fixture("libpcap/pcapng-invalid-vers-1.pcapng")
                << s("unsupported pcapng savefile version");
            QTest::newRow("fixture-shb-option-too-long")
                << fixture("libpcap/shb-option-too-long.pcapng")
                << s("block total length in header and trailer don't match");
        }
        if (::geteuid() != 0) {
            const QString locked =
                write(QStringLiteral("locked.pcap"), pcapFile(linktype::Ethernet, {}));
            QFile::setPermissions(locked, {});
            QTest::newRow("unreadable") << locked << s("Permission denied");
        }
    }

    void openErrors()
    {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const auto source = PcapSource::openFile(path);
        QVERIFY(!source);
        const QString message = describe(source.error());
        qInfo().noquote() << message;
        QVERIFY2(message.startsWith(path), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
    }

    // A capture damaged part way: the packets before the damage, then an error naming the
    // file, the packet and libpcap's reason.
    void damagedPartWay_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("packets");
        QTest::addColumn<QString>("reason");

        QList<Record> records;
        for (int i = 0; i < 5; ++i)
            records << at(1000000 + i, ethernet(kIpv4, v4Udp()));
        const QByteArray whole = pcapFile(linktype::Ethernet, records);
        QTest::newRow("cut-in-record-data")
            << write(QStringLiteral("data.pcap"), whole.left(whole.size() - 10)) << 4
            << s("truncated dump file");
        QTest::newRow("cut-in-record-header")
            << write(QStringLiteral("header.pcap"),
                     whole.left(24 + 3 * (16 + ethernet(kIpv4, v4Udp()).size()) + 9))
            << 3 << s("truncated dump file");
        QByteArray giant = whole;
        giant[24 + 8] = '\xff'; // caplen of the first record: 0x......ff
        giant[24 + 9] = '\xff';
        giant[24 + 10] = '\xff';
        QTest::newRow("giant-caplen")
            << write(QStringLiteral("giant.pcap"), giant) << 0 << s("bigger than snaplen");
        if (haveFixtures()) {
            QTest::newRow("fixture-mid-record")
                << fixture("generated/derived-truncated-mid-record.pcap") << 54
                << s("truncated dump file");
            QTest::newRow("fixture-mid-block")
                << fixture("generated/derived-truncated-mid-block.pcapng") << 6
                << s("truncated pcapng dump file");
            QTest::newRow("fixture-mixed-link-types")
                << fixture("pcapplusplus/pcapng-example.pcapng") << 59
                << s("different from the type of the first interface");
        }
    }

    void damagedPartWay()
    {
        QFETCH(QString, path);
        QFETCH(int, packets);
        QFETCH(QString, reason);
        auto source = PcapSource::openFile(path);
        QVERIFY2(source, qPrintable(source ? QString() : describe(source.error())));
        RawPacket packet;
        int read = 0;
        for (;;) {
            const Result<bool> more = (*source)->next(packet);
            if (!more) {
                const QString message = describe(more.error());
                qInfo().noquote() << message;
                QVERIFY2(message.startsWith(path), qPrintable(message));
                QVERIFY2(message.contains(QStringLiteral("packet %1").arg(packets + 1)),
                         qPrintable(message));
                QVERIFY2(message.contains(reason), qPrintable(message));
                break;
            }
            QVERIFY2(*more, "the capture ended without the error");
            ++read;
        }
        QCOMPARE(read, packets);
        QVERIFY(!*(*source)->next(packet)); // stays at the end
    }

    void fixtureWithAbsurdSnaplen()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        // caplen > snaplen (Zeek's trunc-hdr) and a 2 GB snaplen field (tcpdump's lisp file):
        // read, decoded as far as the bytes go.
        for (const char *name : {"zeek/trunc-hdr.pcap", "tcpdump/lisp_invalid_length.pcap"}) {
            auto source = PcapSource::openFile(fixture(name));
            QVERIFY(source);
            auto report = analyzeCapture(**source, {});
            QVERIFY(report);
            QCOMPARE(report->summary.packets, 1u);
            QVERIFY(!report->summary.readError);
        }
    }

    void nanosecondTimestamps()
    {
        QByteArray file = pcapFile(linktype::Raw, {Record{0, v4Udp(), 0}});
        file.replace(0, 4, le32(0xa1b23c4d)); // nanosecond pcap
        file.replace(24, 8, QByteArray(le32(1700000000) + le32(123456789)));
        const FlowReport report = analyze(file);
        QCOMPARE(report.flows.at(0).firstUs, 1700000000123456);
        QCOMPARE(formatTimestampUs(report.flows.at(0).firstUs), s("2023-11-14T22:13:20.123456Z"));
    }

    void streamSources()
    {
        QList<Record> records;
        for (int i = 0; i < 50; ++i)
            records << at(2000000 + i * 1000, ethernet(kIpv4, v4Tcp(i % 2 ? kAck : kSyn)));
        const QByteArray pcap = pcapFile(linktype::Ethernet, records);

        // A file descriptor: the read end of a pipe.
        int fds[2];
        QVERIFY(::pipe(fds) == 0);
        QCOMPARE(::write(fds[1], pcap.constData(), size_t(pcap.size())), ssize_t(pcap.size()));
        ::close(fds[1]);
        auto fromFd = PcapSource::openFd(fds[0], QStringLiteral("pipe"));
        ::close(fds[0]); // the source holds its own duplicate
        QVERIFY(fromFd);
        auto report = analyzeCapture(**fromFd, {});
        QVERIFY(report);
        QCOMPARE(report->summary.packets, 50u);
        QCOMPARE(report->flows.size(), size_t(1));
        QCOMPARE(report->flows[0].packetsAb, 50u);

        // A sequential QIODevice: a process writing a pcapng fixture to its stdout.
        if (haveFixtures()) {
            QProcess cat;
            cat.start(QStringLiteral("cat"), {fixture("generated/flannel-node1-multi-if.pcapng")});
            QVERIFY(cat.waitForStarted());
            auto fromProcess = PcapSource::openDevice(&cat, QStringLiteral("cat"));
            QVERIFY2(fromProcess,
                     qPrintable(fromProcess ? QString() : describe(fromProcess.error())));
            auto streamed = analyzeCapture(**fromProcess, {});
            QVERIFY(streamed);
            QCOMPARE(streamed->summary.packets, 137u);
            cat.waitForFinished();
            auto file = PcapSource::openFile(fixture("generated/flannel-node1-multi-if.pcapng"));
            QVERIFY(file);
            auto direct = analyzeCapture(**file, {});
            QVERIFY(direct);
            EndpointAttributor none;
            QCOMPARE(flowReportToJson(*streamed, none), flowReportToJson(*direct, none));
        }

        // Not a capture on a stream.
        QBuffer junk;
        junk.setData("GET / HTTP/1.1\r\n\r\n");
        junk.open(QIODevice::ReadOnly);
        auto bad = PcapSource::openDevice(&junk, QStringLiteral("agent stream"));
        QVERIFY(!bad);
        QVERIFY(describe(bad.error()).startsWith(u"agent stream"));
        QVERIFY(describe(bad.error()).contains(u"unknown file format"));
    }

    // ---------------------------------------------------------------- analysis and export

    void summaryCounts()
    {
        const QList<Record> records{
            at(1000, ethernet(kIpv4, v4Tcp())),
            at(2000, ethernet(kArp, arpRequest())),
            // cut by the snapshot length inside TCP: malformed, still a flow
            Record{3000, ethernet(kIpv4, v4Tcp()).left(44),
                   std::uint32_t(ethernet(kIpv4, v4Tcp()).size())},
            at(4000, filler(9)), // no Ethernet header
            at(5000, ethernet(kIpv6, v6Udp())),
        };
        const FlowReport report = analyze(pcapFile(linktype::Ethernet, records));
        const CaptureSummary &summary = report.summary;
        QCOMPARE(summary.packets, 5u);
        std::uint64_t bytes = 0;
        for (const Record &r : records)
            bytes += r.wire ? r.wire : std::uint64_t(r.data.size());
        QCOMPARE(summary.bytes, bytes);
        QCOMPARE(summary.ipPackets, 3u);
        QCOMPARE(summary.nonIp, 1u);
        QCOMPARE(summary.undecodable, 1u);
        QCOMPARE(summary.malformedTotal(), 2u);
        QCOMPARE(summary.malformed[size_t(MalformedReason::TcpTruncated)], 1u);
        QCOMPARE(summary.malformed[size_t(MalformedReason::EthernetTruncated)], 1u);
        QCOMPARE(summary.flows, 3u); // TCP, TCP without ports (cut), UDP over IPv6
        QCOMPARE(summary.linkTypes.at(LinkType::Ethernet), 5u);
        QVERIFY(!summary.readError);
    }

    // A flow whose two directions crossed the tunnel with different VNIs says so ("vni_ba");
    // one VNI both ways is written once.
    void jsonVniByDirection()
    {
        const auto vxlanPacket = [](std::int64_t us, const char *outerSrc, const char *outerDst,
                                    std::uint32_t vni, const char *src, const char *dst,
                                    std::uint16_t sp, std::uint16_t dp) {
            return at(
                us,
                ethernet(
                    kIpv4,
                    ipv4(outerSrc, outerDst, 17,
                         udp(50000, 8472,
                             vxlan(vni, ethernet(kIpv4, ipv4(src, dst, 6, tcp(sp, dp, kAck))))))));
        };
        const QList<Record> records{
            vxlanPacket(1000, "192.168.1.11", "192.168.1.12", 7, "10.244.0.5", "10.244.1.9", 40000,
                        8443),
            vxlanPacket(2000, "192.168.1.12", "192.168.1.11", 7, "10.244.1.9", "10.244.0.5", 8443,
                        40000),
            vxlanPacket(3000, "192.168.1.11", "192.168.1.12", 7, "10.244.0.6", "10.244.1.9", 40001,
                        8443),
            vxlanPacket(4000, "192.168.1.12", "192.168.1.11", 9, "10.244.1.9", "10.244.0.6", 8443,
                        40001),
        };
        const FlowReport report = analyze(pcapFile(linktype::Ethernet, records));
        QCOMPARE(report.flows.size(), std::size_t(2));
        QVERIFY(report.flows[0].tunnelBa.empty());
        QCOMPARE(report.flows[1].tunnelBa.size(), std::size_t(1));
        QCOMPARE(report.flows[1].tunnelBa[0].key, 9u);
        const QJsonArray flows =
            parseObject(flowReportToJson(report, EndpointAttributor(attributionSnapshot())))
                .value(u"flows")
                .toArray();
        QCOMPARE(flows.size(), 2);
        const QJsonObject same = flows[0].toObject().value(u"tunnel").toObject();
        QCOMPARE(same.value(u"vni").toInt(), 7);
        QVERIFY(!same.contains(u"vni_ba"));
        const QJsonObject differs = flows[1].toObject().value(u"tunnel").toObject();
        QCOMPARE(differs.value(u"vni").toInt(), 7);
        QCOMPARE(differs.value(u"vni_ba").toInt(), 9);
        QCOMPARE(flows[1].toObject().value(u"packets_ba").toInt(), 1);
    }

    // Flows crossing many node pairs' tunnels (more than the writer keeps the text of, so
    // entries are replaced and hashes collide), interleaved with two-level and per-direction
    // ones: each flow's "tunnel" is its own, node names included.
    void jsonTunnelsOfManyNodePairs()
    {
        const EndpointAttributor attributor(attributionSnapshot());
        const auto outer = [](int node) {
            return IpAddress::fromV4(0xc0a80100u + std::uint32_t(node)); // 192.168.1.x
        };
        FlowReport report;
        QRandomGenerator random(7);
        for (int i = 0; i < 30000; ++i) {
            FlowRecord flow;
            flow.a = ip("10.244.0.5");
            flow.b = ip("10.244.1.9");
            flow.aPort = std::uint16_t(40000 + i % 20000);
            flow.bPort = 443;
            flow.protocol = 6;
            flow.hasPorts = true;
            flow.packetsAb = 1;
            flow.firstUs = flow.lastUs = 1714564803000000 + i;
            TunnelLevel level;
            level.type = random.bounded(4) == 0 ? TunnelType::Geneve : TunnelType::Vxlan;
            level.outerSrc = outer(1 + random.bounded(120)); // .11 and .12 are nodes
            level.outerDst = outer(1 + random.bounded(120));
            level.key = std::uint32_t(random.bounded(3));
            level.hasKey = random.bounded(8) != 0;
            level.udpPort = level.type == TunnelType::Geneve ? 6081 : 8472;
            flow.tunnel = {level};
            if (i % 97 == 0) {
                TunnelLevel inner;
                inner.type = TunnelType::IpIp;
                inner.outerSrc = outer(200);
                inner.outerDst = outer(201);
                flow.tunnel.push_back(inner);
            } else if (i % 89 == 0) {
                flow.tunnelBa = flow.tunnel;
                flow.tunnelBa[0].key += 1;
            }
            report.flows.push_back(flow);
        }
        const QJsonArray flows =
            parseObject(flowReportToJson(report, attributor)).value(u"flows").toArray();
        QCOMPARE(flows.size(), qsizetype(report.flows.size()));
        int named = 0;
        for (qsizetype i = 0; i < flows.size(); ++i) {
            const FlowRecord &flow = report.flows[size_t(i)];
            const TunnelLevel &level = flow.tunnel[0];
            const QJsonObject tunnel = flows[i].toObject().value(u"tunnel").toObject();
            const QString where = QStringLiteral("flow %1").arg(i);
            QVERIFY2(tunnel.value(u"type").toString() == tunnelTypeName(level.type),
                     qPrintable(where));
            QVERIFY2(level.hasKey ? tunnel.value(u"vni").toInt() == int(level.key)
                                  : tunnel.value(u"vni").isNull(),
                     qPrintable(where));
            QVERIFY2(tunnel.value(u"outer_a").toString() == level.outerSrc.toString(),
                     qPrintable(where));
            QVERIFY2(tunnel.value(u"outer_b").toString() == level.outerDst.toString(),
                     qPrintable(where));
            QVERIFY2(tunnel.value(u"port").toInt() == level.udpPort, qPrintable(where));
            for (const auto &[key, address] :
                 {std::pair{u"outer_a_node", level.outerSrc}, {u"outer_b_node", level.outerDst}}) {
                const QString node = attributor.nodeName(address);
                QVERIFY2(node.isEmpty() ? tunnel.value(key).isNull()
                                        : tunnel.value(key).toString() == node,
                         qPrintable(where));
                named += node.isEmpty() ? 0 : 1;
            }
            QVERIFY2(tunnel.contains(u"inner") == (flow.tunnel.size() == 2), qPrintable(where));
            QVERIFY2(tunnel.contains(u"vni_ba") == !flow.tunnelBa.empty(), qPrintable(where));
        }
        QVERIFY(named > 0);
    }

    void jsonAndCsv()
    {
        const QList<Record> records{
            at(1714564803250000,
               ethernet(kIpv4, ipv4("192.168.1.11", "192.168.1.12", 17,
                                    udp(50000, 8472,
                                        vxlan(1, ethernet(kIpv4, ipv4("10.244.0.5", "10.244.1.9", 6,
                                                                      tcp(40000, 8443, kSyn)))))))),
            at(1714564803260000, ethernet(kIpv4, ipv4("10.244.0.5", "8.8.8.8", 1, icmpEcho(1, 1)))),
            at(1714564803270000, ethernet(kIpv4, ipv4("10.244.0.5", "10.244.1.9", 89, filler(20)))),
        };
        const FlowReport report = analyze(pcapFile(linktype::Ethernet, records));
        const EndpointAttributor attributor(attributionSnapshot());
        const QJsonObject root = parseObject(flowReportToJson(report, attributor));
        const QJsonArray flows = root.value(u"flows").toArray();
        QCOMPARE(flows.size(), 3);
        const QJsonObject tcpFlow = flows[0].toObject();
        QCOMPARE(tcpFlow.value(u"protocol").toString(), s("TCP"));
        QCOMPARE(tcpFlow.value(u"first").toString(), s("2024-05-01T12:00:03.250000Z"));
        QCOMPARE(tcpFlow.value(u"last").toString(), s("2024-05-01T12:00:03.250000Z"));
        const QJsonObject a = tcpFlow.value(u"a").toObject();
        QCOMPARE(a.value(u"ip").toString(), s("10.244.0.5"));
        QCOMPARE(a.value(u"port").toInt(), 40000);
        QCOMPARE(a.value(u"endpoint").toObject().value(u"kind").toString(), s("pod"));
        QCOMPARE(a.value(u"endpoint").toObject().value(u"namespace").toString(), s("default"));
        QCOMPARE(a.value(u"endpoint").toObject().value(u"name").toString(), s("web"));
        const QJsonObject b = tcpFlow.value(u"b").toObject();
        QCOMPARE(b.value(u"endpoint").toObject().value(u"name").toString(), s("ingress"));
        QCOMPARE(tcpFlow.value(u"packets_ab").toInt(), 1);
        QCOMPARE(tcpFlow.value(u"packets_ba").toInt(), 0);
        QCOMPARE(tcpFlow.value(u"bytes_ab").toInt(), int(records[0].data.size()));
        QCOMPARE(tcpFlow.value(u"bytes_ba").toInt(), 0);
        QCOMPARE(tcpFlow.value(u"tcp_flags").toArray(), QJsonArray{s("SYN")});
        const QJsonObject tunnel = tcpFlow.value(u"tunnel").toObject();
        QCOMPARE(tunnel.value(u"type").toString(), s("vxlan"));
        QCOMPARE(tunnel.value(u"vni").toInt(), 1);
        QCOMPARE(tunnel.value(u"outer_a").toString(), s("192.168.1.11"));
        QCOMPARE(tunnel.value(u"outer_b").toString(), s("192.168.1.12"));
        QCOMPARE(tunnel.value(u"port").toInt(), 8472);
        QCOMPARE(tunnel.value(u"outer_a_node").toString(), s("node-a"));
        QCOMPARE(tunnel.value(u"outer_b_node").toString(), s("node-b"));
        QCOMPARE(tunnel.value(u"payload").toString(), s("ip"));

        const QJsonObject icmpFlow = flows[1].toObject();
        QCOMPARE(icmpFlow.value(u"protocol").toString(), s("ICMP"));
        QVERIFY(icmpFlow.value(u"a").toObject().value(u"port").isNull());
        QVERIFY(icmpFlow.value(u"tunnel").isNull());
        QVERIFY(icmpFlow.value(u"tcp_flags").isNull());
        const QJsonObject external = icmpFlow.value(u"b").toObject().value(u"endpoint").toObject();
        QCOMPARE(external.value(u"kind").toString(), s("external"));
        QVERIFY(external.value(u"namespace").isNull());
        QVERIFY(external.value(u"name").isNull());
        QCOMPARE(flows[2].toObject().value(u"protocol").toInt(), 89); // OSPF: the number

        const QJsonObject summary = root.value(u"summary").toObject();
        for (const char *key : {"packets", "bytes", "flows", "malformed", "non_ip", "evicted"})
            QVERIFY2(summary.contains(QLatin1String(key)), key);
        QCOMPARE(summary.value(u"packets").toInt(), 3);
        QCOMPARE(summary.value(u"flows").toInt(), 3);
        QVERIFY(summary.value(u"read_error").isNull());

        // Without a snapshot the endpoint is unknown, not "external".
        const QJsonObject bare = parseObject(flowReportToJson(report, EndpointAttributor()));
        QVERIFY(bare.value(u"flows")
                    .toArray()[0]
                    .toObject()
                    .value(u"a")
                    .toObject()
                    .value(u"endpoint")
                    .isNull());

        const QList<QByteArray> csv = flowsToCsv(report.flows, attributor).split('\n');
        QCOMPARE(csv[0], QByteArray("protocol,a_ip,a_port,a_kind,a_namespace,a_name,b_ip,b_port,"
                                    "b_kind,b_namespace,b_name,packets_ab,bytes_ab,packets_ba,"
                                    "bytes_ba,first,last,tunnel_type,tunnel_vni,tunnel_outer_a,"
                                    "tunnel_outer_b,tunnel_port,tcp_flags"));
        QCOMPARE(csv[1], QByteArray("TCP,10.244.0.5,40000,pod,default,web,10.244.1.9,8443,pod,"
                                    "default,ingress,1,") +
                             QByteArray::number(records[0].data.size()) +
                             ",0,0,2024-05-01T12:00:03.250000Z,2024-05-01T12:00:03.250000Z,"
                             "vxlan,1,192.168.1.11,192.168.1.12,8472,SYN");
        QCOMPARE(csv.size(), 5); // header, 3 flows, final newline
    }

    // Written to a device in chunks, the export is the same text as in one piece, for IPv4,
    // IPv6 and tunnelled flows alike; a device that takes no writes is reported, not ignored.
    void streamedExport()
    {
        QList<Record> records;
        for (int i = 0; i < 3000; ++i) {
            const auto port = std::uint16_t(20000 + i);
            const std::int64_t us = 1714564803000000 + i * 997;
            if (i % 3 == 0)
                records.append(at(us, ethernet(kIpv4, ipv4("10.244.0.5", "10.244.1.9", 17,
                                                           udp(port, 53, filler(8))))));
            else if (i % 3 == 1)
                records.append(at(us, ethernet(kIpv6, ipv6("fd00::5", "fd00:10:244::9", 6,
                                                           tcp(port, 443, kSyn)))));
            else
                records.append(at(
                    us, ethernet(kIpv4,
                                 ipv4("192.168.1.11", "192.168.1.12", 17,
                                      udp(port, 8472,
                                          vxlan(7, ethernet(kIpv4,
                                                            ipv4("10.244.0.5", "10.244.1.9", 17,
                                                                 udp(port, 9995, filler(4))))))))));
        }
        const FlowReport report = analyze(pcapFile(linktype::Ethernet, records));
        QCOMPARE(report.flows.size(), std::size_t(3000));
        const EndpointAttributor attributor(attributionSnapshot());

        QBuffer json;
        QVERIFY(json.open(QIODevice::WriteOnly));
        QVERIFY(writeFlowReportJson(json, report, attributor));
        QVERIFY(json.data().size() > 512 * 1024); // many of the writer's chunks
        QCOMPARE(json.data(), flowReportToJson(report, attributor));
        QBuffer csv;
        QVERIFY(csv.open(QIODevice::WriteOnly));
        QVERIFY(writeFlowsCsv(csv, report.flows, attributor));
        QCOMPARE(csv.data(), flowsToCsv(report.flows, attributor));
        QCOMPARE(csv.data().count('\n'), 3001);

        QBuffer readOnly;
        QVERIFY(readOnly.open(QIODevice::ReadOnly));
        QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QBuffer): ReadOnly device");
        QVERIFY(!writeFlowReportJson(readOnly, report, attributor));
        QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QBuffer): ReadOnly device");
        QVERIFY(!writeFlowsCsv(readOnly, report.flows, attributor));
    }

    // The CLI writes its flows straight from the replay's table (FlowResults) instead of from
    // records: the bytes must be those of the report, in its order, whatever that order took to
    // make (timestamps out of order, flows that left the table, equal first timestamps).
    void resultsStreamTheReport_data()
    {
        QTest::addColumn<int>("timing"); // 0 rising, 1 jumping back now and then, 2 coarse (ties)
        QTest::addColumn<int>("maxFlows");
        QTest::addColumn<int>("idleSeconds");
        QTest::addColumn<int>("packets");
        QTest::addColumn<int>("ports"); // up to 3 flows per port: bare and through two tunnels
        QTest::newRow("rising timestamps") << 0 << 1000000 << 0 << 4000 << 300;
        QTest::newRow("timestamps out of order") << 1 << 1000000 << 0 << 4000 << 300;
        QTest::newRow("equal first timestamps") << 2 << 1000000 << 0 << 4000 << 300;
        QTest::newRow("evictions") << 0 << 40 << 0 << 4000 << 300;
        QTest::newRow("idle timeout, out of order") << 1 << 1000000 << 2 << 4000 << 300;
        QTest::newRow("everything at once") << 2 << 600 << 1 << 4000 << 300;
        // Enough flows for the export to format them in runs on several threads.
        QTest::newRow("many flows, rising") << 0 << 1000000 << 0 << 60000 << 20000;
        QTest::newRow("many flows, out of order") << 1 << 1000000 << 0 << 60000 << 20000;
        QTest::newRow("many flows, evictions") << 0 << 9000 << 0 << 60000 << 20000;
    }
    void resultsStreamTheReport()
    {
        QFETCH(int, timing);
        QFETCH(int, maxFlows);
        QFETCH(int, idleSeconds);
        QFETCH(int, packets);
        QFETCH(int, ports);
        QList<Record> records;
        std::uint64_t state = 99;
        std::int64_t us = 1714564803000000;
        for (int i = 0; i < packets; ++i) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            const auto port = std::uint16_t(30000 + (state >> 33) % std::uint64_t(ports));
            us += std::int64_t((state >> 20) % 3000);
            std::int64_t stamp = us;
            if (timing == 1 && (state >> 45) % 7 == 0)
                stamp -= std::int64_t((state >> 50) % 2000000);
            else if (timing == 2)
                stamp = 1714564803000000 + (us - 1714564803000000) / 1000000 * 1000000;
            const QByteArray inner = ipv4("10.244.0.5", "10.244.1.9", 17, udp(port, 53, filler(8)));
            if ((state >> 40) % 3 == 0) // the same conversations through one of two tunnels
                records.append(
                    at(stamp,
                       ethernet(kIpv4, ipv4((state >> 41) % 2 ? "192.168.1.11" : "192.168.1.13",
                                            "192.168.1.12", 17,
                                            udp(port, 8472, vxlan(7, ethernet(kIpv4, inner)))))));
            else if ((state >> 43) % 2 == 0)
                records.append(at(stamp, ethernet(kIpv4, inner)));
            else // the reply: side B speaks first for some flows
                records.append(at(stamp, ethernet(kIpv4, ipv4("10.244.1.9", "10.244.0.5", 17,
                                                              udp(53, port, filler(8))))));
        }
        const QByteArray pcap = pcapFile(linktype::Ethernet, records);
        AnalysisOptions options;
        options.table.maxFlows = std::size_t(maxFlows);
        options.table.idleTimeoutUs = std::int64_t(idleSeconds) * 1000000;
        options.table.secondBuckets = true;
        const FlowReport report = analyze(pcap, options);
        for (std::size_t i = 1; i < report.flows.size(); ++i)
            QVERIFY(!flowRecordLess(report.flows[i], report.flows[i - 1]));
        if (packets > 4000) // the "many flows" rows: more than three of the export's runs
            QVERIFY2(report.flows.size() > 3 * 8192,
                     qPrintable(QString::number(report.flows.size())));
        if (maxFlows < 1000000)
            QVERIFY(report.summary.evicted > 0);
        if (idleSeconds > 0)
            QVERIFY(report.summary.expired > 0);

        QBuffer buffer;
        buffer.setData(pcap);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        auto source = PcapSource::openDevice(&buffer, QStringLiteral("buffer"));
        QVERIFY(source);
        const Result<FlowResults> results = replayCapture(**source, options);
        QVERIFY(results);
        QCOMPARE(results->size(), report.flows.size());
        QCOMPARE(results->summary().flows, report.summary.flows);
        std::size_t visited = 0;
        results->forEach([&](const FlowRecord &flow) {
            QVERIFY(visited < report.flows.size());
            QCOMPARE(flow.firstUs, report.flows[visited].firstUs);
            QCOMPARE(flow.buckets, report.flows[visited].buckets);
            QCOMPARE(flow.tunnelBa.size(), report.flows[visited].tunnelBa.size());
            ++visited;
        });
        QCOMPARE(visited, report.flows.size());
        // In runs, as the export visits them from several threads: the same flows in order.
        for (const std::size_t flowsPerRun : {std::size_t(7), std::size_t(1000)}) {
            const std::vector<FlowResults::Run> runs = results->runs(flowsPerRun);
            QCOMPARE(runs.size(), (report.flows.size() + flowsPerRun - 1) / flowsPerRun);
            visited = 0;
            for (const FlowResults::Run &run : runs) {
                QCOMPARE(run.position, visited);
                results->forEachIn(run, [&](const FlowRecord &flow) {
                    QVERIFY(visited < report.flows.size());
                    QCOMPARE(flow.firstUs, report.flows[visited].firstUs);
                    QCOMPARE(flow.a, report.flows[visited].a);
                    QCOMPARE(flow.aPort, report.flows[visited].aPort);
                    QCOMPARE(flow.packetsAb, report.flows[visited].packetsAb);
                    ++visited;
                });
            }
            QCOMPARE(visited, report.flows.size());
        }

        const EndpointAttributor attributor(attributionSnapshot());
        FlowExportOptions exportOptions;
        exportOptions.secondBuckets = true;
        QBuffer json;
        QVERIFY(json.open(QIODevice::WriteOnly));
        QVERIFY(writeFlowReportJson(json, *results, attributor, exportOptions));
        QCOMPARE(json.data(), flowReportToJson(report, attributor, exportOptions));
        QBuffer csv;
        QVERIFY(csv.open(QIODevice::WriteOnly));
        QVERIFY(writeFlowsCsv(csv, *results, attributor));
        QCOMPARE(csv.data(), flowsToCsv(report.flows, attributor));
    }

    void timestamps()
    {
        QCOMPARE(formatTimestampUs(0), s("1970-01-01T00:00:00.000000Z"));
        QCOMPARE(formatTimestampUs(-1), s("1969-12-31T23:59:59.999999Z"));
        QCOMPARE(formatTimestampUs(951782400000001), s("2000-02-29T00:00:00.000001Z"));
    }

    void deterministic()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        QByteArray first;
        for (int run = 0; run < 2; ++run) {
            auto source = PcapSource::openFile(fixture("generated/flannel-node1-any-sll.pcap"));
            QVERIFY(source);
            auto report = analyzeCapture(**source, {});
            QVERIFY(report);
            const QByteArray json = flowReportToJson(*report, EndpointAttributor());
            if (run == 0)
                first = json;
            else
                QCOMPARE(json, first);
            for (std::size_t i = 1; i < report->flows.size(); ++i)
                QVERIFY(!flowRecordLess(report->flows[i], report->flows[i - 1]));
        }
    }

    // replayCapture reads and decodes on a second thread where the source allows it: the same
    // flows, summary and read error as on one thread, whatever the traffic, and a cancel is
    // seen whichever thread meets it.
    void readingAhead_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("damaged");

        // Enough frames for the reader to go round its ring of batches many times; plain, VXLAN
        // and IP-in-IP conversations, IPv6, ARP and damaged frames, short and long ones, and
        // timestamps that step back now and then.
        QList<Record> records;
        QRandomGenerator random(42);
        for (int i = 0; i < 40000; ++i) {
            const int conversation = int(random.bounded(3000));
            const auto a = std::to_string(conversation / 250);
            const auto b = std::to_string(conversation % 250);
            const std::string src = "10.244." + a + "." + b;
            const std::string dst = "10.245." + b + "." + a;
            const auto port = std::uint16_t(1024 + conversation);
            const bool reply = random.bounded(2) == 1;
            const QByteArray inner = reply ? ipv4(dst, src, 6, tcp(443, port, kAck))
                                           : ipv4(src, dst, 6, tcp(port, 443, kSyn));
            QByteArray frame;
            switch (random.bounded(8)) {
            case 0:
                frame = ethernet(kIpv4, ipv4("192.168.56.11", "192.168.56.12", 17,
                                             udp(51868, 8472, vxlan(1, ethernet(kIpv4, inner)))));
                break;
            case 1:
                frame = ethernet(kIpv4, ipv4("192.168.56.12", "192.168.56.11", 4, inner));
                break;
            case 2:
                frame = ethernet(kIpv6, ipv6("fd00::" + a, "fd00::" + b, 17,
                                             udp(port, 53, filler(int(random.bounded(40))))));
                break;
            case 3:
                frame = random.bounded(4) == 0 ? ethernet(kArp, arpRequest())
                                               : ethernet(kIpv4, inner).left(14 + 9);
                break;
            case 4:
                // Long enough that the reader decodes them whichever thread decodes the rest.
                frame =
                    random.bounded(4) == 0
                        ? ethernet(kArp, arpRequest() + filler(400))
                        : ethernet(kIpv4,
                                   ipv4(src, dst, 17,
                                        udp(port, 8125, filler(150 + int(random.bounded(300))))));
                break;
            default:
                frame = ethernet(kIpv4, inner);
                break;
            }
            const std::int64_t jitter = random.bounded(10) == 0 ? -5000 : 0;
            records << at(1'000'000 + std::int64_t(i) * 100 + jitter, frame);
        }
        const QByteArray whole = pcapFile(linktype::Ethernet, records);
        QTest::newRow("mixed traffic") << write(QStringLiteral("mixed.pcap"), whole) << false;
        QTest::newRow("cut part way")
            << write(QStringLiteral("cut.pcap"), whole.left(whole.size() * 2 / 3)) << true;
        if (haveFixtures()) {
            QTest::newRow("fixture flannel")
                << fixture("generated/flannel-node1-any-sll.pcap") << false;
            QTest::newRow("fixture truncated")
                << fixture("generated/derived-truncated-mid-record.pcap") << true;
            QTest::newRow("fixture mixed link types")
                << fixture("pcapplusplus/pcapng-example.pcapng") << true;
        }
    }

    // Everything but the flows, which the JSON compares.
    static void compareSummaries(const CaptureSummary &ahead, const CaptureSummary &inline_,
                                 bool damaged)
    {
        QCOMPARE(ahead.packets, inline_.packets);
        QCOMPARE(ahead.bytes, inline_.bytes);
        QCOMPARE(ahead.ipPackets, inline_.ipPackets);
        QCOMPARE(ahead.nonIp, inline_.nonIp);
        QCOMPARE(ahead.undecodable, inline_.undecodable);
        QVERIFY(ahead.malformed == inline_.malformed);
        QVERIFY(ahead.linkTypes == inline_.linkTypes);
        QCOMPARE(ahead.flows, inline_.flows);
        QCOMPARE(ahead.expired, inline_.expired);
        QCOMPARE(ahead.evicted, inline_.evicted);
        QCOMPARE(ahead.readError.has_value(), damaged);
        QCOMPARE(inline_.readError.has_value(), damaged);
        if (damaged)
            QCOMPARE(describe(*ahead.readError), describe(*inline_.readError));
    }

    void readingAhead()
    {
        QFETCH(QString, path);
        QFETCH(bool, damaged);

        // Notes the threads it is read on.
        class NotingSource final : public PacketSource
        {
        public:
            explicit NotingSource(std::unique_ptr<PcapSource> inner)
                : m_inner(std::move(inner))
            {}
            Result<bool> next(RawPacket &packet) override
            {
                threads.insert(std::this_thread::get_id());
                if (cancelAfter && m_inner->packetsRead() == *cancelAfter)
                    cancel.store(true);
                return m_inner->next(packet);
            }
            QString name() const override { return m_inner->name(); }
            std::uint64_t packetsRead() const override { return m_inner->packetsRead(); }
            bool readableFromAnyThread() const override { return true; }

            std::set<std::thread::id> threads;
            std::optional<std::uint64_t> cancelAfter;
            std::atomic_bool cancel{false};

        private:
            std::unique_ptr<PcapSource> m_inner;
        };
        const auto open = [&path] {
            auto source = PcapSource::openFile(path);
            if (!source)
                qFatal("%s", qPrintable(describe(source.error())));
            return NotingSource(std::move(source).value());
        };

        // Idle timeout and flow limit on, so flows also end on the way.
        AnalysisOptions options;
        options.table.idleTimeoutUs = 1'000'000;
        options.table.maxFlows = 1000;
        // On the calling thread, then reading ahead with each choice of decoding thread.
        const std::vector<std::pair<bool, DecodeThread>> ways = {
            {false, DecodeThread::Balanced},   {true, DecodeThread::Reading},
            {true, DecodeThread::Aggregating}, {true, DecodeThread::Halves},
            {true, DecodeThread::Balanced},
        };
        const bool twoCores = std::thread::hardware_concurrency() > 1;
        std::map<DecodeThread, std::uint64_t> decodedOnTableThread;
        QList<QByteArray> json;
        QList<CaptureSummary> summaries;
        for (const auto &[readAhead, decodeThread] : ways) {
            options.readAhead = readAhead;
            options.decodeThread = decodeThread;
            NotingSource source = open();
            // The replay says at debug level how many frames the table's thread decoded.
            QLoggingCategory::setFilterRules(QStringLiteral("cartograph.capture.debug=true"));
            static QStringList logged;
            logged.clear();
            const QtMessageHandler previous =
                qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                          const QString &message) { logged.append(message); });
            auto report = analyzeCapture(source, options);
            qInstallMessageHandler(previous);
            QLoggingCategory::setFilterRules(QString());
            QVERIFY2(report, qPrintable(report ? QString() : describe(report.error())));
            const bool onOtherThread = !source.threads.contains(std::this_thread::get_id());
            QCOMPARE(onOtherThread, readAhead && twoCores);
            QCOMPARE(source.threads.size(), std::size_t(1));
            if (readAhead && twoCores) {
                static const QRegularExpression line(QStringLiteral(
                    R"(frames decoded on the flow table's thread: (\d+) of (\d+)$)"));
                const QString said = logged.filter(line).value(0);
                const QRegularExpressionMatch numbers = line.match(said);
                QVERIFY2(numbers.hasMatch(), qPrintable(logged.join(u'\n')));
                const std::uint64_t decodedThere = numbers.captured(1).toULongLong();
                QCOMPARE(numbers.captured(2).toULongLong(), report->summary.packets);
                if (decodeThread == DecodeThread::Reading) {
                    QCOMPARE(decodedThere, std::uint64_t(0));
                } else if (decodeThread == DecodeThread::Aggregating) {
                    // All but the frames too long to pass on undecoded (the mixed traffic
                    // has some, every fixture here has full-size frames too).
                    QVERIFY(decodedThere > 0);
                    QVERIFY(decodedThere < report->summary.packets);
                }
                decodedOnTableThread[decodeThread] = decodedThere;
            }
            FlowExportOptions exportOptions;
            exportOptions.secondBuckets = true;
            json << flowReportToJson(*report, EndpointAttributor(), exportOptions);
            summaries << report->summary;
        }
        const CaptureSummary &inline_ = summaries[0];
        QVERIFY(inline_.packets > 0);
        for (qsizetype way = 1; way < summaries.size(); ++way) {
            QCOMPARE(json[way], json[0]);
            compareSummaries(summaries[way], inline_, damaged);
            if (QTest::currentTestFailed())
                return;
        }
        // The undecoded hand-over met damaged, non-IP and long frames (decoded by the reader).
        if (QString::fromLatin1(QTest::currentDataTag()) == u"mixed traffic") {
            // Halves: every batch mixed, its first half decoded by the table's thread.
            if (twoCores) {
                const std::uint64_t halves = decodedOnTableThread[DecodeThread::Halves];
                QVERIFY(halves > 0);
                QVERIFY(halves < decodedOnTableThread[DecodeThread::Aggregating] * 3 / 4);
            }
            QVERIFY(inline_.nonIp > 0);
            QVERIFY(inline_.undecodable > 0);
        }
        // Cancelled on the reading thread part way, and before the first packet.
        for (const std::uint64_t after : {std::uint64_t(5000), std::uint64_t(0)}) {
            for (const auto &[readAhead, decodeThread] : ways) {
                options.readAhead = readAhead;
                options.decodeThread = decodeThread;
                NotingSource source = open();
                source.cancelAfter = after;
                const auto report = analyzeCapture(source, options, &source.cancel);
                // The flag is looked at every 4096 packets, at the end (and, reading ahead,
                // between batches).
                if (after > inline_.packets) {
                    QVERIFY(report); // never cancelled
                    continue;
                }
                const std::uint64_t firstCheck =
                    std::min((after / 0x1000 + 1) * 0x1000, inline_.packets);
                QVERIFY(!report);
                QCOMPARE(report.error().code, ErrorCode::Cancelled);
                QCOMPARE(report.error().file, path);
                QVERIFY(source.packetsRead() >= after);
                QVERIFY(source.packetsRead() <= firstCheck);
            }
        }
    }

    void cancel()
    {
        QList<Record> records;
        for (int i = 0; i < 10000; ++i)
            records << at(i, ethernet(kIpv4, v4Udp()));
        QBuffer buffer;
        buffer.setData(pcapFile(linktype::Ethernet, records));
        buffer.open(QIODevice::ReadOnly);
        auto source = PcapSource::openDevice(&buffer, QStringLiteral("buffer"));
        QVERIFY(source);
        const std::atomic_bool cancelled{true};
        const auto report = analyzeCapture(**source, {}, &cancelled);
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Cancelled);
    }

    // ---------------------------------------------------------------- the CLI contract

    void cliHelp()
    {
        const CliRun run = cli({s("flows"), s("--help")});
        QCOMPARE(run.exitCode, 0);
        for (const char *needle : {"--pcap", "--snapshot", "--vxlan-port", "--format", "packets_ab",
                                   "tunnel", "tcp_flags", "evicted"})
            QVERIFY2(run.out.contains(needle), needle);
        QVERIFY(cli({s("--help")}).out.contains("flows --pcap FILE"));
    }

    void cliUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("needle");
        QTest::newRow("no-pcap") << QStringList{s("flows")} << s("--pcap");
        QTest::newRow("positional") << QStringList{s("flows"), s("x.pcap")} << s("--pcap FILE");
        QTest::newRow("format") << QStringList{s("flows"), s("--pcap"), s("x"), s("--format"),
                                               s("xml")}
                                << s("json or csv");
        QTest::newRow("vxlan-port")
            << QStringList{s("flows"), s("--pcap"), s("x"), s("--vxlan-port"), s("70000")}
            << s("--vxlan-port");
        QTest::newRow("max-flows")
            << QStringList{s("flows"), s("--pcap"), s("x"), s("--max-flows"), s("0")}
            << s("--max-flows");
    }

    void cliUsageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, needle);
        const CliRun run = cli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains(needle), qPrintable(run.err));
    }

    // A file that is not a capture, or is unreadable: exit 2, one line naming the file and
    // libpcap's reason, nothing on stdout.
    void cliBadCapture_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not-a-capture")
            << write(QStringLiteral("flows.json"), "{\"flows\": []}\n") << s("unknown file format");
        QTest::newRow("missing") << m_dir.filePath(QStringLiteral("missing.pcap"))
                                 << s("No such file");
        QTest::newRow("directory") << m_dir.path() << s("Is a directory");
        if (haveFixtures())
            QTest::newRow("bad-version") << fixture("libpcap/pcap-invalid-version-1.pcap")
                                         << s("archaic pcap savefile format");
    }

    void cliBadCapture()
    {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const CliRun run = cli({s("flows"), s("--pcap"), path});
        qInfo().noquote() << run.err.trimmed();
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        QCOMPARE(run.err.count(u'\n'), 1);
        QVERIFY2(run.err.contains(path), qPrintable(run.err));
        QVERIFY2(run.err.contains(reason), qPrintable(run.err));
    }

    void cliDamagedPartWay()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        const QString path = fixture("generated/derived-truncated-mid-record.pcap");
        const CliRun run = cli({s("flows"), s("--pcap"), path});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains(u"warning") && run.err.contains(path), qPrintable(run.err));
        const QJsonObject root = parseObject(run.out);
        const QJsonObject summary = root.value(u"summary").toObject();
        QCOMPARE(summary.value(u"packets").toInt(), 54);
        QVERIFY(summary.value(u"read_error").toString().contains(u"truncated dump file"));
        QCOMPARE(root.value(u"flows").toArray().size(), 13);
    }

    // Output that cannot be written (a full disk) is an error, not flows silently cut short,
    // for a small report as for one written in many chunks.
    void cliFlowsToFullDevice_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("json") << s("json");
        QTest::newRow("csv") << s("csv");
    }
    void cliFlowsToFullDevice()
    {
        QFETCH(QString, format);
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        if (!QFileInfo::exists(s("/dev/full")))
            QSKIP("this system has no /dev/full");
        QProcess process;
        process.setStandardOutputFile(s("/dev/full"));
        process.start(
            s(CARTOGRAPH_CLI_PATH),
            {s("flows"), s("--pcap"), fixture("tcpdump/dns_udp.pcap"), s("--format"), format});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 1);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(u"cannot write the flows"), qPrintable(err));
    }

    // The Flannel fixtures with a snapshot of their topology: pod-to-pod flows with names,
    // tunnel ends as nodes; the VXLAN port comes from the snapshot's NodeNetwork too.
    void cliAttributionEndToEnd()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        const QString snapshot = write(QStringLiteral("flannel.yaml"), R"(apiVersion: v1
kind: Node
metadata: {name: k8s-node1}
spec: {podCIDR: 10.244.0.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.56.11}]}
---
apiVersion: v1
kind: Node
metadata: {name: k8s-node2}
spec: {podCIDR: 10.244.1.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.56.12}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pod-a, namespace: demo}
spec: {nodeName: k8s-node1, containers: [{name: c}]}
status: {phase: Running, podIP: 10.244.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: pod-b, namespace: demo}
spec: {nodeName: k8s-node1, containers: [{name: c}]}
status: {phase: Running, podIP: 10.244.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: pod-c, namespace: demo}
spec: {nodeName: k8s-node2, containers: [{name: web, ports: [{containerPort: 8080}]}]}
status: {phase: Running, podIP: 10.244.1.2}
---
apiVersion: v1
kind: Pod
metadata: {name: pod-d, namespace: demo}
spec: {nodeName: k8s-node2, containers: [{name: dns}]}
status: {phase: Running, podIP: 10.244.1.3}
)");
        const CliRun run = cli({s("flows"), s("--pcap"),
                                fixture("generated/flannel-node1-eth0-underlay-vxlan8472.pcap"),
                                s("--snapshot"), snapshot});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonArray flows = parseObject(run.out).value(u"flows").toArray();
        QStringList podFlows;
        for (const QJsonValue &value : flows) {
            const QJsonObject flow = value.toObject();
            const QJsonObject a = flow.value(u"a").toObject().value(u"endpoint").toObject();
            const QJsonObject b = flow.value(u"b").toObject().value(u"endpoint").toObject();
            if (a.value(u"kind").toString() != u"pod" || b.value(u"kind").toString() != u"pod")
                continue;
            const QJsonObject tunnel = flow.value(u"tunnel").toObject();
            podFlows.append(QStringLiteral("%1 %2/%3 -> %4/%5 via %6 %7->%8 (%9 + %10)")
                                .arg(flow.value(u"protocol").toString(),
                                     a.value(u"namespace").toString(), a.value(u"name").toString(),
                                     b.value(u"namespace").toString(), b.value(u"name").toString(),
                                     tunnel.value(u"type").toString(),
                                     tunnel.value(u"outer_a_node").toString(),
                                     tunnel.value(u"outer_b_node").toString())
                                .arg(flow.value(u"packets_ab").toInt())
                                .arg(flow.value(u"packets_ba").toInt()));
        }
        const QStringList expected{
            s("UDP demo/pod-a -> demo/pod-d via vxlan k8s-node1->k8s-node2 (1 + 1)"),
            s("UDP demo/pod-a -> demo/pod-d via vxlan k8s-node1->k8s-node2 (1 + 1)"),
            s("ICMP demo/pod-a -> demo/pod-c via vxlan k8s-node1->k8s-node2 (3 + 3)"),
            s("TCP demo/pod-a -> demo/pod-c via vxlan k8s-node1->k8s-node2 (6 + 6)"),
            s("TCP demo/pod-b -> demo/pod-c via vxlan k8s-node1->k8s-node2 (6 + 6)"),
        };
        QCOMPARE(podFlows, expected);

        // The same in CSV.
        const CliRun csv = cli({s("flows"), s("--pcap"),
                                fixture("generated/flannel-node1-eth0-underlay-vxlan8472.pcap"),
                                s("--snapshot"), snapshot, s("--format"), s("csv")});
        QCOMPARE(csv.exitCode, 0);
        QVERIFY(csv.out.contains("TCP,10.244.0.2,41680,pod,demo,pod-a,10.244.1.2,8080,pod,demo,"
                                 "pod-c,6,783,6,951,"));

        // A snapshot that cannot be read: the other commands' convention (1: missing file).
        const CliRun missing = cli({s("flows"), s("--pcap"),
                                    fixture("generated/flannel-node1-eth0-underlay-vxlan8472.pcap"),
                                    s("--snapshot"), m_dir.filePath(s("absent.yaml"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(u"absent.yaml"));
    }

    void cliOptions()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        // An idle timeout splits the DNS query of the first second from later traffic only when
        // they are far enough apart; buckets come as [second, packets_ab, bytes_ab, ...].
        const QString path = fixture("zeek/gre-sample.pcap");
        const CliRun plain = cli({s("flows"), s("--pcap"), path});
        const CliRun split = cli({s("flows"), s("--pcap"), path, s("--idle-timeout"), s("2")});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(split.exitCode, 0);
        const QJsonObject plainRoot = parseObject(plain.out);
        const QJsonObject splitRoot = parseObject(split.out);
        const int plainFlows = plainRoot.value(u"flows").toArray().size();
        const int splitFlows = splitRoot.value(u"flows").toArray().size();
        QVERIFY2(splitFlows > plainFlows,
                 qPrintable(QStringLiteral("%1 %2").arg(plainFlows).arg(splitFlows)));
        // Every split adds an expired flow; flows that never resume expire too.
        QVERIFY(splitRoot.value(u"summary").toObject().value(u"expired").toInt() >=
                splitFlows - plainFlows);
        const auto packets = [](const QJsonObject &root) {
            int total = 0;
            for (const QJsonValue &flow : root.value(u"flows").toArray())
                total += flow.toObject().value(u"packets_ab").toInt() +
                         flow.toObject().value(u"packets_ba").toInt();
            return total;
        };
        QCOMPARE(packets(splitRoot), packets(plainRoot));
        const CliRun limited = cli({s("flows"), s("--pcap"), path, s("--max-flows"), s("1")});
        QCOMPARE(limited.exitCode, 0);
        QVERIFY(parseObject(limited.out).value(u"summary").toObject().value(u"evicted").toInt() >
                0);
        const CliRun buckets = cli({s("flows"), s("--pcap"), path, s("--buckets")});
        const QJsonArray first = parseObject(buckets.out)
                                     .value(u"flows")
                                     .toArray()[0]
                                     .toObject()
                                     .value(u"buckets")
                                     .toArray();
        QVERIFY(!first.isEmpty());
        QCOMPARE(first[0].toArray().size(), 5);
    }
};

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_capture.moc"
