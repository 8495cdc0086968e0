#include "ClusterCollector.h"
#include "Diagnostics.h"
#include "ExecCredential.h"
#include "KubeClient.h"
#include "Kubeconfig.h"
#include "TestApiServer.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cartograph;
using namespace Qt::StringLiterals;
using namespace cartograph::kube;

// Kubeconfig loading, merging and context resolution as kubectl does them, and exec credential
// plugins run for real (small shell scripts the test writes).
class TestKubeconfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    QString write(const QString &relative, const QByteArray &content) const
    {
        const QString file = path(relative);
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file));
        out.write(content);
        return file;
    }

    QString writeScript(const QString &relative, const QByteArray &body) const
    {
        const QString file = write(relative, "#!/bin/sh\n" + body);
        QFile::setPermissions(file, QFile::permissions(file) | QFile::ExeOwner | QFile::ExeUser);
        return file;
    }

    // $DIR in test YAML stands for the temporary directory.
    QByteArray expand(QByteArray yaml) const { return yaml.replace("$DIR", m_dir.path().toUtf8()); }

    static QByteArray readAll(const QString &file)
    {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    }

    KubeResult<ClusterConnection> resolve(const QByteArray &yaml, const QString &context = {})
    {
        const QString file = write(QStringLiteral("config-%1.yaml").arg(++m_counter), expand(yaml));
        KubeconfigLocation location;
        location.explicitPath = file;
        auto config = loadKubeconfig(location);
        if (!config)
            return config.error();
        return resolveContext(*config, context);
    }

    static QString field(const ClusterConnection &c, const QString &name)
    {
        if (name == u"server")
            return c.server.toString();
        if (name == u"ca")
            return QString::fromUtf8(c.caPem);
        if (name == u"insecure")
            return c.insecureSkipTlsVerify ? QStringLiteral("true") : QStringLiteral("false");
        if (name == u"tlsServerName")
            return c.tlsServerName;
        if (name == u"proxy")
            return c.proxyUrl.toString();
        if (name == u"token")
            return c.token;
        if (name == u"tokenFile")
            return c.tokenFile;
        if (name == u"cert")
            return QString::fromUtf8(c.clientCertificatePem);
        if (name == u"key")
            return QString::fromUtf8(c.clientKeyPem);
        if (name == u"namespace")
            return c.namespaceName;
        if (name == u"basic")
            return c.username + u':' + c.password;
        if (name == u"user")
            return c.userName;
        if (name == u"exec.command")
            return c.exec ? c.exec->command : QStringLiteral("<none>");
        if (name == u"exec.args")
            return c.exec ? c.exec->args.join(u'|') : QString();
        if (name == u"exec.env")
            return c.exec && !c.exec->env.isEmpty()
                       ? c.exec->env.constFirst().name + u'=' + c.exec->env.constFirst().value
                       : QString();
        if (name == u"exec.mode")
            return c.exec ? QString::number(int(c.exec->interactiveMode)) : QString();
        if (name == u"exec.provideClusterInfo")
            return c.exec && c.exec->provideClusterInfo ? QStringLiteral("true")
                                                        : QStringLiteral("false");
        if (name == u"execExtension")
            return QString::fromUtf8(c.execExtensionJson);
        return QStringLiteral("<unknown field %1>").arg(name);
    }

    int m_counter = 0;

    static QByteArray cluster(const QByteArray &body)
    {
        return "apiVersion: v1\nkind: Config\ncurrent-context: ctx\n"
               "contexts:\n- name: ctx\n  context: {cluster: c, user: u}\n"
               "clusters:\n- name: c\n  cluster:\n" +
               body + "users:\n- name: u\n  user: {token: t}\n";
    }
    static QByteArray user(const QByteArray &body)
    {
        return "apiVersion: v1\nkind: Config\ncurrent-context: ctx\n"
               "contexts:\n- name: ctx\n  context: {cluster: c, user: u, namespace: shop}\n"
               "clusters:\n- name: c\n  cluster: {server: 'https://10.0.0.1:6443'}\n"
               "users:\n- name: u\n  user:\n" +
               body;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        write(QStringLiteral("certs/ca.crt"), "CA-FROM-FILE\n");
        write(QStringLiteral("certs/client.crt"), "CERT-FROM-FILE\n");
        write(QStringLiteral("certs/client.key"), "KEY-FROM-FILE\n");
        write(QStringLiteral("certs/token"), "token-from-file\n");
    }

    // Every form of cluster and user entry kubectl reads.
    void forms_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");

        QTest::newRow("server") << cluster("    server: https://api.example.com:6443\n")
                                << u"server"_s << u"https://api.example.com:6443"_s;
        QTest::newRow("ca file relative to the kubeconfig")
            << cluster("    server: https://a:6443\n    certificate-authority: certs/ca.crt\n")
            << u"ca"_s << u"CA-FROM-FILE\n"_s;
        QTest::newRow("ca file absolute")
            << cluster("    server: https://a:6443\n    certificate-authority: $DIR/certs/ca.crt\n")
            << u"ca"_s << u"CA-FROM-FILE\n"_s;
        QTest::newRow("ca data wins over file")
            << cluster("    server: https://a:6443\n    certificate-authority: certs/ca.crt\n"
                       "    certificate-authority-data: " +
                       QByteArray("CA-FROM-DATA\n").toBase64() + "\n")
            << u"ca"_s << u"CA-FROM-DATA\n"_s;
        QTest::newRow("insecure-skip-tls-verify")
            << cluster("    server: https://a:6443\n    insecure-skip-tls-verify: true\n")
            << u"insecure"_s << u"true"_s;
        QTest::newRow("tls-server-name")
            << cluster("    server: https://10.0.0.1:6443\n    tls-server-name: api.internal\n")
            << u"tlsServerName"_s << u"api.internal"_s;
        QTest::newRow("proxy-url")
            << cluster("    server: https://a:6443\n    proxy-url: http://proxy.corp:3128\n")
            << u"proxy"_s << u"http://proxy.corp:3128"_s;
        QTest::newRow("proxy-url socks5")
            << cluster("    server: https://a:6443\n    proxy-url: socks5://127.0.0.1:1080\n")
            << u"proxy"_s << u"socks5://127.0.0.1:1080"_s;
        QTest::newRow("exec extension for provideClusterInfo")
            << cluster("    server: https://a:6443\n    extensions:\n"
                       "    - name: client.authentication.k8s.io/exec\n"
                       "      extension: {audience: sts, region: 7}\n")
            << u"execExtension"_s << u"{\"audience\":\"sts\",\"region\":7}"_s;
        QTest::newRow("token") << user("    token: abc.def\n") << u"token"_s << u"abc.def"_s;
        QTest::newRow("tokenFile relative")
            << user("    tokenFile: certs/token\n") << u"tokenFile"_s << path(u"certs/token"_s);
        QTest::newRow("client cert file")
            << user("    client-certificate: certs/client.crt\n    client-key: certs/client.key\n")
            << u"cert"_s << u"CERT-FROM-FILE\n"_s;
        QTest::newRow("client key file")
            << user("    client-certificate: certs/client.crt\n    client-key: certs/client.key\n")
            << u"key"_s << u"KEY-FROM-FILE\n"_s;
        QTest::newRow("client cert data")
            << user("    client-certificate-data: " + QByteArray("CERT-DATA").toBase64() +
                    "\n    client-key-data: " + QByteArray("KEY-DATA").toBase64() + "\n")
            << u"cert"_s << u"CERT-DATA"_s;
        QTest::newRow("basic auth") << user("    username: admin\n    password: s3cret\n")
                                    << u"basic"_s << u"admin:s3cret"_s;
        QTest::newRow("namespace per context")
            << user("    token: x\n") << u"namespace"_s << u"shop"_s;
        QTest::newRow("namespace defaults to default")
            << cluster("    server: https://a:6443\n") << u"namespace"_s << u"default"_s;
        QTest::newRow("exec command on PATH stays a name")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n"
                    "      interactiveMode: Never\n")
            << u"exec.command"_s << u"aws"_s;
        QTest::newRow("exec relative path resolved against the kubeconfig")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                    "      command: ./bin/plugin\n")
            << u"exec.command"_s
            << QDir(m_dir.path()).absoluteFilePath(QStringLiteral("bin/plugin"));
        QTest::newRow("exec args")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n"
                    "      interactiveMode: Never\n")
            << u"exec.args"_s << u"eks|get-token|--cluster-name|prod"_s;
        QTest::newRow("exec env")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: aws\n      env:\n      - {name: AWS_PROFILE, value: prod}\n"
                    "      interactiveMode: IfAvailable\n")
            << u"exec.env"_s << u"AWS_PROFILE=prod"_s;
        QTest::newRow("exec v1beta1 interactiveMode defaults to IfAvailable")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                    "      command: gke-gcloud-auth-plugin\n")
            << u"exec.mode"_s << QString::number(int(ExecInteractiveMode::IfAvailable));
        QTest::newRow("exec interactiveMode Always")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: x\n      interactiveMode: Always\n")
            << u"exec.mode"_s << QString::number(int(ExecInteractiveMode::Always));
        QTest::newRow("exec provideClusterInfo")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: x\n      interactiveMode: Never\n      provideClusterInfo: "
                    "true\n")
            << u"exec.provideClusterInfo"_s << u"true"_s;
        QTest::newRow("JSON kubeconfig")
            << QByteArray(
                   "{\"apiVersion\":\"v1\",\"kind\":\"Config\",\"current-context\":\"ctx\","
                   "\"contexts\":[{\"name\":\"ctx\",\"context\":{\"cluster\":\"c\",\"user\":\"u\"}}"
                   "],"
                   "\"clusters\":[{\"name\":\"c\",\"cluster\":{\"server\":\"https://json:6443\"}}],"
                   "\"users\":[{\"name\":\"u\",\"user\":{\"token\":\"j\"}}]}")
            << u"server"_s << u"https://json:6443"_s;
        QTest::newRow("context without user is anonymous")
            << QByteArray("current-context: ctx\ncontexts:\n- name: ctx\n  context: {cluster: c}\n"
                          "clusters:\n- name: c\n  cluster: {server: 'https://a:1'}\n")
            << u"user"_s << u""_s;
    }

    void forms()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, field);
        QFETCH(QString, expected);
        auto connection = resolve(yaml);
        QVERIFY2(connection, qPrintable(connection ? QString() : describe(connection.error())));
        QCOMPARE(TestKubeconfig::field(*connection, field), expected);
    }

    // Bad kubeconfigs: the error names the file, the line and what was expected.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("context");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");

        QTest::newRow("YAML syntax error")
            << QByteArray("apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: [\n") << u""_s
            << int(KubeErrorCode::KubeconfigInvalid) << 5 << u"syntax error"_s;
        QTest::newRow("bad indentation")
            << QByteArray("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n cluster:\n"
                          "    server: x\n  bad: [\n")
            << u""_s << int(KubeErrorCode::KubeconfigInvalid) << 0 << u"syntax error"_s;
        QTest::newRow("clusters not a list")
            << QByteArray("apiVersion: v1\nkind: Config\nclusters: nope\n") << u""_s
            << int(KubeErrorCode::KubeconfigInvalid) << 3
            << u"at clusters: wrong type; expected a list"_s;
        QTest::newRow("wrong kind")
            << QByteArray("apiVersion: v1\nkind: Pod\n") << u""_s
            << int(KubeErrorCode::KubeconfigInvalid) << 2 << u"expected Config"_s;
        QTest::newRow("insecure not a bool")
            << cluster("    server: https://a:1\n    insecure-skip-tls-verify: maybe\n") << u""_s
            << int(KubeErrorCode::KubeconfigInvalid) << 11
            << u"clusters[0].cluster.insecure-skip-tls-verify: wrong type; expected true or false"_s;
        QTest::newRow("bad base64")
            << cluster("    server: https://a:1\n    certificate-authority-data: '***'\n") << u""_s
            << int(KubeErrorCode::KubeconfigInvalid) << 11 << u"expected base64-encoded data"_s;
        QTest::newRow("duplicate cluster name")
            << QByteArray("clusters:\n- name: c\n  cluster: {server: 'https://a:1'}\n"
                          "- name: c\n  cluster: {server: 'https://b:1'}\n")
            << u""_s << int(KubeErrorCode::KubeconfigInvalid) << 4 << u"duplicate name \"c\""_s;
        QTest::newRow("exec v1 without interactiveMode")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: aws\n")
            << u""_s << int(KubeErrorCode::KubeconfigInvalid) << 14
            << u"interactiveMode (Never, IfAvailable or Always)"_s;
        QTest::newRow("exec unknown apiVersion")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n"
                    "      command: aws\n")
            << u""_s << int(KubeErrorCode::KubeconfigInvalid) << 14
            << u"expected client.authentication.k8s.io/v1 or"_s;
        QTest::newRow("exec bad interactiveMode")
            << user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: aws\n      interactiveMode: Sometimes\n")
            << u""_s << int(KubeErrorCode::KubeconfigInvalid) << 16 << u"found \"Sometimes\""_s;
        QTest::newRow("no such context")
            << cluster("    server: https://a:1\n") << u"other"_s
            << int(KubeErrorCode::ContextNotFound) << 0 << u"context \"other\" not found"_s;
        QTest::newRow("no current-context")
            << QByteArray("contexts:\n- name: a\n  context: {cluster: c}\n") << u""_s
            << int(KubeErrorCode::NoCurrentContext) << 0 << u"no current-context"_s;
        QTest::newRow("context names a missing cluster")
            << QByteArray("current-context: a\ncontexts:\n- name: a\n  context: {cluster: gone}\n")
            << u""_s << int(KubeErrorCode::ClusterNotFound) << 0 << u"cluster \"gone\""_s;
        QTest::newRow("context names a missing user")
            << QByteArray("current-context: a\ncontexts:\n- name: a\n  context: {cluster: c, user: "
                          "ghost}\nclusters:\n- name: c\n  cluster: {server: 'https://a:1'}\n")
            << u""_s << int(KubeErrorCode::UserNotFound) << 0 << u"user \"ghost\""_s;
        QTest::newRow("cluster without server")
            << cluster("    insecure-skip-tls-verify: true\n") << u""_s
            << int(KubeErrorCode::KubeconfigInvalid) << 10
            << u"clusters[name=c].cluster.server: required field missing"_s;
        QTest::newRow("CA file missing")
            << cluster("    server: https://a:1\n    certificate-authority: nowhere/ca.crt\n")
            << u""_s << int(KubeErrorCode::CredentialFileUnreadable) << 0
            << u"clusters[name=c].cluster.certificate-authority"_s;
        QTest::newRow("client cert without key")
            << user("    client-certificate: certs/client.crt\n") << u""_s
            << int(KubeErrorCode::KubeconfigInvalid) << 13
            << u"client-certificate and client-key given together"_s;
        QTest::newRow("auth-provider gcp")
            << user("    auth-provider:\n      name: gcp\n      config: {cmd-path: gcloud}\n")
            << u""_s << int(KubeErrorCode::AuthProviderLegacy) << 13 << u"auth-provider \"gcp\""_s;
    }

    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, context);
        QFETCH(int, code);
        QFETCH(int, line);
        QFETCH(QString, message);
        auto connection = resolve(yaml, context);
        QVERIFY(!connection);
        const QString text = describe(connection.error());
        QCOMPARE(int(connection.error().code), code);
        QVERIFY2(text.contains(message), qPrintable(text));
        if (code == int(KubeErrorCode::KubeconfigInvalid)) {
            QVERIFY2(connection.error().fileError.file.startsWith(m_dir.path()), qPrintable(text));
            QVERIFY2(text.startsWith(connection.error().fileError.file), qPrintable(text));
        }
        if (line > 0) {
            QCOMPARE(connection.error().fileError.line, line);
            QVERIFY2(text.contains(u':' + QString::number(line)), qPrintable(text));
        }
        // Every error becomes at least one finding with a suggestion.
        const QList<Finding> findings = diagnoseError(connection.error());
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.constFirst().severity, Severity::Error);
        QVERIFY(!findings.constFirst().suggestion.isEmpty());
    }

    // The legacy auth-provider entries kubectl dropped: the message says what replaces them.
    void authProviderSuggestions_data()
    {
        QTest::addColumn<QByteArray>("provider");
        QTest::addColumn<QString>("replacement");
        QTest::newRow("gcp") << QByteArray("gcp") << u"gke-gcloud-auth-plugin"_s;
        QTest::newRow("azure") << QByteArray("azure") << u"kubelogin convert-kubeconfig"_s;
        QTest::newRow("oidc") << QByteArray("oidc") << u"kubelogin"_s;
    }

    void authProviderSuggestions()
    {
        QFETCH(QByteArray, provider);
        QFETCH(QString, replacement);
        auto connection = resolve(user("    auth-provider:\n      name: " + provider + "\n"));
        QVERIFY(!connection);
        QCOMPARE(connection.error().code, KubeErrorCode::AuthProviderLegacy);
        const QList<Finding> findings = diagnoseError(connection.error());
        QCOMPARE(findings.size(), 1);
        QVERIFY2(findings.constFirst().suggestion.contains(replacement),
                 qPrintable(findings.constFirst().suggestion));
        QVERIFY(findings.constFirst().detail.contains(
            QStringLiteral("users[name=u].user.auth-provider")));
    }

    // insecure-skip-tls-verify is honoured and shown as a warning.
    void insecureSkipTlsVerifyWarns()
    {
        auto connection =
            resolve(cluster("    server: https://a:6443\n    insecure-skip-tls-verify: true\n"));
        QVERIFY(connection);
        const QList<Finding> findings = diagnoseConnection(*connection);
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.constFirst().severity, Severity::Warning);
        QCOMPARE(findings.constFirst().id, u"tls-verification-off"_s);
        auto verified = resolve(cluster("    server: https://a:6443\n"));
        QVERIFY(verified);
        QVERIFY(diagnoseConnection(*verified).isEmpty());
    }

    // KUBECONFIG=a:b:c merged as kubectl merges: the first file that sets a value wins.
    void merge()
    {
        const QString a = write(QStringLiteral("merge/a.yaml"),
                                "current-context: from-a\n"
                                "contexts:\n- name: shared\n  context: {cluster: ca, user: ua}\n"
                                "clusters:\n- name: ca\n  cluster: {server: 'https://a:1', "
                                "certificate-authority: ca-a.crt}\n"
                                "users:\n- name: ua\n  user: {token: token-a}\n");
        write(QStringLiteral("merge/ca-a.crt"), "CA-A");
        const QString b =
            write(QStringLiteral("merge/sub/b.yaml"),
                  "current-context: from-b\n"
                  "contexts:\n- name: shared\n  context: {cluster: cb, user: ub}\n"
                  "- name: from-a\n  context: {cluster: cb, user: ub, namespace: bns}\n"
                  "- name: only-b\n  context: {cluster: cb, user: ua}\n"
                  "clusters:\n- name: cb\n  cluster: {server: 'https://b:2', "
                  "certificate-authority: ca-b.crt}\n"
                  "- name: ca\n  cluster: {server: 'https://overridden:9'}\n"
                  "users:\n- name: ub\n  user: {token: token-b}\n"
                  "- name: ua\n  user: {token: overridden}\n");
        write(QStringLiteral("merge/sub/ca-b.crt"), "CA-B");
        const QString missing = path(QStringLiteral("merge/missing.yaml"));

        KubeconfigLocation location;
        location.kubeconfigEnv = a + u':' + missing + u':' + b + u':' + a;
        QCOMPARE(location.candidateFiles(), (QStringList{a, missing, b}));
        auto config = loadKubeconfig(location);
        QVERIFY2(config, qPrintable(config ? QString() : describe(config.error())));
        QCOMPARE(config->files, (QStringList{a, b}));
        QCOMPARE(config->missingFiles, QStringList{missing});
        QCOMPARE(config->currentContext, QStringLiteral("from-a"));
        QStringList names;
        for (const auto &context : config->contexts)
            names.append(context.name);
        QCOMPARE(names, (QStringList{QStringLiteral("from-a"), QStringLiteral("only-b"),
                                     QStringLiteral("shared")}));

        // shared: a's definition wins, and a's cluster "ca" (not b's redefinition).
        auto shared = resolveContext(*config, QStringLiteral("shared"));
        QVERIFY(shared);
        QCOMPARE(shared->server.toString(), QStringLiteral("https://a:1"));
        QCOMPARE(shared->token, QStringLiteral("token-a"));
        QCOMPARE(shared->caPem, QByteArray("CA-A"));
        // from-a only exists in b; the current context is a's value, the entry b's.
        auto current = resolveContext(*config);
        QVERIFY(current);
        QCOMPARE(current->contextName, QStringLiteral("from-a"));
        QCOMPARE(current->namespaceName, QStringLiteral("bns"));
        // Relative paths of b resolve against b's directory, even when merged.
        QCOMPARE(current->caPem, QByteArray("CA-B"));
        // only-b uses user ua: a's definition wins over b's.
        auto onlyB = resolveContext(*config, QStringLiteral("only-b"));
        QVERIFY(onlyB);
        QCOMPARE(onlyB->token, QStringLiteral("token-a"));
    }

    void missingKubeconfig_data()
    {
        QTest::addColumn<QString>("explicitPath");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QStringList>("looked");
        const QString home = path(QStringLiteral("home-without-kube"));
        QTest::newRow("--kubeconfig") << path(QStringLiteral("none.yaml")) << u""_s
                                      << QStringList{path(QStringLiteral("none.yaml"))};
        QTest::newRow("KUBECONFIG, every file missing")
            << u""_s << path(QStringLiteral("x1")) + u':' + path(QStringLiteral("x2"))
            << QStringList{path(QStringLiteral("x1")), path(QStringLiteral("x2"))};
        QTest::newRow("~/.kube/config")
            << u""_s << u""_s << QStringList{home + QStringLiteral("/.kube/config")};
    }

    void missingKubeconfig()
    {
        QFETCH(QString, explicitPath);
        QFETCH(QString, env);
        QFETCH(QStringList, looked);
        KubeconfigLocation location;
        location.explicitPath = explicitPath;
        location.kubeconfigEnv = env;
        location.homeDir = path(QStringLiteral("home-without-kube"));
        auto config = loadKubeconfig(location);
        QVERIFY(!config);
        QCOMPARE(config.error().code, KubeErrorCode::KubeconfigMissing);
        QCOMPARE(config.error().searchedPaths, looked);
        const QList<Finding> findings = diagnoseError(config.error());
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.constFirst().id, QStringLiteral("kubeconfig-missing"));
        // Says how the places were chosen: the option, the variable, or kubectl's default.
        const QString detail = findings.constFirst().detail;
        QCOMPARE(detail.contains(u"--kubeconfig "), !explicitPath.isEmpty());
        QCOMPARE(detail.contains(u"KUBECONFIG="), !env.isEmpty());
        for (const QString &place : looked)
            QVERIFY2(findings.constFirst().detail.contains(place),
                     qPrintable(findings.constFirst().detail));
    }

    void defaultHomeConfig()
    {
        const QString home = path(QStringLiteral("home"));
        write(QStringLiteral("home/.kube/config"), cluster("    server: https://home:6443\n"));
        KubeconfigLocation location;
        location.kubeconfigEnv = QString();
        location.homeDir = home;
        auto config = loadKubeconfig(location);
        QVERIFY(config);
        auto connection = resolveContext(*config);
        QVERIFY(connection);
        QCOMPARE(connection->server.toString(), QStringLiteral("https://home:6443"));
    }

    // ---- exec credential plugins, run for real ----

    void execPluginV1TokenCachedUntilExpiry()
    {
        const QByteArray expiry =
            QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate).toUtf8();
        writeScript(
            QStringLiteral("exec1/plugin"),
            "d=\"$PLUGIN_DIR\"\n"
            "n=$(cat \"$d/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$d/count\"\n"
            "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$d/info.json\"\n"
            "echo \"$@\" > \"$d/args\"\n"
            "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
            "\"ExecCredential\",\"status\":{\"token\":\"tok-'$n'\","
            "\"expirationTimestamp\":\"" +
                expiry + "\"}}'\n");
        auto connection = resolve(
            "current-context: ctx\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\n"
            "clusters:\n- name: c\n  cluster:\n    server: https://203.0.113.5:6443\n"
            "    certificate-authority-data: " +
            QByteArray("THE-CA").toBase64() +
            "\n    tls-server-name: api.internal\n"
            "    extensions:\n    - name: client.authentication.k8s.io/exec\n"
            "      extension: {audience: prod}\n"
            "users:\n- name: u\n  user:\n    exec:\n"
            "      apiVersion: client.authentication.k8s.io/v1\n"
            "      command: $DIR/exec1/plugin\n      args: [get-token, --cluster, prod]\n"
            "      env:\n      - {name: PLUGIN_DIR, value: $DIR/exec1}\n"
            "      interactiveMode: Never\n      provideClusterInfo: true\n");
        QVERIFY(connection);
        QStringList asked;
        auto approval = std::make_shared<ExecApprovalFunction>(
            [&](const ExecPluginConfig &plugin, const QString &context) {
                asked.append(context + u' ' + plugin.commandLine());
                return true;
            });
        ExecCredentialProvider provider(*connection, approval);
        auto first = provider.credential();
        QVERIFY2(first, qPrintable(first ? QString() : describe(first.error())));
        QCOMPARE(first->token, QStringLiteral("tok-1"));
        QVERIFY(first->expiry.isValid());
        auto second = provider.credential();
        QVERIFY(second);
        QCOMPARE(second->token, QStringLiteral("tok-1")); // cached: not expired
        QCOMPARE(provider.runCount(), 1);
        QCOMPARE(asked, QStringList{QStringLiteral("ctx ") + path(QStringLiteral("exec1/plugin")) +
                                    QStringLiteral(" get-token --cluster prod")});
        auto refreshed = provider.credential(true); // what a 401 does
        QVERIFY(refreshed);
        QCOMPARE(refreshed->token, QStringLiteral("tok-2"));
        QCOMPARE(asked.size(), 1); // approved once
        QCOMPARE(readAll(path(QStringLiteral("exec1/args"))),
                 QByteArray("get-token --cluster prod\n"));

        // provideClusterInfo: KUBERNETES_EXEC_INFO carries spec.cluster.
        const QJsonObject info =
            QJsonDocument::fromJson(readAll(path(QStringLiteral("exec1/info.json")))).object();
        QCOMPARE(info[u"apiVersion"].toString(), QStringLiteral("client.authentication.k8s.io/v1"));
        QCOMPARE(info[u"kind"].toString(), QStringLiteral("ExecCredential"));
        const QJsonObject spec = info[u"spec"].toObject();
        QCOMPARE(spec[u"interactive"].toBool(true), false);
        const QJsonObject clusterInfo = spec[u"cluster"].toObject();
        QCOMPARE(clusterInfo[u"server"].toString(), QStringLiteral("https://203.0.113.5:6443"));
        QCOMPARE(clusterInfo[u"tls-server-name"].toString(), QStringLiteral("api.internal"));
        QCOMPARE(QByteArray::fromBase64(
                     clusterInfo[u"certificate-authority-data"].toString().toLatin1()),
                 QByteArray("THE-CA"));
        QCOMPARE(clusterInfo[u"config"].toObject()[u"audience"].toString(), QStringLiteral("prod"));
    }

    void execPluginExpiredCredentialRunsAgain()
    {
        writeScript(
            QStringLiteral("exec2/plugin"),
            "d=\"$PLUGIN_DIR\"\n"
            "n=$(cat \"$d/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$d/count\"\n"
            "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":"
            "\"ExecCredential\",\"status\":{\"token\":\"t'$n'\","
            "\"expirationTimestamp\":\"2020-01-01T00:00:00Z\"}}'\n");
        auto connection =
            resolve(user("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                         "      command: $DIR/exec2/plugin\n"
                         "      env:\n      - {name: PLUGIN_DIR, value: $DIR/exec2}\n"));
        QVERIFY(connection);
        auto info = QJsonDocument::fromJson(execInfoJson(*connection->exec, *connection)).object();
        QVERIFY(!info[u"spec"].toObject().contains(u"cluster")); // not asked for
        ExecCredentialProvider provider(*connection, std::make_shared<ExecApprovalFunction>(
                                                         [](auto &, auto &) { return true; }));
        QCOMPARE(provider.credential()->token, QStringLiteral("t1"));
        QCOMPARE(provider.credential()->token, QStringLiteral("t2"));
        QCOMPARE(provider.runCount(), 2);
    }

    void execPluginClientCertificate()
    {
        writeScript(
            QStringLiteral("exec3/plugin"),
            "cat <<'EOF'\n{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
            "\"kind\":\"ExecCredential\",\"status\":{\"clientCertificateData\":\"-----BEGIN "
            "CERTIFICATE-----\\nAAA\\n-----END CERTIFICATE-----\\n\",\"clientKeyData\":"
            "\"-----BEGIN PRIVATE KEY-----\\nBBB\\n-----END PRIVATE KEY-----\\n\"}}\nEOF\n");
        auto connection =
            resolve(user("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                         "      command: $DIR/exec3/plugin\n"));
        QVERIFY(connection);
        ExecCredentialProvider provider(*connection, std::make_shared<ExecApprovalFunction>(
                                                         [](auto &, auto &) { return true; }));
        auto credential = provider.credential();
        QVERIFY2(credential, qPrintable(credential ? QString() : describe(credential.error())));
        QVERIFY(credential->token.isEmpty());
        QVERIFY(credential->clientCertificatePem.startsWith("-----BEGIN CERTIFICATE-----\nAAA"));
        QVERIFY(credential->clientKeyPem.contains("BBB"));
        QVERIFY(!credential->expiry.isValid()); // no expiry: kept for the process's life
        QVERIFY(provider.credential());
        QCOMPARE(provider.runCount(), 1);
    }

    void execPluginFailures_data()
    {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<QByteArray>("execExtra");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("exit 1 with stderr")
            << QByteArray("echo 'error: SSO session expired; run aws sso login' >&2\nexit 1\n")
            << QByteArray() << int(KubeErrorCode::ExecFailed)
            << u"exit status 1: error: SSO session expired; run aws sso login"_s;
        QTest::newRow("not JSON") << QByteArray("echo hello\n") << QByteArray()
                                  << int(KubeErrorCode::ExecBadOutput) << u"not JSON"_s;
        QTest::newRow("wrong apiVersion")
            << QByteArray("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
                          "\"ExecCredential\",\"status\":{\"token\":\"x\"}}'\n")
            << QByteArray() << int(KubeErrorCode::ExecBadOutput)
            << u"the kubeconfig asked for client.authentication.k8s.io/v1beta1"_s;
        QTest::newRow("no credential in status")
            << QByteArray("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
                          "\"kind\":\"ExecCredential\",\"status\":{}}'\n")
            << QByteArray() << int(KubeErrorCode::ExecBadOutput) << u"neither token"_s;
        QTest::newRow("bad expirationTimestamp")
            << QByteArray("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
                          "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\","
                          "\"expirationTimestamp\":\"tomorrow\"}}'\n")
            << QByteArray() << int(KubeErrorCode::ExecBadOutput) << u"\"tomorrow\""_s;
        QTest::newRow("interactiveMode Always")
            << QByteArray("exit 0\n") << QByteArray("      interactiveMode: Always\n")
            << int(KubeErrorCode::ExecInteractive) << u"no terminal"_s;
    }

    void execPluginFailures()
    {
        QFETCH(QByteArray, script);
        QFETCH(QByteArray, execExtra);
        QFETCH(int, code);
        QFETCH(QString, message);
        const QString name = QStringLiteral("fail-%1/plugin").arg(++m_counter);
        writeScript(name, script);
        auto connection =
            resolve(user("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                         "      command: $DIR/" +
                         name.toUtf8() + "\n" + execExtra));
        QVERIFY(connection);
        ExecCredentialProvider provider(*connection, std::make_shared<ExecApprovalFunction>(
                                                         [](auto &, auto &) { return true; }));
        auto credential = provider.credential();
        QVERIFY(!credential);
        QCOMPARE(int(credential.error().code), code);
        const QString text = describe(credential.error());
        QVERIFY2(text.contains(message), qPrintable(text));
        QVERIFY2(text.contains(path(name)), qPrintable(text)); // names the command
        const QList<Finding> findings = diagnoseError(credential.error());
        QCOMPARE(findings.constFirst().id, QStringLiteral("exec-plugin-failed"));
    }

    void execPluginNotFoundShowsInstallHint()
    {
        auto connection =
            resolve(user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                         "      command: cartograph-no-such-plugin\n      interactiveMode: Never\n"
                         "      installHint: 'Install it with: apt-get install no-such-plugin'\n"));
        QVERIFY(connection);
        ExecCredentialProvider provider(*connection, std::make_shared<ExecApprovalFunction>(
                                                         [](auto &, auto &) { return true; }));
        auto credential = provider.credential();
        QVERIFY(!credential);
        QCOMPARE(credential.error().code, KubeErrorCode::ExecFailed);
        const QString text = describe(credential.error());
        QVERIFY2(text.contains(QStringLiteral("\"cartograph-no-such-plugin\" not found on PATH")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("apt-get install no-such-plugin")), qPrintable(text));
    }

    // A plugin is never run without approval.
    void execPluginNotApprovedNeverRuns()
    {
        writeScript(QStringLiteral("exec4/plugin"), "touch \"$PLUGIN_DIR/ran\"\nexit 1\n");
        auto connection =
            resolve(user("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                         "      command: $DIR/exec4/plugin\n      interactiveMode: Never\n"
                         "      env:\n      - {name: PLUGIN_DIR, value: $DIR/exec4}\n"));
        QVERIFY(connection);
        for (std::shared_ptr<ExecApproval> approval :
             {std::shared_ptr<ExecApproval>(),
              std::shared_ptr<ExecApproval>(
                  std::make_shared<ExecApprovalFunction>([](auto &, auto &) { return false; }))}) {
            ExecCredentialProvider provider(*connection, approval);
            auto credential = provider.credential();
            QVERIFY(!credential);
            QCOMPARE(credential.error().code, KubeErrorCode::ExecNotApproved);
            QCOMPARE(provider.runCount(), 0);
            QVERIFY(!QFile::exists(path(QStringLiteral("exec4/ran"))));
            QCOMPARE(diagnoseError(credential.error()).constFirst().id,
                     QStringLiteral("exec-not-approved"));
        }
    }

    // The API server rejects the cached credential: the plugin runs once more and the request
    // is retried with the new token, as client-go does.
    void execPluginRerunOn401()
    {
        testing::TestApiServer server;
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("openssl is not on PATH: the test API server makes its certificates with it");
        const Status started = server.start();
        QVERIFY2(started, qPrintable(started ? QString() : describe(started.error())));
        writeScript(
            QStringLiteral("exec5/plugin"),
            "d=\"$PLUGIN_DIR\"\n"
            "n=$(cat \"$d/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$d/count\"\n"
            "if [ $n = 1 ]; then t=stale-token; else t='" +
                server.token().toUtf8() +
                "'; fi\n"
                "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
                "\"ExecCredential\",\"status\":{\"token\":\"'$t'\"}}'\n");
        auto connection = resolve(
            "current-context: ctx\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\n"
            "clusters:\n- name: c\n  cluster:\n    server: " +
            server.url().toString().toUtf8() +
            "\n    certificate-authority: " + server.caFile().toUtf8() +
            "\nusers:\n- name: u\n  user:\n    exec:\n"
            "      apiVersion: client.authentication.k8s.io/v1\n"
            "      command: $DIR/exec5/plugin\n      interactiveMode: Never\n"
            "      env:\n      - {name: PLUGIN_DIR, value: $DIR/exec5}\n");
        QVERIFY(connection);
        server.clearRequestLog();
        // Everything the kube category says, at debug level, must be free of credentials.
        QLoggingCategory::setFilterRules(u"cartograph.collectors.kube.debug=true"_s);
        static QStringList logged;
        logged.clear();
        const QtMessageHandler previous =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                      const QString &message) { logged.append(message); });
        KubeClient client(*connection, std::make_shared<ExecApprovalFunction>(
                                           [](auto &, auto &) { return true; }));
        auto body = client.getBlocking(QStringLiteral("/api/v1/namespaces"));
        QVERIFY2(body, qPrintable(body ? QString() : describe(body.error())));
        QVERIFY(body->contains("NamespaceList"));
        QCOMPARE(client.execRunCount(), 2);
        const QStringList headers = server.authorizationHeadersSeen();
        QCOMPARE(headers.size(), 2);
        QCOMPARE(headers.at(0), QStringLiteral("Bearer stale-token"));
        QCOMPARE(headers.at(1), QStringLiteral("Bearer ") + server.token());
        // The good credential is cached now: no third run.
        QVERIFY(client.getBlocking(QStringLiteral("/api/v1/namespaces")));
        QCOMPARE(client.execRunCount(), 2);

        // A plugin whose credential is always rejected: one re-run, then 401.
        server.setRejectCredentials(true);
        auto rejected = client.getBlocking(QStringLiteral("/api/v1/namespaces"));
        QVERIFY(!rejected);
        QCOMPARE(rejected.error().code, KubeErrorCode::Unauthorized);
        QCOMPARE(client.execRunCount(), 3);
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        QVERIFY(logged.size() >= 4); // requests and the re-run were logged
        for (const QString &message : std::as_const(logged)) {
            QVERIFY2(!message.contains(server.token()), qPrintable(message));
            QVERIFY2(!message.contains(u"stale-token"), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestKubeconfig)
#include "tst_kubeconfig.moc"
