#include "ClusterCollector.h"
#include "Diagnostics.h"
#include "KubeClient.h"
#include "Kubeconfig.h"
#include "SnapshotIo.h"
#include "TestApiServer.h"

#include <QFile>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <yaml-cpp/yaml.h>

using namespace cartograph;
using namespace cartograph::kube;
using namespace Qt::StringLiterals;
using cartograph::testing::TestApiServer;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray podJson(const QString &name, const QString &label = u"probe"_s)
{
    return QStringLiteral(
               "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%1\","
               "\"namespace\":\"sock-shop\",\"labels\":{\"app\":\"%2\"}},\"spec\":{\"nodeName\":"
               "\"worker-1\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":"
               "{\"phase\":\"Running\",\"podIP\":\"10.244.1.200\",\"podIPs\":[{\"ip\":\"10.244.1."
               "200\"}]}}")
        .arg(name, label)
        .toUtf8();
}

// An HTTP forward proxy that speaks CONNECT only, as the corporate proxies in front of API
// servers do (kubeconfig proxy-url): it records the targets asked for and then relays bytes.
class ConnectProxy : public QObject
{
public:
    ConnectProxy()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, &ConnectProxy::accept);
    }
    quint16 port() const { return m_server.serverPort(); }
    QStringList targets;

private:
    void accept()
    {
        QTcpSocket *client = m_server.nextPendingConnection();
        auto head = std::make_shared<QByteArray>();
        auto upstream = std::make_shared<QPointer<QTcpSocket>>();
        connect(client, &QIODevice::readyRead, client, [this, client, head, upstream] {
            if (*upstream) {
                (*upstream)->write(client->readAll());
                return;
            }
            *head += client->readAll();
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> request = head->left(head->indexOf("\r\n")).split(' ');
            const qsizetype colon = request.value(1).lastIndexOf(':');
            if (request.value(0) != "CONNECT" || colon < 0) {
                client->write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            targets << QString::fromLatin1(request[1]);
            auto *server = new QTcpSocket(client);
            *upstream = server;
            const QByteArray early = head->mid(end + 4);
            connect(server, &QTcpSocket::connected, client, [client, server, early] {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                if (!early.isEmpty())
                    server->write(early);
            });
            connect(server, &QIODevice::readyRead, client,
                    [client, server] { client->write(server->readAll()); });
            connect(server, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            connect(client, &QTcpSocket::disconnected, server, &QTcpSocket::disconnectFromHost);
            server->connectToHost(QString::fromLatin1(request[1].left(colon)),
                                  quint16(request[1].mid(colon + 1).toUInt()));
        });
    }
    QTcpServer m_server;
};

QStringList podNames(const ClusterSnapshot &snapshot)
{
    QStringList names;
    for (const Pod &pod : snapshot.pods)
        names.append(pod.qualifiedName());
    names.sort();
    return names;
}

bool hasChange(const QList<ClusterChangeBatch> &batches, KubeResource resource, ChangeType type,
               const QString &name)
{
    for (const ClusterChangeBatch &batch : batches) {
        for (const ObjectChange &change : batch.changes) {
            if (change.resource == resource && change.type == type && change.name == name)
                return true;
        }
    }
    return false;
}

} // namespace

// The collector against the test API server: the real protocol over HTTPS on loopback.
class TestKubeCollector : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestApiServer> m_server;
    ClusterSnapshot m_demo; // what the server serves, read by the file loader
    ClusterConnection m_connection;

    std::shared_ptr<ExecApproval> noExec() const
    {
        return std::make_shared<ExecApprovalFunction>([](auto &, auto &) { return false; });
    }

    ClusterConnection certificateConnection() const
    {
        ClusterConnection c;
        c.contextName = u"test"_s;
        c.clusterName = u"test"_s;
        c.userName = u"admin"_s;
        c.server = m_server->url();
        c.caPem = readFile(m_server->caFile());
        c.clientCertificatePem = readFile(m_server->clientCertFile());
        c.clientKeyPem = readFile(m_server->clientKeyFile());
        return c;
    }

    static qsizetype count(const ClusterSnapshot &s, KubeResource r)
    {
        switch (r) {
        case KubeResource::Namespaces:
            return s.namespaces.size();
        case KubeResource::Nodes:
            return s.nodes.size();
        case KubeResource::Pods:
            return s.pods.size();
        case KubeResource::Services:
            return s.services.size();
        case KubeResource::EndpointSlices:
            return s.endpointSlices.size();
        case KubeResource::NetworkPolicies:
            return s.networkPolicies.size();
        case KubeResource::DaemonSets:
            return s.daemonSets.size();
        case KubeResource::NodeNetworks:
            return s.nodeNetworks.size();
        }
        return -1;
    }

    int requestsStartingWith(const QString &prefix) const
    {
        const QStringList log = m_server->requestLog();
        return int(std::count_if(log.begin(), log.end(),
                                 [&](const QString &line) { return line.startsWith(prefix); }));
    }
    int requestsEqualTo(const QString &line) const
    {
        return int(m_server->requestLog().count(line));
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("openssl is not on PATH: the test API server makes its certificates with it");
        QVERIFY(m_dir.isValid());
        const QString demo = QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/calico.json");
        auto loaded = loadSnapshotFiles({demo});
        QVERIFY(loaded);
        m_demo = *loaded;
        m_server = std::make_unique<TestApiServer>();
        const Status started = m_server->start();
        QVERIFY2(started, qPrintable(started ? QString() : describe(started.error())));
        QVERIFY(m_server->loadObjects(readFile(demo)) > 0);
        // The kubeconfig the server writes, read the way kubectl reads it.
        const QString kubeconfig = m_server->writeKubeconfig(m_dir.filePath(u"kubeconfig"_s));
        KubeconfigLocation location;
        location.explicitPath = kubeconfig;
        auto config = loadKubeconfig(location);
        QVERIFY(config);
        auto connection = resolveContext(*config);
        QVERIFY(connection);
        m_connection = *connection;
    }

    void init()
    {
        m_server->setForbidden(u"nodes"_s, false);
        m_server->setForbidden(u"networkpolicies"_s, false);
        m_server->setRejectCredentials(false);
        m_server->setResponseDelayMs(0);
        m_server->setServeWrongHostnameCertificate(false);
        m_server->setBookmarkIntervalMs(60000);
        m_server->clearRequestLog();
    }

    // Every resource listed in pages (limit + continue), parsed by the snapshot loader, equal to
    // what the file loader reads from the same objects.
    void listsEverythingInPages()
    {
        CollectorOptions options;
        options.pageSize = 4;
        options.watch = false;
        ClusterCollector collector(m_connection, noExec(), options);
        QSignalSpy synced(&collector, &ClusterCollector::synced);
        QSignalSpy progress(&collector, &ClusterCollector::listProgress);
        collector.start();
        QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, 20000);
        const ClusterSnapshot snapshot = synced.at(0).at(0).value<ClusterSnapshot>();
        for (const ResourceType &type : collectedResources()) {
            if (type.id == KubeResource::NodeNetworks)
                continue;
            QCOMPARE(count(snapshot, type.id), count(m_demo, type.id));
        }
        QCOMPARE(podNames(snapshot), podNames(m_demo));
        QVERIFY(snapshot.nodeNetworks.isEmpty());
        // The NodeNetwork CRD is not installed: 404 is "absent", not a problem.
        QVERIFY(collector.accessIssues().isEmpty());
        QCOMPARE(requestsEqualTo(u"GET /api/v1/pods?limit=4"_s), 1);
        const int pages = int((m_demo.pods.size() + 3) / 4);
        QCOMPARE(requestsStartingWith(u"GET /api/v1/pods?limit=4&continue="_s), pages - 1);
        int podPages = 0;
        for (const QList<QVariant> &arguments : progress) {
            const auto p = arguments.at(0).value<ListProgress>();
            if (p.resource == KubeResource::Pods && p.done) {
                podPages = p.pages;
                QCOMPARE(p.items, m_demo.pods.size());
            }
        }
        QCOMPARE(podPages, pages);
        QVERIFY(requestsEqualTo(u"GET /apis/cartograph.io/v1alpha1/nodenetworks?limit=4"_s) == 1);
    }

    // A continue token that expires mid-list (410) restarts the list from scratch: no
    // duplicates, nothing lost.
    void expiredContinueTokenRelists()
    {
        CollectorOptions options;
        options.pageSize = 3;
        options.watch = false;
        m_server->setResponseDelayMs(30);
        ClusterCollector collector(m_connection, noExec(), options);
        QSignalSpy synced(&collector, &ClusterCollector::synced);
        bool expired = false;
        connect(&collector, &ClusterCollector::listProgress, this, [&](const ListProgress &p) {
            if (p.resource == KubeResource::Pods && p.pages == 1 && !expired) {
                expired = true;
                m_server->expireContinueTokens();
            }
        });
        collector.start();
        QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, 30000);
        QVERIFY(expired);
        QCOMPARE(requestsEqualTo(u"GET /api/v1/pods?limit=3"_s), 2);
        const ClusterSnapshot snapshot = collector.model();
        QCOMPARE(podNames(snapshot), podNames(m_demo));
    }

    // After the list, watches apply ADDED / MODIFIED / DELETED to the model and hand out
    // batched, immutable changes.
    void watchAppliesEventsInBatches()
    {
        CollectorOptions options;
        options.batchIntervalMs = 300;
        QList<ClusterChangeBatch> batches; // outlives the collector that appends to it
        ClusterCollector collector(m_connection, noExec(), options);
        QSignalSpy synced(&collector, &ClusterCollector::synced);
        connect(&collector, &ClusterCollector::changed, this,
                [&](const ClusterChangeBatch &batch) { batches.append(batch); });
        collector.start();
        QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, 20000);
        QCOMPARE(collector.state(), ConnectionState::Live);
        // One watch per served resource (the NodeNetwork CRD is absent), from the list's
        // resourceVersion, with bookmarks.
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 7, 10000);
        const QString listedVersion = collector.resourceVersion(KubeResource::Pods);
        QVERIFY(!listedVersion.isEmpty());
        QCOMPARE(requestsStartingWith(u"GET /api/v1/pods?watch=true&resourceVersion="_s +
                                      listedVersion + u"&allowWatchBookmarks=true"_s),
                 1);

        // Three pods added at once arrive as one batch.
        for (const QString &name : {u"probe-a"_s, u"probe-b"_s, u"probe-c"_s})
            QVERIFY(!m_server->upsertObject(podJson(name)).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            hasChange(batches, KubeResource::Pods, ChangeType::Added, u"probe-c"_s), 10000);
        QCOMPARE(batches.size(), 1);
        QCOMPARE(batches.constFirst().changes.size(), 3);
        const ClusterSnapshot afterAdd = batches.constFirst().snapshot;
        QCOMPARE(afterAdd.pods.size(), m_demo.pods.size() + 3);
        QVERIFY(afterAdd.findPod(u"sock-shop", u"probe-b") >= 0);

        const QString modifiedVersion = m_server->upsertObject(podJson(u"probe-b"_s, u"changed"_s));
        QTRY_VERIFY_WITH_TIMEOUT(
            hasChange(batches, KubeResource::Pods, ChangeType::Modified, u"probe-b"_s), 10000);
        const qsizetype modified = collector.model().findPod(u"sock-shop", u"probe-b");
        QVERIFY(modified >= 0);
        QCOMPARE(collector.model().pods.at(modified).labels.value(u"app"), u"changed"_s);
        QCOMPARE(collector.resourceVersion(KubeResource::Pods), modifiedVersion);
        // The batch handed out earlier is immutable: it still has the old label.
        const qsizetype before = afterAdd.findPod(u"sock-shop", u"probe-b");
        QCOMPARE(afterAdd.pods.at(before).labels.value(u"app"), u"probe"_s);

        for (const QString &name : {u"probe-a"_s, u"probe-b"_s, u"probe-c"_s})
            QVERIFY(m_server->deleteObject(u"pods"_s, u"sock-shop"_s, name));
        QTRY_VERIFY_WITH_TIMEOUT(
            hasChange(batches, KubeResource::Pods, ChangeType::Deleted, u"probe-c"_s), 10000);
        QCOMPARE(podNames(batches.constLast().snapshot), podNames(m_demo));
        QCOMPARE(podNames(collector.model()), podNames(m_demo));
        collector.stop();
        QCOMPARE(collector.state(), ConnectionState::Disconnected);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 0, 10000);
    }

    // Bookmarks move the resourceVersion although no pod changed, so a reconnect resumes from
    // the newest version; a dropped stream is reopened.
    void bookmarksAndReconnect()
    {
        m_server->setBookmarkIntervalMs(100);
        CollectorOptions options;
        options.batchIntervalMs = 50;
        options.initialBackoffMs = 100;
        QList<ClusterChangeBatch> batches; // outlives the collector that appends to it
        ClusterCollector collector(m_connection, noExec(), options);
        QSignalSpy synced(&collector, &ClusterCollector::synced);
        connect(&collector, &ClusterCollector::changed, this,
                [&](const ClusterChangeBatch &batch) { batches.append(batch); });
        collector.start();
        QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 7, 10000);
        // A namespace changes: the pods watch sees no event, only bookmarks.
        const QString newest =
            m_server->upsertObject("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{"
                                   "\"name\":\"bookmarked\"}}");
        QVERIFY(!newest.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(collector.resourceVersion(KubeResource::Pods), newest, 10000);

        m_server->clearRequestLog();
        m_server->dropWatchConnections();
        QTRY_VERIFY_WITH_TIMEOUT(
            requestsStartingWith(u"GET /api/v1/pods?watch=true&resourceVersion="_s + newest) == 1,
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 7, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(collector.state(), ConnectionState::Live, 10000);
        QCOMPARE(requestsStartingWith(u"GET /api/v1/pods?limit="_s), 0); // no relist
        QVERIFY(!m_server->upsertObject(podJson(u"after-drop"_s)).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            hasChange(batches, KubeResource::Pods, ChangeType::Added, u"after-drop"_s), 10000);
        QVERIFY(m_server->deleteObject(u"pods"_s, u"sock-shop"_s, u"after-drop"_s));
        QVERIFY(m_server->deleteObject(u"namespaces"_s, {}, u"bookmarked"_s));
        QTRY_VERIFY_WITH_TIMEOUT(collector.model().findPod(u"sock-shop", u"after-drop") < 0, 10000);
    }

    // History compacted past our resourceVersion: the watch gets 410 Gone and the collector
    // lists again, picking up what changed while it was away.
    void relistOnGone()
    {
        CollectorOptions options;
        options.batchIntervalMs = 50;
        options.initialBackoffMs = 100;
        QList<ClusterChangeBatch> batches; // outlives the collector that appends to it
        ClusterCollector collector(m_connection, noExec(), options);
        QSignalSpy synced(&collector, &ClusterCollector::synced);
        connect(&collector, &ClusterCollector::changed, this,
                [&](const ClusterChangeBatch &batch) { batches.append(batch); });
        collector.start();
        QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 7, 10000);
        // Keep the watches out (reconnects get 401 and back off) while a pod is added and the
        // history compacted past their resourceVersion.
        QSignalSpy interrupted(&collector, &ClusterCollector::watchInterrupted);
        m_server->setRejectCredentials(true);
        m_server->dropWatchConnections();
        // First the cut streams, then reconnects refused with 401, retried with backoff.
        auto interruptions = [&](KubeErrorCode code) {
            return std::count_if(interrupted.cbegin(), interrupted.cend(), [&](const auto &args) {
                return args.at(0).template value<KubeError>().code == code;
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(interruptions(KubeErrorCode::NetworkOther) >= 7, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(interruptions(KubeErrorCode::Unauthorized) >= 7, 10000);
        QCOMPARE(collector.state(), ConnectionState::Reconnecting);
        QVERIFY(!m_server->upsertObject(podJson(u"while-away"_s)).isEmpty());
        m_server->compactHistory();
        m_server->clearRequestLog();
        m_server->setRejectCredentials(false);
        QTRY_VERIFY_WITH_TIMEOUT(hasChange(batches, KubeResource::Pods, ChangeType::Resynced, {}),
                                 20000);
        QVERIFY(requestsEqualTo(u"GET /api/v1/pods?limit=500"_s) >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(collector.model().findPod(u"sock-shop", u"while-away") >= 0,
                                 10000);
        QCOMPARE(collector.model().pods.size(), m_demo.pods.size() + 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 7, 10000);
        QVERIFY(m_server->deleteObject(u"pods"_s, u"sock-shop"_s, u"while-away"_s));
        QTRY_VERIFY_WITH_TIMEOUT(collector.model().findPod(u"sock-shop", u"while-away") < 0, 10000);
    }

    // 403 on some resources: recorded with verb, resource and group; the rest is read.
    void partialAccessDegrades()
    {
        m_server->setForbidden(u"nodes"_s);
        m_server->setForbidden(u"networkpolicies"_s);
        auto fetched = ClusterCollector::fetchSnapshot(m_connection, noExec());
        QVERIFY2(fetched, qPrintable(fetched ? QString() : describe(fetched.error())));
        QVERIFY(fetched->snapshot.nodes.isEmpty());
        QVERIFY(fetched->snapshot.networkPolicies.isEmpty());
        QCOMPARE(podNames(fetched->snapshot), podNames(m_demo));
        QCOMPARE(fetched->snapshot.services.size(), m_demo.services.size());
        QCOMPARE(fetched->accessIssues.size(), 2);
        QStringList issues;
        for (const AccessIssue &issue : fetched->accessIssues)
            issues.append(issue.verb + u' ' + issue.resource + u'.' + issue.group + u' ' +
                          issue.reason);
        issues.sort();
        QCOMPARE(issues, (QStringList{u"list networkpolicies.networking.k8s.io Forbidden"_s,
                                      u"list nodes. Forbidden"_s}));
        const QList<Finding> findings =
            diagnoseAccessIssues(fetched->accessIssues, m_connection.contextName);
        QCOMPARE(findings.size(), 2);
        for (const Finding &finding : findings) {
            QCOMPARE(finding.severity, Severity::Warning);
            QVERIFY(finding.suggestion.contains(u"name: cartograph-reader"));
            QVERIFY(finding.suggestion.contains(u"verbs: [\"get\", \"list\", \"watch\"]"));
        }
        QVERIFY(findings.at(0).suggestion.contains(u"kubectl auth can-i list "));
    }

    // The shipped ClusterRole grants exactly get/list/watch on exactly what the collector reads.
    void readerClusterRoleMatchesCollectedResources()
    {
        const QByteArray yaml = readFile(QStringLiteral(
            CARTOGRAPH_SOURCE_DIR "/installer/kubernetes/cartograph-reader-clusterrole.yaml"));
        QVERIFY(!yaml.isEmpty());
        QCOMPARE(readerClusterRoleYaml().toUtf8(), yaml); // the diagnostics quote this file
        const std::vector<YAML::Node> documents = YAML::LoadAll(yaml.toStdString());
        QCOMPARE(documents.size(), size_t(2));
        QCOMPARE(documents[0]["kind"].as<std::string>(), std::string("ClusterRole"));
        QCOMPARE(documents[1]["kind"].as<std::string>(), std::string("ClusterRoleBinding"));
        QCOMPARE(documents[1]["roleRef"]["name"].as<std::string>(),
                 documents[0]["metadata"]["name"].as<std::string>());
        QSet<QString> granted;
        for (const YAML::Node &rule : documents[0]["rules"]) {
            QStringList verbs;
            for (const YAML::Node &verb : rule["verbs"])
                verbs.append(QString::fromStdString(verb.as<std::string>()));
            QCOMPARE(verbs, (QStringList{u"get"_s, u"list"_s, u"watch"_s}));
            for (const YAML::Node &group : rule["apiGroups"])
                for (const YAML::Node &resource : rule["resources"])
                    granted.insert(QString::fromStdString(resource.as<std::string>()) + u'.' +
                                   QString::fromStdString(group.as<std::string>()));
        }
        QSet<QString> read;
        for (const ResourceType &type : collectedResources())
            read.insert(type.plural + u'.' + type.group);
        QCOMPARE(granted, read);
    }

    // -n: namespaced resources from that namespace's paths, namespaces filtered to it.
    void namespaceScope()
    {
        CollectorOptions options;
        options.namespaceName = u"sock-shop"_s;
        auto fetched = ClusterCollector::fetchSnapshot(m_connection, noExec(), options);
        QVERIFY(fetched);
        QCOMPARE(fetched->snapshot.namespaces.size(), 1);
        QCOMPARE(fetched->snapshot.namespaces.constFirst().name, u"sock-shop"_s);
        qsizetype sockShopPods = 0;
        for (const Pod &pod : m_demo.pods)
            sockShopPods += pod.namespaceName == u"sock-shop";
        QCOMPARE(fetched->snapshot.pods.size(), sockShopPods);
        QCOMPARE(fetched->snapshot.nodes.size(), m_demo.nodes.size());
        QCOMPARE(requestsEqualTo(u"GET /api/v1/namespaces/sock-shop/pods?limit=500"_s), 1);
        QCOMPARE(requestsStartingWith(u"GET /api/v1/pods"_s), 0);
    }

    // 401 on the initial list is fatal: failed() with a typed error, Diagnostics explains it.
    // HTTP/1.1 keep-alive: sequential requests share one connection; a kept-alive connection
    // the server closed meanwhile (its idle timeout) is replaced transparently.
    void connectionsAreKeptAlive()
    {
        KubeClient client(m_connection, noExec());
        const int before = m_server->connectionsAccepted();
        for (int i = 0; i < 3; ++i) {
            auto body = client.getBlocking(u"/api/v1/namespaces"_s);
            QVERIFY2(body, body ? "" : qPrintable(describe(body.error())));
            QVERIFY(body->contains("\"NamespaceList\""));
        }
        QCOMPARE(m_server->connectionsAccepted() - before, 1);

        m_server->closeIdleConnections();
        QTest::qWait(100); // the close reaches the client's idle connection
        auto again = client.getBlocking(u"/api/v1/nodes"_s);
        QVERIFY2(again, again ? "" : qPrintable(describe(again.error())));
        QVERIFY(again->contains("\"NodeList\""));
        QCOMPARE(m_server->connectionsAccepted() - before, 2);

        // Closed before the client noticed: the request goes out on the dead connection first.
        m_server->closeIdleConnections();
        auto third = client.getBlocking(u"/api/v1/nodes"_s);
        QVERIFY2(third, third ? "" : qPrintable(describe(third.error())));
        QVERIFY(third->contains("\"NodeList\""));
        QCOMPARE(m_server->connectionsAccepted() - before, 3);
    }

    // What the client makes of bytes that are not the HTTP/1.1 it expects, from a server that
    // answers every request with `response` and closes the connection.
    void malformedResponses_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<int>("splitAt"); // written in two parts, 50 ms apart (0: at once)
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("detail");
        const auto bad = int(KubeErrorCode::BadResponse);
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << 0 << false
                                  << QByteArray() << bad << u"not an HTTP/1.1 response"_s;
        QTest::newRow("status not a number")
            << QByteArray("HTTP/1.1 OK fine\r\n\r\n") << 0 << false << QByteArray() << bad
            << u"not an HTTP/1.1 response: HTTP/1.1 OK fine"_s;
        QTest::newRow("headers too long")
            << QByteArray("HTTP/1.1 200 OK\r\nX-Padding: " + QByteArray(70000, 'a') + "\r\n\r\n")
            << 0 << false << QByteArray() << bad << u"response headers longer than 65536 bytes"_s;
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 0
            << false << QByteArray() << bad << u"malformed chunked transfer encoding"_s;
        QTest::newRow("chunk-size line of 5000 bytes")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;" +
                          QByteArray(5000, 'x') + "\r\nabc\r\n0\r\n\r\n")
            << 0 << false << QByteArray() << bad << u"malformed chunked transfer encoding"_s;
        QTest::newRow("chunk without its CRLF")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcde\r\n")
            << 0 << false << QByteArray() << bad << u"malformed chunked transfer encoding"_s;
        QTest::newRow("body shorter than Content-Length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"kind\"") << 0 << false
            << QByteArray() << int(KubeErrorCode::NetworkOther) << QString();
        QTest::newRow("chunked, extension and trailer")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;name=v\r\nabc"
                          "\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n")
            << 0 << true << QByteArray("abcde") << 0 << QString();
        QTest::newRow("HTTP/1.0, ends with the connection")
            << QByteArray("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}") << 0
            << true << QByteArray("{}") << 0 << QString();
        QTest::newRow("headers split at a line boundary")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]") << 17 << true
            << QByteArray("[]") << 0 << QString();
        QTest::newRow("headers split inside a line")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]") << 25 << true
            << QByteArray("[]") << 0 << QString();
        QTest::newRow("chunked, split inside the size line")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0"
                          "\r\n\r\n")
            << 48 << true << QByteArray("abc") << 0 << QString();
        QTest::newRow("100 Continue first")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                          "\r\n[]")
            << 0 << true << QByteArray("[]") << 0 << QString();
    }

    void malformedResponses()
    {
        QFETCH(QByteArray, response);
        QFETCH(int, splitAt);
        QFETCH(bool, ok);
        QFETCH(QByteArray, body);
        QFETCH(int, code);
        QFETCH(QString, detail);
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::newConnection, &server, [&] {
            QTcpSocket *socket = server.nextPendingConnection();
            auto request = std::make_shared<QByteArray>();
            connect(socket, &QIODevice::readyRead, socket, [socket, request, response, splitAt] {
                *request += socket->readAll();
                if (!request->contains("\r\n\r\n"))
                    return;
                if (splitAt == 0) {
                    socket->write(response);
                    socket->disconnectFromHost();
                    return;
                }
                socket->write(response.left(splitAt));
                socket->flush();
                QTimer::singleShot(50, socket, [socket, response, splitAt] {
                    socket->write(response.mid(splitAt));
                    socket->disconnectFromHost();
                });
            });
        });
        ClusterConnection connection = m_connection;
        connection.server = QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort()));
        KubeClient client(connection, noExec());
        RequestOptions options;
        options.timeoutMs = 10000;
        auto result = client.getBlocking(u"/api/v1/namespaces"_s, {}, options);
        QCOMPARE(bool(result), ok);
        if (ok) {
            QCOMPARE(*result, body);
            return;
        }
        QCOMPARE(int(result.error().code), code);
        QVERIFY2(result.error().detail.contains(detail), qPrintable(result.error().detail));
        QCOMPARE(result.error().requestUrl.path(), u"/api/v1/namespaces"_s);
    }

    void rejectedCredentialsFail()
    {
        m_server->setRejectCredentials(true);
        auto fetched = ClusterCollector::fetchSnapshot(m_connection, noExec());
        QVERIFY(!fetched);
        QCOMPARE(fetched.error().code, KubeErrorCode::Unauthorized);
        QCOMPARE(fetched.error().contextName, m_connection.contextName);
        const QList<Finding> findings = diagnoseError(fetched.error());
        QCOMPARE(findings.constFirst().id, u"unauthorized"_s);
        QVERIFY(findings.constFirst().detail.contains(m_server->url().toString()));
    }

    // The GUI's shape: the collector on its own thread, signals delivered queued.
    void collectorThread()
    {
        auto collector = std::make_unique<ClusterCollector>(m_connection, noExec());
        ClusterCollector *raw = collector.get();
        CollectorThread thread(std::move(collector));
        QSignalSpy synced(raw, &ClusterCollector::synced);
        QSignalSpy states(raw, &ClusterCollector::stateChanged);
        QThread *emittedOn = nullptr;
        connect(
            raw, &ClusterCollector::synced, raw, [&] { emittedOn = QThread::currentThread(); },
            Qt::DirectConnection);
        thread.start();
        QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, 20000);
        QVERIFY(emittedOn && emittedOn != QThread::currentThread());
        QCOMPARE(podNames(synced.at(0).at(0).value<ClusterSnapshot>()), podNames(m_demo));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 7, 10000);
        QVERIFY(states.count() >= 2);
        QCOMPARE(states.at(0).at(0).value<ConnectionState>(), ConnectionState::Listing);
        QCOMPARE(states.at(1).at(0).value<ConnectionState>(), ConnectionState::Live);
    }

    void snapshotSource()
    {
        KubeSnapshotSource source(m_connection, noExec());
        QVERIFY(source.displayName().contains(m_connection.contextName));
        auto snapshot = source.load();
        QVERIFY(snapshot);
        QCOMPARE(podNames(*snapshot), podNames(m_demo));
        m_server->setRejectCredentials(true);
        auto failed = source.load();
        QVERIFY(!failed);
        QVERIFY(source.lastError());
        QCOMPARE(source.lastError()->code, KubeErrorCode::Unauthorized);
        QVERIFY(describe(failed.error()).contains(u"401"));
    }

    // ---- the client: TLS, credentials, typed errors ----

    void clientTls_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<int>("code"); // -1: success
        QTest::newRow("client certificate") << u"cert"_s << -1;
        QTest::newRow("bearer token") << u"token"_s << -1;
        QTest::newRow("tokenFile") << u"tokenFile"_s << -1;
        QTest::newRow("wrong token: 401") << u"badToken"_s << int(KubeErrorCode::Unauthorized);
        QTest::newRow("unknown CA") << u"otherCa"_s << int(KubeErrorCode::TlsUnknownCa);
        QTest::newRow("system roots do not know the test CA")
            << u"noCa"_s << int(KubeErrorCode::TlsUnknownCa);
        QTest::newRow("insecure-skip-tls-verify") << u"insecure"_s << -1;
        QTest::newRow("hostname mismatch")
            << u"wrongHost"_s << int(KubeErrorCode::TlsHostnameMismatch);
        QTest::newRow("tls-server-name matches the certificate") << u"tlsServerName"_s << -1;
        QTest::newRow("expired client certificate")
            << u"expired"_s << int(KubeErrorCode::TlsClientCertificateExpired);
        QTest::newRow("forbidden: typed 403") << u"forbidden"_s << int(KubeErrorCode::Forbidden);
        QTest::newRow("404") << u"notFound"_s << int(KubeErrorCode::NotFound);
    }

    void clientTls()
    {
        QFETCH(QString, setup);
        QFETCH(int, code);
        ClusterConnection c = certificateConnection();
        QString path = u"/api/v1/nodes"_s;
        if (setup == u"token" || setup == u"tokenFile" || setup == u"badToken") {
            c.clientCertificatePem.clear();
            c.clientKeyPem.clear();
            if (setup == u"token")
                c.token = m_server->token();
            else if (setup == u"badToken")
                c.token = u"not-a-valid-token"_s;
            else {
                QFile file(m_dir.filePath(u"token"_s));
                QVERIFY(file.open(QIODevice::WriteOnly));
                file.write(m_server->token().toUtf8() + '\n');
                c.tokenFile = file.fileName();
            }
        } else if (setup == u"otherCa") {
            c.caPem = readFile(m_server->otherCaFile());
        } else if (setup == u"noCa") {
            c.caPem.clear();
        } else if (setup == u"insecure") {
            c.caPem = readFile(m_server->otherCaFile());
            c.insecureSkipTlsVerify = true;
        } else if (setup == u"wrongHost" || setup == u"tlsServerName") {
            m_server->setServeWrongHostnameCertificate(true);
            if (setup == u"tlsServerName")
                c.tlsServerName = u"wrong-host.invalid"_s;
        } else if (setup == u"expired") {
            c.clientCertificatePem = readFile(m_server->expiredClientCertFile());
            c.clientKeyPem = readFile(m_server->expiredClientKeyFile());
        } else if (setup == u"forbidden") {
            m_server->setForbidden(u"nodes"_s);
        } else if (setup == u"notFound") {
            path = u"/apis/cartograph.io/v1alpha1/nodenetworks"_s;
        }
        KubeClient client(c, noExec());
        RequestOptions options;
        options.verb = u"list"_s;
        auto body = client.getBlocking(path, {}, options);
        if (code < 0) {
            QVERIFY2(body, qPrintable(body ? QString() : describe(body.error())));
            QVERIFY(body->contains("NodeList"));
            if (!c.token.isEmpty() || !c.tokenFile.isEmpty())
                QCOMPARE(m_server->authorizationHeadersSeen().value(0),
                         u"Bearer "_s + m_server->token());
            return;
        }
        QVERIFY(!body);
        const KubeError &error = body.error();
        QCOMPARE(int(error.code), code);
        QCOMPARE(error.contextName, u"test"_s);
        QCOMPARE(error.url, m_server->url());
        const QList<Finding> findings = diagnoseError(error);
        QCOMPARE(findings.size(), 1);
        QVERIFY2(findings.constFirst().detail.contains(m_server->url().toString()) ||
                     error.code == KubeErrorCode::Forbidden,
                 qPrintable(findings.constFirst().detail));
        if (error.code == KubeErrorCode::TlsClientCertificateExpired) {
            QCOMPARE(error.certificateExpiry.date(), QDate(2021, 1, 1));
            QVERIFY(findings.constFirst().title.contains(u"2021-01-01"));
            QVERIFY(findings.constFirst().suggestion.contains(u"kubeadm certs renew"));
        }
        if (error.code == KubeErrorCode::Forbidden) {
            QCOMPARE(error.verb, u"list"_s);
            QCOMPARE(error.resource, u"nodes"_s);
            QCOMPARE(error.group, QString());
            QVERIFY(!error.statusMessage.isEmpty());
            QCOMPARE(findings.constFirst().title, u"Forbidden: may not list nodes"_s);
            QVERIFY(findings.constFirst().suggestion.contains(u"name: cartograph-reader"));
        }
        if (error.code == KubeErrorCode::TlsHostnameMismatch)
            QVERIFY(findings.constFirst().suggestion.contains(u"tls-server-name"));
    }

    // proxy-url: the whole cluster is listed through an HTTP proxy's CONNECT tunnel, TLS and
    // the client certificate end to end with the API server.
    void listsThroughHttpProxy()
    {
        ConnectProxy proxy;
        ClusterConnection connection = m_connection;
        connection.proxyUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
        CollectorOptions options;
        options.pageSize = 7;
        auto fetched = ClusterCollector::fetchSnapshot(connection, noExec(), options);
        QVERIFY2(fetched, fetched ? "" : qPrintable(describe(fetched.error())));
        QCOMPARE(podNames(fetched->snapshot), podNames(m_demo));
        QVERIFY(!proxy.targets.isEmpty());
        const QString target = m_server->url().authority();
        for (const QString &asked : std::as_const(proxy.targets))
            QCOMPARE(asked, target);
    }

    // Unreachable servers: DNS failure, connection refused, no answer; a dead proxy.
    void unreachable_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("findingId");
        QTest::newRow("DNS") << u"dns"_s << int(KubeErrorCode::DnsFailure) << u"server-dns"_s;
        QTest::newRow("refused") << u"refused"_s << int(KubeErrorCode::ConnectionRefused)
                                 << u"server-refused"_s;
        QTest::newRow("timeout") << u"timeout"_s << int(KubeErrorCode::Timeout)
                                 << u"server-timeout"_s;
        QTest::newRow("proxy") << u"proxy"_s << int(KubeErrorCode::ProxyFailure)
                               << u"server-unreachable"_s;
    }

    void unreachable()
    {
        QFETCH(QString, kind);
        QFETCH(int, code);
        QFETCH(QString, findingId);
        ClusterConnection c = certificateConnection();
        c.contextName = u"prod-eu"_s;
        QTcpServer silent; // accepts TCP (the kernel does) and never says a word
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        if (kind == u"dns")
            c.server = QUrl(u"https://api.cartograph-test.invalid:6443"_s);
        else if (kind == u"refused")
            c.server = QUrl(u"https://127.0.0.1:%1"_s.arg(closedPort));
        else if (kind == u"timeout")
            c.server = QUrl(u"https://127.0.0.1:%1"_s.arg(silent.serverPort()));
        else
            c.proxyUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(closedPort));
        CollectorOptions options;
        options.requestTimeoutMs = 700;
        auto fetched = ClusterCollector::fetchSnapshot(c, noExec(), options);
        QVERIFY(!fetched);
        QCOMPARE(int(fetched.error().code), code);
        const QList<Finding> findings = diagnoseError(fetched.error());
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.constFirst().id, findingId);
        QCOMPARE(findings.constFirst().severity, Severity::Error);
        QVERIFY2(findings.constFirst().detail.contains(c.server.toString()),
                 qPrintable(findings.constFirst().detail));
        QVERIFY2(findings.constFirst().detail.contains(u"Context: prod-eu"),
                 qPrintable(findings.constFirst().detail));
    }

    // ---- diagnostics that need only a snapshot (live or a file) ----

    void nodeNotReady()
    {
        ClusterSnapshot snapshot;
        const QByteArray node =
            R"json({"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-9"},
            "status":{"conditions":[{"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown",
            "message":"Kubelet stopped posting node status.",
            "lastHeartbeatTime":"2026-11-27T10:00:00Z"}]}})json";
        QVERIFY(loadSnapshotData(node, u"node.json"_s, snapshot));
        const QList<Finding> findings = diagnoseSnapshot(snapshot);
        QCOMPARE(findings.size(), 1);
        const Finding &f = findings.constFirst();
        QCOMPARE(f.id, u"node-not-ready"_s);
        QCOMPARE(f.severity, Severity::Error);
        QCOMPARE(f.subject, u"node/worker-9"_s);
        QVERIFY(f.detail.contains(u"Kubelet stopped posting node status."));
        QVERIFY(f.detail.contains(u"2026-11-27T10:00:00Z"));
        QVERIFY(f.suggestion.contains(u"systemctl status kubelet"));
        QVERIFY(f.suggestion.contains(u"journalctl -u kubelet"));
    }

    void staticPodsOnControlPlane()
    {
        const QList<Finding> complete = diagnoseSnapshot(m_demo);
        QVERIFY(std::none_of(complete.cbegin(), complete.cend(),
                             [](const Finding &f) { return f.id == u"static-pod-missing"; }));
        ClusterSnapshot withoutScheduler = m_demo;
        const qsizetype before = withoutScheduler.pods.size();
        withoutScheduler.pods.removeIf([](const Pod &pod) {
            return pod.namespaceName == u"kube-system" && pod.name.startsWith(u"kube-scheduler-");
        });
        QCOMPARE(withoutScheduler.pods.size(), before - 1);
        QList<Finding> missing;
        for (const Finding &f : diagnoseSnapshot(withoutScheduler)) {
            if (f.id == u"static-pod-missing")
                missing.append(f);
        }
        QCOMPARE(missing.size(), 1);
        QCOMPARE(missing.constFirst().subject, u"node/control-plane"_s);
        QVERIFY(missing.constFirst().title.contains(u"kube-scheduler"));
        QVERIFY(!missing.constFirst().title.contains(u"etcd"));
        QVERIFY(missing.constFirst().detail.contains(u"/etc/kubernetes/manifests"));
        QVERIFY(missing.constFirst().suggestion.contains(u"staticPodPath"));
        QVERIFY(missing.constFirst().suggestion.contains(u"kube-scheduler.yaml"));
    }

    void cniAndNodePorts()
    {
        auto flannel = loadSnapshotFiles(
            {QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/flannel.json")});
        QVERIFY(flannel);
        QStringList flannelIds;
        for (const Finding &f : diagnoseSnapshot(*flannel))
            flannelIds.append(f.id);
        QVERIFY(flannelIds.contains(u"cni-ignores-networkpolicy"_s));
        QStringList calicoIds;
        QString nodePortDetail;
        for (const Finding &f : diagnoseSnapshot(m_demo)) {
            calicoIds.append(f.id);
            if (f.id == u"nodeport")
                nodePortDetail = f.detail;
        }
        QVERIFY(!calicoIds.contains(u"cni-ignores-networkpolicy"_s));
        QVERIFY2(nodePortDetail.contains(u"http://192.168.56.10:30001"),
                 qPrintable(nodePortDetail));
        QVERIFY(nodePortDetail.contains(u"http://192.168.56.12:30001"));
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_GUILESS_MAIN(TestKubeCollector)
#include "tst_kubecollector.moc"
