#pragma once

#include <QStringList>

class QTextStream;

namespace cartograph::cli {

// Live clusters, reached through a kubeconfig exactly as kubectl reads it.
//
// snapshot: lists the cluster once and writes a List snapshot (the loader's format). Exit 0 on
//   success (resources the user may not read are named on stderr); 3 and the diagnosis on
//   stderr when the kubeconfig or the API server fails.
// diagnose: findings with severity, from the live cluster or, offline, from --snapshot files.
//   Exit 0 when nothing has severity error, 3 otherwise.
// contexts: the kubeconfig's contexts as `kubectl config get-contexts` prints them.
int runSnapshot(const QStringList &args, QTextStream &out, QTextStream &err);
int runDiagnose(const QStringList &args, QTextStream &out, QTextStream &err);
int runContexts(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace cartograph::cli
