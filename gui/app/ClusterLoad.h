#pragma once

#include "ClusterSnapshot.h"
#include "CniDetection.h"
#include "IpIndex.h"
#include "Result.h"
#include "SceneDiff.h"
#include "TopologyScene.h"

#include <atomic>
#include <memory>
#include <optional>

namespace cartograph {
class SnapshotSource;
}

namespace cartograph::app {

// Everything the window shows for one snapshot, built on a worker thread and then only read.
// A plain copyable value so it can travel through QFuture; `error` set means nothing else is.
struct LoadedCluster
{
    std::shared_ptr<const ClusterSnapshot> snapshot;
    std::shared_ptr<const diagram::TopologyScene> scene;
    std::shared_ptr<const IpIndex> ipIndex;
    CniDetection cni;
    QString sourceName;
    std::optional<Error> error;
    bool cancelled = false;
    qint64 loadMilliseconds = 0;
    qint64 layoutMilliseconds = 0;
    // A live update: what changed from `changedFrom` (the scene on screen when the load began),
    // worked out on the worker too, so that the GUI thread only repaints. Null otherwise.
    std::shared_ptr<const diagram::SceneDiff> sceneChanges;
    std::weak_ptr<const diagram::TopologyScene> changedFrom;

    bool ok() const { return !error && !cancelled && snapshot && scene; }
};

// Blocking: loads the snapshot, detects the CNI, indexes addresses and lays out the diagram;
// with `previous`, also what changed from it (sceneChanges). Meant for QtConcurrent::run; checks
// `cancel` between the stages.
LoadedCluster loadAndLayout(const SnapshotSource &source, const std::atomic_bool *cancel,
                            const std::shared_ptr<const diagram::TopologyScene> &previous = {});

} // namespace cartograph::app
