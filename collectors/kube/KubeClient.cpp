#include "KubeClient.h"

#include "KubeLogging.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <nlohmann/json.hpp>

namespace cartograph::kube {

namespace {

QSslKey parsePrivateKey(const QByteArray &pem)
{
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

// The Kubernetes Status object an API server sends with an error.
void readStatusBody(const QByteArray &body, KubeError &error)
{
    const nlohmann::json status =
        nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (!status.is_object() || status.value("kind", std::string()) != "Status")
        return;
    error.statusMessage = QString::fromStdString(status.value("message", std::string()));
    error.statusReason = QString::fromStdString(status.value("reason", std::string()));
    const auto details = status.find("details");
    if (details != status.end() && details->is_object()) {
        const QString kind = QString::fromStdString(details->value("kind", std::string()));
        if (!kind.isEmpty())
            error.resource = kind;
        if (details->contains("group"))
            error.group = QString::fromStdString(details->value("group", std::string()));
    }
    // kube-apiserver: `pods is forbidden: User "x" cannot list resource "pods" in API group ""
    // at the cluster scope`
    static const QRegularExpression forbidden(
        QStringLiteral(R"re(cannot (\S+) resource "([^"]+)" in API group "([^"]*)")re"));
    const QRegularExpressionMatch match = forbidden.match(error.statusMessage);
    if (match.hasMatch()) {
        error.verb = match.captured(1);
        error.resource = match.captured(2);
        error.group = match.captured(3);
    }
}

bool isUnknownCa(QSslError::SslError error)
{
    switch (error) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateRejected:
    case QSslError::CertificateSignatureFailed:
        return true;
    default:
        return false;
    }
}

QDateTime expiredCertificateDate(const QByteArray &pem)
{
    if (pem.isEmpty())
        return {};
    const QList<QSslCertificate> chain = QSslCertificate::fromData(pem, QSsl::Pem);
    if (chain.isEmpty())
        return {};
    const QDateTime expiry = chain.constFirst().expiryDate();
    return expiry.isValid() && expiry < QDateTime::currentDateTimeUtc() ? expiry : QDateTime();
}

} // namespace

KubeCall::KubeCall(KubeClient *client, QString path, QUrlQuery query, RequestOptions options)
    : QObject(client)
    , m_client(client)
    , m_path(std::move(path))
    , m_query(std::move(query))
    , m_options(std::move(options))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &KubeCall::onTimeout);
}

KubeCall::~KubeCall()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QByteArray KubeCall::readAll()
{
    return std::exchange(m_buffer, {});
}

qint64 KubeCall::bytesAvailable() const
{
    return m_buffer.size();
}

const QByteArray &KubeCall::peek()
{
    return m_buffer;
}

void KubeCall::reuseBuffer(QByteArray buffer)
{
    if (!m_buffer.isEmpty() || !buffer.isDetached())
        return;
    buffer.resize(0); // keeps the capacity
    m_buffer = std::move(buffer);
}

void KubeCall::abort()
{
    if (m_finished)
        return;
    finishWith(m_client ? m_client->baseError(KubeErrorCode::Cancelled) : KubeError{});
}

void KubeCall::send(bool refreshCredential)
{
    m_errorBody.clear();
    m_sslErrors.clear();
    m_httpStatus = 0;
    m_headersSeen = false;
    m_timedOut = false;
    auto credentials = m_client->credentials(refreshCredential);
    if (!credentials) {
        // Delivered from the event loop, so callers can connect to finished() first.
        QTimer::singleShot(0, this, [this, error = credentials.error()] { finishWith(error); });
        return;
    }
    m_clientCertificatePem = credentials->clientCertificatePem;
    auto request = m_client->makeRequest(m_path, m_query, *credentials);
    if (!request) {
        QTimer::singleShot(0, this, [this, error = request.error()] { finishWith(error); });
        return;
    }
    qCDebug(lcKube) << "GET" << request->url().toString(QUrl::RemoveUserInfo);
    QNetworkAccessManager *network = m_client->m_network;
    if (m_options.stream) {
        if (!m_streamNetwork)
            m_streamNetwork = m_client->createNetworkManager(this);
        network = m_streamNetwork;
    }
    m_reply = network->get(*request);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &KubeCall::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &KubeCall::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &KubeCall::onFinished);
    connect(m_reply, &QNetworkReply::sslErrors, this,
            [this](const QList<QSslError> &errors) { m_sslErrors += errors; });
    if (m_options.timeoutMs > 0)
        m_timer.start(m_options.timeoutMs);
}

void KubeCall::onMetaData()
{
    m_httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_headersSeen)
        return;
    m_headersSeen = true;
    if (m_httpStatus >= 200 && m_httpStatus < 300) {
        if (m_options.stream)
            m_timer.stop();
        Q_EMIT responseStarted();
    }
}

void KubeCall::onReadyRead()
{
    if (!m_headersSeen)
        onMetaData();
    if (m_httpStatus >= 200 && m_httpStatus < 300) {
        appendAvailable();
        if (!m_options.stream && m_options.timeoutMs > 0)
            m_timer.start(m_options.timeoutMs); // progress: the transfer is alive
        Q_EMIT dataAvailable();
    } else {
        m_errorBody += m_reply->read(64 * 1024 - m_errorBody.size());
    }
}

void KubeCall::appendAvailable(QNetworkReply *reply)
{
    if (!reply)
        reply = m_reply;
    // Straight into the body buffer: readAll() would copy into a temporary first, and a list
    // page is megabytes. A page announces its length: reserve it once (bounded, since the
    // header is the server's word), then grow geometrically.
    constexpr qint64 kMaxReserve = 64 << 20;
    if (m_buffer.isEmpty()) {
        const qint64 announced = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (announced > 0)
            m_buffer.reserve(qsizetype(std::min(announced, kMaxReserve)));
    }
    const qint64 available = reply->bytesAvailable();
    if (available <= 0)
        return;
    const qsizetype size = m_buffer.size();
    if (m_buffer.capacity() - size < available)
        m_buffer.reserve(std::max<qsizetype>(size + qsizetype(available), 2 * m_buffer.capacity()));
    m_buffer.resize(size + qsizetype(available));
    const qint64 read = reply->read(m_buffer.data() + size, available);
    m_buffer.resize(size + qsizetype(std::max<qint64>(read, 0)));
}

void KubeCall::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows with OperationCanceledError
}

void KubeCall::onFinished()
{
    QNetworkReply *reply = m_reply.data();
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    m_timer.stop();
    if (m_httpStatus == 0)
        m_httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_httpStatus >= 200 && m_httpStatus < 300) {
        appendAvailable(reply);
    } else if (m_httpStatus > 0) {
        m_errorBody += reply->read(64 * 1024 - m_errorBody.size());
    }
    // A watch cut off mid-stream is a failure too (it is retried with backoff), not the end the
    // server chose with timeoutSeconds.
    const bool ok = m_httpStatus >= 200 && m_httpStatus < 300 && !m_timedOut &&
                    reply->error() == QNetworkReply::NoError;
    if (ok) {
        if (!m_buffer.isEmpty())
            Q_EMIT dataAvailable();
        m_finished = true;
        Q_EMIT finished();
        return;
    }
    // A rejected exec credential may just have expired early: client-go runs the plugin again
    // once and retries.
    if (m_httpStatus == 401 && !m_retried && m_client && m_client->m_exec) {
        m_retried = true;
        qCDebug(lcKube) << "401 with an exec credential; running the plugin again";
        send(true);
        return;
    }
    m_reply = reply; // classifyFailure reads it
    KubeError error = classifyFailure();
    m_reply = nullptr;
    finishWith(std::move(error));
}

KubeError KubeCall::classifyFailure()
{
    KubeError error = m_client->baseError(KubeErrorCode::NetworkOther);
    error.requestUrl = m_reply->request().url().adjusted(QUrl::RemoveUserInfo);
    error.httpStatus = m_httpStatus;
    error.verb = m_options.verb;
    error.resource = m_options.resource;
    error.group = m_options.group;
    const QDateTime expiredCertificate = expiredCertificateDate(m_clientCertificatePem);
    if (m_timedOut) {
        error.code = KubeErrorCode::Timeout;
        error.detail = tr("no answer within %1 s").arg(m_options.timeoutMs / 1000.0);
        return error;
    }
    if (m_httpStatus > 0 && (m_httpStatus < 200 || m_httpStatus >= 300)) {
        readStatusBody(m_errorBody, error);
        switch (m_httpStatus) {
        case 401:
            // kube-apiserver answers an expired client certificate with 401.
            if (expiredCertificate.isValid()) {
                error.code = KubeErrorCode::TlsClientCertificateExpired;
                error.certificateExpiry = expiredCertificate;
            } else {
                error.code = KubeErrorCode::Unauthorized;
            }
            break;
        case 403:
            error.code = KubeErrorCode::Forbidden;
            break;
        case 404:
            error.code = KubeErrorCode::NotFound;
            break;
        case 410:
            error.code = KubeErrorCode::Gone;
            break;
        default:
            error.code = KubeErrorCode::HttpError;
            break;
        }
        return error;
    }
    error.detail = m_reply->errorString();
    switch (m_reply->error()) {
    case QNetworkReply::HostNotFoundError:
        error.code = KubeErrorCode::DnsFailure;
        break;
    case QNetworkReply::ConnectionRefusedError:
        error.code = KubeErrorCode::ConnectionRefused;
        break;
    case QNetworkReply::TimeoutError:
        error.code = KubeErrorCode::Timeout;
        break;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::UnknownProxyError:
        error.code = KubeErrorCode::ProxyFailure;
        break;
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::RemoteHostClosedError: {
        error.code = m_reply->error() == QNetworkReply::SslHandshakeFailedError
                         ? KubeErrorCode::TlsOther
                         : KubeErrorCode::NetworkOther;
        for (const QSslError &sslError : std::as_const(m_sslErrors)) {
            if (sslError.error() == QSslError::HostNameMismatch) {
                error.code = KubeErrorCode::TlsHostnameMismatch;
                error.detail = sslError.errorString();
                break;
            }
            if (isUnknownCa(sslError.error())) {
                error.code = KubeErrorCode::TlsUnknownCa;
                error.detail = sslError.errorString();
            }
        }
        if ((error.code == KubeErrorCode::TlsOther || error.code == KubeErrorCode::NetworkOther) &&
            expiredCertificate.isValid()) {
            // A server that verifies client certificates in the handshake drops us there.
            error.code = KubeErrorCode::TlsClientCertificateExpired;
            error.certificateExpiry = expiredCertificate;
        }
        break;
    }
    default:
        if (!m_sslErrors.isEmpty()) {
            error.code = KubeErrorCode::TlsOther;
            error.detail = m_sslErrors.constFirst().errorString();
        } else if (!m_client->connection().proxyUrl.isEmpty() &&
                   m_reply->error() == QNetworkReply::UnknownNetworkError) {
            // Qt reports a proxy that refuses the tunnel as an unknown error ("Proxy …").
            error.code = KubeErrorCode::ProxyFailure;
        }
        break;
    }
    return error;
}

void KubeCall::finishWith(KubeError error)
{
    if (m_finished)
        return;
    m_timer.stop();
    if (m_reply) {
        QNetworkReply *reply = m_reply.data();
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    qCDebug(lcKube) << "GET" << m_path << "failed:" << describe(error);
    m_error = std::move(error);
    m_finished = true;
    Q_EMIT finished();
}

KubeClient::KubeClient(ClusterConnection connection, std::shared_ptr<ExecApproval> approval,
                       QObject *parent)
    : QObject(parent)
    , m_connection(std::move(connection))
{
    m_network = createNetworkManager(this);
    if (m_connection.exec)
        m_exec = std::make_unique<ExecCredentialProvider>(m_connection, std::move(approval));
}

QNetworkAccessManager *KubeClient::createNetworkManager(QObject *parent) const
{
    auto *network = new QNetworkAccessManager(parent);
    if (!m_connection.proxyUrl.isEmpty()) {
        const QUrl &proxy = m_connection.proxyUrl;
        const bool socks = proxy.scheme() == u"socks5";
        network->setProxy(QNetworkProxy(
            socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, proxy.host(),
            quint16(proxy.port(socks ? 1080 : 80)), proxy.userName(), proxy.password()));
    } else {
        network->setProxy(QNetworkProxy::NoProxy);
    }
    network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    return network;
}

KubeClient::~KubeClient()
{
    // Calls hold replies owned by the network manager: end them while it still exists.
    qDeleteAll(findChildren<KubeCall *>(Qt::FindDirectChildrenOnly));
}

int KubeClient::execRunCount() const
{
    return m_exec ? m_exec->runCount() : 0;
}

KubeError KubeClient::baseError(KubeErrorCode code) const
{
    KubeError error;
    error.code = code;
    error.contextName = m_connection.contextName;
    error.url = m_connection.server;
    return error;
}

KubeResult<KubeClient::Credentials> KubeClient::credentials(bool refresh)
{
    Credentials credentials;
    credentials.clientCertificatePem = m_connection.clientCertificatePem;
    credentials.clientKeyPem = m_connection.clientKeyPem;
    if (m_exec) {
        auto exec = m_exec->credential(refresh);
        if (!exec) {
            KubeError error = exec.error();
            error.contextName = m_connection.contextName;
            error.url = m_connection.server;
            return error;
        }
        if (!exec->token.isEmpty())
            credentials.authorization = "Bearer " + exec->token.toUtf8();
        if (!exec->clientCertificatePem.isEmpty()) {
            credentials.clientCertificatePem = exec->clientCertificatePem;
            credentials.clientKeyPem = exec->clientKeyPem;
        }
        if (!credentials.authorization.isEmpty() || !exec->clientCertificatePem.isEmpty())
            return credentials;
    }
    if (!m_connection.token.isEmpty()) {
        credentials.authorization = "Bearer " + m_connection.token.toUtf8();
    } else if (!m_connection.tokenFile.isEmpty()) {
        // Re-read on every request: projected service account tokens rotate in place.
        QFile file(m_connection.tokenFile);
        if (!file.open(QIODevice::ReadOnly)) {
            KubeError error = baseError(KubeErrorCode::CredentialFileUnreadable);
            error.fileError.code = ErrorCode::Unreadable;
            error.fileError.file = m_connection.tokenFile;
            error.fileError.path =
                QStringLiteral("users[name=%1].user.tokenFile").arg(m_connection.userName);
            error.fileError.detail = file.errorString();
            return error;
        }
        credentials.authorization = "Bearer " + file.readAll().trimmed();
    } else if (!m_connection.username.isEmpty()) {
        credentials.authorization =
            "Basic " + (m_connection.username + u':' + m_connection.password).toUtf8().toBase64();
    }
    return credentials;
}

KubeResult<QNetworkRequest> KubeClient::makeRequest(const QString &path, const QUrlQuery &query,
                                                    const Credentials &credentials) const
{
    QUrl url = m_connection.server;
    QString basePath = url.path();
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "cartograph");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    if (!credentials.authorization.isEmpty())
        request.setRawHeader("Authorization", credentials.authorization);

    if (url.scheme() == u"https") {
        auto ssl = sslConfiguration(credentials);
        if (!ssl)
            return ssl.error();
        request.setSslConfiguration(*ssl);
        if (!m_connection.tlsServerName.isEmpty())
            request.setPeerVerifyName(m_connection.tlsServerName);
    }
    return request;
}

KubeResult<QSslConfiguration> KubeClient::sslConfiguration(const Credentials &credentials) const
{
    // Parsing the CA bundle and the client key runs OpenSSL's decoders (milliseconds); a list of
    // 150,000 pods is 300 requests, so that is done once per credential, not per request.
    if (m_tlsCache && m_tlsCache->clientCertificatePem == credentials.clientCertificatePem &&
        m_tlsCache->clientKeyPem == credentials.clientKeyPem)
        return m_tlsCache->ssl;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (m_connection.insecureSkipTlsVerify) {
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else if (!m_connection.caPem.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromData(m_connection.caPem, QSsl::Pem);
        if (cas.isEmpty()) {
            KubeError error = baseError(KubeErrorCode::CredentialInvalid);
            error.fileError.code = ErrorCode::InvalidValue;
            error.fileError.file = m_connection.kubeconfigFile;
            error.fileError.path = QStringLiteral("clusters[name=%1].cluster.certificate-"
                                                  "authority")
                                       .arg(m_connection.clusterName);
            error.fileError.expected = tr("PEM-encoded CA certificates");
            return error;
        }
        ssl.setCaCertificates(cas);
    }
    if (!credentials.clientCertificatePem.isEmpty()) {
        const QList<QSslCertificate> chain =
            QSslCertificate::fromData(credentials.clientCertificatePem, QSsl::Pem);
        const QSslKey key = parsePrivateKey(credentials.clientKeyPem);
        if (chain.isEmpty() || key.isNull()) {
            KubeError error = baseError(KubeErrorCode::CredentialInvalid);
            error.fileError.code = ErrorCode::InvalidValue;
            error.fileError.file = m_connection.clientCertificateFile.isEmpty()
                                       ? m_connection.kubeconfigFile
                                       : m_connection.clientCertificateFile;
            error.fileError.path = QStringLiteral("users[name=%1].user.%2")
                                       .arg(m_connection.userName,
                                            chain.isEmpty() ? QStringLiteral("client-certificate")
                                                            : QStringLiteral("client-key"));
            error.fileError.expected = chain.isEmpty() ? tr("a PEM-encoded certificate")
                                                       : tr("a PEM-encoded RSA or EC private key");
            return error;
        }
        ssl.setLocalCertificateChain(chain);
        ssl.setPrivateKey(key);
    }
    m_tlsCache = TlsCache{credentials.clientCertificatePem, credentials.clientKeyPem, ssl};
    return ssl;
}

KubeCall *KubeClient::get(const QString &path, const QUrlQuery &query, RequestOptions options)
{
    auto *call = new KubeCall(this, path, query, std::move(options));
    call->send(false);
    return call;
}

KubeResult<QByteArray> KubeClient::getBlocking(const QString &path, const QUrlQuery &query,
                                               RequestOptions options)
{
    std::unique_ptr<KubeCall> call(get(path, query, std::move(options)));
    if (!call->isFinished()) {
        QEventLoop loop;
        connect(call.get(), &KubeCall::finished, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (call->error())
        return *call->error();
    return call->readAll();
}

} // namespace cartograph::kube
