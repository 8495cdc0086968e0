#include "LiveCluster.h"

#include "KubeError.h"

namespace cartograph::app {

namespace {

QString resourceLabel(kube::KubeResource resource)
{
    return kube::resourceType(resource).plural;
}

} // namespace

LiveCluster::LiveCluster(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<cartograph::ClusterSnapshot>();
    qRegisterMetaType<cartograph::kube::AccessIssue>();
    qRegisterMetaType<cartograph::kube::ClusterChangeBatch>();
    qRegisterMetaType<cartograph::kube::ListProgress>();
    qRegisterMetaType<cartograph::kube::ConnectionState>();
    qRegisterMetaType<cartograph::kube::KubeError>();
}

LiveCluster::~LiveCluster() = default;

void LiveCluster::setExecConfirmation(ExecConfirmation confirmation)
{
    m_confirmExec = std::move(confirmation);
}

bool LiveCluster::connectTo(const kube::ClusterConnection &connection,
                            kube::CollectorOptions options)
{
    disconnectFromCluster();
    const quint64 session = ++m_session;
    m_connection = connection;
    m_accessIssues.clear();
    m_connectionFindings.clear();
    m_clusterFindings.clear();
    m_batches = 0;

    // The plugin runs on the collector's thread, where no dialog can be shown: it is confirmed
    // here, before anything starts, and only that exact command line is allowed to run.
    QString approvedCommand;
    if (connection.exec) {
        if (!m_confirmExec || !m_confirmExec(*connection.exec, connection.contextName)) {
            kube::KubeError refused;
            refused.code = kube::KubeErrorCode::ExecNotApproved;
            refused.contextName = connection.contextName;
            refused.url = connection.server;
            refused.command = connection.exec->commandLine();
            m_connectionFindings = kube::diagnoseError(refused);
            setState(kube::ConnectionState::Failed);
            setStatus(tr("%1: not connected (the credential plugin was not allowed to run)")
                          .arg(connection.contextName));
            emit findingsChanged();
            return false;
        }
        approvedCommand = connection.exec->commandLine();
    }
    auto approval = std::make_shared<kube::ExecApprovalFunction>(
        [approvedCommand](const kube::ExecPluginConfig &plugin, const QString &) {
            return !approvedCommand.isEmpty() && plugin.commandLine() == approvedCommand;
        });

    m_connectionFindings = kube::diagnoseConnection(connection);
    auto collector = std::make_unique<kube::ClusterCollector>(connection, approval, options);
    kube::ClusterCollector *raw = collector.get();
    connect(raw, &kube::ClusterCollector::stateChanged, this,
            [this, session](kube::ConnectionState state) {
                if (session == m_session)
                    setState(state);
            });
    connect(raw, &kube::ClusterCollector::listProgress, this,
            [this, session](const kube::ListProgress &progress) {
                if (session != m_session || progress.done)
                    return;
                setStatus(tr("%1: listing %2 (%n page(s), %3 objects)", nullptr, progress.pages)
                              .arg(m_connection.contextName, resourceLabel(progress.resource))
                              .arg(progress.items));
            });
    connect(raw, &kube::ClusterCollector::accessIssueFound, this,
            [this, session](const kube::AccessIssue &issue) {
                if (session != m_session)
                    return;
                m_accessIssues.append(issue);
                emit findingsChanged();
            });
    connect(raw, &kube::ClusterCollector::synced, this,
            [this, session](const ClusterSnapshot &snapshot) {
                if (session != m_session)
                    return;
                m_clusterFindings = kube::diagnoseSnapshot(snapshot);
                emit findingsChanged();
                emit modelChanged(snapshot, {}, true);
            });
    connect(raw, &kube::ClusterCollector::changed, this,
            [this, session](const kube::ClusterChangeBatch &batch) {
                if (session != m_session)
                    return;
                ++m_batches;
                m_clusterFindings = kube::diagnoseSnapshot(batch.snapshot);
                emit findingsChanged();
                emit modelChanged(batch.snapshot, batch.changes, false);
            });
    connect(raw, &kube::ClusterCollector::watchInterrupted, this,
            [this, session](const kube::KubeError &error, int retryInMs) {
                if (session != m_session)
                    return;
                setStatus(tr("%1: watch interrupted (%2); retrying in %3 s")
                              .arg(m_connection.contextName, kube::describe(error))
                              .arg(qMax(1, retryInMs / 1000)));
            });
    connect(raw, &kube::ClusterCollector::failed, this,
            [this, session](const kube::KubeError &error) {
                if (session != m_session)
                    return;
                m_connectionFindings = kube::diagnoseError(error) + m_connectionFindings;
                emit findingsChanged();
                emit connectionFailed(kube::describe(error));
            });
    m_thread = std::make_unique<kube::CollectorThread>(std::move(collector));
    setState(kube::ConnectionState::Listing);
    setStatus(tr("%1: connecting to %2").arg(connection.contextName, connection.server.toString()));
    m_thread->start();
    return true;
}

void LiveCluster::disconnectFromCluster()
{
    ++m_session; // whatever the old collector still sends is dropped
    if (!m_thread)
        return;
    m_thread.reset(); // stops the collector and waits for its thread
    setState(kube::ConnectionState::Disconnected);
    setStatus(tr("%1: disconnected").arg(m_connection.contextName));
}

QList<kube::Finding> LiveCluster::findings() const
{
    QList<kube::Finding> all = m_connectionFindings;
    all += kube::diagnoseAccessIssues(m_accessIssues, m_connection.contextName);
    all += m_clusterFindings;
    return all;
}

QString LiveCluster::statusText() const
{
    return m_status;
}

void LiveCluster::setState(kube::ConnectionState state)
{
    if (state == m_state)
        return;
    m_state = state;
    if (state == kube::ConnectionState::Live)
        setStatus(tr("%1: live").arg(m_connection.contextName));
    else if (state == kube::ConnectionState::Failed)
        setStatus(tr("%1: connection failed").arg(m_connection.contextName));
    else if (state == kube::ConnectionState::Reconnecting)
        setStatus(tr("%1: reconnecting").arg(m_connection.contextName));
    emit stateChanged(state);
}

void LiveCluster::setStatus(const QString &text)
{
    if (text == m_status)
        return;
    m_status = text;
    emit statusTextChanged(text);
}

} // namespace cartograph::app
