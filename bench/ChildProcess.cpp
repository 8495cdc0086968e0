#include "ChildProcess.h"

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cartograph::bench {

pid_t spawnChild(const std::vector<std::string> &argv, int stdoutFd, int otherFd,
                 bool discardStderr)
{
    const pid_t pid = fork();
    if (pid != 0)
        return pid;
    dup2(stdoutFd, STDOUT_FILENO);
    if (discardStderr) {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
    }
    close(stdoutFd);
    if (otherFd >= 0)
        close(otherFd);
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::perror(args[0]);
    _exit(127);
}

ChildResult runChild(const std::vector<std::string> &argv, const ChildOptions &options)
{
    ChildResult result;
    int pipeFd[2];
    if (pipe(pipeFd) != 0)
        return result;
    const auto start = std::chrono::steady_clock::now();
    const int null = options.discardStdout ? open("/dev/null", O_WRONLY) : -1;
    const pid_t pid =
        spawnChild(argv, null >= 0 ? null : pipeFd[1], pipeFd[0], options.discardStderr);
    close(pipeFd[1]);
    if (null >= 0)
        close(null);
    if (pid < 0) {
        close(pipeFd[0]);
        return result;
    }
    std::vector<char> buffer(1 << 16);
    ssize_t n;
    while ((n = read(pipeFd[0], buffer.data(), buffer.size())) > 0) {
        if (options.onOutput)
            options.onOutput(buffer.data(), std::size_t(n));
        else
            result.output.append(buffer.data(), std::size_t(n));
    }
    close(pipeFd[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                        double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    result.maxRssKb = usage.ru_maxrss;
    result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return result;
}

} // namespace cartograph::bench
