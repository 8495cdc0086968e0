#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

// End-to-end tests of `cartograph-cli reach` and `explain`: the real binary, real files. The
// cluster is tests/data/policy/cluster.yaml (namespaces x and y; pods x/a, x/b, y/c, y/d and a
// host-network kube-system/node-agent; service y/web; policies y/deny-all, y/allow-x-http,
// x/egress-limit).
class TestCliPolicy : public QObject
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
    int m_fileCounter = 0;

    static Run run(const QStringList &arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(CARTOGRAPH_CLI_PATH), arguments);
        if (!process.waitForFinished(120000))
            qFatal("cartograph-cli did not finish");
        return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                   QString::fromUtf8(process.readAllStandardOutput()),
                   QString::fromUtf8(process.readAllStandardError())};
    }

    static QString cluster()
    {
        return QStringLiteral(CARTOGRAPH_SOURCE_DIR "/tests/data/policy/cluster.yaml");
    }

    static QString fixture(const char *relative)
    {
        return QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/") + QLatin1String(relative);
    }

    // Writes into a fresh subdirectory, so the file keeps the name the messages are checked for.
    QString write(const QString &name, const QByteArray &content)
    {
        const QString dir = m_dir.filePath(QString::number(++m_fileCounter));
        QDir().mkpath(dir);
        const QString path = dir + u'/' + name;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    Run reach(const QByteArray &probes, const QStringList &extra = {})
    {
        QStringList arguments{QStringLiteral("reach"), QStringLiteral("--snapshot"), cluster()};
        arguments += extra;
        arguments += {QStringLiteral("--probes"), write(QStringLiteral("probes.json"), probes)};
        return run(arguments);
    }

    static QJsonArray results(const Run &run)
    {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isArray())
            qWarning("not a JSON array: %s", qPrintable(error.errorString()));
        return document.array();
    }

    // One direction in a line: "policy rule peer port" of the admitting rule ("*" for a rule
    // without peers or ports), else why no rule was needed or none admits.
    static QString admitted(const QJsonObject &side)
    {
        const QJsonValue by = side.value(QStringLiteral("admitted_by"));
        if (by.isObject()) {
            const QJsonObject rule = by.toObject();
            auto index = [&](const char *key) {
                const QJsonValue value = rule.value(QLatin1String(key));
                return value.isNull() ? QStringLiteral("*") : QString::number(value.toInt());
            };
            return QStringList{rule.value(QStringLiteral("policy")).toString(), index("rule"),
                               index("peer"), index("port")}
                .join(u' ');
        }
        if (!side.value(QStringLiteral("evaluated")).toBool()) {
            return side.value(QStringLiteral("summary")).toString().startsWith(u"not evaluated")
                       ? QStringLiteral("not evaluated")
                       : QStringLiteral("not a pod");
        }
        if (!side.value(QStringLiteral("isolated")).toBool())
            return QStringLiteral("not isolated");
        return side.value(QStringLiteral("allowed")).toBool() ? QStringLiteral("allowed")
                                                              : QStringLiteral("denied");
    }

    // Every failure: the status, nothing on stdout, one line on stderr with every `needles`.
    static void checkFailure(const Run &result, int exitCode, const QStringList &needles)
    {
        qInfo().noquote() << result.err.trimmed();
        QVERIFY2(
            result.exitCode == exitCode,
            qPrintable(QStringLiteral("exit %1, stderr: %2").arg(result.exitCode).arg(result.err)));
        QVERIFY2(result.out.isEmpty(), qPrintable(result.out));
        QCOMPARE(result.err.count(u'\n'), 1);
        for (const QString &needle : needles)
            QVERIFY2(result.err.contains(needle),
                     qPrintable(QStringLiteral("\"%1\" not in: %2").arg(needle, result.err)));
    }

    static QByteArray policy(const QByteArray &spec, const QByteArray &name = "p")
    {
        return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name +
               ", namespace: y}\nspec:\n" + spec;
    }

    static constexpr char kGoodProbe[] = R"([{"from": "x/a", "to": "y/c", "port": 80}])";

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(cluster()), qPrintable(cluster()));
    }

    void help()
    {
        const Run usage = run({QStringLiteral("--help")});
        QCOMPARE(usage.exitCode, 0);
        QVERIFY(usage.out.contains(QStringLiteral("reach --snapshot FILE")));
        QVERIFY(usage.out.contains(QStringLiteral("explain --snapshot FILE")));

        const Run reachHelp = run({QStringLiteral("reach"), QStringLiteral("--help")});
        QCOMPARE(reachHelp.exitCode, 0);
        for (const char *option : {"--snapshot", "--apply", "--delete", "--probes"})
            QVERIFY2(reachHelp.out.contains(QLatin1String(option)), option);
        const Run explainHelp = run({QStringLiteral("explain"), QStringLiteral("--help")});
        QCOMPARE(explainHelp.exitCode, 0);
        for (const char *option :
             {"--snapshot", "--apply", "--delete", "--from", "--to", "--port", "--protocol"})
            QVERIFY2(explainHelp.out.contains(QLatin1String(option)), option);
    }

    void verdicts_data()
    {
        QTest::addColumn<QByteArray>("probe");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("egress");
        QTest::addColumn<QString>("ingress");
        auto row = [](const char *name, const char *probe, const char *verdict, const char *egress,
                      const char *ingress) {
            QTest::newRow(name) << QByteArray(probe) << QString::fromLatin1(verdict)
                                << QString::fromLatin1(egress) << QString::fromLatin1(ingress);
        };
        row("namespace x admitted to y/c on http", R"({"from":"x/a","to":"y/c","port":80})",
            "allow", "not isolated", "y/allow-x-http 0 0 0");
        row("port given by name", R"({"from":"x/a","to":"y/c","port":"http"})", "allow",
            "not isolated", "y/allow-x-http 0 0 0");
        row("other port", R"({"from":"x/a","to":"y/c","port":81})", "deny", "not isolated",
            "denied");
        row("default deny isolates y/d", R"({"from":"x/a","to":"y/d","port":8080})", "deny",
            "not isolated", "denied");
        row("UDP is not the TCP rule", R"({"from":"x/a","to":"y/c","port":80,"protocol":"UDP"})",
            "deny", "not isolated", "denied");
        row("SCTP is not the TCP rule", R"({"from":"x/a","to":"y/c","port":80,"protocol":"SCTP"})",
            "deny", "not isolated", "denied");
        row("same namespace not admitted", R"({"from":"y/d","to":"y/c","port":80})", "deny",
            "not isolated", "denied");
        row("egress and ingress both admit", R"({"from":"x/b","to":"y/c","port":80})", "allow",
            "x/egress-limit 0 0 0", "y/allow-x-http 0 0 0");
        row("egress denies", R"({"from":"x/b","to":"x/a","port":9090})", "deny", "denied",
            "not isolated");
        row("endPort range", R"({"from":"x/b","to":"x/a","port":8050})", "allow",
            "x/egress-limit 0 0 1", "not isolated");
        row("endPort is inclusive", R"({"from":"x/b","to":"x/a","port":8100})", "allow",
            "x/egress-limit 0 0 1", "not isolated");
        row("past endPort", R"({"from":"x/b","to":"x/a","port":8101})", "deny", "denied",
            "not isolated");
        row("port name means 8080 on x/b", R"({"from":"x/a","to":"x/b","port":"http"})", "allow",
            "not isolated", "not isolated");
        row("port name x/b does not have", R"({"from":"x/a","to":"x/b","port":"metrics"})", "deny",
            "not isolated", "not isolated");
        row("to an outside address", R"({"from":"x/a","to":"203.0.113.7","port":443})", "allow",
            "not isolated", "not a pod");
        row("namespaceSelector {} selects pods only",
            R"({"from":"x/b","to":"203.0.113.7","port":80})", "deny", "denied", "not a pod");
        row("from an outside address", R"({"from":"203.0.113.7","to":"y/c","port":80})", "deny",
            "not a pod", "denied");
        row("pod IPs are their pods", R"({"from":"10.0.1.11","to":"10.0.1.21","port":80})", "allow",
            "not isolated", "y/allow-x-http 0 0 0");
        row("IPv6 pod IPs", R"({"from":"fd00:1::11","to":"fd00:1::21","port":80})", "allow",
            "not isolated", "y/allow-x-http 0 0 0");
        row("ClusterIP to its backend", R"({"from":"x/a","to":"10.96.0.10","port":80})", "allow",
            "not isolated", "y/allow-x-http 0 0 0");
        row("ClusterIP through isolated egress", R"({"from":"x/b","to":"10.96.0.10","port":80})",
            "allow", "x/egress-limit 0 0 0", "y/allow-x-http 0 0 0");
        row("ClusterIP on a port the service lacks",
            R"({"from":"x/a","to":"10.96.0.10","port":81})", "deny", "not evaluated", "not a pod");
    }

    void verdicts()
    {
        QFETCH(QByteArray, probe);
        QFETCH(QString, verdict);
        QFETCH(QString, egress);
        QFETCH(QString, ingress);
        const Run result = reach('[' + probe + ']');
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.err.isEmpty(), qPrintable(result.err));
        const QJsonArray array = results(result);
        QCOMPARE(array.size(), 1);
        const QJsonObject object = array.at(0).toObject();
        const QJsonObject explanation = object.value(QStringLiteral("explanation")).toObject();
        QCOMPARE(object.value(QStringLiteral("verdict")).toString(), verdict);
        QCOMPARE(admitted(explanation.value(QStringLiteral("egress")).toObject()), egress);
        QCOMPARE(admitted(explanation.value(QStringLiteral("ingress")).toObject()), ingress);
        QCOMPARE(object.value(QStringLiteral("cni_dependent")).toBool(true), false);
        QCOMPARE(explanation.value(QStringLiteral("enforced")).toBool(), true);
    }

    void echoesProbesInOrder()
    {
        const Run result = reach(R"([
            {"from": "x/a", "to": "y/c", "port": 80},
            {"from": "10.0.1.12", "to": "fd00:1::21", "port": "http", "protocol": "UDP"},
            {"to": "y/d", "protocol": "SCTP", "port": 8080, "from": "y/c"},
            {"from": "x/a", "to": "y/c", "port": "80"}
        ])");
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QJsonArray array = results(result);
        QCOMPARE(array.size(), 4);
        const QJsonObject first = array.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("from")).toString(), QStringLiteral("x/a"));
        QCOMPARE(first.value(QStringLiteral("to")).toString(), QStringLiteral("y/c"));
        QCOMPARE(first.value(QStringLiteral("port")), QJsonValue(80));
        QCOMPARE(first.value(QStringLiteral("protocol")).toString(), QStringLiteral("TCP"));
        const QJsonObject second = array.at(1).toObject();
        QCOMPARE(second.value(QStringLiteral("from")).toString(), QStringLiteral("10.0.1.12"));
        QCOMPARE(second.value(QStringLiteral("to")).toString(), QStringLiteral("fd00:1::21"));
        QCOMPARE(second.value(QStringLiteral("port")), QJsonValue(QStringLiteral("http")));
        QCOMPARE(second.value(QStringLiteral("protocol")).toString(), QStringLiteral("UDP"));
        const QJsonObject third = array.at(2).toObject();
        QCOMPARE(third.value(QStringLiteral("from")).toString(), QStringLiteral("y/c"));
        QCOMPARE(third.value(QStringLiteral("protocol")).toString(), QStringLiteral("SCTP"));
        // A number in a string is still echoed as written, and evaluated as the number.
        const QJsonObject fourth = array.at(3).toObject();
        QCOMPARE(fourth.value(QStringLiteral("port")), QJsonValue(QStringLiteral("80")));
        QCOMPARE(fourth.value(QStringLiteral("verdict")).toString(), QStringLiteral("allow"));
        for (const QJsonValue &value : array) {
            const QJsonObject object = value.toObject();
            QCOMPARE(object.keys().size(), 7);
            QVERIFY(object.value(QStringLiteral("verdict")).isString());
            QVERIFY(object.value(QStringLiteral("cni_dependent")).isBool());
            QVERIFY(object.value(QStringLiteral("explanation")).isObject());
        }
        // The probe's own fields come first, in the contract's order.
        const QStringList order = {
            QStringLiteral("\"from\""),       QStringLiteral("\"to\""),
            QStringLiteral("\"port\""),       QStringLiteral("\"protocol\""),
            QStringLiteral("\"verdict\""),    QStringLiteral("\"cni_dependent\""),
            QStringLiteral("\"explanation\"")};
        qsizetype at = 0;
        for (const QString &key : order) {
            const qsizetype next = result.out.indexOf(key, at);
            QVERIFY2(next >= at, qPrintable(key));
            at = next;
        }

        const Run empty = reach("[]");
        QCOMPARE(empty.exitCode, 0);
        QCOMPARE(empty.out.trimmed(), QStringLiteral("[]"));
    }

    void explanationIsComplete()
    {
        const Run result = reach(R"([
            {"from": "x/b", "to": "y/c", "port": 80},
            {"from": "x/a", "to": "10.96.0.10", "port": 80},
            {"from": "x/a", "to": "x/b", "port": "http"},
            {"from": "10.0.1.11", "to": "y/d", "port": 8080},
            {"from": "kube-system/node-agent", "to": "y/c", "port": 80}
        ])");
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QJsonArray array = results(result);
        QCOMPARE(array.size(), 5);
        auto explanation = [&](int i) {
            return array.at(i).toObject().value(QStringLiteral("explanation")).toObject();
        };

        const QJsonObject both = explanation(0);
        for (const char *key : {"egress", "ingress", "notes", "enforced", "cni_dependent_reasons",
                                "resolved_backends", "backends", "resolved_from", "resolved_to",
                                "resolved_port", "service"})
            QVERIFY2(both.contains(QLatin1String(key)), key);
        const QJsonObject egress = both.value(QStringLiteral("egress")).toObject();
        QCOMPARE(egress.value(QStringLiteral("subject")).toString(), QStringLiteral("x/b"));
        QCOMPARE(egress.value(QStringLiteral("isolated")).toBool(), true);
        QCOMPARE(egress.value(QStringLiteral("selecting_policies")).toArray(),
                 QJsonArray{QStringLiteral("x/egress-limit")});
        QCOMPARE(egress.value(QStringLiteral("admitted_by"))
                     .toObject()
                     .value(QStringLiteral("direction"))
                     .toString(),
                 QStringLiteral("egress"));
        QVERIFY(egress.value(QStringLiteral("summary"))
                    .toString()
                    .contains(QStringLiteral("x/egress-limit spec.egress[0]")));
        const QJsonObject ingress = both.value(QStringLiteral("ingress")).toObject();
        QCOMPARE(ingress.value(QStringLiteral("subject")).toString(), QStringLiteral("y/c"));
        QCOMPARE(ingress.value(QStringLiteral("selecting_policies")).toArray(),
                 (QJsonArray{QStringLiteral("y/allow-x-http"), QStringLiteral("y/deny-all")}));
        QCOMPARE(both.value(QStringLiteral("resolved_port")).toInt(), 80);
        QVERIFY(both.value(QStringLiteral("service")).isNull());

        const QJsonObject service = explanation(1);
        QCOMPARE(service.value(QStringLiteral("service")).toString(), QStringLiteral("y/web"));
        QCOMPARE(service.value(QStringLiteral("resolved_backends")).toArray(),
                 QJsonArray{QStringLiteral("y/c")});
        const QJsonObject backend =
            service.value(QStringLiteral("backends")).toArray().at(0).toObject();
        QCOMPARE(backend.value(QStringLiteral("pod")).toString(), QStringLiteral("y/c"));
        QCOMPARE(backend.value(QStringLiteral("target_port")).toInt(), 80);
        QCOMPARE(backend.value(QStringLiteral("verdict")).toString(), QStringLiteral("allow"));
        QCOMPARE(service.value(QStringLiteral("ingress"))
                     .toObject()
                     .value(QStringLiteral("subject"))
                     .toString(),
                 QStringLiteral("y/c"));

        const QJsonObject named = explanation(2);
        QCOMPARE(named.value(QStringLiteral("resolved_port")).toInt(), 8080);
        QVERIFY(named.value(QStringLiteral("notes"))
                    .toArray()
                    .contains(QStringLiteral("port name http resolves to 8080/TCP on pod x/b")));

        const QJsonObject byIp = explanation(3);
        QCOMPARE(byIp.value(QStringLiteral("resolved_from")).toObject(),
                 (QJsonObject{{QStringLiteral("pod"), QStringLiteral("x/a")},
                              {QStringLiteral("address"), QStringLiteral("10.0.1.11")}}));
        QCOMPARE(byIp.value(QStringLiteral("egress"))
                     .toObject()
                     .value(QStringLiteral("subject"))
                     .toString(),
                 QStringLiteral("x/a"));

        // Host network: the verdict comes flagged, with the reason.
        QCOMPARE(array.at(4).toObject().value(QStringLiteral("cni_dependent")).toBool(), true);
        QVERIFY(!explanation(4).value(QStringLiteral("cni_dependent_reasons")).toArray().isEmpty());
    }

    void applyAddsAndReplaces_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("policies");
        // y/allow-x-http now admits namespace y instead of x; y/allow-a-to-d is new.
        const QByteArray yaml = policy("  podSelector: {matchLabels: {app: c}}\n"
                                       "  ingress:\n"
                                       "  - from: [{namespaceSelector: {matchLabels: {ns: y}}}]\n",
                                       "allow-x-http") +
                                "---\n" +
                                policy("  podSelector: {matchLabels: {app: d}}\n"
                                       "  ingress:\n"
                                       "  - from:\n"
                                       "    - namespaceSelector: {matchLabels: {ns: x}}\n"
                                       "      podSelector: {matchLabels: {app: a}}\n"
                                       "    ports: [{port: web}]\n",
                                       "allow-a-to-d");
        QTest::newRow("multi-document YAML") << QStringLiteral("edit.yaml") << yaml;
        const QByteArray json = R"({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
             "metadata": {"name": "allow-x-http", "namespace": "y"},
             "spec": {"podSelector": {"matchLabels": {"app": "c"}},
                      "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"ns": "y"}}}]}]}},
            {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
             "metadata": {"name": "allow-a-to-d", "namespace": "y"},
             "spec": {"podSelector": {"matchLabels": {"app": "d"}},
                      "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"ns": "x"}},
                                             "podSelector": {"matchLabels": {"app": "a"}}}],
                                   "ports": [{"port": "web"}]}]}}]})";
        QTest::newRow("JSON List") << QStringLiteral("edit.json") << json;
        QByteArray typed = json;
        typed.replace(R"("apiVersion": "v1", "kind": "List")",
                      R"("apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicyList")");
        QTest::newRow("NetworkPolicyList") << QStringLiteral("edit.json") << typed;
    }

    void applyAddsAndReplaces()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, policies);
        const QString edit = write(fileName, policies);
        const QByteArray probes = R"([
            {"from": "x/a", "to": "y/c", "port": 80},
            {"from": "y/d", "to": "y/c", "port": 80},
            {"from": "x/a", "to": "y/d", "port": 8080},
            {"from": "x/b", "to": "y/d", "port": 8080}
        ])";
        const Run before = reach(probes);
        QVERIFY2(before.exitCode == 0, qPrintable(before.err));
        QStringList verdicts;
        for (const QJsonValue &value : results(before))
            verdicts.append(value.toObject().value(QStringLiteral("verdict")).toString());
        QCOMPARE(verdicts, (QStringList{QStringLiteral("allow"), QStringLiteral("deny"),
                                        QStringLiteral("deny"), QStringLiteral("deny")}));

        const Run after = reach(probes, {QStringLiteral("--apply"), edit});
        QVERIFY2(after.exitCode == 0, qPrintable(after.err));
        const QJsonArray array = results(after);
        verdicts.clear();
        for (const QJsonValue &value : array)
            verdicts.append(value.toObject().value(QStringLiteral("verdict")).toString());
        // Replaced: x no longer admitted to y/c, y is. Added: x/a (only) admitted to y/d.
        QCOMPARE(verdicts, (QStringList{QStringLiteral("deny"), QStringLiteral("allow"),
                                        QStringLiteral("allow"), QStringLiteral("deny")}));
        QCOMPARE(admitted(array.at(2)
                              .toObject()
                              .value(QStringLiteral("explanation"))
                              .toObject()
                              .value(QStringLiteral("ingress"))
                              .toObject()),
                 QStringLiteral("y/allow-a-to-d 0 0 0"));
        // Replaced in place, not added twice.
        QCOMPARE(array.at(0)
                     .toObject()
                     .value(QStringLiteral("explanation"))
                     .toObject()
                     .value(QStringLiteral("ingress"))
                     .toObject()
                     .value(QStringLiteral("selecting_policies"))
                     .toArray(),
                 (QJsonArray{QStringLiteral("y/allow-x-http"), QStringLiteral("y/deny-all")}));
    }

    void deleteAndEditOrder_data()
    {
        QTest::addColumn<QStringList>("edits");
        QTest::addColumn<QString>("verdict"); // of x/a -> y/d:8080, which y/deny-all denies
        QTest::newRow("no edit") << QStringList{} << QStringLiteral("deny");
        QTest::newRow("delete") << QStringList{QStringLiteral("--delete"),
                                               QStringLiteral("y/deny-all")}
                                << QStringLiteral("allow");
        QTest::newRow("delete then apply it again")
            << QStringList{QStringLiteral("--delete"), QStringLiteral("y/deny-all"),
                           QStringLiteral("--apply"), QStringLiteral("@deny-all")}
            << QStringLiteral("deny");
        QTest::newRow("apply then delete")
            << QStringList{QStringLiteral("--apply"), QStringLiteral("@deny-all"),
                           QStringLiteral("--delete"), QStringLiteral("y/deny-all")}
            << QStringLiteral("allow");
        QTest::newRow("delete a policy only applied")
            << QStringList{QStringLiteral("--delete"), QStringLiteral("y/deny-all"),
                           QStringLiteral("--apply"),  QStringLiteral("@other"),
                           QStringLiteral("--delete"), QStringLiteral("y/other")}
            << QStringLiteral("allow");
    }

    void deleteAndEditOrder()
    {
        QFETCH(QStringList, edits);
        QFETCH(QString, verdict);
        const QString denyAll =
            write(QStringLiteral("deny-all.yaml"),
                  policy("  podSelector: {}\n  policyTypes: [Ingress]\n", "deny-all"));
        const QString other =
            write(QStringLiteral("other.yaml"), policy("  podSelector: {}\n", "other"));
        edits.replaceInStrings(QStringLiteral("@deny-all"), denyAll);
        edits.replaceInStrings(QStringLiteral("@other"), other);
        const Run result = reach(R"([{"from": "x/a", "to": "y/d", "port": 8080}])", edits);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(results(result).at(0).toObject().value(QStringLiteral("verdict")).toString(),
                 verdict);
    }

    // A snapshot is what a cluster holds: a field Cartograph does not know must not stop it.
    // The same policy given to --apply is a person's text, checked as kubectl --validate=strict.
    void unknownFieldsOnlyRejectedInAppliedPolicies()
    {
        const QByteArray future = policy("  podSelector: {}\n"
                                         "  futureField: true\n"
                                         "  ingress:\n"
                                         "  - from: [{podSelector: {}, futurePeer: {}}]\n"
                                         "    futureRule: 1\n",
                                         "future");
        const QString snapshot = write(QStringLiteral("future.yaml"), future);
        const Run lenient = run({QStringLiteral("reach"), QStringLiteral("--snapshot"), cluster(),
                                 QStringLiteral("--snapshot"), snapshot, QStringLiteral("--probes"),
                                 write(QStringLiteral("probes.json"), kGoodProbe)});
        QVERIFY2(lenient.exitCode == 0, qPrintable(lenient.err));
        QCOMPARE(results(lenient).size(), 1);

        const Run strict = reach(kGoodProbe, {QStringLiteral("--apply"), snapshot});
        checkFailure(strict, 2,
                     {QStringLiteral("future.yaml"), QStringLiteral("spec.futureField"),
                      QStringLiteral("unknown field \"spec.futureField\"")});

        // An invalid policy in a snapshot is an unreadable snapshot: exit 1, as for summary.
        const QString broken =
            write(QStringLiteral("broken.yaml"),
                  policy("  podSelector: {}\n  ingress:\n  - from:\n"
                         "    - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}\n"));
        const Run bad =
            run({QStringLiteral("reach"), QStringLiteral("--snapshot"), broken,
                 QStringLiteral("--probes"), write(QStringLiteral("probes.json"), "[]")});
        checkFailure(bad, 1,
                     {QStringLiteral("broken.yaml"),
                      QStringLiteral("spec.ingress[0].from[0].ipBlock.except[0]")});
    }

    void badProbes_data()
    {
        QTest::addColumn<QByteArray>("probes");
        QTest::addColumn<QStringList>("needles");
        auto row = [](const char *name, const char *probes, QStringList needles) {
            needles.prepend(QStringLiteral("probes.json"));
            QTest::newRow(name) << QByteArray(probes) << needles;
        };
        const auto s = [](const char *text) { return QString::fromUtf8(text); };
        row("an object, not an array", R"({"from": "x/a", "to": "y/c", "port": 80})",
            {s("expected a JSON array of probes")});
        row("JSON syntax", "[\n  {\"from\": \"x/a\",\n   \"to\" \"y/c\"}\n]",
            {s("probes.json:3:"), s("invalid JSON")});
        row("empty file", "", {s("invalid JSON")});
        row("probe not an object", R"([{"from": "x/a", "to": "y/c", "port": 80}, "x/a"])",
            {s("probe [1]"), s("expected an object")});
        row("missing from", R"([{"to": "y/c", "port": 80}])",
            {s("probe [0]"), s("missing \"from\"")});
        row("missing to", R"([{"from": "x/a", "port": 80}])",
            {s("probe [0]"), s("missing \"to\"")});
        row("missing port", R"([{"from": "x/a", "to": "y/c"}])",
            {s("probe [0]"), s("missing \"port\"")});
        row("from not a string", R"([{"from": 5, "to": "y/c", "port": 80}])",
            {s("probe [0]"), s("\"from\" must be a string")});
        row("unknown protocol", R"([{"from": "x/a", "to": "y/c", "port": 80, "protocol": "ICMP"}])",
            {s("probe [0]"), s("TCP, UDP or SCTP"), s("ICMP")});
        row("protocol in lower case",
            R"([{"from": "x/a", "to": "y/c", "port": 80, "protocol": "tcp"}])",
            {s("probe [0]"), s("\"tcp\"")});
        row("protocol not a string", R"([{"from": "x/a", "to": "y/c", "port": 80, "protocol": 6}])",
            {s("probe [0]"), s("\"protocol\" must be TCP, UDP or SCTP")});
        row("port 0", R"([{"from": "x/a", "to": "y/c", "port": 0}])",
            {s("probe [0]"), s("between 1 and 65535")});
        row("port above 65535", R"([{"from": "x/a", "to": "y/c", "port": 65536}])",
            {s("probe [0]"), s("between 1 and 65535")});
        row("port with a fraction", R"([{"from": "x/a", "to": "y/c", "port": 80.5}])",
            {s("probe [0]"), s("whole number")});
        row("port \"0\"", R"([{"from": "x/a", "to": "y/c", "port": "0"}])",
            {s("probe [0]"), s("between 1 and 65535")});
        row("port name in capitals", R"([{"from": "x/a", "to": "y/c", "port": "HTTP"}])",
            {s("probe [0]"), s("port name"), s("\"HTTP\"")});
        row("port a boolean", R"([{"from": "x/a", "to": "y/c", "port": true}])",
            {s("probe [0]"), s("\"port\" must be a number or a port name")});
        row("unknown pod after good probes",
            R"([{"from": "x/a", "to": "y/c", "port": 80}, {"from": "x/a", "to": "y/c", "port": 81},
                {"from": "x/b", "to": "y/c", "port": 80}, {"from": "x/q", "to": "y/c", "port": 80}])",
            {s("probe [3]: unknown pod \"x/q\""), s("\"from\"")});
        row("unknown destination pod", R"([{"from": "x/a", "to": "z/c", "port": 80}])",
            {s("probe [0]: unknown pod \"z/c\""), s("\"to\"")});
        row("neither pod nor IP", R"([{"from": "x/a/b", "to": "y/c", "port": 80}])",
            {s("probe [0]"), s("expected namespace/pod-name or an IP address")});
        row("a CIDR is not an address", R"([{"from": "10.0.0.0/24", "to": "y/c", "port": 80}])",
            {s("probe [0]"), s("expected namespace/pod-name or an IP address")});
        row("misspelt field", R"([{"from": "x/a", "to": "y/c", "port": 80, "prot": "UDP"}])",
            {s("probe [0]"), s("unknown field \"prot\"")});
    }

    void badProbes()
    {
        QFETCH(QByteArray, probes);
        QFETCH(QStringList, needles);
        checkFailure(reach(probes), 2, needles);
    }

    // Each row is an --apply file the API server would reject; the message names the file, the
    // field path and the reason.
    void badPolicies_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("needles");
        const auto s = [](const char *text) { return QString::fromUtf8(text); };
        auto row = [](const char *name, const char *fileName, const QByteArray &content,
                      QStringList needles) {
            needles.prepend(QString::fromLatin1(fileName));
            QTest::newRow(name) << QString::fromLatin1(fileName) << content << needles;
        };
        auto ingressPeer = [](const char *peer) {
            return policy(QByteArray("  podSelector: {}\n  ingress:\n  - from:\n    - ") + peer +
                          "\n");
        };
        auto egressPort = [](const char *port) {
            return policy(QByteArray("  podSelector: {}\n  egress:\n  - ports:\n    - ") + port +
                          "\n");
        };
        // ipBlock
        row("except outside cidr", "p.yaml",
            ingressPeer("ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}"),
            {s("at spec.ingress[0].from[0].ipBlock.except[0]"), s("strict subset of cidr")});
        row("except equal to cidr", "p.yaml",
            ingressPeer("ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}"),
            {s("at spec.ingress[0].from[0].ipBlock.except[0]"), s("strict subset")});
        row("except wider than cidr", "p.yaml",
            ingressPeer("ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/8]}"),
            {s("at spec.ingress[0].from[0].ipBlock.except[0]"), s("strict subset")});
        row("except of the other family", "p.yaml",
            ingressPeer("ipBlock: {cidr: 10.0.0.0/8, except: [\"fd00::/64\"]}"),
            {s("at spec.ingress[0].from[0].ipBlock.except[0]"), s("strict subset")});
        row("second except outside", "p.yaml",
            ingressPeer("ipBlock: {cidr: \"fd00::/48\", except: [\"fd00::/64\", \"fd01::/64\"]}"),
            {s("at spec.ingress[0].from[0].ipBlock.except[1]"), s("strict subset")});
        row("invalid cidr", "p.yaml", ingressPeer("ipBlock: {cidr: 10.0.0.0/33}"),
            {s("at spec.ingress[0].from[0].ipBlock.cidr"), s("CIDR")});
        row("cidr without a length", "p.yaml", ingressPeer("ipBlock: {cidr: 10.0.0.1}"),
            {s("at spec.ingress[0].from[0].ipBlock.cidr"), s("CIDR")});
        row("invalid except", "p.yaml",
            ingressPeer("ipBlock: {cidr: 10.0.0.0/8, except: [banana]}"),
            {s("at spec.ingress[0].from[0].ipBlock.except[0]"), s("CIDR")});
        row("ipBlock with a selector", "p.yaml",
            ingressPeer("{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}"),
            {s("at spec.ingress[0].from[0]"), s("ipBlock alone")});
        row("empty peer", "p.yaml", ingressPeer("{}"),
            {s("at spec.ingress[0].from[0]"), s("podSelector, namespaceSelector or ipBlock")});
        // ports
        row("endPort with a named port", "p.yaml", egressPort("{port: http, endPort: 90}"),
            {s("at spec.egress[0].ports[0].endPort"), s("no endPort when port is a name")});
        row("endPort below port", "p.yaml", egressPort("{port: 100, endPort: 90}"),
            {s("at spec.egress[0].ports[0].endPort"), s("greater than or equal to port 100")});
        row("endPort without port", "p.yaml", egressPort("{endPort: 90}"),
            {s("at spec.egress[0].ports[0].port"), s("required field missing")});
        row("endPort out of range", "p.yaml", egressPort("{port: 80, endPort: 65536}"),
            {s("at spec.egress[0].ports[0].endPort"), s("65535")});
        row("unknown protocol", "p.yaml", egressPort("{protocol: ICMP, port: 80}"),
            {s("at spec.egress[0].ports[0].protocol"), s("TCP, UDP or SCTP"), s("ICMP")});
        row("protocol in lower case", "p.yaml", egressPort("{protocol: tcp, port: 80}"),
            {s("at spec.egress[0].ports[0].protocol")});
        row("port out of range", "p.yaml", egressPort("{port: 70000}"),
            {s("at spec.egress[0].ports[0].port"), s("between 1 and 65535")});
        row("invalid port name", "p.yaml", egressPort("{port: HTTP_PORT}"),
            {s("at spec.egress[0].ports[0].port"), s("port name")});
        row("port of the wrong type", "p.yaml", egressPort("{port: true}"),
            {s("at spec.egress[0].ports[0].port"), s("wrong type"),
             s("a port number or a port name")});
        // types
        row("from not an array", "p.yaml",
            policy("  podSelector: {}\n  ingress:\n  - from: {podSelector: {}}\n"),
            {s("at spec.ingress[0].from"), s("wrong type"), s("an array")});
        row("policyTypes not Ingress or Egress", "p.yaml",
            policy("  podSelector: {}\n  policyTypes: [Both]\n"),
            {s("at spec.policyTypes[0]"), s("Ingress or Egress")});
        row("three policyTypes", "p.yaml",
            policy("  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n"),
            {s("at spec.policyTypes"), s("at most two")});
        // selectors
        row("In without values", "p.yaml",
            policy("  podSelector:\n    matchExpressions: [{key: app, operator: In}]\n"),
            {s("at spec.podSelector.matchExpressions[0].values"), s("at least one value")});
        row("Exists with values", "p.yaml",
            policy("  podSelector:\n    matchExpressions: [{key: app, operator: Exists, values: "
                   "[a]}]\n"),
            {s("at spec.podSelector.matchExpressions[0].values"), s("no values")});
        row("unknown operator", "p.yaml",
            policy("  podSelector:\n    matchExpressions: [{key: app, operator: Maybe}]\n"),
            {s("at spec.podSelector.matchExpressions[0].operator")});
        row("invalid label key", "p.yaml", policy("  podSelector: {matchLabels: {-app: a}}\n"),
            {s("at spec.podSelector.matchLabels.-app"), s("label key")});
        row("invalid label value", "p.yaml",
            policy("  podSelector: {matchLabels: {app: \"a b\"}}\n"),
            {s("at spec.podSelector.matchLabels.app"), s("label value")});
        // unknown and repeated fields (kubectl --validate=strict)
        row("unknown field in a rule", "p.yaml",
            policy("  podSelector: {}\n  ingress:\n  - form: [{podSelector: {}}]\n"),
            {s("at spec.ingress[0].form"), s("unknown field \"spec.ingress[0].form\"")});
        row("unknown field in spec", "p.yaml", policy("  podSelectors: {}\n"),
            {s("unknown field \"spec.podSelectors\"")});
        row("unknown field in a peer", "p.yaml", ingressPeer("{podselector: {}}"),
            {s("unknown field \"spec.ingress[0].from[0].podselector\"")});
        row("unknown field in an ipBlock", "p.yaml",
            ingressPeer("ipBlock: {cidr: 10.0.0.0/8, excepts: [10.1.0.0/16]}"),
            {s("unknown field \"spec.ingress[0].from[0].ipBlock.excepts\"")});
        row("unknown field in a port", "p.yaml", egressPort("{port: 80, protocl: UDP}"),
            {s("unknown field \"spec.egress[0].ports[0].protocl\"")});
        row("unknown field in a selector", "p.yaml",
            policy("  podSelector: {matchLabel: {app: a}}\n"),
            {s("unknown field \"spec.podSelector.matchLabel\"")});
        row("unknown field in a requirement", "p.yaml",
            policy(
                "  podSelector:\n    matchExpressions: [{key: app, operator: In, value: [a]}]\n"),
            {s("unknown field \"spec.podSelector.matchExpressions[0].value\"")});
        row("unknown field in egress", "p.yaml",
            policy("  podSelector: {}\n  egress:\n  - from: [{podSelector: {}}]\n"),
            {s("unknown field \"spec.egress[0].from\"")});
        row("unknown field at the top", "p.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n"
            "specs: {podSelector: {}}\n",
            {s("unknown field \"specs\"")});
        row("unknown field in metadata", "p.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            "metadata: {name: p, namespce: y}\nspec: {podSelector: {}}\n",
            {s("unknown field \"metadata.namespce\"")});
        row("duplicate field", "p.json",
            R"({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                "metadata": {"name": "p", "namespace": "y"},
                "spec": {"podSelector": {}, "egress": [{"ports": [{"port": 80, "port": 81}]}]}})",
            {s("at spec.egress[0].ports[0].port"), s("duplicate field")});
        // what the file holds
        row("not a NetworkPolicy", "p.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
            {s("at kind"), s("NetworkPolicy"), s("found kind \"Pod\"")});
        row("NetworkPolicy of another API group", "p.yaml",
            "apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: p}\n"
            "spec: {podSelector: {}}\n",
            {s("at kind"), s("networking.k8s.io/v1")});
        row("missing name", "p.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {namespace: y}\n"
            "spec: {podSelector: {}}\n",
            {s("at metadata.name"), s("required field missing")});
        row("error in the second document", "p.yaml",
            policy("  podSelector: {}\n") + "---\n" + egressPort("{port: 100, endPort: 90}"),
            {s("p.yaml:7"), s("at spec.egress[0].ports[0].endPort")});
        row("error in a List item", "p.json",
            R"({"apiVersion": "v1", "kind": "List", "items": [
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "ok"}, "spec": {"podSelector": {}}},
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "bad"},
                 "spec": {"podSelector": {}, "ingress": [{"from": [{"ipBlock":
                    {"cidr": "10.0.0.0/24", "except": ["10.0.1.0/25"]}}]}]}}]})",
            {s("at items[1].spec.ingress[0].from[0].ipBlock.except[0]"), s("strict subset")});
        row("YAML syntax", "p.yaml", "kind: NetworkPolicy\nmetadata: {name: [p\n",
            {s("syntax error")});
        row("empty file", "p.yaml", "", {s("empty")});
    }

    void badPolicies()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QStringList, needles);
        const QString path = write(fileName, content);
        checkFailure(reach(kGoodProbe, {QStringLiteral("--apply"), path}), 2, needles);
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("needle");
        const QString probes = QStringLiteral("@probes");
        QTest::newRow("no snapshot")
            << QStringList{QStringLiteral("reach"), QStringLiteral("--probes"), probes} << 2
            << QStringLiteral("--snapshot");
        QTest::newRow("no probes")
            << QStringList{QStringLiteral("reach"), QStringLiteral("--snapshot"), cluster()} << 2
            << QStringLiteral("--probes");
        QTest::newRow("positional file")
            << QStringList{QStringLiteral("reach"), cluster(), QStringLiteral("--probes"), probes}
            << 2 << QStringLiteral("--snapshot FILE");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("reach"), QStringLiteral("--frobnicate")} << 2
            << QStringLiteral("frobnicate");
        QTest::newRow("delete unknown policy") << QStringList{QStringLiteral("reach"),
                                                              QStringLiteral("--snapshot"),
                                                              cluster(),
                                                              QStringLiteral("--delete"),
                                                              QStringLiteral("y/nothere"),
                                                              QStringLiteral("--probes"),
                                                              probes}
                                               << 2 << QStringLiteral("\"y/nothere\"");
        QTest::newRow("delete without namespace") << QStringList{QStringLiteral("reach"),
                                                                 QStringLiteral("--snapshot"),
                                                                 cluster(),
                                                                 QStringLiteral("--delete"),
                                                                 QStringLiteral("deny-all"),
                                                                 QStringLiteral("--probes"),
                                                                 probes}
                                                  << 2 << QStringLiteral("NAMESPACE/NAME");
        QTest::newRow("snapshot missing")
            << QStringList{QStringLiteral("reach"), QStringLiteral("--snapshot"),
                           QStringLiteral("/nonexistent/cluster.yaml"), QStringLiteral("--probes"),
                           probes}
            << 1 << QStringLiteral("/nonexistent/cluster.yaml");
        QTest::newRow("probes missing")
            << QStringList{QStringLiteral("reach"), QStringLiteral("--snapshot"), cluster(),
                           QStringLiteral("--probes"), QStringLiteral("/nonexistent/probes.json")}
            << 1 << QStringLiteral("/nonexistent/probes.json");
        QTest::newRow("applied file missing") << QStringList{QStringLiteral("reach"),
                                                             QStringLiteral("--snapshot"),
                                                             cluster(),
                                                             QStringLiteral("--apply"),
                                                             QStringLiteral("/nonexistent/p.yaml"),
                                                             QStringLiteral("--probes"),
                                                             probes}
                                              << 1 << QStringLiteral("/nonexistent/p.yaml");
        QTest::newRow("explain without --port") << QStringList{QStringLiteral("explain"),
                                                               QStringLiteral("--snapshot"),
                                                               cluster(),
                                                               QStringLiteral("--from"),
                                                               QStringLiteral("x/a"),
                                                               QStringLiteral("--to"),
                                                               QStringLiteral("y/c")}
                                                << 2 << QStringLiteral("--port");
        QTest::newRow("explain unknown pod") << QStringList{QStringLiteral("explain"),
                                                            QStringLiteral("--snapshot"),
                                                            cluster(),
                                                            QStringLiteral("--from"),
                                                            QStringLiteral("x/a"),
                                                            QStringLiteral("--to"),
                                                            QStringLiteral("y/q"),
                                                            QStringLiteral("--port"),
                                                            QStringLiteral("80")}
                                             << 2 << QStringLiteral("--to: unknown pod \"y/q\"");
        QTest::newRow("explain bad protocol") << QStringList{QStringLiteral("explain"),
                                                             QStringLiteral("--snapshot"),
                                                             cluster(),
                                                             QStringLiteral("--from"),
                                                             QStringLiteral("x/a"),
                                                             QStringLiteral("--to"),
                                                             QStringLiteral("y/c"),
                                                             QStringLiteral("--port"),
                                                             QStringLiteral("80"),
                                                             QStringLiteral("--protocol"),
                                                             QStringLiteral("ICMP")}
                                              << 2 << QStringLiteral("--protocol");
        QTest::newRow("explain bad port") << QStringList{QStringLiteral("explain"),
                                                         QStringLiteral("--snapshot"),
                                                         cluster(),
                                                         QStringLiteral("--from"),
                                                         QStringLiteral("x/a"),
                                                         QStringLiteral("--to"),
                                                         QStringLiteral("y/c"),
                                                         QStringLiteral("--port"),
                                                         QStringLiteral("99999")}
                                          << 2 << QStringLiteral("--port");
    }

    void badArguments()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, needle);
        arguments.replaceInStrings(QStringLiteral("@probes"),
                                   write(QStringLiteral("probes.json"), kGoodProbe));
        checkFailure(run(arguments), exitCode, {needle});
    }

    void explainForPeople()
    {
        const Run allowed =
            run({QStringLiteral("explain"), QStringLiteral("--snapshot"), cluster(),
                 QStringLiteral("--from"), QStringLiteral("x/b"), QStringLiteral("--to"),
                 QStringLiteral("y/c"), QStringLiteral("--port"), QStringLiteral("http")});
        QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.err));
        const QStringList lines = allowed.out.split(u'\n');
        QCOMPARE(lines.value(0), QStringLiteral("Verdict: ALLOW"));
        const qsizetype egress = allowed.out.indexOf(QStringLiteral("Egress of x/b:"));
        const qsizetype ingress = allowed.out.indexOf(QStringLiteral("Ingress to y/c:"));
        const qsizetype notes = allowed.out.indexOf(QStringLiteral("Notes:"));
        QVERIFY2(egress > 0 && ingress > egress && notes > ingress, qPrintable(allowed.out));
        QVERIFY(allowed.out.contains(
            QStringLiteral("allowed by x/egress-limit spec.egress[0]: peer to[0], port ports[0]")));
        QVERIFY(allowed.out.contains(QStringLiteral(
            "allowed by y/allow-x-http spec.ingress[0]: peer from[0], port ports[0]")));
        QVERIFY(allowed.out.contains(QStringLiteral("port name http resolves to 80/TCP")));

        const Run denied =
            run({QStringLiteral("explain"), QStringLiteral("--snapshot"), cluster(),
                 QStringLiteral("--from"), QStringLiteral("x/a"), QStringLiteral("--to"),
                 QStringLiteral("y/d"), QStringLiteral("--port"), QStringLiteral("8080"),
                 QStringLiteral("--protocol"), QStringLiteral("UDP")});
        QVERIFY2(denied.exitCode == 0, qPrintable(denied.err));
        QVERIFY(denied.out.startsWith(QStringLiteral("Verdict: DENY\n")));
        QVERIFY(denied.out.contains(QStringLiteral("8080/UDP")));
        QVERIFY(denied.out.contains(QStringLiteral("isolated for ingress by y/deny-all; no rule "
                                                   "admits this traffic")));

        // Edits apply to explain as to reach.
        const Run edited =
            run({QStringLiteral("explain"), QStringLiteral("--snapshot"), cluster(),
                 QStringLiteral("--delete"), QStringLiteral("y/deny-all"), QStringLiteral("--from"),
                 QStringLiteral("x/a"), QStringLiteral("--to"), QStringLiteral("y/d"),
                 QStringLiteral("--port"), QStringLiteral("8080")});
        QVERIFY2(edited.exitCode == 0, qPrintable(edited.err));
        QVERIFY(edited.out.startsWith(QStringLiteral("Verdict: ALLOW\n")));

        const Run service =
            run({QStringLiteral("explain"), QStringLiteral("--snapshot"), cluster(),
                 QStringLiteral("--from"), QStringLiteral("x/a"), QStringLiteral("--to"),
                 QStringLiteral("10.96.0.10"), QStringLiteral("--port"), QStringLiteral("80")});
        QVERIFY2(service.exitCode == 0, qPrintable(service.err));
        QVERIFY(service.out.contains(QStringLiteral("Service y/web, backends:")));
        QVERIFY(service.out.contains(QStringLiteral("allow  y/c port 80")));

        const Run hostNetwork =
            run({QStringLiteral("explain"), QStringLiteral("--snapshot"), cluster(),
                 QStringLiteral("--from"), QStringLiteral("kube-system/node-agent"),
                 QStringLiteral("--to"), QStringLiteral("y/c"), QStringLiteral("--port"),
                 QStringLiteral("80")});
        QVERIFY2(hostNetwork.exitCode == 0, qPrintable(hostNetwork.err));
        QVERIFY(hostNetwork.out.contains(QStringLiteral("CNI-dependent")));
    }

    // Real policy collections must pass the strict reading (one file holds a Namespace too, and
    // is refused for that).
    void fixturePoliciesApplyStrictly()
    {
        if (!QDir(QStringLiteral(CARTOGRAPH_FIXTURES_DIR)).exists())
            QSKIP("../shared/fixtures is not present");
        QStringList arguments;
        int files = 0;
        for (const char *dir : {"manifests/netpol-recipes", "manifests/k8s-docs-netpol",
                                "manifests/online-boutique/netpol", "manifests/sock-shop/netpol"}) {
            const QDir directory(fixture(dir));
            for (const QString &name :
                 directory.entryList({QStringLiteral("*.yaml")}, QDir::Files)) {
                if (name == u"netpol-default-deny.yaml")
                    continue;
                arguments << QStringLiteral("--apply") << directory.filePath(name);
                ++files;
            }
        }
        QVERIFY(files > 40);
        const Run all = reach(kGoodProbe, arguments);
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));

        const Run withNamespace =
            reach(kGoodProbe, {QStringLiteral("--apply"),
                               fixture("manifests/sock-shop/netpol/netpol-default-deny.yaml")});
        checkFailure(withNamespace, 2,
                     {QStringLiteral("netpol-default-deny.yaml"), QStringLiteral("at kind"),
                      QStringLiteral("found kind \"Namespace\"")});
    }

    // whatif: deleting y/deny-all opens y/d to everyone; the JSON and the text agree, flows flip.
    void whatIf()
    {
        const QString flows = write(QStringLiteral("flows.json"),
                                    R"({"flows": [
                {"protocol": "TCP", "a": {"ip": "10.0.1.11", "port": 40000, "endpoint": null},
                 "b": {"ip": "10.0.1.22", "port": 80, "endpoint": null}},
                {"protocol": "TCP", "a": {"ip": "10.0.1.11", "port": 40000, "endpoint": null},
                 "b": {"ip": "10.0.1.12", "port": 80, "endpoint": null}},
                {"protocol": "ICMP", "a": {"ip": "10.0.1.11", "port": null, "endpoint": null},
                 "b": {"ip": "10.0.1.22", "port": null, "endpoint": null}}],
               "summary": {}})");
        const QStringList base{QStringLiteral("whatif"),
                               QStringLiteral("--snapshot"),
                               cluster(),
                               QStringLiteral("--delete"),
                               QStringLiteral("y/deny-all"),
                               QStringLiteral("--flows"),
                               flows};
        const Run json = run(base + QStringList{QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonObject result = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(result.value(QStringLiteral("allow_to_deny")).toInt(), 0);
        QVERIFY(result.value(QStringLiteral("deny_to_allow")).toInt() > 0);
        bool sawXToY80 = false;
        for (const QJsonValue &portClass : result.value(QStringLiteral("port_classes")).toArray()) {
            if (portClass[QStringLiteral("description")].toString() != u"TCP 80")
                continue;
            for (const QJsonValue &ns : portClass[QStringLiteral("namespaces")].toArray()) {
                if (ns[QStringLiteral("from")].toString() == u"x" &&
                    ns[QStringLiteral("to")].toString() == u"y") {
                    sawXToY80 = true;
                    QCOMPARE(ns[QStringLiteral("deny_to_allow")].toInt(), 2); // x/a, x/b -> y/d
                }
            }
        }
        QVERIFY(sawXToY80);
        const QJsonObject flowResult = result.value(QStringLiteral("flows")).toObject();
        QCOMPARE(flowResult.value(QStringLiteral("checked")).toInt(), 2);
        QCOMPARE(flowResult.value(QStringLiteral("skipped")).toInt(), 1);
        const QJsonArray flipped = flowResult.value(QStringLiteral("flipped")).toArray();
        QCOMPARE(flipped.size(), 1);
        QCOMPARE(flipped[0][QStringLiteral("to_pod")].toString(), QStringLiteral("y/d"));
        QCOMPARE(flipped[0][QStringLiteral("before")].toString(), QStringLiteral("deny"));
        QCOMPARE(flipped[0][QStringLiteral("after")].toString(), QStringLiteral("allow"));

        const Run text = run(base);
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY(text.out.contains(QStringLiteral("x -> y: 2 deny→allow")));
        QVERIFY(text.out.contains(
            QStringLiteral("[0] TCP 10.0.1.11 (x/a) -> 10.0.1.22 (y/d) port 80: deny -> allow")));

        const Run unchanged =
            run({QStringLiteral("whatif"), QStringLiteral("--snapshot"), cluster()});
        QCOMPARE(unchanged.exitCode, 0);
        QVERIFY(unchanged.out.contains(QStringLiteral("No pod pair changes")));

        const Run badFlows =
            run({QStringLiteral("whatif"), QStringLiteral("--snapshot"), cluster(),
                 QStringLiteral("--flows"), write(QStringLiteral("bad.json"), "[]")});
        checkFailure(badFlows, 2, {QStringLiteral("bad.json"), QStringLiteral("\"flows\"")});
    }
};

QTEST_GUILESS_MAIN(TestCliPolicy)
#include "tst_cli_policy.moc"
