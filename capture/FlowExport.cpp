#include "FlowExport.h"

#include "PacketSource.h"

#include <QIODevice>
#include <arpa/inet.h>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace cartograph::capture {

QString ipProtocolName(std::uint8_t protocol)
{
    switch (protocol) {
    case 1:
        return QStringLiteral("ICMP");
    case 6:
        return QStringLiteral("TCP");
    case 17:
        return QStringLiteral("UDP");
    case 58:
        return QStringLiteral("ICMPv6");
    case 132:
        return QStringLiteral("SCTP");
    default:
        return {};
    }
}

QString formatTimestampUs(std::int64_t microseconds)
{
    std::int64_t seconds = microseconds / 1000000;
    std::int64_t fraction = microseconds % 1000000;
    if (fraction < 0) {
        fraction += 1000000;
        seconds -= 1;
    }
    const std::time_t time = std::time_t(seconds);
    std::tm parts{};
    if (!gmtime_r(&time, &parts))
        return {};
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.tm_year + 1900,
                  parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                  int(fraction));
    return QString::fromLatin1(text);
}

namespace {

// Calls fn(name, first) for each TCP flag set, in the order the exports list them; `first`
// for the first of them (the lists join the names with separators).
template <typename Fn> void forEachTcpFlagName(std::uint8_t flags, Fn fn)
{
    bool first = true;
    for (const auto &[bit, name] :
         {std::pair<std::uint8_t, std::string_view>{0x02, "SYN"}, {0x01, "FIN"}, {0x04, "RST"}}) {
        if (flags & bit) {
            fn(name, first);
            first = false;
        }
    }
}

} // namespace

QStringList tcpFlagNames(std::uint8_t flags)
{
    QStringList names;
    forEachTcpFlagName(flags, [&](std::string_view name, bool /*first*/) {
        names.append(QString::fromLatin1(name.data(), qsizetype(name.size())));
    });
    return names;
}

namespace {

// The export is written straight into bytes: a million flows made through QString and
// QByteArray::number would allocate a dozen times per flow and cost several times the replay.
// Text that cannot need escaping (addresses, numbers, timestamps, fixed names) is appended as it
// is; names from the snapshot go through the escaping path.
class TextOut
{
public:
    // Appends to `bytes`, or with a device, writes to it whenever the buffer is full.
    explicit TextOut(QByteArray &bytes, QIODevice *device = nullptr)
        : m_bytes(bytes)
        , m_device(device)
    {}
    TextOut(const TextOut &) = delete;
    TextOut &operator=(const TextOut &) = delete;

    void raw(std::string_view text)
    {
        if (text.size() > sizeof m_buffer - m_used) {
            drain();
            if (text.size() > sizeof m_buffer) {
                deliver(text.data(), text.size());
                return;
            }
        }
        std::memcpy(m_buffer + m_used, text.data(), text.size());
        m_used += text.size();
    }
    void raw(char c)
    {
        *room(1) = c;
        ++m_used;
    }
    // A string literal: its length is known when compiling, so the copy is a few stores rather
    // than a call (a million flows are several hundred million bytes of literals).
    template <std::size_t N> void literal(const char (&text)[N])
    {
        static_assert(N > 1 && N <= 256);
        Q_ASSERT(text[N - 1] == '\0' && std::strlen(text) == N - 1); // a literal, not a buffer
        std::memcpy(room(N - 1), text, N - 1);
        m_used += N - 1;
    }
    void number(std::uint64_t value) { formatNumber(value); }
    void number(std::int64_t value) { formatNumber(value); }
    // As IpAddress::toString() writes it (inet_ntop's forms).
    void address(const IpAddress &address)
    {
        char *const start = room(INET6_ADDRSTRLEN);
        char *at = start;
        if (address.isV4()) {
            const std::uint32_t v4 = address.v4();
            for (int shift = 24; shift >= 0; shift -= 8) {
                const unsigned octet = (v4 >> shift) & 0xffu;
                if (octet >= 100)
                    *at++ = char('0' + octet / 100);
                if (octet >= 10)
                    *at++ = char('0' + octet / 10 % 10);
                *at++ = char('0' + octet % 10);
                if (shift > 0)
                    *at++ = '.';
            }
        } else if (address.isV6()) {
            if (inet_ntop(AF_INET6, address.bytes().data(), start, INET6_ADDRSTRLEN))
                at += std::strlen(start);
        }
        m_used += std::size_t(at - start);
    }
    // Where the next `size` bytes (at most the buffer's size) can be written straight into the
    // buffer; advance() then says how many were.
    char *room(std::size_t size)
    {
        Q_ASSERT(size <= sizeof m_buffer);
        if (size > sizeof m_buffer - m_used)
            drain();
        return m_buffer + m_used;
    }
    void advance(std::size_t size)
    {
        Q_ASSERT(size <= sizeof m_buffer - m_used);
        m_used += size;
    }

    // Everything written so far goes out; false once a write to the device failed.
    bool flush()
    {
        drain();
        return !m_failed;
    }

private:
    void drain()
    {
        deliver(m_buffer, m_used);
        m_used = 0;
    }
    void deliver(const char *data, std::size_t size)
    {
        if (size == 0 || m_failed)
            return; // after a failed write, the rest would only fail too
        if (!m_device)
            m_bytes.append(data, qsizetype(size));
        else if (m_device->write(data, qint64(size)) != qint64(size))
            m_failed = true;
    }

    static constexpr std::size_t kNumberRoom = 24; // the longest 64-bit number and a sign
    template <typename Integer> void formatNumber(Integer value)
    {
        char *at = room(kNumberRoom);
        m_used = std::size_t(std::to_chars(at, at + kNumberRoom, value).ptr - m_buffer);
    }

    QByteArray &m_bytes;
    QIODevice *m_device;
    bool m_failed = false;
    std::size_t m_used = 0;
    char m_buffer[64 * 1024];
};

// formatTimestampUs() into bytes; consecutive flows mostly share their second, whose calendar
// text is kept.
class TimestampText
{
public:
    void write(TextOut &out, std::int64_t microseconds)
    {
        std::int64_t seconds = microseconds / 1000000;
        std::int64_t fraction = microseconds % 1000000;
        if (fraction < 0) {
            fraction += 1000000;
            seconds -= 1;
        }
        if (!m_cached || seconds != m_second) {
            m_cached = true;
            m_second = seconds;
            m_length = 0;
            const std::time_t time = std::time_t(seconds);
            std::tm parts{};
            if (gmtime_r(&time, &parts)) {
                const int n =
                    std::snprintf(m_prefix, sizeof m_prefix, "%04d-%02d-%02dT%02d:%02d:%02d",
                                  parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                                  parts.tm_hour, parts.tm_min, parts.tm_sec);
                m_length = n > 0 ? std::min<int>(n, int(sizeof m_prefix) - 1) : 0;
            }
        }
        if (m_length == 0)
            return; // formatTimestampUs() gives an empty string then
        char *at = out.room(sizeof m_prefix + 8);
        std::memcpy(at, m_prefix, sizeof m_prefix); // whole: a fixed-size copy is a few stores
        at += m_length;
        char tail[8] = {'.', '0', '0', '0', '0', '0', '0', 'Z'};
        for (int i = 6; i >= 1 && fraction > 0; --i, fraction /= 10)
            tail[i] = char('0' + fraction % 10);
        std::memcpy(at, tail, sizeof tail);
        out.advance(std::size_t(m_length) + sizeof tail);
    }

private:
    bool m_cached = false;
    std::int64_t m_second = 0;
    char m_prefix[48] = {};
    int m_length = 0;
};

const char *protocolName(std::uint8_t protocol)
{
    switch (protocol) {
    case 1:
        return "ICMP";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 58:
        return "ICMPv6";
    case 132:
        return "SCTP";
    default:
        return nullptr;
    }
}

class JsonOut
{
public:
    explicit JsonOut(TextOut &out)
        : m_out(out)
    {}

    void raw(std::string_view text) { m_out.raw(text); }
    template <std::size_t N> void literal(const char (&text)[N]) { m_out.literal(text); }
    // A string that needs no escaping (ASCII, no quotes, backslashes or control characters).
    void plain(std::string_view text)
    {
        m_out.raw('"');
        m_out.raw(text);
        m_out.raw('"');
    }
    template <std::size_t N> void plain(const char (&text)[N])
    {
        m_out.raw('"');
        m_out.literal(text);
        m_out.raw('"');
    }
    // One of the fixed names (tunnel types, payloads, endpoint kinds): ASCII that needs no
    // escaping, copied without the escaping path's per-character tests.
    void name(QStringView text)
    {
        const auto size = std::size_t(text.size());
        if (size + 2 > 256) {
            string(text);
            return;
        }
        char *const start = m_out.room(size + 2);
        char *at = start;
        *at++ = '"';
        for (const QChar c : text) {
            Q_ASSERT(c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\');
            *at++ = char(c.unicode());
        }
        *at++ = '"';
        m_out.advance(std::size_t(at - start));
    }
    void string(const QString &text) { string(QStringView(text)); }
    void string(QStringView text)
    {
        m_out.raw('"');
        for (QChar c : text) {
            const char16_t u = c.unicode();
            switch (u) {
            case u'"':
                m_out.raw("\\\"");
                break;
            case u'\\':
                m_out.raw("\\\\");
                break;
            case u'\n':
                m_out.raw("\\n");
                break;
            case u'\r':
                m_out.raw("\\r");
                break;
            case u'\t':
                m_out.raw("\\t");
                break;
            default:
                if (u < 0x20) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(u));
                    m_out.raw(escape);
                } else if (u < 0x80) {
                    m_out.raw(char(u));
                } else {
                    const QByteArray utf8 = QString(c).toUtf8();
                    m_out.raw(std::string_view(utf8.constData(), std::size_t(utf8.size())));
                }
            }
        }
        m_out.raw('"');
    }
    void stringOrNull(const QString &text)
    {
        if (text.isEmpty())
            raw("null");
        else
            string(text);
    }
    void number(std::uint64_t value) { m_out.number(value); }
    void number(std::int64_t value) { m_out.number(value); }
    void address(const IpAddress &address)
    {
        m_out.raw('"');
        m_out.address(address);
        m_out.raw('"');
    }
    void timestamp(TimestampText &text, std::int64_t microseconds)
    {
        m_out.raw('"');
        text.write(m_out, microseconds);
        m_out.raw('"');
    }
    // `"name": `, and with nextKey() the ", " before it.
    template <std::size_t N> void key(const char (&name)[N])
    {
        m_out.raw('"');
        m_out.literal(name);
        m_out.literal("\": ");
    }
    template <std::size_t N> void nextKey(const char (&name)[N])
    {
        m_out.literal(", \"");
        m_out.literal(name);
        m_out.literal("\": ");
    }

private:
    TextOut &m_out;
};

void writeEndpoint(JsonOut &json, const EndpointAttributor &attributor, const IpAddress &address,
                   const FlowRecord &flow, std::uint16_t port)
{
    json.literal("{\"ip\": ");
    json.address(address);
    json.nextKey("port");
    if (flow.hasPorts)
        json.number(std::uint64_t(port));
    else
        json.literal("null");
    json.nextKey("endpoint");
    if (!attributor.hasSnapshot()) {
        json.literal("null}");
        return;
    }
    const ClusterEndpoint endpoint = attributor.endpoint(
        address, flow.hasPorts ? std::optional<std::uint16_t>(port) : std::nullopt, flow.protocol);
    json.literal("{\"kind\": ");
    json.name(clusterEndpointKindName(endpoint.kind));
    json.nextKey("namespace");
    json.stringOrNull(endpoint.namespaceName);
    json.nextKey("name");
    json.stringOrNull(endpoint.name);
    if (endpoint.kind == ClusterEndpoint::Kind::Pod && !endpoint.nodeName.isEmpty()) {
        json.nextKey("node");
        json.string(endpoint.nodeName);
    }
    json.literal("}}");
}

void writeTunnel(JsonOut &json, const EndpointAttributor &attributor, const FlowRecord &flow,
                 std::size_t index)
{
    const std::vector<TunnelLevel> &levels = flow.tunnel;
    const TunnelLevel &level = levels[index];
    json.literal("{\"type\": ");
    json.name(tunnelTypeName(level.type));
    json.nextKey("vni");
    if (level.hasKey)
        json.number(std::uint64_t(level.key));
    else
        json.literal("null");
    if (index < flow.tunnelBa.size()) {
        const TunnelLevel &reverse = flow.tunnelBa[index];
        if (reverse.hasKey != level.hasKey || reverse.key != level.key) {
            json.nextKey("vni_ba");
            if (reverse.hasKey)
                json.number(std::uint64_t(reverse.key));
            else
                json.literal("null");
        }
    }
    json.nextKey("outer_a");
    json.address(level.outerSrc);
    json.nextKey("outer_b");
    json.address(level.outerDst);
    json.nextKey("port");
    if (level.udpPort != 0)
        json.number(std::uint64_t(level.udpPort));
    else
        json.literal("null");
    if (attributor.hasSnapshot()) {
        json.nextKey("outer_a_node");
        json.stringOrNull(attributor.nodeName(level.outerSrc));
        json.nextKey("outer_b_node");
        json.stringOrNull(attributor.nodeName(level.outerDst));
    } else {
        json.literal(", \"outer_a_node\": null, \"outer_b_node\": null");
    }
    json.nextKey("payload");
    json.name(tunnelPayloadName(level.payload));
    if (index + 1 < levels.size()) {
        json.nextKey("inner");
        writeTunnel(json, attributor, flow, index + 1);
    }
    json.literal("}");
}

// The text of flows' one-level tunnels, kept by the thread that writes them: a million
// tunnelled flows cross a few thousand node pairs' tunnels, and each pair's flows share the
// text (two addresses, two node lookups with a snapshot), a third of a flow's.
class TunnelTextCache
{
public:
    void write(JsonOut &json, const EndpointAttributor &attributor, const FlowRecord &flow)
    {
        // Deeper tunnels and per-direction VNIs are rare: written each time.
        if (flow.tunnel.size() != 1 || !flow.tunnelBa.empty()) {
            writeTunnel(json, attributor, flow, 0);
            return;
        }
        const TunnelLevel &level = flow.tunnel.front();
        if (m_entries.empty()) {
            m_entries.resize(kEntries);
            m_scratchOut = std::make_unique<TextOut>(m_scratch);
        }
        Entry &entry = m_entries[hashOf(level) & (kEntries - 1)];
        if (!entry.used || !(entry.level == level)) {
            JsonOut scratch(*m_scratchOut);
            writeTunnel(scratch, attributor, flow, 0);
            m_scratchOut->flush();
            entry.text.assign(m_scratch.constData(), std::size_t(m_scratch.size()));
            m_scratch.resize(0); // keeps the capacity
            entry.level = level;
            entry.used = true;
        }
        json.raw(entry.text);
    }

private:
    static constexpr std::size_t kEntries = 4096; // direct-mapped
    struct Entry
    {
        TunnelLevel level;
        bool used = false;
        std::string text;
    };
    static std::uint64_t mix(std::uint64_t value) // MurmurHash3's finalizer
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccdull;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53ull;
        return value ^ value >> 33;
    }
    static std::uint64_t hashOf(const TunnelLevel &level)
    {
        const auto words = [](const IpAddress &address) {
            std::uint64_t high = 0;
            std::uint64_t low = 0;
            std::memcpy(&high, address.bytes().data(), sizeof high);
            std::memcpy(&low, address.bytes().data() + 8, sizeof low);
            return mix(high ^ mix(low));
        };
        return mix(words(level.outerSrc) ^
                   mix(words(level.outerDst) ^ std::uint64_t(level.key) << 24 ^
                       std::uint64_t(level.udpPort) << 8 ^ std::uint64_t(level.type)));
    }

    std::vector<Entry> m_entries; // allocated for the first tunnelled flow
    QByteArray m_scratch;
    std::unique_ptr<TextOut> m_scratchOut; // its buffer is too big for the stack
};

// What a thread writing flows keeps from one flow to the next.
struct FlowTextCaches
{
    TimestampText first;
    TimestampText last;
    TunnelTextCache tunnels;
};

void writeFlow(JsonOut &json, const FlowRecord &flow, const EndpointAttributor &attributor,
               const FlowExportOptions &options, FlowTextCaches &caches)
{
    switch (flow.protocol) { // protocolName()'s names, written as literals
    case 6:
        json.literal("{\"protocol\": \"TCP\"");
        break;
    case 17:
        json.literal("{\"protocol\": \"UDP\"");
        break;
    default:
        json.literal("{\"protocol\": ");
        if (const char *name = protocolName(flow.protocol))
            json.plain(name);
        else
            json.number(std::uint64_t(flow.protocol));
    }
    json.nextKey("a");
    writeEndpoint(json, attributor, flow.a, flow, flow.aPort);
    json.nextKey("b");
    writeEndpoint(json, attributor, flow.b, flow, flow.bPort);
    json.nextKey("packets_ab");
    json.number(flow.packetsAb);
    json.nextKey("bytes_ab");
    json.number(flow.bytesAb);
    json.nextKey("packets_ba");
    json.number(flow.packetsBa);
    json.nextKey("bytes_ba");
    json.number(flow.bytesBa);
    json.nextKey("first");
    json.timestamp(caches.first, flow.firstUs);
    json.nextKey("last");
    json.timestamp(caches.last, flow.lastUs);
    json.nextKey("tunnel");
    if (flow.tunnel.empty())
        json.literal("null");
    else
        caches.tunnels.write(json, attributor, flow);
    json.nextKey("tcp_flags");
    if (flow.protocol == 6) {
        json.literal("[");
        forEachTcpFlagName(flow.tcpFlags, [&](std::string_view name, bool first) {
            if (!first)
                json.literal(", ");
            json.plain(name);
        });
        json.literal("]");
    } else {
        json.literal("null");
    }
    if (flow.end != FlowRecord::End::Active) {
        json.nextKey("ended");
        json.plain(flow.end == FlowRecord::End::IdleTimeout ? "idle-timeout" : "evicted");
    }
    if (options.secondBuckets) {
        json.nextKey("buckets");
        json.literal("[");
        for (std::size_t i = 0; i < flow.buckets.size(); ++i) {
            const SecondBucket &bucket = flow.buckets[i];
            if (i > 0)
                json.literal(", ");
            json.literal("[");
            json.number(bucket.second);
            for (int direction = 0; direction < 2; ++direction) {
                json.literal(", ");
                json.number(std::uint64_t(bucket.packets[direction]));
                json.literal(", ");
                json.number(bucket.bytes[direction]);
            }
            json.literal("]");
        }
        json.literal("]");
    }
    json.literal("}");
}

bool noFlows(const std::vector<FlowRecord> &flows)
{
    return flows.empty();
}
bool noFlows(const FlowResults &results)
{
    return results.size() == 0;
}

// Writes the flows of a FlowReport or a FlowResults in report order, each through
// writeOne(out, flow, caches, first), `first` for the report's first flow.
template <typename WriteOne>
void writeFlows(TextOut &out, const std::vector<FlowRecord> &flows, WriteOne writeOne)
{
    FlowTextCaches caches;
    for (std::size_t i = 0; i < flows.size(); ++i)
        writeOne(out, flows[i], caches, i == 0);
}

// A FlowResults' flows are formatted in runs on worker threads (at a million flows, formatting
// was a third of `cartograph-cli flows`' time) and written in report order as the runs are done.
// At most two runs per worker wait formatted (about 3 MB each), whatever the number of flows.
// The text is the same as one thread's.
template <typename WriteOne>
void writeFlows(TextOut &out, const FlowResults &results, WriteOne writeOne)
{
    constexpr std::size_t kFlowsPerRun = 8192;
    const unsigned workers = std::min(4u, std::thread::hardware_concurrency());
    const std::vector<FlowResults::Run> runs =
        workers >= 2 ? results.runs(kFlowsPerRun) : std::vector<FlowResults::Run>();
    if (runs.size() < 2) {
        FlowTextCaches caches;
        bool first = true;
        results.forEach([&](const FlowRecord &flow) {
            writeOne(out, flow, caches, first);
            first = false;
        });
        return;
    }

    struct Part
    {
        QByteArray text;
        bool done = false;
    };
    std::vector<Part> parts(runs.size());
    // Buffers written out, kept for the next runs: fresh ones would cost page faults for every
    // run (glibc maps and unmaps allocations this big).
    std::vector<QByteArray> spare;
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t nextRun = 0;
    std::size_t written = 0;
    const std::size_t ahead = 2 * std::size_t(workers); // runs formatted and not yet written
    const auto work = [&] {
        FlowTextCaches caches;
        for (;;) {
            std::size_t run = 0;
            QByteArray text;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock,
                             [&] { return nextRun >= runs.size() || nextRun < written + ahead; });
                if (nextRun >= runs.size())
                    return;
                run = nextRun++;
                if (!spare.empty()) {
                    text = std::move(spare.back());
                    spare.pop_back();
                }
            }
            {
                const auto runOut = std::make_unique<TextOut>(text); // too big for the stack
                bool first = run == 0;
                results.forEachIn(runs[run], [&](const FlowRecord &flow) {
                    writeOne(*runOut, flow, caches, first);
                    first = false;
                });
                runOut->flush();
            }
            {
                const std::lock_guard lock(mutex);
                parts[run].text = std::move(text);
                parts[run].done = true;
            }
            changed.notify_all();
        }
    };
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < workers; ++i)
        threads.emplace_back(work);
    for (Part &part : parts) {
        QByteArray text;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return part.done; });
            text = std::move(part.text);
        }
        out.raw(std::string_view(text.constData(), std::size_t(text.size())));
        text.resize(0); // keeps the capacity
        {
            const std::lock_guard lock(mutex);
            ++written;
            spare.push_back(std::move(text));
        }
        changed.notify_all();
    }
    for (std::thread &thread : threads)
        thread.join();
}

template <typename Flows>
void writeReport(TextOut &out, const Flows &flows, const CaptureSummary &summary,
                 const EndpointAttributor &attributor, const FlowExportOptions &options)
{
    JsonOut json(out);
    json.literal("{\n  \"flows\": [");
    const auto writeOne = [&](TextOut &to, const FlowRecord &flow, FlowTextCaches &caches,
                              bool first) {
        JsonOut flowJson(to);
        if (first)
            flowJson.literal("\n    ");
        else
            flowJson.literal(",\n    ");
        writeFlow(flowJson, flow, attributor, options, caches);
    };
    writeFlows(out, flows, writeOne);
    if (noFlows(flows))
        json.literal("],\n");
    else
        json.literal("\n  ],\n");

    json.literal("  \"summary\": {");
    json.key("packets");
    json.number(summary.packets);
    json.nextKey("bytes");
    json.number(summary.bytes);
    json.nextKey("flows");
    json.number(summary.flows);
    json.nextKey("ip_packets");
    json.number(summary.ipPackets);
    json.nextKey("malformed");
    json.literal("{");
    bool first = true;
    for (int reason = 0; reason < kMalformedReasonCount; ++reason) {
        if (summary.malformed[size_t(reason)] == 0)
            continue;
        if (!first)
            json.literal(", ");
        first = false;
        json.string(malformedReasonName(MalformedReason(reason)));
        json.literal(": ");
        json.number(summary.malformed[size_t(reason)]);
    }
    json.literal("}, ");
    json.key("undecodable");
    json.number(summary.undecodable);
    json.nextKey("non_ip");
    json.number(summary.nonIp);
    json.nextKey("evicted");
    json.number(summary.evicted);
    json.nextKey("expired");
    json.number(summary.expired);
    json.nextKey("link_types");
    json.literal("{");
    first = true;
    for (const auto &[linkType, count] : summary.linkTypes) {
        if (!first)
            json.literal(", ");
        first = false;
        json.string(linkTypeName(linkType));
        json.literal(": ");
        json.number(count);
    }
    json.literal("}, ");
    json.key("read_error");
    if (summary.readError)
        json.string(describe(*summary.readError));
    else
        json.literal("null");
    if (summary.dropped) {
        json.nextKey("dropped");
        json.literal("{\"total\": ");
        json.number(summary.dropped->total());
        json.nextKey("kernel");
        json.number(summary.dropped->kernel);
        json.nextKey("interface");
        json.number(summary.dropped->interface);
        json.nextKey("queue");
        json.number(summary.dropped->queue);
        json.literal("}");
    }
    json.literal("}\n}\n");
}

// RFC 4180 quoting, for the fields that can hold any text (names from the snapshot).
void csvField(TextOut &out, const QString &text)
{
    QByteArray field;
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r')) {
        field = text.toUtf8();
    } else {
        QString quoted = text;
        quoted.replace(u'"', QStringLiteral("\"\""));
        field = (u'"' + quoted + u'"').toUtf8();
    }
    out.raw(std::string_view(field.constData(), std::size_t(field.size())));
}

template <typename Flows>
void writeCsv(TextOut &out, const Flows &flows, const EndpointAttributor &attributor)
{
    out.raw("protocol,a_ip,a_port,a_kind,a_namespace,a_name,b_ip,b_port,b_kind,b_namespace,b_name,"
            "packets_ab,bytes_ab,packets_ba,bytes_ba,first,last,tunnel_type,tunnel_vni,"
            "tunnel_outer_a,tunnel_outer_b,tunnel_port,tcp_flags\n");
    const auto writeRow = [&](TextOut &to, const FlowRecord &flow, FlowTextCaches &caches,
                              bool /*first*/) {
        if (const char *name = protocolName(flow.protocol))
            to.raw(name);
        else
            to.number(std::uint64_t(flow.protocol));
        for (int side = 0; side < 2; ++side) {
            const IpAddress &address = side == 0 ? flow.a : flow.b;
            const std::uint16_t port = side == 0 ? flow.aPort : flow.bPort;
            to.raw(',');
            to.address(address);
            to.raw(',');
            if (flow.hasPorts)
                to.number(std::uint64_t(port));
            if (attributor.hasSnapshot()) {
                const ClusterEndpoint endpoint = attributor.endpoint(
                    address, flow.hasPorts ? std::optional<std::uint16_t>(port) : std::nullopt,
                    flow.protocol);
                to.raw(',');
                csvField(to, clusterEndpointKindName(endpoint.kind));
                to.raw(',');
                csvField(to, endpoint.namespaceName);
                to.raw(',');
                csvField(to, endpoint.name);
            } else {
                to.literal(",,,");
            }
        }
        for (const std::uint64_t count :
             {flow.packetsAb, flow.bytesAb, flow.packetsBa, flow.bytesBa}) {
            to.raw(',');
            to.number(count);
        }
        to.raw(',');
        caches.first.write(to, flow.firstUs);
        to.raw(',');
        caches.last.write(to, flow.lastUs);
        if (flow.tunnel.empty()) {
            to.literal(",,,,,");
        } else {
            to.raw(',');
            for (std::size_t i = 0; i < flow.tunnel.size(); ++i) {
                if (i > 0)
                    to.raw('/');
                csvField(to, tunnelTypeName(flow.tunnel[i].type));
            }
            const TunnelLevel &outer = flow.tunnel.front();
            to.raw(',');
            if (outer.hasKey)
                to.number(std::uint64_t(outer.key));
            to.raw(',');
            to.address(outer.outerSrc);
            to.raw(',');
            to.address(outer.outerDst);
            to.raw(',');
            if (outer.udpPort)
                to.number(std::uint64_t(outer.udpPort));
        }
        to.raw(',');
        if (flow.protocol == 6) {
            forEachTcpFlagName(flow.tcpFlags, [&](std::string_view name, bool first) {
                if (!first)
                    to.raw('|');
                to.raw(name);
            });
        }
        to.raw('\n');
    };
    writeFlows(out, flows, writeRow);
}

// Streams what `write` writes to the device in chunks; false when a write to it failed.
template <typename Write> bool writeToDevice(QIODevice &device, Write write)
{
    QByteArray unused;
    const auto out = std::make_unique<TextOut>(unused, &device); // too big for the stack
    write(*out);
    return out->flush();
}

} // namespace

QByteArray flowReportToJson(const FlowReport &report, const EndpointAttributor &attributor,
                            const FlowExportOptions &options)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(report.flows.size()) * 420 + 1024);
    const auto out = std::make_unique<TextOut>(bytes); // its buffer is too big for the stack
    writeReport(*out, report.flows, report.summary, attributor, options);
    out->flush();
    return bytes;
}

bool writeFlowReportJson(QIODevice &device, const FlowReport &report,
                         const EndpointAttributor &attributor, const FlowExportOptions &options)
{
    return writeToDevice(device, [&](TextOut &out) {
        writeReport(out, report.flows, report.summary, attributor, options);
    });
}

bool writeFlowReportJson(QIODevice &device, const FlowResults &results,
                         const EndpointAttributor &attributor, const FlowExportOptions &options)
{
    return writeToDevice(device, [&](TextOut &out) {
        writeReport(out, results, results.summary(), attributor, options);
    });
}

QByteArray flowsToCsv(const std::vector<FlowRecord> &flows, const EndpointAttributor &attributor)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(flows.size()) * 200 + 256);
    const auto out = std::make_unique<TextOut>(bytes);
    writeCsv(*out, flows, attributor);
    out->flush();
    return bytes;
}

bool writeFlowsCsv(QIODevice &device, const std::vector<FlowRecord> &flows,
                   const EndpointAttributor &attributor)
{
    return writeToDevice(device, [&](TextOut &out) { writeCsv(out, flows, attributor); });
}

bool writeFlowsCsv(QIODevice &device, const FlowResults &results,
                   const EndpointAttributor &attributor)
{
    return writeToDevice(device, [&](TextOut &out) { writeCsv(out, results, attributor); });
}

} // namespace cartograph::capture
