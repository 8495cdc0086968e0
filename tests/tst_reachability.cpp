// Reachability: cluster-wide verdicts computed on equivalence classes of pods, addresses and
// ports, compared with PolicyEngine::check() — the exact per-probe evaluator — used here as the
// brute-force pod × pod oracle.
//
// The randomized tests build hundreds of small clusters from fixed seeds (each failure prints its
// seed; REACHABILITY_SEED=<n> replays one): namespaces with labels and one namespace that has no
// Namespace object, pods with labels, named ports (one name, different numbers on different
// pods), IPv4/IPv6/dual-stack/no addresses and host networking; policies with every selector
// operator, ipBlocks with except on the address pools' boundaries, numbered, named, ranged and
// protocol-only ports over TCP/UDP/SCTP, both directions, and missing or empty policyTypes.

#include "ClusterSnapshot.h"
#include "PolicyEngine.h"
#include "RandomCluster.h"
#include "Reachability.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>
#include <deque>

using namespace cartograph;
using namespace cartograph::testing;

namespace {

QString protocolText(Protocol protocol)
{
    return protocolName(protocol);
}

QString probeText(const ProbePort &port, Protocol protocol)
{
    return (port.name.isEmpty() ? QString::number(port.number) : port.name) + u'/' +
           protocolText(protocol);
}

QString describeVerdict(const PolicyVerdict &verdict)
{
    const auto direction = [](const DirectionVerdict &side) {
        if (!side.evaluated)
            return QStringLiteral("not evaluated");
        QString text = side.isolated ? QStringLiteral("isolated by ") +
                                           side.selectingPolicies.join(QStringLiteral(","))
                                     : QStringLiteral("not isolated");
        if (side.admittedBy) {
            text += QStringLiteral(", admitted by %1 rule %2 peer %3 port %4")
                        .arg(side.admittedBy->policy)
                        .arg(side.admittedBy->ruleIndex)
                        .arg(side.admittedBy->peerIndex)
                        .arg(side.admittedBy->portIndex);
        }
        return text;
    };
    return QStringLiteral("oracle: %1; egress: %2; ingress: %3; notes: %4")
        .arg(verdict.allowed ? QStringLiteral("allow") : QStringLiteral("deny"),
             direction(verdict.egress), direction(verdict.ingress),
             verdict.notes.join(QStringLiteral(" | ")));
}

QString policyText(const NetworkPolicy &policy)
{
    const auto selector = [](const std::optional<LabelSelector> &s) {
        return s ? u'{' + s->toString() + u'}' : QStringLiteral("null");
    };
    QString text =
        policy.qualifiedName() + QStringLiteral(" select {") + policy.podSelector.toString() + u'}';
    if (policy.policyTypes) {
        QStringList types;
        for (const PolicyType type : *policy.policyTypes)
            types.append(type == PolicyType::Ingress ? QStringLiteral("Ingress")
                                                     : QStringLiteral("Egress"));
        text += QStringLiteral(" types [") + types.join(u',') + u']';
    }
    for (const bool ingress : {true, false}) {
        const QList<NetworkPolicyRule> &rules = ingress ? policy.ingress : policy.egress;
        for (const NetworkPolicyRule &rule : rules) {
            text += ingress ? QStringLiteral("\n    ingress from ")
                            : QStringLiteral("\n    egress to ");
            QStringList peers;
            for (const NetworkPolicyPeer &peer : rule.peers) {
                if (peer.ipBlock) {
                    QString block = peer.ipBlock->cidr.toString();
                    for (const Cidr &except : peer.ipBlock->except)
                        block += QStringLiteral(" !") + except.toString();
                    peers.append(QStringLiteral("ip(") + block + u')');
                } else {
                    peers.append(QStringLiteral("ns=") + selector(peer.namespaceSelector) +
                                 QStringLiteral(" pod=") + selector(peer.podSelector));
                }
            }
            text += rule.peers.isEmpty() ? QStringLiteral("*") : peers.join(QStringLiteral("; "));
            QStringList ports;
            for (const NetworkPolicyPort &port : rule.ports) {
                QString p = port.protocol ? protocolText(*port.protocol) : QStringLiteral("-");
                if (port.portNumber)
                    p += u':' + QString::number(*port.portNumber);
                if (port.portName)
                    p += u':' + *port.portName;
                if (port.endPort)
                    p += u'-' + QString::number(*port.endPort);
                ports.append(p);
            }
            text += QStringLiteral(" ports ") +
                    (rule.ports.isEmpty() ? QStringLiteral("*") : ports.join(u','));
        }
    }
    return text;
}

QString clusterText(const ClusterSnapshot &snapshot)
{
    QString text;
    for (const Namespace &ns : snapshot.namespaces)
        text += QStringLiteral("  namespace %1 {%2}\n").arg(ns.name, ns.labels.toString());
    for (const Pod &pod : snapshot.pods) {
        QStringList ips;
        for (const IpAddress &address : pod.podIps)
            ips.append(address.toString());
        QStringList ports;
        for (const Container &container : pod.containers) {
            for (const ContainerPort &port : container.ports) {
                ports.append(port.name + u'=' + QString::number(port.containerPort) + u'/' +
                             protocolText(port.protocol));
            }
        }
        text +=
            QStringLiteral("  pod %1 {%2} ips [%3] ports [%4]%5\n")
                .arg(pod.qualifiedName(), pod.labels.toString(), ips.join(u','), ports.join(u','),
                     pod.hostNetwork ? QStringLiteral(" hostNetwork") : QString());
    }
    for (const NetworkPolicy &policy : snapshot.networkPolicies)
        text += QStringLiteral("  policy ") + policyText(policy) + u'\n';
    return text;
}

// The probe ports worth trying on a cluster: every port class's bounds and their neighbours,
// the ports out of range, and the port names (resolved against the destination pod).
QList<ProbePort> candidatePorts(const Reachability &reachability)
{
    QSet<int> numbers = {0, 1, 65535, 65536, -1};
    for (const PortClass &portClass : reachability.portClasses()) {
        for (const PortRange &range : portClass.ranges) {
            for (const int number : {range.first - 1, range.first, range.last, range.last + 1})
                numbers.insert(number);
        }
    }
    QList<int> sorted(numbers.begin(), numbers.end());
    std::sort(sorted.begin(), sorted.end());
    QList<ProbePort> result;
    for (const int number : std::as_const(sorted))
        result.append(ProbePort{number, {}});
    for (const QString &name : kPortNames)
        result.append(ProbePort{0, name});
    result.append(ProbePort{0, QStringLiteral("nosuch")});
    return result;
}

// Each test draws its own range of seeds; REACHABILITY_SEED=<n> runs seed n alone, everywhere.
quint32 firstSeed(quint32 rangeStart)
{
    bool ok = false;
    const quint32 seed = qEnvironmentVariableIntValue("REACHABILITY_SEED", &ok);
    return ok ? seed : rangeStart;
}

bool replaying()
{
    return qEnvironmentVariableIsSet("REACHABILITY_SEED");
}

int seedCount(int normal)
{
    return replaying() ? 1 : normal;
}

struct OracleTally
{
    qint64 clusters = 0;
    qint64 probes = 0;
    qint64 allowed = 0;
    qint64 pods = 0;
    qint64 podClasses = 0;
    qint64 multiWordClusters = 0; // more than 64 pod classes: rows of several words
};

// Every ordered pod pair (each with `probesPerPair` random probes), and every pod to and from
// addresses outside the pod network: the class answer must equal PolicyEngine::check()'s.
void compareWithOracle(quint32 seed, ClusterGenerator &generator, const ClusterSnapshot &snapshot,
                       const Reachability &reachability, int probesPerPair, OracleTally &tally)
{
    const PolicyEngine oracle(snapshot);
    const QList<ProbePort> ports = candidatePorts(reachability);
    QRandomGenerator random(seed * 7919u);
    ++tally.clusters;
    tally.podClasses += reachability.podClassCount();
    tally.multiWordClusters += reachability.podClassCount() > 64;
    tally.pods += snapshot.pods.size();

    const auto check = [&](bool answer, const PolicyVerdict &verdict, const QString &from,
                           const QString &to, const ProbePort &port, Protocol protocol) {
        ++tally.probes;
        tally.allowed += verdict.allowed;
        if (answer == verdict.allowed)
            return true;
        qWarning("seed %u (replay: REACHABILITY_SEED=%u): %s -> %s on %s: classes say %s\n%s\n"
                 "cluster:\n%s",
                 seed, seed, qPrintable(from), qPrintable(to),
                 qPrintable(probeText(port, protocol)), answer ? "allow" : "deny",
                 qPrintable(describeVerdict(verdict)), qPrintable(clusterText(snapshot)));
        return false;
    };
    const auto randomProbe = [&]() {
        return std::pair{ports[random.bounded(int(ports.size()))],
                         kAllProtocols[random.bounded(3)]};
    };
    for (qsizetype from = 0; from < snapshot.pods.size(); ++from) {
        for (qsizetype to = 0; to < snapshot.pods.size(); ++to) {
            for (int i = 0; i < probesPerPair; ++i) {
                const auto [port, protocol] = randomProbe();
                const PolicyVerdict verdict = oracle.check(PolicyEndpoint::pod(from),
                                                           PolicyEndpoint::pod(to), port, protocol);
                QVERIFY(check(reachability.allowed(from, to, port, protocol), verdict,
                              snapshot.pods[from].qualifiedName(),
                              snapshot.pods[to].qualifiedName(), port, protocol));
            }
        }
    }
    const QList<IpAddress> addresses = generator.externalAddresses(snapshot, 8);
    for (qsizetype pod = 0; pod < snapshot.pods.size(); ++pod) {
        for (const IpAddress &address : addresses) {
            const auto [port, protocol] = randomProbe();
            const PolicyVerdict out =
                oracle.check(PolicyEndpoint::pod(pod), PolicyEndpoint::ip(address), port, protocol);
            // A port name cannot resolve against an address.
            const bool outAnswer = port.name.isEmpty() && reachability.allowedToAddress(
                                                              pod, address, port.number, protocol);
            QVERIFY(check(outAnswer, out, snapshot.pods[pod].qualifiedName(), address.toString(),
                          port, protocol));
            const PolicyVerdict in =
                oracle.check(PolicyEndpoint::ip(address), PolicyEndpoint::pod(pod), port, protocol);
            QVERIFY(check(reachability.allowedFromAddress(address, pod, port, protocol), in,
                          address.toString(), snapshot.pods[pod].qualifiedName(), port, protocol));
        }
    }
}

void compareWithOracle(quint32 seed, ClusterSize size, int probesPerPair, OracleTally &tally)
{
    ClusterGenerator generator(seed, size);
    const ClusterSnapshot snapshot = generator.generate();
    compareWithOracle(seed, generator, snapshot, Reachability(snapshot), probesPerPair, tally);
}

// A chain of random single-policy edits, each Reachability derived from the previous one
// (withEditedPolicies()), checked against the oracle on the edited snapshot after every edit.
void compareEditChainWithOracle(quint32 seed, ClusterSize size, int edits, OracleTally &tally)
{
    ClusterGenerator generator(seed, size);
    std::deque<ClusterSnapshot> snapshots; // stable addresses: each Reachability refers to one
    snapshots.push_back(generator.generate());
    Reachability reachability(snapshots.back());
    for (int edit = 0; edit < edits; ++edit) {
        QString description;
        snapshots.push_back(randomEdit(generator, snapshots.back(), &description));
        reachability = reachability.withEditedPolicies(snapshots.back());
        compareWithOracle(seed, generator, snapshots.back(), reachability, 2, tally);
        if (QTest::currentTestFailed()) {
            qWarning("seed %u: after edit %d (%s)", seed, edit, qPrintable(description));
            return;
        }
    }
}

// The policies of a random cluster added one at a time to none, each Reachability derived from
// the previous one: early additions mention labels, named ports and ipBlocks no policy mentioned
// before, so pods are regrouped (the path withEditedPolicies() takes for such edits).
void compareBuildUpWithOracle(quint32 seed, ClusterSize size, OracleTally &tally)
{
    ClusterGenerator generator(seed, size);
    const ClusterSnapshot full = generator.generate();
    std::deque<ClusterSnapshot> snapshots;
    snapshots.push_back(full);
    snapshots.back().networkPolicies.clear();
    Reachability reachability(snapshots.back());
    for (const NetworkPolicy &policy : full.networkPolicies) {
        ClusterSnapshot next = snapshots.back();
        next.networkPolicies.append(policy);
        snapshots.push_back(std::move(next));
        reachability = reachability.withEditedPolicies(snapshots.back());
        compareWithOracle(seed, generator, snapshots.back(), reachability, 2, tally);
        if (QTest::currentTestFailed()) {
            qWarning("seed %u: after adding %s", seed, qPrintable(policy.qualifiedName()));
            return;
        }
    }
}

// The namespace summaries count pod pairs exactly as the oracle does on each port class's
// representative port; the workload drill-down adds up to its namespace pair.
void compareSummariesWithOracle(quint32 seed, ClusterSize size, int portClassStride)
{
    ClusterGenerator generator(seed, size);
    const ClusterSnapshot snapshot = generator.generate();
    const PolicyEngine oracle(snapshot);
    const Reachability reachability(snapshot);
    const QList<PortClassSummary> summaries = reachability.namespaceSummaries();
    QCOMPARE(summaries.size(), reachability.portClasses().size());
    for (qsizetype k = 0; k < summaries.size(); k += portClassStride) {
        const PortClass &portClass = reachability.portClasses()[k];
        QMap<std::pair<QString, QString>, std::pair<qint64, qint64>> expected;
        for (qsizetype from = 0; from < snapshot.pods.size(); ++from) {
            for (qsizetype to = 0; to < snapshot.pods.size(); ++to) {
                const bool allowed =
                    oracle
                        .check(PolicyEndpoint::pod(from), PolicyEndpoint::pod(to),
                               ProbePort{portClass.representative(), {}}, portClass.protocol)
                        .allowed;
                auto &counts =
                    expected[{snapshot.pods[from].namespaceName, snapshot.pods[to].namespaceName}];
                (allowed ? counts.first : counts.second) += 1;
            }
        }
        QCOMPARE(summaries[k].portClass.ranges, portClass.ranges);
        const QList<PairCount> &pairs = summaries[k].namespacePairs;
        QCOMPARE(pairs.size(), expected.size());
        for (const PairCount &pair : pairs) {
            const auto counts = expected.value({pair.from, pair.to});
            QVERIFY2(pair.allowed == counts.first && pair.denied == counts.second,
                     qPrintable(QStringLiteral("seed %1, %2, %3 -> %4: %5/%6 allowed/denied, "
                                               "oracle %7/%8")
                                    .arg(seed)
                                    .arg(portClass.toString(), pair.from, pair.to)
                                    .arg(pair.allowed)
                                    .arg(pair.denied)
                                    .arg(counts.first)
                                    .arg(counts.second)));
            qint64 allowed = 0;
            qint64 denied = 0;
            for (const PairCount &workloads : reachability.workloadSummary(k, pair.from, pair.to)) {
                allowed += workloads.allowed;
                denied += workloads.denied;
            }
            QCOMPARE(allowed, pair.allowed);
            QCOMPARE(denied, pair.denied);
        }
    }
}

} // namespace

class TestReachability : public QObject
{
    Q_OBJECT

private slots:
    void randomClustersAgreeWithOracle();
    void largeRandomClustersAgreeWithOracle();
    void namespaceSummariesAgreeWithOracle();
    void derivedAfterEditsAgreesWithOracle();
    void portClassesCoverEveryPort();
    void classesPartitionPods();
    void indistinguishablePodsShareOneClassPerNamespace();
    void selectorsSplitClasses();
    void namedPortsMeanDifferentNumbers();
    void addressClassesFollowIpBlocks();
    void workloadSummary();
    void emptySnapshot();
};

void TestReachability::randomClustersAgreeWithOracle()
{
    OracleTally tally;
    QElapsedTimer timer;
    timer.start();
    const quint32 first = firstSeed(1);
    for (quint32 seed = first; seed < first + quint32(seedCount(400)); ++seed) {
        compareWithOracle(seed, kSmall, 8, tally);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%lld probes on %lld clusters (%lld allowed), %lld pods in %lld pod classes, %lld ms",
          tally.probes, tally.clusters, tally.allowed, tally.pods, tally.podClasses,
          timer.elapsed());
    if (replaying())
        return;
    // Both verdicts must be well represented, or the comparison proves little.
    QVERIFY(tally.allowed > tally.probes / 10);
    QVERIFY(tally.allowed < tally.probes - tally.probes / 10);
}

// Hundreds of pods and classes: rows several words wide.
void TestReachability::largeRandomClustersAgreeWithOracle()
{
    OracleTally tally;
    QElapsedTimer timer;
    timer.start();
    const quint32 first = firstSeed(40000);
    for (quint32 seed = first; seed < first + quint32(seedCount(12)); ++seed) {
        compareWithOracle(seed, kLarge, 2, tally);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%lld probes on %lld clusters (%lld allowed), %lld pods in %lld pod classes (%lld "
          "clusters with more than 64), %lld ms",
          tally.probes, tally.clusters, tally.allowed, tally.pods, tally.podClasses,
          tally.multiWordClusters, timer.elapsed());
    if (replaying())
        return;
    QVERIFY(tally.multiWordClusters * 2 >= tally.clusters);
    QVERIFY(tally.allowed > tally.probes / 10);
    QVERIFY(tally.allowed < tally.probes - tally.probes / 10);
}

void TestReachability::namespaceSummariesAgreeWithOracle()
{
    const quint32 first = firstSeed(10000);
    for (quint32 seed = first; seed < first + quint32(seedCount(40)); ++seed) {
        compareSummariesWithOracle(seed, kSmall, 1);
        if (QTest::currentTestFailed())
            return;
    }
    for (quint32 seed = first; seed < first + quint32(seedCount(2)); ++seed) {
        compareSummariesWithOracle(seed, kLarge, 7); // a sample of the port classes
        if (QTest::currentTestFailed())
            return;
    }
}

// Reachability::withEditedPolicies() is exact: after every edit of a chain, the derived
// reachability answers every probe as the oracle does on the edited snapshot.
void TestReachability::derivedAfterEditsAgreesWithOracle()
{
    OracleTally tally;
    const quint32 first = firstSeed(5001);
    for (quint32 seed = first; seed < first + quint32(seedCount(150)); ++seed) {
        compareEditChainWithOracle(seed, kSmall, 4, tally);
        if (QTest::currentTestFailed())
            return;
    }
    for (quint32 seed = first; seed < first + quint32(seedCount(4)); ++seed) {
        compareEditChainWithOracle(seed, kLarge, 2, tally);
        if (QTest::currentTestFailed())
            return;
    }
    for (quint32 seed = first; seed < first + quint32(seedCount(100)); ++seed) {
        compareBuildUpWithOracle(seed, kSmall, tally);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%lld probes after %lld edits (%lld allowed)", tally.probes, tally.clusters,
          tally.allowed);
    if (replaying())
        return;
    QVERIFY(tally.allowed > tally.probes / 10);
    QVERIFY(tally.allowed < tally.probes - tally.probes / 10);
}

void TestReachability::portClassesCoverEveryPort()
{
    const quint32 first = firstSeed(20000);
    for (quint32 seed = first; seed < first + quint32(seedCount(30)); ++seed) {
        ClusterGenerator generator(seed);
        const ClusterSnapshot snapshot = generator.generate();
        const Reachability reachability(snapshot);
        const QList<PortClass> &classes = reachability.portClasses();
        for (const Protocol protocol : kAllProtocols) {
            QList<int> owner(65536, -1);
            for (qsizetype k = 0; k < classes.size(); ++k) {
                if (classes[k].protocol != protocol)
                    continue;
                QVERIFY(!classes[k].ranges.isEmpty());
                for (const PortRange &range : classes[k].ranges) {
                    QVERIFY(range.first >= 1 && range.first <= range.last && range.last <= 65535);
                    for (int port = range.first; port <= range.last; ++port) {
                        if (owner[port] != -1)
                            QFAIL(qPrintable(QStringLiteral("seed %1: classes overlap").arg(seed)));
                        owner[port] = int(k);
                    }
                }
            }
            for (int port = 1; port <= 65535; ++port) {
                if (owner[port] < 0 || reachability.portClassOf(port, protocol) != owner[port]) {
                    QFAIL(qPrintable(QStringLiteral("seed %1: %2/%3 in class %4, looked up as %5")
                                         .arg(seed)
                                         .arg(port)
                                         .arg(protocolText(protocol))
                                         .arg(owner[port])
                                         .arg(reachability.portClassOf(port, protocol))));
                }
            }
            QCOMPARE(reachability.portClassOf(0, protocol), qsizetype(-1));
            QCOMPARE(reachability.portClassOf(65536, protocol), qsizetype(-1));
        }
    }
}

void TestReachability::classesPartitionPods()
{
    const quint32 first = firstSeed(30000);
    for (quint32 seed = first; seed < first + quint32(seedCount(50)); ++seed) {
        ClusterGenerator generator(seed);
        const ClusterSnapshot snapshot = generator.generate();
        const Reachability reachability(snapshot);
        QList<int> seen(snapshot.pods.size(), 0);
        QStringList namespaceOrder; // each namespace's classes are contiguous
        for (qsizetype c = 0; c < reachability.podClassCount(); ++c) {
            const EndpointClass &cls = reachability.endpointClass(c);
            QVERIFY(cls.isPods());
            QVERIFY(!cls.pods.isEmpty());
            QVERIFY(std::is_sorted(cls.pods.begin(), cls.pods.end()));
            QCOMPARE(reachability.members(c), cls.pods);
            if (namespaceOrder.isEmpty() || namespaceOrder.last() != cls.namespaceName) {
                QVERIFY(!namespaceOrder.contains(cls.namespaceName));
                namespaceOrder.append(cls.namespaceName);
            }
            for (const qsizetype pod : cls.pods) {
                ++seen[pod];
                QCOMPARE(reachability.classOfPod(pod), c);
                QCOMPARE(snapshot.pods[pod].namespaceName, cls.namespaceName);
                QCOMPARE(snapshot.pods[pod].hostNetwork, cls.hostNetwork);
            }
        }
        QVERIFY(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
        for (qsizetype c = reachability.podClassCount(); c < reachability.classCount(); ++c) {
            const EndpointClass &cls = reachability.endpointClass(c);
            QVERIFY(!cls.isPods());
            QVERIFY(!cls.addresses.isEmpty());
            for (const AddressRange &range : cls.addresses) {
                QCOMPARE(reachability.classOfAddress(range.first), c);
                QCOMPARE(reachability.classOfAddress(range.last), c);
            }
        }
        QCOMPARE(reachability.classOfPod(-1), qsizetype(-1));
        QCOMPARE(reachability.classOfPod(snapshot.pods.size()), qsizetype(-1));
    }
}

// 1,000 pods with all-different labels (names, template hashes) and addresses, but no policy
// reads what differs: one class per namespace, whatever policies select them.
void TestReachability::indistinguishablePodsShareOneClassPerNamespace()
{
    ClusterSnapshot snapshot;
    const QStringList namespaces = {QStringLiteral("shop"), QStringLiteral("billing"),
                                    QStringLiteral("search"), QStringLiteral("ops")};
    for (const QString &name : namespaces) {
        Namespace ns;
        ns.name = name;
        ns.labels.insert(QStringLiteral("team"),
                         name == u"ops" ? QStringLiteral("infra") : QStringLiteral("product"));
        snapshot.namespaces.append(ns);
    }
    for (int i = 0; i < 1000; ++i) {
        Pod pod;
        pod.namespaceName = namespaces[i % 4];
        pod.name = QStringLiteral("web-%1").arg(i);
        pod.labels.insert(QStringLiteral("app"), QStringLiteral("web"));
        pod.labels.insert(QStringLiteral("pod-template-hash"), QStringLiteral("h%1").arg(i % 7));
        pod.labels.insert(QStringLiteral("statefulset.kubernetes.io/pod-name"), pod.name);
        pod.podIps = {IpAddress::fromV4(0x0A010000u + quint32(i))}; // 10.1.x.y
        Container container;
        container.ports.append(ContainerPort{QStringLiteral("http"), 8080, 0, Protocol::TCP});
        pod.containers.append(container);
        snapshot.pods.append(pod);
    }
    NetworkPolicy policy;
    policy.namespaceName = QStringLiteral("shop");
    policy.name = QStringLiteral("from-product");
    policy.policyTypes = QList<PolicyType>{PolicyType::Ingress, PolicyType::Egress};
    NetworkPolicyRule ingress;
    NetworkPolicyPeer peer;
    peer.namespaceSelector = LabelSelector{};
    peer.namespaceSelector->matchLabels.insert(QStringLiteral("team"), QStringLiteral("product"));
    peer.podSelector = LabelSelector{};
    peer.podSelector->matchLabels.insert(QStringLiteral("app"), QStringLiteral("web"));
    ingress.peers.append(peer);
    ingress.ports.append(NetworkPolicyPort{std::nullopt, std::nullopt, QStringLiteral("http"), {}});
    policy.ingress.append(ingress);
    NetworkPolicyRule egress;
    NetworkPolicyPeer outside;
    outside.ipBlock =
        IpBlock{cidr(QStringLiteral("0.0.0.0/0")), {cidr(QStringLiteral("10.0.0.0/8"))}};
    egress.peers.append(outside);
    policy.egress.append(egress);
    snapshot.networkPolicies.append(policy);

    const Reachability reachability(snapshot);
    QCOMPARE(reachability.podClassCount(), qsizetype(4));
    for (qsizetype c = 0; c < 4; ++c)
        QCOMPARE(reachability.members(c).size(), qsizetype(250));
    // 0.0.0.0/0 except 10/8 makes two IPv4 address classes; IPv6 is one.
    QCOMPARE(reachability.classCount(), qsizetype(4 + 2 + 1));

    // And the verdicts follow: shop admits the product namespaces on http only, and its pods
    // reach nothing inside 10/8.
    const qsizetype shop = 0; // pod indices: pod i lives in namespaces[i % 4]
    const qsizetype billing = 1;
    const qsizetype ops = 3;
    QVERIFY(reachability.allowed(billing, shop, ProbePort{8080, {}}, Protocol::TCP));
    QVERIFY(
        reachability.allowed(billing, shop, ProbePort{0, QStringLiteral("http")}, Protocol::TCP));
    QVERIFY(!reachability.allowed(billing, shop, ProbePort{80, {}}, Protocol::TCP));
    QVERIFY(!reachability.allowed(ops, shop, ProbePort{8080, {}}, Protocol::TCP));
    QVERIFY(!reachability.allowed(shop, billing, ProbePort{8080, {}}, Protocol::TCP));
    QVERIFY(reachability.allowed(billing, ops, ProbePort{8080, {}}, Protocol::TCP));
    QVERIFY(reachability.allowedToAddress(shop, ip(QStringLiteral("8.8.8.8")), 53, Protocol::UDP));
    QVERIFY(
        !reachability.allowedToAddress(shop, ip(QStringLiteral("10.9.9.9")), 53, Protocol::UDP));
    const Reachability::Statistics statistics = reachability.statistics();
    QCOMPARE(statistics.pods, qsizetype(1000));
    QCOMPARE(statistics.egressProfiles, qsizetype(1));
    QCOMPARE(statistics.ingressProfiles, qsizetype(1));
}

void TestReachability::selectorsSplitClasses()
{
    // Labels that a selector reads split a namespace; values it does not name do not.
    ClusterSnapshot snapshot;
    for (int i = 0; i < 40; ++i) {
        Pod pod;
        pod.namespaceName = i < 20 ? QStringLiteral("a") : QStringLiteral("b");
        pod.name = QStringLiteral("p%1").arg(i);
        // tier: web, api, db, cache, queue; only web and api are named by a selector.
        pod.labels.insert(QStringLiteral("tier"),
                          QStringList{QStringLiteral("web"), QStringLiteral("api"),
                                      QStringLiteral("db"), QStringLiteral("cache"),
                                      QStringLiteral("queue")}[i % 5]);
        pod.podIps = {IpAddress::fromV4(0x0A000000u + quint32(i))};
        snapshot.pods.append(pod);
    }
    NetworkPolicy policy;
    policy.namespaceName = QStringLiteral("a");
    policy.name = QStringLiteral("web-and-api");
    LabelSelectorRequirement tier{QStringLiteral("tier"),
                                  LabelSelectorRequirement::Operator::In,
                                  {QStringLiteral("web"), QStringLiteral("api")}};
    policy.podSelector.matchExpressions.append(tier);
    NetworkPolicyRule rule;
    NetworkPolicyPeer peer;
    peer.podSelector = LabelSelector{};
    peer.podSelector->matchLabels.insert(QStringLiteral("tier"), QStringLiteral("web"));
    rule.peers.append(peer);
    policy.ingress.append(rule);
    snapshot.networkPolicies.append(policy);

    const Reachability reachability(snapshot);
    // Namespace a: {web}, {api}, {db, cache, queue}. Namespace b: one class (the peer's
    // podSelector alone looks at the policy's namespace only).
    QCOMPARE(reachability.podClassCount(), qsizetype(4));
    QCOMPARE(reachability.members(reachability.classOfPod(2)).size(), qsizetype(12));
    QCOMPARE(reachability.classOfPod(2), reachability.classOfPod(3));
    QCOMPARE(reachability.classOfPod(2), reachability.classOfPod(4));
    QVERIFY(reachability.classOfPod(0) != reachability.classOfPod(1));
    QCOMPARE(reachability.endpointClass(reachability.classOfPod(25)).pods.size(), qsizetype(20));
    QCOMPARE(reachability.classesSelectedBy(0, PolicyType::Ingress),
             (QList<qsizetype>{reachability.classOfPod(0), reachability.classOfPod(1)}));
    QVERIFY(reachability.classesSelectedBy(0, PolicyType::Egress).isEmpty());
}

void TestReachability::namedPortsMeanDifferentNumbers()
{
    // "http" is 8080 on a0, 9090 on a1, absent on a2; one policy admits ingress on "http".
    ClusterSnapshot snapshot;
    const QList<int> httpPorts = {8080, 9090, 0};
    for (int i = 0; i < 3; ++i) {
        Pod pod;
        pod.namespaceName = QStringLiteral("a");
        pod.name = QStringLiteral("a%1").arg(i);
        pod.podIps = {IpAddress::fromV4(0x0A000001u + quint32(i))};
        Container container;
        if (httpPorts[i] != 0)
            container.ports.append(
                ContainerPort{QStringLiteral("http"), httpPorts[i], 0, Protocol::TCP});
        pod.containers.append(container);
        snapshot.pods.append(pod);
    }
    Pod client;
    client.namespaceName = QStringLiteral("b");
    client.name = QStringLiteral("client");
    client.podIps = {ip(QStringLiteral("10.0.1.1"))};
    snapshot.pods.append(client);
    NetworkPolicy policy;
    policy.namespaceName = QStringLiteral("a");
    policy.name = QStringLiteral("http-only");
    NetworkPolicyRule rule;
    rule.ports.append(NetworkPolicyPort{Protocol::TCP, std::nullopt, QStringLiteral("http"), {}});
    policy.ingress.append(rule);
    snapshot.networkPolicies.append(policy);

    const Reachability reachability(snapshot);
    const PolicyEngine oracle(snapshot);
    QCOMPARE(reachability.podClassCount(), qsizetype(4)); // three http numbers, and the client
    // 8080 and 9090 are port classes of their own.
    QVERIFY(
        reachability.portClasses()[reachability.portClassOf(8080, Protocol::TCP)].namedPortNumber);
    QCOMPARE(reachability.portClasses()[reachability.portClassOf(9090, Protocol::TCP)].ranges,
             (QList<PortRange>{{9090, 9090}}));
    QCOMPARE(reachability.portClassOf(80, Protocol::TCP),
             reachability.portClassOf(9091, Protocol::TCP));
    const qsizetype clientPod = 3;
    for (const int port : {80, 8080, 9090}) {
        for (qsizetype pod = 0; pod < 3; ++pod) {
            const bool expected = port == httpPorts[pod];
            QCOMPARE(reachability.allowed(clientPod, pod, ProbePort{port, {}}, Protocol::TCP),
                     expected);
            QCOMPARE(oracle
                         .check(PolicyEndpoint::pod(clientPod), PolicyEndpoint::pod(pod),
                                ProbePort{port, {}}, Protocol::TCP)
                         .allowed,
                     expected);
        }
    }
    QVERIFY(
        reachability.allowed(clientPod, 1, ProbePort{0, QStringLiteral("http")}, Protocol::TCP));
    QVERIFY(
        !reachability.allowed(clientPod, 2, ProbePort{0, QStringLiteral("http")}, Protocol::TCP));
    QVERIFY(
        !reachability.allowed(clientPod, 1, ProbePort{0, QStringLiteral("http")}, Protocol::UDP));
    // Class level: the client class reaches a1's class on 9090 but not a0's.
    const qsizetype on9090 = reachability.portClassOf(9090, Protocol::TCP);
    const QList<qsizetype> reached =
        reachability.allowedDestinations(reachability.classOfPod(clientPod), on9090);
    QVERIFY(reached.contains(reachability.classOfPod(1)));
    QVERIFY(!reached.contains(reachability.classOfPod(0)));
    QVERIFY(reached.contains(reachability.classOfPod(clientPod)));
}

void TestReachability::addressClassesFollowIpBlocks()
{
    ClusterSnapshot snapshot;
    Pod pod;
    pod.namespaceName = QStringLiteral("a");
    pod.name = QStringLiteral("egress");
    pod.podIps = {ip(QStringLiteral("10.1.0.1"))};
    snapshot.pods.append(pod);
    NetworkPolicy policy;
    policy.namespaceName = QStringLiteral("a");
    policy.name = QStringLiteral("to-net");
    policy.policyTypes = QList<PolicyType>{PolicyType::Egress};
    NetworkPolicyRule rule;
    NetworkPolicyPeer peer;
    peer.ipBlock =
        IpBlock{cidr(QStringLiteral("192.168.0.0/24")), {cidr(QStringLiteral("192.168.0.128/25"))}};
    rule.peers.append(peer);
    NetworkPolicyPeer v6;
    v6.ipBlock = IpBlock{cidr(QStringLiteral("2001:db8::/32")), {}};
    rule.peers.append(v6);
    policy.egress.append(rule);
    snapshot.networkPolicies.append(policy);

    const Reachability reachability(snapshot);
    // IPv4: inside the block, and everything else (outside and excepted: no block holds them).
    // IPv6: inside 2001:db8::/32, and everything else.
    QCOMPARE(reachability.classCount() - reachability.podClassCount(), qsizetype(4));
    const auto classOf = [&](const char *text) {
        return reachability.classOfAddress(ip(QString::fromLatin1(text)));
    };
    QCOMPARE(classOf("192.168.0.0"), classOf("192.168.0.127"));
    QVERIFY(classOf("192.168.0.127") != classOf("192.168.0.128"));
    QCOMPARE(classOf("192.168.0.128"), classOf("192.168.0.255"));
    QCOMPARE(classOf("192.168.0.255"), classOf("192.168.1.0"));
    QCOMPARE(classOf("192.167.255.255"), classOf("0.0.0.0"));
    QCOMPARE(classOf("255.255.255.255"), classOf("0.0.0.0"));
    QCOMPARE(classOf("2001:db8::"), classOf("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
    QVERIFY(classOf("2001:db9::") != classOf("2001:db8::1"));
    QCOMPARE(reachability.classOfAddress(IpAddress()), qsizetype(-1));
    const EndpointClass &inside = reachability.endpointClass(classOf("192.168.0.5"));
    QCOMPARE(inside.addresses.size(), qsizetype(1));
    QCOMPARE(inside.addresses.first().first, ip(QStringLiteral("192.168.0.0")));
    QCOMPARE(inside.addresses.first().last, ip(QStringLiteral("192.168.0.127")));
    QCOMPARE(reachability.endpointClass(classOf("10.0.0.1")).addresses.size(), qsizetype(2));

    QVERIFY(
        reachability.allowedToAddress(0, ip(QStringLiteral("192.168.0.127")), 443, Protocol::TCP));
    QVERIFY(
        !reachability.allowedToAddress(0, ip(QStringLiteral("192.168.0.128")), 443, Protocol::TCP));
    QVERIFY(
        reachability.allowedToAddress(0, ip(QStringLiteral("2001:db8::1")), 443, Protocol::TCP));
    QVERIFY(
        !reachability.allowedToAddress(0, ip(QStringLiteral("2001:db9::1")), 443, Protocol::TCP));
    QVERIFY(reachability.allowedFromAddress(ip(QStringLiteral("8.8.8.8")), 0, ProbePort{443, {}},
                                            Protocol::TCP)); // ingress is not isolated
    QVERIFY(!reachability.allowedToAddress(0, IpAddress(), 443, Protocol::TCP));
}

void TestReachability::workloadSummary()
{
    ClusterSnapshot snapshot;
    const auto addPod = [&](const char *ns, const char *name, const char *app,
                            std::optional<OwnerReference> owner, const char *hash) {
        Pod pod;
        pod.namespaceName = QString::fromLatin1(ns);
        pod.name = QString::fromLatin1(name);
        pod.labels.insert(QStringLiteral("app"), QString::fromLatin1(app));
        if (hash)
            pod.labels.insert(QStringLiteral("pod-template-hash"), QString::fromLatin1(hash));
        pod.owner = owner;
        pod.podIps = {IpAddress::fromV4(0x0A000000u + quint32(snapshot.pods.size()))};
        snapshot.pods.append(pod);
    };
    const OwnerReference webRs{QStringLiteral("ReplicaSet"), QStringLiteral("web-5d8f9c"), true};
    const OwnerReference db{QStringLiteral("StatefulSet"), QStringLiteral("db"), true};
    addPod("shop", "web-5d8f9c-aaaaa", "web", webRs, "5d8f9c");
    addPod("shop", "web-5d8f9c-bbbbb", "web", webRs, "5d8f9c");
    addPod("shop", "db-0", "db", db, nullptr);
    addPod("shop", "db-1", "db", db, nullptr);
    addPod("shop", "debug", "web", std::nullopt, nullptr);
    QCOMPARE(Reachability::workloadOf(snapshot.pods[0]), QStringLiteral("Deployment/web"));
    QCOMPARE(Reachability::workloadOf(snapshot.pods[2]), QStringLiteral("StatefulSet/db"));
    QCOMPARE(Reachability::workloadOf(snapshot.pods[4]), QStringLiteral("Pod/debug"));

    // db admits ingress from app=web only.
    NetworkPolicy policy;
    policy.namespaceName = QStringLiteral("shop");
    policy.name = QStringLiteral("db");
    policy.podSelector.matchLabels.insert(QStringLiteral("app"), QStringLiteral("db"));
    NetworkPolicyRule rule;
    NetworkPolicyPeer peer;
    peer.podSelector = LabelSelector{};
    peer.podSelector->matchLabels.insert(QStringLiteral("app"), QStringLiteral("web"));
    rule.peers.append(peer);
    policy.ingress.append(rule);
    snapshot.networkPolicies.append(policy);

    const Reachability reachability(snapshot);
    QCOMPARE(reachability.podClassCount(), qsizetype(2)); // web (and debug), db
    const qsizetype tcp5432 = reachability.portClassOf(5432, Protocol::TCP);
    const QList<PairCount> namespaces = reachability.namespaceSummary(tcp5432);
    // 25 ordered pairs; denied: db -> db (4 pairs).
    QCOMPARE(namespaces,
             (QList<PairCount>{{QStringLiteral("shop"), QStringLiteral("shop"), 21, 4}}));
    const QList<PairCount> workloads =
        reachability.workloadSummary(tcp5432, QStringLiteral("shop"), QStringLiteral("shop"));
    const QList<PairCount> expected = {
        {QStringLiteral("Deployment/web"), QStringLiteral("Deployment/web"), 4, 0},
        {QStringLiteral("Deployment/web"), QStringLiteral("Pod/debug"), 2, 0},
        {QStringLiteral("Deployment/web"), QStringLiteral("StatefulSet/db"), 4, 0},
        {QStringLiteral("Pod/debug"), QStringLiteral("Deployment/web"), 2, 0},
        {QStringLiteral("Pod/debug"), QStringLiteral("Pod/debug"), 1, 0},
        {QStringLiteral("Pod/debug"), QStringLiteral("StatefulSet/db"), 2, 0},
        {QStringLiteral("StatefulSet/db"), QStringLiteral("Deployment/web"), 4, 0},
        {QStringLiteral("StatefulSet/db"), QStringLiteral("Pod/debug"), 2, 0},
        {QStringLiteral("StatefulSet/db"), QStringLiteral("StatefulSet/db"), 0, 4},
    };
    QCOMPARE(workloads, expected);
    QVERIFY(reachability.workloadSummary(tcp5432, QStringLiteral("shop"), QStringLiteral("none"))
                .isEmpty());
    QVERIFY(reachability.namespaceSummary(-1).isEmpty());
}

void TestReachability::emptySnapshot()
{
    const Reachability empty;
    QCOMPARE(empty.podClassCount(), qsizetype(0));
    QCOMPARE(empty.classCount(), qsizetype(2));         // every IPv4 address, every IPv6 address
    QCOMPARE(empty.portClasses().size(), qsizetype(3)); // any TCP, UDP, SCTP port
    QVERIFY(!empty.allowed(0, 0, ProbePort{80, {}}, Protocol::TCP));
    QVERIFY(empty.allowedBetweenClasses(0, 0, 0)); // IPv4 to IPv4: no policy applies
    QVERIFY(!empty.allowedBetweenClasses(0, 1, 0));
    QVERIFY(empty.namespaceSummary(0).isEmpty());
    QCOMPARE(empty.portClasses().first().toString(), QStringLiteral("TCP 1-65535"));
}

QTEST_GUILESS_MAIN(TestReachability)
#include "tst_reachability.moc"
