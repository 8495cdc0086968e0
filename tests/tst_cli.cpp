#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

// End-to-end tests of the headless binary: real process, real files, no display.
class TestCli : public QObject
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

    static Run run(const QStringList &arguments, bool noDisplay = true)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (noDisplay) {
            // Prove the CLI needs no display and no platform plugin chosen for it.
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        }
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(CARTOGRAPH_CLI_PATH), arguments);
        if (!process.waitForFinished(120000))
            qFatal("cartograph-cli did not finish");
        return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                   QString::fromUtf8(process.readAllStandardOutput()),
                   QString::fromUtf8(process.readAllStandardError())};
    }

    static QString fixture(const char *relative)
    {
        return QStringLiteral(CARTOGRAPH_FIXTURES_DIR "/") + QLatin1String(relative);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void helpAndUsage()
    {
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("summary")));
        QVERIFY(help.out.contains(QStringLiteral("export")));

        const Run none = run({});
        QCOMPARE(none.exitCode, 2);
        QVERIFY(none.err.contains(QStringLiteral("Usage")));

        const Run unknown = run({QStringLiteral("frobnicate")});
        QCOMPARE(unknown.exitCode, 2);
        QCOMPARE(unknown.err.count(u'\n'), 1);
        QVERIFY(unknown.err.contains(QStringLiteral("frobnicate")));

        for (const QString &command : {QStringLiteral("summary"), QStringLiteral("export")}) {
            const Run commandHelp = run({command, QStringLiteral("--help")});
            QCOMPARE(commandHelp.exitCode, 0);
            QVERIFY(commandHelp.out.contains(QStringLiteral("--demo")));
        }
        const Run badOption = run({QStringLiteral("summary"), QStringLiteral("--bogus")});
        QCOMPARE(badOption.exitCode, 2);
        QVERIFY(badOption.err.contains(QStringLiteral("bogus")));
    }

    void summaryOfTheDemos()
    {
        const Run calico =
            run({QStringLiteral("summary"), QStringLiteral("--demo"), QStringLiteral("calico")});
        QCOMPARE(calico.exitCode, 0);
        QVERIFY2(calico.out.contains(
                     QStringLiteral("CNI: Calico, overlay IP-in-IP, enforces NetworkPolicy")),
                 qPrintable(calico.out));
        for (const char *node : {"control-plane", "worker-1", "worker-2"})
            QVERIFY(calico.out.contains(QLatin1String(node)));
        QVERIFY(calico.out.contains(QStringLiteral("10.244.1.0/24")));
        QVERIFY(calico.out.contains(QStringLiteral("sock-shop")));

        const Run flannel = run({QStringLiteral("summary"), QStringLiteral("--demo"),
                                 QStringLiteral("flannel"), QStringLiteral("--json")});
        QCOMPARE(flannel.exitCode, 0);
        QJsonParseError parseError;
        const QJsonObject root =
            QJsonDocument::fromJson(flannel.out.toUtf8(), &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        const QJsonObject cni = root.value(QStringLiteral("cni")).toObject();
        QCOMPARE(cni.value(QStringLiteral("plugin")).toString(), QStringLiteral("Flannel"));
        QCOMPARE(cni.value(QStringLiteral("overlay")).toString(), QStringLiteral("VXLAN"));
        QCOMPARE(cni.value(QStringLiteral("enforcesNetworkPolicy")).toBool(true), false);
        QCOMPARE(
            root.value(QStringLiteral("counts")).toObject().value(QStringLiteral("Node")).toInt(),
            3);
        const QJsonArray nodes = root.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 3);
        QVERIFY(!nodes.at(0).toObject().value(QStringLiteral("podCIDRs")).toArray().isEmpty());
        QVERIFY(root.value(QStringLiteral("networkPoliciesPerNamespace"))
                    .toObject()
                    .value(QStringLiteral("sock-shop"))
                    .toInt() > 0);
        // Flannel with policies: the text form warns that they do nothing.
        const Run flannelText =
            run({QStringLiteral("summary"), QStringLiteral("--demo"), QStringLiteral("flannel")});
        QVERIFY(flannelText.out.contains(QStringLiteral("does not enforce NetworkPolicy")));
    }

    void summaryOfRealFiles()
    {
        if (!QDir(QStringLiteral(CARTOGRAPH_FIXTURES_DIR)).exists())
            QSKIP("../shared/fixtures is not present");
        const Run result = run({QStringLiteral("summary"), QStringLiteral("--json"),
                                fixture("k8s-api/cilium-kind-cluster/nodeport-v1.26-init.yaml"),
                                fixture("k8s-api/cilium-kind-cluster/nodeport-v1.26-state1.json"),
                                fixture("manifests/cni-daemonsets/kube-flannel.yml")});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(result.out.toUtf8()).object();
        const QJsonObject counts = root.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("Node")).toInt(), 3);
        QCOMPARE(counts.value(QStringLiteral("Pod")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("Service")).toInt(), 3);
        QCOMPARE(root.value(QStringLiteral("sources")).toArray().size(), 3);
        QVERIFY(root.value(QStringLiteral("skipped"))
                    .toObject()
                    .contains(QStringLiteral("CiliumNode.cilium.io")));
        QCOMPARE(
            root.value(QStringLiteral("cni")).toObject().value(QStringLiteral("plugin")).toString(),
            QStringLiteral("Flannel"));
    }

    void summaryOfBadFileIsOneLine()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "{\"kind\": \"List\", \"items\": [{\"kind\": \"Pod\", \"metadata\": {\"name\": 3}}]}");
        file.close();
        const Run result = run({QStringLiteral("summary"), path});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.out.isEmpty());
        QCOMPARE(result.err.count(u'\n'), 1);
        QVERIFY(result.err.contains(path));
        QVERIFY(result.err.contains(QStringLiteral("items[0].metadata.name")));

        const Run missing = run({QStringLiteral("summary"), QStringLiteral("/nonexistent.json")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(QStringLiteral("/nonexistent.json")));

        const Run noFiles = run({QStringLiteral("summary")});
        QCOMPARE(noFiles.exitCode, 2);
    }

    void exportFormats_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow("svg") << QStringLiteral("svg") << QByteArray("<?xml");
        QTest::newRow("png") << QStringLiteral("png") << QByteArray("\x89PNG");
        QTest::newRow("pdf") << QStringLiteral("pdf") << QByteArray("%PDF");
    }

    void exportFormats()
    {
        QFETCH(QString, format);
        QFETCH(QByteArray, magic);
        const QString out = m_dir.filePath(QStringLiteral("topology.") + format);
        const Run result =
            run({QStringLiteral("export"), QStringLiteral("--demo"), QStringLiteral("calico"),
                 QStringLiteral("--format"), format, QStringLiteral("-o"), out});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray data = file.readAll();
        QVERIFY(data.startsWith(magic));
        if (format == u"svg") {
            for (const char *name : {"control-plane", "worker-1", "worker-2", "kube-dns",
                                     "kube-apiserver-control-plane", "tunl0"})
                QVERIFY2(data.contains(name), name);
        }
        if (format == u"png") {
            const QImage image(out);
            QVERIFY(!image.isNull());
            QVERIFY(image.width() > 400 && image.height() > 300);
        }
    }

    void exportErrors()
    {
        const Run badFormat =
            run({QStringLiteral("export"), QStringLiteral("--demo"), QStringLiteral("calico"),
                 QStringLiteral("-o"), m_dir.filePath(QStringLiteral("x.bmp"))});
        QCOMPARE(badFormat.exitCode, 2);
        QVERIFY(badFormat.err.contains(QStringLiteral("bmp")));

        const Run noOutput =
            run({QStringLiteral("export"), QStringLiteral("--demo"), QStringLiteral("calico")});
        QCOMPARE(noOutput.exitCode, 2);

        const QString unwritable = QStringLiteral("/proc/cartograph/none/out.svg");
        const Run cannotWrite = run({QStringLiteral("export"), QStringLiteral("--demo"),
                                     QStringLiteral("flannel"), QStringLiteral("-o"), unwritable});
        QCOMPARE(cannotWrite.exitCode, 1);
        QVERIFY(cannotWrite.err.contains(unwritable));
        QVERIFY(!QFile::exists(unwritable));
    }

    void cliDoesNotLinkWidgets()
    {
        QProcess readelf;
        readelf.start(QStringLiteral("readelf"),
                      {QStringLiteral("-d"), QStringLiteral(CARTOGRAPH_CLI_PATH)});
        if (!readelf.waitForStarted())
            QSKIP("readelf is not installed");
        QVERIFY(readelf.waitForFinished());
        const QString needed = QString::fromUtf8(readelf.readAllStandardOutput());
        QVERIFY(needed.contains(QStringLiteral("libQt6Core")));
        QVERIFY2(!needed.contains(QStringLiteral("libQt6Widgets")), qPrintable(needed));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
