#pragma once

#include "ClusterSnapshot.h"
#include "ExecCredential.h"
#include "KubeError.h"
#include "Kubeconfig.h"
#include "SnapshotSource.h"

#include <QList>
#include <QMetaType>
#include <QMutex>
#include <QObject>
#include <QString>
#include <array>
#include <atomic>
#include <memory>

class QThread;
class QTimer;
template <typename T> class QFutureWatcher;

namespace cartograph::kube {

class KubeCall;
class KubeClient;

// The resources a snapshot holds, in the order they are listed.
enum class KubeResource
{
    Namespaces,
    Nodes,
    Pods,
    Services,
    EndpointSlices,
    NetworkPolicies,
    DaemonSets,
    NodeNetworks, // cartograph.io/v1alpha1, only where the agent's CRD is installed
};
constexpr int kResourceCount = 8;

struct ResourceType
{
    KubeResource id;
    QString group; // "" for the core group
    QString version;
    QString plural;
    QString kind;
    bool namespaced = false;
    bool optional = false; // 404: the CRD is not installed; not a problem
    QString apiVersion() const { return group.isEmpty() ? version : group + u'/' + version; }
};
const std::array<ResourceType, kResourceCount> &collectedResources();
const ResourceType &resourceType(KubeResource resource);

// A resource the user may not read (403), or the server does not serve (404): recorded, shown,
// and the rest of the cluster is read anyway.
struct AccessIssue
{
    QString resource; // plural, e.g. "networkpolicies"
    QString group;    // "" for core
    QString verb;     // list / watch
    QString reason;   // the Status reason: Forbidden, NotFound
    QString message;  // the Status message, verbatim
    int httpStatus = 0;
};

enum class ChangeType
{
    Added,
    Modified,
    Deleted,
    Resynced, // the resource was listed again (after 410 Gone): every item of it may differ
};

struct ObjectChange
{
    KubeResource resource = KubeResource::Pods;
    ChangeType type = ChangeType::Modified;
    QString namespaceName; // empty for cluster-scoped objects
    QString name;          // empty for Resynced
};

// What the watches changed since the last batch, and the model after it. The snapshot is a
// value (implicitly shared lists): hold it as long as needed, on any thread.
struct ClusterChangeBatch
{
    quint64 sequence = 0;
    QList<ObjectChange> changes;
    ClusterSnapshot snapshot;
};

struct ListProgress
{
    KubeResource resource = KubeResource::Pods;
    int pages = 0;
    qint64 items = 0;
    bool done = false;
};

enum class ConnectionState
{
    Disconnected,
    Listing,      // initial lists in progress
    Live,         // listed, watches open
    Reconnecting, // a watch failed; retrying with backoff
    Failed,       // failed() was emitted
};
QString connectionStateName(ConnectionState state);

struct CollectorOptions
{
    QString namespaceName; // empty: every namespace (-A)
    bool watch = true;     // false: list once, then stop (fetchSnapshot)
    bool includeNodeNetworks = true;
    int pageSize = 500;
    int batchIntervalMs = 100; // watch events are gathered this long into one batch
    int requestTimeoutMs = 30000;
    int watchTimeoutSeconds = 300; // the server ends a watch after this; we reopen it
    int initialBackoffMs = 500;
    int maxBackoffMs = 30000;
};

struct FetchedCluster
{
    ClusterSnapshot snapshot;
    QList<AccessIssue> accessIssues;
};

// Lists every resource (paginated, fetching the next page while earlier ones are parsed on the
// thread pool, one parser per core; a few pages' bytes are held besides the model, however many
// pages there are), then watches
// each from the list's resourceVersion with bookmarks, reconnecting with backoff and relisting
// on 410 Gone. A 403 on one resource is recorded and the rest carries on; any other failure of
// the initial list (unreachable, TLS, 401) is fatal: failed().
//
// Thread affinity: a QObject like any other. For the GUI: create it, moveToThread() a worker
// thread (or use CollectorThread below), then call start() through a queued invocation; its
// signals carry values, so connect them to GUI objects (queued connections by default across
// threads). model(), accessIssues() and state() are for the collector's own thread.
class ClusterCollector : public QObject
{
    Q_OBJECT
public:
    ClusterCollector(ClusterConnection connection, std::shared_ptr<ExecApproval> approval,
                     CollectorOptions options = {}, QObject *parent = nullptr);
    ~ClusterCollector() override;

    const ClusterConnection &connection() const { return m_connection; }
    const ClusterSnapshot &model() const { return m_model; }
    const QList<AccessIssue> &accessIssues() const { return m_accessIssues; }
    ConnectionState state() const { return m_state; }
    KubeClient *client() const { return m_client; }
    // The resourceVersion the resource's watch resumes from (list, events and bookmarks move it).
    QString resourceVersion(KubeResource resource) const;

    // Lists everything once (no watch), blocking in a local event loop on the calling thread
    // (the CLI's main thread, a QtConcurrent worker). `cancel` is polled every 50 ms.
    static KubeResult<FetchedCluster> fetchSnapshot(const ClusterConnection &connection,
                                                    std::shared_ptr<ExecApproval> approval,
                                                    CollectorOptions options = {},
                                                    const std::atomic_bool *cancel = nullptr);

public Q_SLOTS:
    void start();
    void stop(); // closes every request; state Disconnected

Q_SIGNALS:
    void stateChanged(cartograph::kube::ConnectionState state);
    void listProgress(const cartograph::kube::ListProgress &progress);
    // Every resource listed once (or recorded as forbidden/absent): the first complete model.
    void synced(const cartograph::ClusterSnapshot &snapshot);
    void changed(const cartograph::kube::ClusterChangeBatch &batch);
    void accessIssueFound(const cartograph::kube::AccessIssue &issue);
    // A watch broke (not fatal): retried after retryInMs.
    void watchInterrupted(const cartograph::kube::KubeError &error, int retryInMs);
    void failed(const cartograph::kube::KubeError &error);

private:
    struct ResourceState;
    struct ParsedPage;
    void startList(ResourceState &state);
    void requestPage(ResourceState &state, const QString &continueToken);
    void onPageData(ResourceState &state, KubeCall *call);
    void onPageFinished(ResourceState &state, KubeCall *call);
    void processPage(ResourceState &state, KubeCall *call);
    void takeParsedPages(ResourceState &state);
    void cancelParses(ResourceState &state);
    static int maxParsesInFlight();
    void finishList(ResourceState &state);
    void startWatch(ResourceState &state);
    void onWatchOpen(ResourceState &state);
    void onWatchData(ResourceState &state);
    void onWatchFinished(ResourceState &state);
    void handleWatchLine(ResourceState &state, const QByteArray &line);
    void scheduleWatchRetry(ResourceState &state, const KubeError &error);
    void recordAccessIssue(ResourceState &state, const KubeError &error, const QString &verb);
    void fail(const KubeError &error);
    void setState(ConnectionState state);
    void queueChange(ObjectChange change);
    void flushChanges();
    void rebuildIndex(KubeResource resource);
    bool inScope(const QString &namespaceName) const;
    QString collectionPath(const ResourceType &type) const;

    ClusterConnection m_connection;
    std::shared_ptr<ExecApproval> m_approval;
    CollectorOptions m_options;
    KubeClient *m_client = nullptr;
    ClusterSnapshot m_model;
    std::array<QHash<QString, qsizetype>, kResourceCount> m_index;
    std::array<std::unique_ptr<ResourceState>, kResourceCount> m_resources;
    QList<AccessIssue> m_accessIssues;
    QList<ObjectChange> m_pendingChanges;
    QTimer *m_batchTimer = nullptr;
    quint64 m_sequence = 0;
    ConnectionState m_state = ConnectionState::Disconnected;
    bool m_synced = false;
};

// Owns a worker thread with a ClusterCollector on it: the shape the GUI wants. start() starts
// the thread and the collector; the destructor stops both and waits.
class CollectorThread
{
public:
    explicit CollectorThread(std::unique_ptr<ClusterCollector> collector);
    ~CollectorThread();
    CollectorThread(const CollectorThread &) = delete;
    CollectorThread &operator=(const CollectorThread &) = delete;
    ClusterCollector *collector() const { return m_collector; }
    void start();

private:
    std::unique_ptr<QThread> m_thread;
    ClusterCollector *m_collector = nullptr; // lives on m_thread, deleted there
};

// A kubeconfig context treated like a file: load() lists everything once.
class KubeSnapshotSource final : public SnapshotSource
{
public:
    KubeSnapshotSource(ClusterConnection connection, std::shared_ptr<ExecApproval> approval,
                       CollectorOptions options = {});
    QString displayName() const override; // "context NAME (https://server)"
    // A failure becomes an Error whose detail is describe(KubeError); lastError() keeps it typed.
    Result<ClusterSnapshot> load(const std::atomic_bool *cancel = nullptr) const override;
    std::optional<KubeError> lastError() const;
    QList<AccessIssue> lastAccessIssues() const;

private:
    ClusterConnection m_connection;
    std::shared_ptr<ExecApproval> m_approval;
    CollectorOptions m_options;
    mutable QMutex m_mutex;
    mutable std::optional<KubeError> m_lastError;
    mutable QList<AccessIssue> m_lastAccessIssues;
};

} // namespace cartograph::kube

Q_DECLARE_METATYPE(cartograph::kube::AccessIssue)
Q_DECLARE_METATYPE(cartograph::kube::ClusterChangeBatch)
Q_DECLARE_METATYPE(cartograph::kube::ListProgress)
Q_DECLARE_METATYPE(cartograph::kube::ConnectionState)
