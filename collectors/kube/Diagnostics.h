#pragma once

#include "ClusterCollector.h"
#include "ClusterSnapshot.h"
#include "KubeError.h"
#include "Kubeconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace cartograph::kube {

// Turns failures and cluster state into explanations an admin can act on: what is wrong, the
// facts behind it, and what to do. Shared by the GUI's diagnostics panel and
// `cartograph-cli diagnose`.

enum class Severity
{
    Info,
    Warning,
    Error,
};
QString severityName(Severity severity); // "info", "warning", "error"

struct Finding
{
    Severity severity = Severity::Info;
    QString id;      // stable, for scripts: "kubeconfig-missing", "node-not-ready", …
    QString subject; // what it is about: a file, a context, "node/worker-1", "kube-system/dns"
    QString title;
    QString detail;
    QString suggestion;
};

// A failure to load a kubeconfig or to reach/authenticate to the API server.
QList<Finding> diagnoseError(const KubeError &error);
// Resources the user could not read (403) or the server does not serve (404).
QList<Finding> diagnoseAccessIssues(const QList<AccessIssue> &issues, const QString &contextName);
// Settings of the connection itself worth a warning (insecure-skip-tls-verify, exec plugin).
QList<Finding> diagnoseConnection(const ClusterConnection &connection);
// What a snapshot (live or a file) shows: nodes NotReady, static pods without their mirror
// pods on control-plane nodes, a CNI that ignores NetworkPolicies that exist, NodePort URLs.
QList<Finding> diagnoseSnapshot(const ClusterSnapshot &snapshot);

// installer/kubernetes/cartograph-reader-clusterrole.yaml, compiled in: the minimal read-only
// ClusterRole the 403 suggestion quotes.
QString readerClusterRoleYaml();

// {"findings": [{"severity", "id", "subject", "title", "detail", "suggestion"}, ...]}
QByteArray findingsToJson(const QList<Finding> &findings);
// One block per finding: "error: TITLE\n  DETAIL\n  suggestion: …"
QString findingsToText(const QList<Finding> &findings);

} // namespace cartograph::kube
