#include "Kubeconfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace cartograph::kube {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::kube", text);
}

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

// Parse errors carry the file, the 1-based line of the offending node and what was expected.
struct YamlError
{
    Error error;
};

[[noreturn]] void fail(const QString &file, const YAML::Node &node, const QString &path,
                       const QString &expected, const QString &found = {})
{
    Error error;
    error.code = ErrorCode::WrongType;
    error.file = file;
    if (node.IsDefined() && node.Mark().line >= 0) {
        error.line = node.Mark().line + 1;
        error.column = node.Mark().column + 1;
    }
    error.path = path;
    error.expected = expected;
    error.detail = found;
    throw YamlError{error};
}

QString nodeTypeName(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return tr("found a mapping");
    case YAML::NodeType::Sequence:
        return tr("found a list");
    case YAML::NodeType::Scalar:
        return tr("found \"%1\"").arg(fromStd(node.Scalar()));
    default:
        return tr("found nothing");
    }
}

QString member(const QString &path, const char *key)
{
    return path.isEmpty() ? QString::fromLatin1(key) : path + u'.' + QLatin1String(key);
}

class FileReader
{
public:
    explicit FileReader(QString file)
        : m_file(std::move(file))
        , m_dir(QFileInfo(m_file).absolutePath())
    {}

    QString string(const YAML::Node &map, const char *key, const QString &path) const
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return {};
        if (!node.IsScalar())
            fail(m_file, node, member(path, key), tr("a string"), nodeTypeName(node));
        return fromStd(node.Scalar());
    }

    bool boolean(const YAML::Node &map, const char *key, const QString &path) const
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return false;
        bool value = false;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
            fail(m_file, node, member(path, key), tr("true or false"), nodeTypeName(node));
        return value;
    }

    QByteArray base64(const YAML::Node &map, const char *key, const QString &path) const
    {
        const QString text = string(map, key, path);
        if (text.isEmpty())
            return {};
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1().trimmed(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            fail(m_file, map[key], member(path, key), tr("base64-encoded data"),
                 tr("not valid base64"));
        return *decoded;
    }

    // kubectl resolves relative file references against the kubeconfig's own directory.
    QString filePath(const YAML::Node &map, const char *key, const QString &path) const
    {
        const QString value = string(map, key, path);
        if (value.isEmpty())
            return {};
        return QDir::cleanPath(QDir::isAbsolutePath(value) ? value
                                                           : QDir(m_dir).absoluteFilePath(value));
    }

    YAML::Node map(const YAML::Node &parent, const char *key, const QString &path) const
    {
        const YAML::Node node = parent[key];
        if (!node.IsDefined() || node.IsNull())
            return YAML::Node(YAML::NodeType::Map);
        if (!node.IsMap())
            fail(m_file, node, member(path, key), tr("a mapping"), nodeTypeName(node));
        return node;
    }

    YAML::Node sequence(const YAML::Node &parent, const char *key, const QString &path) const
    {
        const YAML::Node node = parent[key];
        if (!node.IsDefined() || node.IsNull())
            return YAML::Node(YAML::NodeType::Sequence);
        if (!node.IsSequence())
            fail(m_file, node, member(path, key), tr("a list"), nodeTypeName(node));
        return node;
    }

    const QString &file() const { return m_file; }
    const QString &dir() const { return m_dir; }

private:
    QString m_file;
    QString m_dir;
};

nlohmann::json yamlToJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        nlohmann::json object = nlohmann::json::object();
        for (const auto &entry : node)
            object[entry.first.as<std::string>()] = yamlToJson(entry.second);
        return object;
    }
    case YAML::NodeType::Sequence: {
        nlohmann::json array = nlohmann::json::array();
        for (const auto &entry : node)
            array.push_back(yamlToJson(entry));
        return array;
    }
    case YAML::NodeType::Scalar: {
        const std::string &text = node.Scalar();
        if (node.Tag() != "!") { // a plain (unquoted) scalar may be a number or a bool
            if (text == "true" || text == "false")
                return text == "true";
            char *end = nullptr;
            const long long number = std::strtoll(text.c_str(), &end, 10);
            if (!text.empty() && end && *end == '\0')
                return number;
        }
        return text;
    }
    default:
        return nullptr;
    }
}

template <typename Entry, typename ReadBody>
void readNamedList(const FileReader &reader, const YAML::Node &root, const char *listKey,
                   const char *bodyKey, QList<Entry> &into, ReadBody readBody)
{
    const QString listPath = QLatin1String(listKey);
    const YAML::Node list = reader.sequence(root, listKey, {});
    qsizetype index = 0;
    for (const YAML::Node &item : list) {
        const QString itemPath = listPath + u'[' + QString::number(index++) + u']';
        if (!item.IsMap())
            fail(reader.file(), item, itemPath,
                 tr("a mapping with name and %1").arg(QLatin1String(bodyKey)), nodeTypeName(item));
        Entry entry;
        entry.name = reader.string(item, "name", itemPath);
        if (entry.name.isEmpty())
            fail(reader.file(), item, itemPath + QStringLiteral(".name"), tr("a non-empty name"));
        for (const Entry &existing : std::as_const(into)) {
            if (existing.name == entry.name)
                fail(reader.file(), item["name"], itemPath + QStringLiteral(".name"),
                     tr("a name not used before in %1").arg(listPath),
                     tr("duplicate name \"%1\"").arg(entry.name));
        }
        entry.sourceFile = reader.file();
        const QString bodyPath = itemPath + u'.' + QLatin1String(bodyKey);
        readBody(entry, reader.map(item, bodyKey, itemPath), bodyPath);
        into.append(std::move(entry));
    }
}

void readCluster(const FileReader &reader, KubeconfigCluster &cluster, const YAML::Node &body,
                 const QString &path)
{
    cluster.line = body.Mark().line + 1;
    cluster.server = reader.string(body, "server", path);
    cluster.certificateAuthority = reader.filePath(body, "certificate-authority", path);
    cluster.certificateAuthorityData = reader.base64(body, "certificate-authority-data", path);
    cluster.insecureSkipTlsVerify = reader.boolean(body, "insecure-skip-tls-verify", path);
    cluster.tlsServerName = reader.string(body, "tls-server-name", path);
    cluster.proxyUrl = reader.string(body, "proxy-url", path);
    const YAML::Node extensions = reader.sequence(body, "extensions", path);
    for (const YAML::Node &extension : extensions) {
        if (extension.IsMap() && extension["name"].IsScalar() &&
            extension["name"].Scalar() == "client.authentication.k8s.io/exec" &&
            extension["extension"].IsDefined()) {
            cluster.execExtensionJson =
                QByteArray::fromStdString(yamlToJson(extension["extension"]).dump());
        }
    }
}

ExecInteractiveMode parseInteractiveMode(const FileReader &reader, const YAML::Node &body,
                                         const QString &path, const QString &apiVersion)
{
    const QString mode = reader.string(body, "interactiveMode", path);
    if (mode.isEmpty()) {
        // client-go: v1 must say it; v1beta1 defaults to IfAvailable.
        if (apiVersion == u"client.authentication.k8s.io/v1")
            fail(reader.file(), body, path + QStringLiteral(".interactiveMode"),
                 tr("interactiveMode (Never, IfAvailable or Always), which %1 requires")
                     .arg(apiVersion));
        return ExecInteractiveMode::IfAvailable;
    }
    if (mode == u"Never")
        return ExecInteractiveMode::Never;
    if (mode == u"IfAvailable")
        return ExecInteractiveMode::IfAvailable;
    if (mode == u"Always")
        return ExecInteractiveMode::Always;
    fail(reader.file(), body["interactiveMode"], path + QStringLiteral(".interactiveMode"),
         tr("Never, IfAvailable or Always"), tr("found \"%1\"").arg(mode));
}

void readUser(const FileReader &reader, KubeconfigUser &user, const YAML::Node &body,
              const QString &path)
{
    user.line = body.Mark().line + 1;
    user.clientCertificate = reader.filePath(body, "client-certificate", path);
    user.clientCertificateData = reader.base64(body, "client-certificate-data", path);
    user.clientKey = reader.filePath(body, "client-key", path);
    user.clientKeyData = reader.base64(body, "client-key-data", path);
    user.token = reader.string(body, "token", path);
    user.tokenFile = reader.filePath(body, "tokenFile", path);
    user.username = reader.string(body, "username", path);
    user.password = reader.string(body, "password", path);
    const YAML::Node authProvider = body["auth-provider"];
    if (authProvider.IsDefined() && !authProvider.IsNull()) {
        const YAML::Node provider = reader.map(body, "auth-provider", path);
        user.authProviderName =
            reader.string(provider, "name", path + QStringLiteral(".auth-provider"));
        if (user.authProviderName.isEmpty())
            user.authProviderName = QStringLiteral("(unnamed)");
    }
    const YAML::Node execNode = body["exec"];
    if (!execNode.IsDefined() || execNode.IsNull())
        return;
    const QString execPath = path + QStringLiteral(".exec");
    const YAML::Node exec = reader.map(body, "exec", path);
    ExecPluginConfig plugin;
    plugin.sourceFile = reader.file();
    plugin.apiVersion = reader.string(exec, "apiVersion", execPath);
    if (plugin.apiVersion != u"client.authentication.k8s.io/v1" &&
        plugin.apiVersion != u"client.authentication.k8s.io/v1beta1") {
        fail(reader.file(), exec["apiVersion"].IsDefined() ? exec["apiVersion"] : exec,
             execPath + QStringLiteral(".apiVersion"),
             tr("client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1"),
             plugin.apiVersion.isEmpty() ? tr("no apiVersion")
                                         : tr("found \"%1\"").arg(plugin.apiVersion));
    }
    plugin.command = reader.string(exec, "command", execPath);
    if (plugin.command.isEmpty())
        fail(reader.file(), exec, execPath + QStringLiteral(".command"), tr("the command to run"));
    // client-go resolves the command against the kubeconfig's directory only when it is a path.
    if (plugin.command.contains(u'/') && !QDir::isAbsolutePath(plugin.command))
        plugin.command = QDir::cleanPath(QDir(reader.dir()).absoluteFilePath(plugin.command));
    const YAML::Node args = reader.sequence(exec, "args", execPath);
    qsizetype index = 0;
    for (const YAML::Node &arg : args) {
        if (!arg.IsScalar())
            fail(reader.file(), arg, execPath + QStringLiteral(".args[%1]").arg(index),
                 tr("a string"), nodeTypeName(arg));
        plugin.args.append(fromStd(arg.Scalar()));
        ++index;
    }
    const YAML::Node env = reader.sequence(exec, "env", execPath);
    index = 0;
    for (const YAML::Node &variable : env) {
        const QString varPath = execPath + QStringLiteral(".env[%1]").arg(index++);
        if (!variable.IsMap())
            fail(reader.file(), variable, varPath, tr("a mapping with name and value"),
                 nodeTypeName(variable));
        ExecEnvVar var{reader.string(variable, "name", varPath),
                       reader.string(variable, "value", varPath)};
        if (var.name.isEmpty())
            fail(reader.file(), variable, varPath + QStringLiteral(".name"),
                 tr("an environment variable name"));
        plugin.env.append(var);
    }
    plugin.interactiveMode = parseInteractiveMode(reader, exec, execPath, plugin.apiVersion);
    plugin.provideClusterInfo = reader.boolean(exec, "provideClusterInfo", execPath);
    plugin.installHint = reader.string(exec, "installHint", execPath);
    user.exec = std::move(plugin);
}

void readContext(const FileReader &reader, KubeconfigContext &context, const YAML::Node &body,
                 const QString &path)
{
    context.cluster = reader.string(body, "cluster", path);
    context.user = reader.string(body, "user", path);
    context.namespaceName = reader.string(body, "namespace", path);
}

template <typename Entry> const Entry *findNamed(const QList<Entry> &list, const QString &name)
{
    for (const Entry &entry : list) {
        if (entry.name == name)
            return &entry;
    }
    return nullptr;
}

KubeError fileError(KubeErrorCode code, Error error)
{
    KubeError kubeError;
    kubeError.code = code;
    kubeError.fileError = std::move(error);
    return kubeError;
}

// Reads a credential file named by the kubeconfig; errors name both the file and the field.
KubeResult<QByteArray> readCredentialFile(const QString &path, const QString &field,
                                          const QString &kubeconfig)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Error error;
        error.code = QFileInfo::exists(path) ? ErrorCode::Unreadable : ErrorCode::FileNotFound;
        error.file = path;
        error.path = field;
        error.detail = tr("named by %1 in %2: %3").arg(field, kubeconfig, file.errorString());
        return fileError(KubeErrorCode::CredentialFileUnreadable, error);
    }
    return file.readAll();
}

} // namespace

QString ExecPluginConfig::commandLine() const
{
    QStringList parts{command};
    for (const QString &arg : args)
        parts.append(arg.contains(u' ') ? u'\'' + arg + u'\'' : arg);
    return parts.join(u' ');
}

const KubeconfigContext *Kubeconfig::context(const QString &name) const
{
    return findNamed(contexts, name);
}

const KubeconfigCluster *Kubeconfig::cluster(const QString &name) const
{
    return findNamed(clusters, name);
}

const KubeconfigUser *Kubeconfig::user(const QString &name) const
{
    return findNamed(users, name);
}

QStringList KubeconfigLocation::candidateFiles() const
{
    if (!explicitPath.isEmpty())
        return {explicitPath};
    const QString env = kubeconfigEnv ? *kubeconfigEnv : qEnvironmentVariable("KUBECONFIG");
    if (!env.isEmpty()) {
        QStringList files;
        for (const QString &entry : env.split(u':', Qt::SkipEmptyParts)) {
            if (!files.contains(entry))
                files.append(entry);
        }
        if (!files.isEmpty())
            return files;
    }
    const QString home = homeDir ? *homeDir : QDir::homePath();
    return {QDir(home).filePath(QStringLiteral(".kube/config"))};
}

KubeResult<Kubeconfig> parseKubeconfigData(const QByteArray &yaml, const QString &sourceFile)
{
    Kubeconfig config;
    config.files = {sourceFile};
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &ex) {
        Error error;
        error.code = ErrorCode::SyntaxError;
        error.file = sourceFile;
        error.line = ex.mark.line >= 0 ? ex.mark.line + 1 : 0;
        error.column = ex.mark.column >= 0 ? ex.mark.column + 1 : 0;
        error.expected = tr("a kubeconfig (YAML with clusters, users and contexts)");
        error.detail = fromStd(ex.msg);
        return fileError(KubeErrorCode::KubeconfigInvalid, error);
    }
    // An empty file is an empty config, as for kubectl.
    if (!root.IsDefined() || root.IsNull())
        return config;
    try {
        if (!root.IsMap())
            fail(sourceFile, root, {}, tr("a kubeconfig mapping (apiVersion: v1, kind: Config)"),
                 nodeTypeName(root));
        const FileReader reader(sourceFile);
        const QString kind = reader.string(root, "kind", {});
        if (!kind.isEmpty() && kind != u"Config")
            fail(sourceFile, root["kind"], QStringLiteral("kind"), tr("Config"),
                 tr("found \"%1\"").arg(kind));
        config.currentContext = reader.string(root, "current-context", {});
        readNamedList(
            reader, root, "clusters", "cluster", config.clusters,
            [&](auto &e, const YAML::Node &b, const QString &p) { readCluster(reader, e, b, p); });
        readNamedList(
            reader, root, "users", "user", config.users,
            [&](auto &e, const YAML::Node &b, const QString &p) { readUser(reader, e, b, p); });
        readNamedList(
            reader, root, "contexts", "context", config.contexts,
            [&](auto &e, const YAML::Node &b, const QString &p) { readContext(reader, e, b, p); });
    } catch (const YamlError &failure) {
        return fileError(KubeErrorCode::KubeconfigInvalid, failure.error);
    } catch (const YAML::Exception &ex) {
        Error error;
        error.code = ErrorCode::WrongType;
        error.file = sourceFile;
        error.line = ex.mark.line >= 0 ? ex.mark.line + 1 : 0;
        error.expected = tr("a kubeconfig (YAML with clusters, users and contexts)");
        error.detail = fromStd(ex.msg);
        return fileError(KubeErrorCode::KubeconfigInvalid, error);
    }
    std::sort(config.contexts.begin(), config.contexts.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    return config;
}

KubeResult<Kubeconfig> parseKubeconfigFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Error error;
        error.code = QFileInfo(path).isDir() ? ErrorCode::NotAFile : ErrorCode::Unreadable;
        error.file = path;
        error.detail = file.errorString();
        return fileError(KubeErrorCode::KubeconfigInvalid, error);
    }
    return parseKubeconfigData(file.readAll(), path);
}

Kubeconfig mergeKubeconfigs(const QList<Kubeconfig> &inPrecedenceOrder)
{
    Kubeconfig merged;
    for (const Kubeconfig &config : inPrecedenceOrder) {
        merged.files += config.files;
        if (merged.currentContext.isEmpty())
            merged.currentContext = config.currentContext;
        auto mergeNamed = [](auto &into, const auto &from) {
            for (const auto &entry : from) {
                if (!findNamed(into, entry.name))
                    into.append(entry);
            }
        };
        mergeNamed(merged.contexts, config.contexts);
        mergeNamed(merged.clusters, config.clusters);
        mergeNamed(merged.users, config.users);
    }
    std::sort(merged.contexts.begin(), merged.contexts.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    return merged;
}

KubeResult<Kubeconfig> loadKubeconfig(const KubeconfigLocation &location)
{
    const QStringList candidates = location.candidateFiles();
    QList<Kubeconfig> configs;
    QStringList missing;
    for (const QString &path : candidates) {
        if (!QFileInfo::exists(path)) {
            missing.append(path);
            continue;
        }
        auto config = parseKubeconfigFile(path);
        if (!config)
            return config.error();
        configs.append(std::move(config).value());
    }
    // kubectl skips KUBECONFIG entries that do not exist, but an explicit --kubeconfig or a
    // configuration with no file at all is an error.
    if (configs.isEmpty() || (location.isExplicit() && !missing.isEmpty())) {
        KubeError error;
        error.code = KubeErrorCode::KubeconfigMissing;
        error.searchedPaths = candidates;
        if (location.isExplicit())
            error.detail = tr("--kubeconfig %1").arg(location.explicitPath);
        else if (const QString env = location.kubeconfigEnv ? *location.kubeconfigEnv
                                                            : qEnvironmentVariable("KUBECONFIG");
                 !env.isEmpty())
            error.detail = tr("KUBECONFIG=%1").arg(env);
        return error;
    }
    Kubeconfig merged = mergeKubeconfigs(configs);
    merged.missingFiles = missing;
    return merged;
}

KubeResult<ClusterConnection> resolveContext(const Kubeconfig &config, const QString &contextName)
{
    const QString name = contextName.isEmpty() ? config.currentContext : contextName;
    KubeError error;
    error.contextName = name;
    if (name.isEmpty()) {
        error.code = KubeErrorCode::NoCurrentContext;
        error.searchedPaths = config.files;
        return error;
    }
    const KubeconfigContext *context = config.context(name);
    if (!context) {
        error.code = KubeErrorCode::ContextNotFound;
        error.searchedPaths = config.files;
        return error;
    }
    const KubeconfigCluster *cluster = config.cluster(context->cluster);
    if (!cluster) {
        error.code = KubeErrorCode::ClusterNotFound;
        error.detail = context->cluster;
        error.searchedPaths = config.files;
        return error;
    }
    ClusterConnection connection;
    connection.contextName = name;
    connection.clusterName = cluster->name;
    connection.userName = context->user;
    connection.kubeconfigFile = context->sourceFile;
    if (!context->namespaceName.isEmpty())
        connection.namespaceName = context->namespaceName;
    const QString clusterField = QStringLiteral("clusters[name=%1].cluster").arg(cluster->name);
    QUrl server(cluster->server, QUrl::StrictMode);
    if (cluster->server.isEmpty() || !server.isValid() || server.host().isEmpty() ||
        (server.scheme() != u"https" && server.scheme() != u"http")) {
        Error fieldError;
        fieldError.code =
            cluster->server.isEmpty() ? ErrorCode::MissingField : ErrorCode::InvalidValue;
        fieldError.file = cluster->sourceFile;
        fieldError.line = cluster->line;
        fieldError.path = clusterField + QStringLiteral(".server");
        fieldError.expected = tr("the API server's URL, e.g. https://203.0.113.10:6443");
        if (!cluster->server.isEmpty())
            fieldError.detail = tr("found \"%1\"").arg(cluster->server);
        return fileError(KubeErrorCode::KubeconfigInvalid, fieldError);
    }
    connection.server = server;
    connection.insecureSkipTlsVerify = cluster->insecureSkipTlsVerify;
    connection.tlsServerName = cluster->tlsServerName;
    connection.execExtensionJson = cluster->execExtensionJson;
    if (!cluster->proxyUrl.isEmpty()) {
        const QUrl proxy(cluster->proxyUrl, QUrl::StrictMode);
        if (!proxy.isValid() || proxy.host().isEmpty() ||
            !(proxy.scheme() == u"http" || proxy.scheme() == u"https" ||
              proxy.scheme() == u"socks5")) {
            Error fieldError;
            fieldError.code = ErrorCode::InvalidValue;
            fieldError.file = cluster->sourceFile;
            fieldError.line = cluster->line;
            fieldError.path = clusterField + QStringLiteral(".proxy-url");
            fieldError.expected = tr("an http://, https:// or socks5:// proxy URL");
            fieldError.detail = tr("found \"%1\"").arg(cluster->proxyUrl);
            return fileError(KubeErrorCode::KubeconfigInvalid, fieldError);
        }
        connection.proxyUrl = proxy;
    }
    if (!cluster->certificateAuthorityData.isEmpty()) {
        connection.caPem = cluster->certificateAuthorityData;
    } else if (!cluster->certificateAuthority.isEmpty()) {
        auto ca = readCredentialFile(cluster->certificateAuthority,
                                     clusterField + QStringLiteral(".certificate-authority"),
                                     cluster->sourceFile);
        if (!ca)
            return ca.error();
        connection.caPem = *ca;
    }

    if (context->user.isEmpty())
        return connection; // anonymous, as kubectl allows
    const KubeconfigUser *user = config.user(context->user);
    if (!user) {
        error.code = KubeErrorCode::UserNotFound;
        error.detail = context->user;
        error.searchedPaths = config.files;
        return error;
    }
    const QString userField = QStringLiteral("users[name=%1].user").arg(user->name);
    if (!user->authProviderName.isEmpty()) {
        error.code = KubeErrorCode::AuthProviderLegacy;
        error.detail = user->authProviderName;
        error.fileError.file = user->sourceFile;
        error.fileError.line = user->line;
        error.fileError.path = userField + QStringLiteral(".auth-provider");
        return error;
    }
    if (!user->clientCertificateData.isEmpty()) {
        connection.clientCertificatePem = user->clientCertificateData;
        connection.clientCertificateFile = user->sourceFile;
    } else if (!user->clientCertificate.isEmpty()) {
        auto cert =
            readCredentialFile(user->clientCertificate,
                               userField + QStringLiteral(".client-certificate"), user->sourceFile);
        if (!cert)
            return cert.error();
        connection.clientCertificatePem = *cert;
        connection.clientCertificateFile = user->clientCertificate;
    }
    if (!user->clientKeyData.isEmpty()) {
        connection.clientKeyPem = user->clientKeyData;
    } else if (!user->clientKey.isEmpty()) {
        auto key = readCredentialFile(user->clientKey, userField + QStringLiteral(".client-key"),
                                      user->sourceFile);
        if (!key)
            return key.error();
        connection.clientKeyPem = *key;
    }
    if (connection.clientCertificatePem.isEmpty() != connection.clientKeyPem.isEmpty()) {
        Error fieldError;
        fieldError.code = ErrorCode::MissingField;
        fieldError.file = user->sourceFile;
        fieldError.line = user->line;
        fieldError.path =
            userField + (connection.clientKeyPem.isEmpty() ? QStringLiteral(".client-key")
                                                           : QStringLiteral(".client-certificate"));
        fieldError.expected = tr("client-certificate and client-key given together");
        return fileError(KubeErrorCode::KubeconfigInvalid, fieldError);
    }
    connection.token = user->token;
    connection.tokenFile = user->tokenFile;
    connection.username = user->username;
    connection.password = user->password;
    connection.exec = user->exec;
    return connection;
}

} // namespace cartograph::kube
