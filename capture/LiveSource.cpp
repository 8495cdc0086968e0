#include "LiveSource.h"

#include "CaptureLogging.h"

#include <QCoreApplication>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>

namespace cartograph::capture {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::capture", text);
}

int prefixLength(const sockaddr *netmask)
{
    if (!netmask)
        return -1;
    const auto *bytes = netmask->sa_family == AF_INET
                            ? reinterpret_cast<const std::uint8_t *>(
                                  &reinterpret_cast<const sockaddr_in *>(netmask)->sin_addr)
                            : reinterpret_cast<const std::uint8_t *>(
                                  &reinterpret_cast<const sockaddr_in6 *>(netmask)->sin6_addr);
    const int size = netmask->sa_family == AF_INET ? 4 : 16;
    int bits = 0;
    for (int i = 0; i < size; ++i)
        bits += __builtin_popcount(bytes[i]);
    return bits;
}

QString addressText(const pcap_addr *address)
{
    const sockaddr *sa = address->addr;
    if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
        return {};
    char text[INET6_ADDRSTRLEN] = {};
    const void *raw =
        sa->sa_family == AF_INET
            ? static_cast<const void *>(&reinterpret_cast<const sockaddr_in *>(sa)->sin_addr)
            : static_cast<const void *>(&reinterpret_cast<const sockaddr_in6 *>(sa)->sin6_addr);
    if (!inet_ntop(sa->sa_family, raw, text, sizeof text))
        return {};
    QString result = QString::fromLatin1(text);
    // libpcap on Linux gives IPv6 netmasks as all-zero for some kernels; only a real one counts.
    if (address->netmask && address->netmask->sa_family == sa->sa_family) {
        const int prefix = prefixLength(address->netmask);
        if (prefix > 0)
            result += u'/' + QString::number(prefix);
    }
    return result;
}

Error interfaceError(ErrorCode code, const QString &interfaceName, const QString &detail)
{
    Error error;
    error.code = code;
    error.file = interfaceName;
    error.expected = tr("a network interface to capture on (cartograph-cli interfaces lists them)");
    error.detail = detail;
    return error;
}

} // namespace

Error capturePermissionError(const QString &interfaceName, const QString &reason)
{
    Error error;
    error.code = ErrorCode::PermissionDenied;
    error.file = interfaceName;
    error.expected =
        tr("to run as root, or the capture helper installed with file capabilities: setcap "
           "cap_net_raw,cap_net_admin+eip cartograph-capture-helper");
    error.detail = reason;
    return error;
}

Result<std::vector<CaptureInterface>> listCaptureInterfaces()
{
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_if_t *devices = nullptr;
    if (pcap_findalldevs(&devices, errbuf) != 0) {
        Error error;
        error.code = ErrorCode::Unreadable;
        error.file = tr("the interface list");
        error.detail = QString::fromLocal8Bit(errbuf).trimmed();
        return error;
    }
    std::vector<CaptureInterface> interfaces;
    for (const pcap_if_t *device = devices; device; device = device->next) {
        CaptureInterface interface;
        interface.name = QString::fromLocal8Bit(device->name);
        if (device->description)
            interface.description = QString::fromLocal8Bit(device->description);
        for (const pcap_addr *address = device->addresses; address; address = address->next) {
            const QString text = addressText(address);
            if (!text.isEmpty())
                interface.addresses.append(text);
        }
        interface.up = device->flags & PCAP_IF_UP;
        interface.running = device->flags & PCAP_IF_RUNNING;
        interface.loopback = device->flags & PCAP_IF_LOOPBACK;
        interfaces.push_back(std::move(interface));
    }
    pcap_freealldevs(devices);
    return interfaces;
}

LiveSource::LiveSource(pcap *handle, LiveCaptureOptions options)
    : m_handle(handle)
    , m_options(std::move(options))
    , m_linkType(pcap_datalink(handle))
{}

LiveSource::~LiveSource()
{
    if (m_handle)
        pcap_close(m_handle);
}

Result<std::unique_ptr<LiveSource>> LiveSource::open(const LiveCaptureOptions &options)
{
    const QString &name = options.interfaceName;
    if (name.isEmpty())
        return interfaceError(ErrorCode::InvalidValue, name, tr("no interface was given"));
    const QByteArray encodedName = name.toLocal8Bit();
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap *handle = pcap_create(encodedName.constData(), errbuf);
    if (!handle)
        return interfaceError(ErrorCode::Unreadable, name,
                              QString::fromLocal8Bit(errbuf).trimmed());
    std::unique_ptr<LiveSource> source(new LiveSource(handle, options));
    // pcap_datalink is only meaningful once activated; the constructor's value is replaced below.
    pcap_set_snaplen(handle, options.snapshotLength);
    pcap_set_promisc(handle, options.promiscuous ? 1 : 0);
    pcap_set_timeout(handle, options.readTimeoutMs);
    if (options.bufferSizeBytes > 0)
        pcap_set_buffer_size(handle, options.bufferSizeBytes);
    pcap_set_immediate_mode(handle, options.immediateMode ? 1 : 0);
    pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_MICRO);

    const int rc = pcap_activate(handle);
    const QString reason = QString::fromLocal8Bit(pcap_geterr(handle)).trimmed();
    if (rc < 0) {
        const QString detail =
            reason.isEmpty() ? QString::fromLatin1(pcap_statustostr(rc)) : reason;
        switch (rc) {
        case PCAP_ERROR_PERM_DENIED:
        case PCAP_ERROR_PROMISC_PERM_DENIED:
            return capturePermissionError(name, detail);
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return interfaceError(ErrorCode::InvalidValue, name, detail);
        case PCAP_ERROR_IFACE_NOT_UP:
            return interfaceError(ErrorCode::InvalidValue, name,
                                  tr("the interface is down (ip link set %1 up)").arg(name));
        default:
            return interfaceError(ErrorCode::Unreadable, name, detail);
        }
    }
    if (rc > 0)
        source->m_warning = reason.isEmpty() ? QString::fromLatin1(pcap_statustostr(rc)) : reason;
    source->m_linkType = pcap_datalink(handle);

    if (!options.filter.isEmpty()) {
        bpf_program program{};
        const QByteArray filter = options.filter.toLocal8Bit();
        if (pcap_compile(handle, &program, filter.constData(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
            Error error;
            error.code = ErrorCode::InvalidValue;
            error.file = name;
            error.path = tr("filter \"%1\"").arg(options.filter);
            error.expected = tr("a BPF filter expression (see pcap-filter(7))");
            error.detail = QString::fromLocal8Bit(pcap_geterr(handle)).trimmed();
            return error;
        }
        const int set = pcap_setfilter(handle, &program);
        pcap_freecode(&program);
        if (set != 0) {
            Error error;
            error.code = ErrorCode::InvalidValue;
            error.file = name;
            error.path = tr("filter \"%1\"").arg(options.filter);
            error.expected = tr("a BPF filter the kernel accepts");
            error.detail = QString::fromLocal8Bit(pcap_geterr(handle)).trimmed();
            return error;
        }
    }
    qCDebug(lcCapture) << "live capture on" << name << "link type"
                       << capture::linkTypeName(source->m_linkType) << "filter" << options.filter
                       << source->m_warning;
    return source;
}

Result<LiveSource::ReadStatus> LiveSource::read(RawPacket &packet)
{
    if (m_stop.load(std::memory_order_relaxed))
        return ReadStatus::Stopped;
    pcap_pkthdr *header = nullptr;
    const u_char *data = nullptr;
    const int rc = pcap_next_ex(m_handle, &header, &data);
    if (rc == 1) {
        packet.timestampUs = std::int64_t(header->ts.tv_sec) * 1000000 + header->ts.tv_usec;
        packet.data = std::span<const std::uint8_t>(data, data ? header->caplen : 0);
        packet.wireLength = header->len;
        packet.linkType = m_linkType;
        ++m_packets;
        return ReadStatus::Packet;
    }
    if (rc == 0)
        return m_stop.load(std::memory_order_relaxed) ? ReadStatus::Stopped : ReadStatus::Timeout;
    if (rc == PCAP_ERROR_BREAK || m_stop.load(std::memory_order_relaxed))
        return ReadStatus::Stopped;
    Error error = interfaceError(ErrorCode::Unreadable, m_options.interfaceName,
                                 QString::fromLocal8Bit(pcap_geterr(m_handle)).trimmed());
    error.path = tr("packet %1").arg(m_packets + 1);
    return error;
}

namespace {

struct BatchContext
{
    const std::function<void(const RawPacket &)> *onPacket;
    int linkType;
};

void onBatchPacket(u_char *user, const pcap_pkthdr *header, const u_char *data)
{
    const auto *context = reinterpret_cast<const BatchContext *>(user);
    RawPacket packet;
    packet.timestampUs = std::int64_t(header->ts.tv_sec) * 1000000 + header->ts.tv_usec;
    packet.data = std::span<const std::uint8_t>(data, data ? header->caplen : 0);
    packet.wireLength = header->len;
    packet.linkType = context->linkType;
    (*context->onPacket)(packet);
}

} // namespace

Result<LiveSource::ReadStatus>
LiveSource::readBatch(const std::function<void(const RawPacket &)> &onPacket)
{
    if (m_stop.load(std::memory_order_relaxed))
        return ReadStatus::Stopped;
    BatchContext context{&onPacket, m_linkType};
    const int rc = pcap_dispatch(m_handle, -1, onBatchPacket, reinterpret_cast<u_char *>(&context));
    if (rc > 0) {
        m_packets += std::uint64_t(rc);
        return ReadStatus::Packet;
    }
    if (rc == 0)
        return m_stop.load(std::memory_order_relaxed) ? ReadStatus::Stopped : ReadStatus::Timeout;
    if (rc == PCAP_ERROR_BREAK || m_stop.load(std::memory_order_relaxed))
        return ReadStatus::Stopped;
    Error error = interfaceError(ErrorCode::Unreadable, m_options.interfaceName,
                                 QString::fromLocal8Bit(pcap_geterr(m_handle)).trimmed());
    error.path = tr("packet %1").arg(m_packets + 1);
    return error;
}

Result<bool> LiveSource::next(RawPacket &packet)
{
    for (;;) {
        Result<ReadStatus> status = read(packet);
        if (!status)
            return status.error();
        if (*status == ReadStatus::Packet)
            return true;
        if (*status == ReadStatus::Stopped)
            return false;
    }
}

void LiveSource::stop()
{
    m_stop.store(true, std::memory_order_relaxed);
    pcap_breakloop(m_handle);
}

Result<LiveStatistics> LiveSource::statistics()
{
    pcap_stat stat{};
    if (pcap_stats(m_handle, &stat) != 0) {
        return interfaceError(ErrorCode::Unreadable, m_options.interfaceName,
                              QString::fromLocal8Bit(pcap_geterr(m_handle)).trimmed());
    }
    // libpcap's counters are 32 bits wide and wrap on a long, busy capture: the differences
    // (mod 2^32) are added up in 64 bits.
    m_statistics.received += std::uint32_t(stat.ps_recv - m_lastStat[0]);
    m_statistics.kernelDropped += std::uint32_t(stat.ps_drop - m_lastStat[1]);
    m_statistics.interfaceDropped += std::uint32_t(stat.ps_ifdrop - m_lastStat[2]);
    m_lastStat = {stat.ps_recv, stat.ps_drop, stat.ps_ifdrop};
    return m_statistics;
}

int LiveSource::snapshotLength() const
{
    return pcap_snapshot(m_handle);
}

} // namespace cartograph::capture
