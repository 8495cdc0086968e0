#pragma once

#include "ClusterSnapshot.h"
#include "Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <atomic>

class QIODevice;

namespace cartograph {

// Reads Kubernetes objects as kubectl prints them: a List (JSON or YAML), a single object,
// multi-document YAML. Items are appended to `into`; unknown kinds are counted and skipped.
// JSON is streamed (SAX): memory stays near one item plus the model, whatever the file size.
// `cancel`, when given, is polled between items; a cancelled load returns ErrorCode::Cancelled.
Status loadSnapshotFile(const QString &path, ClusterSnapshot &into,
                        const std::atomic_bool *cancel = nullptr);
Status loadSnapshotData(const QByteArray &data, const QString &sourceName, ClusterSnapshot &into,
                        const std::atomic_bool *cancel = nullptr);

// Several files into one snapshot; stops at the first error (which names its file).
Result<ClusterSnapshot> loadSnapshotFiles(const QStringList &paths,
                                          const std::atomic_bool *cancel = nullptr);

// NetworkPolicies a person wrote, for a what-if (`kubectl apply -f` input): one object,
// multi-document YAML, or a List, JSON or YAML. Every object must be a networking.k8s.io/v1
// NetworkPolicy, validated as the API server would (field path and reason); when `strict`, a
// field the API does not define, or one given twice, is an error too (kubectl --validate=strict).
// Policies come back in file order; a namespace left out is "default".
Result<QList<NetworkPolicy>> loadPolicyFile(const QString &path, bool strict = true);

// Writes the snapshot as a `kind: List` JSON document kubectl and jq read.
QByteArray snapshotToJson(const ClusterSnapshot &snapshot, bool indented = true);
// Through QSaveFile: the old file survives a failed write.
Status saveSnapshotFile(const ClusterSnapshot &snapshot, const QString &path);

} // namespace cartograph
