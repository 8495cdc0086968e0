#pragma once

#include "ClusterCollector.h"
#include "Diagnostics.h"

#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

namespace cartograph::app {

// The GUI's side of a live connection: a ClusterCollector on its own thread (list, then watch),
// its state for the connection indicator, list progress, and the model after every batch of
// watch events, handed over as immutable snapshots. Findings (why the connection failed, what
// the user may not read, what looks wrong in the cluster) are kept for the diagnostics panel.
// Lives on the GUI thread.
class LiveCluster : public QObject
{
    Q_OBJECT

public:
    // Asks the user whether an exec credential plugin may run (the GUI shows the command line
    // once per command; tests answer directly). Called on the GUI thread before connecting.
    using ExecConfirmation =
        std::function<bool(const kube::ExecPluginConfig &plugin, const QString &contextName)>;

    explicit LiveCluster(QObject *parent = nullptr);
    ~LiveCluster() override;

    void setExecConfirmation(ExecConfirmation confirmation);

    // Closes any current connection and starts this one. False (nothing started) when the
    // context needs an exec plugin the user did not allow; the refusal is a finding.
    bool connectTo(const kube::ClusterConnection &connection, kube::CollectorOptions options);
    void disconnectFromCluster();

    bool isActive() const { return m_thread != nullptr; }
    kube::ConnectionState state() const { return m_state; }
    const kube::ClusterConnection &connection() const { return m_connection; }
    const QList<kube::AccessIssue> &accessIssues() const { return m_accessIssues; }
    // Connection findings (failure, access), then the ones about the cluster's last model.
    QList<kube::Finding> findings() const;
    // One line for the status bar: "prod-admin: live", "prod-admin: listing pods (3 pages)".
    QString statusText() const;
    quint64 batches() const { return m_batches; }

signals:
    void stateChanged(cartograph::kube::ConnectionState state);
    void statusTextChanged(const QString &text);
    // The whole model after the initial lists (initial = true) or after a batch of watch events
    // (`changes` says what moved).
    void modelChanged(const cartograph::ClusterSnapshot &snapshot,
                      const QList<cartograph::kube::ObjectChange> &changes, bool initial);
    void findingsChanged();
    // The initial list failed (unreachable, TLS, 401…): the diagnosis is in findings().
    void connectionFailed(const QString &message);

private:
    void setState(kube::ConnectionState state);
    void setStatus(const QString &text);

    ExecConfirmation m_confirmExec;
    std::unique_ptr<kube::CollectorThread> m_thread;
    kube::ClusterConnection m_connection;
    kube::ConnectionState m_state = kube::ConnectionState::Disconnected;
    QString m_status;
    QList<kube::AccessIssue> m_accessIssues;
    QList<kube::Finding> m_connectionFindings;
    QList<kube::Finding> m_clusterFindings;
    quint64 m_batches = 0;
    quint64 m_session = 0; // signals of a closed connection are dropped
};

} // namespace cartograph::app
