#include "FlowTableModel.h"

#include "FlowExport.h"

#include <QDateTime>
#include <QLocale>

namespace cartograph::app {

using capture::ClusterEndpoint;
using capture::FlowRecord;

namespace {

QString timeOfDay(std::int64_t us)
{
    return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC)
        .toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString tunnelText(const FlowRecord &flow)
{
    QStringList levels;
    for (const capture::TunnelLevel &level : flow.tunnel) {
        QString text = capture::tunnelTypeName(level.type);
        if (level.hasKey)
            text += QStringLiteral(" %1").arg(level.key);
        text += QStringLiteral(" %1→%2").arg(level.outerSrc.toString(), level.outerDst.toString());
        levels << text;
    }
    return levels.join(QStringLiteral(" / "));
}

} // namespace

FlowTableModel::FlowTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void FlowTableModel::setReplay(std::shared_ptr<const capture::CaptureReplay> replay)
{
    beginResetModel();
    m_replay = std::move(replay);
    m_span = m_replay ? capture::SecondSpan{m_replay->firstSecond(), m_replay->lastSecond()}
                      : capture::SecondSpan{};
    m_traffic.clear();
    if (m_replay) {
        m_traffic.reserve(m_replay->flows().size());
        for (const FlowRecord &flow : m_replay->flows())
            m_traffic.push_back(capture::flowTraffic(flow, m_span));
    }
    endResetModel();
}

void FlowTableModel::setSpan(capture::SecondSpan span)
{
    if (!m_replay || (span.from == m_span.from && span.to == m_span.to))
        return;
    m_span = span;
    const std::vector<FlowRecord> &flows = m_replay->flows();
    for (std::size_t i = 0; i < flows.size(); ++i)
        m_traffic[i] = capture::flowTraffic(flows[i], span);
    if (!flows.empty())
        emit dataChanged(index(0, PacketsAB), index(rowCount() - 1, BytesBA));
}

int FlowTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_replay ? 0 : int(m_replay->flows().size());
}

int FlowTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FlowTableModel::protocolText(std::uint8_t protocol)
{
    const QString name = capture::ipProtocolName(protocol);
    return name.isEmpty() ? QString::number(protocol) : name;
}

QVariant FlowTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_replay || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const auto row = std::size_t(index.row());
    const FlowRecord &flow = m_replay->flows().at(row);
    const ClusterEndpoint &a = m_replay->endpointA.at(row);
    const ClusterEndpoint &b = m_replay->endpointB.at(row);
    const capture::SpanTraffic &traffic = m_traffic.at(row);

    switch (role) {
    case FlowIndexRole:
        return int(row);
    case NamespacesRole:
        return QStringList{a.namespaceName, b.namespaceName};
    case NamesRole:
        return QStringList{capture::endpointLabel(a, flow.a), capture::endpointLabel(b, flow.b)};
    case PortsRole:
        return flow.hasPorts ? QVariant::fromValue(QList<int>{flow.aPort, flow.bPort})
                             : QVariant::fromValue(QList<int>{});
    case ProtocolRole:
        return protocolText(flow.protocol);
    case ActiveRole:
        return traffic.totalPackets() > 0;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case PortA:
        case PortB:
        case PacketsAB:
        case BytesAB:
        case PacketsBA:
        case BytesBA:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case EndpointA:
            return flow.a.toString();
        case EndpointB:
            return flow.b.toString();
        case First:
            return capture::formatTimestampUs(flow.firstUs);
        case Last:
            return capture::formatTimestampUs(flow.lastUs);
        default:
            return {};
        }
    case Qt::DisplayRole:
    case SortRole: {
        const bool sort = role == SortRole;
        switch (index.column()) {
        case Protocol:
            return protocolText(flow.protocol);
        case EndpointA:
            return capture::endpointLabel(a, flow.a);
        case PortA:
            return flow.hasPorts ? QVariant(int(flow.aPort)) : (sort ? QVariant(-1) : QVariant());
        case EndpointB:
            return capture::endpointLabel(b, flow.b);
        case PortB:
            return flow.hasPorts ? QVariant(int(flow.bPort)) : (sort ? QVariant(-1) : QVariant());
        case PacketsAB:
            return sort ? QVariant(qulonglong(traffic.packets[0]))
                        : QVariant(QLocale().toString(qulonglong(traffic.packets[0])));
        case BytesAB:
            return sort ? QVariant(qulonglong(traffic.bytes[0]))
                        : QVariant(QLocale().formattedDataSize(qint64(traffic.bytes[0])));
        case PacketsBA:
            return sort ? QVariant(qulonglong(traffic.packets[1]))
                        : QVariant(QLocale().toString(qulonglong(traffic.packets[1])));
        case BytesBA:
            return sort ? QVariant(qulonglong(traffic.bytes[1]))
                        : QVariant(QLocale().formattedDataSize(qint64(traffic.bytes[1])));
        case First:
            return sort ? QVariant(qlonglong(flow.firstUs)) : QVariant(timeOfDay(flow.firstUs));
        case Last:
            return sort ? QVariant(qlonglong(flow.lastUs)) : QVariant(timeOfDay(flow.lastUs));
        case Tunnel:
            return tunnelText(flow);
        case TcpFlags:
            return capture::tcpFlagNames(flow.tcpFlags).join(u' ');
        default:
            return {};
        }
    }
    default:
        return {};
    }
}

QVariant FlowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Protocol:
        return tr("Protocol");
    case EndpointA:
        return tr("A");
    case PortA:
        return tr("A port");
    case EndpointB:
        return tr("B");
    case PortB:
        return tr("B port");
    case PacketsAB:
        return tr("Packets A→B");
    case BytesAB:
        return tr("Bytes A→B");
    case PacketsBA:
        return tr("Packets B→A");
    case BytesBA:
        return tr("Bytes B→A");
    case First:
        return tr("First (UTC)");
    case Last:
        return tr("Last (UTC)");
    case Tunnel:
        return tr("Tunnel");
    case TcpFlags:
        return tr("TCP flags");
    default:
        return {};
    }
}

FlowFilterModel::FlowFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(FlowTableModel::SortRole);
    setDynamicSortFilter(false); // re-sorting every timeline tick would reorder under the user
}

void FlowFilterModel::setNamespace(const QString &namespaceName)
{
    m_namespace = namespaceName;
    invalidateRowsFilter();
}

void FlowFilterModel::setName(const QString &text)
{
    m_name = text.trimmed();
    invalidateRowsFilter();
}

void FlowFilterModel::setPort(std::optional<int> port)
{
    m_port = port;
    invalidateRowsFilter();
}

void FlowFilterModel::setProtocol(const QString &protocol)
{
    m_protocol = protocol;
    invalidateRowsFilter();
}

void FlowFilterModel::setActiveOnly(bool activeOnly)
{
    m_activeOnly = activeOnly;
    invalidateRowsFilter();
}

void FlowFilterModel::spanChanged()
{
    if (m_activeOnly)
        invalidateRowsFilter();
}

bool FlowFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_activeOnly && !index.data(FlowTableModel::ActiveRole).toBool())
        return false;
    if (!m_protocol.isEmpty() && index.data(FlowTableModel::ProtocolRole)
                                         .toString()
                                         .compare(m_protocol, Qt::CaseInsensitive) != 0)
        return false;
    if (!m_namespace.isEmpty() &&
        !index.data(FlowTableModel::NamespacesRole).toStringList().contains(m_namespace))
        return false;
    if (m_port && !index.data(FlowTableModel::PortsRole).value<QList<int>>().contains(*m_port))
        return false;
    if (!m_name.isEmpty()) {
        const QStringList names = index.data(FlowTableModel::NamesRole).toStringList();
        if (std::none_of(names.cbegin(), names.cend(), [this](const QString &name) {
                return name.contains(m_name, Qt::CaseInsensitive);
            }))
            return false;
    }
    return true;
}

} // namespace cartograph::app
