#include "PolicyCommands.h"

#include "CliCommands.h"
#include "PolicyEngine.h"
#include "Scenario.h"
#include "SnapshotIo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>
#include <algorithm>
#include <cmath>
#include <optional>
#include <variant>

namespace cartograph::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph-cli", text);
}

// "namespace/pod-name" or an IPv4/IPv6 address; on failure, what is wrong with it.
std::variant<PolicyEndpoint, QString> parseEndpoint(const PolicyEngine &engine, const QString &text)
{
    if (const auto address = IpAddress::parse(text))
        return PolicyEndpoint::ip(*address);
    if (Cidr::parse(text))
        return tr("expected namespace/pod-name or an IP address, found the CIDR \"%1\"").arg(text);
    const QStringList parts = text.split(u'/');
    if (parts.size() == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
        const qsizetype index = engine.findPod(parts[0], parts[1]);
        if (index < 0)
            return tr("unknown pod \"%1\"").arg(text);
        return PolicyEndpoint::pod(index);
    }
    return tr("expected namespace/pod-name or an IP address, found \"%1\"").arg(text);
}

std::variant<ProbePort, QString> portFromNumber(double number)
{
    if (number != std::floor(number) || number < 1 || number > 65535)
        return tr("port must be a whole number between 1 and 65535, found %1").arg(number);
    return ProbePort{int(number), {}};
}

// A number, or a port name; digits alone are a number (a port name needs a letter).
std::variant<ProbePort, QString> portFromText(const QString &text)
{
    const bool digits =
        !text.isEmpty() && text.size() <= 9 && std::all_of(text.begin(), text.end(), [](QChar c) {
            return c.unicode() >= u'0' && c.unicode() <= u'9';
        });
    if (digits)
        return portFromNumber(text.toDouble());
    if (!isValidPortName(text)) {
        return tr("port must be a number or a port name (at most 15 lowercase letters, digits "
                  "and '-', with a letter), found \"%1\"")
            .arg(text);
    }
    return ProbePort{0, text};
}

std::variant<Protocol, QString> protocolFromText(const QString &text)
{
    if (const auto protocol = protocolFromName(text))
        return *protocol;
    return tr("protocol must be TCP, UDP or SCTP, found \"%1\"").arg(text);
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return tr("null");
    case QJsonValue::Bool:
        return tr("a boolean");
    case QJsonValue::Double:
        return tr("a number");
    case QJsonValue::String:
        return tr("a string");
    case QJsonValue::Array:
        return tr("an array");
    case QJsonValue::Object:
        return tr("an object");
    case QJsonValue::Undefined:
        break;
    }
    return tr("nothing");
}

// One probe as read, with the values to echo back as given.
struct Probe
{
    QJsonValue from;
    QJsonValue to;
    QJsonValue port;
    QString protocolText;
    PolicyEndpoint source;
    PolicyEndpoint destination;
    ProbePort destinationPort;
    Protocol protocol = Protocol::TCP;
};

// One element of the probes array, or what is wrong with it (the caller adds the file and the
// index).
std::variant<Probe, QString> readProbe(const PolicyEngine &engine, const QJsonValue &value)
{
    if (!value.isObject())
        return tr("expected an object with from, to and port, found %1").arg(jsonTypeName(value));
    const QJsonObject object = value.toObject();
    static const QStringList known = {QStringLiteral("from"), QStringLiteral("to"),
                                      QStringLiteral("port"), QStringLiteral("protocol")};
    // A misspelt "protocol" would otherwise quietly give a TCP verdict.
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key())) {
            return tr("unknown field \"%1\"; a probe has from, to, port and protocol")
                .arg(it.key());
        }
    }
    Probe probe;
    for (const QString &side : {QStringLiteral("from"), QStringLiteral("to")}) {
        const QJsonValue field = object.value(side);
        if (field.isUndefined())
            return tr("missing \"%1\"").arg(side);
        if (!field.isString()) {
            return tr("\"%1\" must be a string (namespace/pod-name or an IP address), found %2")
                .arg(side, jsonTypeName(field));
        }
        auto endpoint = parseEndpoint(engine, field.toString());
        if (const QString *problem = std::get_if<QString>(&endpoint))
            return tr("%1 in \"%2\"").arg(*problem, side);
        (side == u"from" ? probe.from : probe.to) = field;
        (side == u"from" ? probe.source : probe.destination) = std::get<PolicyEndpoint>(endpoint);
    }
    probe.port = object.value(QStringLiteral("port"));
    std::variant<ProbePort, QString> port = QString();
    if (probe.port.isUndefined())
        return tr("missing \"port\"");
    if (probe.port.isDouble())
        port = portFromNumber(probe.port.toDouble());
    else if (probe.port.isString())
        port = portFromText(probe.port.toString());
    else
        return tr("\"port\" must be a number or a port name, found %1")
            .arg(jsonTypeName(probe.port));
    if (const QString *problem = std::get_if<QString>(&port))
        return *problem;
    probe.destinationPort = std::get<ProbePort>(port);

    const QJsonValue protocol = object.value(QStringLiteral("protocol"));
    probe.protocolText = QStringLiteral("TCP");
    if (!protocol.isUndefined()) {
        if (!protocol.isString()) {
            return tr("\"protocol\" must be TCP, UDP or SCTP, found %1")
                .arg(jsonTypeName(protocol));
        }
        auto parsed = protocolFromText(protocol.toString());
        if (const QString *problem = std::get_if<QString>(&parsed))
            return *problem;
        probe.protocol = std::get<Protocol>(parsed);
        probe.protocolText = protocol.toString();
    }
    return probe;
}

Checked<QList<Probe>> readProbes(const PolicyEngine &engine, const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return CommandFailure{Failure, tr("%1: no such file").arg(path)};
    QFile file(path);
    if (!info.isFile() || !file.open(QIODevice::ReadOnly))
        return CommandFailure{Failure, tr("%1: cannot be read").arg(path)};
    const QByteArray data = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray before = data.left(parseError.offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = parseError.offset - (before.lastIndexOf('\n') + 1) + 1;
        return CommandFailure{UsageError,
                              tr("%1:%2:%3: invalid JSON: %4")
                                  .arg(path, QString::number(line), QString::number(column),
                                       parseError.errorString())};
    }
    if (!document.isArray()) {
        return CommandFailure{
            UsageError,
            tr("%1: expected a JSON array of probes, found %2")
                .arg(path, document.isObject() ? tr("an object") : tr("a single value"))};
    }
    const QJsonArray array = document.array();
    QList<Probe> probes;
    probes.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto probe = readProbe(engine, array.at(i));
        if (const QString *problem = std::get_if<QString>(&probe))
            return CommandFailure{UsageError,
                                  tr("%1: probe [%2]: %3").arg(path, QString::number(i), *problem)};
        probes.append(std::move(std::get<Probe>(probe)));
    }
    return probes;
}

// --- the explanation, shared by the JSON and the text form ------------------------------------

// "sock-shop/db spec.ingress[0]: peer from[1], port ports[0]"
QString ruleText(const RuleMatch &match, bool egress)
{
    const QString rule =
        (egress ? QStringLiteral("spec.egress[%1]") : QStringLiteral("spec.ingress[%1]"))
            .arg(match.ruleIndex);
    const QString peer = match.peerIndex < 0
                             ? tr("any peer")
                             : tr("peer %1[%2]")
                                   .arg(egress ? QStringLiteral("to") : QStringLiteral("from"))
                                   .arg(match.peerIndex);
    const QString port =
        match.portIndex < 0 ? tr("any port") : tr("port ports[%1]").arg(match.portIndex);
    return QStringLiteral("%1 %2: %3, %4").arg(match.policy, rule, peer, port);
}

// Whose egress (the source) or ingress (the destination) a direction is about.
struct Subject
{
    QString name; // namespace/pod, else the address as given
    bool pod = false;
};

// One sentence that says why this side allows or denies.
QString directionSummary(const DirectionVerdict &side, bool egress, const Subject &subject)
{
    const QString direction = egress ? tr("egress") : tr("ingress");
    const QString &endpoint = subject.name;
    if (!side.evaluated && subject.pod) {
        // The probe stopped before policies (a service port nothing forwards, say).
        return tr("not evaluated: the traffic never reaches %1's %2 policies (see the notes)")
            .arg(endpoint, direction);
    }
    if (!side.evaluated) {
        return tr("not a pod: NetworkPolicy does not restrict the %1 of %2")
            .arg(direction, endpoint);
    }
    if (!side.isolated) {
        return tr("not isolated for %1: no NetworkPolicy selects %2 with policy type %3, so all "
                  "%1 is allowed")
            .arg(direction, endpoint,
                 egress ? QStringLiteral("Egress") : QStringLiteral("Ingress"));
    }
    const QString isolatedBy =
        tr("isolated for %1 by %2")
            .arg(direction, side.selectingPolicies.join(QStringLiteral(", ")));
    if (side.admittedBy)
        return tr("%1; allowed by %2").arg(isolatedBy, ruleText(*side.admittedBy, egress));
    if (side.allowed)
        return tr("%1; allowed").arg(isolatedBy);
    return tr("%1; no rule admits this traffic, so it is denied").arg(isolatedBy);
}

QJsonArray toJsonArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &s : list)
        array.append(s);
    return array;
}

QJsonValue nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

// The name a side goes by: its pod when it is (or its address resolved to) one, else `given`.
QString sideName(const ClusterSnapshot &snapshot, qsizetype podIndex, const QString &given)
{
    if (podIndex >= 0 && podIndex < snapshot.pods.size())
        return snapshot.pods.at(podIndex).qualifiedName();
    return given;
}

QJsonObject endpointJson(const ClusterSnapshot &snapshot, const PolicyEndpoint &endpoint)
{
    return QJsonObject{
        {QStringLiteral("pod"), nullIfEmpty(sideName(snapshot, endpoint.podIndex, {}))},
        {QStringLiteral("address"), nullIfEmpty(endpoint.address.toString())},
    };
}

QJsonObject directionJson(const DirectionVerdict &side, bool egress, const Subject &subject)
{
    QJsonObject json;
    json[QStringLiteral("subject")] = subject.name;
    json[QStringLiteral("evaluated")] = side.evaluated;
    json[QStringLiteral("isolated")] = side.isolated;
    json[QStringLiteral("selecting_policies")] = toJsonArray(side.selectingPolicies);
    json[QStringLiteral("allowed")] = side.allowed;
    if (side.admittedBy) {
        const RuleMatch &match = *side.admittedBy;
        auto index = [](int i) { return i < 0 ? QJsonValue() : QJsonValue(i); };
        json[QStringLiteral("admitted_by")] = QJsonObject{
            {QStringLiteral("policy"), match.policy},
            {QStringLiteral("direction"),
             egress ? QStringLiteral("egress") : QStringLiteral("ingress")},
            {QStringLiteral("rule"), match.ruleIndex},
            {QStringLiteral("peer"), index(match.peerIndex)}, // null: the rule lists no peers
            {QStringLiteral("port"), index(match.portIndex)}, // null: the rule lists no ports
        };
    } else {
        json[QStringLiteral("admitted_by")] = QJsonValue();
    }
    json[QStringLiteral("summary")] = directionSummary(side, egress, subject);
    return json;
}

Subject backendSubject(const ClusterSnapshot &snapshot, const BackendVerdict &backend)
{
    return Subject{sideName(snapshot, backend.podIndex, backend.address.toString()),
                   backend.podIndex >= 0};
}

// The backend whose egress and ingress the verdict repeats: the first denying one, else the
// first (as PolicyVerdict documents).
const BackendVerdict *shownBackend(const PolicyVerdict &verdict)
{
    for (const BackendVerdict &backend : verdict.backends) {
        if (!backend.allowed)
            return &backend;
    }
    return verdict.backends.isEmpty() ? nullptr : &verdict.backends.first();
}

struct Subjects
{
    Subject source;
    Subject destination;
};

Subjects subjects(const ClusterSnapshot &snapshot, const PolicyVerdict &verdict,
                  const QString &from, const QString &to)
{
    Subjects result{
        {sideName(snapshot, verdict.resolvedFrom.podIndex, from),
         verdict.resolvedFrom.podIndex >= 0},
        {sideName(snapshot, verdict.resolvedTo.podIndex, to), verdict.resolvedTo.podIndex >= 0}};
    if (const BackendVerdict *backend = shownBackend(verdict))
        result.destination = backendSubject(snapshot, *backend);
    return result;
}

QStringList backendNames(const ClusterSnapshot &snapshot, const PolicyVerdict &verdict)
{
    QStringList names;
    for (qsizetype index : verdict.resolvedBackends)
        names.append(sideName(snapshot, index, QString::number(index)));
    return names;
}

QJsonObject explanationJson(const ClusterSnapshot &snapshot, const PolicyVerdict &verdict,
                            const QString &from, const QString &to)
{
    const Subjects sides = subjects(snapshot, verdict, from, to);
    QJsonObject json;
    json[QStringLiteral("egress")] = directionJson(verdict.egress, true, sides.source);
    json[QStringLiteral("ingress")] = directionJson(verdict.ingress, false, sides.destination);
    json[QStringLiteral("resolved_from")] = endpointJson(snapshot, verdict.resolvedFrom);
    json[QStringLiteral("resolved_to")] = endpointJson(snapshot, verdict.resolvedTo);
    json[QStringLiteral("resolved_port")] =
        verdict.resolvedPort > 0 ? QJsonValue(verdict.resolvedPort) : QJsonValue();
    json[QStringLiteral("service")] =
        verdict.service >= 0 && verdict.service < snapshot.services.size()
            ? QJsonValue(snapshot.services.at(verdict.service).qualifiedName())
            : QJsonValue();
    QJsonArray backends;
    for (const BackendVerdict &backend : verdict.backends) {
        backends.append(QJsonObject{
            {QStringLiteral("pod"), nullIfEmpty(sideName(snapshot, backend.podIndex, {}))},
            {QStringLiteral("address"), nullIfEmpty(backend.address.toString())},
            {QStringLiteral("target_port"),
             backend.targetPort > 0 ? QJsonValue(backend.targetPort) : QJsonValue()},
            {QStringLiteral("verdict"),
             backend.allowed ? QStringLiteral("allow") : QStringLiteral("deny")},
            {QStringLiteral("egress"), directionJson(backend.egress, true, sides.source)},
            {QStringLiteral("ingress"),
             directionJson(backend.ingress, false, backendSubject(snapshot, backend))},
        });
    }
    json[QStringLiteral("backends")] = backends;
    json[QStringLiteral("resolved_backends")] = toJsonArray(backendNames(snapshot, verdict));
    json[QStringLiteral("cni_dependent_reasons")] = toJsonArray(verdict.cniDependentReasons);
    json[QStringLiteral("notes")] = toJsonArray(verdict.notes);
    json[QStringLiteral("enforced")] = verdict.enforced;
    return json;
}

// JSON text of any value, indented like QJsonDocument::Indented and continued at `indent`.
QString jsonText(const QJsonValue &value, int indent)
{
    QByteArray text;
    if (value.isObject()) {
        text = QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented).trimmed();
    } else if (value.isArray()) {
        text = QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented).trimmed();
    } else {
        // QJsonDocument holds only containers: wrap the scalar and unwrap its text.
        text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        text = text.mid(1, text.size() - 2);
    }
    // Strings never hold a raw newline in JSON text, so every newline is layout: empty
    // containers can be closed on their line, and nesting continues at `indent`.
    static const QRegularExpression emptyContainer(QStringLiteral("([\\[{])\\n *([\\]}])"));
    return QString::fromUtf8(text)
        .replace(emptyContainer, QStringLiteral("\\1\\2"))
        .replace(u'\n', u'\n' + QString(indent, u' '));
}

// QJsonObject sorts its keys; a result lists the probe's own fields first, as the contract
// reads, then what was found.
QString resultJson(const QList<std::pair<QString, QJsonValue>> &members)
{
    const QString indent(8, u' ');
    QStringList lines;
    for (const auto &[key, value] : members)
        lines.append(indent + jsonText(key, 8) + QStringLiteral(": ") + jsonText(value, 8));
    return QStringLiteral("    {\n") + lines.join(QStringLiteral(",\n")) +
           QStringLiteral("\n    }");
}

QString portText(const ProbePort &port)
{
    return port.name.isEmpty() ? QString::number(port.number) : port.name;
}

} // namespace

int runReach(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "NetworkPolicy verdicts for a list of probes, as JSON: one object per probe, in input "
        "order, repeating its fields and adding \"verdict\" (allow or deny), \"cni_dependent\" "
        "and \"explanation\".\n"
        "A probe is {\"from\": F, \"to\": T, \"port\": P, \"protocol\": \"TCP\"|\"UDP\"|\"SCTP\"} "
        "where F and T are namespace/pod-name or an IP address, P a number or a port name, and "
        "protocol defaults to TCP.\n"
        "Exit status 2, with nothing on stdout, for an unknown pod or a malformed probe or "
        "policy; 1 when a file cannot be read."));
    addScenarioOptions(parser);
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("probes")},
                                        tr("JSON array of probes."), tr("PROBES.json")));
    if (auto exit = parseScenarioArguments(parser, args, out, err))
        return *exit;
    const QString probesPath = parser.value(QStringLiteral("probes"));
    if (probesPath.isEmpty()) {
        err << "cartograph-cli: " << tr("no probes given; use --probes PROBES.json") << '\n';
        return UsageError;
    }

    auto scenario = loadScenario(parser);
    if (const CommandFailure *failure = std::get_if<CommandFailure>(&scenario)) {
        err << "cartograph-cli: " << failure->message << '\n';
        return failure->exitCode;
    }
    const ClusterSnapshot &snapshot = std::get<ClusterSnapshot>(scenario);
    // Built first: probes name pods, and the engine's index finds them without a scan each.
    const PolicyEngine engine(snapshot);
    auto probes = readProbes(engine, probesPath);
    if (const CommandFailure *failure = std::get_if<CommandFailure>(&probes)) {
        err << "cartograph-cli: " << failure->message << '\n';
        return failure->exitCode;
    }

    QStringList results;
    for (const Probe &probe : std::get<QList<Probe>>(probes)) {
        const PolicyVerdict verdict =
            engine.check(probe.source, probe.destination, probe.destinationPort, probe.protocol);
        const QJsonObject explanation =
            explanationJson(snapshot, verdict, probe.from.toString(), probe.to.toString());
        results.append(resultJson({
            {QStringLiteral("from"), probe.from},
            {QStringLiteral("to"), probe.to},
            {QStringLiteral("port"), probe.port},
            {QStringLiteral("protocol"), probe.protocolText},
            {QStringLiteral("verdict"),
             verdict.allowed ? QStringLiteral("allow") : QStringLiteral("deny")},
            {QStringLiteral("cni_dependent"), verdict.cniDependent},
            {QStringLiteral("explanation"), explanation},
        }));
    }
    // Everything is known before the first byte goes out: a failure never leaves half an array.
    if (results.isEmpty())
        out << "[]\n";
    else
        out << "[\n" << results.join(QStringLiteral(",\n")) << "\n]\n";
    return Ok;
}

int runExplain(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Explain for people whether NetworkPolicy allows one connection, and why: the "
           "verdict, then the source's egress, the destination's ingress, and notes."));
    addScenarioOptions(parser);
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("from")},
                                        tr("Source: namespace/pod-name or an IP address."),
                                        tr("F")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("to")},
                                        tr("Destination: namespace/pod-name or an IP address."),
                                        tr("T")));
    parser.addOption(QCommandLineOption(
        QStringList{QStringLiteral("port")},
        tr("Destination port: a number, or a port name resolved on the destination pod."),
        tr("P")));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("protocol")},
                                        tr("TCP (default), UDP or SCTP."), tr("X"),
                                        QStringLiteral("TCP")));
    if (auto exit = parseScenarioArguments(parser, args, out, err))
        return *exit;
    for (const char *required : {"from", "to", "port"}) {
        if (parser.value(QLatin1String(required)).isEmpty()) {
            err << "cartograph-cli: " << tr("missing --%1").arg(QLatin1String(required)) << '\n';
            return UsageError;
        }
    }
    auto port = portFromText(parser.value(QStringLiteral("port")));
    if (const QString *problem = std::get_if<QString>(&port)) {
        err << "cartograph-cli: --port: " << *problem << '\n';
        return UsageError;
    }
    auto protocol = protocolFromText(parser.value(QStringLiteral("protocol")));
    if (const QString *problem = std::get_if<QString>(&protocol)) {
        err << "cartograph-cli: --protocol: " << *problem << '\n';
        return UsageError;
    }

    auto scenario = loadScenario(parser);
    if (const CommandFailure *failure = std::get_if<CommandFailure>(&scenario)) {
        err << "cartograph-cli: " << failure->message << '\n';
        return failure->exitCode;
    }
    const ClusterSnapshot &snapshot = std::get<ClusterSnapshot>(scenario);
    const QString fromText = parser.value(QStringLiteral("from"));
    const QString toText = parser.value(QStringLiteral("to"));
    const PolicyEngine engine(snapshot);
    auto from = parseEndpoint(engine, fromText);
    if (const QString *problem = std::get_if<QString>(&from)) {
        err << "cartograph-cli: --from: " << *problem << '\n';
        return UsageError;
    }
    auto to = parseEndpoint(engine, toText);
    if (const QString *problem = std::get_if<QString>(&to)) {
        err << "cartograph-cli: --to: " << *problem << '\n';
        return UsageError;
    }

    const ProbePort probePort = std::get<ProbePort>(port);
    const PolicyVerdict verdict =
        engine.check(std::get<PolicyEndpoint>(from), std::get<PolicyEndpoint>(to), probePort,
                     std::get<Protocol>(protocol));

    out << tr("Verdict: %1").arg(verdict.allowed ? tr("ALLOW") : tr("DENY")) << '\n';
    out << "  "
        << tr("%1 -> %2, port %3/%4")
               .arg(fromText, toText, portText(probePort),
                    protocolName(std::get<Protocol>(protocol)))
        << '\n';
    if (verdict.cniDependent) {
        out << "  " << tr("CNI-dependent: the API leaves this case to the CNI plugin") << '\n';
        for (const QString &reason : verdict.cniDependentReasons)
            out << "    - " << reason << '\n';
    }
    if (!verdict.enforced) {
        out << "  "
            << tr("Not enforced: the cluster's CNI does not enforce NetworkPolicy; this is the "
                  "verdict as Kubernetes defines it")
            << '\n';
    }
    const Subjects sides = subjects(snapshot, verdict, fromText, toText);
    const auto printSide = [&](const DirectionVerdict &side, bool egress, const Subject &subject) {
        out << '\n'
            << (egress ? tr("Egress of %1:") : tr("Ingress to %1:")).arg(subject.name) << '\n';
        out << "  ";
        // A pod side the probe never reached has no outcome of its own; the summary says so.
        if (side.evaluated || !subject.pod)
            out << (side.allowed ? tr("allowed") : tr("denied")) << ": ";
        out << directionSummary(side, egress, subject) << '\n';
    };
    printSide(verdict.egress, true, sides.source);
    printSide(verdict.ingress, false, sides.destination);
    if (verdict.service >= 0 && verdict.service < snapshot.services.size()) {
        out << '\n'
            << tr("Service %1, backends:")
                   .arg(snapshot.services.at(verdict.service).qualifiedName())
            << '\n';
        if (verdict.backends.isEmpty())
            out << "  " << tr("(none)") << '\n';
        for (const BackendVerdict &backend : verdict.backends) {
            out << "  " << (backend.allowed ? tr("allow") : tr("deny")) << "  "
                << backendSubject(snapshot, backend).name;
            if (backend.targetPort > 0)
                out << ' ' << tr("port %1").arg(backend.targetPort);
            out << '\n';
        }
    }
    if (!verdict.notes.isEmpty()) {
        out << '\n' << tr("Notes:") << '\n';
        for (const QString &note : verdict.notes)
            out << "  - " << note << '\n';
    }
    return Ok;
}

} // namespace cartograph::cli
