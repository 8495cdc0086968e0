#pragma once

// Test support: the compiled-in demo cluster as a snapshot (empty, with a warning, should the
// demo fail to load, which the callers' comparisons then show).

#include "ClusterSnapshot.h"
#include "SnapshotSource.h"

#include <QtGlobal>

namespace cartograph::testing {

inline ClusterSnapshot loadDemoSnapshot(DemoFlavour flavour = DemoFlavour::CalicoIpIp)
{
    auto loaded = DemoSnapshotSource(flavour).load();
    if (!loaded) {
        qWarning("demo did not load: %s", qPrintable(describe(loaded.error())));
        return {};
    }
    return std::move(loaded).value();
}

} // namespace cartograph::testing
