// Live capture on real interfaces in network namespaces (root only; QSKIP otherwise):
// - a two-node Flannel-like overlay (per node a bridge with two pod namespaces on veths, a vxlan
//   device on UDP 8472, VNI 1, routed between the nodes over an underlay veth pair) carrying real
//   TCP, UDP and ICMP between pods across nodes, captured on the underlay by CaptureSession:
//   exactly the pod-to-pod flows sent, with the tunnel, and per direction the frames and bytes
//   tshark counts in the pcapng written during the same capture;
// - `cartograph-cli capture` end to end on a veth pair (JSON, summary.dropped, -w readable by
//   tshark and PcapSource and giving the same flows as `cartograph-cli flows`, --count, SIGINT);
// - its errors (bad BPF filter, unknown interface, no privileges as user nobody) and capture as
//   nobody through cartograph-capture-helper given file capabilities;
// - the helper streaming to the desktop side, and giving up its capabilities;
// - the session's update cap (≤ 10 per second) and drop accounting.
// Every namespace has a unique name and is deleted by a guard, whatever the test's outcome.

#include "CaptureSession.h"
#include "FlowAnalysis.h"
#include "FlowExport.h"
#include "FlowTable.h"
#include "HelperSource.h"
#include "LiveSource.h"
#include "PacketSource.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cartograph;
using namespace cartograph::capture;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run run(const QString &program, const QStringList &arguments, int timeoutMs = 60000)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return Run{-1, process.readAllStandardOutput(),
                   QStringLiteral("timed out: ") +
                       QString::fromUtf8(process.readAllStandardError())};
    }
    return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
               process.readAllStandardOutput(), QString::fromUtf8(process.readAllStandardError())};
}

// `ip ARGS...`; false (with a warning naming the command) on failure.
bool ip(const QStringList &arguments)
{
    const Run result = run(QStringLiteral("ip"), arguments);
    if (result.exitCode != 0)
        qWarning("ip %s: %s", qPrintable(arguments.join(u' ')), qPrintable(result.err));
    return result.exitCode == 0;
}

// Network namespaces named <prefix><role>, deleted (with every interface in them) when the guard
// goes, so a failing test leaves nothing behind. The prefix holds the pid and a counter: tests
// running side by side never collide.
class Namespaces
{
public:
    Namespaces()
    {
        static int counter = 0;
        m_prefix = QStringLiteral("cg%1x%2").arg(::getpid()).arg(++counter);
    }
    ~Namespaces()
    {
        for (auto it = m_names.rbegin(); it != m_names.rend(); ++it)
            run(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("del"), *it});
    }
    Namespaces(const Namespaces &) = delete;
    Namespaces &operator=(const Namespaces &) = delete;

    // Creates the namespace with lo up and IPv6 off (no router solicitations or MLD reports:
    // only the traffic a test sends is on its links). Empty on failure.
    QString add(const QString &role)
    {
        const QString name = m_prefix + role;
        if (!ip({QStringLiteral("netns"), QStringLiteral("add"), name}))
            return {};
        m_names.append(name);
        if (!exec(name, {QStringLiteral("sysctl"), QStringLiteral("-qw"),
                         QStringLiteral("net.ipv6.conf.all.disable_ipv6=1"),
                         QStringLiteral("net.ipv6.conf.default.disable_ipv6=1")}) ||
            !ip({QStringLiteral("-n"), name, QStringLiteral("link"), QStringLiteral("set"),
                 QStringLiteral("lo"), QStringLiteral("up")}))
            return {};
        return name;
    }

    // The guards cannot run when a test process crashes: namespaces of processes that no longer
    // exist are removed before the tests start.
    static void removeAbandoned()
    {
        const Run list =
            run(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("list")});
        static const QRegularExpression ours(QStringLiteral("^cg(\\d+)x\\d+\\w+"));
        for (const QByteArray &line : list.out.split('\n')) {
            const QString name = QString::fromUtf8(line).section(u' ', 0, 0);
            const QRegularExpressionMatch match = ours.match(name);
            if (match.hasMatch() && ::kill(pid_t(match.captured(1).toInt()), 0) != 0 &&
                errno == ESRCH)
                run(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("del"), name});
        }
    }

    static bool exec(const QString &ns, const QStringList &command)
    {
        const Run result =
            run(QStringLiteral("ip"),
                QStringList{QStringLiteral("netns"), QStringLiteral("exec"), ns} + command);
        if (result.exitCode != 0)
            qWarning("in %s: %s: %s", qPrintable(ns), qPrintable(command.join(u' ')),
                     qPrintable(result.err));
        return result.exitCode == 0;
    }

private:
    QString m_prefix;
    QStringList m_names;
};

// Runs the calling thread in a network namespace for the guard's lifetime: sockets libpcap opens
// meanwhile (and processes started meanwhile) belong to it.
class NetnsScope
{
public:
    explicit NetnsScope(const QString &ns)
    {
        m_original = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        const QByteArray path = QFile::encodeName(QStringLiteral("/run/netns/") + ns);
        const int target = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
        m_entered = m_original >= 0 && target >= 0 && ::setns(target, CLONE_NEWNET) == 0;
        if (target >= 0)
            ::close(target);
    }
    ~NetnsScope()
    {
        if (m_entered && ::setns(m_original, CLONE_NEWNET) != 0)
            qFatal("cannot return to the original network namespace");
        if (m_original >= 0)
            ::close(m_original);
    }
    NetnsScope(const NetnsScope &) = delete;
    NetnsScope &operator=(const NetnsScope &) = delete;
    bool entered() const { return m_entered; }

private:
    int m_original = -1;
    bool m_entered = false;
};

// A veth pair between two namespaces: <a>'s end "cga0" 10.99.0.1/24, <b>'s "cgb0" 10.99.0.2/24.
bool vethPair(const QString &a, const QString &b)
{
    return ip({s("-n"), a, s("link"), s("add"), s("cga0"), s("type"), s("veth"), s("peer"),
               s("name"), s("cgb0"), s("netns"), b}) &&
           ip({s("-n"), a, s("addr"), s("add"), s("10.99.0.1/24"), s("dev"), s("cga0")}) &&
           ip({s("-n"), b, s("addr"), s("add"), s("10.99.0.2/24"), s("dev"), s("cgb0")}) &&
           ip({s("-n"), a, s("link"), s("set"), s("cga0"), s("up")}) &&
           ip({s("-n"), b, s("link"), s("set"), s("cgb0"), s("up")});
}

// Python snippets run inside pod namespaces: real sockets, known payloads.
const char *kTcpServer = R"(
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(8); print('ready', flush=True)
for _ in range(int(sys.argv[2])):
    c, _ = s.accept(); n = 0
    while True:
        d = c.recv(65536)
        if not d: break
        n += len(d)
    c.sendall(str(n).encode()); c.close()
)";

const char *kTcpClient = R"(
import socket, sys
dst, port, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i, size in enumerate(int(x) for x in sys.argv[4:]):
    c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(('0.0.0.0', first + i)); c.settimeout(10); c.connect((dst, port))
    c.sendall(b'x' * size); c.shutdown(socket.SHUT_WR); r = b''
    while True:
        d = c.recv(100)
        if not d: break
        r += d
    assert int(r) == size, (r, size); c.close()
)";

const char *kUdpServer = R"(
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', int(sys.argv[1])))
print('ready', flush=True)
for _ in range(int(sys.argv[2])):
    d, peer = s.recvfrom(65536); s.sendto(d[::-1], peer)
)";

// Sends datagrams of the given sizes from a fixed source port; with a reply wait when asked.
const char *kUdpClient = R"(
import socket, sys, time
dst, port, sport, wait, count, size, gap = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == 'wait', int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', sport)); s.settimeout(5)
for i in range(count):
    s.sendto(bytes([i % 256]) * size, (dst, port))
    if wait: s.recvfrom(65536)
    if gap: time.sleep(gap)
)";

// ICMP echo requests through a raw socket (no ping binary needed); the kernel answers them.
const char *kPing = R"(
import socket, struct, sys
def csum(b):
    b += b'\0' * (len(b) % 2); t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff); t += t >> 16; return ~t & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(5)
for seq in range(int(sys.argv[2])):
    payload = b'cartograph' * 4
    h = struct.pack('!BBHHH', 8, 0, 0, 0x4321, seq)
    s.sendto(struct.pack('!BBHHH', 8, 0, csum(h + payload), 0x4321, seq) + payload, (sys.argv[1], 0))
    while True:
        d, _ = s.recvfrom(2048); ihl = (d[0] & 15) * 4
        if d[ihl] == 0 and struct.unpack('!H', d[ihl + 4:ihl + 6])[0] == 0x4321: break
)";

QString python()
{
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

// Runs a snippet in a namespace and waits for it.
bool pythonIn(const QString &ns, const char *script, const QStringList &arguments)
{
    return Namespaces::exec(ns,
                            QStringList{python(), s("-c"), QString::fromUtf8(script)} + arguments);
}

// A server snippet left running until it has served; started() waits for its "ready".
class Server
{
public:
    Server(const QString &ns, const char *script, const QStringList &arguments)
    {
        m_process.start(QStringLiteral("ip"), QStringList{s("netns"), s("exec"), ns, python(),
                                                          s("-c"), QString::fromUtf8(script)} +
                                                  arguments);
    }
    ~Server()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    bool started()
    {
        return m_process.waitForStarted() && m_process.waitForReadyRead(10000) &&
               m_process.readAllStandardOutput().contains("ready");
    }
    bool finished() { return m_process.waitForFinished(20000) && m_process.exitCode() == 0; }
    QString errors() { return QString::fromUtf8(m_process.readAllStandardError()); }

private:
    QProcess m_process;
};

// One direction of a conversation as tshark counts it.
struct Direction
{
    qint64 frames = 0;
    qint64 bytes = 0;
    qint64 payload = 0;  // TCP payload bytes (tcp.len)
    QSet<QString> outer; // "outer src > outer dst / vni" seen
};

// Frames of a pcapng, per inner direction "proto src:port > dst:port", as tshark decodes them
// with 8472 as VXLAN. Empty with *error set when tshark fails.
std::map<QString, Direction> tsharkDirections(const QString &path, QString *error, qint64 *frames)
{
    const Run result = run(QStringLiteral("tshark"), {s("-r"), path,
                                                      s("-d"), s("udp.port==8472,vxlan"),
                                                      s("-T"), s("fields"),
                                                      s("-E"), s("occurrence=a"),
                                                      s("-E"), s("separator=/t"),
                                                      s("-e"), s("frame.len"),
                                                      s("-e"), s("ip.src"),
                                                      s("-e"), s("ip.dst"),
                                                      s("-e"), s("ip.proto"),
                                                      s("-e"), s("tcp.srcport"),
                                                      s("-e"), s("tcp.dstport"),
                                                      s("-e"), s("udp.srcport"),
                                                      s("-e"), s("udp.dstport"),
                                                      s("-e"), s("vxlan.vni"),
                                                      s("-e"), s("tcp.len")});
    std::map<QString, Direction> directions;
    *frames = 0;
    if (result.exitCode != 0) {
        *error = QStringLiteral("tshark failed: ") + result.err;
        return directions;
    }
    for (const QByteArray &line : result.out.split('\n')) {
        if (line.isEmpty())
            continue;
        ++*frames;
        const QStringList f = QString::fromUtf8(line).split(u'\t');
        if (f.size() < 10) {
            *error = QStringLiteral("unexpected tshark line: ") + QString::fromUtf8(line);
            return {};
        }
        const QStringList src = f[1].split(u','), dst = f[2].split(u','), proto = f[3].split(u','),
                          udpSrc = f[6].split(u','), udpDst = f[7].split(u',');
        QString key = proto.last() + u' ' + src.last();
        if (proto.last() == u"6")
            key += u':' + f[4] + u" > " + dst.last() + u':' + f[5];
        else if (proto.last() == u"17")
            key += u':' + udpSrc.last() + u" > " + dst.last() + u':' + udpDst.last();
        else
            key += u" > " + dst.last();
        Direction &direction = directions[key];
        ++direction.frames;
        direction.bytes += f[0].toLongLong();
        direction.payload += f[9].toLongLong();
        if (src.size() > 1)
            direction.outer.insert(src.first() + u" > " + dst.first() + u" / " + f[8] + u" / " +
                                   udpDst.first());
    }
    return directions;
}

QString directionKey(const FlowRecord &flow, bool ab)
{
    const IpAddress &from = ab ? flow.a : flow.b;
    const IpAddress &to = ab ? flow.b : flow.a;
    QString key = QString::number(flow.protocol) + u' ' + from.toString();
    if (flow.hasPorts)
        key += u':' + QString::number(ab ? flow.aPort : flow.bPort) + u" > " + to.toString() +
               u':' + QString::number(ab ? flow.bPort : flow.aPort);
    else
        key += u" > " + to.toString();
    return key;
}

QString flowName(const FlowRecord &flow)
{
    return directionKey(flow, true);
}

// Waits until the process says `marker` on stderr (false if it ends or 10 s pass first).
bool waitForStderr(QProcess &process, const char *marker)
{
    if (!process.waitForStarted())
        return false;
    QByteArray seen;
    QElapsedTimer timer;
    timer.start();
    while (!seen.contains(marker) && timer.elapsed() < 10000 &&
           process.state() == QProcess::Running) {
        QTest::qWait(50);
        seen += process.readAllStandardError();
    }
    if (!seen.contains(marker))
        qWarning("no \"%s\" in: %s", marker, seen.constData());
    return seen.contains(marker);
}

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

qint64 tsharkFrameCount(const QString &path)
{
    const Run result = run(QStringLiteral("tshark"),
                           {s("-r"), path, s("-T"), s("fields"), s("-e"), s("frame.number")});
    // tshark warns when run as root; any other complaint (a cut record) makes the file bad.
    QStringList complaints = result.err.split(u'\n', Qt::SkipEmptyParts);
    complaints.removeIf([](const QString &line) { return line.startsWith(u"Running as user"); });
    if (result.exitCode != 0 || !complaints.isEmpty()) {
        qWarning("tshark: %s", qPrintable(result.err));
        return -1;
    }
    return result.out.count('\n');
}

} // namespace

class TestCaptureLive : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void overlayAcrossNodes();
    void cliCaptureEndToEnd();
    void cliCaptureInterrupted();
    void cliErrors_data();
    void cliErrors();
    void cliAsNobodyThroughHelper();
    void interfacesListed();
    void helperStreamsToSession();
    void helperDropsPrivileges();
    void sessionUpdatesCapped();
    void sessionReplaysFiles();
    void flowSnapshotsPaced_data();
    void flowSnapshotsPaced();

private:
    void requireRoot();
    // Copies the CLI and the helper where user nobody may run them.
    bool stageForNobody(QTemporaryDir &dir, QString *cli, QString *helper);

    QString m_cli = QStringLiteral(CARTOGRAPH_CLI_PATH);
    QString m_helper = QStringLiteral(CARTOGRAPH_HELPER_PATH);
    bool m_root = false;
    bool m_haveTools = false;
    QString m_missing;
};

void TestCaptureLive::initTestCase()
{
    m_root = ::geteuid() == 0;
    QStringList missing;
    for (const char *tool : {"ip", "python3", "tshark", "setpriv", "setcap"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            missing.append(QString::fromLatin1(tool));
    }
    m_haveTools = missing.isEmpty();
    m_missing = missing.join(QStringLiteral(", "));
    if (m_root && m_haveTools)
        Namespaces::removeAbandoned();
}

void TestCaptureLive::requireRoot()
{
    if (!m_root)
        QSKIP("live capture in network namespaces needs root");
    if (!m_haveTools)
        QSKIP(qPrintable(QStringLiteral("missing tools: ") + m_missing));
}

void TestCaptureLive::overlayAcrossNodes()
{
    requireRoot();
    Namespaces ns;
    const QString node1 = ns.add(s("n1")), node2 = ns.add(s("n2"));
    const QString pod1a = ns.add(s("p1a")), pod1b = ns.add(s("p1b"));
    const QString pod2a = ns.add(s("p2a")), pod2b = ns.add(s("p2b"));
    QVERIFY(!node1.isEmpty() && !node2.isEmpty() && !pod1a.isEmpty() && !pod1b.isEmpty() &&
            !pod2a.isEmpty() && !pod2b.isEmpty());

    // Underlay: the nodes' "eth0" addresses.
    QVERIFY(ip({s("-n"), node1, s("link"), s("add"), s("ul0"), s("type"), s("veth"), s("peer"),
                s("name"), s("ul0"), s("netns"), node2}));
    const QString nodes[2] = {node1, node2};
    const QString pods[2][2] = {{pod1a, pod1b}, {pod2a, pod2b}};
    for (int n = 0; n < 2; ++n) {
        const QString &node = nodes[n];
        const QString index = QString::number(n + 1), other = QString::number(2 - n);
        const QString vtepMac = QStringLiteral("0a:58:0a:f4:0%1:00").arg(index);
        const QString otherMac = QStringLiteral("0a:58:0a:f4:0%1:00").arg(other);
        QVERIFY(ip({s("-n"), node, s("addr"), s("add"), s("192.168.200.") + index + s("/24"),
                    s("dev"), s("ul0")}));
        QVERIFY(ip({s("-n"), node, s("link"), s("set"), s("ul0"), s("up")}));
        QVERIFY(Namespaces::exec(node, {s("sysctl"), s("-qw"), s("net.ipv4.ip_forward=1")}));
        // The pods' bridge, as Flannel's cni0.
        QVERIFY(ip({s("-n"), node, s("link"), s("add"), s("cni0"), s("type"), s("bridge")}));
        QVERIFY(ip({s("-n"), node, s("addr"), s("add"), s("10.244.") + index + s(".1/24"), s("dev"),
                    s("cni0")}));
        QVERIFY(ip({s("-n"), node, s("link"), s("set"), s("cni0"), s("up")}));
        for (int p = 0; p < 2; ++p) {
            const QString hostEnd = QStringLiteral("veth%1").arg(p);
            const QString podIp = QStringLiteral("10.244.%1.%2").arg(index).arg(p + 2);
            QVERIFY(ip({s("-n"), node, s("link"), s("add"), hostEnd, s("type"), s("veth"),
                        s("peer"), s("name"), s("eth0"), s("netns"), pods[n][p]}));
            QVERIFY(
                ip({s("-n"), node, s("link"), s("set"), hostEnd, s("master"), s("cni0"), s("up")}));
            QVERIFY(ip(
                {s("-n"), pods[n][p], s("addr"), s("add"), podIp + s("/24"), s("dev"), s("eth0")}));
            QVERIFY(ip({s("-n"), pods[n][p], s("link"), s("set"), s("eth0"), s("up")}));
            QVERIFY(ip({s("-n"), pods[n][p], s("route"), s("add"), s("default"), s("via"),
                        s("10.244.") + index + s(".1")}));
        }
        // flannel.1: VXLAN VNI 1 on UDP 8472, routed per node subnet through static neighbour
        // and FDB entries, exactly as flanneld programs them.
        QVERIFY(ip({s("-n"), node, s("link"), s("add"), s("flannel.1"), s("address"), vtepMac,
                    s("type"), s("vxlan"), s("id"), s("1"), s("local"), s("192.168.200.") + index,
                    s("dev"), s("ul0"), s("dstport"), s("8472"), s("nolearning")}));
        QVERIFY(ip({s("-n"), node, s("addr"), s("add"), s("10.244.") + index + s(".0/32"), s("dev"),
                    s("flannel.1")}));
        QVERIFY(ip({s("-n"), node, s("link"), s("set"), s("flannel.1"), s("up")}));
        QVERIFY(
            ip({s("-n"), node, s("route"), s("add"), s("10.244.") + other + s(".0/24"), s("via"),
                s("10.244.") + other + s(".0"), s("dev"), s("flannel.1"), s("onlink")}));
        QVERIFY(ip({s("-n"), node, s("neigh"), s("add"), s("10.244.") + other + s(".0"),
                    s("lladdr"), otherMac, s("dev"), s("flannel.1"), s("nud"), s("permanent")}));
        QVERIFY(Namespaces::exec(node, {s("bridge"), s("fdb"), s("append"), otherMac, s("dev"),
                                        s("flannel.1"), s("dst"), s("192.168.200.") + other}));
    }

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pcapng = dir.filePath(s("underlay.pcapng"));
    CaptureSession session;
    QSignalSpy finished(&session, &CaptureSession::finished);
    CaptureSessionOptions options;
    options.backend = CaptureBackend::Direct;
    options.live.interfaceName = s("ul0");
    options.live.filter = s("udp port 8472");
    options.pcapngPath = pcapng;
    {
        NetnsScope scope(node1);
        QVERIFY(scope.entered());
        const Status started = session.start(options);
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(describe(started.error())));
    }
    QCOMPARE(session.backend(), CaptureBackend::Direct);

    // TCP: three connections pod1a → pod2a:5001 from source ports 40001-40003, known sizes.
    const QStringList sizes{s("1000"), s("20000"), s("300000")};
    Server tcpServer(pod2a, kTcpServer, {s("5001"), s("3")});
    QVERIFY(tcpServer.started());
    QVERIFY(
        pythonIn(pod1a, kTcpClient, QStringList{s("10.244.2.2"), s("5001"), s("40001")} + sizes));
    QVERIFY2(tcpServer.finished(), qPrintable(tcpServer.errors()));
    // UDP: five 300-byte datagrams pod1b:41000 → pod2b:6000, each answered.
    Server udpServer(pod2b, kUdpServer, {s("6000"), s("5")});
    QVERIFY(udpServer.started());
    QVERIFY(
        pythonIn(pod1b, kUdpClient,
                 {s("10.244.2.3"), s("6000"), s("41000"), s("wait"), s("5"), s("300"), s("0")}));
    QVERIFY2(udpServer.finished(), qPrintable(udpServer.errors()));
    // ICMP: three echo requests pod1a → pod2b.
    QVERIFY(pythonIn(pod1a, kPing, {s("10.244.2.3"), s("3")}));

    QTest::qWait(300);
    session.stop();
    QVERIFY(finished.wait(10000));
    const CaptureUpdatePtr last = session.lastUpdate();
    QVERIFY(last && last->finished && last->report);
    QVERIFY2(!last->error, last->error ? qPrintable(describe(*last->error)) : "");
    const FlowReport &report = *last->report;

    // Exactly the flows sent, each with the tunnel between the nodes' underlay addresses.
    QStringList ours;
    for (const FlowRecord &flow : report.flows)
        ours.append(flowName(flow));
    ours.sort();
    QStringList expected{s("1 10.244.1.2 > 10.244.2.3"), s("17 10.244.1.3:41000 > 10.244.2.3:6000"),
                         s("6 10.244.1.2:40001 > 10.244.2.2:5001"),
                         s("6 10.244.1.2:40002 > 10.244.2.2:5001"),
                         s("6 10.244.1.2:40003 > 10.244.2.2:5001")};
    QCOMPARE(ours, expected);
    for (const FlowRecord &flow : report.flows) {
        QCOMPARE(flow.tunnel.size(), size_t(1));
        const TunnelLevel &level = flow.tunnel.front();
        QCOMPARE(level.type, TunnelType::Vxlan);
        QVERIFY(level.hasKey);
        QCOMPARE(level.key, 1u);
        QCOMPARE(level.udpPort, std::uint16_t(8472));
        QCOMPARE(level.outerSrc.toString(), s("192.168.200.1"));
        QCOMPARE(level.outerDst.toString(), s("192.168.200.2"));
        QVERIFY(flow.packetsAb > 0 && flow.packetsBa > 0);
    }

    // The pcapng written during the capture holds every frame, and tshark's counts per
    // direction are ours.
    QCOMPARE(last->progress.written, report.summary.packets);
    QCOMPARE(last->progress.captured, report.summary.packets + last->progress.drops.queue);
    QVERIFY(report.summary.dropped.has_value());
    QString error;
    qint64 frames = 0;
    const std::map<QString, Direction> theirs = tsharkDirections(pcapng, &error, &frames);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(quint64(frames), report.summary.packets);
    QCOMPARE(theirs.size(), report.flows.size() * 2);
    qint64 tcpPayload[3] = {0, 0, 0};
    for (const FlowRecord &flow : report.flows) {
        for (bool ab : {true, false}) {
            const QString key = directionKey(flow, ab);
            const auto it = theirs.find(key);
            QVERIFY2(it != theirs.end(), qPrintable(key + s(" is not in tshark's frames")));
            QCOMPARE(quint64(it->second.frames), ab ? flow.packetsAb : flow.packetsBa);
            QCOMPARE(quint64(it->second.bytes), ab ? flow.bytesAb : flow.bytesBa);
            const QString outer = ab ? s("192.168.200.1 > 192.168.200.2 / 1 / 8472")
                                     : s("192.168.200.2 > 192.168.200.1 / 1 / 8472");
            QCOMPARE(it->second.outer, QSet<QString>{outer});
            if (flow.protocol == 6 && ab)
                tcpPayload[flow.aPort - 40001] = it->second.payload;
        }
    }
    // The TCP payloads tshark saw are the bytes the client sent: nothing was missed.
    QCOMPARE(tcpPayload[0], 1000);
    QCOMPARE(tcpPayload[1], 20000);
    QCOMPARE(tcpPayload[2], 300000);
}

void TestCaptureLive::cliCaptureEndToEnd()
{
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pcapng = dir.filePath(s("cli.pcapng"));

    QProcess capture;
    capture.start(s("ip"), {s("netns"), s("exec"), a, m_cli, s("capture"), s("-i"), s("cga0"),
                            s("--filter"), s("udp"), s("--seconds"), s("4"), s("-w"), pcapng});
    QVERIFY(capture.waitForStarted());
    QVERIFY(waitForStderr(capture, "capturing on cga0"));
    QCOMPARE(capture.state(), QProcess::Running);
    QVERIFY(pythonIn(
        b, kUdpClient,
        {s("10.99.0.1"), s("7000"), s("41000"), s("nowait"), s("200"), s("120"), s("0.002")}));
    QVERIFY(capture.waitForFinished(20000));
    QCOMPARE(capture.exitCode(), 0);
    const QJsonObject json = parseObject(capture.readAllStandardOutput());
    const QJsonObject summary = json.value(s("summary")).toObject();
    const QJsonObject dropped = summary.value(s("dropped")).toObject();
    for (const char *key : {"total", "kernel", "interface", "queue"})
        QVERIFY2(dropped.value(QLatin1String(key)).isDouble(), key);
    QCOMPARE(dropped.value(s("total")).toInteger(), dropped.value(s("kernel")).toInteger() +
                                                        dropped.value(s("interface")).toInteger() +
                                                        dropped.value(s("queue")).toInteger());
    QCOMPARE(dropped.value(s("total")).toInteger(), 0);
    const QJsonArray flows = json.value(s("flows")).toArray();
    QCOMPARE(flows.size(), 1); // the filter keeps UDP only
    const QJsonObject flow = flows.first().toObject();
    QCOMPARE(flow.value(s("protocol")).toString(), s("UDP"));
    QCOMPARE(flow.value(s("a")).toObject().value(s("ip")).toString(), s("10.99.0.2"));
    QCOMPARE(flow.value(s("a")).toObject().value(s("port")).toInt(), 41000);
    QCOMPARE(flow.value(s("b")).toObject().value(s("port")).toInt(), 7000);
    QCOMPARE(flow.value(s("packets_ab")).toInt(), 200);
    QCOMPARE(flow.value(s("bytes_ab")).toInt(), 200 * (14 + 20 + 8 + 120));
    QCOMPARE(summary.value(s("packets")).toInt(), 200);

    // The pcapng: tshark and libpcap read it whole, and it replays into the same flows.
    QCOMPARE(tsharkFrameCount(pcapng), 200);
    auto source = PcapSource::openFile(pcapng);
    QVERIFY2(source.ok(), source.ok() ? "" : qPrintable(describe(source.error())));
    QCOMPARE((*source)->linkType(), 1);
    auto replayed = analyzeCapture(**source, {});
    QVERIFY(replayed.ok());
    QVERIFY(!replayed->summary.readError);
    QCOMPARE(replayed->summary.packets, 200u);
    const Run flowsRun = run(m_cli, {s("flows"), s("--pcap"), pcapng});
    QCOMPARE(flowsRun.exitCode, 0);
    QCOMPARE(parseObject(flowsRun.out).value(s("flows")), json.value(s("flows")));

    // --count ends the capture by itself after exactly that many frames.
    const QString counted = dir.filePath(s("count.pcapng"));
    QProcess countCapture;
    countCapture.start(s("ip"), {s("netns"), s("exec"), a, m_cli, s("capture"), s("-i"), s("cga0"),
                                 s("--filter"), s("udp"), s("--count"), s("7"), s("-w"), counted});
    QVERIFY(waitForStderr(countCapture, "capturing on"));
    QVERIFY(pythonIn(
        b, kUdpClient,
        {s("10.99.0.1"), s("7000"), s("41000"), s("nowait"), s("20"), s("60"), s("0.01")}));
    QVERIFY(countCapture.waitForFinished(20000));
    QCOMPARE(countCapture.exitCode(), 0);
    QCOMPARE(parseObject(countCapture.readAllStandardOutput())
                 .value(s("summary"))
                 .toObject()
                 .value(s("packets"))
                 .toInt(),
             7);
    QCOMPARE(tsharkFrameCount(counted), 7);
}

void TestCaptureLive::cliCaptureInterrupted()
{
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pcapng = dir.filePath(s("interrupted.pcapng"));
    // `ip netns exec` execs the CLI: the process QProcess started is the CLI itself.
    QProcess capture;
    capture.start(s("ip"), {s("netns"), s("exec"), a, m_cli, s("capture"), s("-i"), s("cga0"),
                            s("-w"), pcapng});
    QVERIFY(waitForStderr(capture, "capturing on cga0"));
    QCOMPARE(capture.state(), QProcess::Running);
    // Traffic still flowing when SIGINT comes: the capture ends mid-stream.
    QProcess traffic;
    traffic.start(s("ip"),
                  {s("netns"), s("exec"), b, python(), s("-c"), s(kUdpClient), s("10.99.0.1"),
                   s("7000"), s("41000"), s("nowait"), s("100000"), s("200"), s("0.001")});
    QVERIFY(traffic.waitForStarted());
    QTest::qWait(1500);
    QCOMPARE(::kill(pid_t(capture.processId()), SIGINT), 0);
    QVERIFY(capture.waitForFinished(10000));
    traffic.kill();
    traffic.waitForFinished();
    QCOMPARE(capture.exitStatus(), QProcess::NormalExit);
    QCOMPARE(capture.exitCode(), 0);
    const QJsonObject json = parseObject(capture.readAllStandardOutput());
    const QJsonObject summary = json.value(s("summary")).toObject();
    QVERIFY(summary.value(s("dropped")).isObject());
    const qint64 packets = summary.value(s("packets")).toInteger();
    QVERIFY2(packets > 50, qPrintable(QString::number(packets)));
    QVERIFY(!json.value(s("flows")).toArray().isEmpty());
    QCOMPARE(tsharkFrameCount(pcapng), packets);

    // Killed outright (no chance to clean up), the pcapng still holds whole blocks up to the last
    // batch flushed: tshark reads it without complaint.
    const QString killedPath = dir.filePath(s("killed.pcapng"));
    QProcess killed;
    killed.start(s("ip"), {s("netns"), s("exec"), a, m_cli, s("capture"), s("-i"), s("cga0"),
                           s("-w"), killedPath});
    QVERIFY(waitForStderr(killed, "capturing on cga0"));
    traffic.start(s("ip"),
                  {s("netns"), s("exec"), b, python(), s("-c"), s(kUdpClient), s("10.99.0.1"),
                   s("7000"), s("41000"), s("nowait"), s("100000"), s("200"), s("0.001")});
    QVERIFY(traffic.waitForStarted());
    QTest::qWait(1500);
    QCOMPARE(::kill(pid_t(killed.processId()), SIGKILL), 0);
    QVERIFY(killed.waitForFinished(10000));
    traffic.kill();
    traffic.waitForFinished();
    const qint64 kept = tsharkFrameCount(killedPath);
    QVERIFY2(kept > 50, qPrintable(QString::number(kept)));
}

void TestCaptureLive::cliErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("mentions");
    // libpcap's own words for this filter are checked against tcpdump's below.
    QTest::newRow("bad filter") << QStringList{s("-i"), s("cga0"), s("--filter"),
                                               s("udp and and port 53")}
                                << 2
                                << QStringList{s("cga0"), s("filter \"udp and and port 53\""),
                                               s("BPF filter")};
    QTest::newRow("unknown port name in filter")
        << QStringList{s("-i"), s("cga0"), s("--filter"), s("port nosuchservice")} << 2
        << QStringList{s("filter \"port nosuchservice\""), s("nosuchservice")};
    QTest::newRow("unknown interface")
        << QStringList{s("-i"), s("cgnosuch0")} << 2
        << QStringList{s("cgnosuch0"), s("No such device"), s("cartograph-cli interfaces")};
    QTest::newRow("no interface") << QStringList{s("--seconds"), s("1")} << 2
                                  << QStringList{s("missing -i IFACE")};
    QTest::newRow("bad seconds") << QStringList{s("-i"), s("cga0"), s("--seconds"), s("soon")} << 2
                                 << QStringList{s("--seconds"), s("soon")};
    QTest::newRow("unwritable -w")
        << QStringList{s("-i"), s("cga0"), s("-w"), s("/nonexistent-dir/out.pcapng")} << 1
        << QStringList{s("/nonexistent-dir/out.pcapng"), s("No such file or directory")};
}

void TestCaptureLive::cliErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QStringList, mentions);
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    const Run result =
        run(s("ip"), QStringList{s("netns"), s("exec"), a, m_cli, s("capture")} + arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(result.out.isEmpty());
    for (const QString &mention : mentions)
        QVERIFY2(result.err.contains(mention), qPrintable(result.err));
    QCOMPARE(result.err.count(u'\n'), 1); // one line
    const qsizetype filter = arguments.indexOf(s("--filter"));
    if (filter >= 0) {
        // libpcap's reason, as tcpdump reports it for the same expression.
        const Run tcpdump = run(s("tcpdump"), {s("-d"), arguments[filter + 1]});
        QVERIFY(tcpdump.exitCode != 0);
        const QString reason = tcpdump.err.trimmed().section(s("tcpdump: "), 1);
        QVERIFY(!reason.isEmpty());
        QVERIFY2(result.err.contains(reason), qPrintable(result.err + s(" vs ") + reason));
    }
}

bool TestCaptureLive::stageForNobody(QTemporaryDir &dir, QString *cli, QString *helper)
{
    if (!dir.isValid())
        return false;
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                          QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                          QFileDevice::WriteOther | QFileDevice::ExeOther);
    *cli = dir.filePath(s("cartograph-cli"));
    *helper = dir.filePath(s("cartograph-capture-helper"));
    return QFile::copy(m_cli, *cli) && QFile::copy(m_helper, *helper) &&
           ::chmod(QFile::encodeName(*cli).constData(), 0755) == 0 &&
           ::chmod(QFile::encodeName(*helper).constData(), 0755) == 0;
}

void TestCaptureLive::cliAsNobodyThroughHelper()
{
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    QTemporaryDir dir;
    QString cli, helper;
    QVERIFY(stageForNobody(dir, &cli, &helper));
    const QStringList asNobody{s("netns"),
                               s("exec"),
                               a,
                               s("setpriv"),
                               s("--reuid=65534"),
                               s("--regid=65534"),
                               s("--clear-groups"),
                               s("--inh-caps=-all"),
                               s("env")};

    // No privilege and no helper: the message says both ways out.
    Run result = run(s("ip"), asNobody + QStringList{s("CARTOGRAPH_CAPTURE_HELPER=/nonexistent"),
                                                     cli, s("capture"), s("-i"), s("cga0"),
                                                     s("--seconds"), s("1")});
    QCOMPARE(result.exitCode, 1);
    for (const char *mention :
         {"cga0", "permission denied", "run as root", "setcap cap_net_raw,cap_net_admin+eip"})
        QVERIFY2(result.err.contains(QLatin1String(mention)), qPrintable(result.err));

    // A helper without file capabilities fails the same way, in the helper's words.
    result = run(s("ip"),
                 asNobody + QStringList{s("CARTOGRAPH_CAPTURE_HELPER=") + helper, cli, s("capture"),
                                        s("-i"), s("cga0"), s("--seconds"), s("1")});
    QCOMPARE(result.exitCode, 1);
    for (const char *mention : {"cga0", "permission denied", "setcap"})
        QVERIFY2(result.err.contains(QLatin1String(mention)), qPrintable(result.err));

    // Given the capabilities, the helper captures for user nobody.
    QVERIFY(run(s("setcap"), {s("cap_net_raw,cap_net_admin+eip"), helper}).exitCode == 0);
    const QString pcapng = dir.filePath(s("nobody.pcapng"));
    QProcess capture;
    capture.start(s("ip"),
                  asNobody + QStringList{s("CARTOGRAPH_CAPTURE_HELPER=") + helper, cli,
                                         s("capture"), s("-i"), s("cga0"), s("--filter"), s("udp"),
                                         s("--seconds"), s("3"), s("-w"), pcapng});
    QVERIFY(waitForStderr(capture, "capturing on cga0 through cartograph-capture-helper"));
    QCOMPARE(capture.state(), QProcess::Running);
    QVERIFY(pythonIn(
        b, kUdpClient,
        {s("10.99.0.1"), s("7000"), s("41000"), s("nowait"), s("30"), s("80"), s("0.005")}));
    QVERIFY(capture.waitForFinished(20000));
    QCOMPARE(capture.exitCode(), 0);
    const QJsonObject json = parseObject(capture.readAllStandardOutput());
    const QJsonArray flows = json.value(s("flows")).toArray();
    QCOMPARE(flows.size(), 1);
    QCOMPARE(flows.first().toObject().value(s("packets_ab")).toInt(), 30);
    QVERIFY(json.value(s("summary")).toObject().value(s("dropped")).isObject());
    QCOMPARE(tsharkFrameCount(pcapng), 30);
    QCOMPARE(QFileInfo(pcapng).ownerId(), 65534u); // written by nobody, not by the helper
}

void TestCaptureLive::interfacesListed()
{
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    const Run result =
        run(s("ip"), {s("netns"), s("exec"), a, m_cli, s("interfaces"), s("--format"), s("json")});
    QCOMPARE(result.exitCode, 0);
    const QJsonArray interfaces = QJsonDocument::fromJson(result.out).array();
    QJsonObject veth, loopback;
    for (const QJsonValue &value : interfaces) {
        const QJsonObject interface = value.toObject();
        if (interface.value(s("name")) == s("cga0"))
            veth = interface;
        if (interface.value(s("name")) == s("lo"))
            loopback = interface;
    }
    QCOMPARE(veth.value(s("addresses")).toArray(), QJsonArray{s("10.99.0.1/24")});
    QCOMPARE(veth.value(s("up")).toBool(), true);
    QCOMPARE(veth.value(s("running")).toBool(), true);
    QCOMPARE(veth.value(s("loopback")).toBool(), false);
    QCOMPARE(loopback.value(s("loopback")).toBool(), true);
    QVERIFY(loopback.value(s("addresses")).toArray().contains(s("127.0.0.1/8")));

    const Run text = run(s("ip"), {s("netns"), s("exec"), a, m_cli, s("interfaces")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("cga0  [up,running]  10.99.0.1/24"), text.out.constData());
}

void TestCaptureLive::helperStreamsToSession()
{
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    CaptureSession session;
    QSignalSpy finished(&session, &CaptureSession::finished);
    CaptureSessionOptions options;
    options.backend = CaptureBackend::Helper;
    options.helperPath = m_helper;
    options.live.interfaceName = s("cga0");
    options.live.filter = s("udp port 7000");
    {
        NetnsScope scope(a); // the helper is started in the namespace, like the socket
        QVERIFY(scope.entered());
        const Status started = session.start(options);
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(describe(started.error())));
    }
    QCOMPARE(session.backend(), CaptureBackend::Helper);
    QVERIFY(pythonIn(
        b, kUdpClient,
        {s("10.99.0.1"), s("7000"), s("41000"), s("nowait"), s("50"), s("100"), s("0.002")}));
    QTest::qWait(300);
    session.stop();
    QVERIFY(finished.wait(10000));
    const CaptureUpdatePtr last = session.lastUpdate();
    QVERIFY(last && last->report);
    QVERIFY2(!last->error, last->error ? qPrintable(describe(*last->error)) : "");
    QCOMPARE(last->report->flows.size(), size_t(1));
    QCOMPARE(last->report->flows.front().packetsAb, 50u);
    QCOMPARE(last->report->flows.front().bPort, std::uint16_t(7000));
    // pcap_stats came through the helper's status lines: the kernel saw what we decoded.
    QCOMPARE(last->progress.kernelReceived, 50u);
    QCOMPARE(last->progress.drops.total(), 0u);

    // The helper's errors arrive typed, as LiveSource's do.
    CaptureSession failing;
    options.live.filter = s("udp and and port 53");
    NetnsScope scope(a);
    const Status badFilter = failing.start(options);
    QVERIFY(!badFilter.ok());
    QCOMPARE(badFilter.error().code, ErrorCode::InvalidValue);
    QVERIFY2(describe(badFilter.error()).contains(s("filter \"udp and and port 53\"")),
             qPrintable(describe(badFilter.error())));
    options.live.filter.clear();
    options.live.interfaceName = s("cgnosuch0");
    const Status noInterface = failing.start(options);
    QVERIFY(!noInterface.ok());
    QVERIFY2(describe(noInterface.error()).contains(s("cgnosuch0")) &&
                 describe(noInterface.error()).contains(s("No such device")),
             qPrintable(describe(noInterface.error())));
}

void TestCaptureLive::helperDropsPrivileges()
{
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    // Even started by root, the helper holds no capability once the interface is open.
    QProcess helper;
    helper.start(s("ip"), {s("netns"), s("exec"), a, m_helper, s("--interface"), s("cga0"),
                           s("--seconds"), s("3")});
    QVERIFY(helper.waitForStarted());
    QVERIFY(helper.waitForReadyRead(5000)); // the pcap header: the socket is open
    QFile status(QStringLiteral("/proc/%1/status").arg(helper.processId()));
    QVERIFY(status.open(QIODevice::ReadOnly));
    const QByteArray text = status.readAll();
    QVERIFY2(text.contains("CapEff:\t0000000000000000"), text.constData());
    QVERIFY2(text.contains("CapPrm:\t0000000000000000"), text.constData());
    QVERIFY2(text.contains("NoNewPrivs:\t1"), text.constData());
    QVERIFY(helper.waitForFinished(10000));
    QCOMPARE(helper.exitCode(), 0);

    // Anything but capture arguments is refused.
    for (const QStringList &arguments :
         {QStringList{s("--interface"), s("cga0"), s("-w"), s("/etc/passwd")},
          QStringList{s("--interface"), s("cga0"), s("--exec"), s("/bin/sh")},
          QStringList{s("--interface"), s("cga0"), s("--count"), s("-1")},
          QStringList{s("--filter"), s("udp")}}) {
        const Run refused = run(m_helper, arguments);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.startsWith(s("cartograph-capture-helper: error usage: ")),
                 qPrintable(refused.err));
    }
}

void TestCaptureLive::sessionUpdatesCapped()
{
    requireRoot();
    Namespaces ns;
    const QString a = ns.add(s("a")), b = ns.add(s("b"));
    QVERIFY(!a.isEmpty() && !b.isEmpty() && vethPair(a, b));
    CaptureSession session;
    QSignalSpy updated(&session, &CaptureSession::updated);
    QSignalSpy finished(&session, &CaptureSession::finished);
    CaptureSessionOptions options;
    options.backend = CaptureBackend::Direct;
    options.live.interfaceName = s("cga0");
    options.live.filter = s("udp port 7000");
    options.updateInterval = std::chrono::milliseconds(10); // asks for more: 10/s is the cap
    // A one-frame queue: a burst overflows it, and the frames lost there are counted.
    options.queuePackets = 1;
    {
        NetnsScope scope(a);
        QVERIFY(scope.entered());
        const Status started = session.start(options);
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(describe(started.error())));
    }
    // Steady traffic for ~2.5 s, then a burst.
    QProcess steady;
    steady.start(s("ip"),
                 {s("netns"), s("exec"), b, python(), s("-c"), s(kUdpClient), s("10.99.0.1"),
                  s("7000"), s("41000"), s("nowait"), s("2500"), s("64"), s("0.001")});
    QVERIFY(steady.waitForStarted());
    QTest::qWait(300);
    const qsizetype before = updated.count();
    QElapsedTimer timer;
    timer.start();
    QTest::qWait(2000);
    const qsizetype during = updated.count() - before;
    const qint64 elapsed = timer.elapsed();
    QVERIFY(steady.waitForFinished(20000));
    // The cap: at most one update per 100 ms of the measured interval (+1 for its edges).
    QVERIFY2(during <= elapsed / 100 + 1,
             qPrintable(QStringLiteral("%1 updates in %2 ms").arg(during).arg(elapsed)));
    QVERIFY(during >= 1);

    QVERIFY(pythonIn(
        b, kUdpClient,
        {s("10.99.0.1"), s("7000"), s("41001"), s("nowait"), s("20000"), s("64"), s("0")}));
    QTest::qWait(300);
    session.stop();
    QVERIFY(finished.wait(10000));
    const CaptureUpdatePtr last = session.lastUpdate();
    QVERIFY(last && last->finished && last->report);
    // Updates were immutable, numbered, and spaced ≥ 100 ms apart (checked on their elapsed).
    std::chrono::milliseconds previous{-100};
    for (int i = 0; i < updated.count(); ++i) {
        const auto update = updated.at(i).at(0).value<CaptureUpdatePtr>();
        QCOMPARE(update->sequence, quint64(i + 1));
        // A table of a few flows is copied in microseconds: every update carries it.
        QVERIFY(update->flowsIncluded);
        QCOMPARE(update->activeFlows.size(), std::size_t(update->summary.flows));
        QVERIFY2(update->progress.elapsed - previous >= std::chrono::milliseconds(95),
                 qPrintable(QString::number((update->progress.elapsed - previous).count())));
        previous = update->progress.elapsed;
    }
    const CaptureProgress &progress = last->progress;
    // Every frame read is either decoded or counted as dropped by the queue; the kernel's
    // drops are reported beside them, from pcap_stats.
    QCOMPARE(progress.captured, progress.decoded + progress.drops.queue);
    QVERIFY2(progress.drops.queue > 0, "a 20000-frame burst into a one-frame queue lost nothing");
    QVERIFY(last->report->summary.dropped == std::optional<CaptureDrops>(progress.drops));
    // ps_recv counts what the filter accepted, delivered or not.
    QVERIFY2(
        progress.kernelReceived >= progress.captured,
        qPrintable(QStringLiteral("%1 < %2").arg(progress.kernelReceived).arg(progress.captured)));
    quint64 packets = 0;
    for (const FlowRecord &flow : last->report->flows)
        packets += flow.packetsAb + flow.packetsBa;
    QCOMPARE(packets, progress.decoded);
}

// The session's file backend is the same pipeline without drops: every fixture (damaged ones
// included) gives exactly what analyzeCapture gives, in the `flows` JSON.
void TestCaptureLive::sessionReplaysFiles()
{
    const QDir fixtures(QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/pcap/generated"));
    if (!fixtures.exists())
        QSKIP("../shared/fixtures is absent");
    const QStringList files = fixtures.entryList({s("*.pcap"), s("*.pcapng")}, QDir::Files);
    QVERIFY(!files.isEmpty());
    for (const QString &file : files) {
        const QString path = fixtures.filePath(file);
        auto source = PcapSource::openFile(path);
        QVERIFY(source.ok());
        const auto expected = analyzeCapture(**source, {});
        QVERIFY(expected.ok());

        CaptureSession session;
        QSignalSpy finished(&session, &CaptureSession::finished);
        CaptureSessionOptions options;
        options.backend = CaptureBackend::File;
        options.filePath = path;
        options.queuePackets = 16; // the reader waits for room: nothing is dropped
        const Status started = session.start(options);
        QVERIFY2(started.ok(), qPrintable(file));
        QVERIFY(finished.wait(10000));
        const CaptureUpdatePtr last = session.lastUpdate();
        QVERIFY(last && last->report);
        // The last update always carries the table's flows.
        QVERIFY(last->flowsIncluded);
        QCOMPARE(last->summary.flows, last->report->flows.size());
        QCOMPARE(last->progress.drops.total(), 0u);
        QCOMPARE(bool(last->error), bool(expected->summary.readError));
        const EndpointAttributor none;
        QCOMPARE(QString::fromUtf8(flowReportToJson(*last->report, none)),
                 QString::fromUtf8(flowReportToJson(*expected, none)));
    }
}

void TestCaptureLive::flowSnapshotsPaced_data()
{
    QTest::addColumn<int>("tookMs");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("waitMs"); // from the end of the copy to the next one

    QTest::newRow("a small table: every update") << 0 << 100 << 100;
    QTest::newRow("a copy of 5 ms: every update") << 5 << 100 << 100;
    QTest::newRow("a copy of 20 ms: 5% of the time") << 20 << 100 << 380;
    QTest::newRow("a copy of 300 ms: every 6 s") << 300 << 100 << 5700;
    QTest::newRow("a longer interval stands") << 20 << 1000 << 1000;
}

void TestCaptureLive::flowSnapshotsPaced()
{
    QFETCH(int, tookMs);
    QFETCH(int, intervalMs);
    QFETCH(int, waitMs);
    const auto copied = std::chrono::steady_clock::time_point(std::chrono::hours(1));
    QCOMPARE(nextFlowSnapshot(copied, std::chrono::milliseconds(tookMs),
                              std::chrono::milliseconds(intervalMs)) -
                 copied,
             std::chrono::steady_clock::duration(std::chrono::milliseconds(waitMs)));
}

QTEST_GUILESS_MAIN(TestCaptureLive)
#include "tst_capture_live.moc"
