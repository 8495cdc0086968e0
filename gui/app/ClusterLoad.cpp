#include "ClusterLoad.h"

#include "SnapshotSource.h"

#include <QElapsedTimer>

namespace cartograph::app {

LoadedCluster loadAndLayout(const SnapshotSource &source, const std::atomic_bool *cancel,
                            const std::shared_ptr<const diagram::TopologyScene> &previous)
{
    LoadedCluster loaded;
    loaded.sourceName = source.displayName();
    const auto cancelled = [cancel] { return cancel && cancel->load(); };

    QElapsedTimer timer;
    timer.start();
    Result<ClusterSnapshot> result = source.load(cancel);
    loaded.loadMilliseconds = timer.restart();
    if (cancelled()) {
        loaded.cancelled = true;
        return loaded;
    }
    if (!result) {
        loaded.error = result.error();
        return loaded;
    }

    auto snapshot = std::make_shared<ClusterSnapshot>(std::move(result).value());
    loaded.cni = detectCni(*snapshot);
    loaded.ipIndex = std::make_shared<IpIndex>(*snapshot);
    if (cancelled()) {
        loaded.cancelled = true;
        return loaded;
    }
    loaded.scene =
        std::make_shared<diagram::TopologyScene>(diagram::TopologyScene::layout(*snapshot));
    loaded.snapshot = std::move(snapshot);
    loaded.layoutMilliseconds = timer.elapsed();
    if (previous && !cancelled()) {
        loaded.sceneChanges = std::make_shared<const diagram::SceneDiff>(
            diagram::diffScenes(*previous, *loaded.scene));
        loaded.changedFrom = previous;
    }
    return loaded;
}

} // namespace cartograph::app
