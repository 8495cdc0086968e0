#pragma once

// Benchmarks measure each client as a child process of their own, so that one's memory never
// counts in another's peak: this runs one and reports its wall time (fork to exit), CPU time and
// peak RSS (wait4's rusage).

#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace cartograph::bench {

struct ChildResult
{
    bool ok = false;       // exited with status 0
    double seconds = 0;    // wall time
    double cpuSeconds = 0; // user + system
    long maxRssKb = 0;
    std::string output; // stdout, unless discarded or handed to onOutput
};

struct ChildOptions
{
    bool discardStdout = false; // to /dev/null: output the benchmark does not read
    bool discardStderr = false; // e.g. tshark's "running as root" chatter
    // Stdout as it arrives, instead of keeping it in ChildResult::output.
    std::function<void(const char *, std::size_t)> onOutput;
};

// Starts argv with its stdout on `stdoutFd` (closing `otherFd` in the child); -1 when fork fails.
pid_t spawnChild(const std::vector<std::string> &argv, int stdoutFd, int otherFd,
                 bool discardStderr = false);

ChildResult runChild(const std::vector<std::string> &argv, const ChildOptions &options = {});

} // namespace cartograph::bench
