#include "SyntheticCluster.h"

#include <cinttypes>
#include <cstdint>
#include <vector>

namespace cartograph::bench {

namespace {

// Small deterministic generator so every run writes the same bytes.
struct Rng
{
    std::uint64_t state;
    std::uint64_t next()
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
};

std::string hex(Rng &rng, int length)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(size_t(length));
    while (int(s.size()) < length) {
        std::uint64_t v = rng.next();
        for (int i = 0; i < 16 && int(s.size()) < length; ++i, v >>= 4)
            s.push_back(digits[v & 15]);
    }
    return s;
}

std::string uid(Rng &rng)
{
    const std::string h = hex(rng, 32);
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) +
           '-' + h.substr(20, 12);
}

std::string nodeName(int i)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "node-%04d", i);
    return buffer;
}

std::string nodeIp(int i)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "172.16.%d.%d", i / 250, i % 250 + 1);
    return buffer;
}

// Node i owns 10.(64 + i/256).(i%256).0/24.
std::string podCidr(int i)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "10.%d.%d.0/24", 64 + i / 256, i % 256);
    return buffer;
}

std::string podIp(int node, int slot)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "10.%d.%d.%d", 64 + node / 256, node % 256, slot + 2);
    return buffer;
}

std::string serviceIp(int i)
{
    const int v = i + 16;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "10.%d.%d.%d", 96 + v / 65536, (v / 256) % 256, v % 256);
    return buffer;
}

class Writer
{
public:
    explicit Writer(std::FILE *out)
        : m_out(out)
    {}
    void put(const std::string &s) { std::fwrite(s.data(), 1, s.size(), m_out); }
    void put(const char *s) { std::fputs(s, m_out); }
    template <typename... Args> void f(const char *format, Args... args)
    {
        std::fprintf(m_out, format, args...);
    }
    bool ok() const { return !std::ferror(m_out); }

private:
    std::FILE *m_out;
};

} // namespace

bool writeSyntheticCluster(const ClusterScale &scale, std::FILE *out)
{
    Writer w(out);
    Rng rng{0x9e3779b97f4a7c15ull};
    bool first = true;
    auto itemStart = [&] {
        w.put(first ? "\n" : ",\n");
        first = false;
    };
    w.put("{\n    \"apiVersion\": \"v1\",\n    \"items\": [");

    for (int n = 0; n < scale.namespaces; ++n) {
        itemStart();
        w.f("        {\n"
            "            \"apiVersion\": \"v1\",\n"
            "            \"kind\": \"Namespace\",\n"
            "            \"metadata\": {\n"
            "                \"creationTimestamp\": \"2026-10-01T08:00:00Z\",\n"
            "                \"labels\": {\n"
            "                    \"kubernetes.io/metadata.name\": \"ns-%03d\",\n"
            "                    \"team\": \"team-%d\"\n"
            "                },\n"
            "                \"name\": \"ns-%03d\",\n"
            "                \"resourceVersion\": \"%d\",\n"
            "                \"uid\": \"%s\"\n"
            "            },\n"
            "            \"spec\": {\n"
            "                \"finalizers\": [\n"
            "                    \"kubernetes\"\n"
            "                ]\n"
            "            },\n"
            "            \"status\": {\n"
            "                \"phase\": \"Active\"\n"
            "            }\n"
            "        }",
            n, n % 10, n, 1000 + n, uid(rng).c_str());
    }

    for (int i = 0; i < scale.nodes; ++i) {
        itemStart();
        const std::string name = nodeName(i);
        w.f("        {\n"
            "            \"apiVersion\": \"v1\",\n"
            "            \"kind\": \"Node\",\n"
            "            \"metadata\": {\n"
            "                \"annotations\": {\n"
            "                    \"kubeadm.alpha.kubernetes.io/cri-socket\": "
            "\"unix:///run/containerd/containerd.sock\",\n"
            "                    \"node.alpha.kubernetes.io/ttl\": \"0\",\n"
            "                    \"volumes.kubernetes.io/controller-managed-attach-detach\": "
            "\"true\"\n"
            "                },\n"
            "                \"creationTimestamp\": \"2026-10-01T08:00:00Z\",\n"
            "                \"labels\": {\n"
            "                    \"beta.kubernetes.io/arch\": \"amd64\",\n"
            "                    \"beta.kubernetes.io/os\": \"linux\",\n"
            "                    \"kubernetes.io/arch\": \"amd64\",\n"
            "                    \"kubernetes.io/hostname\": \"%s\",\n"
            "                    \"kubernetes.io/os\": \"linux\",\n"
            "                    \"topology.kubernetes.io/zone\": \"zone-%c\"%s\n"
            "                },\n"
            "                \"name\": \"%s\",\n"
            "                \"resourceVersion\": \"%d\",\n"
            "                \"uid\": \"%s\"\n"
            "            },\n"
            "            \"spec\": {\n"
            "                \"podCIDR\": \"%s\",\n"
            "                \"podCIDRs\": [\n"
            "                    \"%s\"\n"
            "                ]\n"
            "            },\n"
            "            \"status\": {\n"
            "                \"addresses\": [\n"
            "                    {\n"
            "                        \"address\": \"%s\",\n"
            "                        \"type\": \"InternalIP\"\n"
            "                    },\n"
            "                    {\n"
            "                        \"address\": \"%s\",\n"
            "                        \"type\": \"Hostname\"\n"
            "                    }\n"
            "                ],\n"
            "                \"allocatable\": {\n"
            "                    \"cpu\": \"16\",\n"
            "                    \"ephemeral-storage\": \"95491281146\",\n"
            "                    \"memory\": \"65735180Ki\",\n"
            "                    \"pods\": \"110\"\n"
            "                },\n"
            "                \"conditions\": [\n",
            name.c_str(), 'a' + i % 3,
            i < 3 ? ",\n                    \"node-role.kubernetes.io/control-plane\": \"\"" : "",
            name.c_str(), 5000 + i, uid(rng).c_str(), podCidr(i).c_str(), podCidr(i).c_str(),
            nodeIp(i).c_str(), name.c_str());
        const char *conditions[][3] = {
            {"MemoryPressure", "False", "KubeletHasSufficientMemory"},
            {"DiskPressure", "False", "KubeletHasNoDiskPressure"},
            {"PIDPressure", "False", "KubeletHasSufficientPID"},
            {"Ready", i % 997 == 5 ? "False" : "True",
             i % 997 == 5 ? "KubeletNotReady" : "KubeletReady"},
        };
        for (int c = 0; c < 4; ++c) {
            w.f("                    {\n"
                "                        \"lastHeartbeatTime\": \"2026-11-27T09:58:00Z\",\n"
                "                        \"lastTransitionTime\": \"2026-10-01T08:00:30Z\",\n"
                "                        \"message\": \"kubelet reports %s\",\n"
                "                        \"reason\": \"%s\",\n"
                "                        \"status\": \"%s\",\n"
                "                        \"type\": \"%s\"\n"
                "                    }%s\n",
                conditions[c][2], conditions[c][2], conditions[c][1], conditions[c][0],
                c < 3 ? "," : "");
        }
        w.put("                ],\n"
              "                \"images\": [\n");
        for (int m = 0; m < 8; ++m) {
            w.f("                    {\n"
                "                        \"names\": [\n"
                "                            \"registry.example.com/app-%d@sha256:%s\",\n"
                "                            \"registry.example.com/app-%d:1.%d.0\"\n"
                "                        ],\n"
                "                        \"sizeBytes\": %d\n"
                "                    }%s\n",
                m, hex(rng, 64).c_str(), m, m, 10000000 + m * 1234567, m < 7 ? "," : "");
        }
        w.f("                ],\n"
            "                \"nodeInfo\": {\n"
            "                    \"architecture\": \"amd64\",\n"
            "                    \"bootID\": \"%s\",\n"
            "                    \"containerRuntimeVersion\": \"containerd://1.7.11\",\n"
            "                    \"kernelVersion\": \"6.1.0-17-amd64\",\n"
            "                    \"kubeProxyVersion\": \"v1.29.1\",\n"
            "                    \"kubeletVersion\": \"v1.29.1\",\n"
            "                    \"machineID\": \"%s\",\n"
            "                    \"operatingSystem\": \"linux\",\n"
            "                    \"osImage\": \"Debian GNU/Linux 12 (bookworm)\",\n"
            "                    \"systemUUID\": \"%s\"\n"
            "                }\n"
            "            }\n"
            "        }",
            uid(rng).c_str(), hex(rng, 32).c_str(), uid(rng).c_str());
    }

    // Pods: spread round-robin over nodes; each belongs to one of `services` workloads.
    std::vector<int> slotsUsed(size_t(scale.nodes), 0);
    for (int p = 0; p < scale.pods; ++p) {
        itemStart();
        const int node = p % scale.nodes;
        const int slot = slotsUsed[size_t(node)]++;
        const int app = p % scale.services;
        const int ns = app % scale.namespaces;
        const std::string hash = hex(rng, 10);
        const std::string suffix = hex(rng, 5);
        w.f("        {\n"
            "            \"apiVersion\": \"v1\",\n"
            "            \"kind\": \"Pod\",\n"
            "            \"metadata\": {\n"
            "                \"creationTimestamp\": \"2026-11-20T12:00:00Z\",\n"
            "                \"generateName\": \"app-%05d-%s-\",\n"
            "                \"labels\": {\n"
            "                    \"app\": \"app-%05d\",\n"
            "                    \"pod-template-hash\": \"%s\",\n"
            "                    \"tier\": \"%s\"\n"
            "                },\n"
            "                \"name\": \"app-%05d-%s-%s\",\n"
            "                \"namespace\": \"ns-%03d\",\n"
            "                \"ownerReferences\": [\n"
            "                    {\n"
            "                        \"apiVersion\": \"apps/v1\",\n"
            "                        \"blockOwnerDeletion\": true,\n"
            "                        \"controller\": true,\n"
            "                        \"kind\": \"ReplicaSet\",\n"
            "                        \"name\": \"app-%05d-%s\",\n"
            "                        \"uid\": \"%s\"\n"
            "                    }\n"
            "                ],\n"
            "                \"resourceVersion\": \"%d\",\n"
            "                \"uid\": \"%s\"\n"
            "            },\n"
            "            \"spec\": {\n"
            "                \"containers\": [\n"
            "                    {\n"
            "                        \"image\": \"registry.example.com/app-%05d:1.4.2\",\n"
            "                        \"imagePullPolicy\": \"IfNotPresent\",\n"
            "                        \"name\": \"app\",\n"
            "                        \"ports\": [\n"
            "                            {\n"
            "                                \"containerPort\": 8080,\n"
            "                                \"name\": \"http\",\n"
            "                                \"protocol\": \"TCP\"\n"
            "                            }\n"
            "                        ],\n"
            "                        \"resources\": {\n"
            "                            \"limits\": {\n"
            "                                \"memory\": \"256Mi\"\n"
            "                            },\n"
            "                            \"requests\": {\n"
            "                                \"cpu\": \"100m\",\n"
            "                                \"memory\": \"128Mi\"\n"
            "                            }\n"
            "                        },\n"
            "                        \"terminationMessagePath\": \"/dev/termination-log\",\n"
            "                        \"terminationMessagePolicy\": \"File\",\n"
            "                        \"volumeMounts\": [\n"
            "                            {\n"
            "                                \"mountPath\": "
            "\"/var/run/secrets/kubernetes.io/serviceaccount\",\n"
            "                                \"name\": \"kube-api-access-%s\",\n"
            "                                \"readOnly\": true\n"
            "                            }\n"
            "                        ]\n"
            "                    }\n"
            "                ],\n"
            "                \"dnsPolicy\": \"ClusterFirst\",\n"
            "                \"enableServiceLinks\": true,\n"
            "                \"nodeName\": \"%s\",\n"
            "                \"preemptionPolicy\": \"PreemptLowerPriority\",\n"
            "                \"priority\": 0,\n"
            "                \"restartPolicy\": \"Always\",\n"
            "                \"schedulerName\": \"default-scheduler\",\n"
            "                \"securityContext\": {},\n"
            "                \"serviceAccount\": \"default\",\n"
            "                \"serviceAccountName\": \"default\",\n"
            "                \"terminationGracePeriodSeconds\": 30\n"
            "            },\n"
            "            \"status\": {\n"
            "                \"conditions\": [\n"
            "                    {\n"
            "                        \"lastProbeTime\": null,\n"
            "                        \"lastTransitionTime\": \"2026-11-20T12:00:05Z\",\n"
            "                        \"status\": \"True\",\n"
            "                        \"type\": \"Ready\"\n"
            "                    },\n"
            "                    {\n"
            "                        \"lastProbeTime\": null,\n"
            "                        \"lastTransitionTime\": \"2026-11-20T12:00:01Z\",\n"
            "                        \"status\": \"True\",\n"
            "                        \"type\": \"PodScheduled\"\n"
            "                    }\n"
            "                ],\n"
            "                \"containerStatuses\": [\n"
            "                    {\n"
            "                        \"containerID\": \"containerd://%s\",\n"
            "                        \"image\": \"registry.example.com/app-%05d:1.4.2\",\n"
            "                        \"imageID\": \"registry.example.com/app-%05d@sha256:%s\",\n"
            "                        \"lastState\": {},\n"
            "                        \"name\": \"app\",\n"
            "                        \"ready\": true,\n"
            "                        \"restartCount\": 0,\n"
            "                        \"started\": true,\n"
            "                        \"state\": {\n"
            "                            \"running\": {\n"
            "                                \"startedAt\": \"2026-11-20T12:00:04Z\"\n"
            "                            }\n"
            "                        }\n"
            "                    }\n"
            "                ],\n"
            "                \"hostIP\": \"%s\",\n"
            "                \"phase\": \"Running\",\n"
            "                \"podIP\": \"%s\",\n"
            "                \"podIPs\": [\n"
            "                    {\n"
            "                        \"ip\": \"%s\"\n"
            "                    }\n"
            "                ],\n"
            "                \"qosClass\": \"Burstable\",\n"
            "                \"startTime\": \"2026-11-20T12:00:00Z\"\n"
            "            }\n"
            "        }",
            app, hash.c_str(), app, hash.c_str(), app % 3 == 0 ? "frontend" : "backend", app,
            hash.c_str(), suffix.c_str(), ns, app, hash.c_str(), uid(rng).c_str(), 100000 + p,
            uid(rng).c_str(), app, hex(rng, 5).c_str(), nodeName(node).c_str(),
            hex(rng, 64).c_str(), app, app, hex(rng, 64).c_str(), nodeIp(node).c_str(),
            podIp(node, slot % 250).c_str(), podIp(node, slot % 250).c_str());
    }

    for (int s = 0; s < scale.services; ++s) {
        itemStart();
        const int ns = s % scale.namespaces;
        w.f("        {\n"
            "            \"apiVersion\": \"v1\",\n"
            "            \"kind\": \"Service\",\n"
            "            \"metadata\": {\n"
            "                \"creationTimestamp\": \"2026-11-20T11:59:00Z\",\n"
            "                \"labels\": {\n"
            "                    \"app\": \"app-%05d\"\n"
            "                },\n"
            "                \"name\": \"app-%05d\",\n"
            "                \"namespace\": \"ns-%03d\",\n"
            "                \"resourceVersion\": \"%d\",\n"
            "                \"uid\": \"%s\"\n"
            "            },\n"
            "            \"spec\": {\n"
            "                \"clusterIP\": \"%s\",\n"
            "                \"clusterIPs\": [\n"
            "                    \"%s\"\n"
            "                ],\n"
            "                \"internalTrafficPolicy\": \"Cluster\",\n"
            "                \"ipFamilies\": [\n"
            "                    \"IPv4\"\n"
            "                ],\n"
            "                \"ipFamilyPolicy\": \"SingleStack\",\n"
            "                \"ports\": [\n"
            "                    {\n"
            "                        \"name\": \"http\",\n"
            "                        \"port\": 80,\n"
            "                        \"protocol\": \"TCP\",\n"
            "                        \"targetPort\": \"http\"\n"
            "                    }\n"
            "                ],\n"
            "                \"selector\": {\n"
            "                    \"app\": \"app-%05d\"\n"
            "                },\n"
            "                \"sessionAffinity\": \"None\",\n"
            "                \"type\": \"ClusterIP\"\n"
            "            },\n"
            "            \"status\": {\n"
            "                \"loadBalancer\": {}\n"
            "            }\n"
            "        }",
            s, s, ns, 400000 + s, uid(rng).c_str(), serviceIp(s).c_str(), serviceIp(s).c_str(), s);
    }

    for (int d = 0; d < 2; ++d) {
        itemStart();
        const char *name = d == 0 ? "calico-node" : "kube-proxy";
        const char *image =
            d == 0 ? "docker.io/calico/node:v3.27.0" : "registry.k8s.io/kube-proxy:v1.29.1";
        w.f("        {\n"
            "            \"apiVersion\": \"apps/v1\",\n"
            "            \"kind\": \"DaemonSet\",\n"
            "            \"metadata\": {\n"
            "                \"name\": \"%s\",\n"
            "                \"namespace\": \"kube-system\"\n"
            "            },\n"
            "            \"spec\": {\n"
            "                \"template\": {\n"
            "                    \"spec\": {\n"
            "                        \"containers\": [\n"
            "                            {\n"
            "                                \"image\": \"%s\",\n"
            "                                \"name\": \"%s\"\n"
            "                            }\n"
            "                        ],\n"
            "                        \"hostNetwork\": true\n"
            "                    }\n"
            "                }\n"
            "            },\n"
            "            \"status\": {\n"
            "                \"desiredNumberScheduled\": %d,\n"
            "                \"numberReady\": %d\n"
            "            }\n"
            "        }",
            name, image, name, scale.nodes, scale.nodes);
    }

    w.put("\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": "
          "\"\"\n    }\n}\n");
    return w.ok();
}

} // namespace cartograph::bench
