// cartograph-capture-helper: the one privileged piece of live capture, after Wireshark's dumpcap.
// Installed with file capabilities (setcap cap_net_raw,cap_net_admin+eip) or setuid root, it
// opens one interface with libpcap, then gives up every privilege (all capabilities; a setuid
// helper also returns to the invoking user's uid and gid) before it reads a single packet, and
// writes what it captures as a pcap stream to standard output, which the desktop side reads with
// PcapSource::openFd. It takes capture arguments only, never a file to write or a program to
// run. No Qt: the less code runs privileged, the better.
//
// Standard error carries one line per event, meant for the desktop side to parse:
//   cartograph-capture-helper: error <kind>: <libpcap's reason>   (kind: usage, permission,
//                                                   interface, filter, capture; exit status 1/2)
//   cartograph-capture-helper: stats <received> <kernel dropped> <interface dropped>
//                                                  (pcap_stats, every second and at the end)
// SIGINT, SIGTERM and a closed standard output end the capture cleanly: what was captured is
// flushed as whole records before the helper exits 0.

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <grp.h>
#include <linux/capability.h>
#include <pcap/pcap.h>
#include <string>
#include <string_view>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

namespace {

constexpr const char *kName = "cartograph-capture-helper";

pcap_t *g_handle = nullptr;
volatile std::sig_atomic_t g_stop = 0;

void onSignal(int)
{
    g_stop = 1;
    if (g_handle)
        pcap_breakloop(g_handle); // async-signal-safe: sets a flag and writes to an eventfd
}

// Once a second: libpcap can wait forever on an idle link, so the clock
// (statistics, --seconds) interrupts the read.
void onTick(int)
{
    if (g_handle)
        pcap_breakloop(g_handle);
}

[[noreturn]] void fail(int status, const char *kind, const std::string &message)
{
    std::fprintf(stderr, "%s: error %s: %s\n", kName, kind, message.c_str());
    std::exit(status);
}

[[noreturn]] void usage(const std::string &message)
{
    fail(2, "usage",
         message + " (usage: " + kName +
             " --interface IFACE [--filter BPF] [--snaplen N] [--count N] [--seconds N])");
}

long long number(std::string_view option, const char *text, long long min, long long max)
{
    char *end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        usage(std::string(option) + " must be a number from " + std::to_string(min) + " to " +
              std::to_string(max) + ", not \"" + text + "\"");
    }
    return value;
}

// Every capability goes: effective, permitted and inheritable sets emptied, no ambient ones, and
// no way back through exec (no_new_privs). A setuid-root helper first returns to the real ids.
void dropPrivileges()
{
    const uid_t uid = getuid();
    const gid_t gid = getgid();
    if (geteuid() != uid || getegid() != gid) {
        if (setgroups(0, nullptr) != 0 && errno != EPERM)
            fail(1, "capture", std::string("setgroups: ") + std::strerror(errno));
        if (setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
            fail(1, "capture",
                 std::string("cannot drop to the invoking user: ") + std::strerror(errno));
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capset, &header, data) != 0)
        fail(1, "capture", std::string("cannot drop capabilities: ") + std::strerror(errno));
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail(1, "capture", std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno));
}

struct Capture
{
    pcap_dumper_t *dumper = nullptr;
    long long count = 0; // 0: unlimited
    long long seen = 0;
};

void onPacket(u_char *user, const pcap_pkthdr *header, const u_char *bytes)
{
    auto *capture = reinterpret_cast<Capture *>(user);
    pcap_dump(reinterpret_cast<u_char *>(capture->dumper), header, bytes);
    if (capture->count > 0 && ++capture->seen >= capture->count)
        pcap_breakloop(g_handle);
}

void printStats()
{
    pcap_stat stat{};
    if (pcap_stats(g_handle, &stat) == 0) {
        std::fprintf(stderr, "%s: stats %u %u %u\n", kName, stat.ps_recv, stat.ps_drop,
                     stat.ps_ifdrop);
        std::fflush(stderr);
    }
}

double now()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    const char *interface = nullptr;
    const char *filter = nullptr;
    long long snaplen = 262144;
    long long count = 0;
    long long seconds = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        if (i + 1 >= argc)
            usage("option " + std::string(option) + " needs a value");
        const char *value = argv[++i];
        if (option == "--interface" || option == "-i")
            interface = value;
        else if (option == "--filter" || option == "-f")
            filter = value;
        else if (option == "--snaplen" || option == "-s")
            snaplen = number(option, value, 64, 262144);
        else if (option == "--count" || option == "-c")
            count = number(option, value, 0, 1LL << 62);
        else if (option == "--seconds")
            seconds = number(option, value, 0, 1LL << 31);
        else
            usage("unknown option \"" + std::string(option) + "\"");
    }
    if (!interface || !*interface)
        usage("--interface is required");
    if (isatty(STDOUT_FILENO))
        usage("standard output is a terminal; the helper writes a pcap stream for a program");

    char errbuf[PCAP_ERRBUF_SIZE] = {};
    g_handle = pcap_create(interface, errbuf);
    if (!g_handle)
        fail(1, "interface", errbuf);
    pcap_set_snaplen(g_handle, int(snaplen));
    pcap_set_promisc(g_handle, 1);
    pcap_set_timeout(g_handle, 100);
    pcap_set_buffer_size(g_handle, 8 << 20);
    // Blocks of the TPACKET_V3 ring, delivered at least every 100 ms (see LiveCaptureOptions).
    pcap_set_immediate_mode(g_handle, 0);
    pcap_set_tstamp_precision(g_handle, PCAP_TSTAMP_PRECISION_MICRO);
    const int rc = pcap_activate(g_handle);
    if (rc < 0) {
        std::string reason = pcap_geterr(g_handle);
        if (reason.empty())
            reason = pcap_statustostr(rc);
        if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED)
            fail(1, "permission", reason);
        if (rc == PCAP_ERROR_NO_SUCH_DEVICE || rc == PCAP_ERROR_IFACE_NOT_UP)
            fail(1, "interface", rc == PCAP_ERROR_IFACE_NOT_UP ? "the interface is down" : reason);
        fail(1, "capture", reason);
    }
    // Nothing below needs a privilege: the socket is open.
    dropPrivileges();

    if (filter && *filter) {
        bpf_program program{};
        if (pcap_compile(g_handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
            pcap_setfilter(g_handle, &program) != 0)
            fail(1, "filter", pcap_geterr(g_handle));
        pcap_freecode(&program);
    }

    std::signal(SIGPIPE, SIG_IGN); // a reader that went away shows as a write error
    struct sigaction action
    {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART; // pcap_breakloop wakes the read; writes are not cut short
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    struct sigaction tick
    {};
    tick.sa_handler = onTick;
    sigemptyset(&tick.sa_mask);
    tick.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &tick, nullptr);
    const itimerval second{{1, 0}, {1, 0}};
    setitimer(ITIMER_REAL, &second, nullptr);

    Capture capture;
    capture.count = count;
    capture.dumper = pcap_dump_fopen(g_handle, stdout);
    if (!capture.dumper)
        fail(1, "capture", pcap_geterr(g_handle));
    pcap_dump_flush(capture.dumper); // the reader opens the stream on its header

    const double start = now();
    double lastStats = start;
    int status = 0;
    while (!g_stop) {
        const int n = pcap_dispatch(g_handle, -1, onPacket, reinterpret_cast<u_char *>(&capture));
        if (pcap_dump_flush(capture.dumper) != 0)
            break; // the reader closed the pipe
        if (g_stop || (count > 0 && capture.seen >= count))
            break;
        if (n == PCAP_ERROR) {
            std::fprintf(stderr, "%s: error capture: %s\n", kName, pcap_geterr(g_handle));
            status = 1;
            break;
        }
        const double t = now();
        if (seconds > 0 && t - start >= double(seconds))
            break;
        if (t - lastStats >= 1.0) {
            printStats();
            lastStats = t;
        }
    }
    pcap_dump_flush(capture.dumper);
    printStats();
    std::fflush(stdout);
    pcap_close(g_handle);
    return status;
}
