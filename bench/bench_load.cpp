// Snapshot load benchmark at Kubernetes' documented scale limits (5,000 nodes, 150,000 pods,
// 10,000 services). Generates a kubectl-shaped List file, loads it in a fresh child process
// (parse + model + IP index) and, in the same run, has Python's C-accelerated json.load read the
// same file. Prints wall time and peak RSS of both. Build in Release.
//
//   bench_load [--nodes N] [--pods N] [--services N] [--file PATH] [--keep] [--runs N]

#include "ChildProcess.h"
#include "IpIndex.h"
#include "SnapshotIo.h"
#include "SyntheticCluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace cartograph;

namespace {

using bench::ChildResult;
using bench::runChild;

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
    const qint64 parsedMs = timer.elapsed();
    const IpIndex index(snapshot);
    const qint64 totalMs = timer.elapsed();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("pods=%lld nodes=%lld services=%lld ip_entries=%lld parse_ms=%lld total_ms=%lld "
                "rss_kb=%ld\n",
                qlonglong(snapshot.pods.size()), qlonglong(snapshot.nodes.size()),
                qlonglong(snapshot.services.size()), qlonglong(index.exactEntryCount()), parsedMs,
                totalMs, usage.ru_maxrss);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 3 && std::strcmp(argv[1], "--load") == 0) {
        QCoreApplication app(argc, argv);
        return loadMode(argv[2]);
    }

    bench::ClusterScale scale;
    std::string file;
    bool keep = false;
    int runs = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> const char * {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_load: %s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--nodes")
            scale.nodes = std::atoi(next());
        else if (arg == "--pods")
            scale.pods = std::atoi(next());
        else if (arg == "--services")
            scale.services = std::atoi(next());
        else if (arg == "--file")
            file = next();
        else if (arg == "--keep")
            keep = true;
        else if (arg == "--runs")
            runs = std::max(1, std::atoi(next()));
        else {
            std::fprintf(stderr,
                         "usage: bench_load [--nodes N] [--pods N] [--services N] [--file PATH] "
                         "[--keep] [--runs N]\n");
            return 2;
        }
    }
    if (file.empty()) {
        const char *tmp = std::getenv("TMPDIR");
        file = std::string(tmp ? tmp : "/tmp") + "/cartograph-bench-" +
               std::to_string(scale.nodes) + "n-" + std::to_string(scale.pods) + "p.json";
    }
    if (!QFileInfo::exists(QString::fromStdString(file))) {
        std::printf("generating %s (%d nodes, %d pods, %d services) ...\n", file.c_str(),
                    scale.nodes, scale.pods, scale.services);
        std::fflush(stdout);
        std::FILE *out = std::fopen(file.c_str(), "w");
        if (!out || !bench::writeSyntheticCluster(scale, out) || std::fclose(out) != 0) {
            std::fprintf(stderr, "bench_load: cannot write %s\n", file.c_str());
            return 1;
        }
    }
    const double sizeMb = double(QFileInfo(QString::fromStdString(file)).size()) / 1e6;
    std::printf("file: %s, %.1f MB\n", file.c_str(), sizeMb);

    char self[4096] = {};
    if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) {
        std::fprintf(stderr, "bench_load: cannot find own executable\n");
        return 1;
    }

    double bestOurs = 1e30, bestPython = 1e30;
    long rssOurs = 0, rssPython = 0;
    std::string oursLine;
    for (int run = 0; run < runs; ++run) {
        const ChildResult ours = runChild({self, "--load", file});
        if (!ours.ok) {
            std::fprintf(stderr, "bench_load: loading failed: %s\n", ours.output.c_str());
            return 1;
        }
        const ChildResult python =
            runChild({"python3", "-c", "import json,sys; json.load(open(sys.argv[1]))", file});
        if (!python.ok) {
            std::fprintf(stderr, "bench_load: python3 json.load failed\n");
            return 1;
        }
        std::printf("run %d: cartograph %.2f s, %.0f MB peak RSS | python json.load %.2f s, "
                    "%.0f MB peak RSS\n",
                    run + 1, ours.seconds, double(ours.maxRssKb) / 1024, python.seconds,
                    double(python.maxRssKb) / 1024);
        std::fflush(stdout);
        if (ours.seconds < bestOurs) {
            bestOurs = ours.seconds;
            oursLine = ours.output;
        }
        bestPython = std::min(bestPython, python.seconds);
        rssOurs = std::max(rssOurs, ours.maxRssKb);
        rssPython = std::max(rssPython, python.maxRssKb);
    }
    std::printf("cartograph (best of %d): %s", runs, oursLine.c_str());
    const double speedup = bestPython / bestOurs;
    const double rssMb = double(rssOurs) / 1024;
    std::printf("\nRESULT file %.1f MB | cartograph load+index %.2f s, peak RSS %.0f MB | "
                "python3 json.load %.2f s, peak RSS %.0f MB | speed-up %.2fx (target >= 4x: %s) | "
                "RSS/file %.2f (target <= 1: %s)\n",
                sizeMb, bestOurs, rssMb, bestPython, double(rssPython) / 1024, speedup,
                speedup >= 4 ? "met" : "NOT met", rssMb / sizeMb,
                rssMb <= sizeMb ? "met" : "NOT met");
    if (!keep)
        std::remove(file.c_str());
    return 0;
}
