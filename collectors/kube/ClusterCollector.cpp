#include "ClusterCollector.h"

#include "KubeClient.h"
#include "KubeLogging.h"
#include "SnapshotIo.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QMutexLocker>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <nlohmann/json.hpp>

namespace cartograph::kube {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::kube", text);
}

// Where a top-level member of a JSON object starts and ends in a (possibly partial) document.
enum class MemberSearch
{
    Found,
    NeedMore, // the prefix ends before the member is complete
    Absent,
};

// Scans the top level of a JSON object for `key` without parsing the rest: the API server
// writes a list's metadata (with `continue`) before its items, so the next page can be asked
// for as soon as the first bytes of this one are in.
MemberSearch findTopLevelMember(const QByteArray &data, std::string_view key, qsizetype &begin,
                                qsizetype &end)
{
    int depth = 0;
    bool expectKey = false;
    qsizetype valueStart = -1;
    bool inTarget = false;
    const qsizetype size = data.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        if (c == '"') {
            const qsizetype start = i + 1;
            ++i;
            while (i < size && data[i] != '"') {
                if (data[i] == '\\')
                    ++i;
                ++i;
            }
            if (i >= size)
                return MemberSearch::NeedMore;
            if (depth == 1 && expectKey) {
                const std::string_view name(data.constData() + start, size_t(i - start));
                inTarget = name == key;
                expectKey = false;
                if (inTarget) {
                    // skip to the value
                    ++i;
                    while (i < size && (data[i] == ' ' || data[i] == ':' || data[i] == '\n' ||
                                        data[i] == '\t' || data[i] == '\r'))
                        ++i;
                    if (i >= size)
                        return MemberSearch::NeedMore;
                    valueStart = i;
                    --i;
                }
            }
            continue;
        }
        switch (c) {
        case '{':
        case '[':
            ++depth;
            if (depth == 1 && c == '{')
                expectKey = true;
            break;
        case '}':
        case ']':
            --depth;
            if (inTarget && depth == 1) {
                begin = valueStart;
                end = i + 1;
                return MemberSearch::Found;
            }
            if (depth == 0)
                return MemberSearch::Absent;
            break;
        case ',':
            if (depth == 1)
                expectKey = true;
            break;
        default:
            break;
        }
    }
    return MemberSearch::NeedMore;
}

struct ListMetadata
{
    QString continueToken;
    QString resourceVersion;
    qint64 remainingItemCount = -1; // the server's estimate of the items after this page
};

std::optional<ListMetadata> listMetadata(const QByteArray &data, bool complete)
{
    qsizetype begin = 0;
    qsizetype end = 0;
    const MemberSearch found = findTopLevelMember(data, "metadata", begin, end);
    if (found != MemberSearch::Found) {
        if (complete || found == MemberSearch::Absent)
            return ListMetadata{};
        return std::nullopt;
    }
    const nlohmann::json metadata =
        nlohmann::json::parse(data.constBegin() + begin, data.constBegin() + end, nullptr, false);
    if (!metadata.is_object())
        return ListMetadata{};
    ListMetadata result{QString::fromStdString(metadata.value("continue", std::string())),
                        QString::fromStdString(metadata.value("resourceVersion", std::string()))};
    if (const auto remaining = metadata.find("remainingItemCount");
        remaining != metadata.end() && remaining->is_number_integer())
        result.remainingItemCount = remaining->get<qint64>();
    return result;
}

QString objectKey(const Namespace &object)
{
    return object.name;
}
QString objectKey(const Node &object)
{
    return object.name;
}
QString objectKey(const NodeNetwork &object)
{
    return object.nodeName;
}
template <typename T> QString objectKey(const T &object)
{
    return object.namespaceName + u'/' + object.name;
}

// Calls fn with the snapshot's list for the resource.
template <typename Snapshot, typename Fn> void visitList(Snapshot &snapshot, KubeResource r, Fn fn)
{
    switch (r) {
    case KubeResource::Namespaces:
        return fn(snapshot.namespaces);
    case KubeResource::Nodes:
        return fn(snapshot.nodes);
    case KubeResource::Pods:
        return fn(snapshot.pods);
    case KubeResource::Services:
        return fn(snapshot.services);
    case KubeResource::EndpointSlices:
        return fn(snapshot.endpointSlices);
    case KubeResource::NetworkPolicies:
        return fn(snapshot.networkPolicies);
    case KubeResource::DaemonSets:
        return fn(snapshot.daemonSets);
    case KubeResource::NodeNetworks:
        return fn(snapshot.nodeNetworks);
    }
}

// Calls fn with the lists for the resource in two snapshots.
template <typename Fn>
void visitListPair(ClusterSnapshot &a, ClusterSnapshot &b, KubeResource r, Fn fn)
{
    switch (r) {
    case KubeResource::Namespaces:
        return fn(a.namespaces, b.namespaces);
    case KubeResource::Nodes:
        return fn(a.nodes, b.nodes);
    case KubeResource::Pods:
        return fn(a.pods, b.pods);
    case KubeResource::Services:
        return fn(a.services, b.services);
    case KubeResource::EndpointSlices:
        return fn(a.endpointSlices, b.endpointSlices);
    case KubeResource::NetworkPolicies:
        return fn(a.networkPolicies, b.networkPolicies);
    case KubeResource::DaemonSets:
        return fn(a.daemonSets, b.daemonSets);
    case KubeResource::NodeNetworks:
        return fn(a.nodeNetworks, b.nodeNetworks);
    }
}

} // namespace

const std::array<ResourceType, kResourceCount> &collectedResources()
{
    static const std::array<ResourceType, kResourceCount> types{{
        {KubeResource::Namespaces,
         {},
         QStringLiteral("v1"),
         QStringLiteral("namespaces"),
         QStringLiteral("Namespace"),
         false,
         false},
        {KubeResource::Nodes,
         {},
         QStringLiteral("v1"),
         QStringLiteral("nodes"),
         QStringLiteral("Node"),
         false,
         false},
        {KubeResource::Pods,
         {},
         QStringLiteral("v1"),
         QStringLiteral("pods"),
         QStringLiteral("Pod"),
         true,
         false},
        {KubeResource::Services,
         {},
         QStringLiteral("v1"),
         QStringLiteral("services"),
         QStringLiteral("Service"),
         true,
         false},
        {KubeResource::EndpointSlices, QStringLiteral("discovery.k8s.io"), QStringLiteral("v1"),
         QStringLiteral("endpointslices"), QStringLiteral("EndpointSlice"), true, false},
        {KubeResource::NetworkPolicies, QStringLiteral("networking.k8s.io"), QStringLiteral("v1"),
         QStringLiteral("networkpolicies"), QStringLiteral("NetworkPolicy"), true, false},
        {KubeResource::DaemonSets, QStringLiteral("apps"), QStringLiteral("v1"),
         QStringLiteral("daemonsets"), QStringLiteral("DaemonSet"), true, false},
        {KubeResource::NodeNetworks, QStringLiteral("cartograph.io"), QStringLiteral("v1alpha1"),
         QStringLiteral("nodenetworks"), QStringLiteral("NodeNetwork"), false, true},
    }};
    return types;
}

const ResourceType &resourceType(KubeResource resource)
{
    return collectedResources()[size_t(resource)];
}

QString connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected:
        return tr("Disconnected");
    case ConnectionState::Listing:
        return tr("Listing");
    case ConnectionState::Live:
        return tr("Live");
    case ConnectionState::Reconnecting:
        return tr("Reconnecting");
    case ConnectionState::Failed:
        return tr("Failed");
    }
    return {};
}

struct ClusterCollector::ParsedPage
{
    ClusterSnapshot objects;
    std::optional<Error> error;
    bool lastPage = false;
    QString resourceVersion; // the list's, on the last page
    qsizetype bytes = 0;
    qint64 parseMs = 0;
    QByteArray spentBody; // its storage receives a later page
};

struct ClusterCollector::ResourceState
{
    enum class Phase
    {
        Idle,
        Listing,
        Watching,
        WaitingToRetry,
        Listed,    // listed, no watch (fetchSnapshot)
        Forbidden, // recorded in the access issues
        Absent,    // 404
    };
    ResourceType type;
    Phase phase = Phase::Idle;
    // Listing: the page being received/parsed, and the next one already requested.
    KubeCall *page = nullptr;
    KubeCall *nextPage = nullptr;
    bool nextRequested = false;
    bool metadataScanGaveUp = false;
    ClusterSnapshot staging;
    QList<QFutureWatcher<ParsedPage> *> parses; // pages being parsed, in page order
    QElapsedTimer pageClock;                    // since the last page was taken
    QList<QByteArray> spareBuffers;             // parsed pages' storage, for the next pages
    int pages = 0;
    qint64 items = 0;
    // Watching
    KubeCall *watch = nullptr;
    QString resourceVersion;
    QByteArray lineBuffer;
    int backoffMs = 0;
    QTimer *retryTimer = nullptr;
    bool listedOnce = false;
};

ClusterCollector::ClusterCollector(ClusterConnection connection,
                                   std::shared_ptr<ExecApproval> approval, CollectorOptions options,
                                   QObject *parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_approval(std::move(approval))
    , m_options(std::move(options))
{
    qRegisterMetaType<AccessIssue>();
    qRegisterMetaType<ClusterChangeBatch>();
    qRegisterMetaType<ListProgress>();
    qRegisterMetaType<ConnectionState>();
    qRegisterMetaType<KubeError>();
    qRegisterMetaType<ClusterSnapshot>();
    m_batchTimer = new QTimer(this);
    m_batchTimer->setSingleShot(true);
    connect(m_batchTimer, &QTimer::timeout, this, &ClusterCollector::flushChanges);
    for (const ResourceType &type : collectedResources()) {
        auto state = std::make_unique<ResourceState>();
        state->type = type;
        state->retryTimer = new QTimer(this);
        state->retryTimer->setSingleShot(true);
        ResourceState *raw = state.get();
        connect(state->retryTimer, &QTimer::timeout, this, [this, raw] {
            if (raw->listedOnce)
                startWatch(*raw);
            else
                startList(*raw);
        });
        m_resources[size_t(type.id)] = std::move(state);
    }
}

ClusterCollector::~ClusterCollector()
{
    // Nobody may hear from a collector being destroyed.
    blockSignals(true);
    stop();
}

QString ClusterCollector::resourceVersion(KubeResource resource) const
{
    return m_resources[size_t(resource)]->resourceVersion;
}

void ClusterCollector::setState(ConnectionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

bool ClusterCollector::inScope(const QString &namespaceName) const
{
    return m_options.namespaceName.isEmpty() || namespaceName == m_options.namespaceName;
}

QString ClusterCollector::collectionPath(const ResourceType &type) const
{
    QString path = type.group.isEmpty() ? QStringLiteral("/api/") + type.version
                                        : QStringLiteral("/apis/") + type.apiVersion();
    if (type.namespaced && !m_options.namespaceName.isEmpty())
        path += QStringLiteral("/namespaces/") + m_options.namespaceName;
    return path + u'/' + type.plural;
}

void ClusterCollector::start()
{
    if (m_state == ConnectionState::Listing || m_state == ConnectionState::Live ||
        m_state == ConnectionState::Reconnecting)
        return;
    if (!m_client)
        m_client = new KubeClient(m_connection, m_approval, this);
    m_model = ClusterSnapshot{};
    m_model.sources = {m_connection.contextName};
    for (auto &index : m_index)
        index.clear();
    m_accessIssues.clear();
    m_synced = false;
    setState(ConnectionState::Listing);
    for (auto &state : m_resources) {
        state->listedOnce = false;
        state->backoffMs = 0;
        state->resourceVersion.clear();
        if (state->type.id == KubeResource::NodeNetworks && !m_options.includeNodeNetworks) {
            state->phase = ResourceState::Phase::Absent;
            continue;
        }
        startList(*state);
        if (m_state == ConnectionState::Failed)
            return;
    }
}

void ClusterCollector::stop()
{
    for (auto &state : m_resources) {
        state->retryTimer->stop();
        for (KubeCall **call : {&state->page, &state->nextPage, &state->watch}) {
            if (*call) {
                (*call)->disconnect(this);
                (*call)->deleteLater();
                *call = nullptr;
            }
        }
        cancelParses(*state);
        state->staging = ClusterSnapshot{};
        state->spareBuffers.clear();
        if (state->phase == ResourceState::Phase::Listing ||
            state->phase == ResourceState::Phase::Watching ||
            state->phase == ResourceState::Phase::WaitingToRetry)
            state->phase = ResourceState::Phase::Idle;
    }
    if (m_batchTimer && m_batchTimer->isActive()) {
        m_batchTimer->stop();
        flushChanges();
    }
    if (m_state != ConnectionState::Failed)
        setState(ConnectionState::Disconnected);
}

void ClusterCollector::startList(ResourceState &state)
{
    state.phase = ResourceState::Phase::Listing;
    cancelParses(state);
    state.staging = ClusterSnapshot{};
    state.pageClock.start();
    state.pages = 0;
    state.items = 0;
    requestPage(state, {});
}

void ClusterCollector::cancelParses(ResourceState &state)
{
    // The pool finishes the parses; their results are dropped with the watchers.
    for (QFutureWatcher<ParsedPage> *parse : std::exchange(state.parses, {})) {
        parse->disconnect(this);
        parse->deleteLater();
    }
}

int ClusterCollector::maxParsesInFlight()
{
    // Pages parse independently: one parser per core (at most four, each page's bytes and
    // objects are held until it is taken), beside the thread that receives them.
    static const int parsers = std::clamp(QThread::idealThreadCount(), 1, 4);
    return parsers;
}

void ClusterCollector::requestPage(ResourceState &state, const QString &continueToken)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(m_options.pageSize));
    if (!continueToken.isEmpty())
        query.addQueryItem(QStringLiteral("continue"),
                           QString::fromLatin1(QUrl::toPercentEncoding(continueToken)));
    RequestOptions options;
    options.verb = QStringLiteral("list");
    options.resource = state.type.plural;
    options.group = state.type.group;
    options.timeoutMs = m_options.requestTimeoutMs;
    KubeCall *call = m_client->get(collectionPath(state.type), query, options);
    if (!state.spareBuffers.isEmpty())
        call->reuseBuffer(state.spareBuffers.takeLast());
    ResourceState *raw = &state;
    connect(call, &KubeCall::dataAvailable, this, [this, raw, call] { onPageData(*raw, call); });
    connect(call, &KubeCall::finished, this, [this, raw, call] { onPageFinished(*raw, call); });
    if (continueToken.isEmpty()) {
        state.page = call;
        state.nextRequested = false;
        state.metadataScanGaveUp = false;
    } else {
        state.nextPage = call;
    }
}

void ClusterCollector::onPageData(ResourceState &state, KubeCall *call)
{
    // Pipelining: as soon as this page's metadata is in, ask for the next one, so the server
    // produces page N+1 while we receive and parse page N.
    if (call != state.page || state.nextRequested || state.metadataScanGaveUp)
        return;
    // The API server writes metadata first; a server that puts it after the items makes us
    // wait for the whole page rather than rescan a growing buffer.
    constexpr qsizetype kMetadataScanLimit = 64 * 1024;
    const QByteArray &received = call->peek();
    const auto metadata = listMetadata(
        received.size() > kMetadataScanLimit ? received.first(kMetadataScanLimit) : received,
        false);
    if (!metadata) {
        state.metadataScanGaveUp = received.size() > kMetadataScanLimit;
        return;
    }
    state.nextRequested = true;
    if (!metadata->continueToken.isEmpty())
        requestPage(state, metadata->continueToken);
}

void ClusterCollector::onPageFinished(ResourceState &state, KubeCall *call)
{
    if (call == state.page && state.parses.size() < maxParsesInFlight())
        processPage(state, call);
    // A next page that finishes first waits until its predecessor is handed to a parser; a
    // page that finds every parser busy waits for one (takeParsedPages).
}

void ClusterCollector::processPage(ResourceState &state, KubeCall *call)
{
    state.page = nullptr;
    call->deleteLater();
    call->disconnect(this);
    if (const auto &error = call->error()) {
        cancelParses(state);
        if (state.nextPage) {
            state.nextPage->disconnect(this);
            state.nextPage->deleteLater();
            state.nextPage = nullptr;
        }
        if (error->code == KubeErrorCode::Gone) {
            // The continue token expired (the server compacted past it): list again.
            qCInfo(lcKube) << state.type.plural << "continue token expired; listing again";
            startList(state);
            return;
        }
        if (error->code == KubeErrorCode::Forbidden) {
            recordAccessIssue(state, *error, QStringLiteral("list"));
            state.phase = ResourceState::Phase::Forbidden;
            finishList(state);
            return;
        }
        if (error->code == KubeErrorCode::NotFound) {
            if (!state.type.optional)
                recordAccessIssue(state, *error, QStringLiteral("list"));
            state.phase = ResourceState::Phase::Absent;
            finishList(state);
            return;
        }
        if (m_synced) {
            // A relist after 410 in the live phase: retry like a watch.
            scheduleWatchRetry(state, *error);
            return;
        }
        fail(*error);
        return;
    }
    const QByteArray body = call->readAll();
    const auto metadata = listMetadata(body, true);
    // A page that was complete before its predecessor was parsed has not had its next page
    // asked for yet: ask before parsing, so that the server and the network thread work
    // while this thread parses.
    if (!state.nextRequested && metadata && !metadata->continueToken.isEmpty()) {
        state.nextRequested = true;
        requestPage(state, metadata->continueToken);
    }
    // The first page says how many items follow: size the list once rather than moving every
    // object each time it grows (bounded: the count is the server's word).
    if (metadata && metadata->remainingItemCount > 0) {
        constexpr qint64 kMaxReservedItems = 500'000;
        visitList(state.staging, state.type.id, [&](auto &list) {
            if (list.capacity() == 0)
                list.reserve(qsizetype(std::min<qint64>(
                    m_options.pageSize + metadata->remainingItemCount, kMaxReservedItems)));
        });
    }
    // Parsed on the thread pool, pages side by side (results are taken in page order): this
    // thread meanwhile receives the next page, so that it is complete when a parser is free.
    auto *parse = new QFutureWatcher<ParsedPage>(this);
    state.parses.append(parse);
    ResourceState *raw = &state;
    connect(parse, &QFutureWatcherBase::finished, this, [this, raw] { takeParsedPages(*raw); });
    parse->setFuture(QtConcurrent::run(
        [body, source = collectionPath(state.type),
         lastPage = metadata && metadata->continueToken.isEmpty(),
         resourceVersion = metadata ? metadata->resourceVersion : QString()]() mutable {
            QElapsedTimer clock;
            clock.start();
            ParsedPage page;
            if (Status status = loadSnapshotData(body, source, page.objects); !status)
                page.error = status.error();
            page.lastPage = lastPage;
            page.resourceVersion = resourceVersion;
            page.bytes = body.size();
            page.parseMs = clock.elapsed();
            page.spentBody = std::move(body);
            return page;
        }));
    // Move on to the next page: parse it now if it is complete and a parser is free; otherwise
    // look for its continue token, or wait for it.
    KubeCall *next = std::exchange(state.nextPage, nullptr);
    state.page = next;
    state.nextRequested = false;
    state.metadataScanGaveUp = false;
    if (!next)
        return;
    if (!next->isFinished())
        onPageData(state, next);
    else if (state.parses.size() < maxParsesInFlight())
        processPage(state, next);
}

void ClusterCollector::takeParsedPages(ResourceState &state)
{
    while (!state.parses.isEmpty() && state.parses.first()->isFinished()) {
        QFutureWatcher<ParsedPage> *parse = state.parses.takeFirst();
        parse->deleteLater();
        ParsedPage page = parse->future().takeResult();
        if (page.error) {
            KubeError error;
            error.code = KubeErrorCode::BadResponse;
            error.contextName = m_connection.contextName;
            error.url = m_connection.server;
            error.detail = cartograph::describe(*page.error);
            fail(error);
            return;
        }
        visitListPair(state.staging, page.objects, state.type.id,
                      [](auto &list, auto &parsed) { list.append(std::move(parsed)); });
        for (auto it = page.objects.skippedKinds.cbegin(); it != page.objects.skippedKinds.cend();
             ++it)
            state.staging.skippedKinds[it.key()] += it.value();
        if (state.spareBuffers.size() <= maxParsesInFlight())
            state.spareBuffers.append(std::move(page.spentBody));
        ++state.pages;
        visitList(state.staging, state.type.id, [&](auto &list) { state.items = list.size(); });
        // With fetch and parse overlapped, pages are taken about every parse time / parsers.
        qCDebug(lcKube).nospace() << state.type.plural << " page " << state.pages << ": "
                                  << page.bytes << " bytes, parsed in " << page.parseMs
                                  << " ms, taken " << state.pageClock.restart()
                                  << " ms after the previous page";
        Q_EMIT listProgress({state.type.id, state.pages, state.items, false});
        if (page.lastPage) {
            state.resourceVersion = page.resourceVersion;
            finishList(state);
            return;
        }
    }
    // A parser is free: the page that waited for one goes now.
    if (state.page && state.page->isFinished() && state.parses.size() < maxParsesInFlight())
        processPage(state, state.page);
}

void ClusterCollector::finishList(ResourceState &state)
{
    const bool listed = state.phase == ResourceState::Phase::Listing;
    if (listed) {
        if (state.type.id == KubeResource::Namespaces && !m_options.namespaceName.isEmpty()) {
            QList<Namespace> &namespaces = state.staging.namespaces;
            namespaces.removeIf([this](const Namespace &ns) { return !inScope(ns.name); });
            state.items = namespaces.size();
        }
        visitListPair(m_model, state.staging, state.type.id,
                      [](auto &modelList, auto &stagedList) { modelList = std::move(stagedList); });
        for (auto it = state.staging.skippedKinds.cbegin(); it != state.staging.skippedKinds.cend();
             ++it)
            m_model.skippedKinds[it.key()] += it.value();
        state.staging = ClusterSnapshot{};
        state.spareBuffers.clear(); // a watch needs none; a relist grows them again
        // The index finds the object a watch event names; a one-off list has no events.
        if (m_options.watch)
            rebuildIndex(state.type.id);
        Q_EMIT listProgress({state.type.id, state.pages, state.items, true});
    }
    const bool relist = state.listedOnce;
    state.listedOnce = true;
    if (listed) {
        if (relist)
            queueChange({state.type.id, ChangeType::Resynced, {}, {}});
        if (m_options.watch) {
            startWatch(state);
        } else {
            state.phase = ResourceState::Phase::Listed;
        }
    }
    if (!m_synced) {
        for (const auto &other : m_resources) {
            if (other->phase == ResourceState::Phase::Listing ||
                other->phase == ResourceState::Phase::Idle)
                return;
        }
        m_synced = true;
        setState(m_options.watch ? ConnectionState::Live : ConnectionState::Disconnected);
        Q_EMIT synced(m_model);
    }
}

void ClusterCollector::startWatch(ResourceState &state)
{
    state.phase = ResourceState::Phase::Watching;
    state.lineBuffer.clear();
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("resourceVersion"), state.resourceVersion);
    query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("timeoutSeconds"),
                       QString::number(m_options.watchTimeoutSeconds));
    RequestOptions options;
    options.verb = QStringLiteral("watch");
    options.resource = state.type.plural;
    options.group = state.type.group;
    options.stream = true;
    options.timeoutMs = m_options.requestTimeoutMs;
    state.watch = m_client->get(collectionPath(state.type), query, options);
    ResourceState *raw = &state;
    connect(state.watch, &KubeCall::responseStarted, this, [this, raw] { onWatchOpen(*raw); });
    connect(state.watch, &KubeCall::dataAvailable, this, [this, raw] { onWatchData(*raw); });
    connect(state.watch, &KubeCall::finished, this, [this, raw] { onWatchFinished(*raw); });
}

void ClusterCollector::onWatchOpen(ResourceState &state)
{
    // The stream is open: the connection works again.
    state.backoffMs = 0;
    if (m_state != ConnectionState::Reconnecting)
        return;
    for (const auto &other : m_resources) {
        if (other->phase == ResourceState::Phase::WaitingToRetry)
            return;
    }
    setState(ConnectionState::Live);
}

void ClusterCollector::onWatchData(ResourceState &state)
{
    if (!state.watch)
        return;
    state.lineBuffer += state.watch->readAll();
    qsizetype start = 0;
    while (true) {
        const qsizetype newline = state.lineBuffer.indexOf('\n', start);
        if (newline < 0)
            break;
        const QByteArray line = state.lineBuffer.mid(start, newline - start).trimmed();
        start = newline + 1;
        if (!line.isEmpty())
            handleWatchLine(state, line);
        if (state.phase != ResourceState::Phase::Watching)
            return; // relisting
    }
    state.lineBuffer.remove(0, start);
}

void ClusterCollector::handleWatchLine(ResourceState &state, const QByteArray &line)
{
    nlohmann::json event =
        nlohmann::json::parse(line.constBegin(), line.constEnd(), nullptr, false);
    if (!event.is_object() || !event.contains("type") || !event["type"].is_string() ||
        !event.contains("object") || !event["object"].is_object()) {
        qCWarning(lcKube) << state.type.plural << "watch: a line that is not a watch event";
        return;
    }
    const std::string type = event["type"].get<std::string>();
    nlohmann::json &object = event["object"];
    if (type == "ERROR") {
        const int code = object.value("code", 0);
        KubeError error;
        error.code = code == 410 ? KubeErrorCode::Gone : KubeErrorCode::HttpError;
        error.httpStatus = code;
        error.contextName = m_connection.contextName;
        error.url = m_connection.server;
        error.statusMessage = QString::fromStdString(object.value("message", std::string()));
        error.statusReason = QString::fromStdString(object.value("reason", std::string()));
        state.watch->disconnect(this);
        state.watch->deleteLater();
        state.watch = nullptr;
        if (code == 410) {
            qCInfo(lcKube) << state.type.plural << "watch: resourceVersion too old; listing again";
            startList(state);
        } else {
            scheduleWatchRetry(state, error);
        }
        return;
    }
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object())
        return;
    const QString resourceVersion =
        QString::fromStdString(metadata->value("resourceVersion", std::string()));
    if (!resourceVersion.isEmpty())
        state.resourceVersion = resourceVersion;
    if (type == "BOOKMARK")
        return;
    const QString name = QString::fromStdString(metadata->value("name", std::string()));
    const QString namespaceName =
        QString::fromStdString(metadata->value("namespace", std::string()));
    if (state.type.id == KubeResource::Namespaces
            ? !inScope(name)
            : state.type.namespaced && !inScope(namespaceName))
        return;
    const QString key = state.type.namespaced ? namespaceName + u'/' + name : name;
    auto &index = m_index[size_t(state.type.id)];
    if (type == "DELETED") {
        const auto it = index.constFind(key);
        if (it == index.cend())
            return;
        const qsizetype position = *it;
        visitList(m_model, state.type.id, [&](auto &list) {
            const qsizetype last = list.size() - 1;
            if (position != last) {
                list.swapItemsAt(position, last);
                index[objectKey(list.at(position))] = position;
            }
            list.removeLast();
        });
        index.remove(key);
        queueChange({state.type.id, ChangeType::Deleted, namespaceName, name});
        return;
    }
    if (type != "ADDED" && type != "MODIFIED")
        return;
    // Watch events carry kind and apiVersion; be lenient where a server leaves them out.
    if (!object.contains("kind"))
        object["kind"] = state.type.kind.toStdString();
    if (!object.contains("apiVersion"))
        object["apiVersion"] = state.type.apiVersion().toStdString();
    ClusterSnapshot parsed;
    const QByteArray json = QByteArray::fromStdString(object.dump());
    if (Status status = loadSnapshotData(json, collectionPath(state.type), parsed); !status) {
        qCWarning(lcKube).noquote()
            << state.type.plural << "watch: skipped" << namespaceName + u'/' + name << ":"
            << cartograph::describe(status.error());
        return;
    }
    bool added = false;
    visitListPair(m_model, parsed, state.type.id, [&](auto &list, auto &parsedList) {
        if (parsedList.isEmpty())
            return;
        const auto it = index.constFind(key);
        if (it == index.cend()) {
            index.insert(key, list.size());
            list.append(std::move(parsedList.first()));
            added = true;
        } else {
            list[*it] = std::move(parsedList.first());
        }
    });
    queueChange(
        {state.type.id, added ? ChangeType::Added : ChangeType::Modified, namespaceName, name});
}

void ClusterCollector::onWatchFinished(ResourceState &state)
{
    KubeCall *call = std::exchange(state.watch, nullptr);
    if (!call)
        return;
    call->disconnect(this);
    call->deleteLater();
    if (!call->error()) {
        // The server ended the watch (timeoutSeconds): reopen from where we are.
        startWatch(state);
        return;
    }
    const KubeError &error = *call->error();
    if (error.code == KubeErrorCode::Gone) {
        startList(state);
        return;
    }
    if (error.code == KubeErrorCode::Forbidden) {
        recordAccessIssue(state, error, QStringLiteral("watch"));
        state.phase = ResourceState::Phase::Forbidden;
        return;
    }
    scheduleWatchRetry(state, error);
}

void ClusterCollector::scheduleWatchRetry(ResourceState &state, const KubeError &error)
{
    state.backoffMs = state.backoffMs == 0 ? m_options.initialBackoffMs
                                           : std::min(state.backoffMs * 2, m_options.maxBackoffMs);
    state.phase = ResourceState::Phase::WaitingToRetry;
    qCInfo(lcKube).noquote() << state.type.plural << "watch interrupted:" << describe(error)
                             << "- retrying in" << state.backoffMs << "ms";
    setState(ConnectionState::Reconnecting);
    state.retryTimer->start(state.backoffMs);
    Q_EMIT watchInterrupted(error, state.backoffMs);
}

void ClusterCollector::recordAccessIssue(ResourceState &state, const KubeError &error,
                                         const QString &verb)
{
    AccessIssue issue;
    issue.resource = state.type.plural;
    issue.group = state.type.group;
    issue.verb = error.verb.isEmpty() ? verb : error.verb;
    issue.reason = !error.statusReason.isEmpty()
                       ? error.statusReason
                       : (error.code == KubeErrorCode::Forbidden ? QStringLiteral("Forbidden")
                                                                 : QStringLiteral("NotFound"));
    issue.message = error.statusMessage;
    issue.httpStatus = error.httpStatus;
    qCInfo(lcKube).noquote() << "no access:" << issue.verb << issue.resource << issue.reason;
    m_accessIssues.append(issue);
    Q_EMIT accessIssueFound(issue);
}

void ClusterCollector::fail(const KubeError &error)
{
    stop();
    setState(ConnectionState::Failed);
    Q_EMIT failed(error);
}

void ClusterCollector::queueChange(ObjectChange change)
{
    m_pendingChanges.append(std::move(change));
    if (!m_batchTimer->isActive())
        m_batchTimer->start(m_options.batchIntervalMs);
}

void ClusterCollector::flushChanges()
{
    if (m_pendingChanges.isEmpty())
        return;
    ClusterChangeBatch batch;
    batch.sequence = ++m_sequence;
    batch.changes = std::exchange(m_pendingChanges, {});
    batch.snapshot = m_model;
    Q_EMIT changed(batch);
}

void ClusterCollector::rebuildIndex(KubeResource resource)
{
    auto &index = m_index[size_t(resource)];
    index.clear();
    visitList(m_model, resource, [&](const auto &list) {
        index.reserve(list.size());
        for (qsizetype i = 0; i < list.size(); ++i)
            index.insert(objectKey(list.at(i)), i);
    });
}

KubeResult<FetchedCluster> ClusterCollector::fetchSnapshot(const ClusterConnection &connection,
                                                           std::shared_ptr<ExecApproval> approval,
                                                           CollectorOptions options,
                                                           const std::atomic_bool *cancel)
{
    options.watch = false;
    ClusterCollector collector(connection, std::move(approval), options);
    QEventLoop loop;
    std::optional<KubeError> failure;
    connect(&collector, &ClusterCollector::synced, &loop, &QEventLoop::quit);
    connect(&collector, &ClusterCollector::failed, &loop, [&](const KubeError &error) {
        failure = error;
        loop.quit();
    });
    QTimer cancelPoll;
    if (cancel) {
        connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
            if (cancel->load()) {
                KubeError error;
                error.code = KubeErrorCode::Cancelled;
                error.contextName = connection.contextName;
                error.url = connection.server;
                failure = error;
                loop.quit();
            }
        });
        cancelPoll.start(50);
    }
    collector.start();
    if (!collector.m_synced && collector.state() != ConnectionState::Failed)
        loop.exec();
    collector.stop();
    if (failure)
        return *failure;
    return FetchedCluster{collector.model(), collector.accessIssues()};
}

CollectorThread::CollectorThread(std::unique_ptr<ClusterCollector> collector)
    : m_thread(std::make_unique<QThread>())
    , m_collector(collector.release())
{
    m_thread->setObjectName(QStringLiteral("cartograph-kube"));
    m_collector->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_collector, &QObject::deleteLater);
}

CollectorThread::~CollectorThread()
{
    if (m_thread->isRunning()) {
        QMetaObject::invokeMethod(m_collector, &ClusterCollector::stop,
                                  Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    } else {
        delete m_collector;
    }
}

void CollectorThread::start()
{
    m_thread->start();
    QMetaObject::invokeMethod(m_collector, &ClusterCollector::start, Qt::QueuedConnection);
}

KubeSnapshotSource::KubeSnapshotSource(ClusterConnection connection,
                                       std::shared_ptr<ExecApproval> approval,
                                       CollectorOptions options)
    : m_connection(std::move(connection))
    , m_approval(std::move(approval))
    , m_options(std::move(options))
{}

QString KubeSnapshotSource::displayName() const
{
    return tr("context %1 (%2)")
        .arg(m_connection.contextName, m_connection.server.toString(QUrl::RemoveUserInfo));
}

Result<ClusterSnapshot> KubeSnapshotSource::load(const std::atomic_bool *cancel) const
{
    auto fetched = ClusterCollector::fetchSnapshot(m_connection, m_approval, m_options, cancel);
    QMutexLocker lock(&m_mutex);
    if (!fetched) {
        m_lastError = fetched.error();
        m_lastAccessIssues.clear();
        Error error;
        error.code = fetched.error().code == KubeErrorCode::Cancelled ? ErrorCode::Cancelled
                                                                      : ErrorCode::Unreadable;
        error.file = displayName();
        error.detail = describe(fetched.error());
        return error;
    }
    m_lastError.reset();
    m_lastAccessIssues = fetched->accessIssues;
    return std::move(fetched->snapshot);
}

std::optional<KubeError> KubeSnapshotSource::lastError() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastError;
}

QList<AccessIssue> KubeSnapshotSource::lastAccessIssues() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastAccessIssues;
}

} // namespace cartograph::kube
