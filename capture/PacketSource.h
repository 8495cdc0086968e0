#pragma once

#include "Result.h"

#include <QString>
#include <cstdint>
#include <memory>
#include <span>

class QIODevice;
struct pcap; // pcap_t; pcap.h stays out of the public headers

namespace cartograph::capture {

// One captured frame, as a source hands it over. `data` stays valid until the next call to
// next() on the same source (libpcap reuses its buffer).
struct RawPacket
{
    std::int64_t timestampUs = 0;       // microseconds since the Unix epoch (UTC)
    std::span<const std::uint8_t> data; // the captured bytes (pcap caplen; may be 0)
    std::uint32_t wireLength = 0;       // the frame's length on the wire (pcap len)
    int linkType = 0;                   // libpcap's DLT_* value for this frame
};

// libpcap's name for a DLT_* value ("EN10MB", "LINUX_SLL2"), or the number.
QString linkTypeName(int linkType);

// Every way packets come in (file, byte stream, later live interfaces and node agents) looks
// the same downstream: a sequence of RawPackets that ends, or stops at an error.
class PacketSource
{
public:
    virtual ~PacketSource() = default;

    // true with `packet` filled; false at the clean end of the stream. An Error means the stream
    // is damaged or unreadable from here on: the packets returned before it are good, no more
    // follow. The Error names the source and the packet number where reading stopped.
    virtual Result<bool> next(RawPacket &packet) = 0;

    // The file or stream name messages use.
    virtual QString name() const = 0;
    // Frames returned so far.
    virtual std::uint64_t packetsRead() const = 0;
    // Whether next() may be called on a thread other than the one that opened the source (one
    // thread at a time): replayCapture then reads on a thread of its own.
    virtual bool readableFromAnyThread() const { return false; }
};

// A capture read through libpcap: pcap and pcapng (incl. nanosecond pcap; timestamps are
// delivered in microseconds). libpcap 1.10 reports one link-layer type per file: a pcapng whose
// interfaces (IDBs) differ in link type or snapshot length is read up to the first block of the
// odd interface, where libpcap stops with "an interface has a type ... different from the type
// of the first interface"; that surfaces as the Error of next() after the packets before it.
class PcapSource final : public PacketSource
{
public:
    static constexpr std::size_t kFileReadBuffer = 1 << 20; // stdio buffer for capture files

    ~PcapSource() override;
    PcapSource(const PcapSource &) = delete;
    PcapSource &operator=(const PcapSource &) = delete;

    // A pcap or pcapng file. Errors name the file and carry libpcap's reason: no such file, a
    // directory, permission denied, not a capture ("unknown file format"), a bad header
    // (unsupported version, reserved link-type bits).
    static Result<std::unique_ptr<PcapSource>> openFile(const QString &path);
    // A pcap/pcapng byte stream on a file descriptor (a pipe from a privileged helper or a node
    // agent). The descriptor is duplicated; the caller keeps and closes its own.
    static Result<std::unique_ptr<PcapSource>> openFd(int fd, const QString &name);
    // A pcap/pcapng byte stream from a QIODevice that is already open for reading (a QBuffer,
    // QFile, QProcess or network reply). Sequential devices are waited for (blocking) when they
    // run dry; the device must outlive the source and live on the calling thread.
    static Result<std::unique_ptr<PcapSource>> openDevice(QIODevice *device, const QString &name);

    Result<bool> next(RawPacket &packet) override;
    QString name() const override { return m_name; }
    std::uint64_t packetsRead() const override { return m_packets; }
    // Files and descriptors: yes; a QIODevice belongs to its thread.
    bool readableFromAnyThread() const override { return !m_readsDevice; }

    // The link-layer type libpcap reports for the whole capture (DLT_*), its name, and the
    // snapshot length from the file header.
    int linkType() const { return m_linkType; }
    QString linkTypeName() const;
    int snapshotLength() const;

private:
    PcapSource(pcap *handle, QString name);
    static Result<std::unique_ptr<PcapSource>> adopt(pcap *handle, const QString &name);

    pcap *m_handle = nullptr;
    std::unique_ptr<char[]> m_readBuffer; // stdio buffer of an opened file; outlives pcap_close
    QString m_name;
    int m_linkType = 0;
    std::uint64_t m_packets = 0;
    bool m_finished = false;
    bool m_readsDevice = false;
};

} // namespace cartograph::capture
