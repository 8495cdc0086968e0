// PolicyEngine: NetworkPolicy verdicts exactly as networking.k8s.io/v1 defines them.
//
// The matrix tests re-express the upstream e2e suite (kubernetes/kubernetes,
// test/e2e/network/netpol): namespaces x, y, z with pods a, b, c that serve 80 and 81 on TCP,
// UDP and SCTP. Each row is one ValidateOrFail step of an upstream test, written as upstream
// writes it (start from all-allow, apply the expectation changes), checked over the full 9×9
// matrix. Upstream ignores loopback because CNIs differ; here a pod reaching itself follows the
// API's rules like any pair, and the engine flags it CNI-dependent.
//
// The other tests cover what the e2e suite cannot see: the explanations (which policies select,
// which rule/peer/port admits), ipBlock edges (except boundaries, nested blocks, IPv6), named
// ports that mean different numbers on different pods, host-network pods, a pod's own node,
// service ClusterIPs resolved to their backends, external addresses, and Flannel.

#include "ClusterSnapshot.h"
#include "PolicyEngine.h"
#include "SnapshotIo.h"

#include <QTest>
#include <QThread>
#include <array>

using namespace cartograph;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

IpAddress ip(const QString &text)
{
    const auto parsed = IpAddress::parse(text);
    if (!parsed)
        qFatal("test bug: bad address %s", qPrintable(text));
    return *parsed;
}

Cidr cidr(const QString &text)
{
    const auto parsed = Cidr::parse(text);
    if (!parsed)
        qFatal("test bug: bad CIDR %s", qPrintable(text));
    return *parsed;
}

// --- The upstream e2e fixture ----------------------------------------------------------------

const char *const kNamespaceNames[] = {"x", "y", "z"};
const char *const kPodNames[] = {"a", "b", "c"};
constexpr int kPodCount = 9;

// Pod a runs on node-1, b on node-2, c on node-3; the last octet tells the namespace.
QString podIp(int ns, int pod)
{
    return QStringLiteral("10.244.%1.%2").arg(pod + 1).arg((ns + 1) * 10);
}
QString podIp6(int ns, int pod)
{
    return QStringLiteral("fd00:10:244:%1::%2").arg(pod + 1).arg((ns + 1) * 10);
}

ClusterSnapshot e2eCluster()
{
    ClusterSnapshot snapshot;
    for (int n = 0; n < 3; ++n) {
        Node node;
        node.name = QStringLiteral("node-%1").arg(n + 1);
        node.addresses = {
            NodeAddress{QStringLiteral("InternalIP"), QStringLiteral("172.18.0.%1").arg(n + 2)}};
        node.podCidrs = {cidr(QStringLiteral("10.244.%1.0/24").arg(n + 1)),
                         cidr(QStringLiteral("fd00:10:244:%1::/64").arg(n + 1))};
        node.ready = ConditionStatus::True;
        snapshot.nodes.append(node);
    }
    for (int n = 0; n < 3; ++n) {
        Namespace ns;
        ns.name = s(kNamespaceNames[n]);
        ns.labels.insert(QStringLiteral("ns"), ns.name);
        ns.labels.insert(QStringLiteral("kubernetes.io/metadata.name"), ns.name);
        ns.phase = QStringLiteral("Active");
        snapshot.namespaces.append(ns);
        for (int p = 0; p < 3; ++p) {
            Pod pod;
            pod.namespaceName = ns.name;
            pod.name = s(kPodNames[p]);
            pod.uid = QStringLiteral("uid-%1-%2").arg(ns.name, pod.name);
            pod.labels.insert(QStringLiteral("pod"), pod.name);
            pod.nodeName = snapshot.nodes[p].name;
            pod.hostIp = ip(snapshot.nodes[p].addresses.first().address);
            pod.podIps = {ip(podIp(n, p)), ip(podIp6(n, p))};
            pod.phase = QStringLiteral("Running");
            pod.ready = true;
            // One container per port and protocol, named as the e2e suite names them.
            for (int port : {80, 81}) {
                for (Protocol protocol : {Protocol::TCP, Protocol::UDP, Protocol::SCTP}) {
                    const QString suffix =
                        QStringLiteral("%1-%2").arg(port).arg(protocolName(protocol).toLower());
                    Container container;
                    container.name = QStringLiteral("cont-") + suffix;
                    container.image =
                        QStringLiteral("registry.k8s.io/e2e-test-images/agnhost:2.47");
                    container.ports.append(
                        ContainerPort{QStringLiteral("serve-") + suffix, port, 0, protocol});
                    pod.containers.append(container);
                }
            }
            snapshot.pods.append(pod);
        }
    }
    DaemonSet calico;
    calico.namespaceName = QStringLiteral("kube-system");
    calico.name = QStringLiteral("calico-node");
    calico.containerNames = {QStringLiteral("calico-node")};
    calico.images = {QStringLiteral("docker.io/calico/node:v3.27.0")};
    calico.desired = calico.ready = 3;
    snapshot.daemonSets.append(calico);
    return snapshot;
}

qsizetype podIndex(const ClusterSnapshot &snapshot, const QString &qualified)
{
    const qsizetype slash = qualified.indexOf(u'/');
    const qsizetype index = snapshot.findPod(qualified.left(slash), qualified.mid(slash + 1));
    if (index < 0)
        qFatal("test bug: no pod %s", qPrintable(qualified));
    return index;
}

Labels withoutKey(const Labels &labels, const QString &key)
{
    Labels result;
    for (const auto &[k, v] : labels) {
        if (k != key)
            result.insert(k, v);
    }
    return result;
}

// Changes the fixture the way an upstream test changes the cluster between steps:
//   label ns|pod TARGET KEY=VALUE      unlabel ns|pod TARGET|* KEY
//   hostnet NS/NAME NODE KEY=VALUE     (adds a host-network pod with the node's IP)
//   port NS/NAME PORTNAME NUMBER       noport NS/NAME PORTNAME
//   dropns NAME                        (the snapshot lacks that Namespace object)
//   flannel                            (the CNI is Flannel alone)
//   ipv6first                          (pods list their IPv6 address first: an IPv6 cluster)
void mutate(ClusterSnapshot &snapshot, const QString &script)
{
    const QStringList commands = script.split(u';', Qt::SkipEmptyParts);
    for (const QString &command : commands) {
        const QStringList w = command.split(u' ', Qt::SkipEmptyParts);
        if (w.isEmpty())
            continue;
        if (w[0] == u"label" && w.size() == 4) {
            const QString key = w[3].section(u'=', 0, 0);
            const QString value = w[3].section(u'=', 1);
            if (w[1] == u"ns") {
                for (Namespace &ns : snapshot.namespaces) {
                    if (ns.name == w[2])
                        ns.labels.insert(key, value);
                }
            } else {
                snapshot.pods[podIndex(snapshot, w[2])].labels.insert(key, value);
            }
        } else if (w[0] == u"unlabel" && w.size() == 4) {
            if (w[1] == u"ns") {
                for (Namespace &ns : snapshot.namespaces) {
                    if (w[2] == u"*" || ns.name == w[2])
                        ns.labels = withoutKey(ns.labels, w[3]);
                }
            } else {
                Pod &pod = snapshot.pods[podIndex(snapshot, w[2])];
                pod.labels = withoutKey(pod.labels, w[3]);
            }
        } else if (w[0] == u"hostnet" && w.size() == 4) {
            const qsizetype node = snapshot.findNode(w[2]);
            Pod pod;
            pod.namespaceName = w[1].section(u'/', 0, 0);
            pod.name = w[1].section(u'/', 1);
            pod.labels.insert(w[3].section(u'=', 0, 0), w[3].section(u'=', 1));
            pod.nodeName = w[2];
            pod.hostNetwork = true;
            pod.hostIp = snapshot.nodes[node].internalIp();
            pod.podIps = {pod.hostIp};
            pod.phase = QStringLiteral("Running");
            pod.ready = true;
            Container container;
            container.name = QStringLiteral("agent");
            container.ports.append(
                ContainerPort{QStringLiteral("metrics"), 9100, 0, Protocol::TCP});
            pod.containers.append(container);
            snapshot.pods.append(pod);
        } else if ((w[0] == u"port" && w.size() == 4) || (w[0] == u"noport" && w.size() == 3)) {
            Pod &pod = snapshot.pods[podIndex(snapshot, w[1])];
            for (Container &container : pod.containers) {
                for (qsizetype i = container.ports.size() - 1; i >= 0; --i) {
                    if (container.ports[i].name != w[2])
                        continue;
                    if (w[0] == u"port")
                        container.ports[i].containerPort = w[3].toInt();
                    else
                        container.ports.removeAt(i);
                }
            }
        } else if (w[0] == u"dropns" && w.size() == 2) {
            snapshot.namespaces.removeIf([&](const Namespace &ns) { return ns.name == w[1]; });
        } else if (w[0] == u"flannel") {
            DaemonSet flannel;
            flannel.namespaceName = QStringLiteral("kube-flannel");
            flannel.name = QStringLiteral("kube-flannel-ds");
            flannel.containerNames = {QStringLiteral("kube-flannel")};
            flannel.images = {QStringLiteral("docker.io/flannel/flannel:v0.24.2")};
            snapshot.daemonSets = {flannel};
        } else if (w[0] == u"ipv6first") {
            for (Pod &pod : snapshot.pods)
                std::reverse(pod.podIps.begin(), pod.podIps.end());
        } else {
            qFatal("test bug: bad mutation '%s'", qPrintable(command));
        }
    }
}

// A NetworkPolicy document in YAML; `spec` is YAML flow style.
QString policy(const char *ns, const char *name, const char *spec)
{
    return QStringLiteral("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                          "metadata: {name: %1, namespace: %2}\nspec: %3\n")
        .arg(s(name), s(ns), s(spec));
}

QString documents(std::initializer_list<QString> docs)
{
    return QStringList(docs).join(QStringLiteral("---\n"));
}

Status addObjects(ClusterSnapshot &snapshot, const QString &text)
{
    if (text.isEmpty())
        return Success{};
    return loadSnapshotData(text.toUtf8(), QStringLiteral("policies.yaml"), snapshot);
}

// QVERIFY2 evaluates its message even when the check passes.
QString errorText(const Status &status)
{
    return status.ok() ? QString() : describe(status.error());
}

ProbePort probePort(const QString &text)
{
    bool ok = false;
    const int number = text.toInt(&ok);
    return ok ? ProbePort{number, {}} : ProbePort{0, text};
}

// "x/a", "x/a@fd00:10:244:1::10" (a pod and the address it uses), or an address.
PolicyEndpoint endpoint(const ClusterSnapshot &snapshot, const QString &text)
{
    const QString pod = text.section(u'@', 0, 0);
    const QString address = text.section(u'@', 1);
    if (!pod.contains(u'/'))
        return PolicyEndpoint::ip(ip(pod));
    PolicyEndpoint result = PolicyEndpoint::pod(podIndex(snapshot, pod));
    if (!address.isEmpty())
        result.address = ip(address);
    return result;
}

// --- Reachability matrices, as the e2e suite writes them -----------------------------------------

using Matrix = std::array<std::array<bool, kPodCount>, kPodCount>;

Matrix filled(bool value)
{
    Matrix m;
    for (auto &row : m)
        row.fill(value);
    return m;
}

QString podLabel(int index)
{
    return s(kNamespaceNames[index / 3]) + u'/' + s(kPodNames[index % 3]);
}

// "*" every pod, "x" every pod of namespace x, "x/a" one pod.
bool patternSelects(const QString &pattern, int index)
{
    if (pattern == u"*")
        return true;
    if (!pattern.contains(u'/'))
        return pattern == s(kNamespaceNames[index / 3]);
    return pattern == podLabel(index);
}

// "FROM -> TO : WORD; ..." applied in order, like Reachability.ExpectPeer.
void applyExpectations(Matrix &m, const QString &script, QStringView yes, QStringView no)
{
    const QStringList lines = script.split(u';', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        const QString pair = line.section(u':', 0, 0).trimmed();
        const QString word = line.section(u':', 1).trimmed();
        const QString from = pair.section(QStringLiteral("->"), 0, 0).trimmed();
        const QString to = pair.section(QStringLiteral("->"), 1).trimmed();
        if ((word != yes && word != no) || from.isEmpty() || to.isEmpty())
            qFatal("test bug: bad expectation '%s'", qPrintable(line));
        for (int f = 0; f < kPodCount; ++f) {
            for (int t = 0; t < kPodCount; ++t) {
                if (patternSelects(from, f) && patternSelects(to, t))
                    m[f][t] = word == yes;
            }
        }
    }
}

// The e2e suite's truth table: rows are sources, columns destinations, '.' true, 'X' false.
QString render(const Matrix &m, const Matrix *other = nullptr)
{
    QString text = QStringLiteral("        ");
    for (int t = 0; t < kPodCount; ++t)
        text += podLabel(t) + u' ';
    text += u'\n';
    for (int f = 0; f < kPodCount; ++f) {
        text += QStringLiteral("    ") + podLabel(f);
        for (int t = 0; t < kPodCount; ++t) {
            const bool differs = other && (*other)[f][t] != m[f][t];
            text += QStringLiteral("  ") + (m[f][t] ? u'.' : u'X') + (differs ? u'!' : u' ');
        }
        text += u'\n';
    }
    return text;
}

QString describeDirection(const DirectionVerdict &d)
{
    if (!d.evaluated)
        return QStringLiteral("n/a");
    if (!d.isolated)
        return QStringLiteral("open");
    QString text = d.selectingPolicies.join(u',') + QStringLiteral(" -> ");
    if (!d.admittedBy)
        return text + QStringLiteral("deny");
    return text + QStringLiteral("%1#%2.%3.%4")
                      .arg(d.admittedBy->policy)
                      .arg(d.admittedBy->ruleIndex)
                      .arg(d.admittedBy->peerIndex)
                      .arg(d.admittedBy->portIndex);
}

QString dump(const PolicyVerdict &v)
{
    return QStringLiteral("allowed=%1 cni=%2 egress=[%3] ingress=[%4]\n  reasons: %5\n  notes: %6")
        .arg(v.allowed ? u"yes" : u"no", v.cniDependent ? u"yes" : u"no",
             describeDirection(v.egress), describeDirection(v.ingress),
             v.cniDependentReasons.join(QStringLiteral(" | ")),
             v.notes.join(QStringLiteral(" | ")));
}

bool anyContains(const QStringList &list, const char *needle)
{
    return std::any_of(list.cbegin(), list.cend(),
                       [&](const QString &text) { return text.contains(s(needle)); });
}

} // namespace

class TestPolicyEngine : public QObject
{
    Q_OBJECT

private slots:
    void e2eReachability_data();
    void e2eReachability();
    void explanation_data();
    void explanation();
    void ipBlockEdges_data();
    void ipBlockEdges();
    void namedPortsPerPod();
    void ipv6PodPeers();
    void hostNetworkAndOwnNode();
    void serviceClusterIp();
    void serviceWithoutSlices();
    void externalAddresses();
    void flannelDoesNotEnforce();
    void unknownCni();
    void badProbes();
    void checkIsThreadSafe();
};

// --- Upstream e2e tests ------------------------------------------------------------------------

void TestPolicyEngine::e2eReachability_data()
{
    QTest::addColumn<QString>("policies");
    QTest::addColumn<QString>("mutations");
    QTest::addColumn<QString>("port");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("expectations");
    QTest::addColumn<QString>("cniDependent"); // cells beyond loopback (always CNI-dependent)

    const auto row = [](const char *name, const QString &policies, const char *port,
                        const char *protocol, const char *expectations, const char *mutations = "",
                        const char *cni = "") {
        QTest::newRow(name) << policies << s(mutations) << s(port) << s(protocol) << s(expectations)
                            << s(cni);
    };

    const QString denyIngressX =
        policy("x", "deny-ingress", "{podSelector: {}, policyTypes: [Ingress], ingress: []}");
    const QString denyAllX =
        policy("x", "deny-all",
               "{podSelector: {}, policyTypes: [Ingress, Egress], ingress: [], egress: []}");

    row("should support a 'default-deny-ingress' policy", denyIngressX, "80", "TCP",
        "* -> x : deny");
    row("should support a 'default-deny-all' policy", denyAllX, "80", "TCP",
        "* -> x : deny; x -> * : deny");
    row("should enforce policy to allow traffic from pods within server namespace based on "
        "PodSelector",
        policy("x", "x-a-allows-x-b",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
               "ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]}"),
        "80", "TCP", "* -> x/a : deny; x/b -> x/a : allow");
    row("should enforce policy to allow ingress traffic for a target",
        documents(
            {policy("x", "deny-all", "{podSelector: {}, policyTypes: [Ingress], ingress: []}"),
             policy("x", "allow-all-to-a",
                    "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
                    "ingress: [{from: [{podSelector: {}, namespaceSelector: {}}]}]}")}),
        "80", "TCP", "* -> x : deny; * -> x/a : allow");
    row("should enforce policy to allow ingress traffic from pods in all namespaces",
        policy("x", "allow-from-another-ns",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
               "ingress: [{from: [{namespaceSelector: {matchLabels: {}}}]}]}"),
        "80", "TCP", "");
    row("should enforce policy to allow traffic only from a different namespace, based on "
        "NamespaceSelector",
        policy("x", "allow-client-a-via-ns-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]}"),
        "80", "TCP", "x -> x/a : deny; z -> x/a : deny");
    row("should enforce policy based on PodSelector with MatchExpressions",
        policy("x", "x-a-allows-x-b",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]}]}"),
        "80", "TCP", "* -> x/a : deny; x/b -> x/a : allow");
    row("should enforce policy based on NamespaceSelector with MatchExpressions",
        policy("x", "allow-ns-y-match-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, "
               "operator: In, values: [y]}]}}]}]}"),
        "80", "TCP", "x -> x/a : deny; z -> x/a : deny");
    row("should enforce policy based on PodSelector or NamespaceSelector",
        policy("x", "allow-ns-y-match-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, "
               "operator: NotIn, values: [x]}]}}, {podSelector: {matchLabels: {pod: b}}}]}]}"),
        "80", "TCP", "x/a -> x/a : deny; x/c -> x/a : deny");
    row("should enforce policy based on PodSelector and NamespaceSelector",
        policy("x", "allow-ns-y-podselector-and-nsselector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, "
               "operator: NotIn, values: [x]}]}, podSelector: {matchLabels: {pod: b}}}]}]}"),
        "80", "TCP", "* -> x/a : deny; y/b -> x/a : allow; z/b -> x/a : allow");
    row("should enforce policy based on Multiple PodSelectors and NamespaceSelectors",
        policy("x", "allow-ns-y-z-pod-b-c",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, "
               "operator: NotIn, values: [x]}]}, podSelector: {matchExpressions: [{key: pod, "
               "operator: In, values: [b, c]}]}}]}]}"),
        "80", "TCP", "x -> x/a : deny; y/a -> x/a : deny; z/a -> x/a : deny");
    row("should enforce policy based on any PodSelectors",
        policy(
            "x", "allow-ns-x-pod-b-c",
            "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
            "[{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]}]}"),
        "80", "TCP", "* -> x/a : deny; x/b -> x/a : allow; x/c -> x/a : allow");
    row("should enforce policy to allow traffic only from a pod in a different namespace based "
        "on PodSelector and NamespaceSelector",
        policy("x", "allow-ns-y-pod-a-via-namespace-pod-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, "
               "podSelector: {matchLabels: {pod: a}}}]}]}"),
        "80", "TCP", "* -> x/a : deny; y/a -> x/a : allow");

    const QString allowPort81 =
        policy("x", "allow-client-a-via-ns-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], "
               "ports: [{port: 81, protocol: TCP}]}]}");
    const QString allowPort80 =
        policy("x", "allow-client-a-via-ns-selector-80",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], "
               "ports: [{port: 80, protocol: TCP}]}]}");
    const char *onlyYToXa = "x -> x/a : deny; y -> x/a : allow; z -> x/a : deny";
    row("should enforce policy based on Ports", allowPort81, "81", "TCP", onlyYToXa);
    row("should enforce multiple, stacked policies with overlapping podSelectors [81]", allowPort81,
        "81", "TCP", onlyYToXa);
    row("should enforce multiple, stacked policies with overlapping podSelectors [80 denied]",
        allowPort81, "80", "TCP", "* -> x/a : deny");
    row("should enforce multiple, stacked policies with overlapping podSelectors [80 unblocked]",
        documents({allowPort81, allowPort80}), "80", "TCP", onlyYToXa);
    row("should enforce multiple, stacked policies with overlapping podSelectors [81 still]",
        documents({allowPort81, allowPort80}), "81", "TCP", onlyYToXa);

    const QString allowAll =
        policy("x", "allow-all",
               "{podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: [{}]}");
    row("should support allow-all policy [80]", allowAll, "80", "TCP", "");
    row("should support allow-all policy [81]", allowAll, "81", "TCP", "");

    const QString namedIngress81 =
        policy("x", "allow-all",
               "{podSelector: {matchLabels: {}}, policyTypes: [Ingress], "
               "ingress: [{ports: [{port: serve-81-tcp}]}]}");
    row("should allow ingress access on one named port [81]", namedIngress81, "81", "TCP", "");
    row("should allow ingress access on one named port [80]", namedIngress81, "80", "TCP",
        "* -> x : deny");
    row("should allow ingress access on one named port [probe by name]", namedIngress81,
        "serve-81-tcp", "TCP", "");

    const QString namedFromY =
        policy("x", "allow-client-a-via-ns-selector-80",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], "
               "ports: [{port: serve-80-tcp, protocol: TCP}]}]}");
    row("should allow ingress access from namespace on one named port [80]", namedFromY, "80",
        "TCP", "x -> x/a : deny; z -> x/a : deny");
    row("should allow ingress access from namespace on one named port [81]", namedFromY, "81",
        "TCP", "* -> x/a : deny");

    const QString namedEgress80 = policy("x", "allow-egress",
                                         "{podSelector: {matchLabels: {}}, policyTypes: [Egress], "
                                         "egress: [{ports: [{port: serve-80-tcp}]}]}");
    row("should allow egress access on one named port [80]", namedEgress80, "80", "TCP", "");
    row("should allow egress access on one named port [81]", namedEgress80, "81", "TCP",
        "x -> * : deny");

    row("should enforce updated policy [allow all]",
        policy("x", "allow-all-mutate-to-deny-all",
               "{podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: [{}]}"),
        "81", "TCP", "");
    row("should enforce updated policy [updated to deny all]",
        policy("x", "allow-all-mutate-to-deny-all",
               "{podSelector: {matchLabels: {}}, policyTypes: [Ingress], ingress: []}"),
        "81", "TCP", "* -> x : deny");

    const QString fromNs2Updated =
        policy("x", "allow-client-a-via-ns-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
               "ingress: [{from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]}]}");
    row("should allow ingress access from updated namespace [before]", fromNs2Updated, "80", "TCP",
        "* -> x/a : deny");
    row("should allow ingress access from updated namespace [after]", fromNs2Updated, "80", "TCP",
        "* -> x/a : deny; y -> * : allow", "label ns y ns2=updated");

    const QString fromPod2Updated =
        policy("x", "allow-client-a-via-pod-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
               "ingress: [{from: [{podSelector: {matchLabels: {pod: b, pod2: updated}}}]}]}");
    row("should allow ingress access from updated pod [before]", fromPod2Updated, "80", "TCP",
        "* -> x/a : deny");
    row("should allow ingress access from updated pod [after]", fromPod2Updated, "80", "TCP",
        "* -> x/a : deny; x/b -> x/a : allow", "label pod x/b pod2=updated");

    row("should deny ingress from pods on other namespaces",
        policy("x", "deny-empty-policy",
               "{podSelector: {}, policyTypes: [Ingress], "
               "ingress: [{from: [{podSelector: {matchLabels: {}}}]}]}"),
        "80", "TCP", "y -> x : deny; z -> x : deny");

    const QString denyIsolated = policy(
        "x", "deny-ingress-via-label-selector",
        "{podSelector: {matchLabels: {target: isolated}}, policyTypes: [Ingress], ingress: []}");
    row("should deny ingress access to updated pod [before]", denyIsolated, "80", "TCP", "");
    row("should deny ingress access to updated pod [after]", denyIsolated, "80", "TCP",
        "* -> x/a : deny", "label pod x/a target=isolated");

    row("should deny egress from pods based on PodSelector",
        policy("x", "deny-egress-pod-a",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: []}"),
        "80", "TCP", "x/a -> * : deny");
    row("should deny egress from all pods in a namespace",
        policy("x", "deny-egress-ns-x", "{podSelector: {}, policyTypes: [Egress], egress: []}"),
        "80", "TCP", "x -> * : deny");

    const QString ingressEgressTogether =
        policy("x", "allow-client-a-via-pod-selector",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress, Ingress], "
               "ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}], "
               "egress: [{ports: [{port: 80}]}]}");
    row("should work with Ingress, Egress specified together [80]", ingressEgressTogether, "80",
        "TCP", "* -> x/a : deny; x/b -> x/a : allow");
    row("should work with Ingress, Egress specified together [81]", ingressEgressTogether, "81",
        "TCP", "* -> x/a : deny; x/a -> * : deny; x/b -> x/a : allow");

    const char *fromXa = "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}, "
                         "podSelector: {matchLabels: {pod: a}}}]";
    row("should support denying of egress traffic on the client side (even if the server "
        "explicitly allows this traffic)",
        documents({policy("x", "allow-to-ns-y-pod-a",
                          "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: "
                          "[{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
                          "y}}, podSelector: {matchLabels: {pod: a}}}]}]}"),
                   policy("y", "allow-from-xa-on-ya-match-selector",
                          QByteArray("{podSelector: {matchLabels: {pod: a}}, policyTypes: "
                                     "[Ingress], ingress: [{from: ")
                              .append(fromXa)
                              .append("}]}")
                              .constData()),
                   policy("y", "allow-from-xa-on-yb-match-selector",
                          QByteArray("{podSelector: {matchLabels: {pod: b}}, policyTypes: "
                                     "[Ingress], ingress: [{from: ")
                              .append(fromXa)
                              .append("}]}")
                              .constData())}),
        "80", "TCP", "x/a -> * : deny; * -> y/a : deny; x/a -> y/a : allow; * -> y/b : deny");
    row("should enforce egress policy allowing traffic to a server in a different namespace "
        "based on PodSelector and NamespaceSelector",
        policy("x", "allow-to-ns-y-pod-a",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, "
               "podSelector: {matchLabels: {pod: a}}}]}]}"),
        "80", "TCP", "x/a -> * : deny; x/a -> y/a : allow");

    const QString byProtocol =
        policy("x", "allow-ingress-by-proto",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
               "ingress: [{ports: [{protocol: TCP}]}]}");
    row("should enforce ingress policy allowing any port traffic to a server on a specific "
        "protocol [TCP]",
        byProtocol, "80", "TCP", "");
    row("should enforce ingress policy allowing any port traffic to a server on a specific "
        "protocol [UDP]",
        byProtocol, "80", "UDP", "* -> x/a : deny");

    const QString ingressPort80 = policy("x", "allow-ingress-port-80",
                                         "{podSelector: {matchLabels: {}}, policyTypes: [Ingress], "
                                         "ingress: [{ports: [{port: 80}]}]}");
    row("should enforce multiple ingress policies with ingress allow-all policy taking "
        "precedence [81 blocked]",
        ingressPort80, "81", "TCP", "* -> x : deny");
    row("should enforce multiple ingress policies with ingress allow-all policy taking "
        "precedence [allow all]",
        documents({ingressPort80, policy("x", "allow-ingress",
                                         "{podSelector: {matchLabels: {}}, policyTypes: [Ingress], "
                                         "ingress: [{}]}")}),
        "81", "TCP", "");

    const QString egressPort80 = policy(
        "x", "allow-egress-port-80",
        "{podSelector: {matchLabels: {}}, policyTypes: [Egress], egress: [{ports: [{port: 80}]}]}");
    row("should enforce multiple egress policies with egress allow-all policy taking lower "
        "precedence [81 blocked]",
        egressPort80, "81", "TCP", "x -> * : deny");
    row("should enforce multiple egress policies with egress allow-all policy taking lower "
        "precedence [allow all]",
        documents({egressPort80, policy("x", "allow-egress",
                                        "{podSelector: {matchLabels: {}}, policyTypes: [Egress], "
                                        "egress: [{}]}")}),
        "81", "TCP", "");

    row("should stop enforcing policies after they are deleted [policy]", denyAllX, "80", "TCP",
        "x -> * : deny; * -> x : deny");
    row("should stop enforcing policies after they are deleted [deleted]", QString(), "80", "TCP",
        "");

    // ipBlock: y/b is 10.244.2.20, x/b is 10.244.2.10; the "large CIDR" is the /4 around it.
    row("should allow egress access to server in CIDR block",
        policy("x", "allow-client-a-via-cidr-egress-rule",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
               "egress: [{to: [{ipBlock: {cidr: 10.244.2.20/32}}]}]}"),
        "80", "TCP", "x/a -> * : deny; x/a -> y/b : allow", "", "x/a -> y/b : yes");
    const QString exceptXb =
        policy("x", "allow-client-a-via-cidr-egress-rule",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
               "egress: [{to: [{ipBlock: {cidr: 0.0.0.0/4, except: [10.244.2.10/32]}}]}]}");
    row("should enforce except clause while egress access to server in CIDR block", exceptXb, "80",
        "TCP", "x/a -> x/b : deny", "", "x/a -> * : yes; x/a -> x/b : no");
    row("should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed "
        "[except]",
        exceptXb, "80", "TCP", "x/a -> x/b : deny", "", "x/a -> * : yes; x/a -> x/b : no");
    row("should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed "
        "[updated to the /32]",
        policy("x", "allow-client-a-via-cidr-egress-rule",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
               "egress: [{to: [{ipBlock: {cidr: 10.244.2.10/32}}]}]}"),
        "80", "TCP", "x/a -> * : deny; x/a -> x/b : allow", "", "x/a -> x/b : yes");
    // The same three on an IPv6 cluster (hostMask 128 upstream; the /4 of fd00:: is f000::/4).
    row("should allow egress access to server in CIDR block [IPv6]",
        policy("x", "allow-client-a-via-cidr-egress-rule",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
               "egress: [{to: [{ipBlock: {cidr: 'fd00:10:244:2::20/128'}}]}]}"),
        "80", "TCP", "x/a -> * : deny; x/a -> y/b : allow", "ipv6first", "x/a -> y/b : yes");
    row("should enforce except clause while egress access to server in CIDR block [IPv6]",
        policy("x", "allow-client-a-via-cidr-egress-rule",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: "
               "[{ipBlock: {cidr: 'f000::/4', except: ['fd00:10:244:2::10/128']}}]}]}"),
        "80", "TCP", "x/a -> x/b : deny", "ipv6first", "x/a -> * : yes; x/a -> x/b : no");

    const QString allowEgressA =
        policy("x", "allow-egress-for-target",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{}]}");
    row("should enforce policies to check ingress and egress policies can be controlled "
        "independently based on PodSelector [egress]",
        allowEgressA, "80", "TCP", "");
    row("should enforce policies to check ingress and egress policies can be controlled "
        "independently based on PodSelector [ingress denied]",
        documents(
            {allowEgressA, policy("x", "deny-ingress-via-label-selector",
                                  "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
                                  "ingress: []}")}),
        "80", "TCP", "* -> x/a : deny");

    row("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin "
        "doesn't support SCTP",
        documents(
            {denyIngressX, policy("x", "allow-only-sctp-ingress-on-port-81",
                                  "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
                                  "ingress: [{ports: [{port: 81, protocol: SCTP}]}]}")}),
        "81", "TCP", "* -> x : deny");
    row("should properly isolate pods that are selected by a policy allowing SCTP, even if the "
        "plugin doesn't support SCTP",
        policy("x", "allow-only-sctp-ingress-on-port-80",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
               "ingress: [{ports: [{port: 80, protocol: SCTP}]}]}"),
        "81", "TCP", "* -> x/a : deny");
    row("should not allow access by TCP when a policy specifies only UDP",
        policy("x", "allow-only-udp-ingress-on-port-81",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
               "ingress: [{ports: [{port: 81, protocol: UDP}]}]}"),
        "81", "TCP", "* -> x/a : deny");
    // The snapshot's namespaces lack the label here: the engine adds it, as the API server does.
    row("should enforce policy to allow traffic based on NamespaceSelector with MatchLabels "
        "using default ns label",
        policy("x", "allow-client-a-via-ns-selector-for-immutable-ns-label",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]}"),
        "80", "TCP", "x -> x/a : deny; z -> x/a : deny",
        "unlabel ns * kubernetes.io/metadata.name");
    row("should enforce policy based on NamespaceSelector with MatchExpressions using default "
        "ns label",
        policy("x", "allow-ns-y-match-selector-for-immutable-ns-label",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: "
               "[{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, "
               "operator: NotIn, values: [y]}]}}]}]}"),
        "80", "TCP", "x/a -> y : deny", "unlabel ns * kubernetes.io/metadata.name");

    // "NetworkPolicy between server and client using UDP" and "... using SCTP".
    for (const char *protocol : {"UDP", "SCTP"}) {
        const QByteArray p(protocol);
        row(QByteArray("should support a 'default-deny-ingress' policy [" + p + "]").constData(),
            policy("x", "deny-all", "{podSelector: {}, policyTypes: [Ingress], ingress: []}"), "80",
            protocol, "* -> x : deny");
        row(QByteArray("should enforce policy based on Ports [" + p + "]").constData(),
            policy("x", "allow-ingress-on-port-81-ns-x",
                   QByteArray("{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
                              "ingress: [{from: [{namespaceSelector: {matchLabels: "
                              "{kubernetes.io/metadata.name: y}}}], ports: [{port: 81, "
                              "protocol: " +
                              p + "}]}]}")
                       .constData()),
            "81", protocol, "x -> x/a : deny; z -> x/a : deny");
        row(QByteArray("should enforce policy to allow traffic only from a pod in a different "
                       "namespace based on PodSelector and NamespaceSelector [" +
                       p + "]")
                .constData(),
            policy("x", "allow-ns-y-pod-a-via-namespace-pod-selector",
                   "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: "
                   "[{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, "
                   "podSelector: {matchLabels: {pod: a}}}]}]}"),
            "80", protocol, "* -> x/a : deny; y/a -> x/a : allow");
    }

    // endPort (KEP-2079), written the e2e way: port ranges on ingress and egress, per protocol.
    const QString ingressRange =
        policy("x", "allow-ingress-port-range-from-y",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], ingress: [{from: "
               "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], "
               "ports: [{port: 80, endPort: 81, protocol: TCP}]}]}");
    row("should support ingress port range (endPort) [80, start]", ingressRange, "80", "TCP",
        "x -> x/a : deny; z -> x/a : deny");
    row("should support ingress port range (endPort) [81, end]", ingressRange, "81", "TCP",
        "x -> x/a : deny; z -> x/a : deny");
    row("should support ingress port range (endPort) [82, past the end]", ingressRange, "82", "TCP",
        "* -> x/a : deny");
    row("should support ingress port range (endPort) [79, before the start]", ingressRange, "79",
        "TCP", "* -> x/a : deny");
    const QString egressRange = policy(
        "x", "allow-egress-port-range",
        "{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: 81, endPort: 90}]}]}");
    row("should support egress port range (endPort) [80]", egressRange, "80", "TCP",
        "x -> * : deny");
    row("should support egress port range (endPort) [81]", egressRange, "81", "TCP", "");
    for (const char *protocol : {"UDP", "SCTP"}) {
        const QByteArray p(protocol);
        const QString range =
            policy("x", "allow-ingress-port-range",
                   QByteArray("{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress], "
                              "ingress: [{ports: [{port: 79, endPort: 80, protocol: " +
                              p + "}]}]}")
                       .constData());
        row(QByteArray("should support ingress port range (endPort) [" + p + " 80]").constData(),
            range, "80", protocol, "");
        row(QByteArray("should support ingress port range (endPort) [" + p + " 81]").constData(),
            range, "81", protocol, "* -> x/a : deny");
        row(QByteArray("should support ingress port range (endPort) [" + p + " range, TCP 80]")
                .constData(),
            range, "80", "TCP", "* -> x/a : deny");
    }

    // The same policies given as JSON (kubectl get -o json): the parser's other path.
    row("should support a 'default-deny-all' policy [JSON]",
        s(R"({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
              "metadata": {"name": "deny-all", "namespace": "x"},
              "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                       "ingress": [], "egress": []}})"),
        "80", "TCP", "* -> x : deny; x -> * : deny");
}

void TestPolicyEngine::e2eReachability()
{
    QFETCH(QString, policies);
    QFETCH(QString, mutations);
    QFETCH(QString, port);
    QFETCH(QString, protocol);
    QFETCH(QString, expectations);
    QFETCH(QString, cniDependent);

    ClusterSnapshot snapshot = e2eCluster();
    mutate(snapshot, mutations);
    const Status loaded = addObjects(snapshot, policies);
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);

    Matrix expected = filled(true);
    applyExpectations(expected, expectations, u"allow", u"deny");
    Matrix expectedCni = filled(false);
    for (int i = 0; i < kPodCount; ++i)
        expectedCni[i][i] = true;
    applyExpectations(expectedCni, cniDependent, u"yes", u"no");

    const ProbePort probe = probePort(port);
    const Protocol proto = *protocolFromName(protocol);
    Matrix actual = filled(false);
    Matrix actualCni = filled(false);
    QStringList problems;
    for (int f = 0; f < kPodCount; ++f) {
        for (int t = 0; t < kPodCount; ++t) {
            const PolicyVerdict v =
                engine.check(PolicyEndpoint::pod(podIndex(snapshot, podLabel(f))),
                             PolicyEndpoint::pod(podIndex(snapshot, podLabel(t))), probe, proto);
            actual[f][t] = v.allowed;
            actualCni[f][t] = v.cniDependent;
            const QString cell =
                podLabel(f) + QStringLiteral(" -> ") + podLabel(t) + QStringLiteral(": ") + dump(v);
            // The explanation must account for the verdict.
            if (v.allowed != (v.egress.allowed && v.ingress.allowed))
                problems << cell;
            if (!v.egress.evaluated || !v.ingress.evaluated || !v.enforced)
                problems << cell;
            for (const DirectionVerdict *d : {&v.egress, &v.ingress}) {
                if (d->isolated == d->selectingPolicies.isEmpty() ||
                    d->allowed != (!d->isolated || d->admittedBy.has_value()))
                    problems << cell;
            }
            if (v.cniDependent == v.cniDependentReasons.isEmpty())
                problems << cell;
        }
    }
    if (actual != expected) {
        QFAIL(qPrintable(QStringLiteral("reachability for %1/%2 differs ('!' marks a wrong "
                                        "cell)\nexpected:\n%3actual:\n%4")
                             .arg(port, protocol, render(expected), render(actual, &expected))));
    }
    if (actualCni != expectedCni) {
        QFAIL(qPrintable(QStringLiteral("CNI-dependent cells differ ('.' dependent)\n"
                                        "expected:\n%1actual:\n%2")
                             .arg(render(expectedCni), render(actualCni, &expectedCni))));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

// --- Explanations ------------------------------------------------------------------------------

void TestPolicyEngine::explanation_data()
{
    QTest::addColumn<QString>("objects");
    QTest::addColumn<QString>("mutations");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("port");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QString>("egress");  // describeDirection()
    QTest::addColumn<QString>("ingress"); // "n/a", "open", "P,Q -> deny", "P,Q -> P#rule.peer.port"
    QTest::addColumn<bool>("cniDependent");

    const auto row = [](const char *name, const QString &objects, const char *from, const char *to,
                        const char *port, bool allowed, const char *egress, const char *ingress,
                        bool cni = false, const char *mutations = "",
                        const char *protocol = "TCP") {
        QTest::newRow(name) << objects << s(mutations) << s(from) << s(to) << s(port) << s(protocol)
                            << allowed << s(egress) << s(ingress) << cni;
    };

    row("no policy: both sides open", QString(), "x/a", "y/a", "80", true, "open", "open");
    row("pod to itself: allowed, CNI-dependent", QString(), "x/a", "x/a", "80", true, "open",
        "open", true);

    const QString denyIngress =
        policy("x", "deny-ingress", "{podSelector: {}, policyTypes: [Ingress], ingress: []}");
    row("default deny selects, admits nothing", denyIngress, "y/a", "x/a", "80", false, "open",
        "x/deny-ingress -> deny");

    // Listed zz, aa, m: selectingPolicies sorted, admittedBy the first in snapshot order.
    const QString three = documents(
        {policy("x", "zz-allow-y",
                "{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: "
                "{matchLabels: {ns: y}}}]}]}"),
         policy("x", "aa-allow-all-namespaces",
                "{podSelector: {matchLabels: {pod: a}}, ingress: [{from: "
                "[{namespaceSelector: {}}]}]}"),
         policy("x", "m-deny", "{podSelector: {}, policyTypes: [Ingress]}")});
    row("admittedBy follows snapshot order (first listed admits)", three, "y/b", "x/a", "80", true,
        "open", "x/aa-allow-all-namespaces,x/m-deny,x/zz-allow-y -> x/zz-allow-y#0.0.-1");
    row("admittedBy follows snapshot order (later policy admits)", three, "z/b", "x/a", "80", true,
        "open",
        "x/aa-allow-all-namespaces,x/m-deny,x/zz-allow-y -> x/aa-allow-all-namespaces#0.0.-1");
    row("selecting policies listed also when none admits", three, "y/b", "x/b", "80", false, "open",
        "x/m-deny -> deny");

    const QString indices =
        policy("x", "indices",
               "{podSelector: {matchLabels: {pod: a}}, ingress: ["
               "{from: [{podSelector: {matchLabels: {pod: c}}}], ports: [{port: 80}]},"
               "{from: [{podSelector: {matchLabels: {pod: c}}}, {namespaceSelector: {matchLabels: "
               "{ns: y}}}, {ipBlock: {cidr: 10.244.0.0/16}}],"
               " ports: [{port: 79}, {protocol: UDP, port: 80}, {port: 80, endPort: 90}]}]}");
    row("rule 0, peer 0, port 0", indices, "x/c", "x/a", "80", true, "open",
        "x/indices -> x/indices#0.0.0");
    row("rule 1, peer 1, port 2 (the range)", indices, "y/c", "x/a", "80", true, "open",
        "x/indices -> x/indices#1.1.2");
    row("rule 1, peer 2: only an ipBlock admits a pod, CNI-dependent", indices, "z/b", "x/a", "85",
        true, "open", "x/indices -> x/indices#1.2.2", true);
    row("rule 1 port 1 is UDP 80", indices, "z/b", "x/a", "80", true, "open",
        "x/indices -> x/indices#1.2.1", true, "", "UDP");
    row("no port of any rule matches", indices, "y/c", "x/a", "91", false, "open",
        "x/indices -> deny");
    row("ipBlock and selector both admit: not CNI-dependent", indices, "y/c", "x/a", "85", true,
        "open", "x/indices -> x/indices#1.1.2");

    const QString egressAll =
        policy("x", "egress-all",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
               "egress: [{}]}");
    row("rule without peers and ports", egressAll, "x/a", "z/c", "5432", true,
        "x/egress-all -> x/egress-all#0.-1.-1", "open");

    // policyTypes absent: Ingress always, Egress because egress rules exist.
    const QString defaulted =
        policy("x", "defaulted",
               "{podSelector: {matchLabels: {pod: a}}, egress: [{to: [{podSelector: {}}]}]}");
    row("policyTypes defaulting isolates ingress too", defaulted, "y/a", "x/a", "80", false, "open",
        "x/defaulted -> deny");
    row("podSelector peer alone means the policy's namespace", defaulted, "x/a", "y/a", "80", false,
        "x/defaulted -> deny", "open");
    row("podSelector {} peer admits the policy's namespace", defaulted, "x/a", "x/b", "80", true,
        "x/defaulted -> x/defaulted#0.0.-1", "open");
    const QString egressOnly =
        policy("x", "egress-only",
               "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
               "egress: [{to: [{podSelector: {}}]}]}");
    row("policyTypes [Egress] leaves ingress open", egressOnly, "y/a", "x/a", "80", true, "open",
        "open");

    const QString bothSides = documents(
        {policy("x", "a-egress",
                "{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], "
                "egress: [{to: [{namespaceSelector: {matchLabels: {ns: z}}}, "
                "{namespaceSelector: {matchLabels: {ns: y}}, podSelector: "
                "{matchLabels: {pod: b}}}]}]}"),
         policy("y", "from-x",
                "{podSelector: {}, ingress: [{from: [{namespaceSelector: "
                "{matchLabels: {ns: x}}}]}]}"),
         policy("z", "deny-c", "{podSelector: {matchLabels: {pod: c}}, policyTypes: [Ingress]}")});
    row("ingress admits, egress denies", bothSides, "x/a", "y/a", "80", false, "x/a-egress -> deny",
        "y/from-x -> y/from-x#0.0.-1");
    row("egress admits, ingress denies", bothSides, "x/a", "z/c", "80", false,
        "x/a-egress -> x/a-egress#0.0.-1", "z/deny-c -> deny");
    row("both admit", bothSides, "x/a", "y/b", "80", true, "x/a-egress -> x/a-egress#0.1.-1",
        "y/from-x -> y/from-x#0.0.-1");
    row("egress open, ingress denies", bothSides, "z/a", "y/c", "80", false, "open",
        "y/from-x -> deny");

    // The snapshot lacks Namespace z: selectors still see kubernetes.io/metadata.name=z.
    const QString fromZByName =
        policy("x", "from-z",
               "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: "
               "{kubernetes.io/metadata.name: z}}}]}]}");
    row("namespace missing from the snapshot keeps its name label", fromZByName, "z/a", "x/a", "80",
        true, "open", "x/from-z -> x/from-z#0.0.-1", false, "dropns z");
    const QString fromZByLabel = policy(
        "x", "from-z",
        "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {ns: z}}}]}]}");
    row("namespace missing from the snapshot has no other label", fromZByLabel, "z/a", "x/a", "80",
        false, "open", "x/from-z -> deny", false, "dropns z");

    const QString expressions = policy(
        "x", "expressions",
        "{podSelector: {matchExpressions: [{key: pod, operator: Exists}]}, ingress: [{from: "
        "[{podSelector: {matchExpressions: [{key: canary, operator: DoesNotExist}]}, "
        "namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x, z]}]}}]}]}");
    row("Exists / DoesNotExist / NotIn admit", expressions, "y/a", "x/b", "80", true, "open",
        "x/expressions -> x/expressions#0.0.-1");
    row("DoesNotExist rejects a labelled pod", expressions, "y/a", "x/b", "80", false, "open",
        "x/expressions -> deny", false, "label pod y/a canary=true");
    row("Exists no longer selects an unlabelled pod", expressions, "z/a", "x/b", "80", true, "open",
        "open", false, "unlabel pod x/b pod");

    row("an address that is a pod IP is that pod", denyIngress, "10.244.1.20", "x/a", "80", false,
        "open", "x/deny-ingress -> deny");
}

void TestPolicyEngine::explanation()
{
    QFETCH(QString, objects);
    QFETCH(QString, mutations);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, port);
    QFETCH(QString, protocol);
    QFETCH(bool, allowed);
    QFETCH(QString, egress);
    QFETCH(QString, ingress);
    QFETCH(bool, cniDependent);

    ClusterSnapshot snapshot = e2eCluster();
    mutate(snapshot, mutations);
    const Status loaded = addObjects(snapshot, objects);
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const PolicyVerdict v = engine.check(endpoint(snapshot, from), endpoint(snapshot, to),
                                         probePort(port), *protocolFromName(protocol));
    const QByteArray context = dump(v).toUtf8();
    QVERIFY2(v.allowed == allowed, context.constData());
    QCOMPARE(describeDirection(v.egress), egress);
    QCOMPARE(describeDirection(v.ingress), ingress);
    QVERIFY2(v.cniDependent == cniDependent, context.constData());
    QCOMPARE(v.cniDependentReasons.isEmpty(), !cniDependent);
}

// --- ipBlock edges ---------------------------------------------------------------------------

void TestPolicyEngine::ipBlockEdges_data()
{
    QTest::addColumn<QString>("peers"); // YAML flow list, used as ingress from and egress to
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<int>("peerIndex"); // of the admitting peer; -1 when denied

    const char *const excepts = "[{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24, "
                                "192.168.2.0/24]}}]";
    const auto row = [](const char *name, const char *peers, const char *address, bool allowed,
                        int peerIndex) {
        QTest::newRow(name) << s(peers) << s(address) << allowed << peerIndex;
    };
    row("cidr network address", excepts, "192.168.0.0", true, 0);
    row("below an except", excepts, "192.168.0.255", true, 0);
    row("except network address", excepts, "192.168.1.0", false, -1);
    row("except broadcast address", excepts, "192.168.1.255", false, -1);
    row("inside the second except", excepts, "192.168.2.128", false, -1);
    row("just past the excepts", excepts, "192.168.3.0", true, 0);
    row("cidr broadcast address", excepts, "192.168.255.255", true, 0);
    row("just past the cidr", excepts, "192.169.0.0", false, -1);
    row("just before the cidr", excepts, "192.167.255.255", false, -1);

    const char *const nested = "[{ipBlock: {cidr: 172.16.0.0/12, except: [172.17.0.0/16]}}, "
                               "{ipBlock: {cidr: 172.17.5.0/24}}]";
    row("nested: a hole re-opened by a second peer", nested, "172.17.5.9", true, 1);
    row("nested: elsewhere in the hole", nested, "172.17.6.9", false, -1);
    row("nested: outside the hole", nested, "172.16.0.1", true, 0);
    row("nested: top of the /12", nested, "172.31.255.255", true, 0);
    row("nested: past the /12", nested, "172.32.0.0", false, -1);

    const char *const everything = "[{ipBlock: {cidr: 0.0.0.0/0, except: [203.0.113.7/32]}}]";
    row("/0 except one host: the host", everything, "203.0.113.7", false, -1);
    row("/0 except one host: its neighbour below", everything, "203.0.113.6", true, 0);
    row("/0 except one host: its neighbour above", everything, "203.0.113.8", true, 0);
    row("an IPv4 /0 does not hold IPv6", everything, "2001:db8::1", false, -1);

    const char *const v6 = "[{ipBlock: {cidr: '2001:db8::/32', except: ['2001:db8:1::/48']}}]";
    row("IPv6 inside", v6, "2001:db8::1", true, 0);
    row("IPv6 except network address", v6, "2001:db8:1::", false, -1);
    row("IPv6 except last address", v6, "2001:db8:1:ffff:ffff:ffff:ffff:ffff", false, -1);
    row("IPv6 past the except", v6, "2001:db8:2::", true, 0);
    row("IPv6 last address of the cidr", v6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true, 0);
    row("IPv6 past the cidr", v6, "2001:db9::", false, -1);
    row("an IPv6 block does not hold IPv4", v6, "10.0.0.1", false, -1);
    row("IPv4-mapped IPv6 is IPv6", "[{ipBlock: {cidr: 192.168.0.0/16}}]", "::ffff:192.168.0.1",
        false, -1);
}

void TestPolicyEngine::ipBlockEdges()
{
    QFETCH(QString, peers);
    QFETCH(QString, address);
    QFETCH(bool, allowed);
    QFETCH(int, peerIndex);

    ClusterSnapshot snapshot = e2eCluster();
    const QByteArray spec = QStringLiteral("{podSelector: {matchLabels: {pod: a}}, policyTypes: "
                                           "[Ingress, Egress], ingress: [{from: %1}], "
                                           "egress: [{to: %1}]}")
                                .arg(peers)
                                .toUtf8();
    const Status loaded = addObjects(snapshot, policy("x", "blocks", spec.constData()));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const qsizetype xa = podIndex(snapshot, QStringLiteral("x/a"));

    // In: the address as source, x/a's ingress; out: x/a's egress to the address.
    const PolicyVerdict in = engine.check(PolicyEndpoint::ip(ip(address)), PolicyEndpoint::pod(xa),
                                          ProbePort{80, {}}, Protocol::TCP);
    const PolicyVerdict out = engine.check(PolicyEndpoint::pod(xa), PolicyEndpoint::ip(ip(address)),
                                           ProbePort{80, {}}, Protocol::TCP);
    for (const PolicyVerdict *v : {&in, &out}) {
        const DirectionVerdict &d = v == &in ? v->ingress : v->egress;
        const DirectionVerdict &other = v == &in ? v->egress : v->ingress;
        QVERIFY2(v->allowed == allowed, qPrintable(dump(*v)));
        QVERIFY(d.evaluated && d.isolated);
        QVERIFY(!other.evaluated); // the address side has no policies
        QCOMPARE(d.admittedBy.has_value(), allowed);
        if (allowed) {
            QCOMPARE(d.admittedBy->peerIndex, peerIndex);
            QCOMPARE(d.admittedBy->ruleIndex, 0);
        }
        QVERIFY2(!v->cniDependent,
                 qPrintable(dump(*v))); // external addresses are what ipBlock is for
    }
}

// --- Named ports -------------------------------------------------------------------------------

void TestPolicyEngine::namedPortsPerPod()
{
    // serve-81-tcp is 81 on x/a, 8081 on x/b, absent on x/c.
    ClusterSnapshot snapshot = e2eCluster();
    mutate(snapshot, QStringLiteral("port x/b serve-81-tcp 8081; noport x/c serve-81-tcp"));
    const Status loaded =
        addObjects(snapshot, documents({policy("x", "ingress-named",
                                               "{podSelector: {}, policyTypes: [Ingress], "
                                               "ingress: [{ports: [{port: serve-81-tcp}]}]}"),
                                        policy("y", "egress-named",
                                               "{podSelector: {matchLabels: {pod: a}}, "
                                               "policyTypes: [Egress], egress: [{ports: "
                                               "[{port: serve-81-tcp}]}]}")}));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const auto check = [&](const char *from, const char *to, const char *port,
                           Protocol protocol = Protocol::TCP) {
        return engine.check(endpoint(snapshot, s(from)), endpoint(snapshot, s(to)),
                            probePort(s(port)), protocol);
    };

    // Ingress: the name resolves against the destination pod, the policy's own.
    QVERIFY(check("z/a", "x/a", "81").allowed);
    QVERIFY(!check("z/a", "x/b", "81").allowed);
    QVERIFY(check("z/a", "x/b", "8081").allowed);
    QVERIFY(!check("z/a", "x/c", "81").allowed);
    QVERIFY(!check("z/a", "x/a", "81", Protocol::UDP).allowed); // serve-81-tcp is TCP
    const PolicyVerdict admitted = check("z/a", "x/b", "8081");
    QCOMPARE(admitted.ingress.admittedBy->portIndex, 0);

    // A probe by name: resolved against the destination pod too.
    const PolicyVerdict byName = check("z/a", "x/b", "serve-81-tcp");
    QVERIFY2(byName.allowed, qPrintable(dump(byName)));
    QCOMPARE(byName.resolvedPort, 8081);
    QVERIFY(anyContains(byName.notes, "serve-81-tcp resolves to 8081/TCP on pod x/b"));
    const PolicyVerdict unresolved = check("z/a", "x/c", "serve-81-tcp");
    QVERIFY(!unresolved.allowed);
    QCOMPARE(unresolved.resolvedPort, 0);
    QVERIFY2(anyContains(unresolved.notes, "no TCP container port named serve-81-tcp"),
             qPrintable(dump(unresolved)));
    const PolicyVerdict udpName = check("z/a", "z/b", "serve-81-tcp", Protocol::UDP);
    QVERIFY(!udpName.allowed); // the name is a TCP port's

    // Egress: the name resolves against the destination pod, not the policy's pod.
    QVERIFY(check("y/a", "x/a", "81").allowed);
    QVERIFY(!check("y/a", "x/b", "81").allowed);
    QVERIFY(check("y/a", "x/b", "8081").allowed);
    QVERIFY(check("y/a", "z/c", "81").allowed); // z/c still has serve-81-tcp = 81
    QVERIFY(!check("y/a", "x/c", "81").allowed);
    // ... and an address has no named ports.
    const PolicyVerdict external = check("y/a", "198.51.100.1", "81");
    QVERIFY(!external.allowed);
    QVERIFY(external.egress.isolated && !external.egress.admittedBy);
    const PolicyVerdict nameToAddress = check("z/a", "198.51.100.1", "serve-81-tcp");
    QVERIFY(!nameToAddress.allowed);
    QVERIFY(anyContains(nameToAddress.notes, "can only be resolved against a destination pod"));
}

void TestPolicyEngine::ipv6PodPeers()
{
    // Dual-stack pods: the family of an explicit address decides which pod IP the policy sees.
    ClusterSnapshot snapshot = e2eCluster();
    const Status loaded =
        addObjects(snapshot, policy("x", "to-yb-v6",
                                    "{podSelector: {matchLabels: {pod: a}}, policyTypes: "
                                    "[Egress], egress: [{to: [{ipBlock: {cidr: "
                                    "'fd00:10:244:2::/64', except: "
                                    "['fd00:10:244:2::10/128']}}]}]}"));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const auto check = [&](const QString &from, const QString &to) {
        return engine.check(endpoint(snapshot, from), endpoint(snapshot, to), ProbePort{80, {}},
                            Protocol::TCP);
    };
    // IPv4 (the pods' first family): the IPv6 block does not match.
    QVERIFY(!check(QStringLiteral("x/a"), QStringLiteral("y/b")).allowed);
    // IPv6 via the source's address: y/b's IPv6 address is picked for the destination.
    const PolicyVerdict v6 = check(QStringLiteral("x/a@") + podIp6(0, 0), QStringLiteral("y/b"));
    QVERIFY2(v6.allowed, qPrintable(dump(v6)));
    QCOMPARE(v6.resolvedTo.address, ip(podIp6(1, 1)));
    QVERIFY(v6.cniDependent); // a pod admitted only through an ipBlock
    // x/b's IPv6 address is excepted; z/b's is in the /64 too.
    QVERIFY(!check(QStringLiteral("x/a@") + podIp6(0, 0), QStringLiteral("x/b")).allowed);
    QVERIFY(check(QStringLiteral("x/a@") + podIp6(0, 0), QStringLiteral("z/b")).allowed);
    // An IPv6 address given directly resolves to its pod.
    const PolicyVerdict byAddress = check(QStringLiteral("x/a@") + podIp6(0, 0), podIp6(1, 1));
    QVERIFY(byAddress.allowed);
    QCOMPARE(byAddress.resolvedTo.podIndex, podIndex(snapshot, QStringLiteral("y/b")));
    // Mixed families cannot connect.
    const PolicyVerdict mixed = check(QStringLiteral("x/a@") + podIp6(0, 0), podIp(1, 1));
    QVERIFY(!mixed.allowed);
    QVERIFY(anyContains(mixed.notes, "different address families"));
}

// --- Where the API leaves the outcome to the CNI -----------------------------------------------

void TestPolicyEngine::hostNetworkAndOwnNode()
{
    ClusterSnapshot snapshot = e2eCluster();
    mutate(snapshot, QStringLiteral("hostnet kube-system/node-agent node-1 app=agent"));
    // kube-system is not in the snapshot: its name label is still there for the selector.
    const Status loaded = addObjects(
        snapshot, policy("x", "from-kube-system",
                         "{podSelector: {}, ingress: [{from: [{namespaceSelector: "
                         "{matchLabels: {kubernetes.io/metadata.name: kube-system}}}]}]}"));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const auto check = [&](const char *from, const char *to) {
        return engine.check(endpoint(snapshot, s(from)), endpoint(snapshot, s(to)),
                            ProbePort{80, {}}, Protocol::TCP);
    };

    // As the API defines it, the host-network pod is a pod of kube-system; flagged.
    const PolicyVerdict fromAgent = check("kube-system/node-agent", "x/b");
    QVERIFY2(fromAgent.allowed, qPrintable(dump(fromAgent)));
    QVERIFY(fromAgent.cniDependent);
    QVERIFY(anyContains(fromAgent.cniDependentReasons, "uses the host network"));
    QCOMPARE(fromAgent.resolvedFrom.address, ip(QStringLiteral("172.18.0.2")));
    // On x/a's own node (node-1), the node reason is given as well.
    const PolicyVerdict sameNode = check("kube-system/node-agent", "x/a");
    QVERIFY(anyContains(sameNode.cniDependentReasons, "comes from node node-1"));
    const PolicyVerdict toAgent = check("x/a", "kube-system/node-agent");
    QVERIFY(toAgent.allowed);
    QVERIFY(toAgent.cniDependent);

    // The node's own address (kubelet probes): the API says deny, most CNIs allow.
    const PolicyVerdict kubelet = check("172.18.0.2", "x/a");
    QVERIFY(!kubelet.allowed);
    QVERIFY(!kubelet.egress.evaluated);
    QCOMPARE(describeDirection(kubelet.ingress), QStringLiteral("x/from-kube-system -> deny"));
    QVERIFY(kubelet.cniDependent);
    QVERIFY2(anyContains(kubelet.cniDependentReasons, "comes from node node-1, where pod x/a runs"),
             qPrintable(dump(kubelet)));
    QVERIFY(anyContains(kubelet.notes, "is an address of node node-1"));
    // Another node's address: still a node, but not the pod's own.
    const PolicyVerdict otherNode = check("172.18.0.3", "x/a");
    QVERIFY(!otherNode.allowed);
    QVERIFY(otherNode.cniDependent);
    QVERIFY(!anyContains(otherNode.cniDependentReasons, "where pod x/a runs"));
    QVERIFY(anyContains(otherNode.cniDependentReasons, "node node-2's address"));
    // A pod to a node address.
    const PolicyVerdict toNode = check("x/a", "172.18.0.3");
    QVERIFY(toNode.allowed);
    QVERIFY(toNode.cniDependent);
    // Plain pods on different nodes: nothing CNI-dependent.
    QVERIFY(!check("y/b", "x/c").cniDependent);
}

// --- Services ----------------------------------------------------------------------------------

namespace {

const char kWebService[] = R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: y}
spec:
  clusterIP: 10.96.0.10
  clusterIPs: [10.96.0.10]
  selector: {app: web}
  ports:
  - {name: http, port: 8080, targetPort: serve-80-tcp}
  - {name: raw, port: 9090, targetPort: 81}
  - {name: plain, port: 80}
  - {name: dns, port: 53, protocol: UDP, targetPort: serve-80-udp}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abcde
  namespace: y
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
endpoints:
- addresses: [10.244.1.20]
  conditions: {ready: true}
  targetRef: {kind: Pod, namespace: y, name: a}
- addresses: [10.244.2.20]
  conditions: {ready: true}
  targetRef: {kind: Pod, namespace: y, name: b}
- addresses: [10.244.3.20]
  conditions: {ready: false}
  targetRef: {kind: Pod, namespace: y, name: c}
ports:
- {name: http, port: 80, protocol: TCP}
- {name: raw, port: 81, protocol: TCP}
- {name: plain, port: 80, protocol: TCP}
- {name: dns, port: 80, protocol: UDP}
)";

} // namespace

void TestPolicyEngine::serviceClusterIp()
{
    ClusterSnapshot snapshot = e2eCluster();
    mutate(snapshot, QStringLiteral("label pod y/a app=web; label pod y/b app=web; "
                                    "label pod y/c app=web"));
    // y/b admits only x/b.
    const Status loaded = addObjects(
        snapshot, documents({s(kWebService),
                             policy("y", "b-from-xb",
                                    "{podSelector: {matchLabels: {pod: b}}, ingress: [{from: "
                                    "[{namespaceSelector: {matchLabels: {ns: x}}, podSelector: "
                                    "{matchLabels: {pod: b}}}]}]}")}));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const qsizetype ya = podIndex(snapshot, QStringLiteral("y/a"));
    const qsizetype yb = podIndex(snapshot, QStringLiteral("y/b"));
    const PolicyEndpoint clusterIp = PolicyEndpoint::ip(ip(QStringLiteral("10.96.0.10")));
    const auto check = [&](const char *from, const ProbePort &port,
                           Protocol protocol = Protocol::TCP) {
        return engine.check(endpoint(snapshot, s(from)), clusterIp, port, protocol);
    };

    // Both ready backends admit x/b; the named targetPort is 80 on both.
    const PolicyVerdict xb = check("x/b", ProbePort{8080, {}});
    QVERIFY2(xb.allowed, qPrintable(dump(xb)));
    QCOMPARE(xb.service, snapshot.findService(u"y", u"web"));
    QCOMPARE(xb.resolvedBackends, (QList<qsizetype>{ya, yb})); // y/c is not ready
    QCOMPARE(xb.backends.size(), 2);
    QCOMPARE(xb.backends[0].targetPort, 80);
    QCOMPARE(xb.backends[1].targetPort, 80);
    QCOMPARE(xb.backends[1].address, ip(QStringLiteral("10.244.2.20")));
    QCOMPARE(xb.resolvedPort, 8080);
    QVERIFY(anyContains(xb.notes, "is the ClusterIP of service y/web"));
    QVERIFY(anyContains(xb.notes, "is not ready"));
    QVERIFY(anyContains(xb.notes, "forwards to targetPort 80 on 2 backend(s)"));
    QCOMPARE(describeDirection(xb.backends[1].ingress),
             QStringLiteral("y/b-from-xb -> y/b-from-xb#0.0.-1"));

    // x/a: y/a admits, y/b does not; the service counts as denied and says why.
    const PolicyVerdict xa = check("x/a", ProbePort{8080, {}});
    QVERIFY(!xa.allowed);
    QVERIFY(xa.backends[0].allowed);
    QVERIFY(!xa.backends[1].allowed);
    QCOMPARE(describeDirection(xa.ingress), QStringLiteral("y/b-from-xb -> deny"));
    QVERIFY2(anyContains(xa.notes, "the backends disagree: allowed to y/a, denied to y/b"),
             qPrintable(dump(xa)));

    // The probe by service port name.
    const PolicyVerdict byName = check("x/b", ProbePort{0, QStringLiteral("http")});
    QVERIFY(byName.allowed);
    QCOMPARE(byName.backends[0].targetPort, 80);
    // A numeric targetPort, and targetPort defaulting to port.
    QCOMPARE(check("x/b", ProbePort{9090, {}}).backends[0].targetPort, 81);
    QCOMPARE(check("x/b", ProbePort{80, {}}).backends[1].targetPort, 80);
    // UDP: its own port and named targetPort; y/b admits x/b on every port and protocol.
    const PolicyVerdict dns = check("x/b", ProbePort{53, {}}, Protocol::UDP);
    QVERIFY2(dns.allowed, qPrintable(dump(dns)));
    QCOMPARE(dns.backends[0].targetPort, 80);
    // No such service port.
    const PolicyVerdict noPort = check("x/b", ProbePort{7000, {}});
    QVERIFY(!noPort.allowed);
    QVERIFY(noPort.backends.isEmpty());
    QVERIFY(anyContains(noPort.notes, "service y/web has no port 7000/TCP"));
    QVERIFY(!check("x/b", ProbePort{8080, {}}, Protocol::SCTP).allowed);

    // A named targetPort means different numbers on different backends.
    ClusterSnapshot renumbered = snapshot;
    mutate(renumbered, QStringLiteral("port y/b serve-80-tcp 8000"));
    const PolicyEngine renumberedEngine(renumbered);
    const PolicyVerdict split = renumberedEngine.check(
        endpoint(renumbered, QStringLiteral("x/b")), clusterIp, ProbePort{8080, {}}, Protocol::TCP);
    QCOMPARE(split.backends[0].targetPort, 80);
    QCOMPARE(split.backends[1].targetPort, 8000);
    QVERIFY(anyContains(split.notes, "forwards to targetPort 80, 8000 on 2 backend(s)"));
}

void TestPolicyEngine::serviceWithoutSlices()
{
    ClusterSnapshot snapshot = e2eCluster();
    mutate(snapshot, QStringLiteral("port y/c serve-81-tcp 8181"));
    const Status loaded = addObjects(snapshot, s(R"(apiVersion: v1
kind: Service
metadata: {name: by-selector, namespace: y}
spec: {clusterIP: 10.96.0.11, selector: {pod: c}, ports: [{port: 80, targetPort: serve-81-tcp}]}
---
apiVersion: v1
kind: Service
metadata: {name: nobody, namespace: y}
spec: {clusterIP: 10.96.0.12, selector: {pod: nobody}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: wrong-target, namespace: y}
spec: {clusterIP: 10.96.0.13, selector: {pod: a}, ports: [{port: 80, targetPort: no-such-port}]}
)"));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const PolicyEndpoint xa = PolicyEndpoint::pod(podIndex(snapshot, QStringLiteral("x/a")));
    const auto check = [&](const char *clusterIp) {
        return engine.check(xa, PolicyEndpoint::ip(ip(s(clusterIp))), ProbePort{80, {}},
                            Protocol::TCP);
    };

    const PolicyVerdict bySelector = check("10.96.0.11");
    QVERIFY2(bySelector.allowed, qPrintable(dump(bySelector)));
    QCOMPARE(bySelector.resolvedBackends,
             QList<qsizetype>{podIndex(snapshot, QStringLiteral("y/c"))});
    QCOMPARE(bySelector.backends.first().targetPort, 8181);
    QVERIFY(anyContains(bySelector.notes, "holds no IPv4 EndpointSlice of service y/by-selector"));

    const PolicyVerdict nobody = check("10.96.0.12");
    QVERIFY(!nobody.allowed);
    QVERIFY(nobody.resolvedBackends.isEmpty());
    QVERIFY(anyContains(nobody.notes, "has no ready backend"));

    const PolicyVerdict wrongTarget = check("10.96.0.13");
    QVERIFY(!wrongTarget.allowed);
    QCOMPARE(wrongTarget.backends.size(), 1);
    QCOMPARE(wrongTarget.backends.first().targetPort, 0);
    QVERIFY(anyContains(wrongTarget.notes, "targetPort no-such-port of service y/wrong-target "
                                           "names no TCP container port of backend y/a"));
}

void TestPolicyEngine::externalAddresses()
{
    ClusterSnapshot snapshot = e2eCluster();
    const Status loaded = addObjects(
        snapshot,
        documents({policy("x", "a-from-documentation-net",
                          "{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{ipBlock: "
                          "{cidr: 203.0.113.0/24}}]}]}"),
                   policy("x", "b-no-egress",
                          "{podSelector: {matchLabels: {pod: b}}, policyTypes: [Egress]}"),
                   policy("x", "c-internet-only",
                          "{podSelector: {matchLabels: {pod: c}}, policyTypes: [Egress], egress: "
                          "[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]}")}));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const auto check = [&](const char *from, const char *to) {
        return engine.check(endpoint(snapshot, s(from)), endpoint(snapshot, s(to)),
                            ProbePort{443, {}}, Protocol::TCP);
    };

    const PolicyVerdict in = check("203.0.113.7", "x/a");
    QVERIFY2(in.allowed, qPrintable(dump(in)));
    QVERIFY(!in.egress.evaluated);
    QCOMPARE(describeDirection(in.ingress),
             QStringLiteral("x/a-from-documentation-net -> x/a-from-documentation-net#0.0.-1"));
    QVERIFY(!in.cniDependent);
    QVERIFY(anyContains(in.notes, "outside the cluster"));
    QVERIFY(in.resolvedFrom == PolicyEndpoint::ip(ip(QStringLiteral("203.0.113.7"))));
    QVERIFY(!check("198.51.100.1", "x/a").allowed);

    QVERIFY(!check("x/b", "8.8.8.8").allowed);
    const PolicyVerdict internet = check("x/c", "8.8.8.8");
    QVERIFY(internet.allowed);
    QVERIFY(!internet.ingress.evaluated);
    // A pod IP as destination is the pod, and 10/8 is excepted.
    const PolicyVerdict toPodIp = check("x/c", "10.244.1.10");
    QVERIFY(!toPodIp.allowed);
    QCOMPARE(toPodIp.resolvedTo.podIndex, podIndex(snapshot, QStringLiteral("x/a")));
    QVERIFY(anyContains(toPodIp.notes, "10.244.1.10 is the IP of pod x/a"));

    const PolicyVerdict neither = check("8.8.8.8", "1.1.1.1");
    QVERIFY(neither.allowed);
    QVERIFY(!neither.egress.evaluated && !neither.ingress.evaluated);
    QVERIFY(anyContains(neither.notes, "neither side is a pod"));

    // Inside a pod CIDR but no pod has it: an address, and said so.
    const PolicyVerdict stale = check("10.244.3.99", "x/a");
    QVERIFY(!stale.allowed);
    QVERIFY(anyContains(stale.notes, "inside node node-3's pod CIDR 10.244.3.0/24"));
}

void TestPolicyEngine::flannelDoesNotEnforce()
{
    ClusterSnapshot snapshot = e2eCluster();
    mutate(snapshot, QStringLiteral("flannel"));
    const Status loaded =
        addObjects(snapshot, policy("x", "deny-ingress",
                                    "{podSelector: {}, policyTypes: [Ingress], ingress: []}"));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const PolicyVerdict v =
        engine.check(endpoint(snapshot, QStringLiteral("y/a")),
                     endpoint(snapshot, QStringLiteral("x/a")), ProbePort{80, {}}, Protocol::TCP);
    QVERIFY(!v.allowed); // as the API defines it
    QVERIFY(!v.enforced);
    QVERIFY2(anyContains(v.notes, "does not enforce NetworkPolicy"), qPrintable(dump(v)));
    QCOMPARE(describeDirection(v.ingress), QStringLiteral("x/deny-ingress -> deny"));
}

void TestPolicyEngine::unknownCni()
{
    ClusterSnapshot snapshot = e2eCluster();
    snapshot.daemonSets.clear();
    const PolicyEngine engine(snapshot);
    const PolicyVerdict v =
        engine.check(endpoint(snapshot, QStringLiteral("y/a")),
                     endpoint(snapshot, QStringLiteral("x/a")), ProbePort{80, {}}, Protocol::TCP);
    QVERIFY(v.allowed);
    QVERIFY(v.enforced); // not known to be unenforced; the note says it is unknown
    QVERIFY(anyContains(v.notes, "was not recognised"));
}

void TestPolicyEngine::badProbes()
{
    const ClusterSnapshot snapshot = e2eCluster();
    const PolicyEngine engine(snapshot);
    const PolicyEndpoint xa = PolicyEndpoint::pod(0);
    const PolicyEndpoint ya = PolicyEndpoint::pod(3);

    for (int port : {0, -1, 65536}) {
        const PolicyVerdict v = engine.check(xa, ya, ProbePort{port, {}}, Protocol::TCP);
        QVERIFY(!v.allowed);
        QVERIFY(anyContains(v.notes, "outside 1-65535"));
    }
    QVERIFY(engine.check(xa, ya, ProbePort{65535, {}}, Protocol::TCP).allowed);
    const PolicyVerdict badIndex = engine.check(xa, PolicyEndpoint::pod(snapshot.pods.size()),
                                                ProbePort{80, {}}, Protocol::TCP);
    QVERIFY(!badIndex.allowed);
    QVERIFY(anyContains(badIndex.notes, "is not a pod of the snapshot"));
    const PolicyVerdict nothing =
        engine.check(PolicyEndpoint{}, ya, ProbePort{80, {}}, Protocol::TCP);
    QVERIFY(!nothing.allowed);
    QVERIFY(anyContains(nothing.notes, "neither a pod nor an address"));
    const PolicyVerdict notItsIp = engine.check(PolicyEndpoint{0, ip(QStringLiteral("192.0.2.1"))},
                                                ya, ProbePort{80, {}}, Protocol::TCP);
    QVERIFY(anyContains(notItsIp.notes, "192.0.2.1 is not an IP of pod x/a"));
}

void TestPolicyEngine::checkIsThreadSafe()
{
    ClusterSnapshot snapshot = e2eCluster();
    const Status loaded = addObjects(
        snapshot,
        documents({policy("x", "deny-all", "{podSelector: {}, policyTypes: [Ingress, Egress]}"),
                   policy("y", "from-x",
                          "{podSelector: {}, ingress: [{from: "
                          "[{namespaceSelector: {matchLabels: {ns: x}}}]}]}")}));
    QVERIFY2(loaded.ok(), qPrintable(errorText(loaded)));
    const PolicyEngine engine(snapshot);
    const auto matrix = [&] {
        QList<bool> cells;
        for (int round = 0; round < 50; ++round) {
            cells.clear();
            for (qsizetype f = 0; f < snapshot.pods.size(); ++f) {
                for (qsizetype t = 0; t < snapshot.pods.size(); ++t) {
                    cells.append(engine
                                     .check(PolicyEndpoint::pod(f), PolicyEndpoint::pod(t),
                                            ProbePort{80, {}}, Protocol::TCP)
                                     .allowed);
                }
            }
        }
        return cells;
    };
    const QList<bool> reference = matrix();
    QList<QList<bool>> results(4);
    QList<QThread *> threads;
    for (qsizetype i = 0; i < results.size(); ++i)
        threads.append(QThread::create([&, i] { results[i] = matrix(); }));
    for (QThread *thread : threads)
        thread->start();
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    for (const QList<bool> &result : std::as_const(results))
        QCOMPARE(result, reference);
}

QTEST_GUILESS_MAIN(TestPolicyEngine)
#include "tst_policyengine.moc"
