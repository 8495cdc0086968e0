#include "PcapngWriter.h"

#include "PacketSource.h"

#include <QCoreApplication>
#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace cartograph::capture {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::capture", text);
}

// pcapng block types and option codes (draft-ietf-opsawg-pcapng).
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescriptionBlock = 0x00000001;
constexpr std::uint32_t kEnhancedPacketBlock = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEndOfOptions = 0;
constexpr std::uint16_t kShbUserApplication = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfTsResolution = 9;

// Blocks are written in the host's byte order, which the Section Header's magic declares.
void put32(QByteArray &out, std::uint32_t value)
{
    out.append(reinterpret_cast<const char *>(&value), 4);
}

void put16(QByteArray &out, std::uint16_t value)
{
    out.append(reinterpret_cast<const char *>(&value), 2);
}

void pad4(QByteArray &out)
{
    while (out.size() % 4 != 0)
        out.append('\0');
}

void putOption(QByteArray &out, std::uint16_t code, const QByteArray &value)
{
    put16(out, code);
    put16(out, std::uint16_t(value.size()));
    out.append(value);
    pad4(out);
}

// Wraps a block body: type, total length, body, total length again.
QByteArray block(std::uint32_t type, const QByteArray &body)
{
    QByteArray out;
    const auto total = std::uint32_t(12 + body.size());
    put32(out, type);
    put32(out, total);
    out.append(body);
    put32(out, total);
    return out;
}

} // namespace

PcapngWriter::PcapngWriter(int fd, QString path)
    : m_fd(fd)
    , m_path(std::move(path))
{}

PcapngWriter::~PcapngWriter()
{
    if (m_fd >= 0)
        (void)close();
}

Error PcapngWriter::writeError(const QString &reason) const
{
    Error error;
    error.code = ErrorCode::WriteFailed;
    error.file = m_path;
    error.expected = tr("a writable pcapng file");
    error.detail = reason;
    return error;
}

Result<std::unique_ptr<PcapngWriter>> PcapngWriter::create(const QString &path, int linkType,
                                                           int snapshotLength,
                                                           const QString &interfaceName)
{
    const QByteArray encoded = QFile::encodeName(path);
    // Captures can hold anyone's traffic: readable by the owner only, like dumpcap's files.
    const int fd = ::open(encoded.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    std::unique_ptr<PcapngWriter> writer(new PcapngWriter(fd, path));
    if (fd < 0)
        return writer->writeError(QString::fromLocal8Bit(strerror(errno)));

    QByteArray section;
    put32(section, kByteOrderMagic);
    put16(section, 1); // version 1.0
    put16(section, 0);
    put32(section, 0xffffffffu); // section length unknown: written as we go
    put32(section, 0xffffffffu);
    putOption(section, kShbUserApplication, QByteArrayLiteral("Cartograph"));
    put32(section, kOptEndOfOptions);

    QByteArray interface;
    put16(interface, std::uint16_t(linkType));
    put16(interface, 0);
    put32(interface, std::uint32_t(snapshotLength > 0 ? snapshotLength : 0));
    if (!interfaceName.isEmpty())
        putOption(interface, kIfName, interfaceName.toUtf8());
    putOption(interface, kIfTsResolution, QByteArray(1, char(6))); // 10^-6 s
    put32(interface, kOptEndOfOptions);

    writer->m_pending = block(kSectionHeaderBlock, section);
    writer->m_pending += block(kInterfaceDescriptionBlock, interface);
    if (Status status = writer->flush(); !status)
        return status.error();
    return writer;
}

void PcapngWriter::append(const RawPacket &packet)
{
    const auto captured = std::uint32_t(packet.data.size());
    const std::uint32_t padded = (captured + 3) & ~3u;
    const std::uint32_t total = 32 + padded;
    const auto timestamp = std::uint64_t(packet.timestampUs);
    put32(m_pending, kEnhancedPacketBlock);
    put32(m_pending, total);
    put32(m_pending, 0); // interface 0
    put32(m_pending, std::uint32_t(timestamp >> 32));
    put32(m_pending, std::uint32_t(timestamp));
    put32(m_pending, captured);
    put32(m_pending, packet.wireLength);
    m_pending.append(reinterpret_cast<const char *>(packet.data.data()), qsizetype(captured));
    m_pending.append(qsizetype(padded - captured), '\0');
    put32(m_pending, total);
    ++m_pendingPackets;
}

Status PcapngWriter::flush()
{
    if (m_error)
        return *m_error;
    qsizetype offset = 0;
    while (offset < m_pending.size()) {
        const ssize_t n =
            ::write(m_fd, m_pending.constData() + offset, size_t(m_pending.size() - offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_error = writeError(QString::fromLocal8Bit(strerror(n < 0 ? errno : ENOSPC)));
            return *m_error;
        }
        offset += n;
    }
    m_bytesWritten += std::uint64_t(m_pending.size());
    m_packetsWritten += m_pendingPackets;
    m_pendingPackets = 0;
    m_pending.resize(0); // keeps its capacity for the next batch
    return Success{};
}

Status PcapngWriter::close()
{
    Status status = flush();
    if (m_fd >= 0 && ::close(m_fd) != 0 && status) {
        m_error = writeError(QString::fromLocal8Bit(strerror(errno)));
        status = *m_error;
    }
    m_fd = -1;
    return status;
}

} // namespace cartograph::capture
