#include "KubeError.h"

#include <QCoreApplication>

namespace cartograph::kube {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::kube", text);
}

QString where(const KubeError &error)
{
    const QString server = error.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    if (error.contextName.isEmpty())
        return server;
    return tr("%1 (context \"%2\")").arg(server, error.contextName);
}

QString withDetail(const QString &text, const QString &detail)
{
    return detail.isEmpty() ? text : text + QStringLiteral(": ") + detail;
}

QString resourceName(const KubeError &error)
{
    return error.group.isEmpty() ? error.resource : error.resource + u'.' + error.group;
}
} // namespace

QString describe(const KubeError &error)
{
    switch (error.code) {
    case KubeErrorCode::KubeconfigMissing:
        return tr("no kubeconfig found; looked at %1").arg(error.searchedPaths.join(u", "));
    case KubeErrorCode::KubeconfigInvalid:
    case KubeErrorCode::CredentialFileUnreadable:
    case KubeErrorCode::CredentialInvalid:
        return cartograph::describe(error.fileError);
    case KubeErrorCode::ContextNotFound:
        return tr("context \"%1\" not found in %2")
            .arg(error.contextName, error.searchedPaths.join(u':'));
    case KubeErrorCode::NoCurrentContext:
        return tr("no context given and no current-context set in %1")
            .arg(error.searchedPaths.join(u':'));
    case KubeErrorCode::ClusterNotFound:
        return tr("context \"%1\" names cluster \"%2\", which is not defined")
            .arg(error.contextName, error.detail);
    case KubeErrorCode::UserNotFound:
        return tr("context \"%1\" names user \"%2\", which is not defined")
            .arg(error.contextName, error.detail);
    case KubeErrorCode::AuthProviderLegacy:
        return tr("%1: the auth-provider \"%2\" is no longer supported by kubectl or Cartograph; "
                  "use an exec credential plugin instead")
            .arg(cartograph::describe(error.fileError), error.detail);
    case KubeErrorCode::ExecNotApproved:
        return withDetail(
            tr("the exec credential plugin \"%1\" was not approved to run").arg(error.command),
            error.detail);
    case KubeErrorCode::ExecInteractive:
        return withDetail(
            tr("the exec credential plugin \"%1\" needs a terminal").arg(error.command),
            error.detail);
    case KubeErrorCode::ExecFailed:
        return withDetail(tr("the exec credential plugin \"%1\" failed").arg(error.command),
                          error.detail);
    case KubeErrorCode::ExecBadOutput:
        return withDetail(
            tr("the exec credential plugin \"%1\" printed no usable credential").arg(error.command),
            error.detail);
    case KubeErrorCode::DnsFailure:
        return withDetail(tr("cannot resolve the API server's host name %1 for %2")
                              .arg(error.url.host(), where(error)),
                          error.detail);
    case KubeErrorCode::ConnectionRefused:
        return tr("connection refused by %1").arg(where(error));
    case KubeErrorCode::Timeout:
        return withDetail(tr("no answer from %1").arg(where(error)), error.detail);
    case KubeErrorCode::TlsUnknownCa:
        return withDetail(
            tr("the server certificate of %1 is not signed by a trusted CA").arg(where(error)),
            error.detail);
    case KubeErrorCode::TlsHostnameMismatch:
        return withDetail(tr("the server certificate of %1 is not valid for host %2")
                              .arg(where(error), error.url.host()),
                          error.detail);
    case KubeErrorCode::TlsClientCertificateExpired:
        return tr("the client certificate for %1 expired on %2")
            .arg(where(error), error.certificateExpiry.toUTC().toString(Qt::ISODate));
    case KubeErrorCode::TlsOther:
        return withDetail(tr("TLS handshake with %1 failed").arg(where(error)), error.detail);
    case KubeErrorCode::ProxyFailure:
        return withDetail(tr("the proxy for %1 failed").arg(where(error)), error.detail);
    case KubeErrorCode::NetworkOther:
        return withDetail(tr("cannot reach %1").arg(where(error)), error.detail);
    case KubeErrorCode::Unauthorized:
        return withDetail(tr("401 Unauthorized from %1: the credentials were rejected or have "
                             "expired")
                              .arg(where(error)),
                          error.statusMessage);
    case KubeErrorCode::Forbidden:
        return tr("403 Forbidden: may not %1 %2 on %3")
            .arg(error.verb, resourceName(error), where(error));
    case KubeErrorCode::NotFound:
        return tr("404 Not Found: %1").arg(error.requestUrl.toString(QUrl::RemoveUserInfo));
    case KubeErrorCode::Gone:
        return withDetail(tr("410 Gone: %1").arg(error.requestUrl.toString(QUrl::RemoveUserInfo)),
                          error.statusMessage);
    case KubeErrorCode::HttpError:
        return withDetail(tr("HTTP %1 from %2")
                              .arg(error.httpStatus)
                              .arg(error.requestUrl.toString(QUrl::RemoveUserInfo)),
                          error.statusMessage);
    case KubeErrorCode::BadResponse:
        return withDetail(tr("unexpected answer from %1").arg(where(error)), error.detail);
    case KubeErrorCode::Cancelled:
        return tr("cancelled");
    }
    return error.detail;
}

} // namespace cartograph::kube
