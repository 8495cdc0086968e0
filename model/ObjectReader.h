#pragma once

// Internal to the model library: turns one decoded Kubernetes object into model values.

#include "ClusterSnapshot.h"
#include "ItemTree.h"
#include "Result.h"

#include <string>
#include <string_view>

namespace cartograph::detail {

// A JSON path kept as a chain of stack frames: free to extend, formatted only on error.
struct JsonPath
{
    const JsonPath *parent = nullptr;
    const char *key = nullptr;  // object member, or
    std::string_view keyView{}; // object member named at run time, or
    qint64 index = -1;          // array element
    QString toString() const;
};

// How readObject treats what it is given. Snapshots are read leniently (a newer API server adds
// fields Cartograph does not know, and they must keep loading); policies a person wrote for
// `--apply` are read as `kubectl apply --validate=strict` would.
struct ReadOptions
{
    // Every object must be a networking.k8s.io/v1 NetworkPolicy.
    bool networkPoliciesOnly = false;
    // A member the NetworkPolicy types do not define, or one given twice, is an error naming its
    // path. The loader must then build every member (no isIgnoredSubtree filtering).
    bool rejectUnknownFields = false;
};

// Adds `object` (a decoded item) to `into`. Unknown kinds are counted in skippedKinds.
// `path` locates the object in its document ("items[12]", or empty for a top-level object).
// Errors carry `sourceName` as file and the JSON path of the offending field.
// Items of a typed list (PodList, ServiceList as the API server returns them) carry no kind or
// apiVersion of their own: `listKind`/`listApiVersion` supply them.
Status readObject(const ItemValue &object, const QString &sourceName, const JsonPath &path,
                  ClusterSnapshot &into, const std::string &listKind = {},
                  const std::string &listApiVersion = {}, const ReadOptions &options = {});

// Members the loader need not build at all because readObject never reads them, by the key of
// the object holding them. Only structural parents (metadata, spec, status, container entries,
// conditions, annotations) are filtered, never user maps such as labels or selectors, so a label
// called "env" is always kept.
bool isIgnoredSubtree(std::string_view parentKey, std::string_view key);

} // namespace cartograph::detail
