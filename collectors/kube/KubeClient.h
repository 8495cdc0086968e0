#pragma once

#include "ExecCredential.h"
#include "KubeError.h"
#include "Kubeconfig.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QUrlQuery>
#include <memory>
#include <optional>

class QSslSocket;

namespace cartograph::kube {

struct RequestOptions
{
    // No response headers (or, for a list, no bytes) within this long: Timeout.
    int timeoutMs = 30000;
    // A watch: once the headers are in, the stream may stay quiet indefinitely.
    bool stream = false;
    // What the request does, for a 403 the Status body does not spell out.
    QString verb = QStringLiteral("get");
    QString resource;
    QString group;
};

// One GET in flight. Owned by the caller (deleteLater it after finished()).
// Lives on the KubeClient's thread; its signals are emitted there.
class KubeCall : public QObject
{
    Q_OBJECT
public:
    ~KubeCall() override;

    // The bytes of a successful (2xx) body received so far and not yet read.
    QByteArray readAll();
    // Bytes received so far (not yet read) without consuming them.
    qint64 bytesAvailable() const;
    const QByteArray &peek();
    // Receive the body into `buffer`'s storage: a caller reading page after page hands back the
    // last page's buffer, so megabytes are not mapped and faulted in anew for every page.
    void reuseBuffer(QByteArray buffer);
    bool isFinished() const { return m_finished; }
    // Set once finished() was emitted and the call failed.
    const std::optional<KubeError> &error() const { return m_error; }
    int httpStatus() const { return m_httpStatus; }
    void abort(); // finishes with Cancelled (emits finished())

Q_SIGNALS:
    void responseStarted(); // 2xx headers received: for a watch, the stream is open
    void dataAvailable();   // 2xx body bytes arrived
    void finished();

private:
    friend class KubeClient;
    explicit KubeCall(class KubeClient *client, QString path, QUrlQuery query,
                      RequestOptions options);
    void send(bool refreshCredential);
    void startExchange();
    void onSocketReadyRead();
    void onSocketError();
    void onSocketDisconnected();
    bool readHead();
    bool failHeadTooLong(qsizetype limit); // finishes with BadResponse; false
    bool readBody();
    qint64 takeBody(qint64 length);
    void failMalformed(const QString &detail); // finishes with BadResponse
    void responseComplete();
    void endOfStream();
    void releaseSocket(bool reusable);
    void onTimeout();
    void finishWith(KubeError error);
    KubeError classifyFailure();

    QPointer<KubeClient> m_client;
    QString m_path;
    QUrlQuery m_query;
    RequestOptions m_options;
    QUrl m_url;
    QByteArray m_requestHead;       // the request as written, for a retry on a fresh connection
    QSslSocket *m_socket = nullptr; // owned by this call while the exchange runs
    bool m_socketReused = false;    // a kept-alive connection: the server may have closed it
    QTimer m_timer;                 // the timeout, armed once; see onTimeout()
    QElapsedTimer m_progress;       // since the request went out or bytes last arrived
    // Response framing (HTTP/1.1): headers, then a body of Content-Length bytes, chunked, or
    // up to the end of the connection.
    enum class Framing
    {
        Head,
        Length,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        UntilClose,
        Done,
    };
    Framing m_framing = Framing::Head;
    QByteArray m_line;        // head or chunk-size line being assembled
    qsizetype m_headSize = 0; // bytes of status line and headers so far
    qint64 m_remaining = 0;   // Content-Length (-1: none) or the rest of the current chunk
    bool m_chunked = false;
    bool m_keepAlive = true;
    QByteArray m_buffer;
    QByteArray m_errorBody;
    QList<QSslError> m_sslErrors;
    std::optional<int> m_socketError; // QAbstractSocket::SocketError
    QString m_socketErrorString;
    QByteArray m_clientCertificatePem; // the certificate this attempt presented
    std::optional<KubeError> m_error;
    int m_httpStatus = 0;
    bool m_timedOut = false;
    bool m_retried = false;
    bool m_finished = false;
    bool m_headersSeen = false;
};

// HTTPS GETs to one context's API server: TLS verified against the kubeconfig's CA (or the
// system roots), client certificate, bearer token (static, tokenFile or exec plugin), basic
// auth, tls-server-name, proxy-url. Credentials are never logged.
//
// HTTP/1.1 over QSslSocket on this object's thread, connections kept alive and reused. Not
// QNetworkAccessManager: it runs HTTP on a thread of its own and hands every received chunk
// over to ours, which for a 150,000-pod list (487 MB) cost 0.7 s of CPU against 0.35 s here.
//
// Thread affinity: a KubeClient and its calls live on the thread that created them (the
// collector's worker thread); use them from that thread only.
class KubeClient : public QObject
{
    Q_OBJECT
public:
    KubeClient(ClusterConnection connection, std::shared_ptr<ExecApproval> approval,
               QObject *parent = nullptr);
    ~KubeClient() override;

    const ClusterConnection &connection() const { return m_connection; }

    // Starts a GET of `path` (e.g. "/api/v1/pods") on the server. Never null; failures to
    // even start (exec plugin refused, bad PEM) arrive as finished() with error().
    KubeCall *get(const QString &path, const QUrlQuery &query = {}, RequestOptions options = {});

    // A whole GET, waiting in a local event loop: for the CLI and tests. The body on 2xx.
    KubeResult<QByteArray> getBlocking(const QString &path, const QUrlQuery &query = {},
                                       RequestOptions options = {});

    int execRunCount() const; // how often the exec plugin ran (0 without one)
    ExecCredentialProvider *execProvider() const { return m_exec.get(); }

private:
    friend class KubeCall;
    struct Credentials
    {
        QByteArray authorization; // the header value, or empty
        QByteArray clientCertificatePem;
        QByteArray clientKeyPem;
    };
    KubeResult<Credentials> credentials(bool refresh);
    struct Request
    {
        QUrl url;
        QByteArray head;                      // request line and headers, ready to write
        std::optional<QSslConfiguration> ssl; // https
    };
    KubeResult<Request> makeRequest(const QString &path, const QUrlQuery &query,
                                    const Credentials &credentials) const;
    KubeResult<QSslConfiguration> sslConfiguration(const Credentials &credentials) const;
    KubeError baseError(KubeErrorCode code) const;
    // A connection to the server: a kept-alive idle one made with the same TLS configuration,
    // else a new one (connecting). The caller owns it until releaseConnection().
    QSslSocket *takeConnection(const Request &request, bool *reused);
    void releaseConnection(QSslSocket *socket, bool reusable);

    ClusterConnection m_connection;
    std::unique_ptr<ExecCredentialProvider> m_exec;
    // Idle kept-alive connections, the most recently used last; each remembers the TLS
    // configuration it was made with (an exec plugin may hand out a new client certificate).
    QList<QSslSocket *> m_idle;
    // The TLS configuration made for the last client certificate and key.
    struct TlsCache
    {
        QByteArray clientCertificatePem;
        QByteArray clientKeyPem;
        QSslConfiguration ssl;
    };
    mutable std::optional<TlsCache> m_tlsCache;
};

} // namespace cartograph::kube
