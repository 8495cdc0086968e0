#include "TestApiServer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSet>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUuid>
#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTestApiServer, "cartograph.tests.apiserver")

namespace cartograph::testing {

namespace {

constexpr int kDefaultWatchTimeoutSeconds = 1800; // kube-apiserver's --min-request-timeout
constexpr qsizetype kMaxRequestHeadBytes = 1 << 20;
const QString kTokenUser = u"test-token-user"_s;

struct ResourceType
{
    QString plural;
    QString singular;
    QString group;
    QString version;
    QString kind;
    bool namespaced = true;
    QStringList shortNames;
    QStringList categories;

    QString groupVersion() const { return group.isEmpty() ? version : group + u'/' + version; }
    // "networkpolicies.networking.k8s.io", as kube-apiserver names a resource in messages.
    QString qualified() const { return group.isEmpty() ? plural : plural + u'.' + group; }
};

// What kube-apiserver serves for the snapshot kinds; with `withNodeNetworks` also the agent's
// NodeNetwork CRD (cartograph.io/v1alpha1, cluster-scoped), always last.
const std::vector<ResourceType> &resourceTypes(bool withNodeNetworks = true)
{
    static const std::vector<ResourceType> kubernetes = {
        {u"namespaces"_s, u"namespace"_s, {}, u"v1"_s, u"Namespace"_s, false, {u"ns"_s}, {}},
        {u"nodes"_s, u"node"_s, {}, u"v1"_s, u"Node"_s, false, {u"no"_s}, {}},
        {u"pods"_s, u"pod"_s, {}, u"v1"_s, u"Pod"_s, true, {u"po"_s}, {u"all"_s}},
        {u"services"_s, u"service"_s, {}, u"v1"_s, u"Service"_s, true, {u"svc"_s}, {u"all"_s}},
        {u"endpointslices"_s,
         u"endpointslice"_s,
         u"discovery.k8s.io"_s,
         u"v1"_s,
         u"EndpointSlice"_s,
         true,
         {},
         {}},
        {u"networkpolicies"_s,
         u"networkpolicy"_s,
         u"networking.k8s.io"_s,
         u"v1"_s,
         u"NetworkPolicy"_s,
         true,
         {u"netpol"_s},
         {}},
        {u"daemonsets"_s,
         u"daemonset"_s,
         u"apps"_s,
         u"v1"_s,
         u"DaemonSet"_s,
         true,
         {u"ds"_s},
         {u"all"_s}},
    };
    static const std::vector<ResourceType> withAgent = [] {
        std::vector<ResourceType> types = kubernetes;
        types.push_back({u"nodenetworks"_s,
                         u"nodenetwork"_s,
                         u"cartograph.io"_s,
                         u"v1alpha1"_s,
                         u"NodeNetwork"_s,
                         false,
                         {},
                         {}});
        return types;
    }();
    return withNodeNetworks ? withAgent : kubernetes;
}

using ResourceTypes = std::vector<ResourceType>;

int resourceIndex(const ResourceTypes &types, const QString &group, const QString &version,
                  const QString &plural)
{
    for (size_t i = 0; i < types.size(); ++i) {
        if (types[i].group == group && types[i].version == version && types[i].plural == plural)
            return int(i);
    }
    return -1;
}

int resourceIndexForKind(const ResourceTypes &types, const QString &apiVersion, const QString &kind)
{
    for (size_t i = 0; i < types.size(); ++i) {
        if (types[i].groupVersion() == apiVersion && types[i].kind == kind)
            return int(i);
    }
    return -1;
}

int resourceIndexForPlural(const ResourceTypes &types, const QString &plural)
{
    for (size_t i = 0; i < types.size(); ++i) {
        if (types[i].plural == plural)
            return int(i);
    }
    return -1;
}

struct StoredObject
{
    QByteArray key;  // "namespace/name" or "name": the order kube-apiserver lists objects in
    QByteArray json; // compact, without kind and apiVersion, as items of a List carry them
    QString ns;
    QString name;
};

bool keyLess(const StoredObject &object, const QByteArray &key)
{
    return object.key < key;
}

struct HistoryEvent
{
    qint64 resourceVersion = 0;
    int resource = -1;
    QByteArray type; // ADDED, MODIFIED, DELETED
    StoredObject object;
};

QString rfc3339(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ssZ"_s);
}

// k8s.io/apimachinery/pkg/util/duration.HumanDuration, which the AGE columns use.
QString humanDuration(qint64 seconds)
{
    if (seconds < -1)
        return u"<invalid>"_s;
    if (seconds < 0)
        return u"0s"_s;
    if (seconds < 60 * 2)
        return u"%1s"_s.arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 10) {
        const qint64 rest = seconds % 60;
        return rest == 0 ? u"%1m"_s.arg(minutes) : u"%1m%2s"_s.arg(minutes).arg(rest);
    }
    if (minutes < 60 * 3)
        return u"%1m"_s.arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 8) {
        const qint64 rest = minutes % 60;
        return rest == 0 ? u"%1h"_s.arg(hours) : u"%1h%2m"_s.arg(hours).arg(rest);
    }
    if (hours < 48)
        return u"%1h"_s.arg(hours);
    if (hours < 24 * 8) {
        const qint64 rest = hours % 24;
        return rest == 0 ? u"%1d"_s.arg(hours / 24) : u"%1d%2h"_s.arg(hours / 24).arg(rest);
    }
    if (hours < 24 * 365 * 2)
        return u"%1d"_s.arg(hours / 24);
    if (hours < 24 * 365 * 8) {
        const qint64 days = (hours / 24) % 365;
        return days == 0 ? u"%1y"_s.arg(hours / 24 / 365)
                         : u"%1y%2d"_s.arg(hours / 24 / 365).arg(days);
    }
    return u"%1y"_s.arg(hours / 24 / 365);
}

QString ageOf(const QJsonObject &object)
{
    const QString created = object[u"metadata"].toObject()[u"creationTimestamp"].toString();
    const QDateTime time = QDateTime::fromString(created, Qt::ISODate);
    if (!time.isValid())
        return u"<unknown>"_s;
    return humanDuration(time.secsTo(QDateTime::currentDateTimeUtc()));
}

QByteArray withKind(const ResourceType &type, const QByteArray &json)
{
    QByteArray out = "{\"kind\":\"" + type.kind.toUtf8() + "\",\"apiVersion\":\"" +
                     type.groupVersion().toUtf8() + '"';
    if (json.size() > 2)
        out += ',' + json.mid(1);
    else
        out += '}';
    return out;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// label and field selectors as kube-apiserver reads them (the subset clients use for reading).
struct Requirement
{
    enum Op
    {
        Equals,
        NotEquals,
        Exists,
        NotExists,
        In,
        NotIn
    };
    QString key;
    Op op = Equals;
    QStringList values;
};

struct Selectors
{
    QList<Requirement> labels;
    QList<Requirement> fields;
    bool empty() const { return labels.isEmpty() && fields.isEmpty(); }
};

QStringList splitTopLevel(const QString &text)
{
    QStringList parts;
    int depth = 0;
    QString current;
    for (QChar c : text) {
        if (c == u'(')
            ++depth;
        else if (c == u')')
            --depth;
        if (c == u',' && depth == 0) {
            parts << current.trimmed();
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.trimmed().isEmpty())
        parts << current.trimmed();
    return parts;
}

std::optional<QList<Requirement>> parseLabelSelector(const QString &text, QString *error)
{
    QList<Requirement> requirements;
    for (const QString &term : splitTopLevel(text)) {
        Requirement r;
        const qsizetype notIn = term.indexOf(u" notin "_s);
        const qsizetype in = term.indexOf(u" in "_s);
        if (notIn > 0 || in > 0) {
            const bool negated = notIn > 0;
            const qsizetype at = negated ? notIn : in;
            r.key = term.left(at).trimmed();
            r.op = negated ? Requirement::NotIn : Requirement::In;
            QString set = term.mid(at + (negated ? 7 : 4)).trimmed();
            if (!set.startsWith(u'(') || !set.endsWith(u')')) {
                *error = u"unable to parse requirement: found '%1', expected: '('"_s.arg(set);
                return std::nullopt;
            }
            for (const QString &v : set.mid(1, set.size() - 2).split(u','))
                r.values << v.trimmed();
        } else if (term.startsWith(u'!')) {
            r.key = term.mid(1).trimmed();
            r.op = Requirement::NotExists;
        } else if (const qsizetype ne = term.indexOf(u"!="_s); ne > 0) {
            r.key = term.left(ne).trimmed();
            r.op = Requirement::NotEquals;
            r.values << term.mid(ne + 2).trimmed();
        } else if (const qsizetype eq = term.indexOf(u'='); eq > 0) {
            r.key = term.left(eq).trimmed();
            r.op = Requirement::Equals;
            r.values << term.mid(term.mid(eq).startsWith(u"=="_s) ? eq + 2 : eq + 1).trimmed();
        } else {
            r.key = term;
            r.op = Requirement::Exists;
        }
        if (r.key.isEmpty()) {
            *error = u"unable to parse requirement: %1"_s.arg(term);
            return std::nullopt;
        }
        requirements << r;
    }
    return requirements;
}

std::optional<QList<Requirement>> parseFieldSelector(const QString &text, const ResourceType &type,
                                                     QString *error)
{
    QStringList supported = {u"metadata.name"_s, u"metadata.namespace"_s};
    if (type.plural == u"pods")
        supported << u"spec.nodeName"_s << u"status.phase"_s;
    QList<Requirement> requirements;
    for (const QString &term : text.split(u',', Qt::SkipEmptyParts)) {
        Requirement r;
        if (const qsizetype ne = term.indexOf(u"!="_s); ne > 0) {
            r.key = term.left(ne);
            r.op = Requirement::NotEquals;
            r.values << term.mid(ne + 2);
        } else if (const qsizetype eq = term.indexOf(u'='); eq > 0) {
            r.key = term.left(eq);
            r.op = Requirement::Equals;
            r.values << term.mid(term.mid(eq).startsWith(u"=="_s) ? eq + 2 : eq + 1);
        } else {
            *error = u"invalid selector: '%1'; can't understand '%2'"_s.arg(text, term);
            return std::nullopt;
        }
        if (!supported.contains(r.key)) {
            *error = u"field label not supported: %1"_s.arg(r.key);
            return std::nullopt;
        }
        requirements << r;
    }
    return requirements;
}

bool matches(const Requirement &r, const std::optional<QString> &value)
{
    switch (r.op) {
    case Requirement::Equals:
        return value && *value == r.values.value(0);
    case Requirement::NotEquals:
        return !value || *value != r.values.value(0);
    case Requirement::Exists:
        return value.has_value();
    case Requirement::NotExists:
        return !value.has_value();
    case Requirement::In:
        return value && r.values.contains(*value);
    case Requirement::NotIn:
        return !value || !r.values.contains(*value);
    }
    return false;
}

bool selected(const Selectors &selectors, const StoredObject &object)
{
    if (selectors.empty())
        return true;
    const QJsonObject json = parseObject(object.json);
    const QJsonObject metadata = json[u"metadata"].toObject();
    const QJsonObject labels = metadata[u"labels"].toObject();
    for (const Requirement &r : selectors.labels) {
        const auto it = labels.constFind(r.key);
        const std::optional<QString> value =
            it == labels.constEnd() ? std::nullopt : std::optional<QString>(it->toString());
        if (!matches(r, value))
            return false;
    }
    for (const Requirement &r : selectors.fields) {
        QString value;
        if (r.key == u"metadata.name")
            value = object.name;
        else if (r.key == u"metadata.namespace")
            value = object.ns;
        else if (r.key == u"spec.nodeName")
            value = json[u"spec"].toObject()[u"nodeName"].toString();
        else if (r.key == u"status.phase")
            value = json[u"status"].toObject()[u"phase"].toString();
        if (!matches(r, value))
            return false;
    }
    return true;
}

struct Request
{
    QByteArray method;
    QByteArray target; // path and query as sent
    QString path;
    QHash<QString, QString> query;         // decoded as Go's url.ParseQuery does: '+' is a space
    QHash<QByteArray, QByteArray> headers; // names lower-cased
};

// One HTTP/1.1 request from the front of `buffer`, or nothing yet. `bad` for a malformed head.
std::optional<Request> takeRequest(QByteArray &buffer, bool *bad)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        *bad = buffer.size() > kMaxRequestHeadBytes;
        return std::nullopt;
    }
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        *bad = true;
        return std::nullopt;
    }
    Request request;
    request.method = requestLine[0];
    request.target = requestLine[1];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                   lines[i].mid(colon + 1).trimmed());
    }
    const qsizetype bodyLength = request.headers.value("content-length", "0").toLongLong();
    if (buffer.size() < end + 4 + bodyLength)
        return std::nullopt;
    buffer.remove(0, end + 4 + bodyLength);
    const qsizetype question = request.target.indexOf('?');
    request.path = QString::fromUtf8(question < 0 ? request.target : request.target.left(question));
    if (question >= 0)
        for (QByteArray pair : request.target.mid(question + 1).split('&')) {
            pair.replace('+', ' ');
            const qsizetype equals = pair.indexOf('=');
            const QByteArray key = equals < 0 ? pair : pair.left(equals);
            const QByteArray value = equals < 0 ? QByteArray() : pair.mid(equals + 1);
            // The first value of a repeated key, as Go's Values.Get.
            const QString name = QUrl::fromPercentEncoding(key);
            if (!request.query.contains(name))
                request.query.insert(name, QUrl::fromPercentEncoding(value));
        }
    return request;
}

// The token of an "Authorization: Bearer TOKEN" header; the scheme is case-insensitive, as
// kube-apiserver's bearer token authenticator reads it.
QString bearerToken(const QByteArray &authorization)
{
    const QList<QByteArray> parts = authorization.trimmed().split(' ');
    if (parts.size() != 2 || parts[0].toLower() != "bearer")
        return {};
    return QString::fromUtf8(parts[1]);
}

QString queryValue(const Request &request, const QString &key)
{
    return request.query.value(key);
}

bool queryTrue(const Request &request, const QString &key)
{
    const QString value = queryValue(request, key);
    return value == u"true" || value == u"1";
}

QByteArray reasonPhrase(int code)
{
    switch (code) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 410:
        return "Gone";
    case 431:
        return "Request Header Fields Too Large";
    default:
        return "Internal Server Error";
    }
}

QJsonObject statusObject(int code, const QString &reason, const QString &message,
                         const QJsonObject &details = {}, const QJsonObject &listMeta = {})
{
    QJsonObject status{{u"kind"_s, u"Status"_s},  {u"apiVersion"_s, u"v1"_s},
                       {u"metadata"_s, listMeta}, {u"status"_s, u"Failure"_s},
                       {u"message"_s, message},   {u"reason"_s, reason},
                       {u"code"_s, code}};
    if (!details.isEmpty())
        status[u"details"_s] = details;
    return status;
}

// The continue token kube-apiserver hands out: base64url of {"v","rv","start"}.
QString encodeContinue(qint64 resourceVersion, const QByteArray &lastKey)
{
    // Written by hand to keep kube-apiserver's field order (QJsonObject sorts keys).
    QByteArray start =
        QJsonDocument(QJsonArray{QString::fromUtf8(lastKey + '\0')}).toJson(QJsonDocument::Compact);
    start = start.mid(1, start.size() - 2); // the quoted, escaped string inside [ ]
    const QByteArray token =
        "{\"v\":\"meta.k8s.io/v1\",\"rv\":" + QByteArray::number(resourceVersion) +
        ",\"start\":" + start + '}';
    return QString::fromLatin1(
        token.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

struct ContinueToken
{
    qint64 resourceVersion = 0;
    QByteArray start;
};

std::optional<ContinueToken> decodeContinue(const QString &text, QString *error)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        *error = u"continue key is not valid: illegal base64 data"_s;
        return std::nullopt;
    }
    const QJsonObject token = parseObject(*decoded);
    if (token[u"v"].toString() != u"meta.k8s.io/v1" || !token[u"rv"].isDouble()) {
        *error = u"continue key is not valid: incorrect encoded start resourceVersion (version "
                 u"meta.k8s.io/v1)"_s;
        return std::nullopt;
    }
    return ContinueToken{qint64(token[u"rv"].toDouble()), token[u"start"].toString().toUtf8()};
}

QJsonObject column(const QString &name, const QString &description, int priority = 0,
                   const QString &format = {}, const QString &type = u"string"_s)
{
    return {{u"name"_s, name},
            {u"type"_s, type},
            {u"format"_s, format},
            {u"description"_s, description},
            {u"priority"_s, priority}};
}

QJsonArray columnsFor(const ResourceType &type)
{
    const QJsonObject name = column(u"Name"_s,
                                    u"Name must be unique within a namespace. Is required when "
                                    u"creating resources, although some resources may allow a "
                                    u"client to request the generation of an appropriate name "
                                    u"automatically."_s,
                                    0, u"name"_s);
    const QJsonObject age =
        column(u"Age"_s, u"CreationTimestamp is a timestamp representing the server "
                         u"time when this object was created."_s);
    if (type.plural == u"pods") {
        return {name,
                column(u"Ready"_s, u"The aggregate readiness state of this pod for accepting "
                                   u"traffic."_s),
                column(u"Status"_s, u"The aggregate status of the containers in this pod."_s),
                column(u"Restarts"_s, u"The number of times the containers in this pod have "
                                      u"been restarted and when the last container in this pod "
                                      u"has restarted."_s),
                age,
                column(u"IP"_s,
                       u"IP address allocated to the pod. Routable at least within the "
                       u"cluster. Empty if not yet allocated."_s,
                       1),
                column(u"Node"_s, u"Name of the Node this pod is assigned to."_s, 1)};
    }
    if (type.plural == u"nodes") {
        return {name,
                column(u"Status"_s, u"The status of the node"_s),
                column(u"Roles"_s, u"The roles of the node"_s),
                age,
                column(u"Version"_s, u"Kubelet Version reported by the node."_s),
                column(u"Internal-IP"_s, u"List of addresses reachable to the node."_s, 1)};
    }
    if (type.plural == u"namespaces")
        return {name, column(u"Status"_s, u"The status of the namespace"_s), age};
    if (type.plural == u"services") {
        return {name,
                column(u"Type"_s, u"The type of service."_s),
                column(u"Cluster-IP"_s, u"The cluster IP of the service."_s),
                column(u"External-IP"_s, u"The external IPs of the service."_s),
                column(u"Port(s)"_s, u"The ports of the service."_s),
                age};
    }
    return {name, age};
}

struct PodColumns
{
    int ready = 0;
    int total = 0;
    QString status;
    QString restarts;
};

bool hasTrueCondition(const QJsonObject &status, const QString &type)
{
    for (const auto &c : status[u"conditions"].toArray()) {
        if (c[u"type"].toString() == type)
            return c[u"status"].toString() == u"True";
    }
    return false;
}

// The READY, STATUS and RESTARTS cells as kube-apiserver's pod printer computes them
// (pkg/printers/internalversion printPod): init containers first ("Init:1/2", "Init:Error"),
// native sidecars (init containers with restartPolicy Always) counted as containers, then the
// containers' waiting/terminated reasons, "Terminating" for a pod being deleted.
PodColumns podColumns(const QJsonObject &pod)
{
    const QJsonObject spec = pod[u"spec"].toObject();
    const QJsonObject status = pod[u"status"].toObject();
    PodColumns columns;
    columns.total = int(spec[u"containers"].toArray().size());
    columns.status = status[u"phase"].toString();
    if (!status[u"reason"].toString().isEmpty())
        columns.status = status[u"reason"].toString();
    for (const auto &c : status[u"conditions"].toArray()) {
        if (c[u"type"].toString() == u"PodScheduled" &&
            c[u"reason"].toString() == u"SchedulingGated")
            columns.status = u"SchedulingGated"_s;
    }
    QSet<QString> sidecars;
    const QJsonArray initContainers = spec[u"initContainers"].toArray();
    for (const auto &c : initContainers) {
        if (c[u"restartPolicy"].toString() == u"Always") {
            sidecars.insert(c[u"name"].toString());
            ++columns.total;
        }
    }
    int restarts = 0;
    int sidecarRestarts = 0;
    QDateTime lastRestart;
    auto noteRestart = [&](const QJsonObject &containerStatus) {
        const QDateTime finished = QDateTime::fromString(
            containerStatus[u"lastState"][u"terminated"][u"finishedAt"].toString(), Qt::ISODate);
        if (finished.isValid() && (!lastRestart.isValid() || finished > lastRestart))
            lastRestart = finished;
    };
    bool initializing = false;
    const QJsonArray initStatuses = status[u"initContainerStatuses"].toArray();
    for (qsizetype i = 0; i < initStatuses.size(); ++i) {
        const QJsonObject container = initStatuses[i].toObject();
        const int count = container[u"restartCount"].toInt();
        restarts += count;
        noteRestart(container);
        const bool sidecar = sidecars.contains(container[u"name"].toString());
        if (sidecar)
            sidecarRestarts += count;
        const QJsonObject state = container[u"state"].toObject();
        const QJsonObject terminated = state[u"terminated"].toObject();
        const QString waiting = state[u"waiting"][u"reason"].toString();
        if (state.contains(u"terminated") && terminated[u"exitCode"].toInt() == 0)
            continue;
        if (sidecar && container[u"started"].toBool()) {
            columns.ready += container[u"ready"].toBool() ? 1 : 0;
            continue;
        }
        if (state.contains(u"terminated")) {
            if (!terminated[u"reason"].toString().isEmpty())
                columns.status = u"Init:"_s + terminated[u"reason"].toString();
            else if (terminated[u"signal"].toInt() != 0)
                columns.status = u"Init:Signal:%1"_s.arg(terminated[u"signal"].toInt());
            else
                columns.status = u"Init:ExitCode:%1"_s.arg(terminated[u"exitCode"].toInt());
        } else if (!waiting.isEmpty() && waiting != u"PodInitializing") {
            columns.status = u"Init:"_s + waiting;
        } else {
            columns.status = u"Init:%1/%2"_s.arg(i).arg(initContainers.size());
        }
        initializing = true;
        break;
    }
    if (!initializing || hasTrueCondition(status, u"Initialized"_s)) {
        restarts = sidecarRestarts;
        bool running = false;
        const QJsonArray containers = status[u"containerStatuses"].toArray();
        for (qsizetype i = containers.size() - 1; i >= 0; --i) {
            const QJsonObject container = containers[i].toObject();
            restarts += container[u"restartCount"].toInt();
            noteRestart(container);
            const QJsonObject state = container[u"state"].toObject();
            const QJsonObject terminated = state[u"terminated"].toObject();
            const QString waiting = state[u"waiting"][u"reason"].toString();
            if (!waiting.isEmpty()) {
                columns.status = waiting;
            } else if (!terminated[u"reason"].toString().isEmpty()) {
                columns.status = terminated[u"reason"].toString();
            } else if (state.contains(u"terminated")) {
                columns.status = terminated[u"signal"].toInt() != 0
                                     ? u"Signal:%1"_s.arg(terminated[u"signal"].toInt())
                                     : u"ExitCode:%1"_s.arg(terminated[u"exitCode"].toInt());
            } else if (container[u"ready"].toBool() && state.contains(u"running")) {
                running = true;
                ++columns.ready;
            }
        }
        if (columns.status == u"Completed" && running)
            columns.status = hasTrueCondition(status, u"Ready"_s) ? u"Running"_s : u"NotReady"_s;
    }
    const QString phase = status[u"phase"].toString();
    if (pod[u"metadata"].toObject().contains(u"deletionTimestamp")) {
        if (status[u"reason"].toString() == u"NodeLost")
            columns.status = u"Unknown"_s;
        else if (phase != u"Succeeded" && phase != u"Failed")
            columns.status = u"Terminating"_s;
    }
    columns.restarts = QString::number(restarts);
    if (restarts > 0 && lastRestart.isValid()) {
        columns.restarts +=
            u" (%1 ago)"_s.arg(humanDuration(lastRestart.secsTo(QDateTime::currentDateTimeUtc())));
    }
    return columns;
}

QJsonArray cellsFor(const ResourceType &type, const QJsonObject &object)
{
    const QJsonObject metadata = object[u"metadata"].toObject();
    const QJsonObject spec = object[u"spec"].toObject();
    const QJsonObject status = object[u"status"].toObject();
    const QString name = metadata[u"name"].toString();
    if (type.plural == u"pods") {
        const PodColumns pod = podColumns(object);
        return {name,
                u"%1/%2"_s.arg(pod.ready).arg(pod.total),
                pod.status,
                pod.restarts,
                ageOf(object),
                status[u"podIP"].toString(u"<none>"_s),
                spec[u"nodeName"].toString(u"<none>"_s)};
    }
    if (type.plural == u"nodes") {
        QString ready = u"Unknown"_s;
        for (const auto &c : status[u"conditions"].toArray()) {
            if (c.toObject()[u"type"].toString() == u"Ready")
                ready = c.toObject()[u"status"].toString() == u"True" ? u"Ready"_s : u"NotReady"_s;
        }
        if (spec[u"unschedulable"].toBool())
            ready += u",SchedulingDisabled"_s;
        QStringList roles;
        const QJsonObject labels = metadata[u"labels"].toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            if (it.key().startsWith(u"node-role.kubernetes.io/"))
                roles << it.key().mid(24);
        }
        QString internalIp = u"<none>"_s;
        for (const auto &a : status[u"addresses"].toArray()) {
            if (a.toObject()[u"type"].toString() == u"InternalIP")
                internalIp = a.toObject()[u"address"].toString();
        }
        return {name,
                ready,
                roles.isEmpty() ? u"<none>"_s : roles.join(u','),
                ageOf(object),
                status[u"nodeInfo"].toObject()[u"kubeletVersion"].toString(),
                internalIp};
    }
    if (type.plural == u"namespaces")
        return {name, status[u"phase"].toString(u"Active"_s), ageOf(object)};
    if (type.plural == u"services") {
        QStringList ports;
        for (const auto &p : spec[u"ports"].toArray()) {
            const QJsonObject port = p.toObject();
            QString text = QString::number(port[u"port"].toInt());
            if (port.contains(u"nodePort"))
                text += u':' + QString::number(port[u"nodePort"].toInt());
            ports << text + u'/' + port[u"protocol"].toString(u"TCP"_s);
        }
        QStringList external;
        for (const auto &ip : spec[u"externalIPs"].toArray())
            external << ip.toString();
        const QString serviceType = spec[u"type"].toString(u"ClusterIP"_s);
        return {name,
                serviceType,
                spec[u"clusterIP"].toString(u"<none>"_s),
                external.isEmpty() ? (serviceType == u"LoadBalancer" ? u"<pending>"_s : u"<none>"_s)
                                   : external.join(u','),
                ports.isEmpty() ? u"<none>"_s : ports.join(u','),
                ageOf(object)};
    }
    return {name, ageOf(object)};
}

QJsonObject tableRow(const ResourceType &type, const StoredObject &stored,
                     const QString &includeObject)
{
    const QJsonObject object = parseObject(stored.json);
    QJsonObject row{{u"cells"_s, cellsFor(type, object)}};
    if (includeObject == u"Object") {
        QJsonObject full = object;
        full[u"kind"_s] = type.kind;
        full[u"apiVersion"_s] = type.groupVersion();
        row[u"object"_s] = full;
    } else if (includeObject != u"None") {
        row[u"object"_s] = QJsonObject{{u"kind"_s, u"PartialObjectMetadata"_s},
                                       {u"apiVersion"_s, u"meta.k8s.io/v1"_s},
                                       {u"metadata"_s, object[u"metadata"]}};
    }
    return row;
}

// kubectl get asks for "application/json;as=Table;v=v1;g=meta.k8s.io,...,application/json".
bool wantsTable(const Request &request)
{
    for (const QByteArray &entry : request.headers.value("accept").split(',')) {
        const QList<QByteArray> parameters = entry.split(';');
        bool table = false;
        bool metaGroup = false;
        for (const QByteArray &p : parameters) {
            const QByteArray t = p.trimmed();
            table = table || t == "as=Table";
            metaGroup = metaGroup || t == "g=meta.k8s.io";
        }
        if (table && metaGroup)
            return true;
    }
    return false;
}

// A pod as the API server returns it for a Deployment replica: ~2.5 KB of JSON.
QByteArray syntheticPod(int index, const QString &ns, const QString &node)
{
    const QString app = u"app-%1"_s.arg(index / 10, 5, 10, QChar(u'0'));
    const QString hash = u"5d%1c7f9b"_s.arg(index % 97, 2, 10, QChar(u'0'));
    const QString name = u"%1-%2-x%3"_s.arg(app, hash).arg(index, 6, 10, QChar(u'0'));
    const QString ip =
        u"10.%1.%2.%3"_s.arg(64 + (index >> 16) % 64).arg((index >> 8) & 0xff).arg(index & 0xff);
    const QString hostIp =
        u"172.18.%1.%2"_s.arg((index / 100 / 250) % 250).arg((index / 100) % 250 + 2);
    const QString uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString started = u"2026-11-20T08:%1:%2Z"_s.arg(index / 60 % 60, 2, 10, QChar(u'0'))
                                .arg(index % 60, 2, 10, QChar(u'0'));
    QString json =
        uR"({"metadata":{"name":"%1","generateName":"%2-%3-","namespace":"%4","uid":"%5","resourceVersion":"0","creationTimestamp":"%6","labels":{"app.kubernetes.io/name":"%2","app.kubernetes.io/part-of":"shop","pod-template-hash":"%3","tier":"backend"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-19T17:02:11Z","prometheus.io/port":"9090","prometheus.io/scrape":"true"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%2-%3","uid":"8d3f2a0e-6b1c-4f5e-9a7d-%7","controller":true,"blockOwnerDeletion":true}]},)"_s
            .arg(name, app, hash, ns, uid, started)
            .arg(index, 12, 10, QChar(u'0'));
    json +=
        uR"("spec":{"volumes":[{"name":"config","configMap":{"name":"%1-config","defaultMode":420}},{"name":"kube-api-access-%2","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},{"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],"defaultMode":420}}],"containers":[{"name":"server","image":"registry.example.com/shop/%1:v2.14.3","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],"env":[{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}}],"resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"volumeMounts":[{"name":"config","mountPath":"/etc/%1"},{"name":"kube-api-access-%2","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}],"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"default","nodeName":"%3","securityContext":{},"schedulerName":"default-scheduler","priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},)"_s
            .arg(app, uid.left(5), node);
    json +=
        uR"("status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"%1"},{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"%1"},{"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"%1"},{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"%1"}],"hostIP":"%2","hostIPs":[{"ip":"%2"}],"podIP":"%3","podIPs":[{"ip":"%3"}],"startTime":"%1","containerStatuses":[{"name":"server","state":{"running":{"startedAt":"%1"}},"lastState":{},"ready":true,"restartCount":0,"image":"registry.example.com/shop/%4:v2.14.3","imageID":"registry.example.com/shop/%4@sha256:3f1c2b7e9a8d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615243a","containerID":"containerd://%5","started":true}],"qosClass":"Burstable"}})"_s
            .arg(started, hostIp, ip, app,
                 QString::fromLatin1(
                     QByteArray::number(quint64(index) * 2654435761u, 16).repeated(4).left(64)));
    return json.toUtf8();
}

} // namespace

class ApiConnection : public QObject
{
public:
    using QObject::QObject;

    QSslSocket *socket = nullptr;
    QByteArray buffer;
    bool busy = false; // a request is being answered (or a watch is streaming)
    bool closeAfterResponse = false;
    bool certificateRejected = false; // the client sent a certificate that failed verification
    QString certificateUser;

    // The watch this connection streams, when `watching`.
    bool watching = false;
    int watchResource = -1;
    QString watchNamespace;
    Selectors watchSelectors;
    bool watchTable = false;
    QString watchIncludeObject;
    QTimer *bookmarkTimer = nullptr;
    QTimer *watchTimeout = nullptr;
};

class ApiServerCore : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

    // --- configuration, all called on the server thread ---
    TestApiServer::Options options;
    const ResourceTypes &types() const { return resourceTypes(options.serveNodeNetworks); }
    QSslConfiguration sslConfiguration;
    QSslConfiguration wrongHostSslConfiguration;
    bool serveWrongHost = false;
    QString token;

    QSet<QString> forbidden;
    bool rejectCredentials = false;
    int responseDelayMs = 0;
    int bookmarkIntervalMs = 60000;

    QStringList log;
    QStringList logPaths;
    QStringList authorizationHeaders;

    qint64 resourceVersion = 1000;
    qint64 compactedResourceVersion = 0;
    qint64 continueMinimumResourceVersion = 0;
    std::vector<std::vector<StoredObject>> collections =
        std::vector<std::vector<StoredObject>>(resourceTypes(true).size());
    std::deque<HistoryEvent> history;
    int syntheticPodsMade = 0;
    QList<ApiConnection *> connections;
    int connectionsAccepted = 0;

    void shutdown()
    {
        close();
        // Deleting a connection disconnects its lambdas before its socket goes.
        qDeleteAll(std::exchange(connections, {}));
    }

    int openWatchCount() const
    {
        return int(std::count_if(connections.begin(), connections.end(),
                                 [](const ApiConnection *c) { return c->watching; }));
    }

    // --- objects ---

    // The object as it will be stored, or an error message.
    std::optional<StoredObject> normalize(QJsonObject object, int *resource, QString *error)
    {
        *resource = resourceIndexForKind(types(), object[u"apiVersion"].toString(),
                                         object[u"kind"].toString());
        if (*resource < 0) {
            *error = u"kind %1 (apiVersion %2) is not one the test API server serves"_s.arg(
                object[u"kind"].toString(), object[u"apiVersion"].toString());
            return std::nullopt;
        }
        const ResourceType &type = types()[size_t(*resource)];
        QJsonObject metadata = object[u"metadata"].toObject();
        StoredObject stored;
        stored.name = metadata[u"name"].toString();
        if (stored.name.isEmpty()) {
            *error = u"%1 without metadata.name"_s.arg(type.kind);
            return std::nullopt;
        }
        if (type.namespaced) {
            stored.ns = metadata[u"namespace"].toString(u"default"_s);
            metadata[u"namespace"_s] = stored.ns;
            stored.key = stored.ns.toUtf8() + '/' + stored.name.toUtf8();
        } else {
            metadata.remove(u"namespace"_s);
            stored.key = stored.name.toUtf8();
        }
        const auto existing = find(*resource, stored.key);
        const QJsonObject previous =
            existing ? parseObject(existing->json)[u"metadata"].toObject() : QJsonObject{};
        // Like an update through the API: uid and creationTimestamp survive, RV is the server's.
        if (!metadata.contains(u"uid"))
            metadata[u"uid"_s] =
                previous.contains(u"uid")
                    ? previous[u"uid"]
                    : QJsonValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
        if (!metadata.contains(u"creationTimestamp"))
            metadata[u"creationTimestamp"_s] =
                previous.contains(u"creationTimestamp")
                    ? previous[u"creationTimestamp"]
                    : QJsonValue(rfc3339(QDateTime::currentDateTimeUtc()));
        metadata[u"resourceVersion"_s] = QString::number(resourceVersion + 1);
        object[u"metadata"_s] = metadata;
        object.remove(u"kind"_s);
        object.remove(u"apiVersion"_s);
        stored.json = compact(object);
        return stored;
    }

    const StoredObject *find(int resource, const QByteArray &key) const
    {
        const auto &objects = collections[size_t(resource)];
        const auto it = std::lower_bound(objects.begin(), objects.end(), key, keyLess);
        return it != objects.end() && it->key == key ? &*it : nullptr;
    }

    // Stores `stored` (RV resourceVersion + 1), records the event and sends it to watchers.
    void store(int resource, StoredObject stored)
    {
        ++resourceVersion;
        auto &objects = collections[size_t(resource)];
        auto it = std::lower_bound(objects.begin(), objects.end(), stored.key, keyLess);
        QByteArray type;
        if (it != objects.end() && it->key == stored.key) {
            *it = stored;
            type = "MODIFIED";
        } else {
            objects.insert(it, stored);
            type = "ADDED";
        }
        publish(HistoryEvent{resourceVersion, resource, type, std::move(stored)});
    }

    bool remove(int resource, const QByteArray &key)
    {
        auto &objects = collections[size_t(resource)];
        auto it = std::lower_bound(objects.begin(), objects.end(), key, keyLess);
        if (it == objects.end() || it->key != key)
            return false;
        StoredObject last = *it;
        objects.erase(it);
        ++resourceVersion;
        // The DELETED event carries the object's last state at the deletion's resourceVersion.
        QJsonObject object = parseObject(last.json);
        QJsonObject metadata = object[u"metadata"].toObject();
        metadata[u"resourceVersion"_s] = QString::number(resourceVersion);
        object[u"metadata"_s] = metadata;
        last.json = compact(object);
        publish(HistoryEvent{resourceVersion, resource, "DELETED", std::move(last)});
        return true;
    }

    int loadObjects(const QByteArray &listJson)
    {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(listJson, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            qCWarning(lcTestApiServer) << "loadObjects: not JSON at offset" << parseError.offset
                                       << parseError.errorString();
            return -1;
        }
        const QJsonObject list = document.object();
        if (!list[u"kind"].toString().endsWith(u"List") || !list[u"items"].isArray()) {
            qCWarning(lcTestApiServer) << "loadObjects: expected a kind: List with items, got kind"
                                       << list[u"kind"].toString();
            return -1;
        }
        // Items of a typed list (PodList) may lack kind/apiVersion, as the real server sends them.
        QString itemKind = list[u"kind"].toString();
        itemKind.chop(4);
        const QString listApiVersion = list[u"apiVersion"].toString();
        int stored = 0;
        for (const QJsonValue &value : list[u"items"].toArray()) {
            QJsonObject item = value.toObject();
            if (!item.contains(u"kind") && !itemKind.isEmpty()) {
                item[u"kind"_s] = itemKind;
                item[u"apiVersion"_s] = listApiVersion;
            }
            int resource = -1;
            QString error;
            const auto object = normalize(item, &resource, &error);
            if (!object) {
                qCDebug(lcTestApiServer) << "loadObjects: skipped:" << error;
                continue;
            }
            store(resource, *object);
            ++stored;
        }
        return stored;
    }

    void addSyntheticPods(int count, int namespaces)
    {
        namespaces = std::max(1, namespaces);
        const int nsIndex = resourceIndexForPlural(types(), u"namespaces"_s);
        const int podIndex = resourceIndexForPlural(types(), u"pods"_s);
        for (int n = 0; n < namespaces; ++n) {
            const QString ns = u"bench-%1"_s.arg(n, 3, 10, QChar(u'0'));
            const QJsonObject object{
                {u"apiVersion"_s, u"v1"_s},
                {u"kind"_s, u"Namespace"_s},
                {u"metadata"_s, QJsonObject{{u"name"_s, ns}}},
                {u"spec"_s, QJsonObject{{u"finalizers"_s, QJsonArray{u"kubernetes"_s}}}},
                {u"status"_s, QJsonObject{{u"phase"_s, u"Active"_s}}}};
            int resource = nsIndex;
            QString error;
            if (const auto stored = normalize(object, &resource, &error))
                store(nsIndex, *stored);
        }
        // Namespace by namespace, so that each pod sorts in near the end of the collection.
        const int perNamespace = std::max(1, (count + namespaces - 1) / namespaces);
        for (int n = 0; n < count; ++n) {
            const int i = syntheticPodsMade++; // unique names across calls
            const QString ns = u"bench-%1"_s.arg(n / perNamespace, 3, 10, QChar(u'0'));
            const QString node = u"node-%1"_s.arg(i / 100, 5, 10, QChar(u'0'));
            QByteArray json = syntheticPod(i, ns, node);
            StoredObject stored;
            stored.ns = ns;
            const qsizetype nameStart = json.indexOf("\"name\":\"") + 8;
            stored.name =
                QString::fromUtf8(json.mid(nameStart, json.indexOf('"', nameStart) - nameStart));
            stored.key = ns.toUtf8() + '/' + stored.name.toUtf8();
            const QByteArray version =
                "\"resourceVersion\":\"" + QByteArray::number(resourceVersion + 1) + '"';
            json.replace("\"resourceVersion\":\"0\"", version);
            json.squeeze(); // toUtf8() leaves room for 3 bytes a character; 150,000 times
            stored.json = json;
            store(podIndex, std::move(stored));
        }
    }

    // --- connections ---

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *connection = new ApiConnection(this);
        auto *socket = new QSslSocket(connection);
        connection->socket = socket;
        if (!socket->setSocketDescriptor(descriptor)) {
            delete connection;
            return;
        }
        connections << connection;
        ++connectionsAccepted;
        socket->setSslConfiguration(serveWrongHost ? wrongHostSslConfiguration : sslConfiguration);
        QObject::connect(socket, &QSslSocket::sslErrors, connection,
                         [connection](const QList<QSslError> &errors) {
                             // kube-apiserver requests a client certificate but does not require
                             // one (a token may authenticate instead); a certificate that fails
                             // verification is an authentication failure (401), not a TLS alert.
                             for (const QSslError &error : errors) {
                                 if (error.error() != QSslError::NoPeerCertificate)
                                     connection->certificateRejected = true;
                             }
                             connection->socket->ignoreSslErrors();
                         });
        QObject::connect(socket, &QSslSocket::encrypted, connection, [connection] {
            const QSslCertificate certificate = connection->socket->peerCertificate();
            if (!connection->certificateRejected && !certificate.isNull())
                connection->certificateUser =
                    certificate.subjectInfo(QSslCertificate::CommonName).value(0);
        });
        QObject::connect(socket, &QIODevice::readyRead, connection, [this, connection] {
            connection->buffer += connection->socket->readAll();
            processBuffered(connection);
        });
        auto forget = [this, connection] {
            connections.removeOne(connection);
            connection->deleteLater();
        };
        QObject::connect(socket, &QAbstractSocket::disconnected, connection, forget);
        // A failed handshake may leave the socket unconnected without disconnected().
        QObject::connect(socket, &QAbstractSocket::errorOccurred, connection, [connection, forget] {
            if (connection->socket->state() == QAbstractSocket::UnconnectedState)
                forget();
        });
        socket->startServerEncryption();
    }

private:
    void processBuffered(ApiConnection *c)
    {
        while (!c->busy && c->socket->state() == QAbstractSocket::ConnectedState) {
            bool bad = false;
            std::optional<Request> request = takeRequest(c->buffer, &bad);
            if (bad) {
                c->closeAfterResponse = true;
                return respondRaw(c, 400, "text/plain; charset=utf-8", "400 Bad Request");
            }
            if (!request)
                return;
            c->busy = true;
            if (responseDelayMs > 0) {
                QTimer::singleShot(responseDelayMs, c,
                                   [this, c, r = std::move(*request)] { handle(c, r); });
                return;
            }
            handle(c, *request);
        }
    }

    void finishResponse(ApiConnection *c)
    {
        c->busy = false;
        if (c->closeAfterResponse) {
            c->socket->disconnectFromHost();
            return;
        }
        // Not re-entrant: the next pipelined request is answered from the event loop.
        QTimer::singleShot(0, c, [this, c] { processBuffered(c); });
    }

    QByteArray commonHeaders() const
    {
        const QString date = QLocale::c().toString(QDateTime::currentDateTimeUtc(),
                                                   u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s);
        return "Audit-Id: " + QUuid::createUuid().toByteArray(QUuid::WithoutBraces) +
               "\r\nCache-Control: no-cache, private\r\nDate: " + date.toLatin1() + "\r\n";
    }

    void respondRaw(ApiConnection *c, int code, const QByteArray &contentType,
                    const QByteArray &body)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(code) + ' ' + reasonPhrase(code) +
                          "\r\n" + commonHeaders() + "Content-Type: " + contentType +
                          "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        if (c->closeAfterResponse)
            head += "Connection: close\r\n";
        c->socket->write(head + "\r\n" + body);
        finishResponse(c);
    }

    void respondJson(ApiConnection *c, const QByteArray &body, int code = 200)
    {
        respondRaw(c, code, "application/json", body);
    }

    void respondJson(ApiConnection *c, const QJsonObject &body, int code = 200)
    {
        respondJson(c, compact(body), code);
    }

    void respondStatus(ApiConnection *c, int code, const QString &reason, const QString &message,
                       const QJsonObject &details = {}, const QJsonObject &listMeta = {})
    {
        respondJson(c, statusObject(code, reason, message, details, listMeta), code);
    }

    // --- requests ---

    void handle(ApiConnection *c, const Request &r)
    {
        log << QString::fromUtf8(r.method + ' ' + r.target);
        logPaths << r.path;
        const QByteArray authorization = r.headers.value("authorization");
        if (!authorization.isEmpty())
            authorizationHeaders << QString::fromUtf8(authorization);
        if (r.headers.value("connection").toLower() == "close")
            c->closeAfterResponse = true;

        if (r.path == u"/healthz" || r.path == u"/livez" || r.path == u"/readyz")
            return respondRaw(c, 200, "text/plain; charset=utf-8", "ok");

        QString user;
        if (!rejectCredentials) {
            if (!c->certificateUser.isEmpty())
                user = c->certificateUser;
            else if (bearerToken(authorization) == token && !token.isEmpty())
                user = kTokenUser;
        }
        if (user.isEmpty())
            return respondStatus(c, 401, u"Unauthorized"_s, u"Unauthorized"_s);

        if (r.method != "GET") {
            return respondStatus(c, 405, u"MethodNotAllowed"_s,
                                 u"the server does not allow this method on the requested "
                                 u"resource"_s);
        }
        if (r.path == u"/version" || r.path == u"/version/")
            return respondJson(c, versionInfo());
        if (r.path == u"/api" || r.path == u"/api/")
            return respondJson(c, apiVersions());
        if (r.path == u"/apis" || r.path == u"/apis/")
            return respondJson(c, apiGroupList());

        const QStringList segments = r.path.split(u'/', Qt::SkipEmptyParts);
        QString group;
        QString version;
        QStringList rest;
        if (segments.value(0) == u"api" && segments.size() >= 2) {
            version = segments[1];
            rest = segments.mid(2);
        } else if (segments.value(0) == u"apis" && segments.size() == 2) {
            const QJsonObject groupObject = apiGroup(segments[1]);
            if (groupObject.isEmpty())
                return notFoundPage(c);
            return respondJson(c, groupObject);
        } else if (segments.value(0) == u"apis" && segments.size() >= 3) {
            group = segments[1];
            version = segments[2];
            rest = segments.mid(3);
        } else {
            return notFoundPage(c);
        }
        if (rest.isEmpty()) {
            const QJsonObject resources = resourceList(group, version);
            if (resources.isEmpty())
                return notFoundPage(c);
            return respondJson(c, resources);
        }

        QString ns;
        QString plural;
        QString name;
        if (rest.size() >= 3 && rest[0] == u"namespaces" && rest.size() <= 4) {
            ns = rest[1];
            plural = rest[2];
            name = rest.value(3);
        } else if (rest.size() <= 2) {
            plural = rest[0];
            name = rest.value(1);
        } else {
            return notFoundPage(c);
        }
        const int resource = resourceIndex(types(), group, version, plural);
        if (resource < 0)
            return notFoundPage(c);
        const ResourceType &type = types()[size_t(resource)];
        // Namespaced objects are addressed inside their namespace; cluster-scoped never are.
        if ((!ns.isEmpty() && !type.namespaced) ||
            (ns.isEmpty() && type.namespaced && !name.isEmpty()))
            return notFoundPage(c);

        const bool watch = queryTrue(r, u"watch"_s);
        const QString verb = !name.isEmpty() ? u"get"_s : watch ? u"watch"_s : u"list"_s;
        if (forbidden.contains(type.plural)) {
            QString message = name.isEmpty()
                                  ? u"%1 is forbidden: "_s.arg(type.qualified())
                                  : u"%1 \"%2\" is forbidden: "_s.arg(type.qualified(), name);
            message += u"User \"%1\" cannot %2 resource \"%3\" in API group \"%4\" "_s.arg(
                user, verb, type.plural, type.group);
            message +=
                ns.isEmpty() ? u"at the cluster scope"_s : u"in the namespace \"%1\""_s.arg(ns);
            QJsonObject details{{u"kind"_s, type.plural}};
            if (!type.group.isEmpty())
                details[u"group"_s] = type.group;
            if (!name.isEmpty())
                details[u"name"_s] = name;
            return respondStatus(c, 403, u"Forbidden"_s, message, details);
        }

        Selectors selectors;
        QString error;
        if (const QString labels = queryValue(r, u"labelSelector"_s); !labels.isEmpty()) {
            const auto parsed = parseLabelSelector(labels, &error);
            if (!parsed)
                return respondStatus(c, 400, u"BadRequest"_s, error);
            selectors.labels = *parsed;
        }
        if (const QString fields = queryValue(r, u"fieldSelector"_s); !fields.isEmpty()) {
            const auto parsed = parseFieldSelector(fields, type, &error);
            if (!parsed)
                return respondStatus(c, 400, u"BadRequest"_s, error);
            selectors.fields = *parsed;
        }

        if (!name.isEmpty())
            return getObject(c, r, resource, ns, name);
        if (watch)
            return startWatch(c, r, resource, ns, selectors);
        return listObjects(c, r, resource, ns, selectors);
    }

    void notFoundPage(ApiConnection *c)
    {
        // What kube-apiserver's mux answers for a path no handler serves.
        respondRaw(c, 404, "text/plain; charset=utf-8", "404 page not found\n");
    }

    void getObject(ApiConnection *c, const Request &r, int resource, const QString &ns,
                   const QString &name)
    {
        const ResourceType &type = types()[size_t(resource)];
        const QByteArray key = ns.isEmpty() ? name.toUtf8() : ns.toUtf8() + '/' + name.toUtf8();
        const StoredObject *object = find(resource, key);
        if (!object) {
            QJsonObject details{{u"name"_s, name}, {u"kind"_s, type.plural}};
            if (!type.group.isEmpty())
                details[u"group"_s] = type.group;
            return respondStatus(c, 404, u"NotFound"_s,
                                 u"%1 \"%2\" not found"_s.arg(type.qualified(), name), details);
        }
        if (wantsTable(r)) {
            QJsonObject table = tableHeader(type, QString::number(resourceVersion));
            table[u"rows"_s] =
                QJsonArray{tableRow(type, *object, queryValue(r, u"includeObject"_s))};
            return respondJson(c, table);
        }
        respondJson(c, withKind(type, object->json));
    }

    QJsonObject tableHeader(const ResourceType &type, const QString &listResourceVersion) const
    {
        return {{u"kind"_s, u"Table"_s},
                {u"apiVersion"_s, u"meta.k8s.io/v1"_s},
                {u"metadata"_s, QJsonObject{{u"resourceVersion"_s, listResourceVersion}}},
                {u"columnDefinitions"_s, columnsFor(type)}};
    }

    void listObjects(ApiConnection *c, const Request &r, int resource, const QString &ns,
                     const Selectors &selectors)
    {
        const ResourceType &type = types()[size_t(resource)];
        const auto &objects = collections[size_t(resource)];
        const QByteArray prefixBegin = ns.isEmpty() ? QByteArray() : ns.toUtf8() + '/';
        const QByteArray prefixEnd = ns.isEmpty() ? QByteArray() : ns.toUtf8() + '0'; // '/'+1
        auto begin = ns.isEmpty()
                         ? objects.begin()
                         : std::lower_bound(objects.begin(), objects.end(), prefixBegin, keyLess);
        const auto end = ns.isEmpty()
                             ? objects.end()
                             : std::lower_bound(objects.begin(), objects.end(), prefixEnd, keyLess);

        qint64 listResourceVersion = resourceVersion;
        if (const QString continueToken = queryValue(r, u"continue"_s); !continueToken.isEmpty()) {
            if (!queryValue(r, u"resourceVersion"_s).isEmpty()) {
                return respondStatus(c, 400, u"BadRequest"_s,
                                     u"specifying resource version is not allowed when using "
                                     u"continue"_s);
            }
            QString error;
            const auto decoded = decodeContinue(continueToken, &error);
            if (!decoded)
                return respondStatus(c, 400, u"BadRequest"_s, error);
            if (decoded->resourceVersion < continueMinimumResourceVersion) {
                // As kube-apiserver does after etcd compaction: 410 with a token that continues
                // the list inconsistently, at the current resourceVersion.
                QByteArray start = decoded->start;
                start.chop(1);
                return respondStatus(
                    c, 410, u"Expired"_s,
                    u"The provided continue parameter is too old to display a consistent list "
                    u"result. You can start a new list without the continue parameter, or use "
                    u"the continue token in this response to retrieve the remainder of the "
                    u"results. Continuing with the provided token results in an inconsistent "
                    u"list - objects that were created, modified, or deleted between the time "
                    u"the first chunk was returned and now may show up in the list."_s,
                    {}, QJsonObject{{u"continue"_s, encodeContinue(resourceVersion, start)}});
            }
            listResourceVersion = decoded->resourceVersion;
            begin = std::lower_bound(begin, end, decoded->start, keyLess);
        }

        qsizetype limit = queryValue(r, u"limit"_s).toLongLong();
        if (limit <= 0)
            limit = std::numeric_limits<qsizetype>::max();
        if (options.pageLimitCap > 0)
            limit = std::min<qsizetype>(limit, options.pageLimitCap);

        std::vector<const StoredObject *> page;
        auto it = begin;
        for (; it != end && qsizetype(page.size()) < limit; ++it) {
            if (selected(selectors, *it))
                page.push_back(&*it);
        }
        // More to come when another matching object follows the page.
        while (it != end && !selected(selectors, *it))
            ++it;
        QJsonObject listMeta{{u"resourceVersion"_s, QString::number(listResourceVersion)}};
        if (it != end && !page.empty()) {
            listMeta[u"continue"_s] = encodeContinue(listResourceVersion, page.back()->key);
            if (selectors.empty())
                listMeta[u"remainingItemCount"_s] = qint64(end - it);
        }

        if (wantsTable(r)) {
            QJsonObject table = tableHeader(type, QString::number(listResourceVersion));
            table[u"metadata"_s] = listMeta;
            QJsonArray rows;
            const QString includeObject = queryValue(r, u"includeObject"_s);
            for (const StoredObject *object : page)
                rows.append(tableRow(type, *object, includeObject));
            table[u"rows"_s] = rows;
            return respondJson(c, table);
        }
        qsizetype size = 256;
        for (const StoredObject *object : page)
            size += object->json.size() + 1;
        QByteArray body;
        body.reserve(size);
        // Field order as kube-apiserver writes it (QJsonObject would sort the keys).
        body += "{\"kind\":\"" + type.kind.toUtf8() + "List\",\"apiVersion\":\"" +
                type.groupVersion().toUtf8() + "\",\"metadata\":{\"resourceVersion\":\"" +
                QByteArray::number(listResourceVersion) + '"';
        if (listMeta.contains(u"continue"))
            body += ",\"continue\":\"" + listMeta[u"continue"].toString().toLatin1() + '"';
        if (listMeta.contains(u"remainingItemCount"))
            body += ",\"remainingItemCount\":" +
                    QByteArray::number(listMeta[u"remainingItemCount"].toInteger());
        body += "},\"items\":[";
        for (size_t i = 0; i < page.size(); ++i) {
            if (i > 0)
                body += ',';
            body += page[i]->json;
        }
        body += "]}";
        respondJson(c, body);
    }

    // --- watches ---

    void writeChunk(ApiConnection *c, const QByteArray &data)
    {
        c->socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    }

    QByteArray eventLine(const ApiConnection *c, const QByteArray &type,
                         const StoredObject &object) const
    {
        const ResourceType &resourceType = types()[size_t(c->watchResource)];
        QByteArray encoded;
        if (c->watchTable) {
            QJsonObject table = tableHeader(
                resourceType,
                parseObject(object.json)[u"metadata"].toObject()[u"resourceVersion"].toString());
            table[u"rows"_s] = QJsonArray{tableRow(resourceType, object, c->watchIncludeObject)};
            encoded = compact(table);
        } else {
            encoded = withKind(resourceType, object.json);
        }
        return "{\"type\":\"" + type + "\",\"object\":" + encoded + "}\n";
    }

    bool watches(const ApiConnection *c, const HistoryEvent &event) const
    {
        return c->watching && c->watchResource == event.resource &&
               (c->watchNamespace.isEmpty() || c->watchNamespace == event.object.ns) &&
               selected(c->watchSelectors, event.object);
    }

    void publish(HistoryEvent event)
    {
        for (ApiConnection *c : std::as_const(connections)) {
            if (watches(c, event))
                writeChunk(c, eventLine(c, event.type, event.object));
        }
        history.push_back(std::move(event));
    }

    void startWatch(ApiConnection *c, const Request &r, int resource, const QString &ns,
                    const Selectors &selectors)
    {
        const QString fromText = queryValue(r, u"resourceVersion"_s);
        bool numeric = true;
        const qint64 from = fromText.isEmpty() ? 0 : fromText.toLongLong(&numeric);
        if (!numeric) {
            return respondStatus(c, 400, u"BadRequest"_s,
                                 u"resourceVersion: Invalid value: \"%1\": strconv.ParseUint: "
                                 u"parsing \"%1\": invalid syntax"_s.arg(fromText));
        }
        c->watching = true;
        c->watchResource = resource;
        c->watchNamespace = ns;
        c->watchSelectors = selectors;
        c->watchTable = wantsTable(r);
        c->watchIncludeObject = queryValue(r, u"includeObject"_s);
        c->socket->write("HTTP/1.1 200 OK\r\n" + commonHeaders() +
                         "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");

        if (from > 0 && from < compactedResourceVersion) {
            // kube-apiserver's watch cache answers 200 and then one ERROR event.
            const QJsonObject status = statusObject(
                410, u"Expired"_s,
                u"too old resource version: %1 (%2)"_s.arg(from).arg(compactedResourceVersion));
            writeChunk(c, "{\"type\":\"ERROR\",\"object\":" + compact(status) + "}\n");
            return endWatch(c);
        }
        if (from == 0) {
            // "Start at most recent" / "any": synthetic ADDED events for the current state.
            for (const StoredObject &object : collections[size_t(resource)]) {
                HistoryEvent synthetic{0, resource, "ADDED", object};
                if (watches(c, synthetic))
                    writeChunk(c, eventLine(c, synthetic.type, object));
            }
        } else {
            const auto first = std::upper_bound(
                history.begin(), history.end(), from,
                [](qint64 rv, const HistoryEvent &event) { return rv < event.resourceVersion; });
            for (auto it = first; it != history.end(); ++it) {
                if (watches(c, *it))
                    writeChunk(c, eventLine(c, it->type, it->object));
            }
        }

        if (queryTrue(r, u"allowWatchBookmarks"_s) && !c->watchTable) {
            c->bookmarkTimer = new QTimer(c);
            c->bookmarkTimer->setInterval(bookmarkIntervalMs);
            QObject::connect(c->bookmarkTimer, &QTimer::timeout, c, [this, c] {
                const ResourceType &type = types()[size_t(c->watchResource)];
                writeChunk(c, "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" +
                                  type.kind.toUtf8() + "\",\"apiVersion\":\"" +
                                  type.groupVersion().toUtf8() +
                                  "\",\"metadata\":{\"resourceVersion\":\"" +
                                  QByteArray::number(resourceVersion) +
                                  "\",\"creationTimestamp\":null}}}\n");
            });
            c->bookmarkTimer->start();
        }
        int timeoutSeconds = queryValue(r, u"timeoutSeconds"_s).toInt();
        if (timeoutSeconds <= 0)
            timeoutSeconds = kDefaultWatchTimeoutSeconds;
        c->watchTimeout = new QTimer(c);
        c->watchTimeout->setSingleShot(true);
        QObject::connect(c->watchTimeout, &QTimer::timeout, c, [this, c] { endWatch(c); });
        c->watchTimeout->start(timeoutSeconds * 1000);
    }

    void stopWatchTimers(ApiConnection *c)
    {
        delete c->bookmarkTimer;
        c->bookmarkTimer = nullptr;
        delete c->watchTimeout;
        c->watchTimeout = nullptr;
        c->watching = false;
    }

    // A watch that ends normally: the terminating chunk, and the connection is reusable.
    void endWatch(ApiConnection *c)
    {
        stopWatchTimers(c);
        c->socket->write("0\r\n\r\n");
        finishResponse(c);
    }

public:
    // What a server's idle timeout does to kept-alive connections between requests.
    void closeIdleConnections()
    {
        const QList<ApiConnection *> all = connections; // disconnected() edits `connections`
        for (ApiConnection *c : all) {
            if (!c->busy && !c->watching)
                c->socket->disconnectFromHost();
        }
    }

    void dropWatchConnections()
    {
        const QList<ApiConnection *> all = connections; // disconnected() edits `connections`
        for (ApiConnection *c : all) {
            if (!c->watching)
                continue;
            stopWatchTimers(c);
            c->socket->disconnectFromHost(); // mid-stream: no terminating chunk
        }
    }

    void setBookmarkInterval(int ms)
    {
        bookmarkIntervalMs = ms;
        for (ApiConnection *c : std::as_const(connections)) {
            if (c->bookmarkTimer)
                c->bookmarkTimer->setInterval(ms);
        }
    }

    QJsonObject versionInfo() const
    {
        return {{u"major"_s, u"1"_s},
                {u"minor"_s, u"32"_s},
                {u"gitVersion"_s, u"v1.32.0"_s},
                {u"gitCommit"_s, u"70d3cc986aa8221cd1dfb1121852688902d3bf53"_s},
                {u"gitTreeState"_s, u"clean"_s},
                {u"buildDate"_s, u"2024-12-11T17:59:15Z"_s},
                {u"goVersion"_s, u"go1.23.3"_s},
                {u"compiler"_s, u"gc"_s},
                {u"platform"_s, u"linux/amd64"_s}};
    }

    QJsonObject apiVersions() const
    {
        return {
            {u"kind"_s, u"APIVersions"_s},
            {u"versions"_s, QJsonArray{u"v1"_s}},
            {u"serverAddressByClientCIDRs"_s,
             QJsonArray{QJsonObject{{u"clientCIDR"_s, u"0.0.0.0/0"_s},
                                    {u"serverAddress"_s, u"127.0.0.1:%1"_s.arg(serverPort())}}}}};
    }

    QJsonObject apiGroup(const QString &group) const
    {
        for (const ResourceType &type : types()) {
            if (type.group != group || group.isEmpty())
                continue;
            const QJsonObject version{{u"groupVersion"_s, type.groupVersion()},
                                      {u"version"_s, type.version}};
            return {{u"kind"_s, u"APIGroup"_s},
                    {u"apiVersion"_s, u"v1"_s},
                    {u"name"_s, group},
                    {u"versions"_s, QJsonArray{version}},
                    {u"preferredVersion"_s, version}};
        }
        return {};
    }

    QJsonObject apiGroupList() const
    {
        QJsonArray groups;
        QStringList seen;
        for (const ResourceType &type : types()) {
            if (type.group.isEmpty() || seen.contains(type.group))
                continue;
            seen << type.group;
            QJsonObject group = apiGroup(type.group);
            group.remove(u"kind"_s);
            group.remove(u"apiVersion"_s);
            groups.append(group);
        }
        return {{u"kind"_s, u"APIGroupList"_s}, {u"apiVersion"_s, u"v1"_s}, {u"groups"_s, groups}};
    }

    QJsonObject resourceList(const QString &group, const QString &version) const
    {
        QJsonArray resources;
        for (const ResourceType &type : types()) {
            if (type.group != group || type.version != version)
                continue;
            QJsonObject resource{{u"name"_s, type.plural},
                                 {u"singularName"_s, type.singular},
                                 {u"namespaced"_s, type.namespaced},
                                 {u"kind"_s, type.kind},
                                 // Only what this server answers: reads.
                                 {u"verbs"_s, QJsonArray{u"get"_s, u"list"_s, u"watch"_s}}};
            if (!type.shortNames.isEmpty())
                resource[u"shortNames"_s] = QJsonArray::fromStringList(type.shortNames);
            if (!type.categories.isEmpty())
                resource[u"categories"_s] = QJsonArray::fromStringList(type.categories);
            resources.append(resource);
        }
        if (resources.isEmpty())
            return {};
        QJsonObject list{{u"kind"_s, u"APIResourceList"_s},
                         {u"groupVersion"_s, group.isEmpty() ? version : group + u'/' + version},
                         {u"resources"_s, resources}};
        if (!group.isEmpty())
            list[u"apiVersion"_s] = u"v1"_s;
        return list;
    }
};

// ---------------------------------------------------------------------------------------------

template <typename F> auto TestApiServer::onServerThread(F &&function) const
{
    using R = std::invoke_result_t<F>;
    if constexpr (std::is_void_v<R>) {
        QMetaObject::invokeMethod(m_core, std::forward<F>(function), Qt::BlockingQueuedConnection);
    } else {
        R result{};
        QMetaObject::invokeMethod(
            m_core, [&result, &function] { result = function(); }, Qt::BlockingQueuedConnection);
        return result;
    }
}

TestApiServer::TestApiServer()
    : TestApiServer(Options{})
{}

TestApiServer::TestApiServer(Options options)
    : m_certificateDir(std::make_unique<QTemporaryDir>())
    , m_thread(std::make_unique<QThread>())
    , m_core(new ApiServerCore)
{
    m_core->options = options;
    QByteArray token(24, Qt::Uninitialized);
    for (char &c : token)
        c = char(QRandomGenerator::global()->bounded(256));
    m_core->token = QString::fromLatin1(token.toBase64(QByteArray::Base64UrlEncoding));
    m_core->moveToThread(m_thread.get());
    m_thread->setObjectName(u"TestApiServer"_s);
    m_thread->start();
}

TestApiServer::~TestApiServer()
{
    onServerThread([this] { m_core->shutdown(); });
    QObject::connect(m_thread.get(), &QThread::finished, m_core, &QObject::deleteLater);
    m_thread->quit();
    m_thread->wait();
}

Status TestApiServer::runOpenssl(const QStringList &arguments) const
{
    QProcess openssl;
    openssl.setWorkingDirectory(m_certificateDir->path());
    openssl.start(u"openssl"_s, arguments);
    if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        return Error{ErrorCode::WriteFailed,
                     m_certificateDir->path(),
                     0,
                     0,
                     {},
                     u"certificates made by `openssl %1`"_s.arg(arguments.join(u' ')),
                     openssl.error() == QProcess::FailedToStart
                         ? u"openssl could not be started (is it installed?)"_s
                         : QString::fromLocal8Bit(openssl.readAllStandardError()).trimmed()};
    }
    return Success{};
}

Status TestApiServer::generateCertificates() const
{
    if (!m_certificateDir->isValid()) {
        return Error{ErrorCode::WriteFailed,     m_certificateDir->path(),       0, 0, {},
                     u"a temporary directory"_s, m_certificateDir->errorString()};
    }
    const QDir dir(m_certificateDir->path());
    const QByteArray config = R"([ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ server_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
[ wrong_host_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong-host.invalid
[ client_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
[ ca ]
default_ca = test_ca
[ test_ca ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any_policy
unique_subject = no
[ any_policy ]
organizationName = optional
commonName = supplied
)";
    for (const auto &[file, content] :
         {std::pair{u"openssl.cnf"_s, config}, std::pair{u"index.txt"_s, QByteArray()},
          std::pair{u"serial"_s, QByteArray("1000\n")}}) {
        QFile out(dir.filePath(file));
        if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size()) {
            return Error{ErrorCode::WriteFailed, out.fileName(),   0, 0, {},
                         u"a writable file"_s,   out.errorString()};
        }
    }
    const QStringList newKey = {u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                                u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};
    const QStringList configArgs = {u"-config"_s, u"openssl.cnf"_s};
    auto selfSigned = [&](const QString &base, const QString &subject) {
        return runOpenssl(QStringList{u"req"_s, u"-x509"_s} + configArgs + newKey +
                          QStringList{u"-keyout"_s, base + u".key"_s, u"-out"_s, base + u".crt"_s,
                                      u"-days"_s, u"3650"_s, u"-subj"_s, subject, u"-extensions"_s,
                                      u"ca_ext"_s});
    };
    auto request = [&](const QString &base, const QString &subject) {
        return runOpenssl(QStringList{u"req"_s, u"-new"_s} + configArgs + newKey +
                          QStringList{u"-keyout"_s, base + u".key"_s, u"-out"_s, base + u".csr"_s,
                                      u"-subj"_s, subject});
    };
    int serial = 1;
    auto sign = [&](const QString &base, const QString &extensions) {
        return runOpenssl({u"x509"_s, u"-req"_s, u"-in"_s, base + u".csr"_s, u"-CA"_s, u"ca.crt"_s,
                           u"-CAkey"_s, u"ca.key"_s, u"-set_serial"_s, QString::number(serial++),
                           u"-days"_s, u"365"_s, u"-sha256"_s, u"-extfile"_s, u"openssl.cnf"_s,
                           u"-extensions"_s, extensions, u"-out"_s, base + u".crt"_s});
    };
    for (const Status &step : {selfSigned(u"ca"_s, u"/CN=cartograph-test-ca"_s),
                               selfSigned(u"other-ca"_s, u"/CN=cartograph-untrusted-ca"_s)}) {
        if (!step)
            return step;
    }
    const std::initializer_list<std::tuple<QString, QString, QString>> signedByCa = {
        {u"server"_s, u"/CN=kube-apiserver"_s, u"server_ext"_s},
        {u"wrong-host"_s, u"/CN=wrong-host.invalid"_s, u"wrong_host_ext"_s},
        {u"client"_s, u"/O=system:masters/CN=admin"_s, u"client_ext"_s},
    };
    for (const auto &[base, subject, extensions] : signedByCa) {
        if (Status s = request(base, subject); !s)
            return s;
        if (Status s = sign(base, extensions); !s)
            return s;
    }
    // `openssl x509` cannot back-date; `openssl ca` can set both ends of the validity period.
    if (Status s = request(u"expired-client"_s, u"/O=system:masters/CN=admin"_s); !s)
        return s;
    return runOpenssl(QStringList{u"ca"_s, u"-batch"_s, u"-notext"_s, u"-preserveDN"_s} +
                      configArgs +
                      QStringList{u"-cert"_s, u"ca.crt"_s, u"-keyfile"_s, u"ca.key"_s, u"-in"_s,
                                  u"expired-client.csr"_s, u"-out"_s, u"expired-client.crt"_s,
                                  u"-startdate"_s, u"20200101000000Z"_s, u"-enddate"_s,
                                  u"20210101000000Z"_s, u"-extensions"_s, u"client_ext"_s});
}

Status TestApiServer::start(quint16 port)
{
    if (Status s = generateCertificates(); !s)
        return s;
    const QDir dir(m_certificateDir->path());
    auto readFile = [&](const QString &name) {
        QFile file(dir.filePath(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    auto configuration = [&](const QString &base) {
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setLocalCertificate(QSslCertificate(readFile(base + u".crt"_s), QSsl::Pem));
        c.setPrivateKey(QSslKey(readFile(base + u".key"_s), QSsl::Ec, QSsl::Pem));
        c.setCaCertificates(QSslCertificate::fromData(readFile(u"ca.crt"_s), QSsl::Pem));
        // Ask for a client certificate and verify it against our CA; sslErrors decides.
        c.setPeerVerifyMode(QSslSocket::VerifyPeer);
        c.setProtocol(QSsl::TlsV1_2OrLater);
        return c;
    };
    const QSslConfiguration server = configuration(u"server"_s);
    const QSslConfiguration wrongHost = configuration(u"wrong-host"_s);
    if (server.localCertificate().isNull() || server.privateKey().isNull()) {
        return Error{ErrorCode::InvalidValue,
                     dir.filePath(u"server.crt"_s),
                     0,
                     0,
                     {},
                     u"a PEM certificate and EC key Qt can load"_s,
                     u"Qt could not load them"_s};
    }
    QString listenError;
    const bool listening = onServerThread([&] {
        m_core->sslConfiguration = server;
        m_core->wrongHostSslConfiguration = wrongHost;
        if (!m_core->listen(QHostAddress::LocalHost, port)) {
            listenError = m_core->errorString();
            return false;
        }
        return true;
    });
    if (!listening) {
        return Error{ErrorCode::InvalidValue,
                     u"127.0.0.1:%1"_s.arg(port),
                     0,
                     0,
                     {},
                     u"a port to listen on"_s,
                     listenError};
    }
    m_port = onServerThread([this] { return m_core->serverPort(); });
    qCDebug(lcTestApiServer) << "listening on" << url();
    return Success{};
}

QUrl TestApiServer::url() const
{
    return QUrl(u"https://127.0.0.1:%1"_s.arg(m_port));
}

QString TestApiServer::caFile() const
{
    return m_certificateDir->filePath(u"ca.crt"_s);
}
QString TestApiServer::clientCertFile() const
{
    return m_certificateDir->filePath(u"client.crt"_s);
}
QString TestApiServer::clientKeyFile() const
{
    return m_certificateDir->filePath(u"client.key"_s);
}
QString TestApiServer::expiredClientCertFile() const
{
    return m_certificateDir->filePath(u"expired-client.crt"_s);
}
QString TestApiServer::expiredClientKeyFile() const
{
    return m_certificateDir->filePath(u"expired-client.key"_s);
}
QString TestApiServer::otherCaFile() const
{
    return m_certificateDir->filePath(u"other-ca.crt"_s);
}

void TestApiServer::setServeWrongHostnameCertificate(bool wrong)
{
    onServerThread([this, wrong] { m_core->serveWrongHost = wrong; });
}

QString TestApiServer::token() const
{
    return onServerThread([this] { return m_core->token; });
}

void TestApiServer::setToken(const QString &token)
{
    onServerThread([this, token] { m_core->token = token; });
}

QString TestApiServer::writeKubeconfig(const QString &path, const QString &context,
                                       bool embedCredentials) const
{
    auto field = [&](const QString &name, const QString &file) -> QByteArray {
        if (!embedCredentials)
            return name.toUtf8() + ": " + file.toUtf8();
        QFile in(file);
        const QByteArray data = in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
        return name.toUtf8() + "-data: " + data.toBase64();
    };
    const QByteArray name = context.toUtf8();
    const QByteArray yaml =
        "apiVersion: v1\nkind: Config\nclusters:\n- name: " + name +
        "\n  cluster:\n    server: " + url().toString().toUtf8() + "\n    " +
        field(u"certificate-authority"_s, caFile()) + "\nusers:\n- name: " + name +
        "-admin\n  user:\n    " + field(u"client-certificate"_s, clientCertFile()) + "\n    " +
        field(u"client-key"_s, clientKeyFile()) + "\ncontexts:\n- name: " + name +
        "\n  context:\n    cluster: " + name + "\n    user: " + name +
        "-admin\ncurrent-context: " + name + "\npreferences: {}\n";
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(yaml);
    return file.commit() ? path : QString();
}

int TestApiServer::loadObjects(const QByteArray &listJson)
{
    return onServerThread([&] { return m_core->loadObjects(listJson); });
}

void TestApiServer::addSyntheticPods(int count, int namespaces)
{
    onServerThread([&] { m_core->addSyntheticPods(count, namespaces); });
}

QString TestApiServer::upsertObject(const QByteArray &objectJson)
{
    return onServerThread([&] {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(objectJson, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            qCWarning(lcTestApiServer)
                << "upsertObject: not a JSON object:" << parseError.errorString() << "at"
                << parseError.offset;
            return QString();
        }
        int resource = -1;
        QString error;
        const auto stored = m_core->normalize(document.object(), &resource, &error);
        if (!stored) {
            qCWarning(lcTestApiServer).noquote() << "upsertObject:" << error;
            return QString();
        }
        m_core->store(resource, *stored);
        return QString::number(m_core->resourceVersion);
    });
}

bool TestApiServer::deleteObject(const QString &resource, const QString &ns, const QString &name)
{
    return onServerThread([&] {
        const int index = resourceIndexForPlural(m_core->types(), resource);
        if (index < 0)
            return false;
        const QByteArray key = ns.isEmpty() ? name.toUtf8() : ns.toUtf8() + '/' + name.toUtf8();
        return m_core->remove(index, key);
    });
}

int TestApiServer::objectCount(const QString &resource) const
{
    return onServerThread([&] {
        const int index = resourceIndexForPlural(m_core->types(), resource);
        return index < 0 ? 0 : int(m_core->collections[size_t(index)].size());
    });
}

QString TestApiServer::currentResourceVersion() const
{
    return onServerThread([this] { return QString::number(m_core->resourceVersion); });
}

void TestApiServer::setForbidden(const QString &resource, bool forbidden)
{
    onServerThread([&] {
        if (forbidden)
            m_core->forbidden.insert(resource);
        else
            m_core->forbidden.remove(resource);
    });
}

void TestApiServer::setRejectCredentials(bool reject)
{
    onServerThread([&] { m_core->rejectCredentials = reject; });
}

void TestApiServer::expireContinueTokens()
{
    onServerThread([this] {
        // Like an etcd compaction: every token issued at or before now is too old.
        ++m_core->resourceVersion;
        m_core->continueMinimumResourceVersion = m_core->resourceVersion;
    });
}

void TestApiServer::compactHistory()
{
    onServerThread([this] {
        m_core->compactedResourceVersion = m_core->resourceVersion;
        m_core->history.clear();
    });
}

void TestApiServer::closeIdleConnections()
{
    onServerThread([this] { m_core->closeIdleConnections(); });
}

int TestApiServer::connectionsAccepted() const
{
    return onServerThread([this] { return m_core->connectionsAccepted; });
}

void TestApiServer::dropWatchConnections()
{
    onServerThread([this] { m_core->dropWatchConnections(); });
}

void TestApiServer::setResponseDelayMs(int ms)
{
    onServerThread([&] { m_core->responseDelayMs = ms; });
}

void TestApiServer::setBookmarkIntervalMs(int ms)
{
    onServerThread([&] { m_core->setBookmarkInterval(ms); });
}

int TestApiServer::requestCount(const QString &pathPrefix) const
{
    return onServerThread([&] {
        return int(std::count_if(m_core->logPaths.begin(), m_core->logPaths.end(),
                                 [&](const QString &p) { return p.startsWith(pathPrefix); }));
    });
}

QStringList TestApiServer::requestLog() const
{
    return onServerThread([this] { return m_core->log; });
}

QStringList TestApiServer::authorizationHeadersSeen() const
{
    return onServerThread([this] { return m_core->authorizationHeaders; });
}

int TestApiServer::openWatchCount() const
{
    return onServerThread([this] { return m_core->openWatchCount(); });
}

void TestApiServer::clearRequestLog()
{
    onServerThread([this] {
        m_core->log.clear();
        m_core->logPaths.clear();
        m_core->authorizationHeaders.clear();
    });
}

} // namespace cartograph::testing
