// What-if: the before → after difference of a policy edit (model/WhatIf.h), compared with the
// brute-force oracle — PolicyEngine::check() on every ordered pod pair, before and after — on
// seeded random clusters and random single-policy edits (add, replace, delete), and the flows
// that flip, read from `cartograph-cli flows` JSON.

#include "ClusterSnapshot.h"
#include "PolicyEngine.h"
#include "RandomCluster.h"
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
using namespace cartograph::testing;

namespace {

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
