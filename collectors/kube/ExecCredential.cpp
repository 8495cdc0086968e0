#include "ExecCredential.h"

#include "KubeLogging.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QMutexLocker>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <nlohmann/json.hpp>

namespace cartograph::kube {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::kube", text);
}

KubeError execError(KubeErrorCode code, const ExecPluginConfig &plugin, QString detail)
{
    KubeError error;
    error.code = code;
    error.command = plugin.commandLine();
    error.detail = std::move(detail);
    return error;
}

QString jsonString(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

} // namespace

KubeResult<ExecCredential> parseExecCredential(const QByteArray &json,
                                               const ExecPluginConfig &plugin)
{
    auto bad = [&](const QString &what) {
        return execError(KubeErrorCode::ExecBadOutput, plugin, what);
    };
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json.constBegin(), json.constEnd());
    } catch (const nlohmann::json::parse_error &ex) {
        return bad(tr("its output is not JSON (%1); expected an ExecCredential")
                       .arg(QString::fromUtf8(ex.what())));
    }
    if (!document.is_object())
        return bad(tr("its output is not a JSON object; expected an ExecCredential"));
    const QString kind = jsonString(document, "kind");
    if (kind != u"ExecCredential")
        return bad(tr("kind is \"%1\"; expected ExecCredential").arg(kind));
    const QString apiVersion = jsonString(document, "apiVersion");
    if (apiVersion != plugin.apiVersion)
        return bad(tr("apiVersion is \"%1\"; the kubeconfig asked for %2")
                       .arg(apiVersion, plugin.apiVersion));
    const auto status = document.find("status");
    if (status == document.end() || !status->is_object())
        return bad(tr("status is missing; expected status.token or "
                      "status.clientCertificateData and status.clientKeyData"));
    ExecCredential credential;
    credential.token = jsonString(*status, "token");
    credential.clientCertificatePem = jsonString(*status, "clientCertificateData").toUtf8();
    credential.clientKeyPem = jsonString(*status, "clientKeyData").toUtf8();
    if (credential.clientCertificatePem.isEmpty() != credential.clientKeyPem.isEmpty())
        return bad(tr("status.clientCertificateData and status.clientKeyData must be given "
                      "together"));
    if (credential.token.isEmpty() && credential.clientCertificatePem.isEmpty())
        return bad(tr("status holds neither token nor clientCertificateData/clientKeyData"));
    const QString expiry = jsonString(*status, "expirationTimestamp");
    if (!expiry.isEmpty()) {
        credential.expiry = QDateTime::fromString(expiry, Qt::ISODate);
        if (!credential.expiry.isValid())
            return bad(tr("status.expirationTimestamp \"%1\" is not an RFC 3339 time").arg(expiry));
    }
    return credential;
}

QByteArray execInfoJson(const ExecPluginConfig &plugin, const ClusterConnection &connection)
{
    nlohmann::json spec = {{"interactive", false}};
    if (plugin.provideClusterInfo) {
        nlohmann::json cluster = {{"server", connection.server.toString().toStdString()}};
        if (!connection.tlsServerName.isEmpty())
            cluster["tls-server-name"] = connection.tlsServerName.toStdString();
        if (connection.insecureSkipTlsVerify)
            cluster["insecure-skip-tls-verify"] = true;
        if (!connection.caPem.isEmpty())
            cluster["certificate-authority-data"] = connection.caPem.toBase64().toStdString();
        if (!connection.proxyUrl.isEmpty())
            cluster["proxy-url"] = connection.proxyUrl.toString().toStdString();
        if (!connection.execExtensionJson.isEmpty()) {
            cluster["config"] =
                nlohmann::json::parse(connection.execExtensionJson.constBegin(),
                                      connection.execExtensionJson.constEnd(), nullptr, false);
        }
        spec["cluster"] = std::move(cluster);
    }
    const nlohmann::json info = {{"apiVersion", plugin.apiVersion.toStdString()},
                                 {"kind", "ExecCredential"},
                                 {"spec", std::move(spec)}};
    return QByteArray::fromStdString(info.dump());
}

ExecCredentialProvider::ExecCredentialProvider(ClusterConnection connection,
                                               std::shared_ptr<ExecApproval> approval)
    : m_connection(std::move(connection))
    , m_approval(std::move(approval))
{}

int ExecCredentialProvider::runCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_runCount;
}

void ExecCredentialProvider::setTimeoutMs(int timeoutMs)
{
    QMutexLocker lock(&m_mutex);
    m_timeoutMs = timeoutMs;
}

KubeResult<ExecCredential> ExecCredentialProvider::credential(bool forceRefresh)
{
    QMutexLocker lock(&m_mutex);
    if (!forceRefresh && m_cached && !m_cached->expired(QDateTime::currentDateTimeUtc()))
        return *m_cached;
    m_cached.reset();
    auto fresh = run();
    if (fresh)
        m_cached = *fresh;
    return fresh;
}

KubeResult<ExecCredential> ExecCredentialProvider::run()
{
    Q_ASSERT(m_connection.exec);
    const ExecPluginConfig &plugin = *m_connection.exec;
    if (plugin.interactiveMode == ExecInteractiveMode::Always) {
        return execError(KubeErrorCode::ExecInteractive, plugin,
                         tr("interactiveMode is Always, but Cartograph has no terminal to give "
                            "the plugin"));
    }
    if (!m_approved) {
        m_approved = m_approval && m_approval->approve(plugin, m_connection.contextName);
        if (!m_approved) {
            return execError(KubeErrorCode::ExecNotApproved, plugin,
                             tr("the kubeconfig %1 asks to run it for user \"%2\"")
                                 .arg(plugin.sourceFile, m_connection.userName));
        }
    }
    QString program = plugin.command;
    if (!program.contains(u'/')) {
        program = QStandardPaths::findExecutable(plugin.command);
        if (program.isEmpty()) {
            QString detail = tr("executable \"%1\" not found on PATH").arg(plugin.command);
            if (!plugin.installHint.isEmpty())
                detail += u'\n' + plugin.installHint.trimmed();
            return execError(KubeErrorCode::ExecFailed, plugin, detail);
        }
    }
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const ExecEnvVar &variable : plugin.env)
        environment.insert(variable.name, variable.value);
    environment.insert(QStringLiteral("KUBERNETES_EXEC_INFO"),
                       QString::fromUtf8(execInfoJson(plugin, m_connection)));
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    ++m_runCount;
    qCDebug(lcKube) << "running exec credential plugin" << plugin.command;
    process.start(program, plugin.args);
    if (!process.waitForStarted()) {
        QString detail = process.errorString();
        if (!plugin.installHint.isEmpty())
            detail += u'\n' + plugin.installHint.trimmed();
        return execError(KubeErrorCode::ExecFailed, plugin, detail);
    }
    if (!process.waitForFinished(m_timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return execError(KubeErrorCode::ExecFailed, plugin,
                         tr("no answer after %1 s; it was stopped").arg(m_timeoutMs / 1000));
    }
    const QString stderrText = QString::fromUtf8(process.readAllStandardError()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QString detail = process.exitStatus() == QProcess::NormalExit
                             ? tr("exit status %1").arg(process.exitCode())
                             : tr("crashed");
        if (!stderrText.isEmpty())
            detail += QStringLiteral(": ") + stderrText;
        return execError(KubeErrorCode::ExecFailed, plugin, detail);
    }
    return parseExecCredential(process.readAllStandardOutput(), plugin);
}

} // namespace cartograph::kube
