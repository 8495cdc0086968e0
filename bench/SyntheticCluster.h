#pragma once

#include <cstdio>
#include <string>

namespace cartograph::bench {

struct ClusterScale
{
    int nodes = 5000;
    int pods = 150000;
    int services = 10000;
    int namespaces = 100;
};

// Writes a `kind: List` snapshot shaped like `kubectl get namespaces,nodes,pods,services,
// endpointslices,networkpolicies,daemonsets -A -o json` output of a cluster at `scale`:
// 4-space indentation, the fields kubectl prints (status, conditions, containerStatuses, node
// images …). Deterministic. Returns false on I/O error.
bool writeSyntheticCluster(const ClusterScale &scale, std::FILE *out);

} // namespace cartograph::bench
