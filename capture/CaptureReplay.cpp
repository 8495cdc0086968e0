#include "CaptureReplay.h"

#include "CaptureLogging.h"
#include "PacketSource.h"

#include <QFileInfo>
#include <QSaveFile>
#include <algorithm>
#include <cstdio>
#include <map>
#include <pcap/pcap.h>
#include <tuple>
#include <unistd.h>

namespace cartograph::capture {

namespace {

std::int64_t floorSecond(std::int64_t us)
{
    return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
}

// Passes packets through while noting the time range and how far into the file reading is.
// libpcap hides the file offset; a pcap record is its 16-byte header and the captured bytes,
// so their sum tracks the offset exactly for pcap and closely for pcapng.
class ObservedSource final : public PacketSource
{
public:
    ObservedSource(PacketSource &inner, qint64 fileSize, const ReplayProgress &progress)
        : m_inner(inner)
        , m_fileSize(std::max<qint64>(fileSize, 1))
        , m_progress(progress)
    {}

    Result<bool> next(RawPacket &packet) override
    {
        Result<bool> more = m_inner.next(packet);
        if (!more || !*more)
            return more;
        m_firstUs = std::min(m_firstUs, packet.timestampUs);
        m_lastUs = std::max(m_lastUs, packet.timestampUs);
        m_offset += 16 + qint64(packet.data.size());
        if (m_progress && (m_inner.packetsRead() & 0x3fff) == 0)
            m_progress(std::min(1.0, double(m_offset) / double(m_fileSize)));
        return more;
    }
    QString name() const override { return m_inner.name(); }
    std::uint64_t packetsRead() const override { return m_inner.packetsRead(); }
    // The progress callback is then called on the reading thread too.
    bool readableFromAnyThread() const override { return m_inner.readableFromAnyThread(); }

    bool sawPackets() const { return m_firstUs <= m_lastUs; }
    std::int64_t firstUs() const { return m_firstUs; }
    std::int64_t lastUs() const { return m_lastUs; }

private:
    PacketSource &m_inner;
    qint64 m_fileSize;
    qint64 m_offset = 24;
    const ReplayProgress &m_progress;
    std::int64_t m_firstUs = INT64_MAX;
    std::int64_t m_lastUs = INT64_MIN;
};

// A flow's identity as FlowTable keys it: canonical orientation (lower address and port first,
// the tunnel path turned with it), tunnel levels without key and payload.
using TunnelIdentity = std::vector<std::tuple<int, IpAddress, IpAddress, std::uint16_t>>;
using FlowIdentity = std::tuple<IpAddress, IpAddress, std::uint16_t, std::uint16_t, std::uint8_t,
                                bool, TunnelIdentity>;

FlowIdentity identityOf(const IpAddress &src, const IpAddress &dst, std::uint16_t srcPort,
                        std::uint16_t dstPort, std::uint8_t protocol, bool hasPorts,
                        const TunnelLevel *tunnels, int tunnelCount)
{
    if (!hasPorts)
        srcPort = dstPort = 0;
    const auto order = std::tie(src, srcPort) <=> std::tie(dst, dstPort);
    bool swap = order > 0;
    if (order == 0) {
        for (int i = 0; i < tunnelCount; ++i) {
            if (tunnels[i].outerSrc != tunnels[i].outerDst) {
                swap = tunnels[i].outerDst < tunnels[i].outerSrc;
                break;
            }
        }
    }
    TunnelIdentity tunnel;
    for (int i = 0; i < tunnelCount; ++i) {
        const TunnelLevel &level = tunnels[i];
        tunnel.emplace_back(int(level.type), swap ? level.outerDst : level.outerSrc,
                            swap ? level.outerSrc : level.outerDst, level.udpPort);
    }
    return swap ? FlowIdentity(dst, src, dstPort, srcPort, protocol, hasPorts, std::move(tunnel))
                : FlowIdentity(src, dst, srcPort, dstPort, protocol, hasPorts, std::move(tunnel));
}

Error writeError(const QString &path, const QString &detail)
{
    Error error;
    error.code = ErrorCode::WriteFailed;
    error.file = path;
    error.detail = detail;
    return error;
}

// The cluster endpoints of the replay's flows, by flow index.
void attribute(CaptureReplay &replay, const EndpointAttributor &attributor)
{
    replay.attributed = attributor.hasSnapshot();
    replay.endpointA.clear();
    replay.endpointB.clear();
    replay.endpointA.reserve(replay.report.flows.size());
    replay.endpointB.reserve(replay.report.flows.size());
    for (const FlowRecord &flow : replay.report.flows) {
        const auto aPort = flow.hasPorts ? std::optional<std::uint16_t>(flow.aPort) : std::nullopt;
        const auto bPort = flow.hasPorts ? std::optional<std::uint16_t>(flow.bPort) : std::nullopt;
        replay.endpointA.push_back(attributor.endpoint(flow.a, aPort, flow.protocol));
        replay.endpointB.push_back(attributor.endpoint(flow.b, bPort, flow.protocol));
    }
}

} // namespace

std::int64_t CaptureReplay::firstSecond() const
{
    return floorSecond(firstUs);
}

std::int64_t CaptureReplay::lastSecond() const
{
    return floorSecond(lastUs);
}

Result<CaptureReplay> loadCaptureReplay(const QString &path, const EndpointAttributor &attributor,
                                        AnalysisOptions options, const std::atomic_bool *cancel,
                                        const ReplayProgress &progress)
{
    auto source = PcapSource::openFile(path);
    if (!source)
        return source.error();
    options.table.secondBuckets = true;
    ObservedSource observed(**source, QFileInfo(path).size(), progress);
    Result<FlowReport> report = analyzeCapture(observed, options, cancel);
    if (!report)
        return report.error();

    CaptureReplay replay;
    replay.path = path;
    replay.linkType = (*source)->linkType();
    replay.report = std::move(report).value();
    if (observed.sawPackets()) {
        replay.firstUs = observed.firstUs();
        replay.lastUs = observed.lastUs();
    }
    attribute(replay, attributor);
    if (progress)
        progress(1.0);
    return replay;
}

CaptureReplay replayOfFlows(FlowReport report, const EndpointAttributor &attributor)
{
    std::sort(report.flows.begin(), report.flows.end(), flowRecordLess);
    CaptureReplay replay;
    replay.report = std::move(report);
    std::int64_t first = INT64_MAX;
    std::int64_t last = INT64_MIN;
    for (const FlowRecord &flow : replay.report.flows) {
        first = std::min(first, flow.firstUs);
        last = std::max(last, flow.lastUs);
    }
    if (!replay.report.flows.empty()) {
        replay.firstUs = first;
        replay.lastUs = last;
    }
    attribute(replay, attributor);
    return replay;
}

SecondSpan timelineSpan(const CaptureReplay &replay, std::int64_t positionUs, TimelineMode mode,
                        int windowSeconds)
{
    const std::int64_t to = floorSecond(positionUs);
    if (mode == TimelineMode::UpTo)
        return {replay.firstSecond(), to};
    return {to - std::max(windowSeconds, 1) + 1, to};
}

SpanTraffic flowTraffic(const FlowRecord &flow, SecondSpan span)
{
    SpanTraffic traffic;
    const auto begin = std::lower_bound(
        flow.buckets.begin(), flow.buckets.end(), span.from,
        [](const SecondBucket &bucket, std::int64_t second) { return bucket.second < second; });
    for (auto it = begin; it != flow.buckets.end() && it->second <= span.to; ++it) {
        for (int d = 0; d < 2; ++d) {
            traffic.packets[d] += it->packets[d];
            traffic.bytes[d] += it->bytes[d];
        }
    }
    return traffic;
}

QString endpointLabel(const ClusterEndpoint &endpoint, const IpAddress &address)
{
    switch (endpoint.kind) {
    case ClusterEndpoint::Kind::Pod:
    case ClusterEndpoint::Kind::Service:
        if (!endpoint.name.isEmpty())
            return endpoint.namespaceName + u'/' + endpoint.name;
        return address.toString() + QStringLiteral(" (") + endpoint.nodeName + u')';
    case ClusterEndpoint::Kind::Node:
        return endpoint.name;
    case ClusterEndpoint::Kind::External:
        break;
    }
    return address.toString();
}

std::vector<std::uint64_t> throughputPerSecond(const CaptureReplay &replay,
                                               const std::function<bool(std::size_t)> &include)
{
    std::vector<std::uint64_t> series(std::size_t(std::max<std::int64_t>(replay.secondCount(), 0)));
    const std::int64_t first = replay.firstSecond();
    const std::vector<FlowRecord> &flows = replay.flows();
    for (std::size_t i = 0; i < flows.size(); ++i) {
        if (include && !include(i))
            continue;
        for (const SecondBucket &bucket : flows[i].buckets) {
            const std::int64_t index = bucket.second - first;
            if (index >= 0 && index < std::int64_t(series.size()))
                series[std::size_t(index)] += bucket.bytes[0] + bucket.bytes[1];
        }
    }
    return series;
}

std::map<QString, std::vector<std::uint64_t>> throughputByNamespace(const CaptureReplay &replay)
{
    std::map<QString, std::vector<std::uint64_t>> series;
    const std::size_t length = std::size_t(std::max<std::int64_t>(replay.secondCount(), 0));
    const std::int64_t first = replay.firstSecond();
    const std::vector<FlowRecord> &flows = replay.flows();
    for (std::size_t i = 0; i < flows.size() && i < replay.endpointA.size(); ++i) {
        const QString &a = replay.endpointA[i].namespaceName;
        const QString &b = replay.endpointB[i].namespaceName;
        for (const QString *ns : {&a, &b}) {
            if (ns->isEmpty() || (ns == &b && b == a))
                continue;
            std::vector<std::uint64_t> &values = series[*ns];
            values.resize(length);
            for (const SecondBucket &bucket : flows[i].buckets) {
                const std::int64_t index = bucket.second - first;
                if (index >= 0 && index < std::int64_t(length))
                    values[std::size_t(index)] += bucket.bytes[0] + bucket.bytes[1];
            }
        }
    }
    return series;
}

std::vector<Talker> topTalkers(const CaptureReplay &replay, SecondSpan span, std::size_t count)
{
    std::map<QString, std::uint64_t> bytes;
    const std::vector<FlowRecord> &flows = replay.flows();
    for (std::size_t i = 0; i < flows.size() && i < replay.endpointA.size(); ++i) {
        const SpanTraffic traffic = flowTraffic(flows[i], span);
        if (traffic.totalBytes() == 0)
            continue;
        bytes[endpointLabel(replay.endpointA[i], flows[i].a)] += traffic.totalBytes();
        bytes[endpointLabel(replay.endpointB[i], flows[i].b)] += traffic.totalBytes();
    }
    std::vector<Talker> talkers;
    talkers.reserve(bytes.size());
    for (const auto &[label, total] : bytes)
        talkers.push_back({label, total});
    std::stable_sort(talkers.begin(), talkers.end(),
                     [](const Talker &l, const Talker &r) { return l.bytes > r.bytes; });
    if (talkers.size() > count)
        talkers.resize(count);
    return talkers;
}

void ReplayClock::setRange(std::int64_t firstUs, std::int64_t lastUs)
{
    m_firstUs = firstUs;
    m_lastUs = std::max(firstUs, lastUs);
    m_position = std::clamp(m_position, m_firstUs, m_lastUs);
}

void ReplayClock::seek(std::int64_t positionUs)
{
    m_position = std::clamp(positionUs, m_firstUs, m_lastUs);
}

bool ReplayClock::advance(std::int64_t wallUs)
{
    if (atEnd())
        return false;
    std::int64_t step = 0;
    if (m_speed <= AsFastAsPossible)
        step = std::max<std::int64_t>((m_lastUs - m_firstUs) / 100, 1000000);
    else
        step = std::max<std::int64_t>(std::int64_t(double(wallUs) * m_speed), 1);
    m_position = m_lastUs - m_position <= step ? m_lastUs : m_position + step;
    return !atEnd();
}

Result<PacketExportSummary> exportFlowPackets(const QString &sourcePath,
                                              const std::vector<FlowRecord> &flows,
                                              const DecodeOptions &decode, const QString &outPath,
                                              const std::atomic_bool *cancel)
{
    auto opened = PcapSource::openFile(sourcePath);
    if (!opened)
        return opened.error();
    PcapSource &source = **opened;

    // One identity may stand for several flows (an idle timeout splits a conversation): each
    // keeps its own time range.
    std::map<FlowIdentity, std::vector<std::pair<std::int64_t, std::int64_t>>> wanted;
    for (const FlowRecord &flow : flows) {
        wanted[identityOf(flow.a, flow.b, flow.aPort, flow.bPort, flow.protocol, flow.hasPorts,
                          flow.tunnel.data(), int(flow.tunnel.size()))]
            .emplace_back(flow.firstUs, flow.lastUs);
    }

    QSaveFile file(outPath);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(outPath, file.errorString());
    const int fd = ::dup(file.handle());
    FILE *stream = fd >= 0 ? ::fdopen(fd, "wb") : nullptr;
    if (!stream) {
        if (fd >= 0)
            ::close(fd);
        file.cancelWriting();
        return writeError(outPath, QStringLiteral("cannot open a stream on the file"));
    }
    pcap_t *dead = pcap_open_dead(source.linkType(), std::max(source.snapshotLength(), 65535));
    pcap_dumper_t *dumper = dead ? pcap_dump_fopen(dead, stream) : nullptr;
    if (!dumper) {
        const QString reason = dead ? QString::fromLocal8Bit(pcap_geterr(dead))
                                    : QStringLiteral("libpcap could not start a dump");
        std::fclose(stream);
        if (dead)
            pcap_close(dead);
        file.cancelWriting();
        return writeError(outPath, reason);
    }
    const auto finish = [&] {
        pcap_dump_close(dumper); // closes the stream too
        pcap_close(dead);
    };

    const PacketDecoder decoder(decode);
    DecodedPacket decoded;
    RawPacket packet;
    PacketExportSummary summary;
    for (;;) {
        Result<bool> more = source.next(packet);
        if (!more) {
            summary.readError = more.error();
            break;
        }
        if (!*more)
            break;
        ++summary.packetsRead;
        if ((summary.packetsRead & 0xfff) == 0 && cancel && cancel->load()) {
            finish();
            file.cancelWriting();
            Error error;
            error.code = ErrorCode::Cancelled;
            error.file = sourcePath;
            return error;
        }
        decoder.decode(packet, decoded);
        if (decoded.kind != DecodedPacket::Kind::Ip)
            continue;
        const auto it = wanted.find(identityOf(decoded.src, decoded.dst, decoded.srcPort,
                                               decoded.dstPort, decoded.protocol, decoded.hasPorts,
                                               decoded.tunnels.data(), decoded.tunnelCount));
        if (it == wanted.end())
            continue;
        const bool inRange = std::any_of(it->second.begin(), it->second.end(), [&](const auto &r) {
            return packet.timestampUs >= r.first && packet.timestampUs <= r.second;
        });
        if (!inRange)
            continue;
        pcap_pkthdr header{};
        header.ts.tv_sec = time_t(floorSecond(packet.timestampUs));
        header.ts.tv_usec =
            suseconds_t(packet.timestampUs - floorSecond(packet.timestampUs) * 1000000);
        header.caplen = bpf_u_int32(packet.data.size());
        header.len = packet.wireLength;
        pcap_dump(reinterpret_cast<u_char *>(dumper), &header, packet.data.data());
        ++summary.packetsWritten;
    }
    const bool flushed = pcap_dump_flush(dumper) == 0;
    finish();
    if (!flushed) {
        file.cancelWriting();
        return writeError(outPath, QStringLiteral("could not write the packets"));
    }
    if (!file.commit())
        return writeError(outPath, file.errorString());
    qCDebug(lcCapture) << "exported" << summary.packetsWritten << "of" << summary.packetsRead
                       << "packets to" << outPath;
    return summary;
}

} // namespace cartograph::capture
