#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>

namespace cartograph::capture {

struct RawPacket;

// Writes a pcapng file as packets arrive: a Section Header Block, one Interface Description
// Block (link type, snapshot length, if_name, if_tsresol = 6: microseconds) and an Enhanced
// Packet Block per frame. Blocks are gathered in memory and written to the file (write(2),
// straight to the final path, no temporary) by flush(): whatever was flushed survives a crash
// of the process, so an interrupted capture keeps everything up to its last flush. Not
// thread-safe: one thread appends and flushes.
class PcapngWriter
{
public:
    ~PcapngWriter(); // flushes what is pending and closes the file
    PcapngWriter(const PcapngWriter &) = delete;
    PcapngWriter &operator=(const PcapngWriter &) = delete;

    // Creates (or truncates) `path` and writes the section and interface headers. Errors:
    // ErrorCode::WriteFailed naming the file with the system's reason.
    static Result<std::unique_ptr<PcapngWriter>>
    create(const QString &path, int linkType, int snapshotLength, const QString &interfaceName);

    // Buffers one Enhanced Packet Block (the frame's captured bytes and wire length).
    void append(const RawPacket &packet);
    // Writes what is buffered to the file. After an error every later flush fails the same way.
    Status flush();
    // Flushes and closes; the file is complete after it (pcapng has no trailer).
    Status close();

    const QString &path() const { return m_path; }
    std::uint64_t packetsWritten() const { return m_packetsWritten; } // flushed to the file
    std::uint64_t bytesWritten() const { return m_bytesWritten; }

private:
    PcapngWriter(int fd, QString path);
    Error writeError(const QString &reason) const;

    int m_fd = -1;
    QString m_path;
    QByteArray m_pending;
    std::uint64_t m_pendingPackets = 0;
    std::uint64_t m_packetsWritten = 0;
    std::uint64_t m_bytesWritten = 0;
    std::optional<Error> m_error;
};

} // namespace cartograph::capture
