#include "HelperSource.h"

#include "CaptureLogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace cartograph::capture {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::capture", text);
}

const QByteArray kLinePrefix = QByteArrayLiteral("cartograph-capture-helper: ");

// Held around kill() and waitpid() so stop() never signals a pid that was already reaped (and
// could have been reused).
std::mutex g_processMutex;

Error helperFailure(const QString &interfaceName, const QString &detail)
{
    Error error;
    error.code = ErrorCode::Unreadable;
    error.file = interfaceName;
    error.expected = tr("a pcap stream from cartograph-capture-helper");
    error.detail = detail;
    return error;
}

} // namespace

QString HelperSource::findHelper()
{
    const QString name = QStringLiteral("cartograph-capture-helper");
    QStringList candidates;
    const QString fromEnvironment = qEnvironmentVariable("CARTOGRAPH_CAPTURE_HELPER");
    if (!fromEnvironment.isEmpty())
        return QFileInfo(fromEnvironment).isExecutable() ? fromEnvironment : QString();
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        candidates << appDir + u'/' + name
                   << QDir::cleanPath(appDir + QStringLiteral("/../libexec/cartograph/") + name);
    }
#ifdef CARTOGRAPH_CAPTURE_HELPER_INSTALL_PATH
    candidates << QStringLiteral(CARTOGRAPH_CAPTURE_HELPER_INSTALL_PATH);
#endif
#ifdef CARTOGRAPH_CAPTURE_HELPER_BUILD_PATH
    candidates << QStringLiteral(CARTOGRAPH_CAPTURE_HELPER_BUILD_PATH);
#endif
    for (const QString &candidate : std::as_const(candidates)) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return candidate;
    }
    return {};
}

Result<std::unique_ptr<HelperSource>> HelperSource::start(const QString &helperPath,
                                                          const LiveCaptureOptions &options,
                                                          std::uint64_t count,
                                                          std::uint64_t seconds)
{
    const QString &name = options.interfaceName;
    if (helperPath.isEmpty() || !QFileInfo(helperPath).isExecutable())
        return helperFailure(
            name, tr("the capture helper \"%1\" is not an executable file").arg(helperPath));
    QList<QByteArray> arguments{QFile::encodeName(helperPath), QByteArrayLiteral("--interface"),
                                name.toLocal8Bit(), QByteArrayLiteral("--snaplen"),
                                QByteArray::number(options.snapshotLength)};
    if (!options.filter.isEmpty())
        arguments << QByteArrayLiteral("--filter") << options.filter.toLocal8Bit();
    if (count > 0)
        arguments << QByteArrayLiteral("--count") << QByteArray::number(qulonglong(count));
    if (seconds > 0)
        arguments << QByteArrayLiteral("--seconds") << QByteArray::number(qulonglong(seconds));
    std::vector<char *> argv;
    for (QByteArray &argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);

    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        const int savedErrno = errno;
        for (int fd : {out[0], out[1], err[0], err[1]})
            if (fd >= 0)
                ::close(fd);
        return helperFailure(name, QString::fromLocal8Bit(strerror(savedErrno)));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (spawned != 0) {
        ::close(out[0]);
        ::close(err[0]);
        return helperFailure(
            name,
            tr("cannot run %1: %2").arg(helperPath, QString::fromLocal8Bit(strerror(spawned))));
    }

    std::unique_ptr<HelperSource> source(new HelperSource);
    source->m_name = name;
    source->m_filter = options.filter;
    source->m_pid = pid;
    source->m_stderr = err[0];
    ::fcntl(err[0], F_SETFL, ::fcntl(err[0], F_GETFL) | O_NONBLOCK);
    qCDebug(lcCapture) << "started" << helperPath << "pid" << pid << "on" << name;

    auto pcap = PcapSource::openFd(out[0], name);
    ::close(out[0]); // openFd keeps its own duplicate
    if (!pcap) {
        // No header: the helper failed before capturing; its own words say why.
        source->reap();
        source->readStderr(true);
        if (std::optional<Error> error = source->helperError())
            return *error;
        return pcap.error();
    }
    source->m_pcap = std::move(pcap).value();
    return source;
}

HelperSource::~HelperSource()
{
    stop();
    m_pcap.reset(); // the read end closes: a helper blocked on a full pipe sees EPIPE
    reap();
    if (m_stderr >= 0)
        ::close(m_stderr);
}

std::uint64_t HelperSource::packetsRead() const
{
    return m_pcap ? m_pcap->packetsRead() : 0;
}

int HelperSource::linkType() const
{
    return m_pcap ? m_pcap->linkType() : 0;
}

int HelperSource::snapshotLength() const
{
    return m_pcap ? m_pcap->snapshotLength() : 0;
}

Result<bool> HelperSource::next(RawPacket &packet)
{
    if (m_ended)
        return false;
    Result<bool> more = m_pcap->next(packet);
    if (more && *more)
        return true;
    m_ended = true;
    reap();
    readStderr(true);
    if (m_stopped.load())
        return false; // a helper told to stop may be cut mid-record: what came before counts
    if (std::optional<Error> error = helperError())
        return *error;
    if (!more)
        return more.error();
    return false;
}

void HelperSource::stop()
{
    m_stopped.store(true);
    const std::lock_guard lock(g_processMutex);
    if (m_pid > 0 && !m_exited.load())
        ::kill(m_pid, SIGTERM);
}

LiveStatistics HelperSource::statistics()
{
    if (m_ended)
        reap();
    readStderr(m_ended);
    return m_statistics;
}

void HelperSource::reap()
{
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    bool killed = false;
    for (;;) {
        {
            const std::lock_guard lock(g_processMutex);
            if (m_pid <= 0 || m_exited.load())
                return;
            int status = 0;
            const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
            if (r == m_pid || (r < 0 && errno != EINTR)) {
                m_exited.store(true);
                return;
            }
            // A helper that ignores SIGTERM for 5 s (it never should) is killed.
            if (!killed && std::chrono::steady_clock::now() > deadline) {
                ::kill(m_pid, SIGKILL);
                killed = true;
            }
        }
        std::this_thread::sleep_for(5ms);
    }
}

void HelperSource::readStderr(bool untilEnd)
{
    if (m_stderr < 0)
        return;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(m_stderr, buffer, sizeof buffer);
        if (n > 0) {
            m_stderrText.append(buffer, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN && untilEnd) {
            // The helper has exited (reaped) but a child of it could hold the pipe: poll briefly.
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            if (m_exited.load())
                break;
            continue;
        }
        break;
    }
    qsizetype newline;
    while ((newline = m_stderrText.indexOf('\n')) >= 0) {
        const QByteArray line = m_stderrText.left(newline).trimmed();
        m_stderrText.remove(0, newline + 1);
        if (!line.startsWith(kLinePrefix)) {
            qCDebug(lcCapture) << "helper:" << line;
            continue;
        }
        const QByteArray body = line.mid(kLinePrefix.size());
        if (body.startsWith("stats ")) {
            const QList<QByteArray> fields = body.mid(6).split(' ');
            if (fields.size() != 3)
                continue;
            const std::array<std::uint32_t, 3> stat{fields[0].toUInt(), fields[1].toUInt(),
                                                    fields[2].toUInt()};
            m_statistics.received += std::uint32_t(stat[0] - m_lastStat[0]);
            m_statistics.kernelDropped += std::uint32_t(stat[1] - m_lastStat[1]);
            m_statistics.interfaceDropped += std::uint32_t(stat[2] - m_lastStat[2]);
            m_lastStat = stat;
        } else if (body.startsWith("error ")) {
            const qsizetype colon = body.indexOf(": ");
            m_errorKind = QString::fromLatin1(body.mid(6, colon < 0 ? -1 : colon - 6));
            m_errorMessage = colon < 0 ? QString() : QString::fromLocal8Bit(body.mid(colon + 2));
        }
    }
}

std::optional<Error> HelperSource::helperError() const
{
    if (m_errorKind.isEmpty())
        return std::nullopt;
    if (m_errorKind == u"permission")
        return capturePermissionError(m_name, m_errorMessage);
    Error error;
    error.file = m_name;
    error.detail = m_errorMessage;
    if (m_errorKind == u"interface") {
        error.code = ErrorCode::InvalidValue;
        error.expected =
            tr("a network interface to capture on (cartograph-cli interfaces lists them)");
    } else if (m_errorKind == u"filter") {
        error.code = ErrorCode::InvalidValue;
        error.path = tr("filter \"%1\"").arg(m_filter);
        error.expected = tr("a BPF filter expression (see pcap-filter(7))");
    } else {
        error.code = ErrorCode::Unreadable;
        error.expected = tr("a pcap stream from cartograph-capture-helper");
    }
    return error;
}

} // namespace cartograph::capture
