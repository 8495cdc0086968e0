#pragma once

#include "CaptureReplay.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <memory>
#include <optional>
#include <vector>

namespace cartograph::app {

// The flows of a replayed capture, one row per flow in the capture's stable order. Packet and
// byte columns count the traffic inside the timeline's span; the other columns describe the
// whole flow.
class FlowTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Protocol,
        EndpointA,
        PortA,
        EndpointB,
        PortB,
        PacketsAB,
        BytesAB,
        PacketsBA,
        BytesBA,
        First,
        Last,
        Tunnel,
        TcpFlags,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1, // numbers as numbers
        FlowIndexRole,               // index into CaptureReplay::flows()
        NamespacesRole,              // QStringList: the namespaces of both sides
        NamesRole,                   // QStringList: "ns/name" (or IP) of both sides
        PortsRole,                   // QList<int>: both ports (empty without ports)
        ProtocolRole,                // QString: "TCP" … or the number
        ActiveRole,                  // bool: packets inside the span
    };

    explicit FlowTableModel(QObject *parent = nullptr);

    void setReplay(std::shared_ptr<const capture::CaptureReplay> replay);
    const std::shared_ptr<const capture::CaptureReplay> &replay() const { return m_replay; }
    // Recounts the traffic columns for the span; rows stay.
    void setSpan(capture::SecondSpan span);
    capture::SecondSpan span() const { return m_span; }
    const capture::SpanTraffic &traffic(int row) const { return m_traffic.at(std::size_t(row)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString protocolText(std::uint8_t protocol);

private:
    std::shared_ptr<const capture::CaptureReplay> m_replay;
    capture::SecondSpan m_span;
    std::vector<capture::SpanTraffic> m_traffic; // by row
};

// The filter bar's rules over FlowTableModel: namespace (exact, either side), pod or service
// name (substring of either side's label), port (either side), protocol, and optionally only
// the flows with traffic in the span.
class FlowFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit FlowFilterModel(QObject *parent = nullptr);

    void setNamespace(const QString &namespaceName);
    void setName(const QString &text);
    void setPort(std::optional<int> port);
    void setProtocol(const QString &protocol); // empty: any
    void setActiveOnly(bool activeOnly);
    bool activeOnly() const { return m_activeOnly; }
    // The span changed: re-evaluate the active-only rule.
    void spanChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_namespace;
    QString m_name;
    std::optional<int> m_port;
    QString m_protocol;
    bool m_activeOnly = true;
};

} // namespace cartograph::app
