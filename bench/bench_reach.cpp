// Reachability benchmark: cluster-wide NetworkPolicy reachability on equivalence classes, on
// synthetic clusters of 150,000 pods with E label sets and P policies (ingress and egress rules,
// podSelectors, namespaceSelectors, named ports, port ranges, ipBlocks with except), next to the
// brute-force per-probe evaluator (PolicyEngine::check) run on random pod pairs for a fixed time.
// Each size runs in its own child process, so the peak RSS (getrusage) is that size's own.
// Build in Release.
//
//   bench_reach [--pods N] [--brute-seconds S] [--size E,P]...

#include "PolicyEngine.h"
#include "Reachability.h"
#include "WhatIf.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace cartograph;

namespace {

struct Scenario
{
    int labelSets = 0; // E
    int policies = 0;  // P
    double targetSeconds = 0;
    double targetRssGiB = 0;        // 0: no target
    double targetWhatIfSeconds = 0; // single-policy what-if
};

struct Options
{
    int pods = 150000;
    double bruteSeconds = 60;
    std::vector<Scenario> scenarios;
};

long peakRssKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

double mib(long kb)
{
    return double(kb) / 1024;
}

LabelSelector matchLabel(const QString &key, const QString &value)
{
    LabelSelector selector;
    selector.matchLabels.insert(key, value);
    return selector;
}

Cidr cidr(const char *text)
{
    return *Cidr::parse(QString::fromLatin1(text));
}

// --- The synthetic cluster ---------------------------------------------------------------------

const QStringList kTiers = {QStringLiteral("web"), QStringLiteral("api"), QStringLiteral("db"),
                            QStringLiteral("cache"), QStringLiteral("queue")};
const QStringList kEnvironments = {QStringLiteral("prod"), QStringLiteral("staging"),
                                   QStringLiteral("dev")};
constexpr int kTeams = 16;

QString appName(int labelSet)
{
    return QStringLiteral("app-%1").arg(labelSet);
}

// Ports the policies draw from: numbers, ranges, named ports, UDP and SCTP.
NetworkPolicyPort catalogPort(int index)
{
    NetworkPolicyPort port;
    switch (index % 10) {
    case 0:
        port.portNumber = 8080;
        break;
    case 1:
        port.portNumber = 443;
        break;
    case 2:
        port.portNumber = 8000;
        port.endPort = 8099;
        break;
    case 3:
        port.portName = QStringLiteral("http");
        break;
    case 4:
        port.protocol = Protocol::UDP;
        port.portNumber = 53;
        break;
    case 5:
        port.portNumber = 5432;
        break;
    case 6:
        port.portNumber = 6379;
        break;
    case 7:
        port.portNumber = 30000;
        port.endPort = 32767;
        break;
    case 8:
        port.protocol = Protocol::SCTP;
        port.portNumber = 3868;
        break;
    default:
        port.portName = QStringLiteral("metrics");
        break;
    }
    return port;
}

// Outside addresses, and two blocks that cut through the pod network (10.1.0.0/16 except its
// upper half) so that pods also differ by address.
IpBlock catalogIpBlock(int index)
{
    switch (index % 8) {
    case 0:
        return IpBlock{cidr("0.0.0.0/0"), {cidr("10.0.0.0/8")}};
    case 1:
        return IpBlock{cidr("172.16.0.0/12"), {}};
    case 2:
        return IpBlock{cidr("192.168.0.0/16"), {cidr("192.168.5.0/24")}};
    case 3:
        return IpBlock{cidr("10.1.0.0/16"), {cidr("10.1.128.0/17")}};
    case 4:
        return IpBlock{cidr("10.0.0.0/8"), {}};
    case 5:
        return IpBlock{cidr("203.0.113.0/24"), {}};
    case 6:
        return IpBlock{cidr("fd00::/112"), {}};
    default:
        return IpBlock{cidr("2001:db8::/32"), {}};
    }
}

ClusterSnapshot syntheticCluster(int podCount, int labelSets, int policyCount)
{
    QRandomGenerator random(quint32(labelSets * 7919 + policyCount));
    const auto pick = [&](int count) { return int(random.bounded(count)); };
    ClusterSnapshot snapshot;
    const int namespaceCount = std::clamp(labelSets / 50, 10, 200);
    for (int n = 0; n < namespaceCount; ++n) {
        Namespace ns;
        ns.name = QStringLiteral("ns-%1").arg(n);
        ns.labels.insert(QStringLiteral("team"), QStringLiteral("team-%1").arg(n % kTeams));
        ns.labels.insert(QStringLiteral("env"), kEnvironments[n % 3]);
        ns.phase = QStringLiteral("Active");
        snapshot.namespaces.append(ns);
    }

    // Pods of one label set (one workload) follow each other, as a List returns them.
    snapshot.pods.reserve(podCount);
    for (int i = 0; i < podCount; ++i) {
        const int set = int(qint64(i) * labelSets / podCount);
        Pod pod;
        pod.namespaceName = snapshot.namespaces[set % namespaceCount].name;
        const QString app = appName(set);
        const QString hash = QStringLiteral("%1").arg(quint32(set) * 2654435761u % 0xFFFFFu, 5, 16,
                                                      QLatin1Char('0'));
        pod.name = app + u'-' + hash + u'-' + QString::number(i);
        pod.labels.insert(QStringLiteral("app"), app);
        pod.labels.insert(QStringLiteral("tier"), kTiers[set % 5]);
        pod.labels.insert(QStringLiteral("version"), QStringLiteral("v%1").arg(set % 3));
        pod.labels.insert(QStringLiteral("pod-template-hash"), hash);
        if (set % 4 == 0) // StatefulSet pods carry a label unique to each pod
            pod.labels.insert(QStringLiteral("statefulset.kubernetes.io/pod-name"), pod.name);
        pod.owner = OwnerReference{QStringLiteral("ReplicaSet"), app + u'-' + hash, true};
        pod.nodeName = QStringLiteral("node-%1").arg(i / 30);
        pod.podIps = {IpAddress::fromV4(0x0A000000u + quint32(i))};
        if (set % 10 == 0) { // dual-stack workloads
            std::array<std::uint8_t, 16> bytes{0xfd};
            bytes[13] = std::uint8_t(i >> 16);
            bytes[14] = std::uint8_t(i >> 8);
            bytes[15] = std::uint8_t(i);
            pod.podIps.append(IpAddress::fromV6(bytes));
        }
        pod.phase = QStringLiteral("Running");
        pod.ready = true;
        Container container;
        container.name = QStringLiteral("main");
        // "http" means different numbers in different workloads.
        container.ports.append(ContainerPort{
            QStringLiteral("http"), set % 3 == 0 ? 8080 : 8000 + set % 4, 0, Protocol::TCP});
        container.ports.append(ContainerPort{QStringLiteral("metrics"), 9090, 0, Protocol::TCP});
        if (set % 7 == 0)
            container.ports.append(ContainerPort{QStringLiteral("dns"), 53, 0, Protocol::UDP});
        pod.containers.append(container);
        snapshot.pods.append(std::move(pod));
    }

    const int setsPerNamespace = std::max(1, labelSets / namespaceCount);
    const auto setInNamespace = [&](int ns) {
        return std::min(labelSets - 1, ns + namespaceCount * pick(setsPerNamespace));
    };
    // app In (a few workloads of the namespace): between them, the policies name (nearly)
    // every label set, so that the pods fall into about E classes.
    const auto someApps = [&](int ns, int most) {
        LabelSelector selector;
        LabelSelectorRequirement apps{
            QStringLiteral("app"), LabelSelectorRequirement::Operator::In, {}};
        const int count = 1 + pick(most);
        for (int a = 0; a < count; ++a)
            apps.values.append(appName(setInNamespace(ns)));
        selector.matchExpressions.append(apps);
        return selector;
    };
    const auto randomPeer = [&](int ns) {
        NetworkPolicyPeer peer;
        switch (pick(5)) {
        case 0:
            peer.podSelector = someApps(ns, 8);
            break;
        case 1:
            peer.namespaceSelector =
                matchLabel(QStringLiteral("team"), QStringLiteral("team-%1").arg(pick(kTeams)));
            peer.podSelector = matchLabel(QStringLiteral("tier"), kTiers[pick(5)]);
            break;
        case 2:
            peer.namespaceSelector = matchLabel(QStringLiteral("env"), kEnvironments[pick(3)]);
            break;
        case 3: {
            const int other = pick(namespaceCount);
            peer.namespaceSelector = matchLabel(QStringLiteral("kubernetes.io/metadata.name"),
                                                snapshot.namespaces[other].name);
            peer.podSelector = someApps(other, 8);
            break;
        }
        default:
            peer.ipBlock = catalogIpBlock(pick(8));
            break;
        }
        return peer;
    };
    const auto randomRule = [&](int ns) {
        NetworkPolicyRule rule;
        const int peers = 1 + pick(3);
        for (int p = 0; p < peers; ++p)
            rule.peers.append(randomPeer(ns));
        const int ports = pick(3); // none: every port
        for (int p = 0; p < ports; ++p)
            rule.ports.append(catalogPort(pick(10)));
        return rule;
    };
    for (int j = 0; j < policyCount; ++j) {
        NetworkPolicy policy;
        const int ns = j % namespaceCount;
        policy.namespaceName = snapshot.namespaces[ns].name;
        policy.name = QStringLiteral("policy-%1").arg(j);
        if (j % 50 == 0) {
            // {}: every pod of the namespace (a default-deny with exceptions)
        } else if (j % 10 == 0) {
            policy.podSelector.matchExpressions.append(LabelSelectorRequirement{
                QStringLiteral("tier"), LabelSelectorRequirement::Operator::In,
                QStringList{kTiers[pick(5)], kTiers[pick(5)]}});
        } else {
            policy.podSelector = someApps(ns, 3);
        }
        policy.policyTypes = QList<PolicyType>{PolicyType::Ingress, PolicyType::Egress};
        const int ingress = 1 + pick(2);
        for (int r = 0; r < ingress; ++r)
            policy.ingress.append(randomRule(ns));
        const int egress = 1 + pick(2);
        for (int r = 0; r < egress; ++r)
            policy.egress.append(randomRule(ns));
        snapshot.networkPolicies.append(std::move(policy));
    }
    return snapshot;
}

// --- One size, in a child process -------------------------------------------------------------

int runScenario(const Scenario &scenario, const Options &options)
{
    QElapsedTimer timer;
    timer.start();
    const ClusterSnapshot snapshot =
        syntheticCluster(options.pods, scenario.labelSets, scenario.policies);
    const double generateSeconds = double(timer.nsecsElapsed()) / 1e9;
    const long snapshotRss = peakRssKb();

    timer.restart();
    const Reachability reachability(snapshot);
    const double reachSeconds = double(timer.nsecsElapsed()) / 1e9;
    const long reachRss = peakRssKb();

    timer.restart();
    const QList<PortClassSummary> summaries = reachability.namespaceSummaries();
    const double summarySeconds = double(timer.nsecsElapsed()) / 1e9;
    const long summaryRss = peakRssKb();

    const Reachability::Statistics stats = reachability.statistics();
    qint64 allowedPairs = 0;
    qint64 allPairs = 0;
    for (const PortClassSummary &summary : summaries) {
        for (const PairCount &pair : summary.namespacePairs) {
            allowedPairs += pair.allowed;
            allPairs += pair.allowed + pair.denied;
        }
    }
    const double podPairs = double(snapshot.pods.size()) * double(snapshot.pods.size());
    const double classProbes = podPairs * double(stats.portClasses);

    std::printf("E=%d P=%d: %lld pods, %lld namespaces, %lld policies (cluster generated in "
                "%.1f s, snapshot RSS %.0f MiB)\n",
                scenario.labelSets, scenario.policies, qlonglong(snapshot.pods.size()),
                qlonglong(snapshot.namespaces.size()), qlonglong(snapshot.networkPolicies.size()),
                generateSeconds, mib(snapshotRss));
    std::printf("  classes: %lld pod classes, %lld address classes, %lld port classes, %lld "
                "distinct selectors\n",
                qlonglong(stats.podClasses), qlonglong(stats.addressClasses),
                qlonglong(stats.portClasses), qlonglong(stats.distinctSelectors));
    std::printf("  rows: %lld egress + %lld ingress profiles, %lld distinct bit rows (%.0f MiB)\n",
                qlonglong(stats.egressProfiles), qlonglong(stats.ingressProfiles),
                qlonglong(stats.distinctRows), double(stats.rowBytes) / (1024.0 * 1024.0));
    std::printf("  full reachability: %.3f s, peak RSS %.0f MiB (+%.0f MiB over the snapshot)\n",
                reachSeconds, mib(reachRss), mib(reachRss - snapshotRss));
    std::printf("  namespace summaries, all port classes: %.3f s, peak RSS %.0f MiB; %.1f%% of "
                "%.3g pod pairs x port classes allowed\n",
                summarySeconds, mib(summaryRss),
                allPairs ? 100.0 * double(allowedPairs) / double(allPairs) : 0.0, double(allPairs));
    std::fflush(stdout);

    // What-if of single-policy edits, as the sandbox runs them: the Reachability of the
    // snapshot is already there (built above), each edit derives the other side from it. The
    // per-snapshot indexes edits read are made once (prepareEdits()); timed apart.
    double whatIfSeconds = 0; // the slowest edit's best time
    if (snapshot.networkPolicies.size() >= 2) {
        timer.restart();
        reachability.prepareEdits();
        std::printf("  what-if: workload and pod indexes (once per snapshot, when the sandbox "
                    "opens) %.3f s\n",
                    double(timer.nsecsElapsed()) / 1e9);
        const qsizetype middle = snapshot.networkPolicies.size() / 2;
        const NetworkPolicy &victim = snapshot.networkPolicies.at(middle);
        struct Edit
        {
            const char *what;
            ClusterSnapshot after;
        };
        std::vector<Edit> edits;
        {
            // Same namespace/name, a neighbour's selectors and rules: labels policies know.
            ClusterSnapshot edited = snapshot;
            NetworkPolicy replacement = snapshot.networkPolicies.at(middle + 1);
            replacement.namespaceName = victim.namespaceName;
            replacement.name = victim.name;
            edited.networkPolicies[middle] = replacement;
            edits.push_back({"replace one policy (known labels)", std::move(edited)});
        }
        {
            ClusterSnapshot edited = snapshot;
            edited.networkPolicies.removeAt(middle);
            edits.push_back({"delete one policy", std::move(edited)});
        }
        {
            // A default deny of one workload plus an allow from a label value no policy
            // mentioned yet, on a port no policy named: pods are regrouped, ports split.
            ClusterSnapshot edited = snapshot;
            NetworkPolicy policy;
            policy.namespaceName = victim.namespaceName;
            policy.name = QStringLiteral("what-if-new");
            policy.podSelector = matchLabel(QStringLiteral("version"), QStringLiteral("v1"));
            policy.policyTypes = QList<PolicyType>{PolicyType::Ingress};
            NetworkPolicyRule rule;
            NetworkPolicyPeer peer;
            peer.namespaceSelector = LabelSelector{};
            peer.podSelector = matchLabel(QStringLiteral("canary"), QStringLiteral("true"));
            rule.peers.append(peer);
            NetworkPolicyPort port;
            port.portNumber = 7443;
            rule.ports.append(port);
            policy.ingress.append(rule);
            edited.networkPolicies.append(policy);
            edits.push_back({"add one policy (new label, new port)", std::move(edited)});
        }
        for (const Edit &edit : edits) {
            double best = 1e9;
            WhatIfResult whatIf;
            for (int run = 0; run < 3; ++run) {
                timer.restart();
                whatIf = computeWhatIf(reachability, edit.after);
                best = std::min(best, double(timer.nsecsElapsed()) / 1e9);
            }
            whatIfSeconds = std::max(whatIfSeconds, best);
            std::printf("  what-if, %s: %.4f s (best of 3), peak RSS %.0f MiB; %lld port classes "
                        "change, %lld allow->deny, %lld deny->allow pod pairs x port classes\n",
                        edit.what, best, mib(peakRssKb()), qlonglong(whatIf.portClasses.size()),
                        qlonglong(whatIf.allowToDeny), qlonglong(whatIf.denyToAllow));
            std::fflush(stdout);
        }
        // The same first edit with both sides built in full, for comparison.
        timer.restart();
        computeWhatIf(snapshot, edits.front().after);
        std::printf(
            "  what-if, first edit with both sides built in full (for comparison): %.3f s\n",
            double(timer.nsecsElapsed()) / 1e9);
    }

    // Brute force: PolicyEngine::check() on random pod pairs and port classes, for a fixed time.
    timer.restart();
    const PolicyEngine engine(snapshot);
    const double engineSeconds = double(timer.nsecsElapsed()) / 1e9;
    QRandomGenerator random(12345);
    const QList<PortClass> &portClasses = reachability.portClasses();
    qint64 probes = 0;
    qint64 disagreements = 0;
    timer.restart();
    const qint64 budgetNs = qint64(options.bruteSeconds * 1e9);
    while (timer.nsecsElapsed() < budgetNs) {
        for (int batch = 0; batch < 256; ++batch) {
            const qsizetype from = random.bounded(int(snapshot.pods.size()));
            const qsizetype to = random.bounded(int(snapshot.pods.size()));
            const PortClass &portClass = portClasses[random.bounded(int(portClasses.size()))];
            const ProbePort port{portClass.representative(), {}};
            const bool allowed = engine
                                     .check(PolicyEndpoint::pod(from), PolicyEndpoint::pod(to),
                                            port, portClass.protocol)
                                     .allowed;
            disagreements += allowed != reachability.allowed(from, to, port, portClass.protocol);
            ++probes;
        }
    }
    const double bruteSeconds = double(timer.nsecsElapsed()) / 1e9;
    const double bruteRate = double(probes) / bruteSeconds;
    const double classRate = classProbes / reachSeconds;
    std::printf("  brute force (PolicyEngine::check, engine built in %.2f s): %lld probes in "
                "%.1f s = %.3g pod pairs x port class/s; disagreements with the classes: %lld\n",
                engineSeconds, qlonglong(probes), bruteSeconds, bruteRate,
                qlonglong(disagreements));
    std::printf("  the whole %.3g pod pairs x %lld port classes: brute force ~%.3g s (%.1f days), "
                "classes %.3g s => %.3g pairs/s, %.3gx the brute force's rate\n",
                podPairs, qlonglong(stats.portClasses), classProbes / bruteRate,
                classProbes / bruteRate / 86400, reachSeconds, classRate, classRate / bruteRate);
    const bool timeMet = reachSeconds < scenario.targetSeconds;
    const bool rssMet = scenario.targetRssGiB <= 0 || mib(reachRss) / 1024 < scenario.targetRssGiB;
    const bool whatIfMet = whatIfSeconds < scenario.targetWhatIfSeconds;
    std::printf("RESULT E=%d P=%d: full reachability %.3f s (target < %g s: %s), peak RSS %.0f "
                "MiB%s%s; single-policy what-if %.4f s (slowest edit; target < %g s: %s); "
                "summaries %.3f s; brute force %.3g probes/s, class design %.3g x\n",
                scenario.labelSets, scenario.policies, reachSeconds, scenario.targetSeconds,
                timeMet ? "met" : "NOT met", mib(reachRss),
                scenario.targetRssGiB > 0 ? " (target < 4 GiB: " : "",
                scenario.targetRssGiB > 0 ? (rssMet ? "met)" : "NOT met)") : "", whatIfSeconds,
                scenario.targetWhatIfSeconds, whatIfMet ? "met" : "NOT met", summarySeconds,
                bruteRate, classRate / bruteRate);
    std::fflush(stdout);
    return disagreements == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto next = [&]() -> const char * {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_reach: %s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--pods") {
            options.pods = std::max(1, std::atoi(next()));
        } else if (arg == "--brute-seconds") {
            options.bruteSeconds = std::max(0.1, std::atof(next()));
        } else if (arg == "--size") {
            int labelSets = 0;
            int policies = 0;
            if (std::sscanf(next(), "%d,%d", &labelSets, &policies) != 2 || labelSets < 1 ||
                policies < 0) {
                std::fprintf(stderr, "bench_reach: --size wants E,P\n");
                return 2;
            }
            options.scenarios.push_back(Scenario{labelSets, policies, 60, 4, 2});
        } else {
            std::fprintf(stderr, "usage: bench_reach [--pods N] [--brute-seconds S] "
                                 "[--size E,P]...\n");
            return 2;
        }
    }
    if (options.scenarios.empty()) {
        options.scenarios = {
            {250, 250, 0.1, 0, 0.01}, {1000, 5000, 2, 0, 0.1}, {16000, 5000, 60, 4, 2}};
    }
    std::printf("bench_reach: %d pods, %u cores, brute force %.0f s per size\n", options.pods,
                std::max(1u, std::thread::hardware_concurrency()), options.bruteSeconds);
    std::fflush(stdout);

    int status = 0;
    for (const Scenario &scenario : options.scenarios) {
        // A child per size: its peak RSS is that size's alone.
        const pid_t pid = fork();
        if (pid == 0)
            _exit(runScenario(scenario, options));
        int childStatus = 0;
        rusage usage{};
        wait4(pid, &childStatus, 0, &usage);
        if (!WIFEXITED(childStatus) || WEXITSTATUS(childStatus) != 0) {
            std::fprintf(stderr, "bench_reach: E=%d P=%d failed (status %d)\n", scenario.labelSets,
                         scenario.policies, childStatus);
            status = 1;
        }
        std::printf("  child peak RSS (wait4): %.0f MiB\n\n", mib(usage.ru_maxrss));
        std::fflush(stdout);
    }
    return status;
}
