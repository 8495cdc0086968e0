#include "SnapshotIo.h"
#include "TestApiServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace cartograph;
using namespace Qt::StringLiterals;
using cartograph::testing::TestApiServer;

// snapshot, diagnose and contexts as a user runs them: the real binary against the test API
// server, kubectl as the oracle for the contexts table.
class TestKubeCli : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_dir;
    std::unique_ptr<TestApiServer> m_server;
    QString m_kubeconfig;
    ClusterSnapshot m_demo;

    static Run run(const QString &program, const QStringList &arguments,
                   const QMap<QString, QString> &environment = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DISPLAY"_s);
        env.remove(u"KUBECONFIG"_s);
        for (auto it = environment.cbegin(); it != environment.cend(); ++it)
            env.insert(it.key(), it.value());
        process.setProcessEnvironment(env);
        process.start(program, arguments);
        if (!process.waitForFinished(120000))
            qFatal("%s did not finish", qPrintable(program));
        return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                   QString::fromUtf8(process.readAllStandardOutput()),
                   QString::fromUtf8(process.readAllStandardError())};
    }
    static Run cli(const QStringList &arguments, const QMap<QString, QString> &environment = {})
    {
        return run(QStringLiteral(CARTOGRAPH_CLI_PATH), arguments, environment);
    }

    QString write(const QString &name, const QByteArray &content) const
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(content);
        return file.fileName();
    }

    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
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
        m_kubeconfig = m_server->writeKubeconfig(m_dir.filePath(u"kubeconfig"_s), u"lab"_s);
        QVERIFY(!m_kubeconfig.isEmpty());
    }

    void init()
    {
        m_server->setForbidden(u"nodes"_s, false);
        m_server->setRejectCredentials(false);
    }

    // The table is kubectl's, byte for byte, for one file and for a merged KUBECONFIG.
    void contextsLikeKubectl()
    {
        const QString kubectl = QStandardPaths::findExecutable(u"kubectl"_s);
        if (kubectl.isEmpty())
            QSKIP("kubectl is not on PATH (apt-get install kubernetes-client)");
        const QString a =
            write(u"ctx-a.yaml"_s,
                  "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
                  "clusters:\n- name: eu-central\n  cluster: {server: 'https://a:1'}\n"
                  "users:\n- name: admin@eu\n  user: {token: x}\n"
                  "contexts:\n- name: prod\n  context: {cluster: eu-central, user: "
                  "admin@eu, namespace: shop}\n"
                  "- name: a-much-longer-context-name\n  context: {cluster: eu-central}\n");
        const QString b = write(u"ctx-b.yaml"_s,
                                "apiVersion: v1\nkind: Config\ncurrent-context: staging\n"
                                "contexts:\n- name: staging\n  context: {cluster: us, user: dev, "
                                "namespace: web}\n- name: prod\n  context: {cluster: other}\n");
        for (const auto &[arguments, environment] :
             {std::pair{QStringList{u"--kubeconfig"_s, a}, QMap<QString, QString>{}},
              std::pair{QStringList{}, QMap<QString, QString>{{u"KUBECONFIG"_s, b + u':' + a}}},
              std::pair{QStringList{}, QMap<QString, QString>{{u"KUBECONFIG"_s, a + u':' + b}}}}) {
            const Run ours = cli(QStringList{u"contexts"_s} + arguments, environment);
            const Run theirs =
                run(kubectl, QStringList{u"config"_s, u"get-contexts"_s} + arguments, environment);
            QCOMPARE(ours.exitCode, 0);
            QCOMPARE(theirs.exitCode, 0);
            QCOMPARE(ours.out, theirs.out);
        }
        const Run merged = cli({u"contexts"_s}, {{u"KUBECONFIG"_s, b + u':' + a}});
        QVERIFY(merged.out.contains(u"*         staging"));
    }

    void snapshotOfTheLiveCluster()
    {
        const QString out = m_dir.filePath(u"live.json"_s);
        const Run r = cli({u"snapshot"_s, u"--kubeconfig"_s, m_kubeconfig, u"-A"_s, u"-o"_s, out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.err, QString());
        auto saved = loadSnapshotFiles({out});
        QVERIFY2(saved, qPrintable(saved ? QString() : describe(saved.error())));
        QCOMPARE(saved->pods.size(), m_demo.pods.size());
        QCOMPARE(saved->nodes.size(), m_demo.nodes.size());
        QCOMPARE(saved->services.size(), m_demo.services.size());
        QCOMPARE(saved->networkPolicies.size(), m_demo.networkPolicies.size());
        QCOMPARE(saved->endpointSlices.size(), m_demo.endpointSlices.size());
        QCOMPARE(saved->daemonSets.size(), m_demo.daemonSets.size());
        QCOMPARE(saved->namespaces.size(), m_demo.namespaces.size());
        // The same List format kubectl and jq read.
        const QJsonObject list = QJsonDocument::fromJson(readFile(out)).object();
        QCOMPARE(list[u"kind"].toString(), u"List"_s);
    }

    void snapshotOneNamespace()
    {
        const QString out = m_dir.filePath(u"kube-system.json"_s);
        const Run r = cli({u"snapshot"_s, u"--kubeconfig"_s, m_kubeconfig, u"--context"_s, u"lab"_s,
                           u"-n"_s, u"kube-system"_s, u"-o"_s, out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto saved = loadSnapshotFiles({out});
        QVERIFY(saved);
        QVERIFY(!saved->pods.isEmpty());
        for (const Pod &pod : saved->pods)
            QCOMPARE(pod.namespaceName, u"kube-system"_s);
        QCOMPARE(saved->namespaces.size(), 1);
    }

    void snapshotWithPartialAccess()
    {
        m_server->setForbidden(u"nodes"_s);
        const QString out = m_dir.filePath(u"partial.json"_s);
        const Run r = cli({u"snapshot"_s, u"--kubeconfig"_s, m_kubeconfig, u"-A"_s, u"-o"_s, out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"warning: May not list nodes"), qPrintable(r.err));
        QVERIFY(r.err.contains(u"name: cartograph-reader"));
        auto saved = loadSnapshotFiles({out});
        QVERIFY(saved);
        QVERIFY(saved->nodes.isEmpty());
        QCOMPARE(saved->pods.size(), m_demo.pods.size());
    }

    // Failures: exit 3, the diagnosis on stderr, and no output file.
    void snapshotFailures_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("kubeconfig missing")
            << u"missing"_s << QStringList{u"No kubeconfig found"_s, u"nope.yaml"_s};
        QTest::newRow("kubeconfig corrupt")
            << u"corrupt"_s << QStringList{u"corrupt.yaml:7:3: syntax error"_s};
        QTest::newRow("no such context")
            << u"context"_s << QStringList{u"context \"elsewhere\" not found"_s};
        QTest::newRow("connection refused")
            << u"refused"_s
            << QStringList{u"The API server refused the connection"_s, u"Context: lab"_s};
        QTest::newRow("401") << u"401"_s
                             << QStringList{u"401 Unauthorized"_s, u"kubectl create token"_s};
    }

    void snapshotFailures()
    {
        QFETCH(QString, setup);
        QFETCH(QStringList, expected);
        QString kubeconfig = m_kubeconfig;
        QStringList extra;
        if (setup == u"missing") {
            kubeconfig = m_dir.filePath(u"nope.yaml"_s);
        } else if (setup == u"corrupt") {
            kubeconfig =
                write(u"corrupt.yaml"_s, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n"
                                         "  cluster:\n    server: https://a:1\n"
                                         "  - oops: [\ncontexts: []\n");
        } else if (setup == u"context") {
            extra = {u"--context"_s, u"elsewhere"_s};
        } else if (setup == u"refused") {
            quint16 port = 0;
            {
                QTcpServer probe;
                QVERIFY(probe.listen(QHostAddress::LocalHost));
                port = probe.serverPort();
            }
            QByteArray yaml = readFile(m_kubeconfig);
            yaml.replace(m_server->url().toString().toUtf8(),
                         QByteArray("https://127.0.0.1:" + QByteArray::number(port)));
            kubeconfig = write(u"refused.yaml"_s, yaml);
        } else if (setup == u"401") {
            m_server->setRejectCredentials(true);
        }
        const QString out = m_dir.filePath(u"failed-%1.json"_s.arg(setup));
        const Run r =
            cli(QStringList{u"snapshot"_s, u"--kubeconfig"_s, kubeconfig, u"-o"_s, out} + extra);
        QCOMPARE(r.exitCode, 3);
        for (const QString &text : expected)
            QVERIFY2(r.err.contains(text), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"error: "), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"suggestion: "), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
        QCOMPARE(r.out, QString());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no -o") << QStringList{u"snapshot"_s} << u"missing -o OUT.json"_s;
        QTest::newRow("-n and -A")
            << QStringList{u"snapshot"_s, u"-n"_s, u"x"_s, u"-A"_s, u"-o"_s, u"o.json"_s}
            << u"not both"_s;
        QTest::newRow("bad timeout")
            << QStringList{u"snapshot"_s, u"--request-timeout"_s, u"soon"_s, u"-o"_s, u"o.json"_s}
            << u"--request-timeout must be a duration"_s;
        QTest::newRow("bad format")
            << QStringList{u"diagnose"_s, u"--format"_s, u"xml"_s} << u"unknown format \"xml\""_s;
        QTest::newRow("stray argument")
            << QStringList{u"contexts"_s, u"file.yaml"_s} << u"--kubeconfig"_s;
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run r = cli(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // diagnose on the live cluster: a NotReady node is an error finding (exit 3); NodePort
    // URLs are info.
    void diagnoseLiveJson()
    {
        const QString node = m_server->upsertObject(
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"worker-9\"},"
            "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
            "\"reason\":\"KubeletNotReady\",\"message\":\"container runtime network not ready\","
            "\"lastHeartbeatTime\":\"2026-11-27T09:00:00Z\"}],"
            "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"192.168.56.19\"}]}}");
        QVERIFY(!node.isEmpty());
        const Run r =
            cli({u"diagnose"_s, u"--kubeconfig"_s, m_kubeconfig, u"--format"_s, u"json"_s});
        QVERIFY(m_server->deleteObject(u"nodes"_s, {}, u"worker-9"_s));
        QCOMPARE(r.exitCode, 3);
        const QJsonArray findings =
            QJsonDocument::fromJson(r.out.toUtf8()).object()[u"findings"].toArray();
        QJsonObject notReady;
        QJsonObject nodePort;
        for (const QJsonValue &f : findings) {
            if (f[u"id"] == u"node-not-ready"_s)
                notReady = f.toObject();
            if (f[u"id"] == u"nodeport"_s)
                nodePort = f.toObject();
        }
        QCOMPARE(notReady[u"severity"].toString(), u"error"_s);
        QCOMPARE(notReady[u"subject"].toString(), u"node/worker-9"_s);
        QVERIFY(notReady[u"detail"].toString().contains(u"container runtime network not ready"));
        QVERIFY(notReady[u"detail"].toString().contains(u"2026-11-27T09:00:00Z"));
        QVERIFY(notReady[u"suggestion"].toString().contains(u"journalctl -u kubelet"));
        QCOMPARE(nodePort[u"severity"].toString(), u"info"_s);
        QVERIFY(nodePort[u"detail"].toString().contains(u"http://192.168.56.19:30001"));
    }

    void diagnoseUnreachable()
    {
        QByteArray yaml = readFile(m_kubeconfig);
        yaml.replace(m_server->url().toString().toUtf8(),
                     "https://api.cartograph-test.invalid:6443");
        const QString kubeconfig = write(u"dns.yaml"_s, yaml);
        const Run r = cli({u"diagnose"_s, u"--kubeconfig"_s, kubeconfig});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.startsWith(u"error: The API server's name does not resolve\n"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(u"Server: https://api.cartograph-test.invalid:6443"));
        QVERIFY(r.out.contains(u"Context: lab"));
    }

    void diagnoseSnapshotOffline()
    {
        const Run flannel =
            cli({u"diagnose"_s, u"--snapshot"_s,
                 QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/flannel.json")});
        QCOMPARE(flannel.exitCode, 0);
        QVERIFY2(flannel.out.contains(u"warning: Flannel does not enforce NetworkPolicy: 15 "
                                      u"policies have no effect"),
                 qPrintable(flannel.out));
        const Run missing = cli({u"diagnose"_s, u"--snapshot"_s, m_dir.filePath(u"none.json"_s)});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(u"none.json"));
    }

    // An exec plugin from the kubeconfig the user named runs, and the CLI says which.
    void execPluginThroughTheCli()
    {
        const QString plugin = write(
            u"plugin.sh"_s, "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                            "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" +
                                m_server->token().toUtf8() + "\"}}'\n");
        QFile::setPermissions(plugin, QFile::permissions(plugin) | QFile::ExeOwner);
        const QByteArray yaml = "apiVersion: v1\nkind: Config\ncurrent-context: eks\n"
                                "clusters:\n- name: c\n  cluster:\n    server: " +
                                m_server->url().toString().toUtf8() +
                                "\n    certificate-authority: " + m_server->caFile().toUtf8() +
                                "\ncontexts:\n- name: eks\n  context: {cluster: c, user: u}\n"
                                "users:\n- name: u\n  user:\n    exec:\n"
                                "      apiVersion: client.authentication.k8s.io/v1\n"
                                "      command: ./plugin.sh\n      interactiveMode: Never\n";
        const QString kubeconfig = write(u"exec.yaml"_s, yaml);
        m_server->clearRequestLog();
        const QString out = m_dir.filePath(u"exec.json"_s);
        const Run r = cli({u"snapshot"_s, u"--kubeconfig"_s, kubeconfig, u"-A"_s, u"-o"_s, out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"running the exec credential plugin of context \"eks\""),
                 qPrintable(r.err));
        QVERIFY(r.err.contains(m_dir.filePath(u"plugin.sh"_s)));
        QVERIFY(m_server->authorizationHeadersSeen().contains(u"Bearer "_s + m_server->token()));
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_GUILESS_MAIN(TestKubeCli)
#include "tst_kubecli.moc"
