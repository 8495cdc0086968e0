#include "Diagnostics.h"

#include "CniDetection.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace cartograph::kube {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cartograph::kube::Diagnostics", text);
}

Finding finding(Severity severity, const char *id, QString subject, QString title, QString detail,
                QString suggestion)
{
    return Finding{severity,         QString::fromLatin1(id), std::move(subject),
                   std::move(title), std::move(detail),       std::move(suggestion)};
}

QString contextSubject(const KubeError &error)
{
    return error.contextName.isEmpty() ? error.url.toString(QUrl::RemoveUserInfo)
                                       : tr("context %1").arg(error.contextName);
}

QString serverAndContext(const KubeError &error)
{
    QString text =
        tr("Server: %1").arg(error.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
    if (!error.contextName.isEmpty())
        text += u'\n' + tr("Context: %1").arg(error.contextName);
    return text;
}

QString hostPort(const QUrl &url)
{
    return url.host() + u':' + QString::number(url.port(url.scheme() == u"http" ? 80 : 443));
}

QString qualifiedResource(const QString &resource, const QString &group)
{
    return group.isEmpty() ? resource : resource + u'.' + group;
}

// The ClusterRole document of the shipped file (without the binding example).
QString clusterRoleDocument()
{
    const QString yaml = readerClusterRoleYaml();
    const qsizetype start = yaml.indexOf(QStringLiteral("apiVersion:"));
    const qsizetype end = yaml.indexOf(QStringLiteral("\n---"));
    return yaml.mid(start, end < 0 ? -1 : end - start).trimmed();
}

QString forbiddenSuggestion(const QString &verb, const QString &resource, const QString &group)
{
    return tr("Check with `kubectl auth can-i %1 %2`. Ask a cluster admin to bind the minimal "
              "read-only ClusterRole Cartograph needs (get, list and watch on what it reads), "
              "shipped as installer/kubernetes/cartograph-reader-clusterrole.yaml with a "
              "ClusterRoleBinding example:\n%3")
        .arg(verb, qualifiedResource(resource, group), clusterRoleDocument());
}

QString authProviderSuggestion(const QString &provider)
{
    if (provider == u"gcp")
        return tr("Install the gke-gcloud-auth-plugin exec plugin (`gcloud components install "
                  "gke-gcloud-auth-plugin` or the google-cloud-cli-gke-gcloud-auth-plugin "
                  "package) and run `gcloud container clusters get-credentials CLUSTER` again: it "
                  "writes an exec entry in place of the auth-provider.");
    if (provider == u"azure")
        return tr("Use the kubelogin exec plugin: `kubelogin convert-kubeconfig -l azurecli` "
                  "rewrites the auth-provider entry into an exec entry (or run `az aks "
                  "get-credentials` again).");
    if (provider == u"oidc")
        return tr("Use an OIDC exec plugin such as kubelogin (`kubectl oidc-login setup`, "
                  "int128/kubelogin), which replaces the oidc auth-provider with an exec entry.");
    return tr("Replace the auth-provider entry with an exec credential plugin from your "
              "provider (client.authentication.k8s.io/v1).");
}

} // namespace

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return {};
}

QString readerClusterRoleYaml()
{
    QFile file(QStringLiteral(":/kubernetes/cartograph-reader-clusterrole.yaml"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QList<Finding> diagnoseError(const KubeError &error)
{
    const QString message = describe(error);
    switch (error.code) {
    case KubeErrorCode::KubeconfigMissing: {
        QString looked;
        for (const QString &path : error.searchedPaths)
            looked += QStringLiteral("\n  ") + path;
        return {finding(
            Severity::Error, "kubeconfig-missing", error.searchedPaths.join(u':'),
            tr("No kubeconfig found"),
            (error.detail.isEmpty() ? QString() : tr("Asked for by %1.").arg(error.detail) + u' ') +
                tr("Looked at (kubectl's order: --kubeconfig, then each KUBECONFIG entry, then "
                   "~/.kube/config):") +
                looked,
            tr("Pass --kubeconfig FILE or set KUBECONFIG. On a kubeadm control-plane node copy "
               "/etc/kubernetes/admin.conf to ~/.kube/config; for managed clusters run `aws eks "
               "update-kubeconfig`, `gcloud container clusters get-credentials` or `az aks "
               "get-credentials`."))};
    }
    case KubeErrorCode::KubeconfigInvalid:
        return {finding(Severity::Error, "kubeconfig-invalid", error.fileError.file,
                        tr("The kubeconfig cannot be read"), message,
                        error.fileError.line > 0
                            ? tr("Fix %1 at line %2; `kubectl config view --kubeconfig %1` shows "
                                 "what kubectl makes of it.")
                                  .arg(error.fileError.file)
                                  .arg(error.fileError.line)
                            : tr("Fix %1; `kubectl config view --kubeconfig %1` shows what kubectl "
                                 "makes of it.")
                                  .arg(error.fileError.file))};
    case KubeErrorCode::ContextNotFound:
    case KubeErrorCode::NoCurrentContext:
    case KubeErrorCode::ClusterNotFound:
    case KubeErrorCode::UserNotFound:
        return {finding(Severity::Error, "kubeconfig-context", error.contextName,
                        tr("The kubeconfig has no usable context"), message,
                        tr("List the contexts with `cartograph-cli contexts` (or `kubectl config "
                           "get-contexts`) and pick one with --context NAME or `kubectl config "
                           "use-context NAME`."))};
    case KubeErrorCode::AuthProviderLegacy:
        return {
            finding(Severity::Error, "auth-provider-removed", error.fileError.file,
                    tr("The kubeconfig uses a removed auth-provider (\"%1\")").arg(error.detail),
                    message, authProviderSuggestion(error.detail))};
    case KubeErrorCode::ExecNotApproved:
        return {finding(Severity::Error, "exec-not-approved", error.command,
                        tr("The exec credential plugin was not allowed to run"), message,
                        tr("Cartograph runs a kubeconfig's exec plugin only once you approve the "
                           "command; connect again and approve it if you trust the kubeconfig."))};
    case KubeErrorCode::ExecInteractive:
    case KubeErrorCode::ExecFailed:
    case KubeErrorCode::ExecBadOutput:
        return {finding(Severity::Error, "exec-plugin-failed", error.command,
                        tr("The exec credential plugin did not give a credential"), message,
                        tr("Run the command in a terminal to see what it needs (often a login: "
                           "`aws sso login`, `gcloud auth login`, `az login`), then try again:\n"
                           "  %1")
                            .arg(error.command))};
    case KubeErrorCode::CredentialFileUnreadable:
    case KubeErrorCode::CredentialInvalid:
        return {finding(Severity::Error, "credential-file", error.fileError.file,
                        tr("A credential named by the kubeconfig cannot be used"), message,
                        tr("Check the path and permissions, or replace the file with the "
                           "*-data form of the field."))};
    case KubeErrorCode::DnsFailure:
        return {finding(Severity::Error, "server-dns", contextSubject(error),
                        tr("The API server's name does not resolve"),
                        message + u'\n' + serverAndContext(error),
                        tr("Check the cluster's server in the kubeconfig and your DNS / VPN: "
                           "`getent hosts %1`.")
                            .arg(error.url.host()))};
    case KubeErrorCode::ConnectionRefused:
        return {finding(Severity::Error, "server-refused", contextSubject(error),
                        tr("The API server refused the connection"),
                        message + u'\n' + serverAndContext(error),
                        tr("Nothing listens on %1. Is the API server running? On the control "
                           "plane: `crictl ps --name kube-apiserver`, `systemctl status kubelet`, "
                           "`journalctl -u kubelet`. Check the port (usually 6443) and any "
                           "firewall or load balancer in front of it.")
                            .arg(hostPort(error.url)))};
    case KubeErrorCode::Timeout:
        return {finding(Severity::Error, "server-timeout", contextSubject(error),
                        tr("The API server did not answer in time"),
                        message + u'\n' + serverAndContext(error),
                        tr("A firewall dropping packets, a VPN that is down, or an overloaded API "
                           "server. Try `curl -k https://%1/livez` from this machine.")
                            .arg(hostPort(error.url)))};
    case KubeErrorCode::TlsUnknownCa:
        return {finding(Severity::Error, "tls-unknown-ca", contextSubject(error),
                        tr("The server's certificate is not signed by the kubeconfig's CA"),
                        message + u'\n' + serverAndContext(error),
                        tr("The cluster's certificate-authority(-data) does not match the "
                           "server: get a fresh kubeconfig for this cluster (kubeadm: "
                           "/etc/kubernetes/admin.conf), or check that nothing intercepts TLS "
                           "on the way. Do not switch on insecure-skip-tls-verify to hide this."))};
    case KubeErrorCode::TlsHostnameMismatch:
        return {finding(Severity::Error, "tls-hostname-mismatch", contextSubject(error),
                        tr("The server's certificate is not valid for %1").arg(error.url.host()),
                        message + u'\n' + serverAndContext(error),
                        tr("Connect with a name the certificate lists, set tls-server-name in the "
                           "cluster entry to one of them, or add the name to the API server's "
                           "certificate (kubeadm: --apiserver-cert-extra-sans, then `kubeadm "
                           "init phase certs apiserver`)."))};
    case KubeErrorCode::TlsClientCertificateExpired:
        return {finding(Severity::Error, "client-certificate-expired", contextSubject(error),
                        tr("The client certificate expired on %1")
                            .arg(error.certificateExpiry.toUTC().toString(Qt::ISODate)),
                        message + u'\n' + serverAndContext(error),
                        tr("Get a new certificate. kubeadm clusters: `kubeadm certs "
                           "check-expiration`, `kubeadm certs renew admin.conf`, then copy "
                           "/etc/kubernetes/admin.conf to your kubeconfig again."))};
    case KubeErrorCode::TlsOther:
    case KubeErrorCode::ProxyFailure:
    case KubeErrorCode::NetworkOther:
        return {finding(Severity::Error, "server-unreachable", contextSubject(error),
                        tr("Cannot reach the API server"),
                        message + u'\n' + serverAndContext(error),
                        tr("Check the server URL, proxy-url and network path; `kubectl "
                           "--context %1 get --raw /version -v=6` shows the same request.")
                            .arg(error.contextName))};
    case KubeErrorCode::Unauthorized:
        return {finding(Severity::Error, "unauthorized", contextSubject(error),
                        tr("The API server rejected the credentials (401 Unauthorized)"),
                        message + u'\n' + serverAndContext(error),
                        tr("The token or certificate is wrong, revoked or expired. Log in again "
                           "(exec plugins: `aws sso login`, `gcloud auth login`, `az login`); "
                           "for a service account, create a fresh token with `kubectl create "
                           "token NAME`."))};
    case KubeErrorCode::Forbidden:
        return {finding(Severity::Error, "forbidden", contextSubject(error),
                        tr("Forbidden: may not %1 %2")
                            .arg(error.verb, qualifiedResource(error.resource, error.group)),
                        error.statusMessage.isEmpty() ? message : error.statusMessage,
                        forbiddenSuggestion(error.verb, error.resource, error.group))};
    case KubeErrorCode::NotFound:
    case KubeErrorCode::Gone:
    case KubeErrorCode::HttpError:
    case KubeErrorCode::BadResponse:
        return {finding(Severity::Error, "server-error", contextSubject(error),
                        tr("The API server gave an unexpected answer"),
                        message + u'\n' + serverAndContext(error),
                        tr("Check that the server URL points at a Kubernetes API server (not a "
                           "dashboard or a load balancer's error page)."))};
    case KubeErrorCode::Cancelled:
        return {};
    }
    return {};
}

QList<Finding> diagnoseAccessIssues(const QList<AccessIssue> &issues, const QString &contextName)
{
    QList<Finding> findings;
    for (const AccessIssue &issue : issues) {
        const QString resource = qualifiedResource(issue.resource, issue.group);
        if (issue.httpStatus == 404 || issue.reason == u"NotFound") {
            findings.append(finding(
                Severity::Warning, "resource-not-served", resource,
                tr("The API server does not serve %1").arg(resource),
                tr("Context %1: %2 %3 answered 404 Not Found; the picture lacks them.")
                    .arg(contextName, issue.verb, resource),
                tr("`kubectl api-resources` lists what this server offers; an older Kubernetes "
                   "version may lack the API.")));
            continue;
        }
        findings.append(finding(
            Severity::Warning, "access-denied", resource,
            tr("May not %1 %2: the picture lacks them").arg(issue.verb, resource),
            issue.message.isEmpty() ? tr("Context %1: %2 %3 is forbidden (%4).")
                                          .arg(contextName, issue.verb, resource, issue.reason)
                                    : issue.message,
            forbiddenSuggestion(issue.verb, issue.resource, issue.group)));
    }
    return findings;
}

QList<Finding> diagnoseConnection(const ClusterConnection &connection)
{
    QList<Finding> findings;
    if (connection.insecureSkipTlsVerify) {
        findings.append(finding(
            Severity::Warning, "tls-verification-off", tr("context %1").arg(connection.contextName),
            tr("TLS verification is switched off for this cluster"),
            tr("The cluster entry \"%1\" sets insecure-skip-tls-verify: anyone on the network "
               "path can pose as the API server and read the credentials sent to it.")
                .arg(connection.clusterName),
            tr("Put the cluster's CA in certificate-authority-data and remove "
               "insecure-skip-tls-verify.")));
    }
    return findings;
}

QList<Finding> diagnoseSnapshot(const ClusterSnapshot &snapshot)
{
    QList<Finding> findings;

    for (const Node &node : snapshot.nodes) {
        if (node.ready == ConditionStatus::True)
            continue;
        QString detail = node.ready == ConditionStatus::Unknown
                             ? tr("Ready is Unknown: the kubelet stopped posting the node's "
                                  "status")
                             : tr("Ready is False");
        if (!node.readyReason.isEmpty())
            detail += QStringLiteral(" (%1)").arg(node.readyReason);
        if (!node.readyMessage.isEmpty())
            detail += QStringLiteral(": ") + node.readyMessage;
        detail += u'\n' + tr("Last heartbeat: %1")
                              .arg(node.lastHeartbeat.isEmpty() ? tr("never") : node.lastHeartbeat);
        findings.append(finding(
            Severity::Error, "node-not-ready", QStringLiteral("node/") + node.name,
            tr("Node %1 is NotReady").arg(node.name), detail,
            tr("On %1 check the kubelet: `systemctl status kubelet`, `journalctl -u kubelet -n "
               "200`; then the container runtime (`systemctl status containerd`, `crictl "
               "info`), disk and memory pressure, and that the node can reach the API server.")
                .arg(node.name)));
    }

    // Static pods: the kubelet runs them from staticPodPath and the API shows mirror pods.
    static const QStringList controlPlaneComponents{
        QStringLiteral("kube-apiserver"), QStringLiteral("etcd"),
        QStringLiteral("kube-controller-manager"), QStringLiteral("kube-scheduler")};
    const bool kubeSystemPodsKnown =
        std::any_of(snapshot.pods.cbegin(), snapshot.pods.cend(),
                    [](const Pod &pod) { return pod.namespaceName == u"kube-system"; });
    if (kubeSystemPodsKnown) {
        for (const Node &node : snapshot.nodes) {
            if (!node.roles.contains(u"control-plane") && !node.roles.contains(u"master"))
                continue;
            QStringList missing;
            for (const QString &component : controlPlaneComponents) {
                const bool present =
                    std::any_of(snapshot.pods.cbegin(), snapshot.pods.cend(), [&](const Pod &pod) {
                        return pod.namespaceName == u"kube-system" && pod.nodeName == node.name &&
                               (pod.name == component + u'-' + node.name ||
                                pod.labels.value(u"component") == component);
                    });
                if (!present)
                    missing.append(component);
            }
            if (missing.isEmpty())
                continue;
            const NodeNetwork *network = snapshot.nodeNetwork(node.name);
            const QString staticPodPath = network && !network->staticPodPath.isEmpty()
                                              ? network->staticPodPath
                                              : QStringLiteral("/etc/kubernetes/manifests");
            findings.append(finding(
                Severity::Warning, "static-pod-missing", QStringLiteral("node/") + node.name,
                tr("Control-plane node %1 has no mirror pod for %2")
                    .arg(node.name, missing.join(QStringLiteral(", "))),
                tr("The kubelet on a control-plane node runs these as static pods from its "
                   "staticPodPath (%1%2) and the API server shows a mirror pod for each, named "
                   "<component>-%3 in kube-system.")
                    .arg(staticPodPath, network && !network->staticPodPath.isEmpty()
                                            ? tr(", reported by the node agent")
                                            : tr(", the kubeadm default"))
                    .arg(node.name),
                tr("On %1: check that %2 holds %3 (`ls %2`), that the kubelet's staticPodPath "
                   "points there (`grep staticPodPath /var/lib/kubelet/config.yaml`), and what "
                   "the kubelet says (`journalctl -u kubelet | grep -i static`); `crictl ps -a` "
                   "shows whether the containers run. An etcd outside the cluster has no "
                   "mirror pod.")
                    .arg(node.name, staticPodPath, [&] {
                        QStringList files;
                        for (const QString &component : missing)
                            files.append(component + QStringLiteral(".yaml"));
                        return files.join(QStringLiteral(", "));
                    }())));
        }
    }

    if (!snapshot.networkPolicies.isEmpty()) {
        const CniDetection cni = detectCni(snapshot);
        if (cni.enforcementKnown && !cni.enforcesNetworkPolicy) {
            findings.append(finding(
                Severity::Warning, "cni-ignores-networkpolicy", cniPluginName(cni.plugin),
                (snapshot.networkPolicies.size() == 1
                     ? tr("%1 does not enforce NetworkPolicy: 1 policy has no effect")
                     : tr("%1 does not enforce NetworkPolicy: %2 policies have no effect"))
                    .arg(cniPluginName(cni.plugin))
                    .arg(snapshot.networkPolicies.size()),
                tr("Evidence: %1").arg(cni.evidence.join(QStringLiteral("; "))),
                tr("Use a CNI that enforces NetworkPolicy (Calico, Cilium, Antrea, Weave), or "
                   "Canal (Flannel for the network, Calico for policy).")));
        } else if (!cni.enforcementKnown) {
            findings.append(finding(
                Severity::Info, "cni-unknown", tr("CNI"),
                tr("Cannot tell whether the CNI enforces the %1 NetworkPolicies")
                    .arg(snapshot.networkPolicies.size()),
                tr("No CNI DaemonSet or node agent data identifies the network plugin."),
                tr("Check the CNI in use (`ls /etc/cni/net.d` on a node); Flannel on its own "
                   "ignores NetworkPolicy.")));
        }
    }

    for (const Service &service : snapshot.services) {
        if (service.type != ServiceType::NodePort && service.type != ServiceType::LoadBalancer)
            continue;
        QStringList urls;
        for (const ServicePort &port : service.ports) {
            if (port.nodePort <= 0)
                continue;
            const QString scheme = port.protocol == Protocol::TCP
                                       ? QStringLiteral("http")
                                       : protocolName(port.protocol).toLower();
            bool anyNode = false;
            for (const Node &node : snapshot.nodes) {
                for (const NodeAddress &address : node.addresses) {
                    if (address.type != u"InternalIP" && address.type != u"ExternalIP")
                        continue;
                    const QString host = address.address.contains(u':')
                                             ? u'[' + address.address + u']'
                                             : address.address;
                    urls.append(QStringLiteral("%1://%2:%3").arg(scheme, host).arg(port.nodePort));
                    anyNode = true;
                }
            }
            if (!anyNode)
                urls.append(
                    QStringLiteral("%1://<node address>:%2").arg(scheme).arg(port.nodePort));
        }
        if (urls.isEmpty())
            continue;
        findings.append(finding(
            Severity::Info, "nodeport", service.qualifiedName(),
            tr("%1 %2 is reachable on every node")
                .arg(serviceTypeName(service.type), service.qualifiedName()),
            tr("URLs:\n  %1").arg(urls.join(QStringLiteral("\n  "))),
            service.externalTrafficPolicy == u"Local"
                ? tr("externalTrafficPolicy is Local: only nodes running a ready backend pod "
                     "answer.")
                : tr("Any node forwards to a backend pod; make sure firewalls allow the node "
                     "port range (30000-32767 by default).")));
    }
    return findings;
}

QByteArray findingsToJson(const QList<Finding> &findings)
{
    QJsonArray array;
    for (const Finding &f : findings) {
        array.append(QJsonObject{{QStringLiteral("severity"), severityName(f.severity)},
                                 {QStringLiteral("id"), f.id},
                                 {QStringLiteral("subject"), f.subject},
                                 {QStringLiteral("title"), f.title},
                                 {QStringLiteral("detail"), f.detail},
                                 {QStringLiteral("suggestion"), f.suggestion}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("findings"), array}}).toJson();
}

QString findingsToText(const QList<Finding> &findings)
{
    QString text;
    auto indent = [](const QString &block) -> QString {
        return QStringLiteral("  ") + QString(block).replace(u'\n', QStringLiteral("\n  "));
    };
    for (const Finding &f : findings) {
        text += severityName(f.severity) + QStringLiteral(": ") + f.title + u'\n';
        if (!f.detail.isEmpty())
            text += indent(f.detail) + u'\n';
        if (!f.suggestion.isEmpty())
            text += indent(tr("suggestion: %1").arg(f.suggestion)) + u'\n';
    }
    return text;
}

} // namespace cartograph::kube
