// Live-cluster listing benchmark at Kubernetes' documented pod limit: the test API server
// (cartograph-test-apiserver, HTTPS on loopback, its own process) serves 150,000 synthetic pods
// of ~3 KB in pages of 500. Printed from one run, each client in a child process with its wall
// time and peak RSS (wait4):
//   - curl driven page by page: one curl per page, this bench reading each page's continue token
//     from curl's output (what a shell client does);
//   - curl transfer: one curl fetching every page URL over one keep-alive connection to
//     /dev/null, the continue tokens known in advance (the floor for moving the bytes);
//   - parse: the snapshot loader (loadSnapshotFile) reading the same pods from one PodList file;
//   - collector: ClusterCollector::fetchSnapshot in a child of this bench (kubeconfig, TLS, every
//     resource listed page by page into the model; nothing written): the time to a complete
//     model, at the page size and again at a second page size (fewer, larger pages) to show
//     that peak RSS does not grow with the number of pages;
//   - cartograph-cli snapshot -A: the same collector end to end, then the List snapshot written.
// The server runs in its own process so that this one stays small: a child forked from a large
// process would report the parent's RSS as its own peak.
// Build in Release.
//
//   bench_kube [--pods N] [--page-size N] [--second-page-size N] [--namespaces N] [--runs N]

#include "ChildProcess.h"
#include "ClusterCollector.h"
#include "Kubeconfig.h"
#include "SnapshotIo.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace cartograph;
using namespace Qt::StringLiterals;

namespace {

using bench::ChildResult;

std::vector<std::string> toArgv(const QStringList &arguments)
{
    std::vector<std::string> argv;
    for (const QString &a : arguments)
        argv.push_back(a.toStdString());
    return argv;
}

// Runs argv in a child, handing its stdout to `onOutput` as it arrives (kept in the result
// without one).
ChildResult runChild(const QStringList &arguments,
                     const std::function<void(const char *, size_t)> &onOutput = {})
{
    bench::ChildOptions options;
    options.onOutput = onOutput;
    return bench::runChild(toArgv(arguments), options);
}

int loadMode(const char *path)
{
    QElapsedTimer timer;
    timer.start();
    ClusterSnapshot snapshot;
    const Status status = loadSnapshotFile(QString::fromLocal8Bit(path), snapshot);
    if (!status) {
        std::fprintf(stderr, "%s\n", qPrintable(describe(status.error())));
        return 1;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("pods=%lld parse_ms=%lld rss_kb=%ld\n", qlonglong(snapshot.pods.size()),
                timer.elapsed(), usage.ru_maxrss);
    return 0;
}

// The collector in this (child) process: kubeconfig to a complete model, nothing written.
int collectMode(const char *kubeconfig, const char *pageSize)
{
    QElapsedTimer timer;
    timer.start();
    kube::KubeconfigLocation location;
    location.explicitPath = QString::fromLocal8Bit(kubeconfig);
    auto config = kube::loadKubeconfig(location);
    if (!config) {
        std::fprintf(stderr, "%s\n", qPrintable(kube::describe(config.error())));
        return 1;
    }
    auto connection = kube::resolveContext(*config);
    if (!connection) {
        std::fprintf(stderr, "%s\n", qPrintable(kube::describe(connection.error())));
        return 1;
    }
    kube::CollectorOptions options;
    options.pageSize = std::atoi(pageSize);
    const auto fetched = kube::ClusterCollector::fetchSnapshot(*connection, nullptr, options);
    if (!fetched) {
        std::fprintf(stderr, "%s\n", qPrintable(kube::describe(fetched.error())));
        return 1;
    }
    const qint64 elapsed = timer.elapsed();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("pods=%lld collect_ms=%lld rss_kb=%ld\n", qlonglong(fetched->snapshot.pods.size()),
                elapsed, usage.ru_maxrss);
    return 0;
}

struct ServerProcess
{
    pid_t pid = -1;
    QString url;
};

// Starts cartograph-test-apiserver and waits for the URL it prints once it serves.
ServerProcess startServer(const QStringList &arguments)
{
    ServerProcess server;
    int pipeFd[2];
    if (pipe(pipeFd) != 0)
        return server;
    server.pid = bench::spawnChild(
        toArgv(QStringList{QStringLiteral(CARTOGRAPH_TEST_APISERVER_PATH)} + arguments), pipeFd[1],
        pipeFd[0]);
    close(pipeFd[1]);
    QByteArray line;
    char c = 0;
    while (read(pipeFd[0], &c, 1) == 1 && c != '\n')
        line += c;
    close(pipeFd[0]);
    server.url = QString::fromUtf8(line);
    return server;
}

// Stops the server; its peak RSS in KiB from wait4.
long stopServer(const ServerProcess &server)
{
    kill(server.pid, SIGTERM);
    int status = 0;
    rusage usage{};
    wait4(server.pid, &status, 0, &usage);
    return usage.ru_maxrss;
}

struct Client
{
    QStringList tls; // curl options for the server's CA and the client certificate
    QString baseUrl; // .../api/v1/pods?limit=N
};

// The continue token in a page's first bytes: the server writes metadata before items.
QString continueToken(const QByteArray &head)
{
    const QByteArray marker = "\"continue\":\"";
    const qsizetype at = head.indexOf(marker);
    if (at < 0)
        return {};
    const qsizetype start = at + marker.size();
    return QString::fromLatin1(head.mid(start, head.indexOf('"', start) - start));
}

QString pageUrl(const Client &client, const QString &token)
{
    return token.isEmpty() ? client.baseUrl : client.baseUrl + u"&continue="_s + token;
}

QStringList curlCommand(const Client &client)
{
    return QStringList{u"curl"_s, u"--silent"_s, u"--show-error"_s, u"--fail"_s} + client.tls;
}

// One curl per page, the next URL made from the continue token in the page; fills `tokens` with
// the tokens of pages 2.. in order and `bytes` with the bytes received.
ChildResult curlPageByPage(const Client &client, QStringList *tokens, qint64 *bytes)
{
    ChildResult total{true, 0, 0};
    tokens->clear();
    *bytes = 0;
    QString token;
    do {
        QByteArray head;
        const ChildResult page =
            runChild(curlCommand(client) + QStringList{pageUrl(client, token)},
                     [&](const char *data, size_t size) {
                         if (head.size() < 4096)
                             head.append(data, qsizetype(std::min<size_t>(size, 4096)));
                         *bytes += qint64(size);
                     });
        if (!page.ok)
            return ChildResult{};
        total.seconds += page.seconds;
        total.maxRssKb = std::max(total.maxRssKb, page.maxRssKb);
        token = continueToken(head);
        if (!token.isEmpty())
            *tokens << token;
    } while (!token.isEmpty());
    return total;
}

// One curl, every page URL over one keep-alive connection, page i to `outputs[i]`.
ChildResult curlAllPages(const Client &client, const QStringList &tokens, const QString &config,
                         const QStringList &outputs)
{
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    for (qsizetype i = 0; i <= tokens.size(); ++i) {
        const QString url = pageUrl(client, i == 0 ? QString() : tokens[i - 1]);
        file.write("url = \"" + url.toUtf8() + "\"\noutput = \"" + outputs[i].toUtf8() + "\"\n");
    }
    file.close();
    return runChild(curlCommand(client) + QStringList{u"--config"_s, config});
}

// The pages' items as one PodList, the form `kubectl get pods -A -o json` would save them in.
bool writePodList(const QStringList &pages, const QString &path)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    out.write(R"({"kind":"PodList","apiVersion":"v1","metadata":{},"items":[)");
    bool first = true;
    for (const QString &page : pages) {
        QFile in(page);
        if (!in.open(QIODevice::ReadOnly))
            return false;
        const QByteArray body = in.readAll();
        const QByteArray marker = ",\"items\":[";
        const qsizetype start = body.indexOf(marker);
        if (start < 0 || !body.endsWith("]}"))
            return false;
        const QByteArray items =
            body.mid(start + marker.size(), body.size() - 2 - start - marker.size());
        if (items.isEmpty())
            continue;
        if (!first)
            out.write(",");
        out.write(items);
        first = false;
    }
    out.write("]}\n");
    return out.error() == QFileDevice::NoError;
}

// The collector end to end through its CLI: kubeconfig, TLS, every resource listed page by page
// into the model, then the List snapshot written to `out`.
ChildResult measureCollectorSnapshot(const QString &kubeconfig, const QString &out)
{
    return runChild({QStringLiteral(CARTOGRAPH_CLI_PATH), u"snapshot"_s, u"--kubeconfig"_s,
                     kubeconfig, u"-A"_s, u"-o"_s, out});
}

// The collector in a child of this bench: time to a complete model (the child's own clock,
// from reading the kubeconfig to the last page parsed) and peak RSS.
struct CollectorResult
{
    ChildResult child;
    double modelSeconds = 0;
    qint64 pods = 0;
};

CollectorResult measureCollector(const QString &self, const QString &kubeconfig, int pageSize)
{
    CollectorResult result;
    std::string output;
    result.child = runChild({self, u"--collect"_s, kubeconfig, QString::number(pageSize)},
                            [&](const char *data, size_t size) { output.append(data, size); });
    long long pods = 0;
    long long ms = 0;
    if (std::sscanf(output.c_str(), "pods=%lld collect_ms=%lld", &pods, &ms) != 2)
        result.child.ok = false;
    result.pods = pods;
    result.modelSeconds = double(ms) / 1000;
    return result;
}

struct Figures
{
    qsizetype pages = 0;
    qint64 bytes = 0;
    // Best of the runs (seconds); peak RSS over the runs (KiB).
    double loop = 1e30, transfer = 1e30, parse = 1e30, collector = 1e30, collectorModel = 1e30,
           collector2 = 1e30, cli = 1e30;
    long rssLoopKb = 0, rssTransferKb = 0, rssParseKb = 0, rssCollectorKb = 0, rssCollector2Kb = 0,
         rssCliKb = 0;
    std::string parseLine;
};

double mb(long kb)
{
    return double(kb) / 1024;
}

// Everything measured against the running server; false (after a message) when a client failed.
bool measure(const Client &client, const QString &kubeconfig, const QTemporaryDir &dir, int runs,
             int pods, int pageSize, int secondPageSize, Figures *figures)
{
    // The continue tokens, and the pages for the PodList the loader parses, from untimed fetches.
    QStringList tokens;
    if (!curlPageByPage(client, &tokens, &figures->bytes).ok) {
        std::fprintf(stderr, "bench_kube: curl failed fetching the pages\n");
        return false;
    }
    figures->pages = tokens.size() + 1;
    QStringList pageFiles;
    QStringList devNull;
    for (qsizetype i = 0; i < figures->pages; ++i) {
        pageFiles << dir.filePath(u"page-%1.json"_s.arg(i));
        devNull << u"/dev/null"_s;
    }
    const QString config = dir.filePath(u"curl.config"_s);
    const QString podList = dir.filePath(u"pods.json"_s);
    if (!curlAllPages(client, tokens, config, pageFiles).ok || !writePodList(pageFiles, podList)) {
        std::fprintf(stderr, "bench_kube: cannot write the PodList for the parse\n");
        return false;
    }
    for (const QString &page : pageFiles)
        QFile::remove(page);
    std::printf("%lld pages, %.1f MB of JSON on the wire; PodList file %.1f MB\n",
                qlonglong(figures->pages), double(figures->bytes) / 1e6,
                double(QFile(podList).size()) / 1e6);
    std::fflush(stdout);

    char self[4096] = {};
    if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) {
        std::fprintf(stderr, "bench_kube: cannot find own executable\n");
        return false;
    }
    const QString selfPath = QString::fromLocal8Bit(self);
    const QString snapshot = dir.filePath(u"snapshot.json"_s);
    for (int run = 0; run < runs; ++run) {
        QStringList runTokens;
        qint64 runBytes = 0;
        const ChildResult loop = curlPageByPage(client, &runTokens, &runBytes);
        const ChildResult transfer = curlAllPages(client, tokens, config, devNull);
        std::string output;
        const ChildResult parse =
            runChild({selfPath, u"--load"_s, podList},
                     [&](const char *data, size_t size) { output.append(data, size); });
        const CollectorResult collector = measureCollector(selfPath, kubeconfig, pageSize);
        const CollectorResult collector2 = measureCollector(selfPath, kubeconfig, secondPageSize);
        const ChildResult cli = measureCollectorSnapshot(kubeconfig, snapshot);
        QFile::remove(snapshot);
        const bool complete = collector.pods == pods && collector2.pods == pods;
        if (!loop.ok || !transfer.ok || !parse.ok || !collector.child.ok || !collector2.child.ok ||
            !cli.ok || runTokens != tokens || !complete) {
            std::fprintf(stderr,
                         "bench_kube: run %d failed (curl page by page %d, curl transfer %d, "
                         "parse %d, collector %d (%lld pods), collector at pages of %d %d (%lld "
                         "pods), cartograph-cli snapshot %d)\n",
                         run + 1, loop.ok, transfer.ok, parse.ok, collector.child.ok,
                         qlonglong(collector.pods), secondPageSize, collector2.child.ok,
                         qlonglong(collector2.pods), cli.ok);
            return false;
        }
        std::printf("run %d: curl page by page %.2f s (%.0f MB peak RSS) | curl transfer %.2f s "
                    "(%.0f MB) | loader parse %.2f s (%.0f MB) | collector %.2f s, model complete "
                    "after %.2f s (%.0f MB) | collector at pages of %d %.2f s (%.0f MB) | "
                    "cartograph-cli snapshot %.2f s (%.0f MB)\n",
                    run + 1, loop.seconds, mb(loop.maxRssKb), transfer.seconds,
                    mb(transfer.maxRssKb), parse.seconds, mb(parse.maxRssKb),
                    collector.child.seconds, collector.modelSeconds, mb(collector.child.maxRssKb),
                    secondPageSize, collector2.child.seconds, mb(collector2.child.maxRssKb),
                    cli.seconds, mb(cli.maxRssKb));
        std::fflush(stdout);
        figures->loop = std::min(figures->loop, loop.seconds);
        figures->transfer = std::min(figures->transfer, transfer.seconds);
        figures->collector = std::min(figures->collector, collector.child.seconds);
        figures->collectorModel = std::min(figures->collectorModel, collector.modelSeconds);
        figures->collector2 = std::min(figures->collector2, collector2.child.seconds);
        figures->cli = std::min(figures->cli, cli.seconds);
        if (parse.seconds < figures->parse) {
            figures->parse = parse.seconds;
            figures->parseLine = output;
        }
        figures->rssLoopKb = std::max(figures->rssLoopKb, loop.maxRssKb);
        figures->rssTransferKb = std::max(figures->rssTransferKb, transfer.maxRssKb);
        figures->rssParseKb = std::max(figures->rssParseKb, parse.maxRssKb);
        figures->rssCollectorKb = std::max(figures->rssCollectorKb, collector.child.maxRssKb);
        figures->rssCollector2Kb = std::max(figures->rssCollector2Kb, collector2.child.maxRssKb);
        figures->rssCliKb = std::max(figures->rssCliKb, cli.maxRssKb);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 3 && std::strcmp(argv[1], "--load") == 0) {
        QCoreApplication app(argc, argv);
        return loadMode(argv[2]);
    }
    if (argc == 4 && std::strcmp(argv[1], "--collect") == 0) {
        QCoreApplication app(argc, argv);
        return collectMode(argv[2], argv[3]);
    }
    QCoreApplication app(argc, argv);
    int pods = 150000;
    int pageSize = 500;
    int secondPageSize = 2000;
    int namespaces = 50;
    int runs = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> int {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_kube: %s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return std::atoi(argv[++i]);
        };
        if (arg == "--pods")
            pods = std::max(1, next());
        else if (arg == "--page-size")
            pageSize = std::max(1, next());
        else if (arg == "--second-page-size")
            secondPageSize = std::max(1, next());
        else if (arg == "--namespaces")
            namespaces = std::max(1, next());
        else if (arg == "--runs")
            runs = std::max(1, next());
        else {
            std::fprintf(stderr,
                         "usage: bench_kube [--pods N] [--page-size N] [--second-page-size N] "
                         "[--namespaces N] [--runs N]\n");
            return 2;
        }
    }

    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_kube: no temporary directory: %s\n",
                     qPrintable(dir.errorString()));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    const QDir stateDir(dir.filePath(u"server"_s));
    const ServerProcess server =
        startServer({u"--synthetic-pods"_s, QString::number(pods), u"--namespaces"_s,
                     QString::number(namespaces), u"--state-dir"_s, stateDir.path()});
    if (!server.url.startsWith(u"https://"_s)) {
        std::fprintf(stderr, "bench_kube: %s did not start\n", CARTOGRAPH_TEST_APISERVER_PATH);
        if (server.pid > 0)
            stopServer(server);
        return 1;
    }
    std::printf("server: %s, %d pods in %d namespaces, serving after %.1f s, pages of %d\n",
                qPrintable(server.url), pods, namespaces, double(timer.elapsed()) / 1000, pageSize);
    std::fflush(stdout);

    const Client client{{u"--cacert"_s, stateDir.filePath(u"ca.crt"_s), u"--cert"_s,
                         stateDir.filePath(u"client.crt"_s), u"--key"_s,
                         stateDir.filePath(u"client.key"_s)},
                        server.url + u"/api/v1/pods?limit="_s + QString::number(pageSize)};
    Figures figures;
    const bool measured = measure(client, stateDir.filePath(u"kubeconfig"_s), dir, runs, pods,
                                  pageSize, secondPageSize, &figures);
    const long serverRssKb = stopServer(server);
    if (!measured)
        return 1;
    std::printf("loader (best of %d): %s", runs, figures.parseLine.c_str());
    // Both the loader and the collector are timed as whole child processes (start, work, exit),
    // so the comparison is like for like; the collector's own clock is printed beside it.
    const double floor = std::max(figures.transfer, figures.parse);
    const double ratio = figures.collector / floor;
    const double cliRatio = figures.cli / floor;
    std::printf(
        "\nRESULT %d pods, %lld pages of %d, %.1f MB | curl page by page %.2f s, peak RSS %.0f MB "
        "| curl transfer (keep-alive, known tokens) %.2f s, peak RSS %.0f MB | loader parse %.2f "
        "s, peak RSS %.0f MB | test API server peak RSS %.0f MB\n"
        "RESULT collector (fetchSnapshot, time to a complete model) %.2f s (own clock %.2f s), "
        "peak RSS %.0f MB | collector / max(transfer, parse) = %.2f (target <= 1.2: %s)\n"
        "RESULT peak RSS at pages of %d: %.0f MB (%+.0f MB over the loader) | at pages of %d "
        "(%.2f s): %.0f MB (%+.0f MB over the loader)\n"
        "RESULT cartograph-cli snapshot -A (collector + writing the List file) %.2f s, peak RSS "
        "%.0f MB | cli / max(transfer, parse) = %.2f\n",
        pods, qlonglong(figures.pages), pageSize, double(figures.bytes) / 1e6, figures.loop,
        mb(figures.rssLoopKb), figures.transfer, mb(figures.rssTransferKb), figures.parse,
        mb(figures.rssParseKb), mb(serverRssKb), figures.collector, figures.collectorModel,
        mb(figures.rssCollectorKb), ratio, ratio <= 1.2 ? "met" : "NOT met", pageSize,
        mb(figures.rssCollectorKb), mb(figures.rssCollectorKb - figures.rssParseKb), secondPageSize,
        figures.collector2, mb(figures.rssCollector2Kb),
        mb(figures.rssCollector2Kb - figures.rssParseKb), figures.cli, mb(figures.rssCliKb),
        cliRatio);
    return 0;
}
