#include "SnapshotIo.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cartograph {

using json = nlohmann::json;

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

json labelsJson(const Labels &labels)
{
    json object = json::object();
    for (const auto &[key, value] : labels)
        object[s(key)] = s(value);
    return object;
}

json selectorJson(const LabelSelector &selector)
{
    json object = json::object();
    if (!selector.matchLabels.isEmpty())
        object["matchLabels"] = labelsJson(selector.matchLabels);
    if (!selector.matchExpressions.isEmpty()) {
        json expressions = json::array();
        for (const auto &requirement : selector.matchExpressions) {
            json r = {{"key", s(requirement.key)}, {"operator", s(operatorName(requirement.op))}};
            if (!requirement.values.isEmpty()) {
                json values = json::array();
                for (const QString &value : requirement.values)
                    values.push_back(s(value));
                r["values"] = values;
            }
            expressions.push_back(r);
        }
        object["matchExpressions"] = expressions;
    }
    return object;
}

json metadata(const QString &name, const QString &namespaceName, const Labels &labels)
{
    json meta = {{"name", s(name)}};
    if (!namespaceName.isEmpty())
        meta["namespace"] = s(namespaceName);
    if (!labels.isEmpty())
        meta["labels"] = labelsJson(labels);
    return meta;
}

json containersJson(const QList<Container> &containers, bool init)
{
    json array = json::array();
    for (const Container &container : containers) {
        if (container.init != init)
            continue;
        json c = {{"name", s(container.name)}};
        if (!container.image.isEmpty())
            c["image"] = s(container.image);
        if (!container.ports.isEmpty()) {
            json ports = json::array();
            for (const ContainerPort &port : container.ports) {
                json p = {{"containerPort", port.containerPort},
                          {"protocol", s(protocolName(port.protocol))}};
                if (!port.name.isEmpty())
                    p["name"] = s(port.name);
                if (port.hostPort)
                    p["hostPort"] = port.hostPort;
                ports.push_back(p);
            }
            c["ports"] = ports;
        }
        array.push_back(c);
    }
    return array;
}

json namespaceJson(const Namespace &ns)
{
    json item = {{"apiVersion", "v1"},
                 {"kind", "Namespace"},
                 {"metadata", metadata(ns.name, {}, ns.labels)}};
    if (!ns.phase.isEmpty())
        item["status"] = {{"phase", s(ns.phase)}};
    return item;
}

const char *conditionName(ConditionStatus status)
{
    switch (status) {
    case ConditionStatus::True:
        return "True";
    case ConditionStatus::False:
        return "False";
    case ConditionStatus::Unknown:
        return "Unknown";
    }
    return "Unknown";
}

json nodeJson(const Node &node)
{
    json spec = json::object();
    if (!node.podCidrs.isEmpty()) {
        spec["podCIDR"] = s(node.podCidrs.first().toString());
        json cidrs = json::array();
        for (const Cidr &cidr : node.podCidrs)
            cidrs.push_back(s(cidr.toString()));
        spec["podCIDRs"] = cidrs;
    }
    if (node.unschedulable)
        spec["unschedulable"] = true;
    if (!node.taints.isEmpty()) {
        json taints = json::array();
        for (const Taint &taint : node.taints) {
            json t = {{"key", s(taint.key)}, {"effect", s(taint.effect)}};
            if (!taint.value.isEmpty())
                t["value"] = s(taint.value);
            taints.push_back(t);
        }
        spec["taints"] = taints;
    }
    json addresses = json::array();
    for (const NodeAddress &address : node.addresses)
        addresses.push_back({{"type", s(address.type)}, {"address", s(address.address)}});
    json ready = {{"type", "Ready"}, {"status", conditionName(node.ready)}};
    if (!node.readyReason.isEmpty())
        ready["reason"] = s(node.readyReason);
    if (!node.readyMessage.isEmpty())
        ready["message"] = s(node.readyMessage);
    if (!node.lastHeartbeat.isEmpty())
        ready["lastHeartbeatTime"] = s(node.lastHeartbeat);
    json status = {{"addresses", addresses}, {"conditions", json::array({ready})}};
    json info = json::object();
    if (!node.kubeletVersion.isEmpty())
        info["kubeletVersion"] = s(node.kubeletVersion);
    if (!node.osImage.isEmpty())
        info["osImage"] = s(node.osImage);
    if (!node.containerRuntime.isEmpty())
        info["containerRuntimeVersion"] = s(node.containerRuntime);
    if (!node.architecture.isEmpty())
        info["architecture"] = s(node.architecture);
    if (!info.empty())
        status["nodeInfo"] = info;
    return {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata", metadata(node.name, {}, node.labels)},
            {"spec", spec},
            {"status", status}};
}

json podJson(const Pod &pod)
{
    json meta = metadata(pod.name, pod.namespaceName, pod.labels);
    if (!pod.uid.isEmpty())
        meta["uid"] = s(pod.uid);
    json annotations = json::object();
    if (pod.mirrorPod)
        annotations["kubernetes.io/config.mirror"] = "";
    if (!pod.configSource.isEmpty())
        annotations["kubernetes.io/config.source"] = s(pod.configSource);
    if (!annotations.empty())
        meta["annotations"] = annotations;
    if (pod.owner) {
        meta["ownerReferences"] = json::array({{{"kind", s(pod.owner->kind)},
                                                {"name", s(pod.owner->name)},
                                                {"controller", pod.owner->controller}}});
    }
    json spec = {{"containers", containersJson(pod.containers, false)}};
    const json init = containersJson(pod.containers, true);
    if (!init.empty())
        spec["initContainers"] = init;
    if (!pod.nodeName.isEmpty())
        spec["nodeName"] = s(pod.nodeName);
    if (pod.hostNetwork)
        spec["hostNetwork"] = true;
    json status = json::object();
    if (!pod.phase.isEmpty())
        status["phase"] = s(pod.phase);
    if (!pod.hostIp.isNull())
        status["hostIP"] = s(pod.hostIp.toString());
    if (!pod.podIps.isEmpty()) {
        status["podIP"] = s(pod.podIps.first().toString());
        json ips = json::array();
        for (const IpAddress &ip : pod.podIps)
            ips.push_back({{"ip", s(ip.toString())}});
        status["podIPs"] = ips;
    }
    status["conditions"] =
        json::array({{{"type", "Ready"}, {"status", pod.ready ? "True" : "False"}}});
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", meta},
            {"spec", spec},
            {"status", status}};
}

json serviceJson(const Service &service)
{
    json spec = {{"type", s(serviceTypeName(service.type))}};
    json ips = json::array();
    if (service.headless)
        ips.push_back("None");
    for (const IpAddress &ip : service.clusterIps)
        ips.push_back(s(ip.toString()));
    if (!ips.empty()) {
        spec["clusterIP"] = ips.front();
        spec["clusterIPs"] = ips;
    }
    json ports = json::array();
    for (const ServicePort &port : service.ports) {
        json p = {{"port", port.port}, {"protocol", s(protocolName(port.protocol))}};
        if (!port.name.isEmpty())
            p["name"] = s(port.name);
        if (!port.targetPortName.isEmpty())
            p["targetPort"] = s(port.targetPortName);
        else if (port.targetPortNumber)
            p["targetPort"] = port.targetPortNumber;
        if (port.nodePort)
            p["nodePort"] = port.nodePort;
        if (!port.appProtocol.isEmpty())
            p["appProtocol"] = s(port.appProtocol);
        ports.push_back(p);
    }
    if (!ports.empty())
        spec["ports"] = ports;
    if (service.selector)
        spec["selector"] = labelsJson(*service.selector);
    if (!service.externalName.isEmpty())
        spec["externalName"] = s(service.externalName);
    if (!service.externalIps.isEmpty()) {
        json external = json::array();
        for (const QString &ip : service.externalIps)
            external.push_back(s(ip));
        spec["externalIPs"] = external;
    }
    if (!service.externalTrafficPolicy.isEmpty())
        spec["externalTrafficPolicy"] = s(service.externalTrafficPolicy);
    json item = {{"apiVersion", "v1"},
                 {"kind", "Service"},
                 {"metadata", metadata(service.name, service.namespaceName, service.labels)},
                 {"spec", spec}};
    if (!service.loadBalancerIngress.isEmpty()) {
        json ingress = json::array();
        for (const QString &address : service.loadBalancerIngress) {
            const bool isIp = IpAddress::parse(address).has_value();
            ingress.push_back({{isIp ? "ip" : "hostname", s(address)}});
        }
        item["status"] = {{"loadBalancer", {{"ingress", ingress}}}};
    }
    return item;
}

json endpointSliceJson(const EndpointSlice &slice)
{
    Labels labels;
    if (!slice.serviceName.isEmpty())
        labels.insert(QStringLiteral("kubernetes.io/service-name"), slice.serviceName);
    json endpoints = json::array();
    for (const EndpointRef &endpoint : slice.endpoints) {
        json addresses = json::array();
        for (const QString &address : endpoint.addresses)
            addresses.push_back(s(address));
        json e = {{"addresses", addresses},
                  {"conditions",
                   {{"ready", endpoint.ready},
                    {"serving", endpoint.serving},
                    {"terminating", endpoint.terminating}}}};
        if (!endpoint.nodeName.isEmpty())
            e["nodeName"] = s(endpoint.nodeName);
        if (!endpoint.targetName.isEmpty()) {
            e["targetRef"] = {{"kind", s(endpoint.targetKind)},
                              {"name", s(endpoint.targetName)},
                              {"namespace", s(endpoint.targetNamespace)}};
        }
        endpoints.push_back(e);
    }
    json ports = json::array();
    for (const EndpointPort &port : slice.ports) {
        json p = {{"protocol", s(protocolName(port.protocol))}};
        if (!port.name.isEmpty())
            p["name"] = s(port.name);
        if (port.port)
            p["port"] = port.port;
        ports.push_back(p);
    }
    return {{"apiVersion", "discovery.k8s.io/v1"},
            {"kind", "EndpointSlice"},
            {"metadata", metadata(slice.name, slice.namespaceName, labels)},
            {"addressType", s(slice.addressType)},
            {"endpoints", endpoints},
            {"ports", ports}};
}

json ruleJson(const NetworkPolicyRule &rule, const char *peersKey)
{
    json object = json::object();
    if (!rule.peers.isEmpty()) {
        json peers = json::array();
        for (const NetworkPolicyPeer &peer : rule.peers) {
            json p = json::object();
            if (peer.podSelector)
                p["podSelector"] = selectorJson(*peer.podSelector);
            if (peer.namespaceSelector)
                p["namespaceSelector"] = selectorJson(*peer.namespaceSelector);
            if (peer.ipBlock) {
                json block = {{"cidr", s(peer.ipBlock->cidr.toString())}};
                if (!peer.ipBlock->except.isEmpty()) {
                    json except = json::array();
                    for (const Cidr &cidr : peer.ipBlock->except)
                        except.push_back(s(cidr.toString()));
                    block["except"] = except;
                }
                p["ipBlock"] = block;
            }
            peers.push_back(p);
        }
        object[peersKey] = peers;
    }
    if (!rule.ports.isEmpty()) {
        json ports = json::array();
        for (const NetworkPolicyPort &port : rule.ports) {
            json p = json::object();
            if (port.protocol)
                p["protocol"] = s(protocolName(*port.protocol));
            if (port.portNumber)
                p["port"] = *port.portNumber;
            else if (port.portName)
                p["port"] = s(*port.portName);
            if (port.endPort)
                p["endPort"] = *port.endPort;
            ports.push_back(p);
        }
        object["ports"] = ports;
    }
    return object;
}

json networkPolicyJson(const NetworkPolicy &policy)
{
    json spec = {{"podSelector", selectorJson(policy.podSelector)}};
    if (!policy.ingress.isEmpty()) {
        json rules = json::array();
        for (const auto &rule : policy.ingress)
            rules.push_back(ruleJson(rule, "from"));
        spec["ingress"] = rules;
    }
    if (!policy.egress.isEmpty()) {
        json rules = json::array();
        for (const auto &rule : policy.egress)
            rules.push_back(ruleJson(rule, "to"));
        spec["egress"] = rules;
    }
    if (policy.policyTypes) {
        json types = json::array();
        for (PolicyType type : *policy.policyTypes)
            types.push_back(type == PolicyType::Ingress ? "Ingress" : "Egress");
        spec["policyTypes"] = types;
    }
    return {{"apiVersion", "networking.k8s.io/v1"},
            {"kind", "NetworkPolicy"},
            {"metadata", metadata(policy.name, policy.namespaceName, policy.labels)},
            {"spec", spec}};
}

json daemonSetJson(const DaemonSet &ds)
{
    json containers = json::array();
    for (qsizetype i = 0; i < ds.containerNames.size(); ++i) {
        json c = {{"name", s(ds.containerNames[i])}};
        if (i < ds.images.size())
            c["image"] = s(ds.images[i]);
        containers.push_back(c);
    }
    json podSpec = {{"containers", containers}};
    if (ds.hostNetwork)
        podSpec["hostNetwork"] = true;
    return {{"apiVersion", "apps/v1"},
            {"kind", "DaemonSet"},
            {"metadata", metadata(ds.name, ds.namespaceName, ds.labels)},
            {"spec", {{"template", {{"spec", podSpec}}}}},
            {"status", {{"desiredNumberScheduled", ds.desired}, {"numberReady", ds.ready}}}};
}

json nodeNetworkJson(const NodeNetwork &network)
{
    json interfaces = json::array();
    for (const NetworkInterface &iface : network.interfaces) {
        json i = {{"ifname", s(iface.name)}, {"kind", s(interfaceKindName(iface.kind))}};
        if (iface.mtu)
            i["mtu"] = iface.mtu;
        if (!iface.mac.isEmpty())
            i["address"] = s(iface.mac);
        if (!iface.state.isEmpty())
            i["operstate"] = s(iface.state);
        if (!iface.master.isEmpty())
            i["master"] = s(iface.master);
        if (!iface.addresses.isEmpty()) {
            json addrs = json::array();
            for (const InterfaceAddress &address : iface.addresses) {
                json a = {{"local", s(address.address.toString())},
                          {"prefixlen", address.prefixLength}};
                if (!address.broadcast.isNull())
                    a["broadcast"] = s(address.broadcast.toString());
                if (!address.scope.isEmpty())
                    a["scope"] = s(address.scope);
                addrs.push_back(a);
            }
            i["addrs"] = addrs;
        }
        if (!iface.peerPod.isEmpty() || !iface.peerIfName.isEmpty())
            i["peer"] = {{"pod", s(iface.peerPod)}, {"ifname", s(iface.peerIfName)}};
        if (isTunnel(iface.kind)) {
            json tunnel = json::object();
            if (iface.vni)
                tunnel["id"] = *iface.vni;
            if (iface.udpPort)
                tunnel["port"] = iface.udpPort;
            if (!iface.tunnelLocal.isNull())
                tunnel["local"] = s(iface.tunnelLocal.toString());
            if (!iface.tunnelRemote.isNull())
                tunnel["remote"] = s(iface.tunnelRemote.toString());
            if (!iface.underlayDevice.isEmpty())
                tunnel["link"] = s(iface.underlayDevice);
            if (!tunnel.empty())
                i[s(interfaceKindName(iface.kind))] = tunnel;
        }
        interfaces.push_back(i);
    }
    json routes = json::array();
    for (const Route &route : network.routes) {
        json r = {{"dst", route.destination.prefixLength() == 0 ? std::string("default")
                                                                : s(route.destination.toString())}};
        if (!route.gateway.isNull())
            r["gateway"] = s(route.gateway.toString());
        if (!route.device.isEmpty())
            r["dev"] = s(route.device);
        if (route.onLink)
            r["flags"] = json::array({"onlink"});
        if (!route.protocol.isEmpty())
            r["protocol"] = s(route.protocol);
        routes.push_back(r);
    }
    json status = {{"interfaces", interfaces}, {"routes", routes}};
    if (!network.staticPodPath.isEmpty())
        status["staticPodPath"] = s(network.staticPodPath);
    if (!network.cniConfigFile.isEmpty() || !network.cniPlugins.isEmpty()) {
        json plugins = json::array();
        for (const QString &plugin : network.cniPlugins)
            plugins.push_back(s(plugin));
        status["cni"] = {{"configFile", s(network.cniConfigFile)},
                         {"name", s(network.cniNetworkName)},
                         {"plugins", plugins}};
    }
    return {{"apiVersion", "cartograph.io/v1alpha1"},
            {"kind", "NodeNetwork"},
            {"metadata", {{"name", s(network.nodeName)}}},
            {"status", status}};
}

} // namespace

namespace {

// Writes the snapshot as the `kind: List` document nlohmann would print for it (members in key
// order, items between them), one item at a time: only one item is ever built as a json value,
// where building the whole document first held several copies of the cluster (the items, the
// list made from them, the text) — gigabytes at 150,000 pods.
template <typename Sink>
void writeSnapshotJson(const ClusterSnapshot &snapshot, bool indented, Sink &&sink)
{
    bool first = true;
    std::string text;
    auto item = [&](const json &value) {
        if (!indented) {
            if (!first)
                sink(",", 1);
            text = value.dump();
            sink(text.data(), text.size());
            first = false;
            return;
        }
        // Items sit two levels (eight spaces) deep. A JSON string holds no raw line break, so
        // each one in the printed item starts a line to indent.
        const std::string printed = value.dump(4);
        text.assign(first ? "\n        " : ",\n        ");
        for (const char c : printed) {
            text += c;
            if (c == '\n')
                text.append(8, ' ');
        }
        sink(text.data(), text.size());
        first = false;
    };
    auto put = [&](std::string_view part) { sink(part.data(), part.size()); };

    put(indented ? "{\n    \"apiVersion\": \"v1\",\n    \"items\": ["
                 : R"({"apiVersion":"v1","items":[)");
    for (const auto &ns : snapshot.namespaces)
        item(namespaceJson(ns));
    for (const auto &node : snapshot.nodes)
        item(nodeJson(node));
    for (const auto &pod : snapshot.pods)
        item(podJson(pod));
    for (const auto &service : snapshot.services)
        item(serviceJson(service));
    for (const auto &slice : snapshot.endpointSlices)
        item(endpointSliceJson(slice));
    for (const auto &policy : snapshot.networkPolicies)
        item(networkPolicyJson(policy));
    for (const auto &ds : snapshot.daemonSets)
        item(daemonSetJson(ds));
    for (const auto &network : snapshot.nodeNetworks)
        item(nodeNetworkJson(network));
    if (indented) {
        put(first ? "],\n" : "\n    ],\n");
        put("    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    "
            "}\n}\n");
    } else {
        put(R"(],"kind":"List","metadata":{"resourceVersion":""}})"
            "\n");
    }
}

} // namespace

QByteArray snapshotToJson(const ClusterSnapshot &snapshot, bool indented)
{
    QByteArray out;
    writeSnapshotJson(snapshot, indented,
                      [&](const char *data, size_t size) { out.append(data, qsizetype(size)); });
    return out;
}

Status saveSnapshotFile(const ClusterSnapshot &snapshot, const QString &path)
{
    QSaveFile file(path);
    Error error;
    error.code = ErrorCode::WriteFailed;
    error.file = path;
    if (!file.open(QIODevice::WriteOnly)) {
        error.detail = file.errorString();
        return error;
    }
    // Streamed through a small buffer: the file's text is never held whole.
    constexpr size_t kFlushSize = 1 << 20;
    std::string buffer;
    buffer.reserve(kFlushSize + 64 * 1024);
    bool written = true;
    auto flush = [&] {
        if (written && !buffer.empty())
            written = file.write(buffer.data(), qint64(buffer.size())) == qint64(buffer.size());
        buffer.clear();
    };
    writeSnapshotJson(snapshot, true, [&](const char *data, size_t size) {
        buffer.append(data, size);
        if (buffer.size() >= kFlushSize)
            flush();
    });
    flush();
    if (!written || !file.commit()) {
        error.detail = file.errorString();
        return error;
    }
    return Success{};
}

} // namespace cartograph
