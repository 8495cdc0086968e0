#include "PacketSource.h"

#include "CaptureLogging.h"
#include "VectorState.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <cerrno>
#include <cstdio>
#include <pcap/pcap.h>
#include <stdio_ext.h>
#include <unistd.h>

namespace cartograph::capture {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::capture", text);
}

QString expectedCapture()
{
    return tr("a pcap or pcapng capture file");
}

// libpcap's open errors often start with the path it was given; the Error names the file
// already, so the reason is kept without it.
QString libpcapReason(const char *errbuf, const QByteArray &encodedPath)
{
    QByteArray reason(errbuf);
    if (!encodedPath.isEmpty() && reason.startsWith(QByteArray(encodedPath + ": ")))
        reason.remove(0, encodedPath.size() + 2);
    return QString::fromLocal8Bit(reason).trimmed();
}

Error openError(ErrorCode code, const QString &name, const QString &reason)
{
    Error error;
    error.code = code;
    error.file = name;
    error.expected = expectedCapture();
    error.detail = reason;
    return error;
}

// stdio cookie functions that read a QIODevice, so libpcap's FILE-based reader can take any
// byte stream. Sequential devices (pipes, processes, sockets) are waited for when they run dry.
ssize_t readDevice(void *cookie, char *buffer, size_t size)
{
    auto *device = static_cast<QIODevice *>(cookie);
    const qint64 wanted = qint64(qMin<size_t>(size, 1 << 20));
    qint64 n = device->read(buffer, wanted);
    while (n == 0 && device->isSequential() && device->isOpen()) {
        if (!device->waitForReadyRead(-1))
            break; // closed, finished or failed: end of stream
        n = device->read(buffer, wanted);
    }
    return n < 0 ? -1 : ssize_t(n);
}

int closeDevice(void *)
{
    return 0; // the device belongs to the caller
}

} // namespace

PcapSource::PcapSource(pcap *handle, QString name)
    : m_handle(handle)
    , m_name(std::move(name))
    , m_linkType(pcap_datalink(handle))
{}

PcapSource::~PcapSource()
{
    if (m_handle)
        pcap_close(m_handle);
}

Result<std::unique_ptr<PcapSource>> PcapSource::adopt(pcap *handle, const QString &name)
{
    std::unique_ptr<PcapSource> source(new PcapSource(handle, name));
    // libpcap keeps the link-type field's upper bits apart (FCS length) but passes the reserved
    // bits 16..25 through; no DLT value uses them, so such a header is damaged, as tshark says.
    if (source->m_linkType < 0 || source->m_linkType > 0xffff) {
        return openError(ErrorCode::InvalidValue, name,
                         tr("the link-layer type field 0x%1 has reserved bits set")
                             .arg(uint(source->m_linkType), 8, 16, QLatin1Char('0')));
    }
    qCDebug(lcCapture) << "opened" << name << "link type" << source->linkTypeName() << "snaplen"
                       << source->snapshotLength();
    return source;
}

Result<std::unique_ptr<PcapSource>> PcapSource::openFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return openError(ErrorCode::FileNotFound, path, tr("No such file or directory"));
    const QByteArray encoded = QFile::encodeName(path);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    // libpcap reads a file through stdio, each record's header and data in separate freads;
    // behind stdio's default 4 KiB buffer that is a read(2) every few dozen packets, a large
    // share of a replay's time. The file is opened here with a bigger buffer instead.
    if (FILE *file = std::fopen(encoded.constData(), "rb")) {
        // One thread reads a source at a time (PacketSource's contract), so stdio's per-call
        // lock guards nothing; libpcap calls fread twice per record, and the lock's atomic
        // exchanges cost about as much as the copies.
        __fsetlocking(file, FSETLOCKING_BYCALLER);
        auto buffer = std::make_unique<char[]>(kFileReadBuffer);
        if (std::setvbuf(file, buffer.get(), _IOFBF, kFileReadBuffer) == 0) {
            if (pcap *handle = pcap_fopen_offline_with_tstamp_precision(
                    file, PCAP_TSTAMP_PRECISION_MICRO, errbuf)) {
                auto source = adopt(handle, path);
                if (source)
                    (*source)->m_readBuffer = std::move(buffer);
                return source;
            }
        }
        // Not a capture (or no buffer): libpcap's own open below says why, as it always has.
        std::fclose(file);
    }
    pcap *handle = pcap_open_offline_with_tstamp_precision(encoded.constData(),
                                                           PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!handle) {
        // A directory or a file we may not read "cannot be read"; libpcap's reason says which.
        const ErrorCode code =
            info.isDir() || !info.isReadable() ? ErrorCode::Unreadable : ErrorCode::InvalidValue;
        return openError(code, path, libpcapReason(errbuf, encoded));
    }
    return adopt(handle, path);
}

Result<std::unique_ptr<PcapSource>> PcapSource::openFd(int fd, const QString &name)
{
    const int copy = ::dup(fd);
    FILE *file = copy >= 0 ? ::fdopen(copy, "rb") : nullptr;
    if (!file) {
        const int savedErrno = errno;
        if (copy >= 0)
            ::close(copy);
        return openError(ErrorCode::Unreadable, name, QString::fromLocal8Bit(strerror(savedErrno)));
    }
    __fsetlocking(file, FSETLOCKING_BYCALLER); // see openFile()
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap *handle =
        pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!handle) {
        ::fclose(file); // libpcap leaves a FILE it could not use to the caller
        return openError(ErrorCode::InvalidValue, name, libpcapReason(errbuf, {}));
    }
    return adopt(handle, name);
}

Result<std::unique_ptr<PcapSource>> PcapSource::openDevice(QIODevice *device, const QString &name)
{
    if (!device || !device->isOpen() || !device->isReadable())
        return openError(ErrorCode::Unreadable, name, tr("the stream is not open for reading"));
    cookie_io_functions_t functions{};
    functions.read = readDevice;
    functions.close = closeDevice;
    FILE *file = ::fopencookie(device, "rb", functions);
    if (!file)
        return openError(ErrorCode::Unreadable, name, QString::fromLocal8Bit(strerror(errno)));
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap *handle =
        pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!handle) {
        ::fclose(file);
        return openError(ErrorCode::InvalidValue, name, libpcapReason(errbuf, {}));
    }
    auto source = adopt(handle, name);
    if (source)
        (*source)->m_readsDevice = true;
    return source;
}

Result<bool> PcapSource::next(RawPacket &packet)
{
    if (m_finished)
        return false;
    // libpcap and stdio copy each record with legacy SSE instructions, which run with a
    // transition penalty in a thread whose AVX upper halves something left dirty. Qt does that
    // in the CLI before the replay starts: measured, the same read loop took 3x the CPU time
    // there until the state was cleared. Cleared per packet, as a caller may run any code
    // between two packets.
    clearUpperVectorState();
    pcap_pkthdr *header = nullptr;
    const u_char *data = nullptr;
    const int rc = pcap_next_ex(m_handle, &header, &data);
    if (rc == 1) {
        packet.timestampUs = std::int64_t(header->ts.tv_sec) * 1000000 + header->ts.tv_usec;
        packet.data = std::span<const std::uint8_t>(data, data ? header->caplen : 0);
        packet.wireLength = header->len;
        packet.linkType = m_linkType;
        ++m_packets;
        return true;
    }
    m_finished = true;
    if (rc == PCAP_ERROR_BREAK)
        return false; // end of file
    Error error;
    error.code = ErrorCode::InvalidValue;
    error.file = m_name;
    error.path = tr("packet %1").arg(m_packets + 1);
    error.expected = tr("a complete pcap or pcapng record");
    error.detail = QString::fromLocal8Bit(pcap_geterr(m_handle)).trimmed();
    qCDebug(lcCapture) << "stopped reading" << m_name << "after" << m_packets
                       << "packets:" << error.detail;
    return error;
}

QString linkTypeName(int linkType)
{
    if (const char *name = pcap_datalink_val_to_name(linkType))
        return QString::fromLatin1(name);
    return QString::number(linkType);
}

QString PcapSource::linkTypeName() const
{
    return capture::linkTypeName(m_linkType);
}

int PcapSource::snapshotLength() const
{
    return pcap_snapshot(m_handle);
}

} // namespace cartograph::capture
