// What-if: the before → after difference of a policy edit (model/WhatIf.h), compared with the
// brute-force oracle — PolicyEngine::check() on every ordered pod pair, before and after — on
// seeded random clusters and random single-policy edits (add, replace, delete), and the flows
// that flip, read from `cartograph-cli flows` JSON.

#include "ClusterSnapshot.h"
#include "PolicyEngine.h"
#include "Reachability.h"
#include "WhatIf.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>
#include <map>
#include <set>

using namespace cartograph;

namespace {

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

// --- Random clusters (the generator of tst_reachability, with policy() public) ----------------

const QStringList kLabelKeys = {QStringLiteral("app"), QStringLiteral("tier"),
                                QStringLiteral("team"), QStringLiteral("env")};
const QStringList kLabelValues = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                  QStringLiteral("d"), QStringLiteral("e")};
const QStringList kPortNames = {QStringLiteral("http"), QStringLiteral("metrics"),
                                QStringLiteral("dns")};
const QList<int> kPortNumbers = {53, 80, 81, 8080, 8081, 9090};
constexpr Protocol kAllProtocols[] = {Protocol::TCP, Protocol::UDP, Protocol::SCTP};

// Pod addresses come from small pools, so that ipBlocks and their excepts cut through them.
IpAddress poolAddress(bool v6, int index)
{
    if (v6)
        return ip(QStringLiteral("fd00::%1").arg(index, 0, 16));
    return ip(QStringLiteral("10.0.0.%1").arg(index));
}

// Small clusters fit every class in one 64-bit word; large ones need several, so the bit rows,
// their ends and the 64×64 transposition of the summaries are exercised too.
struct ClusterSize
{
    int maxNamespaces = 3;
    int minPods = 3;
    int maxPods = 18;
    int maxPolicies = 6;
    int labelValues = 3; // of kLabelValues
    int poolBits = 5;    // pod addresses: 10.0.0.0/27, fd00::/123
};
constexpr ClusterSize kSmall;

class ClusterGenerator
{
public:
    explicit ClusterGenerator(quint32 seed, ClusterSize size = kSmall)
        : m_random(seed)
        , m_size(size)
        , m_poolSize(1 << size.poolBits)
        , m_values(kLabelValues.mid(0, size.labelValues))
    {}

    ClusterSnapshot generate();
    // Addresses that are no pod's: pool addresses (on the blocks' boundaries) and far ones.
    QList<IpAddress> externalAddresses(const ClusterSnapshot &snapshot, int count);
    NetworkPolicy policy(const QStringList &namespaces, int index);
    int pick(int count) { return int(m_random.bounded(count)); }
    bool chance(int percent) { return pick(100) < percent; }

private:
    template <typename T> const T &oneOf(const QList<T> &list)
    {
        return list[pick(int(list.size()))];
    }

    LabelSelector selector();
    Labels labels(int maxCount);
    IpBlock ipBlock();
    NetworkPolicyPeer peer();
    NetworkPolicyPort port();

    QRandomGenerator m_random;
    ClusterSize m_size;
    int m_poolSize;
    QStringList m_values;
};

Labels ClusterGenerator::labels(int maxCount)
{
    Labels result;
    const int count = pick(maxCount + 1);
    for (int i = 0; i < count; ++i)
        result.insert(oneOf(kLabelKeys), oneOf(m_values));
    return result;
}

LabelSelector ClusterGenerator::selector()
{
    using Op = LabelSelectorRequirement::Operator;
    LabelSelector result;
    if (chance(25))
        return result; // {}: everything
    const int matchLabels = pick(3);
    for (int i = 0; i < matchLabels; ++i)
        result.matchLabels.insert(oneOf(kLabelKeys), oneOf(m_values));
    const int expressions = pick(3);
    for (int i = 0; i < expressions; ++i) {
        LabelSelectorRequirement requirement;
        requirement.key = oneOf(kLabelKeys);
        requirement.op = Op(pick(4));
        if (requirement.op == Op::In || requirement.op == Op::NotIn) {
            const int values = 1 + pick(2);
            for (int v = 0; v < values; ++v)
                requirement.values.append(oneOf(m_values));
        }
        result.matchExpressions.append(requirement);
    }
    return result;
}

IpBlock ClusterGenerator::ipBlock()
{
    const bool v6 = chance(35);
    const int width = v6 ? 128 : 32;
    IpBlock block;
    if (chance(10)) {
        block.cidr = v6 ? cidr(QStringLiteral("::/0")) : cidr(QStringLiteral("0.0.0.0/0"));
    } else {
        // Prefixes around the address pool: from all of it to one address.
        const int length = width - pick(m_size.poolBits + 1);
        block.cidr = Cidr(poolAddress(v6, pick(m_poolSize)), length);
    }
    const int excepts = pick(3);
    for (int i = 0; i < excepts; ++i) {
        const int length =
            std::min(width, std::max(block.cidr.prefixLength(), width - m_size.poolBits) + pick(4));
        const Cidr except(poolAddress(v6, pick(m_poolSize)), length);
        if (block.cidr.contains(except) && except.prefixLength() > block.cidr.prefixLength())
            block.except.append(except);
    }
    return block;
}

NetworkPolicyPeer ClusterGenerator::peer()
{
    NetworkPolicyPeer result;
    switch (pick(10)) {
    case 0:
    case 1:
    case 2:
        result.podSelector = selector();
        break;
    case 3:
    case 4:
        result.namespaceSelector = selector();
        if (chance(30)) {
            // kubernetes.io/metadata.name, set on every namespace (also one without object).
            result.namespaceSelector = LabelSelector{};
            result.namespaceSelector->matchLabels.insert(
                QStringLiteral("kubernetes.io/metadata.name"),
                oneOf(QStringList{QStringLiteral("ns0"), QStringLiteral("ns1"),
                                  QStringLiteral("loose")}));
        }
        break;
    case 5:
    case 6:
        result.podSelector = selector();
        result.namespaceSelector = selector();
        break;
    case 7:
    case 8:
        result.ipBlock = ipBlock();
        break;
    default:
        if (chance(50))
            result.ipBlock = ipBlock();
        // else: a peer without any field (matches nothing)
        break;
    }
    return result;
}

NetworkPolicyPort ClusterGenerator::port()
{
    NetworkPolicyPort result;
    if (!chance(30))
        result.protocol = kAllProtocols[pick(3)];
    switch (pick(8)) {
    case 0:
    case 1:
    case 2:
        result.portNumber = chance(80) ? oneOf(kPortNumbers) : 1 + pick(100);
        break;
    case 3:
    case 4:
        result.portNumber = chance(70) ? oneOf(kPortNumbers) : 1 + pick(100);
        // endPort ranges; now and then one below port (rejected by validation; admits nothing).
        result.endPort = *result.portNumber + (chance(90) ? pick(30) : -1 - pick(3));
        break;
    case 5:
    case 6:
        result.portName = chance(85) ? oneOf(kPortNames) : QStringLiteral("nosuch");
        break;
    default:
        break; // protocol only
    }
    return result;
}

NetworkPolicy ClusterGenerator::policy(const QStringList &namespaces, int index)
{
    NetworkPolicy result;
    result.namespaceName = chance(90) ? oneOf(namespaces) : QStringLiteral("empty");
    result.name = QStringLiteral("p%1").arg(index);
    result.podSelector = selector();
    if (chance(50)) {
        QList<PolicyType> types;
        if (chance(70))
            types.append(PolicyType::Ingress);
        if (chance(60))
            types.append(PolicyType::Egress);
        result.policyTypes = types; // sometimes empty: the policy affects nothing
    }
    for (QList<NetworkPolicyRule> *rules : {&result.ingress, &result.egress}) {
        const int count = pick(4);
        for (int r = 0; r < count; ++r) {
            NetworkPolicyRule rule;
            const int peers = chance(20) ? 0 : 1 + pick(3);
            for (int p = 0; p < peers; ++p)
                rule.peers.append(peer());
            const int ports = chance(30) ? 0 : 1 + pick(3);
            for (int p = 0; p < ports; ++p)
                rule.ports.append(port());
            rules->append(rule);
        }
    }
    return result;
}

ClusterSnapshot ClusterGenerator::generate()
{
    ClusterSnapshot snapshot;
    const int namespaceCount = 1 + pick(m_size.maxNamespaces);
    QStringList namespaces;
    for (int n = 0; n < namespaceCount; ++n) {
        Namespace ns;
        ns.name = QStringLiteral("ns%1").arg(n);
        ns.labels = labels(2);
        ns.phase = QStringLiteral("Active");
        snapshot.namespaces.append(ns);
        namespaces.append(ns.name);
    }
    if (chance(40))
        namespaces.append(QStringLiteral("loose")); // pods, but no Namespace object

    QList<int> freeV4;
    QList<int> freeV6;
    for (int i = 0; i < m_poolSize; ++i) {
        freeV4.append(i);
        freeV6.append(i);
    }
    const auto take = [&](QList<int> &free) { return free.takeAt(pick(int(free.size()))); };
    const int podCount = m_size.minPods + pick(m_size.maxPods - m_size.minPods + 1);
    for (int p = 0; p < podCount; ++p) {
        Pod pod;
        pod.namespaceName = oneOf(namespaces);
        pod.name = QStringLiteral("pod%1").arg(p);
        pod.labels = labels(3);
        pod.phase = QStringLiteral("Running");
        switch (pick(10)) {
        case 0:
            break; // no IP yet
        case 1:
        case 2:
            pod.podIps = {poolAddress(true, take(freeV6))};
            break;
        case 3:
            pod.podIps = {poolAddress(false, take(freeV4)), poolAddress(true, take(freeV6))};
            break;
        case 4:
            pod.podIps = {poolAddress(true, take(freeV6)), poolAddress(false, take(freeV4))};
            break;
        default:
            pod.podIps = {poolAddress(false, take(freeV4))};
            break;
        }
        pod.hostNetwork = chance(10);
        const int containers = pick(3);
        for (int c = 0; c < containers; ++c) {
            Container container;
            container.name = QStringLiteral("c%1").arg(c);
            const int ports = pick(3);
            for (int i = 0; i < ports; ++i) {
                ContainerPort port;
                port.name = chance(80) ? oneOf(kPortNames) : QString();
                port.containerPort = oneOf(kPortNumbers);
                port.protocol = chance(70) ? Protocol::TCP : kAllProtocols[pick(3)];
                container.ports.append(port);
            }
            pod.containers.append(container);
        }
        snapshot.pods.append(pod);
    }
    const int policyCount = pick(m_size.maxPolicies + 1);
    for (int i = 0; i < policyCount; ++i)
        snapshot.networkPolicies.append(policy(namespaces, i));
    return snapshot;
}

QList<IpAddress> ClusterGenerator::externalAddresses(const ClusterSnapshot &snapshot, int count)
{
    QSet<IpAddress> podAddresses;
    for (const Pod &pod : snapshot.pods) {
        for (const IpAddress &address : pod.podIps)
            podAddresses.insert(address);
    }
    QList<IpAddress> result;
    while (result.size() < count) {
        const bool v6 = chance(40);
        IpAddress address;
        if (chance(80))
            address = poolAddress(v6, pick(m_poolSize));
        else
            address = v6 ? ip(QStringLiteral("2001:db8::%1").arg(pick(1000)))
                         : ip(QStringLiteral("203.0.113.%1").arg(pick(256)));
        if (!podAddresses.contains(address))
            result.append(address);
    }
    return result;
}

// A random single-policy edit of `before`: add a new policy, replace one (same namespace/name,
// new content), or delete one.
ClusterSnapshot randomEdit(ClusterGenerator &generator, const ClusterSnapshot &before,
                           QString *description)
{
    ClusterSnapshot after = before;
    QStringList namespaces;
    for (const Pod &pod : before.pods) {
        if (!namespaces.contains(pod.namespaceName))
            namespaces.append(pod.namespaceName);
    }
    if (namespaces.isEmpty())
        namespaces.append(QStringLiteral("ns0"));
    const int kind = after.networkPolicies.isEmpty() ? 0 : generator.pick(3);
    if (kind == 0) {
        after.networkPolicies.append(generator.policy(namespaces, 100));
        *description = QStringLiteral("add");
    } else {
        const int index = generator.pick(int(after.networkPolicies.size()));
        if (kind == 1) {
            NetworkPolicy replacement = generator.policy(namespaces, index);
            replacement.namespaceName = after.networkPolicies[index].namespaceName;
            replacement.name = after.networkPolicies[index].name;
            after.networkPolicies[index] = replacement;
            *description = QStringLiteral("replace %1").arg(index);
        } else {
            after.networkPolicies.removeAt(index);
            *description = QStringLiteral("delete %1").arg(index);
        }
    }
    return after;
}

// The ports to probe: every bound of every port class of both sides, and its neighbours.
QList<int> candidatePorts(const Reachability &before, const Reachability &after, Protocol protocol)
{
    std::set<int> ports{1, 65535};
    for (const Reachability *side : {&before, &after}) {
        for (const PortClass &portClass : side->portClasses()) {
            if (portClass.protocol != protocol)
                continue;
            for (const PortRange &range : portClass.ranges) {
                for (int port : {range.first - 1, range.first, range.last, range.last + 1}) {
                    if (port >= 1 && port <= 65535)
                        ports.insert(port);
                }
            }
        }
    }
    return QList<int>(ports.begin(), ports.end());
}

struct Counts
{
    qint64 allowToDeny = 0;
    qint64 denyToAllow = 0;
    friend bool operator==(const Counts &, const Counts &) = default;
};

using PairKey = std::pair<QString, QString>;

// The brute-force difference on one port: flipped ordered pod pairs (value: allowed after).
std::map<std::pair<qsizetype, qsizetype>, bool> bruteForceFlips(const PolicyEngine &before,
                                                                const PolicyEngine &after,
                                                                qsizetype podCount, int port,
                                                                Protocol protocol)
{
    std::map<std::pair<qsizetype, qsizetype>, bool> flips;
    for (qsizetype from = 0; from < podCount; ++from) {
        for (qsizetype to = 0; to < podCount; ++to) {
            const bool was = before
                                 .check(PolicyEndpoint::pod(from), PolicyEndpoint::pod(to),
                                        ProbePort{port, {}}, protocol)
                                 .allowed;
            const bool is = after
                                .check(PolicyEndpoint::pod(from), PolicyEndpoint::pod(to),
                                       ProbePort{port, {}}, protocol)
                                .allowed;
            if (was != is)
                flips[{from, to}] = is;
        }
    }
    return flips;
}

// Compares one what-if with the oracle; returns false (after a QCOMPARE/QVERIFY failure).
void compareWithOracle(quint32 seed, int *changedCount)
{
    ClusterGenerator generator(seed);
    const ClusterSnapshot before = generator.generate();
    QString edit;
    const ClusterSnapshot after = randomEdit(generator, before, &edit);
    const QString context = QStringLiteral("seed %1, edit %2").arg(seed).arg(edit);
    const WhatIfOptions options{3};
    const WhatIfResult result = computeWhatIf(before, after, options);
    const Reachability reachBefore(before);
    const Reachability reachAfter(after);
    const PolicyEngine engineBefore(before);
    const PolicyEngine engineAfter(after);

    qint64 totalAllowToDeny = 0;
    qint64 totalDenyToAllow = 0;
    for (Protocol protocol : {Protocol::TCP, Protocol::UDP, Protocol::SCTP}) {
        for (int port : candidatePorts(reachBefore, reachAfter, protocol)) {
            const auto flips =
                bruteForceFlips(engineBefore, engineAfter, before.pods.size(), port, protocol);
            std::map<PairKey, Counts> expectedNamespaces;
            std::map<std::pair<PairKey, PairKey>, Counts> expectedWorkloads;
            for (const auto &[pair, allowedAfter] : flips) {
                const Pod &from = before.pods.at(pair.first);
                const Pod &to = before.pods.at(pair.second);
                Counts &ns = expectedNamespaces[{from.namespaceName, to.namespaceName}];
                Counts &wl = expectedWorkloads[{
                    {from.namespaceName, to.namespaceName},
                    {Reachability::workloadOf(from), Reachability::workloadOf(to)}}];
                (allowedAfter ? ns.denyToAllow : ns.allowToDeny) += 1;
                (allowedAfter ? wl.denyToAllow : wl.allowToDeny) += 1;
            }
            const PortClassChange *change = nullptr;
            for (const PortClassChange &candidate : result.portClasses) {
                if (candidate.portClass.protocol == protocol &&
                    candidate.portClass.contains(port)) {
                    if (change)
                        QFAIL(qPrintable(context + QStringLiteral(": port in two classes")));
                    change = &candidate;
                }
            }
            if (!change) {
                if (!flips.empty())
                    QFAIL(qPrintable(QStringLiteral("%1: %2 pairs flip on %3/%4, none reported")
                                         .arg(context)
                                         .arg(flips.size())
                                         .arg(port)
                                         .arg(protocolName(protocol))));
                continue;
            }
            std::map<PairKey, Counts> actualNamespaces;
            std::map<std::pair<PairKey, PairKey>, Counts> actualWorkloads;
            for (const NamespacePairChange &ns : change->namespaces) {
                actualNamespaces[{ns.from, ns.to}] = Counts{ns.allowToDeny, ns.denyToAllow};
                qint64 workloadSum = 0;
                for (const WorkloadPairChange &wl : ns.workloads) {
                    actualWorkloads[{{ns.from, ns.to}, {wl.from, wl.to}}] =
                        Counts{wl.allowToDeny, wl.denyToAllow};
                    workloadSum += wl.allowToDeny + wl.denyToAllow;
                }
                QCOMPARE(workloadSum, ns.allowToDeny + ns.denyToAllow);
                // Listed pod pairs: really flipped, in that direction, the first ones, capped.
                QCOMPARE(qint64(ns.podPairs.size()) + ns.morePodPairs,
                         ns.allowToDeny + ns.denyToAllow);
                QVERIFY(ns.podPairs.size() <= options.maxPodPairs);
                qsizetype previousFrom = -1, previousTo = -1;
                for (const PodPairChange &pair : ns.podPairs) {
                    const auto found = flips.find({pair.fromPod, pair.toPod});
                    QVERIFY2(found != flips.end(), qPrintable(context));
                    QCOMPARE(found->second, pair.allowedAfter);
                    QCOMPARE(before.pods.at(pair.fromPod).namespaceName, ns.from);
                    QCOMPARE(before.pods.at(pair.toPod).namespaceName, ns.to);
                    QVERIFY(std::pair(previousFrom, previousTo) <
                            std::pair(pair.fromPod, pair.toPod));
                    previousFrom = pair.fromPod;
                    previousTo = pair.toPod;
                }
            }
            if (actualNamespaces != expectedNamespaces || actualWorkloads != expectedWorkloads)
                QFAIL(qPrintable(QStringLiteral("%1: summaries differ on %2/%3")
                                     .arg(context)
                                     .arg(port)
                                     .arg(protocolName(protocol))));
        }
    }
    // Every reported class is disjoint from the others and has changes.
    for (const PortClassChange &change : result.portClasses) {
        QVERIFY(change.allowToDeny + change.denyToAllow > 0);
        totalAllowToDeny += change.allowToDeny;
        totalDenyToAllow += change.denyToAllow;
    }
    QCOMPARE(result.allowToDeny, totalAllowToDeny);
    QCOMPARE(result.denyToAllow, totalDenyToAllow);
    if (!result.portClasses.isEmpty())
        ++*changedCount;
}

QJsonObject flowEndpoint(const IpAddress &address, int port)
{
    return QJsonObject{{QStringLiteral("ip"), address.toString()},
                       {QStringLiteral("port"), port > 0 ? QJsonValue(port) : QJsonValue()},
                       {QStringLiteral("endpoint"), QJsonValue()}};
}

QJsonObject flowJson(const QString &protocol, const IpAddress &a, int aPort, const IpAddress &b,
                     int bPort)
{
    return QJsonObject{{QStringLiteral("protocol"), protocol},
                       {QStringLiteral("a"), flowEndpoint(a, aPort)},
                       {QStringLiteral("b"), flowEndpoint(b, bPort)},
                       {QStringLiteral("packets_ab"), 1},
                       {QStringLiteral("bytes_ab"), 60}};
}

} // namespace

class TestWhatIf : public QObject
{
    Q_OBJECT

private slots:
    void randomEditsAgreeWithBruteForce();
    void noEditNoChange();
    void flowsThatFlip();
    void flowsJsonErrors();
};

void TestWhatIf::randomEditsAgreeWithBruteForce()
{
    QElapsedTimer timer;
    timer.start();
    int changed = 0;
    const int seeds = 120;
    for (quint32 seed = 1; seed <= quint32(seeds); ++seed) {
        compareWithOracle(seed, &changed);
        if (QTest::currentTestFailed())
            return;
    }
    // The edits must actually change something often enough for the comparison to mean much.
    QVERIFY2(changed >= seeds / 4, qPrintable(QString::number(changed)));
    qInfo("%d random edits (%d with changes) checked against the oracle in %lld ms", seeds, changed,
          timer.elapsed());
}

void TestWhatIf::noEditNoChange()
{
    ClusterGenerator generator(7);
    const ClusterSnapshot snapshot = generator.generate();
    const WhatIfResult result = computeWhatIf(snapshot, snapshot);
    QVERIFY(result.portClasses.isEmpty());
    QCOMPARE(result.allowToDeny, 0);
    QCOMPARE(result.denyToAllow, 0);
}

void TestWhatIf::flowsThatFlip()
{
    int flipped = 0;
    for (quint32 seed = 200; seed < 260; ++seed) {
        ClusterGenerator generator(seed);
        const ClusterSnapshot before = generator.generate();
        QString edit;
        const ClusterSnapshot after = randomEdit(generator, before, &edit);
        const Reachability reachBefore(before);
        const Reachability reachAfter(after);
        const PolicyEngine engineBefore(before);
        const PolicyEngine engineAfter(after);

        // Pod → pod flows on every candidate port, plus flows a policy cannot judge.
        QJsonArray flows;
        struct Expected
        {
            qsizetype from;
            qsizetype to;
            int port;
            Protocol protocol;
            IpAddress external; // to this address instead of the pod `to`
        };
        QList<Expected> expected;
        const QList<int> ports = candidatePorts(reachBefore, reachAfter, Protocol::TCP);
        for (qsizetype from = 0; from < before.pods.size(); ++from) {
            for (qsizetype to = 0; to < before.pods.size(); ++to) {
                const Pod &a = before.pods.at(from);
                const Pod &b = before.pods.at(to);
                if (a.podIps.isEmpty() || b.podIps.isEmpty() || from == to ||
                    a.podIps.first().family() != b.podIps.first().family() || a.hostNetwork ||
                    b.hostNetwork)
                    continue;
                const int port = ports.at(generator.pick(int(ports.size())));
                const Protocol protocol = generator.chance(70) ? Protocol::TCP : Protocol::UDP;
                flows.append(flowJson(protocolName(protocol), a.podIps.first(), 40000,
                                      b.podIps.first(), port));
                expected.append(Expected{from, to, port, protocol, {}});
            }
        }
        // Pod → outside addresses (ipBlocks decide).
        for (const IpAddress &address : generator.externalAddresses(before, 6)) {
            for (qsizetype from = 0; from < before.pods.size(); ++from) {
                const Pod &a = before.pods.at(from);
                if (a.podIps.isEmpty() || a.hostNetwork ||
                    a.podIps.first().family() != address.family())
                    continue;
                const int port = ports.at(generator.pick(int(ports.size())));
                flows.append(
                    flowJson(QStringLiteral("TCP"), a.podIps.first(), 40000, address, port));
                expected.append(Expected{from, -1, port, Protocol::TCP, address});
                break;
            }
        }
        flows.append(flowJson(QStringLiteral("ICMP"), ip(QStringLiteral("10.0.0.1")), 0,
                              ip(QStringLiteral("10.0.0.2")), 0));
        const QByteArray json =
            QJsonDocument(QJsonObject{{QStringLiteral("flows"), flows},
                                      {QStringLiteral("summary"), QJsonObject{}}})
                .toJson();
        QString error;
        const auto parsed = parseFlowsJson(json, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->size(), flows.size());

        WhatIfResult result;
        addFlowChanges(before, after, *parsed, result);
        QCOMPARE(result.flowsSkipped, 1);
        QCOMPARE(result.flowsChecked, expected.size());
        QSet<qsizetype> reported;
        for (const FlowChange &change : result.flowChanges) {
            reported.insert(change.flow.index);
            QVERIFY(change.allowedBefore != change.allowedAfter);
            QVERIFY(change.resolvedFrom.isPod());
            const Expected &e = expected.at(change.flow.index);
            QCOMPARE(change.resolvedFrom.podIndex, e.from);
            QCOMPARE(change.resolvedTo.podIndex, e.to);
        }
        // The oracle: the pods' verdicts on the flow's port, looked up by pod, not by IP.
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const Expected &e = expected.at(i);
            const ProbePort port{e.port, {}};
            const PolicyEndpoint to =
                e.to >= 0 ? PolicyEndpoint::pod(e.to) : PolicyEndpoint::ip(e.external);
            const bool was =
                engineBefore.check(PolicyEndpoint::pod(e.from), to, port, e.protocol).allowed;
            const bool is =
                engineAfter.check(PolicyEndpoint::pod(e.from), to, port, e.protocol).allowed;
            // Also the class-based answer agrees.
            if (e.to >= 0)
                QCOMPARE(reachAfter.allowed(e.from, e.to, port, e.protocol), is);
            else
                QCOMPARE(reachAfter.allowedToAddress(e.from, e.external, e.port, e.protocol), is);
            if (reported.contains(i) != (was != is))
                QFAIL(qPrintable(QStringLiteral("seed %1 (%2): flow %3 flip %4, reported %5")
                                     .arg(seed)
                                     .arg(edit)
                                     .arg(i)
                                     .arg(was != is)
                                     .arg(reported.contains(i))));
        }
        flipped += int(reported.size());
    }
    QVERIFY(flipped > 0);
}

void TestWhatIf::flowsJsonErrors()
{
    QString error;
    QVERIFY(!parseFlowsJson("{", &error));
    QVERIFY(error.contains(QStringLiteral("invalid JSON")));
    QVERIFY(!parseFlowsJson("[]", &error));
    QVERIFY(error.contains(QStringLiteral("\"flows\"")));
    QVERIFY(
        !parseFlowsJson(R"({"flows": [{"protocol": "TCP", "a": {"ip": "x"}, "b": {}}]})", &error));
    QCOMPARE(error, QStringLiteral("flows[0].a.ip: expected an IP address"));
    const auto parsed = parseFlowsJson(
        R"({"flows": [{"protocol": 47, "a": {"ip": "10.0.0.1", "port": null},
                       "b": {"ip": "10.0.0.2", "port": null}}]})",
        &error);
    QVERIFY(parsed);
    QCOMPARE(parsed->size(), 1);
    QVERIFY(!parsed->first().protocol);
    QCOMPARE(parsed->first().protocolText, QStringLiteral("47"));
}

QTEST_GUILESS_MAIN(TestWhatIf)
#include "tst_whatif.moc"
