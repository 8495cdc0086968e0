#include "FlowExport.h"

#include "PacketSource.h"

#include <cstdio>
#include <ctime>

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

QStringList tcpFlagNames(std::uint8_t flags)
{
    QStringList names;
    if (flags & 0x02)
        names.append(QStringLiteral("SYN"));
    if (flags & 0x01)
        names.append(QStringLiteral("FIN"));
    if (flags & 0x04)
        names.append(QStringLiteral("RST"));
    return names;
}

namespace {

// A small streaming JSON writer: the report can hold millions of flows, and building a
// QJsonDocument for them would cost several times the flows' own memory.
class JsonOut
{
public:
    explicit JsonOut(QByteArray &out)
        : m_out(out)
    {}

    void raw(const char *text) { m_out.append(text); }
    void string(const QString &text) { string(QStringView(text)); }
    void string(QStringView text)
    {
        m_out.append('"');
        for (QChar c : text) {
            const char16_t u = c.unicode();
            switch (u) {
            case u'"':
                m_out.append("\\\"");
                break;
            case u'\\':
                m_out.append("\\\\");
                break;
            case u'\n':
                m_out.append("\\n");
                break;
            case u'\r':
                m_out.append("\\r");
                break;
            case u'\t':
                m_out.append("\\t");
                break;
            default:
                if (u < 0x20) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(u));
                    m_out.append(escape);
                } else if (u < 0x80) {
                    m_out.append(char(u));
                } else {
                    m_out.append(QString(c).toUtf8());
                }
            }
        }
        m_out.append('"');
    }
    void stringOrNull(const QString &text)
    {
        if (text.isEmpty())
            raw("null");
        else
            string(text);
    }
    void number(std::uint64_t value) { m_out.append(QByteArray::number(qulonglong(value))); }
    void number(std::int64_t value) { m_out.append(QByteArray::number(qlonglong(value))); }
    void key(const char *name)
    {
        m_out.append('"');
        m_out.append(name);
        m_out.append("\": ");
    }

private:
    QByteArray &m_out;
};

void writeEndpoint(JsonOut &json, const EndpointAttributor &attributor, const IpAddress &address,
                   const FlowRecord &flow, std::uint16_t port)
{
    json.raw("{");
    json.key("ip");
    json.string(address.toString());
    json.raw(", ");
    json.key("port");
    if (flow.hasPorts)
        json.number(std::uint64_t(port));
    else
        json.raw("null");
    json.raw(", ");
    json.key("endpoint");
    if (!attributor.hasSnapshot()) {
        json.raw("null}");
        return;
    }
    const ClusterEndpoint endpoint = attributor.endpoint(
        address, flow.hasPorts ? std::optional<std::uint16_t>(port) : std::nullopt, flow.protocol);
    json.raw("{");
    json.key("kind");
    json.string(clusterEndpointKindName(endpoint.kind));
    json.raw(", ");
    json.key("namespace");
    json.stringOrNull(endpoint.namespaceName);
    json.raw(", ");
    json.key("name");
    json.stringOrNull(endpoint.name);
    if (endpoint.kind == ClusterEndpoint::Kind::Pod && !endpoint.nodeName.isEmpty()) {
        json.raw(", ");
        json.key("node");
        json.string(endpoint.nodeName);
    }
    json.raw("}}");
}

void writeTunnel(JsonOut &json, const EndpointAttributor &attributor, const FlowRecord &flow,
                 std::size_t index)
{
    const std::vector<TunnelLevel> &levels = flow.tunnel;
    const TunnelLevel &level = levels[index];
    json.raw("{");
    json.key("type");
    json.string(tunnelTypeName(level.type));
    json.raw(", ");
    json.key("vni");
    if (level.hasKey)
        json.number(std::uint64_t(level.key));
    else
        json.raw("null");
    if (index < flow.tunnelBa.size()) {
        const TunnelLevel &reverse = flow.tunnelBa[index];
        if (reverse.hasKey != level.hasKey || reverse.key != level.key) {
            json.raw(", ");
            json.key("vni_ba");
            if (reverse.hasKey)
                json.number(std::uint64_t(reverse.key));
            else
                json.raw("null");
        }
    }
    json.raw(", ");
    json.key("outer_a");
    json.string(level.outerSrc.toString());
    json.raw(", ");
    json.key("outer_b");
    json.string(level.outerDst.toString());
    json.raw(", ");
    json.key("port");
    if (level.udpPort != 0)
        json.number(std::uint64_t(level.udpPort));
    else
        json.raw("null");
    json.raw(", ");
    json.key("outer_a_node");
    json.stringOrNull(attributor.nodeName(level.outerSrc));
    json.raw(", ");
    json.key("outer_b_node");
    json.stringOrNull(attributor.nodeName(level.outerDst));
    json.raw(", ");
    json.key("payload");
    json.string(tunnelPayloadName(level.payload));
    if (index + 1 < levels.size()) {
        json.raw(", ");
        json.key("inner");
        writeTunnel(json, attributor, flow, index + 1);
    }
    json.raw("}");
}

void writeFlow(JsonOut &json, const FlowRecord &flow, const EndpointAttributor &attributor,
               const FlowExportOptions &options)
{
    json.raw("{");
    json.key("protocol");
    const QString name = ipProtocolName(flow.protocol);
    if (name.isEmpty())
        json.number(std::uint64_t(flow.protocol));
    else
        json.string(name);
    json.raw(", ");
    json.key("a");
    writeEndpoint(json, attributor, flow.a, flow, flow.aPort);
    json.raw(", ");
    json.key("b");
    writeEndpoint(json, attributor, flow.b, flow, flow.bPort);
    json.raw(", ");
    json.key("packets_ab");
    json.number(flow.packetsAb);
    json.raw(", ");
    json.key("bytes_ab");
    json.number(flow.bytesAb);
    json.raw(", ");
    json.key("packets_ba");
    json.number(flow.packetsBa);
    json.raw(", ");
    json.key("bytes_ba");
    json.number(flow.bytesBa);
    json.raw(", ");
    json.key("first");
    json.string(formatTimestampUs(flow.firstUs));
    json.raw(", ");
    json.key("last");
    json.string(formatTimestampUs(flow.lastUs));
    json.raw(", ");
    json.key("tunnel");
    if (flow.tunnel.empty())
        json.raw("null");
    else
        writeTunnel(json, attributor, flow, 0);
    json.raw(", ");
    json.key("tcp_flags");
    if (flow.protocol == 6) {
        json.raw("[");
        const QStringList flags = tcpFlagNames(flow.tcpFlags);
        for (qsizetype i = 0; i < flags.size(); ++i) {
            if (i > 0)
                json.raw(", ");
            json.string(flags[i]);
        }
        json.raw("]");
    } else {
        json.raw("null");
    }
    if (flow.end != FlowRecord::End::Active) {
        json.raw(", ");
        json.key("ended");
        json.string(flow.end == FlowRecord::End::IdleTimeout ? QStringLiteral("idle-timeout")
                                                             : QStringLiteral("evicted"));
    }
    if (options.secondBuckets) {
        json.raw(", ");
        json.key("buckets");
        json.raw("[");
        for (std::size_t i = 0; i < flow.buckets.size(); ++i) {
            const SecondBucket &bucket = flow.buckets[i];
            if (i > 0)
                json.raw(", ");
            json.raw("[");
            json.number(bucket.second);
            for (int direction = 0; direction < 2; ++direction) {
                json.raw(", ");
                json.number(std::uint64_t(bucket.packets[direction]));
                json.raw(", ");
                json.number(bucket.bytes[direction]);
            }
            json.raw("]");
        }
        json.raw("]");
    }
    json.raw("}");
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

} // namespace

QByteArray flowReportToJson(const FlowReport &report, const EndpointAttributor &attributor,
                            const FlowExportOptions &options)
{
    QByteArray out;
    out.reserve(qsizetype(report.flows.size()) * 420 + 1024);
    JsonOut json(out);
    json.raw("{\n  \"flows\": [");
    for (std::size_t i = 0; i < report.flows.size(); ++i) {
        json.raw(i == 0 ? "\n    " : ",\n    ");
        writeFlow(json, report.flows[i], attributor, options);
    }
    json.raw(report.flows.empty() ? "],\n" : "\n  ],\n");

    const CaptureSummary &summary = report.summary;
    json.raw("  \"summary\": {");
    json.key("packets");
    json.number(summary.packets);
    json.raw(", ");
    json.key("bytes");
    json.number(summary.bytes);
    json.raw(", ");
    json.key("flows");
    json.number(summary.flows);
    json.raw(", ");
    json.key("ip_packets");
    json.number(summary.ipPackets);
    json.raw(", ");
    json.key("malformed");
    json.raw("{");
    bool first = true;
    for (int reason = 0; reason < kMalformedReasonCount; ++reason) {
        if (summary.malformed[size_t(reason)] == 0)
            continue;
        if (!first)
            json.raw(", ");
        first = false;
        json.string(malformedReasonName(MalformedReason(reason)));
        json.raw(": ");
        json.number(summary.malformed[size_t(reason)]);
    }
    json.raw("}, ");
    json.key("undecodable");
    json.number(summary.undecodable);
    json.raw(", ");
    json.key("non_ip");
    json.number(summary.nonIp);
    json.raw(", ");
    json.key("evicted");
    json.number(summary.evicted);
    json.raw(", ");
    json.key("expired");
    json.number(summary.expired);
    json.raw(", ");
    json.key("link_types");
    json.raw("{");
    first = true;
    for (const auto &[linkType, count] : summary.linkTypes) {
        if (!first)
            json.raw(", ");
        first = false;
        json.string(linkTypeName(linkType));
        json.raw(": ");
        json.number(count);
    }
    json.raw("}, ");
    json.key("read_error");
    if (summary.readError)
        json.string(describe(*summary.readError));
    else
        json.raw("null");
    if (summary.dropped) {
        json.raw(", ");
        json.key("dropped");
        json.raw("{");
        json.key("total");
        json.number(summary.dropped->total());
        json.raw(", ");
        json.key("kernel");
        json.number(summary.dropped->kernel);
        json.raw(", ");
        json.key("interface");
        json.number(summary.dropped->interface);
        json.raw(", ");
        json.key("queue");
        json.number(summary.dropped->queue);
        json.raw("}");
    }
    json.raw("}\n}\n");
    return out;
}

QByteArray flowsToCsv(const std::vector<FlowRecord> &flows, const EndpointAttributor &attributor)
{
    QString text = QStringLiteral(
        "protocol,a_ip,a_port,a_kind,a_namespace,a_name,b_ip,b_port,b_kind,b_namespace,b_name,"
        "packets_ab,bytes_ab,packets_ba,bytes_ba,first,last,tunnel_type,tunnel_vni,"
        "tunnel_outer_a,tunnel_outer_b,tunnel_port,tcp_flags\n");
    for (const FlowRecord &flow : flows) {
        QStringList fields;
        const QString name = ipProtocolName(flow.protocol);
        fields.append(name.isEmpty() ? QString::number(flow.protocol) : name);
        for (int side = 0; side < 2; ++side) {
            const IpAddress &address = side == 0 ? flow.a : flow.b;
            const std::uint16_t port = side == 0 ? flow.aPort : flow.bPort;
            fields.append(address.toString());
            fields.append(flow.hasPorts ? QString::number(port) : QString());
            if (attributor.hasSnapshot()) {
                const ClusterEndpoint endpoint = attributor.endpoint(
                    address, flow.hasPorts ? std::optional<std::uint16_t>(port) : std::nullopt,
                    flow.protocol);
                fields.append(clusterEndpointKindName(endpoint.kind));
                fields.append(endpoint.namespaceName);
                fields.append(endpoint.name);
            } else {
                fields.append({QString(), QString(), QString()});
            }
        }
        fields.append(QString::number(flow.packetsAb));
        fields.append(QString::number(flow.bytesAb));
        fields.append(QString::number(flow.packetsBa));
        fields.append(QString::number(flow.bytesBa));
        fields.append(formatTimestampUs(flow.firstUs));
        fields.append(formatTimestampUs(flow.lastUs));
        if (flow.tunnel.empty()) {
            fields.append({QString(), QString(), QString(), QString(), QString()});
        } else {
            QStringList types;
            for (const TunnelLevel &level : flow.tunnel)
                types.append(tunnelTypeName(level.type));
            const TunnelLevel &outer = flow.tunnel.front();
            fields.append(types.join(u'/'));
            fields.append(outer.hasKey ? QString::number(outer.key) : QString());
            fields.append(outer.outerSrc.toString());
            fields.append(outer.outerDst.toString());
            fields.append(outer.udpPort ? QString::number(outer.udpPort) : QString());
        }
        fields.append(flow.protocol == 6 ? tcpFlagNames(flow.tcpFlags).join(u'|') : QString());
        for (QString &field : fields)
            field = csvField(field);
        text += fields.join(u',');
        text += u'\n';
    }
    return text.toUtf8();
}

} // namespace cartograph::capture
