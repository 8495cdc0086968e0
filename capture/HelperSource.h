#pragma once

#include "LiveSource.h"
#include "PacketSource.h"
#include "Result.h"

#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <sys/types.h>

namespace cartograph::capture {

// Live capture through cartograph-capture-helper (capture/helper/CaptureHelper.cpp): the
// privileged helper opens the interface and writes pcap to a pipe, read here with
// PcapSource::openFd, so the desktop process itself needs no privilege. The helper's errors
// (permission, unknown interface, bad filter) come back as the same typed Errors LiveSource::open
// gives; its pcap_stats lines become statistics().
class HelperSource final : public PacketSource
{
public:
    ~HelperSource() override; // stops the helper and reaps it
    HelperSource(const HelperSource &) = delete;
    HelperSource &operator=(const HelperSource &) = delete;

    // Where the helper is looked for: $CARTOGRAPH_CAPTURE_HELPER, next to the running program,
    // ../libexec/cartograph/ from it, the install prefix's libexec dir, the build tree. Empty
    // when none exists.
    static QString findHelper();

    // Starts the helper and waits for its pcap header (or its error). count/seconds: 0 is
    // unlimited. Blocks until the helper opened the interface or failed.
    static Result<std::unique_ptr<HelperSource>> start(const QString &helperPath,
                                                       const LiveCaptureOptions &options,
                                                       std::uint64_t count = 0,
                                                       std::uint64_t seconds = 0);

    // Packets until the helper ends (stop(), its count or seconds, or an error it reports).
    Result<bool> next(RawPacket &packet) override;
    QString name() const override { return m_name; }
    std::uint64_t packetsRead() const override;

    // Thread-safe (and async-signal-safe): asks the helper to finish (SIGTERM); next() returns
    // false once the helper flushed what it captured.
    void stop();

    // The helper's latest pcap_stats (cumulative), read from its standard error without
    // blocking. Call on the reading thread. After next() returned false, waits for the helper to
    // exit first, so the figures are final.
    LiveStatistics statistics();

    int linkType() const;
    int snapshotLength() const;
    pid_t processId() const { return m_pid; }

private:
    HelperSource() = default;
    void readStderr(bool untilEnd);
    void reap();
    std::optional<Error> helperError() const;

    QString m_name;
    QString m_filter;
    std::unique_ptr<PcapSource> m_pcap;
    pid_t m_pid = -1;
    std::atomic_bool m_exited = false;
    int m_stderr = -1;
    QByteArray m_stderrText; // unparsed tail
    QString m_errorKind;     // from the helper's last "error" line
    QString m_errorMessage;
    LiveStatistics m_statistics;
    std::array<std::uint32_t, 3> m_lastStat{};
    std::atomic_bool m_stopped = false;
    bool m_ended = false;
};

} // namespace cartograph::capture
