#pragma once

#include "KubeError.h"
#include "Kubeconfig.h"

#include <QByteArray>
#include <QDateTime>
#include <QMutex>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace cartograph::kube {

// A kubeconfig can make us run any program it names. We never do so silently: before a plugin
// first runs, the ExecApproval in charge is asked, with the exact command line. The CLI approves
// because the user chose the kubeconfig (--kubeconfig, KUBECONFIG or ~/.kube/config, as kubectl
// itself runs it); the GUI asks the user the first time.
//
// approve() is called on the thread that needs the credential (the collector's worker thread).
class ExecApproval
{
public:
    virtual ~ExecApproval() = default;
    virtual bool approve(const ExecPluginConfig &plugin, const QString &contextName) = 0;
};

// approve() calls a function (a GUI dialog marshalled to the GUI thread, a test's lambda).
class ExecApprovalFunction final : public ExecApproval
{
public:
    using Function = std::function<bool(const ExecPluginConfig &, const QString &)>;
    explicit ExecApprovalFunction(Function function)
        : m_function(std::move(function))
    {}
    bool approve(const ExecPluginConfig &plugin, const QString &contextName) override
    {
        return m_function && m_function(plugin, contextName);
    }

private:
    Function m_function;
};

// What a plugin printed (client.authentication.k8s.io ExecCredential status).
struct ExecCredential
{
    QString token;
    QByteArray clientCertificatePem;
    QByteArray clientKeyPem;
    QDateTime expiry; // invalid: valid for the life of the process, as client-go does

    bool expired(const QDateTime &now) const { return expiry.isValid() && now >= expiry; }
};

// Parses a plugin's stdout; the apiVersion must be the one the kubeconfig asked for.
KubeResult<ExecCredential> parseExecCredential(const QByteArray &json,
                                               const ExecPluginConfig &plugin);
// The KUBERNETES_EXEC_INFO the plugin gets: spec.interactive and, with provideClusterInfo,
// spec.cluster (server, certificate-authority-data, tls-server-name, …, config).
QByteArray execInfoJson(const ExecPluginConfig &plugin, const ClusterConnection &connection);

// Runs the plugin when no unexpired credential is cached; thread-safe (one run at a time).
class ExecCredentialProvider
{
public:
    ExecCredentialProvider(ClusterConnection connection, std::shared_ptr<ExecApproval> approval);

    // forceRefresh: the API server rejected the cached credential (401), run the plugin again.
    KubeResult<ExecCredential> credential(bool forceRefresh = false);
    int runCount() const;             // how often the plugin has run
    void setTimeoutMs(int timeoutMs); // default 120 s; a plugin that hangs is killed

private:
    KubeResult<ExecCredential> run();

    ClusterConnection m_connection;
    std::shared_ptr<ExecApproval> m_approval;
    mutable QMutex m_mutex;
    std::optional<ExecCredential> m_cached;
    bool m_approved = false;
    int m_runCount = 0;
    int m_timeoutMs = 120000;
};

} // namespace cartograph::kube
