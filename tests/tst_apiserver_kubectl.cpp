// The test API server against real clients: kubectl (the oracle for the Kubernetes protocol:
// discovery, server-side tables, paging, watch, Status errors, authentication) and curl (raw
// HTTPS with client certificates), then QNetworkAccessManager for what kubectl cannot reach
// (bookmarks, 410 inside a watch stream, dropped streams).

#include "TestApiServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <memory>

using namespace Qt::StringLiterals;
using cartograph::testing::TestApiServer;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

QJsonObject parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QString podJson(const QString &ns, const QString &name, const QString &phase)
{
    const QJsonObject pod{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"Pod"_s},
        {u"metadata"_s, QJsonObject{{u"name"_s, name}, {u"namespace"_s, ns}}},
        {u"spec"_s,
         QJsonObject{{u"containers"_s, QJsonArray{QJsonObject{{u"name"_s, u"web"_s},
                                                              {u"image"_s, u"nginx:1.27"_s}}}},
                     {u"nodeName"_s, u"worker-1"_s}}},
        {u"status"_s, QJsonObject{{u"phase"_s, phase}}}};
    return QString::fromUtf8(QJsonDocument(pod).toJson(QJsonDocument::Compact));
}

} // namespace

class TestApiServerKubectl : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestApiServer> m_server;
    QTemporaryDir m_dir;
    QString m_kubectl;
    QString m_curl;
    QString m_kubeconfig;
    QJsonArray m_fixtureItems; // resources/demo/calico.json: a whole cluster as kubectl lists it

    QStringList fixtureNames(const QString &kind, const QString &ns = {}) const
    {
        QStringList names;
        for (const QJsonValue &item : m_fixtureItems) {
            const QJsonObject metadata = item[u"metadata"].toObject();
            if (item[u"kind"].toString() == kind &&
                (ns.isEmpty() || metadata[u"namespace"].toString() == ns))
                names << metadata[u"name"].toString();
        }
        return names;
    }

    QProcessEnvironment kubectlEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // kubectl caches discovery under $HOME/.kube/cache; every run here starts cold.
        env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
        env.remove(u"KUBECONFIG"_s);
        return env;
    }

    Run kubectl(const QStringList &arguments) const { return kubectlWith(m_kubeconfig, arguments); }

    // kubectl with another kubeconfig; with none (empty) the connection comes from flags alone.
    Run kubectlWith(const QString &kubeconfig, const QStringList &arguments) const
    {
        QProcess process;
        process.setProcessEnvironment(kubectlEnvironment());
        QStringList all;
        if (!kubeconfig.isEmpty())
            all << u"--kubeconfig"_s << kubeconfig;
        all << u"--request-timeout=30s"_s << arguments;
        process.start(m_kubectl, all);
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            return Run{-1, {}, u"kubectl did not finish"_s};
        }
        return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                   QString::fromUtf8(process.readAllStandardOutput()),
                   QString::fromUtf8(process.readAllStandardError())};
    }

    // curl with the server's CA and client certificate; prints the body, then the status code.
    Run curl(const QString &pathAndQuery, const QStringList &extra = {}) const
    {
        QProcess process;
        QStringList arguments = {u"--silent"_s, u"--show-error"_s, u"--write-out"_s,
                                 u"\n%{http_code}"_s};
        if (!extra.contains(u"--cacert"_s))
            arguments << u"--cacert"_s << m_server->caFile();
        if (!extra.contains(u"--cert"_s))
            arguments << u"--cert"_s << m_server->clientCertFile() << u"--key"_s
                      << m_server->clientKeyFile();
        arguments << extra << m_server->url().toString() + pathAndQuery;
        process.start(m_curl, arguments);
        if (!process.waitForFinished(60000))
            return Run{-1, {}, u"curl did not finish"_s};
        return Run{process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                   QString::fromUtf8(process.readAllStandardError())};
    }

    QSslConfiguration clientTls() const
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(m_server->caFile()));
        tls.setLocalCertificate(QSslCertificate::fromPath(m_server->clientCertFile()).value(0));
        QFile key(m_server->clientKeyFile());
        if (key.open(QIODevice::ReadOnly))
            tls.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec));
        return tls;
    }

    QNetworkRequest request(const QString &pathAndQuery) const
    {
        QNetworkRequest r(QUrl(m_server->url().toString() + pathAndQuery));
        r.setSslConfiguration(clientTls());
        return r;
    }

private slots:
    void initTestCase()
    {
        m_kubectl = QStandardPaths::findExecutable(u"kubectl"_s);
        if (m_kubectl.isEmpty())
            QSKIP("kubectl is not on PATH (apt-get install kubernetes-client)");
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("openssl is not on PATH: the test API server makes its certificates with it");
        m_curl = QStandardPaths::findExecutable(u"curl"_s);
        QVERIFY(m_dir.isValid());

        QFile fixture(QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/calico.json"));
        QVERIFY2(fixture.open(QIODevice::ReadOnly), qPrintable(fixture.errorString()));
        const QByteArray json = fixture.readAll();
        m_fixtureItems = QJsonDocument::fromJson(json).object()[u"items"].toArray();
        QVERIFY(!m_fixtureItems.isEmpty());

        m_server = std::make_unique<TestApiServer>();
        const cartograph::Status started = m_server->start();
        if (!started)
            QFAIL(qPrintable(cartograph::describe(started.error())));
        // NodeNetwork items are not Kubernetes kinds the API serves; everything else is stored.
        const int served = int(m_fixtureItems.size()) - int(fixtureNames(u"NodeNetwork"_s).size());
        QCOMPARE(m_server->loadObjects(json), served);
        QCOMPARE(m_server->objectCount(u"pods"_s), int(fixtureNames(u"Pod"_s).size()));
        m_kubeconfig = m_server->writeKubeconfig(m_dir.filePath(u"kubeconfig"_s));
        QVERIFY(!m_kubeconfig.isEmpty());
    }

    void init() { m_server->clearRequestLog(); }

    void getPodsAllNamespaces()
    {
        const Run run = kubectl({u"get"_s, u"pods"_s, u"-A"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.split(u'\n', Qt::SkipEmptyParts);
        // kubectl prints the server's Table: its own NAMESPACE column, then the server's columns.
        QVERIFY2(lines.value(0).simplified() == u"NAMESPACE NAME READY STATUS RESTARTS AGE"_s,
                 qPrintable(lines.value(0)));
        QCOMPARE(lines.size() - 1, fixtureNames(u"Pod"_s).size());
        for (const QJsonValue &item : m_fixtureItems) {
            if (item[u"kind"].toString() != u"Pod")
                continue;
            const QJsonObject metadata = item[u"metadata"].toObject();
            const QString prefix =
                metadata[u"namespace"].toString() + u' ' + metadata[u"name"].toString() + u' ';
            const auto row = std::find_if(lines.begin(), lines.end(), [&](const QString &line) {
                return line.simplified().startsWith(prefix);
            });
            QVERIFY2(row != lines.end(), qPrintable(prefix));
            const QStringList cells = row->simplified().split(u' ');
            QCOMPARE(cells.value(3), item[u"status"][u"phase"].toString());
            const qsizetype containers = item[u"spec"][u"containers"].toArray().size();
            QVERIFY2(cells.value(2).endsWith(u'/' + QString::number(containers)), qPrintable(*row));
        }
        // kubectl asked /api and /apis for aggregated discovery, got legacy JSON and so went on
        // to each group version; then it listed in pages of 500.
        const QStringList log = m_server->requestLog();
        for (const QString &expected :
             {u"GET /api?"_s, u"GET /apis?"_s, u"GET /api/v1?"_s, u"GET /apis/apps/v1?"_s,
              u"GET /apis/networking.k8s.io/v1?"_s, u"GET /api/v1/pods?limit=500&"_s}) {
            QVERIFY2(std::any_of(log.begin(), log.end(),
                                 [&](const QString &line) { return line.startsWith(expected); }),
                     qPrintable(expected + u" not in:\n"_s + log.join(u'\n')));
        }
    }

    void getPodsJsonInOneNamespace()
    {
        const Run run = kubectl({u"get"_s, u"pods"_s, u"-n"_s, u"sock-shop"_s, u"-o"_s, u"json"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject list = parse(run.out);
        QCOMPARE(list[u"kind"].toString(), u"List"_s);
        QStringList names;
        for (const QJsonValue &item : list[u"items"].toArray()) {
            // kubectl restores kind/apiVersion on the items the server sent without them.
            QCOMPARE(item[u"kind"].toString(), u"Pod"_s);
            QCOMPARE(item[u"apiVersion"].toString(), u"v1"_s);
            names << item[u"metadata"][u"name"].toString();
        }
        QCOMPARE(names, sorted(fixtureNames(u"Pod"_s, u"sock-shop"_s)));
    }

    void getNodes()
    {
        const Run run = kubectl({u"get"_s, u"nodes"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0).simplified(), u"NAME STATUS ROLES AGE VERSION"_s);
        QStringList names;
        for (const QString &line : lines.mid(1))
            names << line.section(u' ', 0, 0);
        QCOMPARE(names, sorted(fixtureNames(u"Node"_s)));
        for (const QJsonValue &item : m_fixtureItems) {
            if (item[u"kind"].toString() != u"Node")
                continue;
            const QString version = item[u"status"][u"nodeInfo"][u"kubeletVersion"].toString();
            QVERIFY(!version.isEmpty());
            QVERIFY2(run.out.contains(version), qPrintable(run.out));
        }
    }

    void getOtherResourcesByShortName()
    {
        // Short names and groups come from discovery.
        const Run run = kubectl({u"get"_s, u"netpol,ds,svc"_s, u"-A"_s, u"-o"_s, u"name"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (const QString &name : fixtureNames(u"NetworkPolicy"_s))
            QVERIFY2(run.out.contains(u"networkpolicy.networking.k8s.io/"_s + name + u'\n'),
                     qPrintable(name));
        for (const QString &name : fixtureNames(u"DaemonSet"_s))
            QVERIFY(run.out.contains(u"daemonset.apps/"_s + name + u'\n'));
        for (const QString &name : fixtureNames(u"Service"_s))
            QVERIFY(run.out.contains(u"service/"_s + name + u'\n'));
    }

    void getRaw()
    {
        Run run = kubectl({u"get"_s, u"--raw"_s, u"/api/v1/namespaces/kube-system/pods"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QJsonObject list = parse(run.out);
        QCOMPARE(list[u"kind"].toString(), u"PodList"_s);
        QVERIFY(!list[u"metadata"][u"resourceVersion"].toString().isEmpty());
        QStringList names;
        for (const QJsonValue &item : list[u"items"].toArray()) {
            QVERIFY(!item.toObject().contains(u"kind")); // as the real server lists them
            names << item[u"metadata"][u"name"].toString();
        }
        QCOMPARE(names, sorted(fixtureNames(u"Pod"_s, u"kube-system"_s)));

        run = kubectl({u"get"_s, u"--raw"_s, u"/api/v1/namespaces/sock-shop"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(parse(run.out)[u"kind"].toString(), u"Namespace"_s);
        QCOMPARE(parse(run.out)[u"metadata"][u"name"].toString(), u"sock-shop"_s);

        run = kubectl(
            {u"get"_s, u"--raw"_s, u"/apis/networking.k8s.io/v1/networkpolicies?limit=1"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        list = parse(run.out);
        QCOMPARE(list[u"apiVersion"].toString(), u"networking.k8s.io/v1"_s);
        QCOMPARE(list[u"items"].toArray().size(), 1);
        QCOMPARE(list[u"metadata"][u"remainingItemCount"].toInt(),
                 fixtureNames(u"NetworkPolicy"_s).size() - 1);
    }

    void nodeNetworkCrdWhenServed()
    {
        // The shared server does not serve the agent's CRD: kubectl finds no such resource.
        Run run = kubectl({u"get"_s, u"nodenetworks"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"the server doesn't have a resource type \"nodenetworks\""_s),
                 qPrintable(run.err));

        TestApiServer withAgent(TestApiServer::Options{0, true});
        QVERIFY(withAgent.start().ok());
        QFile fixture(QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/calico.json"));
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        QCOMPARE(withAgent.loadObjects(fixture.readAll()), int(m_fixtureItems.size()));
        const QString kubeconfig =
            withAgent.writeKubeconfig(m_dir.filePath(u"agent-kubeconfig"_s), u"agent"_s, true);
        QVERIFY(!kubeconfig.isEmpty());
        run = kubectlWith(kubeconfig, {u"get"_s, u"nodenetworks"_s, u"-o"_s, u"name"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QStringList names;
        for (const QString &line : run.out.split(u'\n', Qt::SkipEmptyParts))
            names << line.section(u'/', 1);
        QCOMPARE(names, sorted(fixtureNames(u"NodeNetwork"_s)));
        QVERIFY(run.out.startsWith(u"nodenetwork.cartograph.io/"_s));
    }

    // Objects from real clusters (../shared/fixtures) come back through kubectl exactly as they
    // went in, but for the resourceVersion the server assigns; real pods get kube-apiserver's
    // READY/STATUS cells (init containers, native sidecars).
    void realObjectsRoundTrip_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("podRows"); // "NAMESPACE NAME READY STATUS", expected
        QTest::newRow("cilium kind cluster, init")
            << u"cilium-kind-cluster/nodeport-v1.26-init.json"_s << QStringList{};
        QTest::newRow("cilium kind cluster, state1")
            << u"cilium-kind-cluster/nodeport-v1.26-state1.json"_s << QStringList{};
        QTest::newRow("kubectl-neat list") << u"kubectl-neat/list1-raw.json"_s << QStringList{};
        QTest::newRow("pod") << u"k9s/po.json"_s << QStringList{u"default nginx 1/1 Running"_s};
        QTest::newRow("pod with an init container")
            << u"k9s/po_init.json"_s << QStringList{u"default nginx 1/1 Init:0/1"_s};
        QTest::newRow("pod with a native sidecar")
            << u"k9s/po_sidecar.json"_s << QStringList{u"default sleep 2/2 Running"_s};
        QTest::newRow("node") << u"k9s/no.json"_s << QStringList{};
        QTest::newRow("another node") << u"k9s/n1-node.json"_s << QStringList{};
        QTest::newRow("namespace") << u"k9s/ns.json"_s << QStringList{};
        QTest::newRow("service") << u"k9s/svc.json"_s << QStringList{};
        QTest::newRow("networkpolicy") << u"k9s/np.json"_s << QStringList{};
        QTest::newRow("endpointslice") << u"k9s/eps.json"_s << QStringList{};
        QTest::newRow("daemonset") << u"k9s/ds.json"_s << QStringList{};
    }

    void realObjectsRoundTrip()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, podRows);
        if (!QFileInfo::exists(QStringLiteral(CARTOGRAPH_FIXTURES_DIR)))
            QSKIP("../shared/fixtures is not here");
        QFile in(QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/k8s-api/") + file);
        QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(in.fileName()));
        const QByteArray json = in.readAll();
        const QJsonObject document = QJsonDocument::fromJson(json).object();
        const bool list = document.contains(u"items");

        TestApiServer server;
        QVERIFY(server.start().ok());
        QList<QJsonObject> sent;
        const QStringList served = {u"Namespace"_s, u"Node"_s,          u"Pod"_s,
                                    u"Service"_s,   u"EndpointSlice"_s, u"NetworkPolicy"_s,
                                    u"DaemonSet"_s};
        for (const QJsonValue &item : list ? document[u"items"].toArray() : QJsonArray{document}) {
            if (served.contains(item[u"kind"].toString()))
                sent << item.toObject();
        }
        QVERIFY(!sent.isEmpty());
        if (list)
            QCOMPARE(server.loadObjects(json), sent.size());
        else
            QVERIFY(!server.upsertObject(json).isEmpty());

        const QString kubeconfig = server.writeKubeconfig(m_dir.filePath(u"real-kubeconfig"_s));
        const Run run = kubectlWith(
            kubeconfig,
            {u"get"_s,
             u"namespaces,nodes,pods,services,endpointslices,networkpolicies,daemonsets"_s, u"-A"_s,
             u"-o"_s, u"json"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // What the server assigns: a resourceVersion always; uid, creationTimestamp and (for a
        // namespaced object) namespace "default" only where the object came without them.
        auto assignedBy = [](QJsonObject object, const QJsonObject &reference) {
            QJsonObject metadata = object[u"metadata"].toObject();
            const QJsonObject original = reference[u"metadata"].toObject();
            for (const QString &key :
                 {u"resourceVersion"_s, u"uid"_s, u"creationTimestamp"_s, u"namespace"_s}) {
                if (key == u"resourceVersion" || !original.contains(key))
                    metadata.remove(key);
            }
            object[u"metadata"_s] = metadata;
            return object;
        };
        const QJsonArray received = parse(run.out)[u"items"].toArray();
        QCOMPARE(received.size(), sent.size());
        for (const QJsonObject &object : std::as_const(sent)) {
            const auto match =
                std::find_if(received.begin(), received.end(), [&](const QJsonValue &r) {
                    return r[u"kind"] == object[u"kind"] &&
                           r[u"metadata"][u"name"] == object[u"metadata"][u"name"];
                });
            QVERIFY2(match != received.end(), qPrintable(object[u"metadata"][u"name"].toString()));
            QCOMPARE(assignedBy(match->toObject(), object), assignedBy(object, object));
        }

        if (podRows.isEmpty())
            return;
        const Run table = kubectlWith(kubeconfig, {u"get"_s, u"pods"_s, u"-A"_s});
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QStringList rows;
        for (const QString &line : table.out.split(u'\n', Qt::SkipEmptyParts).mid(1))
            rows << line.simplified().section(u' ', 0, 3);
        QCOMPARE(rows, podRows);
    }

    void selectors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("label");    // key=value the expected pods carry, or empty
        QTest::addColumn<QString>("nodeName"); // the node the expected pods run on, or empty
        QTest::newRow("label equality") << QStringList{u"-l"_s, u"k8s-app=calico-node"_s}
                                        << u"k8s-app=calico-node"_s << QString();
        QTest::newRow("label set") << QStringList{u"-l"_s, u"k8s-app in (kube-proxy,calico-node)"_s}
                                   << u"k8s-app=kube-proxy|calico-node"_s << QString();
        QTest::newRow("field") << QStringList{u"--field-selector"_s, u"spec.nodeName=worker-1"_s}
                               << QString() << u"worker-1"_s;
        QTest::newRow("label and field")
            << QStringList{u"-l"_s, u"k8s-app=calico-node"_s, u"--field-selector"_s,
                           u"spec.nodeName=worker-1"_s}
            << u"k8s-app=calico-node"_s << u"worker-1"_s;
    }

    void selectors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, label);
        QFETCH(QString, nodeName);
        const Run run =
            kubectl(QStringList{u"get"_s, u"pods"_s, u"-A"_s, u"-o"_s, u"name"_s} + arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString key = label.section(u'=', 0, 0);
        const QStringList values = label.section(u'=', 1).split(u'|');
        QStringList expected;
        for (const QJsonValue &item : m_fixtureItems) {
            if (item[u"kind"].toString() != u"Pod")
                continue;
            if (!label.isEmpty() && !values.contains(item[u"metadata"][u"labels"][key].toString()))
                continue;
            if (!nodeName.isEmpty() && item[u"spec"][u"nodeName"].toString() != nodeName)
                continue;
            expected << u"pod/"_s + item[u"metadata"][u"name"].toString();
        }
        QVERIFY(!expected.isEmpty());
        QCOMPARE(sorted(run.out.split(u'\n', Qt::SkipEmptyParts)), sorted(expected));
    }

    void unsupportedFieldSelectorIsBadRequest()
    {
        const Run run = kubectl(
            {u"get"_s, u"pods"_s, u"-A"_s, u"--field-selector"_s, u"spec.schedulerName=x"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"Error from server (BadRequest)"_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"field label not supported: spec.schedulerName"_s),
                 qPrintable(run.err));
    }

    void getMissingPodIsNotFound()
    {
        const Run run = kubectl({u"get"_s, u"pod"_s, u"no-such-pod"_s, u"-n"_s, u"sock-shop"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(
            run.err.contains(u"Error from server (NotFound): pods \"no-such-pod\" not found"_s),
            qPrintable(run.err));
    }

    void chunkedListFollowsContinueTokens()
    {
        const Run run = kubectl({u"get"_s, u"pods"_s, u"-A"_s, u"--chunk-size=2"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const qsizetype pods = fixtureNames(u"Pod"_s).size();
        QCOMPARE(run.out.split(u'\n', Qt::SkipEmptyParts).size() - 1, pods);
        const QStringList pages =
            m_server->requestLog().filter(QRegularExpression(u"^GET /api/v1/pods\\?"_s));
        QCOMPARE(pages.size(), (pods + 1) / 2);
        QCOMPARE(pages.filter(u"continue="_s).size(), pages.size() - 1);
        QVERIFY(pages.value(0).contains(u"limit=2"_s));
    }

    void watchPrintsUpsertedPod()
    {
        QProcess watch;
        watch.setProcessEnvironment(kubectlEnvironment());
        watch.start(m_kubectl, {u"--kubeconfig"_s, m_kubeconfig, u"get"_s, u"pods"_s, u"-n"_s,
                                u"sock-shop"_s, u"--watch-only"_s});
        QVERIFY(watch.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 1, 20000);
        QVERIFY(m_server->requestLog().filter(u"watch=true"_s).size() == 1);

        QVERIFY(
            !m_server
                 ->upsertObject(podJson(u"sock-shop"_s, u"watched-pod"_s, u"Pending"_s).toUtf8())
                 .isEmpty());
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += watch.readAllStandardOutput()).contains("watched-pod"),
                                 20000);
        QVERIFY(
            !m_server
                 ->upsertObject(podJson(u"sock-shop"_s, u"watched-pod"_s, u"Running"_s).toUtf8())
                 .isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT((output += watch.readAllStandardOutput()).contains("Running"),
                                 20000);
        const QStringList rows = QString::fromUtf8(output).split(u'\n', Qt::SkipEmptyParts);
        QVERIFY2(rows.size() >= 2, output.constData());
        QCOMPARE(rows.last().simplified().section(u' ', 0, 2), u"watched-pod 0/1 Running"_s);

        watch.kill();
        watch.waitForFinished();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 0, 10000);
        QVERIFY(m_server->deleteObject(u"pods"_s, u"sock-shop"_s, u"watched-pod"_s));
    }

    void forbiddenResource_data()
    {
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("nodes, cluster scope")
            << u"nodes"_s << QStringList{u"get"_s, u"nodes"_s}
            << uR"(Error from server (Forbidden): nodes is forbidden: User "admin" cannot list resource "nodes" in API group "" at the cluster scope)"_s;
        QTest::newRow("networkpolicies in a namespace")
            << u"networkpolicies"_s
            << QStringList{u"get"_s, u"networkpolicies"_s, u"-n"_s, u"sock-shop"_s}
            << uR"(Error from server (Forbidden): networkpolicies.networking.k8s.io is forbidden: User "admin" cannot list resource "networkpolicies" in API group "networking.k8s.io" in the namespace "sock-shop")"_s;
    }

    void forbiddenResource()
    {
        QFETCH(QString, resource);
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        m_server->setForbidden(resource);
        const Run run = kubectl(arguments);
        m_server->setForbidden(resource, false);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        // Only that resource: the others still list.
        const Run pods = kubectl({u"get"_s, u"pods"_s, u"-A"_s});
        QCOMPARE(pods.exitCode, 0);
    }

    void rejectedCredentials()
    {
        m_server->setRejectCredentials(true);
        const Run run = kubectl({u"get"_s, u"pods"_s});
        m_server->setRejectCredentials(false);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"error: You must be logged in to the server (Unauthorized)"_s),
                 qPrintable(run.err));
    }

    void tokenAuthentication()
    {
        // No kubeconfig file at all: server, CA and token on the command line.
        const QStringList connection = {u"--server"_s, m_server->url().toString(),
                                        u"--certificate-authority"_s, m_server->caFile()};
        Run run =
            kubectlWith({}, connection + QStringList{u"--token"_s, m_server->token(), u"get"_s,
                                                     u"namespaces"_s, u"-o"_s, u"name"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out.split(u'\n', Qt::SkipEmptyParts).size(),
                 fixtureNames(u"Namespace"_s).size());
        // Every request carried the token (kubectl had no certificate to offer).
        const QStringList seen = m_server->authorizationHeadersSeen();
        QCOMPARE(seen.size(), m_server->requestLog().size());
        QCOMPARE(seen.count(u"Bearer "_s + m_server->token()), seen.size());

        m_server->setForbidden(u"namespaces"_s);
        run = kubectlWith({}, connection + QStringList{u"--token"_s, m_server->token(), u"get"_s,
                                                       u"namespaces"_s});
        m_server->setForbidden(u"namespaces"_s, false);
        QVERIFY2(run.err.contains(uR"(User "test-token-user" cannot list resource "namespaces")"_s),
                 qPrintable(run.err));

        run = kubectlWith({}, connection + QStringList{u"--token"_s, u"not-the-token"_s, u"get"_s,
                                                       u"namespaces"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"(Unauthorized)"_s), qPrintable(run.err));
    }

    void expiredClientCertificateIsUnauthorized()
    {
        // kube-apiserver requests but does not require a client certificate; one that fails
        // verification is an authentication failure (401), not a TLS handshake failure.
        const QStringList connection = {
            u"--server"_s,      m_server->url().toString(),      u"--certificate-authority"_s,
            m_server->caFile(), u"--client-certificate"_s,       m_server->expiredClientCertFile(),
            u"--client-key"_s,  m_server->expiredClientKeyFile()};
        const Run run = kubectlWith({}, connection + QStringList{u"get"_s, u"pods"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"(Unauthorized)"_s), qPrintable(run.err));
    }

    void tlsFailuresSeenByKubectl_data()
    {
        QTest::addColumn<bool>("wrongHostname");
        QTest::addColumn<bool>("otherCa");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown CA")
            << false << true << u"x509: certificate signed by unknown authority"_s;
        QTest::newRow("hostname mismatch")
            << true << false
            << u"x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any "
               u"IP SANs"_s;
    }

    void tlsFailuresSeenByKubectl()
    {
        QFETCH(bool, wrongHostname);
        QFETCH(bool, otherCa);
        QFETCH(QString, message);
        m_server->setServeWrongHostnameCertificate(wrongHostname);
        const Run run = kubectlWith(
            {}, {u"--server"_s, m_server->url().toString(), u"--certificate-authority"_s,
                 otherCa ? m_server->otherCaFile() : m_server->caFile(), u"--client-certificate"_s,
                 m_server->clientCertFile(), u"--client-key"_s, m_server->clientKeyFile(), u"get"_s,
                 u"pods"_s});
        m_server->setServeWrongHostnameCertificate(false);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    void curlSeesExpiredContinueToken()
    {
        if (m_curl.isEmpty())
            QSKIP("curl is not on PATH");
        Run run = curl(u"/api/v1/pods?limit=3"_s);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.section(u'\n', -1), u"200"_s);
        const QJsonObject first = parse(run.out.section(u'\n', 0, -2));
        const QString token = first[u"metadata"][u"continue"].toString();
        QVERIFY(!token.isEmpty());
        QCOMPARE(first[u"metadata"][u"remainingItemCount"].toInt(),
                 fixtureNames(u"Pod"_s).size() - 3);

        // The token works until the server expires it, then answers 410 Expired.
        run = curl(u"/api/v1/pods?limit=3&continue="_s + token);
        QCOMPARE(run.out.section(u'\n', -1), u"200"_s);
        m_server->expireContinueTokens();
        run = curl(u"/api/v1/pods?limit=3&continue="_s + token);
        QCOMPARE(run.out.section(u'\n', -1), u"410"_s);
        const QJsonObject status = parse(run.out.section(u'\n', 0, -2));
        QCOMPARE(status[u"kind"].toString(), u"Status"_s);
        QCOMPARE(status[u"reason"].toString(), u"Expired"_s);
        QCOMPARE(status[u"code"].toInt(), 410);
        QVERIFY(status[u"message"].toString().contains(u"continue parameter is too old"_s));
        // The inconsistent-continuation token in the Status continues the list.
        const QString fresh = status[u"metadata"][u"continue"].toString();
        QVERIFY(!fresh.isEmpty());
        run = curl(u"/api/v1/pods?limit=3&continue="_s + fresh);
        QCOMPARE(run.out.section(u'\n', -1), u"200"_s);
        QCOMPARE(parse(run.out.section(u'\n', 0, -2))[u"items"].toArray().size(), 3);
    }

    void curlTlsAndAuthFailures_data()
    {
        QTest::addColumn<bool>("clientCertificate");
        QTest::addColumn<bool>("bearerToken");
        QTest::addColumn<bool>("otherCa");
        QTest::addColumn<int>("curlExit");
        QTest::addColumn<QString>("httpCode");
        QTest::newRow("client certificate") << true << false << false << 0 << u"200"_s;
        QTest::newRow("bearer token") << false << true << false << 0 << u"200"_s;
        QTest::newRow("neither") << false << false << false << 0 << u"401"_s;
        // curl's CURLE_PEER_FAILED_VERIFICATION: no HTTP exchange at all.
        QTest::newRow("unknown CA") << true << false << true << 60 << u"000"_s;
    }

    void curlTlsAndAuthFailures()
    {
        if (m_curl.isEmpty())
            QSKIP("curl is not on PATH");
        QFETCH(bool, clientCertificate);
        QFETCH(bool, bearerToken);
        QFETCH(bool, otherCa);
        QFETCH(int, curlExit);
        QFETCH(QString, httpCode);
        QStringList arguments = {u"--silent"_s, u"--write-out"_s, u"\n%{http_code}"_s,
                                 u"--cacert"_s,
                                 otherCa ? m_server->otherCaFile() : m_server->caFile()};
        if (clientCertificate)
            arguments << u"--cert"_s << m_server->clientCertFile() << u"--key"_s
                      << m_server->clientKeyFile();
        if (bearerToken)
            arguments << u"--header"_s << u"Authorization: Bearer "_s + m_server->token();
        arguments << m_server->url().toString() + u"/api/v1/namespaces"_s;
        QProcess process;
        process.start(m_curl, arguments);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), curlExit);
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QCOMPARE(out.section(u'\n', -1), httpCode);
        const QJsonObject body = parse(out.section(u'\n', 0, -2));
        if (httpCode == u"401") {
            QCOMPARE(body[u"kind"].toString(), u"Status"_s);
            QCOMPARE(body[u"reason"].toString(), u"Unauthorized"_s);
            QCOMPARE(body[u"code"].toInt(), 401);
        } else if (httpCode == u"200") {
            QCOMPARE(body[u"kind"].toString(), u"NamespaceList"_s);
        }
    }

    // --- what kubectl cannot show: read the watch stream itself ---

    void watchReplaysFromResourceVersionAndSendsBookmarks()
    {
        QNetworkAccessManager network;
        const QString from = m_server->currentResourceVersion();
        m_server->setBookmarkIntervalMs(100);
        std::unique_ptr<QNetworkReply> reply(network.get(request(
            u"/api/v1/namespaces/sock-shop/pods?watch=true&allowWatchBookmarks=true&resourceVersion="_s +
            from)));
        QByteArray stream;
        QObject::connect(reply.get(), &QIODevice::readyRead, this,
                         [&] { stream += reply->readAll(); });
        QTRY_VERIFY_WITH_TIMEOUT(stream.contains("\"type\":\"BOOKMARK\""), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

        const QString added =
            m_server->upsertObject(podJson(u"sock-shop"_s, u"bookmarked"_s, u"Running"_s).toUtf8());
        const QString elsewhere = m_server->upsertObject(
            podJson(u"default"_s, u"other-namespace"_s, u"Running"_s).toUtf8());
        QVERIFY(m_server->deleteObject(u"pods"_s, u"sock-shop"_s, u"bookmarked"_s));
        QTRY_VERIFY_WITH_TIMEOUT(stream.contains("\"type\":\"DELETED\""), 10000);
        m_server->setBookmarkIntervalMs(60000);

        QStringList events;
        qint64 lastBookmark = 0;
        for (const QByteArray &line : stream.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            QVERIFY2(!event.isEmpty(), line.constData()); // one JSON object per line
            const QString type = event[u"type"].toString();
            const QJsonObject object = event[u"object"].toObject();
            QCOMPARE(object[u"kind"].toString(), u"Pod"_s);
            QCOMPARE(object[u"apiVersion"].toString(), u"v1"_s);
            if (type == u"BOOKMARK") {
                const qint64 rv = object[u"metadata"][u"resourceVersion"].toString().toLongLong();
                QVERIFY(rv >= lastBookmark);
                lastBookmark = rv;
                continue;
            }
            events << type + u' ' + object[u"metadata"][u"name"].toString() + u' ' +
                          object[u"metadata"][u"resourceVersion"].toString();
        }
        // Only this namespace's pod; the deletion has its own, newer resourceVersion.
        QCOMPARE(events, (QStringList{u"ADDED bookmarked "_s + added,
                                      u"DELETED bookmarked "_s +
                                          QString::number(elsewhere.toLongLong() + 1)}));

        // A second watch from the same resourceVersion replays the same events from history.
        std::unique_ptr<QNetworkReply> replay(network.get(request(
            u"/api/v1/namespaces/sock-shop/pods?watch=1&timeoutSeconds=1&resourceVersion="_s +
            from)));
        QTRY_VERIFY_WITH_TIMEOUT(replay->isFinished(), 10000);
        QCOMPARE(replay->error(), QNetworkReply::NoError); // timeoutSeconds ends it cleanly
        const QList<QByteArray> replayed = replay->readAll().split('\n');
        QCOMPARE(replayed.size(), 3); // ADDED, DELETED, and the empty tail
        QVERIFY(replayed[0].contains("\"type\":\"ADDED\""));
        QVERIFY(replayed[1].contains("\"type\":\"DELETED\""));
        reply->abort();
    }

    void watchFromCompactedHistoryGets410ErrorEvent()
    {
        QNetworkAccessManager network;
        const QString old = m_server->currentResourceVersion();
        QVERIFY(
            !m_server->upsertObject(podJson(u"default"_s, u"after-old"_s, u"Running"_s).toUtf8())
                 .isEmpty());
        m_server->compactHistory();
        std::unique_ptr<QNetworkReply> reply(
            network.get(request(u"/api/v1/pods?watch=true&resourceVersion="_s + old)));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        // As kube-apiserver's watch cache: HTTP 200, one ERROR event carrying a 410 Status.
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QList<QByteArray> lines = reply->readAll().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject event = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(event[u"type"].toString(), u"ERROR"_s);
        const QJsonObject status = event[u"object"].toObject();
        QCOMPARE(status[u"kind"].toString(), u"Status"_s);
        QCOMPARE(status[u"code"].toInt(), 410);
        QCOMPARE(status[u"reason"].toString(), u"Expired"_s);
        QVERIFY(status[u"message"].toString().startsWith(u"too old resource version: "_s + old));

        // From the current resourceVersion the watch is fine.
        std::unique_ptr<QNetworkReply> current(
            network.get(request(u"/api/v1/pods?watch=true&timeoutSeconds=1&resourceVersion="_s +
                                m_server->currentResourceVersion())));
        QTRY_VERIFY_WITH_TIMEOUT(current->isFinished(), 10000);
        QCOMPARE(current->error(), QNetworkReply::NoError);
        QVERIFY(current->readAll().isEmpty());
        QVERIFY(m_server->deleteObject(u"pods"_s, u"default"_s, u"after-old"_s));
    }

    void droppedWatchEndsMidStream()
    {
        QNetworkAccessManager network;
        std::unique_ptr<QNetworkReply> reply(
            network.get(request(u"/apis/apps/v1/daemonsets?watch=true"_s)));
        QByteArray stream;
        QObject::connect(reply.get(), &QIODevice::readyRead, this,
                         [&] { stream += reply->readAll(); });
        // resourceVersion unset: the current state first, as synthetic ADDED events.
        QTRY_COMPARE_WITH_TIMEOUT(stream.count("\"type\":\"ADDED\""),
                                  fixtureNames(u"DaemonSet"_s).size(), 10000);
        QCOMPARE(m_server->openWatchCount(), 1);
        m_server->dropWatchConnections();
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QVERIFY2(reply->error() != QNetworkReply::NoError, qPrintable(reply->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openWatchCount(), 0, 10000);
    }

    void slowResponses()
    {
        QNetworkAccessManager network;
        m_server->setResponseDelayMs(300);
        QElapsedTimer timer;
        timer.start();
        std::unique_ptr<QNetworkReply> reply(network.get(request(u"/api/v1/nodes"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        m_server->setResponseDelayMs(0);
        QVERIFY(timer.elapsed() >= 300);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll())[u"items"].toArray().size(),
                 fixtureNames(u"Node"_s).size());
    }

    void pageLimitCap()
    {
        TestApiServer capped(TestApiServer::Options{4});
        QVERIFY(capped.start().ok());
        capped.addSyntheticPods(10, 2);
        QCOMPARE(capped.objectCount(u"pods"_s), 10);
        QCOMPARE(capped.objectCount(u"namespaces"_s), 2);
        QNetworkAccessManager network;
        QNetworkRequest r(QUrl(capped.url().toString() + u"/api/v1/pods?limit=500"_s));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(capped.caFile()));
        r.setSslConfiguration(tls);
        r.setRawHeader("Authorization", "Bearer " + capped.token().toUtf8());
        std::unique_ptr<QNetworkReply> reply(network.get(r));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QJsonObject list = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(list[u"items"].toArray().size(), 4);
        QCOMPARE(list[u"metadata"][u"remainingItemCount"].toInt(), 6);
        const QByteArray pod =
            QJsonDocument(list[u"items"][0].toObject()).toJson(QJsonDocument::Compact);
        QVERIFY2(pod.size() > 2500 && pod.size() < 3500,
                 QByteArray::number(pod.size()).constData());
    }
};

QTEST_GUILESS_MAIN(TestApiServerKubectl)
#include "tst_apiserver_kubectl.moc"
