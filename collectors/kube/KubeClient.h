#pragma once

#include "ExecCredential.h"
#include "KubeError.h"
#include "Kubeconfig.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QUrlQuery>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

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
    void onMetaData();
    void onReadyRead();
    void appendAvailable(QNetworkReply *reply = nullptr);
    void onFinished();
    void onTimeout();
    void finishWith(KubeError error);
    KubeError classifyFailure();

    QPointer<KubeClient> m_client;
    QString m_path;
    QUrlQuery m_query;
    RequestOptions m_options;
    QPointer<QNetworkReply> m_reply; // owned by the network manager
    // Watches hold their connection for minutes; each gets its own manager (and connection) so
    // that they do not use up the shared manager's six connections per host.
    QNetworkAccessManager *m_streamNetwork = nullptr;
    QTimer m_timer;
    QByteArray m_buffer;
    QByteArray m_errorBody;
    QList<QSslError> m_sslErrors;
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
    KubeResult<QNetworkRequest> makeRequest(const QString &path, const QUrlQuery &query,
                                            const Credentials &credentials) const;
    KubeResult<QSslConfiguration> sslConfiguration(const Credentials &credentials) const;
    KubeError baseError(KubeErrorCode code) const;
    QNetworkAccessManager *createNetworkManager(QObject *parent) const;

    ClusterConnection m_connection;
    std::unique_ptr<ExecCredentialProvider> m_exec;
    QNetworkAccessManager *m_network = nullptr;
    // The TLS configuration made for the last client certificate and key (an exec plugin may
    // hand out new ones).
    struct TlsCache
    {
        QByteArray clientCertificatePem;
        QByteArray clientKeyPem;
        QSslConfiguration ssl;
    };
    mutable std::optional<TlsCache> m_tlsCache;
};

} // namespace cartograph::kube
