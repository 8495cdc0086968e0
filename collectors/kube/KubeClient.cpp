#include "KubeClient.h"

#include "KubeLogging.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QNetworkProxy>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
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
    releaseSocket(false);
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
    m_socketError.reset();
    m_socketErrorString.clear();
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
    qCDebug(lcKube) << "GET" << request->url.toString(QUrl::RemoveUserInfo);
    m_url = request->url;
    m_requestHead = request->head;
    releaseSocket(false);
    m_socket = m_client->takeConnection(*request, &m_socketReused);
    startExchange();
}

void KubeCall::startExchange()
{
    m_framing = Framing::Head;
    m_line.clear();
    m_headSize = 0;
    m_remaining = 0;
    m_chunked = false;
    m_keepAlive = true;
    QSslSocket *socket = m_socket;
    connect(socket, &QIODevice::readyRead, this, &KubeCall::onSocketReadyRead);
    connect(socket, &QAbstractSocket::errorOccurred, this, &KubeCall::onSocketError);
    connect(socket, &QAbstractSocket::disconnected, this, &KubeCall::onSocketDisconnected);
    connect(socket, &QSslSocket::sslErrors, this,
            [this](const QList<QSslError> &errors) { m_sslErrors += errors; });
    // Written now; a connection still in its TLS handshake sends it once encrypted.
    socket->write(m_requestHead);
    if (m_options.timeoutMs > 0) {
        m_progress.start();
        m_timer.start(m_options.timeoutMs);
    }
}

void KubeCall::onSocketReadyRead()
{
    if (!m_socket)
        return;
    const qsizetype before = m_buffer.size();
    bool progress = false;
    while (m_socket && m_framing != Framing::Done && m_socket->bytesAvailable() > 0) {
        progress = true;
        const bool ok = m_framing == Framing::Head ? readHead() : readBody();
        if (!ok)
            return; // failed (finishWith ran) or waiting for more
    }
    if (!progress)
        return;
    if (!m_options.stream && m_options.timeoutMs > 0 && !m_finished)
        m_progress.start(); // the transfer is alive (checked when the timer fires)
    if (m_buffer.size() > before && !m_finished)
        Q_EMIT dataAvailable();
    if (m_framing == Framing::Done)
        responseComplete();
}

// Status line and headers. False when more bytes are needed or the response is malformed.
bool KubeCall::readHead()
{
    constexpr qsizetype kMaxHead = 64 * 1024; // status line and headers together
    while (m_socket->canReadLine() || m_socket->bytesAvailable() > 0) {
        if (!m_socket->canReadLine()) {
            if (m_headSize + m_line.size() + m_socket->bytesAvailable() > kMaxHead)
                return failHeadTooLong(kMaxHead);
            m_line += m_socket->readAll(); // a partial line; the rest follows
            return false;
        }
        m_line += m_socket->readLine(kMaxHead);
        if (m_headSize + m_line.size() > kMaxHead)
            return failHeadTooLong(kMaxHead);
        if (!m_line.endsWith('\n'))
            continue;
        m_headSize += m_line.size();
        const QByteArray line = std::exchange(m_line, {}).trimmed();
        if (m_httpStatus == 0) {
            // "HTTP/1.1 200 OK"
            const QList<QByteArray> parts = line.split(' ');
            bool ok = false;
            const int status = parts.size() >= 2 ? parts[1].toInt(&ok) : 0;
            if (!line.startsWith("HTTP/1.") || !ok || status < 100 || status > 999) {
                failMalformed(
                    tr("not an HTTP/1.1 response: %1").arg(QString::fromLatin1(line.left(80))));
                return false;
            }
            m_httpStatus = status;
            m_keepAlive = line.startsWith("HTTP/1.1");
            m_remaining = -1; // no Content-Length yet
            m_chunked = false;
            continue;
        }
        if (!line.isEmpty()) {
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length") {
                bool ok = false;
                const qint64 length = value.toLongLong(&ok);
                m_remaining = ok && length >= 0 ? length : -1;
            } else if (name == "transfer-encoding" && value.toLower().contains("chunked")) {
                m_chunked = true;
            } else if (name == "connection") {
                const QByteArray lower = value.toLower();
                if (lower.contains("close"))
                    m_keepAlive = false;
                else if (lower.contains("keep-alive"))
                    m_keepAlive = true;
            }
            continue;
        }
        // The blank line: the body starts.
        if (m_httpStatus < 200) { // 100 Continue and the like: a real response follows
            m_httpStatus = 0;
            continue;
        }
        m_headersSeen = true;
        m_framing = m_chunked          ? Framing::ChunkSize
                    : m_remaining >= 0 ? Framing::Length
                                       : Framing::UntilClose;
        if (m_framing == Framing::UntilClose)
            m_keepAlive = false;
        if (m_framing == Framing::Length && m_httpStatus >= 200 && m_httpStatus < 300) {
            // A page announces its length: reserve it once (bounded: the header is the
            // server's word) rather than grow a megabyte buffer step by step.
            constexpr qint64 kMaxReserve = 64 << 20;
            m_buffer.reserve(qsizetype(std::min(m_remaining, kMaxReserve)));
        }
        if (m_framing == Framing::Length && m_remaining == 0)
            m_framing = Framing::Done;
        if (m_httpStatus >= 200 && m_httpStatus < 300) {
            if (m_options.stream)
                m_timer.stop();
            Q_EMIT responseStarted();
        }
        return true;
    }
    return false; // every whole line is read: the rest of the head has not arrived yet
}

bool KubeCall::failHeadTooLong(qsizetype limit)
{
    failMalformed(tr("response headers longer than %1 bytes").arg(limit));
    return false;
}

// Moves up to `length` body bytes from the socket to the body (2xx) or the error body; returns
// how many it moved.
qint64 KubeCall::takeBody(qint64 length)
{
    length = std::min(length, m_socket->bytesAvailable());
    if (length <= 0)
        return 0;
    if (m_httpStatus >= 200 && m_httpStatus < 300) {
        // Straight into the body buffer, grown geometrically.
        const qsizetype size = m_buffer.size();
        if (m_buffer.capacity() - size < length)
            m_buffer.reserve(
                std::max<qsizetype>(size + qsizetype(length), 2 * m_buffer.capacity()));
        m_buffer.resize(size + qsizetype(length));
        const qint64 read = std::max<qint64>(m_socket->read(m_buffer.data() + size, length), 0);
        m_buffer.resize(size + qsizetype(read));
        return read;
    }
    // A Status object is small; whatever exceeds 64 KiB is read and dropped.
    const QByteArray bytes = m_socket->read(length);
    m_errorBody += bytes.left(64 * 1024 - m_errorBody.size());
    return bytes.size();
}

// The body as framed. False when the response is malformed (finishWith ran).
bool KubeCall::readBody()
{
    switch (m_framing) {
    case Framing::Length:
        m_remaining -= takeBody(m_remaining);
        if (m_remaining == 0)
            m_framing = Framing::Done;
        return true;
    case Framing::UntilClose:
        takeBody(m_socket->bytesAvailable());
        return true;
    case Framing::ChunkSize:
    case Framing::ChunkEnd:
    case Framing::Trailers: {
        if (!m_socket->canReadLine()) {
            if (m_line.size() + m_socket->bytesAvailable() > 4096)
                break;
            m_line += m_socket->readAll();
            return true;
        }
        m_line += m_socket->readLine(4096);
        if (m_line.size() > 4096)
            break;
        if (!m_line.endsWith('\n'))
            return true; // the rest of the line is still buffered: the caller loops
        const QByteArray line = std::exchange(m_line, {}).trimmed();
        if (m_framing == Framing::ChunkEnd) { // the CRLF after a chunk's data
            if (!line.isEmpty())
                break;
            m_framing = Framing::ChunkSize;
            return true;
        }
        if (m_framing == Framing::Trailers) {
            if (line.isEmpty())
                m_framing = Framing::Done;
            return true;
        }
        bool ok = false;
        const qint64 size = line.left(line.indexOf(';') < 0 ? line.size() : line.indexOf(';'))
                                .trimmed()
                                .toLongLong(&ok, 16);
        if (!ok || size < 0)
            break;
        m_remaining = size;
        m_framing = size == 0 ? Framing::Trailers : Framing::ChunkData;
        return true;
    }
    case Framing::ChunkData:
        m_remaining -= takeBody(m_remaining);
        if (m_remaining == 0)
            m_framing = Framing::ChunkEnd;
        return true;
    case Framing::Head:
    case Framing::Done:
        return true;
    }
    failMalformed(tr("malformed chunked transfer encoding"));
    return false;
}

void KubeCall::failMalformed(const QString &detail)
{
    KubeError error = m_client->baseError(KubeErrorCode::BadResponse);
    error.requestUrl = m_url.adjusted(QUrl::RemoveUserInfo);
    error.detail = detail;
    finishWith(std::move(error));
}

void KubeCall::onSocketError()
{
    if (!m_socket || m_finished)
        return;
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError) {
        onSocketDisconnected();
        return;
    }
    m_socketError = int(m_socket->error());
    m_socketErrorString = m_socket->errorString();
    endOfStream();
}

void KubeCall::onSocketDisconnected()
{
    if (!m_socket || m_finished)
        return;
    // What is still buffered belongs to the response.
    if (m_socket->bytesAvailable() > 0)
        onSocketReadyRead();
    if (!m_socket || m_finished)
        return;
    if (m_framing == Framing::UntilClose) {
        m_framing = Framing::Done;
        responseComplete();
        return;
    }
    if (!m_socketError) {
        m_socketError = int(QAbstractSocket::RemoteHostClosedError);
        m_socketErrorString = m_socket->errorString().isEmpty()
                                  ? tr("the server closed the connection")
                                  : m_socket->errorString();
    }
    // A kept-alive connection the server had closed before our request reached it: send the
    // request again on a new connection, as every HTTP client does for a GET.
    if (m_socketReused && m_httpStatus == 0 && m_headSize == 0 && m_line.isEmpty()) {
        qCDebug(lcKube) << "kept-alive connection closed by the server; reconnecting";
        releaseSocket(false);
        auto credentials = m_client->credentials(false);
        if (credentials) {
            auto request = m_client->makeRequest(m_path, m_query, *credentials);
            if (request) {
                m_socketError.reset();
                m_socketErrorString.clear();
                m_socket = m_client->takeConnection(*request, &m_socketReused);
                m_socketReused = false; // no second retry
                startExchange();
                return;
            }
        }
    }
    endOfStream();
}

// The connection ended or failed before the response was complete.
void KubeCall::endOfStream()
{
    m_timer.stop();
    releaseSocket(false);
    finishWith(classifyFailure());
}

void KubeCall::responseComplete()
{
    m_timer.stop();
    releaseSocket(m_keepAlive);
    // A watch cut off mid-stream is a failure too (it is retried with backoff), not the end the
    // server chose with timeoutSeconds: that one ends the chunked body properly.
    const bool ok = m_httpStatus >= 200 && m_httpStatus < 300 && !m_timedOut;
    if (ok) {
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
    finishWith(classifyFailure());
}

void KubeCall::releaseSocket(bool reusable)
{
    QSslSocket *socket = std::exchange(m_socket, nullptr);
    if (!socket)
        return;
    socket->disconnect(this);
    if (m_client)
        m_client->releaseConnection(socket, reusable);
    else
        socket->deleteLater();
}

void KubeCall::onTimeout()
{
    if (!m_socket || m_finished)
        return;
    // Restarting a timer for every read costs more than the reads: bytes arrived since it was
    // armed push the deadline instead.
    const qint64 quiet = m_progress.elapsed();
    if (quiet < m_options.timeoutMs) {
        m_timer.start(int(m_options.timeoutMs - quiet));
        return;
    }
    m_timedOut = true;
    releaseSocket(false);
    finishWith(classifyFailure());
}

KubeError KubeCall::classifyFailure()
{
    KubeError error = m_client->baseError(KubeErrorCode::NetworkOther);
    error.requestUrl = m_url.adjusted(QUrl::RemoveUserInfo);
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
    error.detail = m_socketErrorString;
    const auto socketError = QAbstractSocket::SocketError(
        m_socketError.value_or(int(QAbstractSocket::UnknownSocketError)));
    switch (socketError) {
    case QAbstractSocket::HostNotFoundError:
        error.code = KubeErrorCode::DnsFailure;
        break;
    case QAbstractSocket::ConnectionRefusedError:
        error.code = KubeErrorCode::ConnectionRefused;
        break;
    case QAbstractSocket::SocketTimeoutError:
        error.code = KubeErrorCode::Timeout;
        break;
    case QAbstractSocket::ProxyAuthenticationRequiredError:
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
        error.code = KubeErrorCode::ProxyFailure;
        break;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::RemoteHostClosedError: {
        error.code = socketError == QAbstractSocket::RemoteHostClosedError
                         ? KubeErrorCode::NetworkOther
                         : KubeErrorCode::TlsOther;
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
    releaseSocket(false);
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
    if (m_connection.exec)
        m_exec = std::make_unique<ExecCredentialProvider>(m_connection, std::move(approval));
}

KubeClient::~KubeClient()
{
    // Calls give their connections back when they end: end them first.
    qDeleteAll(findChildren<KubeCall *>(Qt::FindDirectChildrenOnly));
    qDeleteAll(std::exchange(m_idle, {}));
}

QSslSocket *KubeClient::takeConnection(const Request &request, bool *reused)
{
    const QUrl &url = request.url;
    const bool https = url.scheme() == u"https";
    while (!m_idle.isEmpty()) {
        QSslSocket *socket = m_idle.takeLast();
        socket->disconnect(this);
        const bool sameTls = !https || (socket->isEncrypted() && request.ssl &&
                                        socket->sslConfiguration().localCertificate() ==
                                            request.ssl->localCertificate());
        // Bytes that arrived on an idle connection answer nothing we asked: not reused.
        if (socket->state() == QAbstractSocket::ConnectedState && sameTls &&
            socket->bytesAvailable() == 0) {
            *reused = true;
            return socket;
        }
        socket->deleteLater();
    }
    *reused = false;
    auto *socket = new QSslSocket(this);
    // Reads in slices the allocator serves from its heap: unbounded, the socket buffers what a
    // fast server has sent in blocks of hundreds of KiB, each mapped and faulted in afresh
    // (140k page faults for a 150k-pod list, 78k with this bound; the body is read on anyway).
    socket->setReadBufferSize(64 * 1024);
    if (!m_connection.proxyUrl.isEmpty()) {
        const QUrl &proxy = m_connection.proxyUrl;
        const bool socks = proxy.scheme() == u"socks5";
        socket->setProxy(QNetworkProxy(
            socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, proxy.host(),
            quint16(proxy.port(socks ? 1080 : 80)), proxy.userName(), proxy.password()));
    } else {
        socket->setProxy(QNetworkProxy::NoProxy);
    }
    const quint16 port = quint16(url.port(https ? 443 : 80));
    if (https) {
        socket->setSslConfiguration(*request.ssl);
        if (!m_connection.tlsServerName.isEmpty())
            socket->setPeerVerifyName(m_connection.tlsServerName);
        socket->connectToHostEncrypted(
            url.host(), port,
            m_connection.tlsServerName.isEmpty() ? url.host() : m_connection.tlsServerName);
    } else {
        socket->connectToHost(url.host(), port);
    }
    return socket;
}

void KubeClient::releaseConnection(QSslSocket *socket, bool reusable)
{
    constexpr qsizetype kMaxIdle = 8;
    if (!reusable || socket->state() != QAbstractSocket::ConnectedState ||
        socket->bytesAvailable() > 0 || m_idle.size() >= kMaxIdle) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    // An idle connection the server closes is simply dropped.
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] {
        if (m_idle.removeOne(socket))
            socket->deleteLater();
    });
    m_idle.append(socket);
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

KubeResult<KubeClient::Request> KubeClient::makeRequest(const QString &path, const QUrlQuery &query,
                                                        const Credentials &credentials) const
{
    Request request;
    QUrl url = m_connection.server;
    QString basePath = url.path();
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    url.setQuery(query);
    request.url = url;
    const bool https = url.scheme() == u"https";
    const int defaultPort = https ? 443 : 80;
    // Host names the server as the URL does (tls-server-name changes only what TLS checks).
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    request.head = "GET " + target + " HTTP/1.1\r\nHost: " + host +
                   "\r\nAccept: application/json\r\nUser-Agent: cartograph\r\n";
    if (!credentials.authorization.isEmpty())
        request.head += "Authorization: " + credentials.authorization + "\r\n";
    request.head += "\r\n";
    if (https) {
        auto ssl = sslConfiguration(credentials);
        if (!ssl)
            return ssl.error();
        request.ssl = *ssl;
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
