#include "CniDetection.h"
#include "SnapshotIo.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace cartograph;

namespace {

QString fixture(const QString &relative)
{
    return QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/") + relative;
}

bool haveFixtures()
{
    return QDir(QStringLiteral(CARTOGRAPH_FIXTURES_DIR)).exists();
}

// Kept outside the class: moc does not need to see JSON escapes.
const char kEscapesJson[] = "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n\",\"labels\":{"
                            "\"a\":\"tab\\tquote\\\"slash\\/back\\\\\","
                            "\"b\":\"\\u00e9\\ud83d\\ude00\",\"c\":\"\xC3\x9C"
                            "n\xC3\xAF"
                            "c\xC3\xB8"
                            "d\xC3\xA9\"}}}";

} // namespace

class TestSnapshotLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write test file");
        file.write(content);
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // --- real kubectl output ---------------------------------------------------------------

    void realFixturesLoad_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("pods");
        QTest::addColumn<int>("services");
        QTest::addColumn<int>("slices");
        QTest::addColumn<int>("policies");
        QTest::addColumn<int>("skipped");
        const struct
        {
            const char *file;
            int nodes, pods, services, slices, policies, skipped;
        } rows[] = {
            {"k8s-api/cilium-kind-cluster/nodeport-v1.26-init.json", 3, 0, 1, 1, 0, 4},
            {"k8s-api/cilium-kind-cluster/nodeport-v1.26-init.yaml", 3, 0, 1, 1, 0, 4},
            {"k8s-api/cilium-kind-cluster/nodeport-v1.26-state1.json", 0, 1, 2, 2, 0, 2},
            {"k8s-api/cilium-kind-cluster/nodeport-v1.26-state1.yaml", 0, 1, 2, 2, 0, 2},
            {"k8s-api/kubectl-neat/list1-raw.json", 0, 2, 0, 0, 0, 0},
            {"k8s-api/kubectl-neat/pod1-raw.json", 0, 1, 0, 0, 0, 0},
            {"k8s-api/kubectl-neat/service1-raw.json", 0, 0, 1, 0, 0, 0},
            {"k8s-api/k9s/no.json", 1, 0, 0, 0, 0, 0},
            {"k8s-api/k9s/np.json", 0, 0, 0, 0, 1, 0},
            {"k8s-api/k9s/eps.json", 0, 0, 0, 1, 0, 0},
            {"k8s-api/k9s/ep.json", 0, 0, 0, 0, 0, 1},
            {"k8s-api/k9s/dp.json", 0, 0, 0, 0, 0, 1},
            {"k8s-api/k9s/po_sidecar.json", 0, 1, 0, 0, 0, 0},
            {"k8s-api/linkerd-watch/services-list-pythonsky.json", 0, 0, 4, 0, 0, 0},
            {"k8s-api/linkerd-watch/endpoints-list-srv.json", 0, 0, 0, 0, 0, -1},
            {"manifests/sock-shop/complete-demo.yaml", 0, 0, 14, 0, 0, -1},
            {"manifests/online-boutique/kubernetes-manifests.yaml", 0, 0, 12, 0, 0, -1},
            {"manifests/netpol-recipes/11-deny-egress-traffic-from-an-application.yaml", 0, 0, 0, 0,
             2, 0},
            {"manifests/k8s-docs-netpol/networkpolicy.yaml", 0, 0, 0, 0, 1, 0},
        };
        for (const auto &row : rows) {
            QTest::newRow(row.file) << QString::fromLatin1(row.file) << row.nodes << row.pods
                                    << row.services << row.slices << row.policies << row.skipped;
        }
    }

    void realFixturesLoad()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        QFETCH(QString, file);
        QFETCH(int, nodes);
        QFETCH(int, pods);
        QFETCH(int, services);
        QFETCH(int, slices);
        QFETCH(int, policies);
        QFETCH(int, skipped);
        ClusterSnapshot snapshot;
        const Status status = loadSnapshotFile(fixture(file), snapshot);
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(describe(status.error())));
        QCOMPARE(snapshot.nodes.size(), nodes);
        QCOMPARE(snapshot.pods.size(), pods);
        QCOMPARE(snapshot.services.size(), services);
        QCOMPARE(snapshot.endpointSlices.size(), slices);
        QCOMPARE(snapshot.networkPolicies.size(), policies);
        qint64 skippedCount = 0;
        for (qint64 count : std::as_const(snapshot.skippedKinds))
            skippedCount += count;
        if (skipped >= 0)
            QCOMPARE(skippedCount, skipped);
        else
            QVERIFY(skippedCount > 0);
        QCOMPARE(snapshot.sources, QStringList{fixture(file)});
    }

    void everyManifestAndApiFixtureLoads()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        int files = 0;
        for (const QString &dir : {QStringLiteral("k8s-api"), QStringLiteral("manifests")}) {
            QDirIterator it(
                fixture(dir),
                {QStringLiteral("*.json"), QStringLiteral("*.yaml"), QStringLiteral("*.yml")},
                QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                ClusterSnapshot snapshot;
                const Status status = loadSnapshotFile(path, snapshot);
                QVERIFY2(
                    status.ok(),
                    qPrintable(path + u' ' + (status.ok() ? QString() : describe(status.error()))));
                QVERIFY2(snapshot.objectCount() + snapshot.skippedKinds.size() > 0,
                         qPrintable(path));
                ++files;
            }
        }
        QVERIFY(files >= 50);
    }

    void ciliumKindClusterValues()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        const auto loaded = loadSnapshotFiles(
            {fixture(QStringLiteral("k8s-api/cilium-kind-cluster/nodeport-v1.26-init.json")),
             fixture(QStringLiteral("k8s-api/cilium-kind-cluster/nodeport-v1.26-state1.json"))});
        QVERIFY(loaded.ok());
        const ClusterSnapshot &s = *loaded;
        QCOMPARE(s.sources.size(), 2);
        const qsizetype cp = s.findNode(u"nodeport-control-plane");
        QVERIFY(cp >= 0);
        const Node &node = s.nodes[cp];
        QCOMPARE(node.roles, QStringList{QStringLiteral("control-plane")});
        QCOMPARE(node.podCidrs.size(), 2); // dual stack
        QCOMPARE(node.podCidrs[0], *Cidr::parse(u"10.244.0.0/24"));
        QVERIFY(node.podCidrs[1].network().isV6());
        QCOMPARE(node.internalIp(), *IpAddress::parse(u"172.18.0.4"));
        QVERIFY(!node.taints.isEmpty());
        QCOMPARE(node.taints[0].effect, QStringLiteral("NoSchedule"));
        QVERIFY(!node.kubeletVersion.isEmpty());

        const qsizetype podIndex = s.findPod(u"test", s.pods.value(0).name);
        QVERIFY(podIndex >= 0);
        const Pod &pod = s.pods[podIndex];
        QCOMPARE(pod.podIps.value(0), *IpAddress::parse(u"10.244.1.224"));
        QCOMPARE(pod.hostIp, *IpAddress::parse(u"172.18.0.3"));
        QCOMPARE(pod.nodeName, QStringLiteral("nodeport-worker"));
        bool hostPort = false;
        for (const Container &c : pod.containers)
            for (const ContainerPort &p : c.ports)
                hostPort |= p.hostPort == 8080;
        QVERIFY(hostPort);

        const qsizetype echo = s.findService(u"test", u"echo");
        QVERIFY(echo >= 0);
        QCOMPARE(s.services[echo].type, ServiceType::NodePort);
        QVERIFY(s.services[echo].ports.value(0).nodePort > 0);
        QCOMPARE(s.services[echo].dnsName(s.clusterDomain),
                 QStringLiteral("echo.test.svc.cluster.local"));
        QCOMPARE(s.podsSelectedBy(s.services[echo]), QList<qsizetype>{podIndex});
    }

    void networkPolicyEveryField()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        ClusterSnapshot s;
        QVERIFY(loadSnapshotFile(fixture(QStringLiteral("k8s-api/k9s/np.json")), s).ok());
        const NetworkPolicy &p = s.networkPolicies.at(0);
        QCOMPARE(p.qualifiedName(), QStringLiteral("default/fred"));
        QVERIFY(p.policyTypes.has_value());
        QVERIFY(p.affectsIngress());
        QVERIFY(p.affectsEgress());
        bool sawBlock = false;
        for (const auto &rule : p.ingress) {
            for (const auto &peer : rule.peers) {
                if (peer.ipBlock) {
                    sawBlock = true;
                    QCOMPARE(peer.ipBlock->cidr, *Cidr::parse(u"172.17.0.0/16"));
                    QCOMPARE(peer.ipBlock->except.size(), 3);
                }
            }
        }
        QVERIFY(sawBlock);
        QCOMPARE(p.egress.value(0).ports.value(0).portNumber.value_or(0), 5978);
        QCOMPARE(p.egress.value(0).peers.value(0).ipBlock->cidr, *Cidr::parse(u"10.0.0.0/24"));
    }

    void typedListFromTheApiServer()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        // ServiceList items carry no kind: the list's kind supplies it.
        ClusterSnapshot s;
        QVERIFY(
            loadSnapshotFile(
                fixture(QStringLiteral("k8s-api/linkerd-watch/services-list-pythonsky.json")), s)
                .ok());
        const qsizetype l5d = s.findService(u"pythonsky", u"l5d");
        QVERIFY(l5d >= 0);
        QCOMPARE(s.services[l5d].type, ServiceType::LoadBalancer);
        QCOMPARE(s.services[l5d].ports.size(), 4);
        QVERIFY(s.services[l5d].ports[0].nodePort > 0);
        QCOMPARE(s.services[l5d].loadBalancerIngress.size(), 1);
    }

    void jsonAndYamlGiveTheSameModel()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        for (const char *base : {"nodeport-v1.26-init", "nodeport-v1.26-state1"}) {
            const QString stem =
                QStringLiteral("k8s-api/cilium-kind-cluster/") + QLatin1String(base);
            const auto json = loadSnapshotFiles({fixture(stem + QStringLiteral(".json"))});
            const auto yaml = loadSnapshotFiles({fixture(stem + QStringLiteral(".yaml"))});
            QVERIFY(json.ok() && yaml.ok());
            QCOMPARE(snapshotToJson(*yaml), snapshotToJson(*json));
        }
    }

    void multiDocumentYamlAndSeveralFiles()
    {
        const QString a = write(QStringLiteral("multi.yaml"), R"(---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# an empty document is allowed
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web, "version": "1.0"}
spec:
  containers:
  - name: web
    ports:
    - {containerPort: 8080, name: http}
status:
  podIP: 10.1.0.5
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
)");
        const QString b = write(QStringLiteral("svc.json"), R"({"apiVersion":"v1","kind":"Service",
            "metadata":{"name":"web","namespace":"shop"},
            "spec":{"clusterIP":"10.96.0.20","selector":{"app":"web"},
                    "ports":[{"port":80,"targetPort":"http"}]}})");
        const auto loaded = loadSnapshotFiles({a, b});
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(describe(loaded.error())));
        const ClusterSnapshot &s = *loaded;
        QCOMPARE(s.namespaces.size(), 1);
        QCOMPARE(s.pods.size(), 1);
        QCOMPARE(s.services.size(), 1);
        QCOMPARE(s.skippedKinds.value(QStringLiteral("Deployment.apps")), 1);
        // "1.0" quoted stays a string; YAML 1.2 core schema for plain scalars.
        QCOMPARE(s.pods[0].labels.value(u"version").value_or(QString()), QStringLiteral("1.0"));
        QCOMPARE(s.pods[0].namedPort(u"http", Protocol::TCP), 8080);
        QCOMPARE(s.services[0].ports[0].targetPortName, QStringLiteral("http"));
        QCOMPARE(s.podsSelectedBy(s.services[0]).size(), 1);
        QCOMPARE(s.sources, (QStringList{a, b}));
    }

    void savedSnapshotRoundTripsAndIsValidJson()
    {
        if (!haveFixtures())
            QSKIP("../shared/fixtures is not present");
        const auto loaded = loadSnapshotFiles(
            {fixture(QStringLiteral("k8s-api/cilium-kind-cluster/nodeport-v1.26-init.json")),
             fixture(QStringLiteral("k8s-api/cilium-kind-cluster/nodeport-v1.26-state1.yaml")),
             fixture(QStringLiteral("k8s-api/k9s/np.json")),
             fixture(QStringLiteral("manifests/cni-daemonsets/kube-flannel.yml"))});
        QVERIFY(loaded.ok());
        const QString saved = m_dir.filePath(QStringLiteral("saved.json"));
        QVERIFY(saveSnapshotFile(*loaded, saved).ok());
        const auto reloaded = loadSnapshotFiles({saved});
        QVERIFY2(reloaded.ok(), reloaded.ok() ? "" : qPrintable(describe(reloaded.error())));
        QCOMPARE(snapshotToJson(*reloaded), snapshotToJson(*loaded));
        QCOMPARE(detectCni(*reloaded).plugin, CniPlugin::Flannel);

        // An independent JSON reader agrees it is a kind: List with every object.
        QProcess python;
        python.start(QStringLiteral("python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import json,sys; d=json.load(open(sys.argv[1])); "
                                     "print(d['kind'], len(d['items']))"),
                      saved});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(python.readAllStandardOutput()).trimmed(),
                 QStringLiteral("List %1").arg(loaded->objectCount()));
    }

    void saveFailureKeepsOldFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("no-such-dir/out.json"));
        const Status status = saveSnapshotFile(ClusterSnapshot{}, path);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, ErrorCode::WriteFailed);
        QVERIFY(describe(status.error()).contains(path));
    }

    void cancelStopsBetweenItems()
    {
        QByteArray json = "{\"kind\":\"List\",\"items\":[";
        for (int i = 0; i < 100; ++i)
            json += (i ? "," : "") +
                    QByteArray("{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n") +
                    QByteArray::number(i) + "\"}}";
        json += "]}";
        std::atomic_bool cancel{true};
        ClusterSnapshot s;
        const Status status = loadSnapshotData(json, QStringLiteral("x.json"), s, &cancel);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, ErrorCode::Cancelled);
        QVERIFY(s.namespaces.size() < 100);
    }

    void byteOrderMarkAndNestedIgnoredSubtrees()
    {
        ClusterSnapshot s;
        const QByteArray json =
            "\xEF\xBB\xBF{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
            "\"labels\":{\"env\":\"prod\",\"images\":\"x\"},"
            "\"managedFields\":[{\"a\":{\"b\":[1,2,{}]}}]},"
            "\"spec\":{\"containers\":[{\"name\":\"c\",\"env\":[{\"name\":\"A\"}],"
            "\"ports\":[{\"containerPort\":80}]}],\"volumes\":[[[]]]},"
            "\"status\":{\"containerStatuses\":[{\"x\":null}],\"podIP\":\"fd00::5\"}}";
        const Status status = loadSnapshotData(json, QStringLiteral("bom.json"), s);
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(describe(status.error())));
        // Label keys that happen to share a name with skipped fields are kept.
        QCOMPARE(s.pods[0].labels.value(u"env").value_or(QString()), QStringLiteral("prod"));
        QCOMPARE(s.pods[0].labels.value(u"images").value_or(QString()), QStringLiteral("x"));
        QCOMPARE(s.pods[0].containers[0].ports[0].containerPort, 80);
        QCOMPARE(s.pods[0].podIps.value(0), *IpAddress::parse(u"fd00::5"));
    }

    void mutatedInputNeverCrashes()
    {
        // Seeded random damage to a real snapshot (byte flips, insertions, cuts): every variant
        // either loads or fails with a message that names the source. Run under asan-ubsan too.
        QFile demo(QStringLiteral(CARTOGRAPH_SOURCE_DIR "/resources/demo/flannel.json"));
        QVERIFY(demo.open(QIODevice::ReadOnly));
        const QByteArray original = demo.readAll();
        QRandomGenerator random(20261127);
        const char alphabet[] = "{}[],:\"\\ 0123456789-.eE\ntfnulx\x80\xff\x00";
        int failures = 0;
        for (int round = 0; round < 400; ++round) {
            QByteArray damaged = original;
            const int edits = 1 + random.bounded(4);
            for (int e = 0; e < edits; ++e) {
                const int at = random.bounded(int(damaged.size()));
                switch (random.bounded(3)) {
                case 0:
                    damaged[at] = alphabet[random.bounded(int(sizeof alphabet - 1))];
                    break;
                case 1:
                    damaged.insert(at, alphabet[random.bounded(int(sizeof alphabet - 1))]);
                    break;
                default:
                    damaged.truncate(at);
                    break;
                }
                if (damaged.isEmpty())
                    break;
            }
            ClusterSnapshot snapshot;
            const Status status =
                loadSnapshotData(damaged, QStringLiteral("damaged.json"), snapshot);
            if (!status.ok()) {
                ++failures;
                QVERIFY(describe(status.error()).startsWith(QStringLiteral("damaged.json")));
            }
        }
        QVERIFY(failures > 200); // most damage must be noticed
    }

    void repeatedKeyLastOneWins()
    {
        // As Go's encoding/json (and so the API server and kubectl) decode it.
        ClusterSnapshot s;
        const QByteArray json = "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"first\","
                                "\"labels\":{\"a\":\"1\"},\"name\":\"second\"}}";
        QVERIFY(loadSnapshotData(json, QStringLiteral("dup.json"), s).ok());
        QCOMPARE(s.namespaces.value(0).name, QStringLiteral("second"));
        QCOMPARE(s.namespaces.value(0).labels.value(u"a").value_or(QString()), QStringLiteral("1"));
    }

    void jsonEscapesAndUnicode()
    {
        ClusterSnapshot s;
        const QByteArray json(kEscapesJson);
        const Status status = loadSnapshotData(json, QStringLiteral("u.json"), s);
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(describe(status.error())));
        QCOMPARE(s.namespaces[0].labels.value(u"a").value_or(QString()),
                 QStringLiteral("tab\tquote\"slash/back\\"));
        QCOMPARE(s.namespaces[0].labels.value(u"b").value_or(QString()),
                 QString::fromUtf8("\xC3\xA9\xF0\x9F\x98\x80"));
        QCOMPARE(s.namespaces[0].labels.value(u"c").value_or(QString()),
                 QString::fromUtf8("\xC3\x9C"
                                   "n\xC3\xAF"
                                   "c\xC3\xB8"
                                   "d\xC3\xA9"));
    }

    void largeStreamAcrossChunks()
    {
        // More than one 1 MiB read chunk, with strings straddling chunk boundaries.
        QByteArray json = "{\"kind\":\"List\",\"items\":[";
        const QByteArray filler(997, 'x');
        for (int i = 0; i < 3000; ++i) {
            json += (i ? ",\n    " : "") +
                    QByteArray("{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns-") +
                    QByteArray::number(i) + "\",\"annotations\":{\"note\":\"" + filler +
                    "\\u00e9\"}}}";
        }
        json += "]}";
        const QString path = write(QStringLiteral("large.json"), json);
        ClusterSnapshot s;
        const Status status = loadSnapshotFile(path, s);
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(describe(status.error())));
        QCOMPARE(s.namespaces.size(), 3000);
        QCOMPARE(s.namespaces.last().name, QStringLiteral("ns-2999"));
    }

    // --- bad input: every row names the file and where ---------------------------------------

    void badInput_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("where"); // must appear in the message

        auto row = [](const char *tag, const char *name, QByteArray content, ErrorCode code,
                      const char *where) {
            QTest::newRow(tag) << QString::fromLatin1(name) << content << int(code)
                               << QString::fromUtf8(where);
        };
        row("empty file", "empty.json", QByteArray(), ErrorCode::EmptyFile, "empty.json");
        row("whitespace only", "blank.yaml", "  \n\n\t \n", ErrorCode::EmptyFile, "blank.yaml");
        row("binary", "image.json", QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
            ErrorCode::BinaryFile, "image.json");
        row("unterminated List", "cut.json", "{\"kind\": \"List\", \"items\": [\n  {",
            ErrorCode::SyntaxError, "cut.json:2:4");
        row("trailing comma", "comma.json", "{\"kind\":\"Pod\",\n\"metadata\":{\"name\":\"a\",}}",
            ErrorCode::SyntaxError, "comma.json:2:24");
        row("missing comma", "mc.json",
            "{\"kind\":\"List\",\n \"items\":[{\"kind\": \"Pod\" \"x\"}]}", ErrorCode::SyntaxError,
            "mc.json:2:26");
        row("numbers glued by space", "num.json", "{\"kind\":\"Pod\",\"x\":[1 2]}",
            ErrorCode::SyntaxError, "num.json:1:22");
        row("leading zero", "zero.json", "{\"kind\":\"Pod\",\"x\":01}", ErrorCode::SyntaxError,
            "zero.json:1");
        row("invalid UTF-8", "utf.json", "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\xff\"}}",
            ErrorCode::SyntaxError, "utf.json:1");
        row("lone surrogate", "sur.json", "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"\\ud800x\"}}",
            ErrorCode::SyntaxError, "sur.json:1");
        row("control character in string", "ctl.json", "{\"kind\":\"Pod\",\"a\":\"x\ty\"}",
            ErrorCode::SyntaxError, "ctl.json:1:21");
        row("garbage after document", "after.json",
            "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}} x", ErrorCode::SyntaxError,
            "after.json:1:46");
        row("too deep", "deep.json", QByteArray(600, '[') + QByteArray(600, ']'),
            ErrorCode::WrongType, "deep.json");
        row("too deep inside object", "deep2.json",
            "{\"kind\":\"Pod\",\"a\":" + QByteArray(600, '[') + QByteArray(600, ']') + "}",
            ErrorCode::SyntaxError, "deep2.json:1");
        row("bad YAML", "bad.yaml", "kind: List\nitems:\n- kind: Pod\n  metadata:\n    name: [a\n",
            ErrorCode::SyntaxError, "bad.yaml:6");
        row("YAML tab indentation", "tab.yaml", "kind: Pod\nmetadata:\n\tname: a\n",
            ErrorCode::SyntaxError, "tab.yaml:3");
        row("top-level array", "array.json", "[1, 2]", ErrorCode::WrongType, "array.json");
        row("YAML scalar document", "scalar.yaml", "hello world\n", ErrorCode::WrongType,
            "scalar.yaml:1");
        row("name is a number", "n.json", "{\"kind\":\"Pod\",\"metadata\":{\"name\":5}}",
            ErrorCode::WrongType, "at metadata.name");
        row("label value not a string", "l.json",
            "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"labels\":{\"tier\":1}}}",
            ErrorCode::WrongType, "at metadata.labels.tier");
        row("missing kind", "k.json", "{\"metadata\":{\"name\":\"a\"}}", ErrorCode::MissingField,
            "at kind");
        row("missing name", "nn.yaml", "kind: Node\nmetadata:\n  labels: {a: b}\n",
            ErrorCode::MissingField, "at metadata.name");
        row("missing metadata", "m.json", "{\"kind\":\"Service\"}", ErrorCode::MissingField,
            "at metadata");
        row("items not an array", "i.json", "{\"kind\":\"List\",\"items\":{}}",
            ErrorCode::WrongType, "at items");
        row("item is a string", "is.json", "{\"kind\":\"List\",\"items\":[\"pod\"]}",
            ErrorCode::WrongType, "at items[0]");
        row("List inside a List", "nested.json",
            "{\"kind\":\"List\",\"items\":[{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}},"
            "{\"kind\":\"List\",\"items\":[]}]}",
            ErrorCode::NestedList, "at items[1]");
        row("List inside a YAML List", "nested.yaml",
            "kind: List\nitems:\n- kind: PodList\n  items: []\n", ErrorCode::NestedList,
            "at items[0]");
        row("items with a non-list kind", "kind.json", "{\"kind\":\"Pod\",\"items\":[]}",
            ErrorCode::InvalidValue, "at kind");
        row("bad pod IP", "ip.json",
            "{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},"
            "\"status\":{\"podIP\":\"10.0.0.300\"}}]}",
            ErrorCode::InvalidValue, "at items[0].status.podIP");
        row("bad pod CIDR", "cidr.yaml",
            "kind: Node\nmetadata: {name: n}\nspec:\n  podCIDRs: [10.244.0.0/33]\n",
            ErrorCode::InvalidValue, "at spec.podCIDRs[0]");
        row("bad ipBlock", "np.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n"
            "  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8, except: "
            "[banana]}\n",
            ErrorCode::InvalidValue, "at spec.ingress[0].from[0].ipBlock.except[0]");
        row("empty peer", "peer.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n"
            "  podSelector: {}\n  egress:\n  - to:\n    - {}\n",
            ErrorCode::MissingField, "at spec.egress[0].to[0]");
        row("endPort below port", "end.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n"
            "  podSelector: {}\n  egress:\n  - ports:\n    - {port: 100, endPort: 90}\n",
            ErrorCode::InvalidValue, "at spec.egress[0].ports[0].endPort");
        row("unknown operator", "op.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n"
            "  podSelector:\n    matchExpressions:\n    - {key: a, operator: Maybe}\n",
            ErrorCode::InvalidValue, "at spec.podSelector.matchExpressions[0].operator");
        row("port out of range", "port.json",
            "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"containers\":"
            "[{\"name\":\"c\",\"ports\":[{\"containerPort\":70000}]}]}}",
            ErrorCode::InvalidValue, "at spec.containers[0].ports[0].containerPort");
        row("integer beyond 64 bits", "big.json",
            "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"containers\":"
            "[{\"name\":\"c\",\"ports\":[{\"containerPort\":18446744073709551615}]}]}}",
            ErrorCode::InvalidValue, "at spec.containers[0].ports[0].containerPort");
        row("port as string", "ps.json",
            "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"containers\":"
            "[{\"name\":\"c\",\"ports\":[{\"containerPort\":\"80\"}]}]}}",
            ErrorCode::WrongType, "at spec.containers[0].ports[0].containerPort");
        row("unknown protocol", "proto.json",
            "{\"kind\":\"Service\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"ports\":"
            "[{\"port\":80,\"protocol\":\"ICMP\"}]}}",
            ErrorCode::InvalidValue, "at spec.ports[0].protocol");
        row("unknown service type", "type.json",
            "{\"kind\":\"Service\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"type\":\"Magic\"}}",
            ErrorCode::InvalidValue, "at spec.type");
        row("bad interface kind", "nn.json",
            "{\"apiVersion\":\"cartograph.io/"
            "v1alpha1\",\"kind\":\"NodeNetwork\",\"metadata\":{\"name\":\"n\"},"
            "\"status\":{\"interfaces\":[{\"ifname\":\"x\",\"kind\":\"teleporter\"}]}}",
            ErrorCode::InvalidValue, "at status.interfaces[0].kind");
        row("error in second YAML document", "two.yaml",
            "kind: Namespace\nmetadata: {name: a}\n---\nkind: Namespace\nmetadata: {name: [x]}\n",
            ErrorCode::WrongType, "two.yaml:4");
    }

    void badInput()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(int, code);
        QFETCH(QString, where);
        const QString path = write(name, content);
        ClusterSnapshot snapshot;
        const Status status = loadSnapshotFile(path, snapshot);
        QVERIFY2(!status.ok(), "bad input was accepted");
        const QString message = describe(status.error());
        qInfo().noquote() << message;
        QCOMPARE(int(status.error().code), code);
        QVERIFY2(message.contains(path.section(u'/', 0, -2)), qPrintable(message));
        QVERIFY2(message.contains(where),
                 qPrintable(message + QStringLiteral(" -- wanted: ") + where));
        // The same bytes through the in-memory path fail the same way.
        ClusterSnapshot fromMemory;
        const Status memoryStatus = loadSnapshotData(content, name, fromMemory);
        QVERIFY(!memoryStatus.ok());
        QCOMPARE(int(memoryStatus.error().code), code);
    }

    void notAFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("code");
        QTest::newRow("directory") << QDir::tempPath() << int(ErrorCode::NotAFile);
        QTest::newRow("device") << QStringLiteral("/dev/null") << int(ErrorCode::NotAFile);
        QTest::newRow("missing") << QStringLiteral("/nonexistent/cluster.json")
                                 << int(ErrorCode::FileNotFound);
    }

    void notAFile()
    {
        QFETCH(QString, path);
        QFETCH(int, code);
        ClusterSnapshot snapshot;
        const Status status = loadSnapshotFile(path, snapshot);
        QVERIFY(!status.ok());
        QCOMPARE(int(status.error().code), code);
        QVERIFY(describe(status.error()).startsWith(path));
    }

    void severalFilesStopAtTheFirstBadOne()
    {
        const QString good = write(QStringLiteral("good.json"),
                                   "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}");
        const QString bad = write(QStringLiteral("bad.json"), "{");
        const auto result = loadSnapshotFiles({good, bad});
        QVERIFY(!result.ok());
        QCOMPARE(result.error().file, bad);
    }
};

QTEST_GUILESS_MAIN(TestSnapshotLoader)
#include "tst_snapshotloader.moc"
