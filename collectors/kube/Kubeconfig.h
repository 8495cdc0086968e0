#pragma once

#include "KubeError.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace cartograph::kube {

// A kubeconfig read exactly as kubectl reads it: the explicit --kubeconfig file, else the
// files of KUBECONFIG (':'-separated) merged, else ~/.kube/config. Paths inside a file are
// resolved against that file's directory at load time, so merged entries keep their meaning.

struct KubeconfigCluster
{
    QString name;
    QString sourceFile; // the file this entry came from
    qint64 line = 0;
    QString server;
    QString certificateAuthority; // absolute path
    QByteArray certificateAuthorityData;
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QString proxyUrl;
    // extensions[name=client.authentication.k8s.io/exec].extension, as JSON, for
    // provideClusterInfo
    QByteArray execExtensionJson;
};

struct ExecEnvVar
{
    QString name;
    QString value;
};

enum class ExecInteractiveMode
{
    Never,
    IfAvailable,
    Always
};

struct ExecPluginConfig
{
    QString apiVersion; // client.authentication.k8s.io/v1 or /v1beta1
    QString command;    // as written; a relative path with a '/' is resolved against the file
    QStringList args;
    QList<ExecEnvVar> env;
    ExecInteractiveMode interactiveMode = ExecInteractiveMode::IfAvailable;
    bool provideClusterInfo = false;
    QString installHint;
    QString sourceFile; // the kubeconfig that asks for it

    // "aws eks get-token --cluster-name x": what the approval prompt shows
    QString commandLine() const;
};

struct KubeconfigUser
{
    QString name;
    QString sourceFile;
    qint64 line = 0;
    QString clientCertificate; // absolute path
    QByteArray clientCertificateData;
    QString clientKey;
    QByteArray clientKeyData;
    QString token;
    QString tokenFile; // absolute path
    QString username;  // basic auth
    QString password;
    std::optional<ExecPluginConfig> exec;
    QString authProviderName; // legacy auth-provider.name (gcp, azure, oidc); not supported
};

struct KubeconfigContext
{
    QString name;
    QString sourceFile;
    QString cluster;
    QString user;
    QString namespaceName; // empty: "default"
};

struct Kubeconfig
{
    QStringList files;        // the files read, in precedence order
    QStringList missingFiles; // KUBECONFIG entries that do not exist (kubectl skips them)
    QString currentContext;
    QList<KubeconfigContext> contexts; // sorted by name, as kubectl prints them
    QList<KubeconfigCluster> clusters;
    QList<KubeconfigUser> users;

    const KubeconfigContext *context(const QString &name) const;
    const KubeconfigCluster *cluster(const QString &name) const;
    const KubeconfigUser *user(const QString &name) const;
};

// Where to look. Empty explicitPath: KUBECONFIG, then ~/.kube/config.
struct KubeconfigLocation
{
    QString explicitPath;
    // The environment as kubectl sees it; defaults to this process's.
    std::optional<QString> kubeconfigEnv;
    std::optional<QString> homeDir;

    // The files in precedence order and whether they came from --kubeconfig.
    QStringList candidateFiles() const;
    bool isExplicit() const { return !explicitPath.isEmpty(); }
};

// Reads and merges. KubeconfigMissing lists every place looked; a file that exists but does
// not parse gives KubeconfigInvalid with file, line and what was expected.
KubeResult<Kubeconfig> loadKubeconfig(const KubeconfigLocation &location = {});
// One file on its own (no merge); used by loadKubeconfig and by tests.
KubeResult<Kubeconfig> parseKubeconfigFile(const QString &path);
KubeResult<Kubeconfig> parseKubeconfigData(const QByteArray &yaml, const QString &sourceFile);
// kubectl's merge: first file that sets a key wins; named entries merged by name, first wins.
Kubeconfig mergeKubeconfigs(const QList<Kubeconfig> &inPrecedenceOrder);

// Everything needed to talk to one context's API server.
struct ClusterConnection
{
    QString contextName;
    QString clusterName;
    QString userName;
    QString namespaceName = QStringLiteral("default");
    QUrl server;
    QByteArray caPem; // empty: the system's roots
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QUrl proxyUrl;
    QByteArray clientCertificatePem;
    QByteArray clientKeyPem;
    QString clientCertificateFile; // for messages; the PEM above is what is used
    QString token;
    QString tokenFile;
    QString username;
    QString password;
    std::optional<ExecPluginConfig> exec;
    QByteArray execExtensionJson; // cluster's exec extension, for provideClusterInfo
    QString kubeconfigFile;       // where the context was defined
};

// Resolves a context (empty name: current-context) into a connection: reads CA, certificate,
// key files (their errors name the file and the kubeconfig field). auth-provider gives
// AuthProviderLegacy with what to use instead.
KubeResult<ClusterConnection> resolveContext(const Kubeconfig &config,
                                             const QString &contextName = {});

} // namespace cartograph::kube
