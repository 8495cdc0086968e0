#include "ObjectReader.h"

#include <QCoreApplication>
#include <algorithm>
#include <vector>

namespace cartograph::detail {

using json = ItemValue;

QString JsonPath::toString() const
{
    std::vector<const JsonPath *> chain;
    for (const JsonPath *p = this; p; p = p->parent)
        chain.push_back(p);
    QString text;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const JsonPath *p = *it;
        if (p->index >= 0) {
            text += u'[' + QString::number(p->index) + u']';
        } else if (p->key || !p->keyView.empty()) {
            const QString name =
                p->key ? QString::fromUtf8(p->key)
                       : QString::fromUtf8(p->keyView.data(), qsizetype(p->keyView.size()));
            if (!text.isEmpty())
                text += u'.';
            text += name;
        }
    }
    return text;
}

namespace {
// Size first, then bytes: this runs for every key of a 300 MB file.
bool oneOf(std::string_view view, std::initializer_list<std::string_view> candidates)
{
    for (std::string_view candidate : candidates) {
        if (view.size() == candidate.size() && view == candidate)
            return true;
    }
    return false;
}
} // namespace

bool isIgnoredSubtree(std::string_view parent, std::string_view key)
{
    // Only the members the Reader below reads are built; everything else in these structural
    // objects (creationTimestamp, dnsPolicy, containerStatuses, managedFields, probes …) is
    // skipped while tokenizing. Keep these lists in step with the Reader.
    using namespace std::string_view_literals;
    if (parent == "metadata"sv)
        return !oneOf(key, {"name"sv, "namespace"sv, "uid"sv, "labels"sv, "annotations"sv,
                            "ownerReferences"sv});
    if (parent == "spec"sv) {
        return !oneOf(
            key, {"containers"sv,  "initContainers"sv, "nodeName"sv,      "hostNetwork"sv,
                  "podCIDR"sv,     "podCIDRs"sv,       "unschedulable"sv, "taints"sv,
                  "type"sv,        "clusterIP"sv,      "clusterIPs"sv,    "ports"sv,
                  "selector"sv,    "externalName"sv,   "externalIPs"sv,   "externalTrafficPolicy"sv,
                  "podSelector"sv, "ingress"sv,        "egress"sv,        "policyTypes"sv,
                  "template"sv});
    }
    if (parent == "status"sv) {
        return !oneOf(key,
                      {"phase"sv, "conditions"sv, "addresses"sv, "nodeInfo"sv, "hostIP"sv,
                       "podIP"sv, "podIPs"sv, "loadBalancer"sv, "desiredNumberScheduled"sv,
                       "numberReady"sv, "staticPodPath"sv, "cni"sv, "interfaces"sv, "routes"sv});
    }
    if (parent == "containers"sv || parent == "initContainers"sv ||
        parent == "ephemeralContainers"sv)
        return !oneOf(key, {"name"sv, "image"sv, "ports"sv});
    if (parent == "conditions"sv) {
        return !oneOf(key, {"type"sv, "status"sv, "reason"sv, "message"sv, "lastHeartbeatTime"sv,
                            "ready"sv, "serving"sv, "terminating"sv});
    }
    if (parent == "template"sv)
        return !oneOf(key, {"spec"sv});
    if (parent == "nodeInfo"sv) {
        return !oneOf(
            key, {"kubeletVersion"sv, "osImage"sv, "containerRuntimeVersion"sv, "architecture"sv});
    }
    // Annotations can be large (kubectl's last-applied-configuration); two are read.
    if (parent == "annotations"sv)
        return !oneOf(key, {"kubernetes.io/config.mirror"sv, "kubernetes.io/config.source"sv});
    return false;
}

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::ObjectReader", text);
}

QString qstring(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

struct ReadFailure
{
    Error error;
};

const char *typeName(const json &value)
{
    switch (value.type()) {
    case ItemValue::Type::Null:
        return "null";
    case ItemValue::Type::Object:
        return "an object";
    case ItemValue::Type::Array:
        return "an array";
    case ItemValue::Type::String:
        return "a string";
    case ItemValue::Type::Boolean:
        return "a boolean";
    case ItemValue::Type::Integer:
    case ItemValue::Type::Unsigned:
        return "an integer";
    case ItemValue::Type::Float:
        return "a number";
    }
    return "null";
}

bool isAsciiAlnum(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
}

// The name part of a label key, and a non-empty label value: at most 63 characters of
// [A-Za-z0-9-_.], beginning and ending with a letter or digit.
bool isLabelName(QStringView text)
{
    if (text.isEmpty() || text.size() > 63 || !isAsciiAlnum(text.front()) ||
        !isAsciiAlnum(text.back()))
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return isAsciiAlnum(c) || c == u'-' || c == u'_' || c == u'.';
    });
}

// RFC 1123 subdomain, the optional prefix of a label key ("app.kubernetes.io").
bool isDnsSubdomain(QStringView text)
{
    if (text.isEmpty() || text.size() > 253)
        return false;
    for (const QStringView label : text.tokenize(u'.')) {
        if (label.isEmpty() || label.size() > 63 || label.front() == u'-' || label.back() == u'-')
            return false;
        for (QChar c : label) {
            const char16_t u = c.unicode();
            if (!((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-'))
                return false;
        }
    }
    return true;
}

// A label key as the API server validates it: [prefix/]name.
bool isLabelKey(QStringView key)
{
    const qsizetype slash = key.indexOf(u'/');
    if (slash < 0)
        return isLabelName(key);
    return isDnsSubdomain(key.left(slash)) && isLabelName(key.mid(slash + 1));
}

bool isLabelValue(QStringView value)
{
    return value.isEmpty() || isLabelName(value);
}

QString labelKeyExpectation()
{
    return tr("a label key: an optional DNS subdomain and '/', then at most 63 characters "
              "[A-Za-z0-9-_.] beginning and ending with a letter or digit");
}

QString labelValueExpectation()
{
    return tr("a label value: empty, or at most 63 characters [A-Za-z0-9-_.] beginning and "
              "ending with a letter or digit");
}

// Reads fields with strict types; any mismatch throws ReadFailure, caught in readObject.
class Reader
{
public:
    Reader(const QString &source, const ReadOptions &options)
        : m_source(source)
        , m_options(options)
    {}

    // kubectl --validate=strict: the first member `typeName` does not define, or one given twice
    // (Go's decoder would silently keep the last), fails with its path. Lenient reads skip this.
    void checkFields(const json &object, const JsonPath &path, const char *typeName,
                     std::initializer_list<std::string_view> known) const
    {
        if (!m_options.rejectUnknownFields || !object.is_object())
            return;
        std::vector<std::string_view> seen;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string_view key = it.key();
            const JsonPath here{&path, nullptr, key};
            if (!oneOf(key, known)) {
                QStringList names;
                for (std::string_view name : known)
                    names.append(qstring(name));
                fail(ErrorCode::InvalidValue, here,
                     tr("a field of %1 (%2)")
                         .arg(QString::fromLatin1(typeName), names.join(QStringLiteral(", "))),
                     tr("unknown field \"%1\"").arg(here.toString()));
            }
            if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
                fail(ErrorCode::InvalidValue, here, tr("each field once"),
                     tr("duplicate field \"%1\"").arg(here.toString()));
            }
            seen.push_back(key);
        }
    }

    [[noreturn]] void fail(ErrorCode code, const JsonPath &path, const QString &expected,
                           const QString &detail = {}) const
    {
        Error error;
        error.code = code;
        error.file = m_source;
        error.path = path.toString();
        error.expected = expected;
        error.detail = detail;
        throw ReadFailure{std::move(error)};
    }

    [[noreturn]] void wrongType(const json &value, const JsonPath &path, const char *expected) const
    {
        fail(ErrorCode::WrongType, path, tr(expected),
             tr("found %1").arg(QString::fromLatin1(typeName(value))));
    }

    // Member lookup; null counts as absent (kubectl prints "creationTimestamp": null).
    json member(const json &object, const char *key) const
    {
        const json value = object.member(key);
        if (!value || value.is_null())
            return {};
        return value;
    }

    json object(const json &parent, const char *key, const JsonPath &path,
                bool required = false) const
    {
        const json value = member(parent, key);
        const JsonPath here{&path, key};
        if (!value) {
            if (required)
                fail(ErrorCode::MissingField, here, tr("an object"));
            return {};
        }
        if (!value->is_object())
            wrongType(*value, here, "an object");
        return value;
    }

    json array(const json &parent, const char *key, const JsonPath &path,
               bool required = false) const
    {
        const json value = member(parent, key);
        const JsonPath here{&path, key};
        if (!value) {
            if (required)
                fail(ErrorCode::MissingField, here, tr("an array"));
            return {};
        }
        if (!value->is_array())
            wrongType(*value, here, "an array");
        return value;
    }

    std::optional<QString> string(const json &parent, const char *key, const JsonPath &path,
                                  bool required = false) const
    {
        const json value = member(parent, key);
        const JsonPath here{&path, key};
        if (!value) {
            if (required)
                fail(ErrorCode::MissingField, here, tr("a string"));
            return std::nullopt;
        }
        if (!value->is_string())
            wrongType(*value, here, "a string");
        const std::string_view s = value->string();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }

    QString str(const json &parent, const char *key, const JsonPath &path) const
    {
        return string(parent, key, path).value_or(QString());
    }

    std::optional<qint64> integer(const json &parent, const char *key, const JsonPath &path,
                                  bool required = false) const
    {
        const json value = member(parent, key);
        const JsonPath here{&path, key};
        if (!value) {
            if (required)
                fail(ErrorCode::MissingField, here, tr("an integer"));
            return std::nullopt;
        }
        if (value->is_number_unsigned()) {
            fail(ErrorCode::InvalidValue, here, tr("an integer"),
                 tr("found %1, which is too large").arg(value->unsignedValue()));
        }
        if (value->is_number_integer())
            return value->integer();
        // JSON has one number type; 80.0 is still an integer to Kubernetes' decoder.
        if (value->is_number_float()) {
            const double d = value->number();
            if (d == double(qint64(d)))
                return qint64(d);
        }
        wrongType(*value, here, "an integer");
    }

    int port(const json &parent, const char *key, const JsonPath &path, bool required,
             int minimum = 1) const
    {
        const auto value = integer(parent, key, path, required);
        if (!value)
            return 0;
        if (*value < minimum || *value > 65535) {
            fail(ErrorCode::InvalidValue, JsonPath{&path, key},
                 tr("a port number between %1 and 65535").arg(minimum), tr("found %1").arg(*value));
        }
        return int(*value);
    }

    bool boolean(const json &parent, const char *key, const JsonPath &path,
                 bool fallback = false) const
    {
        const json value = member(parent, key);
        if (!value)
            return fallback;
        if (!value->is_boolean())
            wrongType(*value, JsonPath{&path, key}, "a boolean (true or false)");
        return value->boolean();
    }

    template <typename F>
    void forEach(const json &array, const JsonPath &arrayPath, const char *elementType, F &&f) const
    {
        if (!array)
            return;
        qint64 index = 0;
        for (const json element : array) {
            const JsonPath here{&arrayPath, nullptr, {}, index};
            if (std::string_view(elementType) == "an object" && !element.is_object())
                wrongType(element, here, elementType);
            if (std::string_view(elementType) == "a string" && !element.is_string())
                wrongType(element, here, elementType);
            f(element, here);
            ++index;
        }
    }

    QStringList stringList(const json &parent, const char *key, const JsonPath &path) const
    {
        QStringList result;
        const JsonPath here{&path, key};
        forEach(array(parent, key, path), here, "a string",
                [&](const json &element, const JsonPath &) {
                    const std::string_view s = element.string();
                    result.append(QString::fromUtf8(s.data(), qsizetype(s.size())));
                });
        return result;
    }

    Labels stringMap(const json &parent, const char *key, const JsonPath &path) const
    {
        Labels labels;
        const json map = object(parent, key, path);
        if (!map)
            return labels;
        const JsonPath mapPath{&path, key};
        for (auto it = map.begin(); it != map.end(); ++it) {
            const json value = *it;
            const std::string_view name = it.key();
            if (!value.is_string()) {
                const JsonPath here{&mapPath, nullptr, name};
                wrongType(value, here, "a string");
            }
            const std::string_view text = value.string();
            labels.insert(QString::fromUtf8(name.data(), qsizetype(name.size())),
                          QString::fromUtf8(text.data(), qsizetype(text.size())));
        }
        return labels;
    }

    IpAddress ip(const json &parent, const char *key, const JsonPath &path) const
    {
        const auto text = string(parent, key, path);
        if (!text || text->isEmpty())
            return {};
        const auto address = IpAddress::parse(*text);
        if (!address) {
            fail(ErrorCode::InvalidValue, JsonPath{&path, key}, tr("an IPv4 or IPv6 address"),
                 tr("found \"%1\"").arg(*text));
        }
        return *address;
    }

    IpAddress ipValue(const QString &text, const JsonPath &path) const
    {
        const auto address = IpAddress::parse(text);
        if (!address) {
            fail(ErrorCode::InvalidValue, path, tr("an IPv4 or IPv6 address"),
                 tr("found \"%1\"").arg(text));
        }
        return *address;
    }

    Cidr cidrValue(const QString &text, const JsonPath &path) const
    {
        const auto cidr = Cidr::parse(text);
        if (!cidr) {
            fail(ErrorCode::InvalidValue, path, tr("a CIDR such as 10.244.0.0/16 or fd00::/64"),
                 tr("found \"%1\"").arg(text));
        }
        return *cidr;
    }

    Protocol protocol(const json &parent, const char *key, const JsonPath &path) const
    {
        const auto text = string(parent, key, path);
        if (!text)
            return Protocol::TCP;
        const auto protocol = protocolFromName(*text);
        if (!protocol) {
            fail(ErrorCode::InvalidValue, JsonPath{&path, key}, tr("TCP, UDP or SCTP"),
                 tr("found \"%1\"").arg(*text));
        }
        return *protocol;
    }

    LabelSelector selector(const json &value, const JsonPath &path) const
    {
        if (!value.is_object())
            wrongType(value, path, "a label selector object");
        checkFields(value, path, "LabelSelector", {"matchLabels", "matchExpressions"});
        LabelSelector selector;
        selector.matchLabels = stringMap(value, "matchLabels", path);
        const JsonPath labelsPath{&path, "matchLabels"};
        for (const auto &[key, labelValue] : selector.matchLabels) {
            // The key now lives in Labels as UTF-16; the path needs its UTF-8 text.
            const std::string keyUtf8 = key.toStdString();
            const JsonPath here{&labelsPath, nullptr, keyUtf8};
            if (!isLabelKey(key))
                fail(ErrorCode::InvalidValue, here, labelKeyExpectation(),
                     tr("found \"%1\"").arg(key));
            if (!isLabelValue(labelValue))
                fail(ErrorCode::InvalidValue, here, labelValueExpectation(),
                     tr("found \"%1\"").arg(labelValue));
        }
        const JsonPath expressionsPath{&path, "matchExpressions"};
        forEach(array(value, "matchExpressions", path), expressionsPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    checkFields(element, here, "LabelSelectorRequirement",
                                {"key", "operator", "values"});
                    LabelSelectorRequirement requirement;
                    requirement.key = *string(element, "key", here, true);
                    if (!isLabelKey(requirement.key))
                        fail(ErrorCode::InvalidValue, JsonPath{&here, "key"}, labelKeyExpectation(),
                             tr("found \"%1\"").arg(requirement.key));
                    const QString op = *string(element, "operator", here, true);
                    const auto parsed = operatorFromName(op);
                    if (!parsed) {
                        fail(ErrorCode::InvalidValue, JsonPath{&here, "operator"},
                             tr("In, NotIn, Exists or DoesNotExist"), tr("found \"%1\"").arg(op));
                    }
                    requirement.op = *parsed;
                    requirement.values = stringList(element, "values", here);
                    using Op = LabelSelectorRequirement::Operator;
                    const bool needsValues =
                        requirement.op == Op::In || requirement.op == Op::NotIn;
                    if (needsValues && requirement.values.isEmpty()) {
                        fail(ErrorCode::MissingField, JsonPath{&here, "values"},
                             tr("at least one value when the operator is %1").arg(op));
                    }
                    if (!needsValues && !requirement.values.isEmpty()) {
                        fail(ErrorCode::InvalidValue, JsonPath{&here, "values"},
                             tr("no values when the operator is %1").arg(op),
                             tr("found %1").arg(requirement.values.size()));
                    }
                    const JsonPath valuesPath{&here, "values"};
                    for (qsizetype i = 0; i < requirement.values.size(); ++i) {
                        if (!isLabelValue(requirement.values[i]))
                            fail(ErrorCode::InvalidValue, JsonPath{&valuesPath, nullptr, {}, i},
                                 labelValueExpectation(),
                                 tr("found \"%1\"").arg(requirement.values[i]));
                    }
                    selector.matchExpressions.append(std::move(requirement));
                });
        return selector;
    }

    std::optional<LabelSelector> optionalSelector(const json &parent, const char *key,
                                                  const JsonPath &path) const
    {
        const json value = member(parent, key);
        if (!value)
            return std::nullopt;
        return selector(*value, JsonPath{&path, key});
    }

    // --- kinds -------------------------------------------------------------------------------

    void readNamespace(const json &item, const JsonPath &path, const json &meta,
                       const JsonPath &metaPath, ClusterSnapshot &into) const
    {
        Namespace ns;
        ns.name = *string(meta, "name", metaPath, true);
        ns.labels = stringMap(meta, "labels", metaPath);
        if (const json status = object(item, "status", path))
            ns.phase = str(*status, "phase", JsonPath{&path, "status"});
        into.namespaces.append(std::move(ns));
    }

    void readNode(const json &item, const JsonPath &path, const json &meta,
                  const JsonPath &metaPath, ClusterSnapshot &into) const
    {
        Node node;
        node.name = *string(meta, "name", metaPath, true);
        node.labels = stringMap(meta, "labels", metaPath);
        static const QString rolePrefix = QStringLiteral("node-role.kubernetes.io/");
        for (const auto &[key, value] : node.labels) {
            if (key.startsWith(rolePrefix))
                node.roles.append(key.mid(rolePrefix.size()));
        }
        if (const json spec = object(item, "spec", path)) {
            const JsonPath specPath{&path, "spec"};
            const JsonPath cidrsPath{&specPath, "podCIDRs"};
            forEach(array(*spec, "podCIDRs", specPath), cidrsPath, "a string",
                    [&](const json &element, const JsonPath &here) {
                        node.podCidrs.append(cidrValue(qstring(element.string()), here));
                    });
            if (node.podCidrs.isEmpty()) {
                if (const auto cidr = string(*spec, "podCIDR", specPath); cidr && !cidr->isEmpty())
                    node.podCidrs.append(cidrValue(*cidr, JsonPath{&specPath, "podCIDR"}));
            }
            node.unschedulable = boolean(*spec, "unschedulable", specPath);
            const JsonPath taintsPath{&specPath, "taints"};
            forEach(array(*spec, "taints", specPath), taintsPath, "an object",
                    [&](const json &element, const JsonPath &here) {
                        node.taints.append(Taint{*string(element, "key", here, true),
                                                 str(element, "value", here),
                                                 str(element, "effect", here)});
                    });
        }
        if (const json status = object(item, "status", path)) {
            const JsonPath statusPath{&path, "status"};
            const JsonPath addressesPath{&statusPath, "addresses"};
            forEach(array(*status, "addresses", statusPath), addressesPath, "an object",
                    [&](const json &element, const JsonPath &here) {
                        NodeAddress address{*string(element, "type", here, true),
                                            *string(element, "address", here, true)};
                        if (address.type == u"InternalIP" || address.type == u"ExternalIP")
                            ipValue(address.address, JsonPath{&here, "address"});
                        node.addresses.append(std::move(address));
                    });
            const JsonPath conditionsPath{&statusPath, "conditions"};
            forEach(array(*status, "conditions", statusPath), conditionsPath, "an object",
                    [&](const json &element, const JsonPath &here) {
                        if (str(element, "type", here) != u"Ready")
                            return;
                        const QString value = str(element, "status", here);
                        node.ready = value == u"True"    ? ConditionStatus::True
                                     : value == u"False" ? ConditionStatus::False
                                                         : ConditionStatus::Unknown;
                        node.readyReason = str(element, "reason", here);
                        node.readyMessage = str(element, "message", here);
                        node.lastHeartbeat = str(element, "lastHeartbeatTime", here);
                    });
            if (const json info = object(*status, "nodeInfo", statusPath)) {
                const JsonPath infoPath{&statusPath, "nodeInfo"};
                node.kubeletVersion = str(*info, "kubeletVersion", infoPath);
                node.osImage = str(*info, "osImage", infoPath);
                node.containerRuntime = str(*info, "containerRuntimeVersion", infoPath);
                node.architecture = str(*info, "architecture", infoPath);
            }
        }
        into.nodes.append(std::move(node));
    }

    void readContainers(const json &spec, const char *key, const JsonPath &specPath, bool init,
                        Pod &pod) const
    {
        const JsonPath containersPath{&specPath, key};
        forEach(array(spec, key, specPath), containersPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    Container container;
                    container.name = *string(element, "name", here, true);
                    container.image = str(element, "image", here);
                    container.init = init;
                    const JsonPath portsPath{&here, "ports"};
                    forEach(array(element, "ports", here), portsPath, "an object",
                            [&](const json &p, const JsonPath &portPath) {
                                ContainerPort port;
                                port.name = str(p, "name", portPath);
                                port.containerPort = this->port(p, "containerPort", portPath, true);
                                port.hostPort = this->port(p, "hostPort", portPath, false);
                                port.protocol = protocol(p, "protocol", portPath);
                                container.ports.append(std::move(port));
                            });
                    pod.containers.append(std::move(container));
                });
    }

    void readPod(const json &item, const JsonPath &path, const json &meta, const JsonPath &metaPath,
                 ClusterSnapshot &into) const
    {
        Pod pod;
        pod.name = *string(meta, "name", metaPath, true);
        pod.namespaceName = string(meta, "namespace", metaPath).value_or(QStringLiteral("default"));
        pod.uid = str(meta, "uid", metaPath);
        pod.labels = stringMap(meta, "labels", metaPath);
        const Labels annotations = stringMap(meta, "annotations", metaPath);
        pod.mirrorPod = annotations.contains(u"kubernetes.io/config.mirror");
        pod.configSource = annotations.value(u"kubernetes.io/config.source").value_or(QString());
        const JsonPath ownersPath{&metaPath, "ownerReferences"};
        forEach(array(meta, "ownerReferences", metaPath), ownersPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    OwnerReference owner{*string(element, "kind", here, true),
                                         *string(element, "name", here, true),
                                         boolean(element, "controller", here)};
                    if (!pod.owner || (owner.controller && !pod.owner->controller))
                        pod.owner = std::move(owner);
                });
        if (const json spec = object(item, "spec", path)) {
            const JsonPath specPath{&path, "spec"};
            pod.nodeName = str(*spec, "nodeName", specPath);
            pod.hostNetwork = boolean(*spec, "hostNetwork", specPath);
            readContainers(*spec, "initContainers", specPath, true, pod);
            readContainers(*spec, "containers", specPath, false, pod);
        }
        if (const json status = object(item, "status", path)) {
            const JsonPath statusPath{&path, "status"};
            pod.phase = str(*status, "phase", statusPath);
            pod.hostIp = ip(*status, "hostIP", statusPath);
            const JsonPath ipsPath{&statusPath, "podIPs"};
            forEach(array(*status, "podIPs", statusPath), ipsPath, "an object",
                    [&](const json &element, const JsonPath &here) {
                        const IpAddress address = ip(element, "ip", here);
                        if (!address.isNull() && !pod.podIps.contains(address))
                            pod.podIps.append(address);
                    });
            if (pod.podIps.isEmpty()) {
                const IpAddress address = ip(*status, "podIP", statusPath);
                if (!address.isNull())
                    pod.podIps.append(address);
            }
            const JsonPath conditionsPath{&statusPath, "conditions"};
            forEach(array(*status, "conditions", statusPath), conditionsPath, "an object",
                    [&](const json &element, const JsonPath &here) {
                        if (str(element, "type", here) == u"Ready")
                            pod.ready = str(element, "status", here) == u"True";
                    });
        }
        into.pods.append(std::move(pod));
    }

    void readService(const json &item, const JsonPath &path, const json &meta,
                     const JsonPath &metaPath, ClusterSnapshot &into) const
    {
        Service service;
        service.name = *string(meta, "name", metaPath, true);
        service.namespaceName =
            string(meta, "namespace", metaPath).value_or(QStringLiteral("default"));
        service.labels = stringMap(meta, "labels", metaPath);
        if (const json spec = object(item, "spec", path)) {
            const JsonPath specPath{&path, "spec"};
            const QString type =
                string(*spec, "type", specPath).value_or(QStringLiteral("ClusterIP"));
            if (type == u"ClusterIP")
                service.type = ServiceType::ClusterIP;
            else if (type == u"NodePort")
                service.type = ServiceType::NodePort;
            else if (type == u"LoadBalancer")
                service.type = ServiceType::LoadBalancer;
            else if (type == u"ExternalName")
                service.type = ServiceType::ExternalName;
            else
                fail(ErrorCode::InvalidValue, JsonPath{&specPath, "type"},
                     tr("ClusterIP, NodePort, LoadBalancer or ExternalName"),
                     tr("found \"%1\"").arg(type));
            QStringList clusterIps = stringList(*spec, "clusterIPs", specPath);
            const char *ipsKey = "clusterIPs";
            if (clusterIps.isEmpty()) {
                ipsKey = "clusterIP";
                if (const auto single = string(*spec, "clusterIP", specPath))
                    clusterIps.append(*single);
            }
            for (qsizetype i = 0; i < clusterIps.size(); ++i) {
                const QString &text = clusterIps[i];
                if (text == u"None") {
                    service.headless = true;
                    continue;
                }
                if (text.isEmpty())
                    continue;
                const JsonPath keyPath{&specPath, ipsKey};
                const JsonPath here = std::string_view(ipsKey) == "clusterIPs"
                                          ? JsonPath{&keyPath, nullptr, {}, i}
                                          : keyPath;
                service.clusterIps.append(ipValue(text, here));
            }
            const JsonPath portsPath{&specPath, "ports"};
            forEach(array(*spec, "ports", specPath), portsPath, "an object",
                    [&](const json &element, const JsonPath &here) {
                        ServicePort port;
                        port.name = str(element, "name", here);
                        port.protocol = protocol(element, "protocol", here);
                        port.port = this->port(element, "port", here, true);
                        port.nodePort = this->port(element, "nodePort", here, false);
                        port.appProtocol = str(element, "appProtocol", here);
                        if (const json target = member(element, "targetPort")) {
                            if (target->is_string())
                                port.targetPortName = qstring(target->string());
                            else
                                port.targetPortNumber =
                                    this->port(element, "targetPort", here, false);
                        } else {
                            port.targetPortNumber = port.port; // the API's default
                        }
                        service.ports.append(std::move(port));
                    });
            if (member(*spec, "selector"))
                service.selector = stringMap(*spec, "selector", specPath);
            service.externalName = str(*spec, "externalName", specPath);
            service.externalIps = stringList(*spec, "externalIPs", specPath);
            service.externalTrafficPolicy = str(*spec, "externalTrafficPolicy", specPath);
        }
        if (const json status = object(item, "status", path)) {
            const JsonPath statusPath{&path, "status"};
            if (const json lb = object(*status, "loadBalancer", statusPath)) {
                const JsonPath lbPath{&statusPath, "loadBalancer"};
                const JsonPath ingressPath{&lbPath, "ingress"};
                forEach(array(*lb, "ingress", lbPath), ingressPath, "an object",
                        [&](const json &element, const JsonPath &here) {
                            QString address = str(element, "ip", here);
                            if (address.isEmpty())
                                address = str(element, "hostname", here);
                            if (!address.isEmpty())
                                service.loadBalancerIngress.append(address);
                        });
            }
        }
        into.services.append(std::move(service));
    }

    void readEndpointSlice(const json &item, const JsonPath &path, const json &meta,
                           const JsonPath &metaPath, ClusterSnapshot &into) const
    {
        EndpointSlice slice;
        slice.name = *string(meta, "name", metaPath, true);
        slice.namespaceName =
            string(meta, "namespace", metaPath).value_or(QStringLiteral("default"));
        slice.serviceName = stringMap(meta, "labels", metaPath)
                                .value(u"kubernetes.io/service-name")
                                .value_or(QString());
        slice.addressType = *string(item, "addressType", path, true);
        const JsonPath endpointsPath{&path, "endpoints"};
        forEach(
            array(item, "endpoints", path), endpointsPath, "an object",
            [&](const json &element, const JsonPath &here) {
                EndpointRef endpoint;
                if (!member(element, "addresses"))
                    fail(ErrorCode::MissingField, JsonPath{&here, "addresses"},
                         tr("an array of addresses"));
                endpoint.addresses = stringList(element, "addresses", here);
                if (slice.addressType != u"FQDN") {
                    const JsonPath addressesPath{&here, "addresses"};
                    for (qsizetype i = 0; i < endpoint.addresses.size(); ++i)
                        ipValue(endpoint.addresses[i], JsonPath{&addressesPath, nullptr, {}, i});
                }
                if (const json conditions = object(element, "conditions", here)) {
                    const JsonPath conditionsPath{&here, "conditions"};
                    endpoint.ready = boolean(*conditions, "ready", conditionsPath, true);
                    endpoint.serving =
                        boolean(*conditions, "serving", conditionsPath, endpoint.ready);
                    endpoint.terminating =
                        boolean(*conditions, "terminating", conditionsPath, false);
                }
                endpoint.nodeName = str(element, "nodeName", here);
                if (const json target = object(element, "targetRef", here)) {
                    const JsonPath targetPath{&here, "targetRef"};
                    endpoint.targetKind = str(*target, "kind", targetPath);
                    endpoint.targetName = str(*target, "name", targetPath);
                    endpoint.targetNamespace =
                        string(*target, "namespace", targetPath).value_or(slice.namespaceName);
                }
                slice.endpoints.append(std::move(endpoint));
            });
        const JsonPath portsPath{&path, "ports"};
        forEach(array(item, "ports", path), portsPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    EndpointPort port;
                    port.name = str(element, "name", here);
                    port.port = this->port(element, "port", here, false);
                    port.protocol = protocol(element, "protocol", here);
                    slice.ports.append(std::move(port));
                });
        into.endpointSlices.append(std::move(slice));
    }

    // networking.k8s.io/v1 validation (pkg/apis/networking/validation in Kubernetes), applied to
    // snapshots as much as to policies a person writes: the path of the offending field and the
    // reason, as the API server would give them.
    IpBlock readIpBlock(const json &block, const JsonPath &path) const
    {
        checkFields(block, path, "IPBlock", {"cidr", "except"});
        IpBlock ipBlock;
        ipBlock.cidr = cidrValue(*string(block, "cidr", path, true), JsonPath{&path, "cidr"});
        const JsonPath exceptPath{&path, "except"};
        const QStringList except = stringList(block, "except", path);
        for (qsizetype i = 0; i < except.size(); ++i) {
            const JsonPath here{&exceptPath, nullptr, {}, i};
            const Cidr cidr = cidrValue(except[i], here);
            // Strictly inside: same family, contained, and a longer prefix (an except equal to
            // cidr would leave nothing and is rejected as well).
            if (!ipBlock.cidr.contains(cidr) ||
                cidr.prefixLength() <= ipBlock.cidr.prefixLength()) {
                fail(ErrorCode::InvalidValue, here,
                     tr("a strict subset of cidr %1").arg(ipBlock.cidr.toString()),
                     tr("found \"%1\"").arg(except[i]));
            }
            ipBlock.except.append(cidr);
        }
        return ipBlock;
    }

    NetworkPolicyPort readPolicyPort(const json &element, const JsonPath &path) const
    {
        checkFields(element, path, "NetworkPolicyPort", {"protocol", "port", "endPort"});
        NetworkPolicyPort port;
        if (member(element, "protocol"))
            port.protocol = protocol(element, "protocol", path);
        if (const json value = member(element, "port")) {
            const JsonPath portPath{&path, "port"};
            if (value->is_string()) {
                const QString name = qstring(value->string());
                if (!isValidPortName(name)) {
                    fail(ErrorCode::InvalidValue, portPath,
                         tr("a port number, or a port name of at most 15 lowercase letters, "
                            "digits and '-' with at least one letter"),
                         tr("found \"%1\"").arg(name));
                }
                port.portName = name;
            } else if (value->is_number_integer() || value->is_number_float()) {
                port.portNumber = this->port(element, "port", path, true);
            } else {
                wrongType(*value, portPath, "a port number or a port name");
            }
        }
        if (member(element, "endPort")) {
            port.endPort = this->port(element, "endPort", path, true);
            if (port.portName) {
                fail(ErrorCode::InvalidValue, JsonPath{&path, "endPort"},
                     tr("no endPort when port is a name"),
                     tr("port is \"%1\"").arg(*port.portName));
            }
            if (!port.portNumber) {
                fail(ErrorCode::MissingField, JsonPath{&path, "port"},
                     tr("a port number when endPort is given"));
            }
            if (*port.endPort < *port.portNumber) {
                fail(ErrorCode::InvalidValue, JsonPath{&path, "endPort"},
                     tr("endPort greater than or equal to port %1").arg(*port.portNumber),
                     tr("found %1").arg(*port.endPort));
            }
        }
        return port;
    }

    NetworkPolicyRule readRule(const json &rule, const JsonPath &path, const char *peersKey) const
    {
        const bool ingress = std::string_view(peersKey) == "from";
        checkFields(rule, path, ingress ? "NetworkPolicyIngressRule" : "NetworkPolicyEgressRule",
                    {peersKey, "ports"});
        NetworkPolicyRule result;
        const JsonPath peersPath{&path, peersKey};
        forEach(array(rule, peersKey, path), peersPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    checkFields(element, here, "NetworkPolicyPeer",
                                {"podSelector", "namespaceSelector", "ipBlock"});
                    NetworkPolicyPeer peer;
                    peer.podSelector = optionalSelector(element, "podSelector", here);
                    peer.namespaceSelector = optionalSelector(element, "namespaceSelector", here);
                    if (const json block = object(element, "ipBlock", here))
                        peer.ipBlock = readIpBlock(*block, JsonPath{&here, "ipBlock"});
                    if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock) {
                        fail(ErrorCode::MissingField, here,
                             tr("podSelector, namespaceSelector or ipBlock in the peer"));
                    }
                    if (peer.ipBlock && (peer.podSelector || peer.namespaceSelector)) {
                        fail(ErrorCode::InvalidValue, here,
                             tr("ipBlock alone: it may not be combined with podSelector or "
                                "namespaceSelector in one peer"));
                    }
                    result.peers.append(std::move(peer));
                });
        const JsonPath portsPath{&path, "ports"};
        forEach(array(rule, "ports", path), portsPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    result.ports.append(readPolicyPort(element, here));
                });
        return result;
    }

    void readNetworkPolicy(const json &item, const JsonPath &path, const json &meta,
                           const JsonPath &metaPath, ClusterSnapshot &into) const
    {
        checkFields(item, path, "NetworkPolicy",
                    {"apiVersion", "kind", "metadata", "spec", "status"});
        checkFields(meta, metaPath, "ObjectMeta",
                    {"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
                     "generation", "creationTimestamp", "deletionTimestamp",
                     "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences",
                     "finalizers", "managedFields"});
        NetworkPolicy policy;
        policy.name = *string(meta, "name", metaPath, true);
        policy.namespaceName =
            string(meta, "namespace", metaPath).value_or(QStringLiteral("default"));
        policy.labels = stringMap(meta, "labels", metaPath);
        // spec is a struct in the Go type: absent decodes as the zero value, which selects every
        // pod of the namespace for ingress and admits nothing (a default deny).
        const json spec = object(item, "spec", path);
        if (!spec) {
            into.networkPolicies.append(std::move(policy));
            return;
        }
        const JsonPath specPath{&path, "spec"};
        checkFields(*spec, specPath, "NetworkPolicySpec",
                    {"podSelector", "ingress", "egress", "policyTypes"});
        // podSelector is a struct, not a pointer, in the Go type: absent decodes as empty.
        if (const json selector = member(*spec, "podSelector"))
            policy.podSelector = this->selector(*selector, JsonPath{&specPath, "podSelector"});
        const JsonPath ingressPath{&specPath, "ingress"};
        forEach(array(*spec, "ingress", specPath), ingressPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    policy.ingress.append(readRule(element, here, "from"));
                });
        const JsonPath egressPath{&specPath, "egress"};
        forEach(array(*spec, "egress", specPath), egressPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    policy.egress.append(readRule(element, here, "to"));
                });
        if (const json types = array(*spec, "policyTypes", specPath)) {
            QList<PolicyType> policyTypes;
            const JsonPath typesPath{&specPath, "policyTypes"};
            forEach(types, typesPath, "a string", [&](const json &element, const JsonPath &here) {
                const std::string_view type = element.string();
                if (type == "Ingress")
                    policyTypes.append(PolicyType::Ingress);
                else if (type == "Egress")
                    policyTypes.append(PolicyType::Egress);
                else
                    fail(ErrorCode::InvalidValue, here, tr("Ingress or Egress"),
                         tr("found \"%1\"").arg(qstring(type)));
            });
            if (policyTypes.size() > 2) {
                fail(ErrorCode::InvalidValue, typesPath, tr("at most two policyTypes"),
                     tr("found %1").arg(policyTypes.size()));
            }
            // The API server's defaulting treats an empty list as an absent one.
            if (!policyTypes.isEmpty())
                policy.policyTypes = std::move(policyTypes);
        }
        into.networkPolicies.append(std::move(policy));
    }

    void readDaemonSet(const json &item, const JsonPath &path, const json &meta,
                       const JsonPath &metaPath, ClusterSnapshot &into) const
    {
        DaemonSet ds;
        ds.name = *string(meta, "name", metaPath, true);
        ds.namespaceName = string(meta, "namespace", metaPath).value_or(QStringLiteral("default"));
        ds.labels = stringMap(meta, "labels", metaPath);
        if (const json spec = object(item, "spec", path)) {
            const JsonPath specPath{&path, "spec"};
            if (const json tmpl = object(*spec, "template", specPath)) {
                const JsonPath templatePath{&specPath, "template"};
                if (const json podSpec = object(*tmpl, "spec", templatePath)) {
                    const JsonPath podSpecPath{&templatePath, "spec"};
                    ds.hostNetwork = boolean(*podSpec, "hostNetwork", podSpecPath);
                    Pod scratch;
                    readContainers(*podSpec, "initContainers", podSpecPath, true, scratch);
                    readContainers(*podSpec, "containers", podSpecPath, false, scratch);
                    for (const Container &container : std::as_const(scratch.containers)) {
                        ds.containerNames.append(container.name);
                        if (!container.image.isEmpty())
                            ds.images.append(container.image);
                    }
                }
            }
        }
        if (const json status = object(item, "status", path)) {
            const JsonPath statusPath{&path, "status"};
            ds.desired = int(integer(*status, "desiredNumberScheduled", statusPath).value_or(0));
            ds.ready = int(integer(*status, "numberReady", statusPath).value_or(0));
        }
        into.daemonSets.append(std::move(ds));
    }

    void readNodeNetwork(const json &item, const JsonPath &path, const json &meta,
                         const JsonPath &metaPath, ClusterSnapshot &into) const
    {
        NodeNetwork network;
        network.nodeName = *string(meta, "name", metaPath, true);
        const json status = object(item, "status", path);
        if (!status) {
            into.nodeNetworks.append(std::move(network));
            return;
        }
        const JsonPath statusPath{&path, "status"};
        network.staticPodPath = str(*status, "staticPodPath", statusPath);
        if (const json cni = object(*status, "cni", statusPath)) {
            const JsonPath cniPath{&statusPath, "cni"};
            network.cniConfigFile = str(*cni, "configFile", cniPath);
            network.cniNetworkName = str(*cni, "name", cniPath);
            network.cniPlugins = stringList(*cni, "plugins", cniPath);
        }
        const JsonPath interfacesPath{&statusPath, "interfaces"};
        forEach(array(*status, "interfaces", statusPath), interfacesPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    NetworkInterface iface;
                    iface.name = *string(element, "ifname", here, true);
                    if (const auto kind = string(element, "kind", here)) {
                        const auto parsed = interfaceKindFromName(*kind);
                        if (!parsed) {
                            fail(ErrorCode::InvalidValue, JsonPath{&here, "kind"},
                                 tr("loopback, ethernet, bridge, veth, vxlan, ipip, geneve, "
                                    "wireguard, gre, dummy or other"),
                                 tr("found \"%1\"").arg(*kind));
                        }
                        iface.kind = *parsed;
                    }
                    iface.mtu = int(integer(element, "mtu", here).value_or(0));
                    iface.mac = str(element, "address", here);
                    iface.state = str(element, "operstate", here);
                    iface.master = str(element, "master", here);
                    const JsonPath addrsPath{&here, "addrs"};
                    forEach(array(element, "addrs", here), addrsPath, "an object",
                            [&](const json &a, const JsonPath &addrPath) {
                                InterfaceAddress address;
                                address.address = ip(a, "local", addrPath);
                                if (address.address.isNull())
                                    fail(ErrorCode::MissingField, JsonPath{&addrPath, "local"},
                                         tr("an IPv4 or IPv6 address"));
                                const qint64 length = integer(a, "prefixlen", addrPath)
                                                          .value_or(address.address.bitWidth());
                                if (length < 0 || length > address.address.bitWidth())
                                    fail(ErrorCode::InvalidValue, JsonPath{&addrPath, "prefixlen"},
                                         tr("a prefix length between 0 and %1")
                                             .arg(address.address.bitWidth()),
                                         tr("found %1").arg(length));
                                address.prefixLength = int(length);
                                address.broadcast = ip(a, "broadcast", addrPath);
                                address.scope = str(a, "scope", addrPath);
                                iface.addresses.append(std::move(address));
                            });
                    if (const json peer = object(element, "peer", here)) {
                        const JsonPath peerPath{&here, "peer"};
                        iface.peerPod = str(*peer, "pod", peerPath);
                        iface.peerIfName = str(*peer, "ifname", peerPath);
                    }
                    for (const char *tunnelKey : {"vxlan", "geneve", "ipip", "wireguard", "gre"}) {
                        const json tunnel = object(element, tunnelKey, here);
                        if (!tunnel)
                            continue;
                        const JsonPath tunnelPath{&here, tunnelKey};
                        if (const auto id = integer(*tunnel, "id", tunnelPath))
                            iface.vni = int(*id);
                        iface.udpPort = port(*tunnel, "port", tunnelPath, false, 0);
                        if (!iface.udpPort)
                            iface.udpPort = port(*tunnel, "listen_port", tunnelPath, false, 0);
                        iface.tunnelLocal = ip(*tunnel, "local", tunnelPath);
                        iface.tunnelRemote = ip(*tunnel, "remote", tunnelPath);
                        iface.underlayDevice = str(*tunnel, "link", tunnelPath);
                    }
                    network.interfaces.append(std::move(iface));
                });
        const JsonPath routesPath{&statusPath, "routes"};
        forEach(array(*status, "routes", statusPath), routesPath, "an object",
                [&](const json &element, const JsonPath &here) {
                    Route route;
                    const QString dst = *string(element, "dst", here, true);
                    if (dst == u"default") {
                        route.destination = Cidr(IpAddress::fromV4(0), 0);
                    } else {
                        const auto cidr = Cidr::parse(dst, true);
                        if (!cidr)
                            fail(ErrorCode::InvalidValue, JsonPath{&here, "dst"},
                                 tr("\"default\", an address or a CIDR"),
                                 tr("found \"%1\"").arg(dst));
                        route.destination = *cidr;
                    }
                    route.gateway = ip(element, "gateway", here);
                    route.device = str(element, "dev", here);
                    route.protocol = str(element, "protocol", here);
                    route.onLink =
                        stringList(element, "flags", here).contains(QStringLiteral("onlink"));
                    network.routes.append(std::move(route));
                });
        into.nodeNetworks.append(std::move(network));
    }

private:
    const QString &m_source;
    const ReadOptions &m_options;
};

} // namespace

Status readObject(const json &item, const QString &sourceName, const JsonPath &path,
                  ClusterSnapshot &into, const std::string &listKind,
                  const std::string &listApiVersion, const ReadOptions &options)
{
    const Reader reader(sourceName, options);
    try {
        if (!item.is_object())
            reader.wrongType(item, path, "a Kubernetes object");
        const bool typedList = listKind.size() > 4 && listKind.ends_with("List");
        const QString kind = typedList && !reader.member(item, "kind")
                                 ? QString::fromStdString(listKind.substr(0, listKind.size() - 4))
                                 : *reader.string(item, "kind", path, true);
        const QString apiVersion = typedList && !reader.member(item, "apiVersion")
                                       ? QString::fromStdString(listApiVersion)
                                       : reader.str(item, "apiVersion", path);
        if (kind.endsWith(QStringLiteral("List")) && item.member("items").valid()) {
            reader.fail(ErrorCode::NestedList, path,
                        tr("an object such as a Pod or Node; Lists cannot be nested"),
                        tr("found a %1").arg(kind));
        }
        if (options.networkPoliciesOnly &&
            (kind != u"NetworkPolicy" || apiVersion != u"networking.k8s.io/v1")) {
            reader.fail(ErrorCode::InvalidValue, JsonPath{&path, "kind"},
                        tr("a NetworkPolicy (apiVersion networking.k8s.io/v1)"),
                        tr("found kind \"%1\", apiVersion \"%2\"").arg(kind, apiVersion));
        }
        const json meta = reader.object(item, "metadata", path, true);
        const JsonPath metaPath{&path, "metadata"};
        if (kind == u"Pod")
            reader.readPod(item, path, *meta, metaPath, into);
        else if (kind == u"Node")
            reader.readNode(item, path, *meta, metaPath, into);
        else if (kind == u"Service")
            reader.readService(item, path, *meta, metaPath, into);
        else if (kind == u"EndpointSlice")
            reader.readEndpointSlice(item, path, *meta, metaPath, into);
        else if (kind == u"NetworkPolicy" && apiVersion.startsWith(u"networking.k8s.io/"))
            reader.readNetworkPolicy(item, path, *meta, metaPath, into);
        else if (kind == u"Namespace")
            reader.readNamespace(item, path, *meta, metaPath, into);
        else if (kind == u"DaemonSet")
            reader.readDaemonSet(item, path, *meta, metaPath, into);
        else if (kind == u"NodeNetwork" && apiVersion.startsWith(u"cartograph.io/"))
            reader.readNodeNetwork(item, path, *meta, metaPath, into);
        else
            into.skippedKinds[apiVersion.contains(u'/')
                                  ? kind + u'.' + apiVersion.section(u'/', 0, 0)
                                  : kind] += 1;
    } catch (const ReadFailure &failure) {
        return failure.error;
    }
    return Success{};
}

} // namespace cartograph::detail
