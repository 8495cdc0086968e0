#pragma once

// Test support: a Kubernetes API server on loopback that the collector tests, the CLI tests and
// the benchmark run against, because no real cluster can run here. It follows the real protocol
// closely enough that the real kubectl works against it (tst_apiserver_kubectl proves that):
//
// - HTTPS on 127.0.0.1 with its own CA (made with the `openssl` CLI); a client certificate signed
//   by that CA or the bearer token() authenticates, as kube-apiserver's x509 and token
//   authenticators do; a certificate that fails verification (expired) gets 401, not a TLS alert.
//   A request with neither is 401 too (kube-apiserver with --anonymous-auth=false).
// - Reads only (GET; other methods 405): lists of namespaces, nodes, pods, services,
//   endpointslices, networkpolicies and daemonsets, cluster-wide and per namespace, and single
//   objects; `limit` + `continue` (tokens that can expire: 410 Expired),
//   `metadata.resourceVersion`, `remainingItemCount`; items carry no kind/apiVersion;
//   `labelSelector` (=, ==, !=, in, notin, exists, !exists) and `fieldSelector` (metadata.name,
//   metadata.namespace; spec.nodeName and status.phase for pods). A continued list reports the
//   first page's resourceVersion but reads the current objects (no MVCC snapshot).
// - `watch=true` streams (chunked, newline-delimited events) from a resourceVersion (unset or 0:
//   synthetic ADDED events for the current state first), with BOOKMARK events,
//   `timeoutSeconds` (a clean end of the stream), ERROR 410 "too old resource version" after
//   compactHistory(), and connections that can be dropped mid-stream. `sendInitialEvents`
//   (watch-list) is not implemented.
// - Status bodies for 401/403/404/405/410, /version, legacy discovery (/api, /api/v1, /apis,
//   /apis/GROUP, /apis/GROUP/VERSION; aggregated-discovery Accept headers get legacy JSON, as
//   clients expect of older servers), server-side Table responses for kubectl get (pods, nodes,
//   namespaces, services with kube-apiserver's columns; NAME/AGE for the others), also in watches.
//
// The server runs on its own thread with its own event loop, so the test thread may block
// (QProcess::waitForFinished, a synchronous client). Every public method is thread-safe; those
// that change state return after the change is visible to clients (watch events already queued).

#include "Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <memory>

class QTemporaryDir;
class QThread;

namespace cartograph::testing {

class ApiServerCore;

class TestApiServer
{
public:
    struct Options
    {
        int pageLimitCap = 0; // 0: honour the client's `limit`; otherwise pages hold at most this
        // Also serve the agent's NodeNetwork CRD (cartograph.io/v1alpha1 nodenetworks,
        // cluster-scoped), as a cluster with the agent installed does; otherwise that path is 404
        // and NodeNetwork items are ignored like other kinds.
        bool serveNodeNetworks = false;
    };

    TestApiServer();
    explicit TestApiServer(Options options);
    ~TestApiServer();
    TestApiServer(const TestApiServer &) = delete;
    TestApiServer &operator=(const TestApiServer &) = delete;

    // Generates the certificates (needs `openssl` on PATH) and listens on 127.0.0.1:`port`
    // (0: a free port). An error names the openssl command or the listen failure.
    Status start(quint16 port = 0);

    QUrl url() const; // https://127.0.0.1:PORT

    // Certificate files (PEM) in the server's temporary directory.
    QString caFile() const;         // the CA that signed the server and client certificates
    QString clientCertFile() const; // CN=admin, O=system:masters, signed by caFile()
    QString clientKeyFile() const;
    QString expiredClientCertFile() const; // signed by caFile(), expired on 2021-01-01
    QString expiredClientKeyFile() const;
    QString otherCaFile() const; // a CA that signed nothing this server presents: "unknown CA"
    // A server certificate for DNS:wrong-host.invalid only, signed by caFile(); after
    // setServeWrongHostnameCertificate(true), new connections get it: "hostname mismatch".
    void setServeWrongHostnameCertificate(bool wrong);

    QString token() const; // a valid bearer token; the user it maps to is "test-token-user"
    void setToken(const QString &token); // replaces the valid token (e.g. for exec-plugin rotation)

    // A kubeconfig with one cluster (server url(), certificate-authority caFile()), one user
    // (client-certificate / client-key files) and one context named `context`, made current.
    // With `embedCredentials`, the CA, certificate and key are inlined as *-data fields instead,
    // so the file outlives the server's temporary directory.
    // Returns `path`, or an empty string when the file cannot be written.
    QString writeKubeconfig(const QString &path, const QString &context = QStringLiteral("test"),
                            bool embedCredentials = false) const;

    // Objects. A List (kind List or a typed list such as PodList) of namespaces, nodes, pods,
    // services, endpointslices, networkpolicies and daemonsets (and NodeNetworks when
    // Options::serveNodeNetworks); other kinds are ignored.
    // Every object gets a fresh resourceVersion (and a uid / creationTimestamp when absent).
    // Returns the number of objects stored; -1 (and a qWarning naming the problem) for JSON that
    // is not such a list.
    int loadObjects(const QByteArray &listJson);
    // Realistic pods (~3 KB of JSON each, like a Deployment's replica) spread over `namespaces`
    // namespaces "bench-NNN" (created too) and 100-pod nodes (not created); names stay unique
    // across calls.
    void addSyntheticPods(int count, int namespaces);
    // One object (with kind and apiVersion): an ADDED or MODIFIED watch event; bumps the
    // resourceVersion. Returns the resourceVersion it was given; empty (and a qWarning) for an
    // object that is not one of the kinds above or lacks metadata.name.
    QString upsertObject(const QByteArray &objectJson);
    // `resource` is the plural (e.g. "pods"); `ns` empty for cluster-scoped. DELETED event.
    // Returns false when no such object exists.
    bool deleteObject(const QString &resource, const QString &ns, const QString &name);
    int objectCount(const QString &resource) const;
    QString currentResourceVersion() const; // the latest resourceVersion handed out

    // Faults.
    void setForbidden(const QString &resource, bool forbidden = true); // 403 for list/watch/get
    void setRejectCredentials(bool reject); // 401 Status for every request
    void expireContinueTokens();            // tokens handed out so far answer 410 Expired
    // Watches from an older resourceVersion get HTTP 200 and one ERROR event: a Status with code
    // 410, reason Expired, "too old resource version: FROM (NOW)", as kube-apiserver's watch cache.
    void compactHistory();
    void dropWatchConnections();     // closes open watch streams mid-stream (no terminating chunk)
    void closeIdleConnections();     // closes kept-alive connections between requests
    void setResponseDelayMs(int ms); // every response (and a watch's first byte) is late
    void setBookmarkIntervalMs(int ms); // BOOKMARK period for allowWatchBookmarks=true (default
                                        // 60000, as kube-apiserver's roughly one a minute)

    // Observations for tests.
    int requestCount(const QString &pathPrefix) const; // requests whose path starts with it
    QStringList requestLog() const; // method, path and query as sent: "GET /api/v1/pods?limit=500"
    QStringList authorizationHeadersSeen() const; // "Bearer ..." values, in order
    int openWatchCount() const;                   // watch streams open right now
    int connectionsAccepted() const;              // TCP connections accepted so far
    void clearRequestLog();                       // also clears the Authorization headers seen

private:
    template <typename F> auto onServerThread(F &&function) const;
    Status runOpenssl(const QStringList &arguments) const;
    Status generateCertificates() const;

    std::unique_ptr<QTemporaryDir> m_certificateDir;
    std::unique_ptr<QThread> m_thread;
    ApiServerCore *m_core = nullptr; // lives in m_thread, deleted there
    quint16 m_port = 0;
};

} // namespace cartograph::testing
