#pragma once

#include "PacketSource.h"
#include "Result.h"

#include <QString>
#include <QStringList>
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

struct pcap;

namespace cartograph::capture {

// A network interface libpcap can capture on, as pcap_findalldevs lists it.
struct CaptureInterface
{
    QString name;          // "eth0", "any", "lo"
    QString description;   // libpcap's description, often empty on Linux
    QStringList addresses; // IPv4/IPv6 addresses with prefix length: "10.0.0.1/24"
    bool up = false;
    bool running = false;
    bool loopback = false;
};

// Every interface libpcap offers (no privileges needed), in libpcap's order (the busiest
// first). Errors carry libpcap's reason.
Result<std::vector<CaptureInterface>> listCaptureInterfaces();

struct LiveCaptureOptions
{
    QString interfaceName;
    QString filter;              // BPF (pcap-filter(7)); empty: every packet
    int snapshotLength = 262144; // bytes kept per frame (tcpdump's default)
    bool promiscuous = true;
    int bufferSizeBytes = 8 << 20; // the kernel ring; 0: libpcap's default (2 MiB)
    // Deliver each packet at once. Off by default: libpcap then uses TPACKET_V3's variable-size
    // blocks, delivered at least every readTimeoutMs; in immediate mode it falls back to
    // fixed slots of snapshotLength bytes, so an 8 MiB ring holds only 32 full-size frames and
    // drops begin at a few thousand packets/s (measured by bench/bench_live.sh).
    bool immediateMode = false;
    // How long a filled-in block may wait before it is delivered. On an idle link a read may
    // block until a packet comes; stop() always wakes it.
    int readTimeoutMs = 100;
};

// Counters from pcap_stats, cumulative since the capture started.
struct LiveStatistics
{
    std::uint64_t received = 0;         // ps_recv: packets the filter accepted
    std::uint64_t kernelDropped = 0;    // ps_drop: no room in the kernel ring
    std::uint64_t interfaceDropped = 0; // ps_ifdrop: dropped by the interface or its driver
};

// The typed error a capture that lacks privileges returns: ErrorCode::PermissionDenied, whose
// `expected` names both ways out (root, or the helper with file capabilities).
Error capturePermissionError(const QString &interfaceName, const QString &reason);

// Live capture on one interface through libpcap (pcap_create + options + pcap_activate). Reads
// happen on one thread; stop() may be called from any thread and makes the reading thread's
// read() return Stopped at once (libpcap 1.10 wakes its poll through an eventfd).
// Errors of open(): ErrorCode::PermissionDenied (see capturePermissionError), InvalidValue for
// an unknown interface (detail: libpcap's reason) or a filter libpcap rejects (the path names
// the filter, the detail is libpcap's reason), Unreadable for anything else libpcap reports.
class LiveSource final : public PacketSource
{
public:
    ~LiveSource() override;
    LiveSource(const LiveSource &) = delete;
    LiveSource &operator=(const LiveSource &) = delete;

    static Result<std::unique_ptr<LiveSource>> open(const LiveCaptureOptions &options);

    enum class ReadStatus
    {
        Packet,  // `packet` is filled
        Timeout, // nothing arrived within readTimeoutMs
        Stopped, // stop() was called
    };
    // One read: a packet, a timeout (a chance to do housekeeping such as statistics), or the
    // stop. An Error means the interface went away or failed; no more packets follow.
    Result<ReadStatus> read(RawPacket &packet);

    // What the kernel ring holds now, one call of `onPacket` per frame (whose data is valid
    // during the call only): Packet when at least one came, else Timeout or Stopped. Cheaper
    // than read() per frame on a busy link: the ring is handed over a block at a time.
    Result<ReadStatus> readBatch(const std::function<void(const RawPacket &)> &onPacket);

    // PacketSource: packets until stop() (timeouts are waited through), then false.
    Result<bool> next(RawPacket &packet) override;
    QString name() const override { return m_options.interfaceName; }
    std::uint64_t packetsRead() const override { return m_packets; }

    // Thread-safe, and async-signal-safe: sets a flag and pcap_breakloop().
    void stop();
    bool isStopped() const { return m_stop.load(std::memory_order_relaxed); }

    // pcap_stats: call on the reading thread (libpcap handles are not thread-safe).
    Result<LiveStatistics> statistics();

    int linkType() const { return m_linkType; }
    int snapshotLength() const;
    const LiveCaptureOptions &options() const { return m_options; }
    // Warnings pcap_activate gave (promiscuous mode not supported, ...), empty when none.
    const QString &activationWarning() const { return m_warning; }

private:
    LiveSource(pcap *handle, LiveCaptureOptions options);

    pcap *m_handle = nullptr;
    LiveCaptureOptions m_options;
    int m_linkType = 0;
    std::uint64_t m_packets = 0;
    std::atomic_bool m_stop = false;
    QString m_warning;
    LiveStatistics m_statistics;
    std::array<std::uint32_t, 3> m_lastStat{}; // pcap_stat as last read: recv, drop, ifdrop
};

} // namespace cartograph::capture
