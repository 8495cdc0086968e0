#!/usr/bin/env python3
"""Generates the demo cluster snapshots compiled into Cartograph (:/demo/*.json).

    python3 resources/demo/generate_demo.py          # writes calico.json and flannel.json here
    python3 resources/demo/generate_demo.py --check  # fails when the files on disk are stale

Each file is a `kind: List` exactly as

    kubectl get namespaces,nodes,pods,services,endpointslices,networkpolicies,daemonsets -A -o json

prints it (keys sorted, items ordered by resource type, then namespace, then name), followed by one
`NodeNetwork` item (apiVersion cartograph.io/v1alpha1, see README.md) per node, as the Cartograph
agent writes them.

The two demos run the same workloads (kube-system control plane, CoreDNS, kube-proxy and the
weaveworks sock-shop) on the same three VirtualBox-style nodes; only the CNI differs:

  calico.json   Calico v3.27 in IP-in-IP mode: tunl0, cali* veths routed by the host, no bridge.
  flannel.json  Flannel v0.24 VXLAN: flannel.1 (VNI 1, UDP 8472), bridge cni0, veth* bridge ports.

Output is deterministic: every "random" value (UIDs, name suffixes, MACs, container IDs) is derived
from a hash of what it names. Python 3 standard library only. The generator asserts the invariants
the demos promise (pod IPs inside their node's pod CIDR, host-network pods on the node IP, unique
ClusterIPs inside the service CIDR, EndpointSlices equal to what the Service selectors match, one
veth per pod network namespace, routes to every other node's pod CIDR) before it writes anything.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import ipaddress
import json
import os
import random
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# Cluster-wide constants
# ---------------------------------------------------------------------------------------------

K8S_VERSION = "v1.29.1"
CONTAINERD = "containerd://1.7.11"
OS_IMAGE = "Ubuntu 22.04.3 LTS"
KERNEL = "5.15.0-91-generic"

UNDERLAY = ipaddress.ip_network("192.168.56.0/24")
UNDERLAY_GATEWAY = "192.168.56.1"
CLUSTER_CIDR = ipaddress.ip_network("10.244.0.0/16")
SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
KUBERNETES_SVC_IP = "10.96.0.1"
KUBE_DNS_IP = "10.96.0.10"
FRONT_END_NODE_PORT = 30001
STATIC_POD_PATH = "/etc/kubernetes/manifests"

# `ip -j route` prints a /32 destination as the bare address ("10.244.1.2"), not "10.244.1.2/32".
HOST_ROUTE_DST_BARE = True

NODES = [
    # name, InternalIP, podCIDR, control plane?
    ("control-plane", "192.168.56.10", "10.244.0.0/24", True),
    ("worker-1", "192.168.56.11", "10.244.1.0/24", False),
    ("worker-2", "192.168.56.12", "10.244.2.0/24", False),
]
CONTROL_PLANE = NODES[0][0]

FLAVOURS = {
    "calico": {
        "file": "calico.json",
        # cluster "created" at (kubeadm init), snapshot taken at
        "created": dt.datetime(2024, 2, 12, 9, 14, 27, tzinfo=dt.timezone.utc),
        "taken": dt.datetime(2024, 2, 19, 15, 42, 8, tzinfo=dt.timezone.utc),
        "rv_base": 1200000,
        "cni_config": {
            "configFile": "/etc/cni/net.d/10-calico.conflist",
            "name": "k8s-pod-network",
            "plugins": ["calico", "bandwidth", "portmap"],
        },
    },
    "flannel": {
        "file": "flannel.json",
        "created": dt.datetime(2024, 2, 13, 10, 2, 51, tzinfo=dt.timezone.utc),
        "taken": dt.datetime(2024, 2, 19, 15, 47, 33, tzinfo=dt.timezone.utc),
        "rv_base": 980000,
        "cni_config": {
            "configFile": "/etc/cni/net.d/10-flannel.conflist",
            "name": "cbr0",
            "plugins": ["flannel", "portmap"],
        },
    },
}

# ---------------------------------------------------------------------------------------------
# Deterministic "randomness"
# ---------------------------------------------------------------------------------------------

SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand


def _seed(*parts) -> int:
    return int(hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest(), 16)


def rng(*parts) -> random.Random:
    return random.Random(_seed(*parts))


def make_uid(*parts) -> str:
    return str(uuid.UUID(int=rng("uid", *parts).getrandbits(128), version=4))


def safe_suffix(length: int, *parts) -> str:
    r = rng("suffix", *parts)
    return "".join(r.choice(SAFE_ALPHABET) for _ in range(length))


def hex_string(length: int, *parts) -> str:
    r = rng("hex", *parts)
    return "".join(r.choice("0123456789abcdef") for _ in range(length))


def mac_address(prefix: str, *parts) -> str:
    r = rng("mac", *parts)
    octets = prefix.split(":") if prefix else []
    if not octets:  # locally administered, unicast (what the kernel picks for veth/bridge/vxlan)
        first = (r.getrandbits(8) & 0xFC) | 0x02
        octets = [f"{first:02x}"]
    while len(octets) < 6:
        octets.append(f"{r.getrandbits(8):02x}")
    return ":".join(octets)


def ts(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def calico_veth_name(namespace: str, pod: str) -> str:
    """Calico's VethNameForWorkload: "cali" + the first 11 hex digits of sha1("<ns>.<pod>")."""
    return "cali" + hashlib.sha1(f"{namespace}.{pod}".encode()).hexdigest()[:11]


def link_local_v6(mac: str) -> str:
    """EUI-64 fe80:: address for a MAC, as the kernel assigns it."""
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    eui = b[:3] + [0xFF, 0xFE] + b[3:]
    return str(ipaddress.IPv6Address(bytes([0xFE, 0x80] + [0] * 6 + eui)))


# ---------------------------------------------------------------------------------------------
# Workloads (identical in both flavours, apart from the CNI's own pods)
# ---------------------------------------------------------------------------------------------


def port(name, number, protocol="TCP"):
    return {"name": name, "containerPort": number, "protocol": protocol}


def res(cpu_req=None, mem_req=None, cpu_lim=None, mem_lim=None):
    out = {}
    req = {k: v for k, v in (("cpu", cpu_req), ("memory", mem_req)) if v}
    lim = {k: v for k, v in (("cpu", cpu_lim), ("memory", mem_lim)) if v}
    if lim:
        out["limits"] = lim
    if req:
        out["requests"] = req
    return out


# sock-shop, from microservices-demo/deploy/kubernetes/complete-demo.yaml. The manifest leaves the
# port-80 container ports unnamed; they are named "http" here so that the demo has named ports.
SOCK_SHOP = [
    # name, image, container ports, resources, service ports (name, port, targetPort), node(s)
    ("carts", "weaveworksdemos/carts:0.4.8", [port("http", 80)],
     res("100m", "200Mi", "300m", "500Mi"), [(None, 80, 80)], ["worker-1"]),
    ("carts-db", "mongo", [port("mongo", 27017)], res(), [(None, 27017, 27017)], ["worker-1"]),
    ("catalogue", "weaveworksdemos/catalogue:0.3.5", [port("http", 80)],
     res("100m", "100Mi", "200m", "200Mi"), [(None, 80, 80)], ["worker-1"]),
    ("catalogue-db", "weaveworksdemos/catalogue-db:0.3.0", [port("mysql", 3306)], res(),
     [(None, 3306, 3306)], ["worker-1"]),
    ("front-end", "weaveworksdemos/front-end:0.3.12", [port("http", 8079)],
     res("100m", "300Mi", "300m", "1000Mi"), [(None, 80, 8079)], ["worker-1", "worker-2"]),
    ("orders", "weaveworksdemos/orders:0.4.7", [port("http", 80)],
     res("100m", "300Mi", "500m", "500Mi"), [(None, 80, 80)], ["worker-1"]),
    ("orders-db", "mongo", [port("mongo", 27017)], res(), [(None, 27017, 27017)], ["worker-1"]),
    ("payment", "weaveworksdemos/payment:0.4.3", [port("http", 80)],
     res("99m", "100Mi", "200m", "200Mi"), [(None, 80, 80)], ["worker-2"]),
    ("queue-master", "weaveworksdemos/queue-master:0.3.1", [port("http", 80)],
     res("100m", "300Mi", "300m", "500Mi"), [(None, 80, 80)], ["worker-2"]),
    ("rabbitmq", "rabbitmq:3.6.8-management",
     [port("management", 15672), port("rabbitmq", 5672)], res(),
     [("rabbitmq", 5672, 5672), ("exporter", 9090, "exporter")], ["worker-2"]),
    ("session-db", "redis:alpine", [port("redis", 6379)], res(), [(None, 6379, 6379)],
     ["worker-2"]),
    ("shipping", "weaveworksdemos/shipping:0.4.8", [port("http", 80)],
     res("100m", "300Mi", "300m", "500Mi"), [(None, 80, 80)], ["worker-2"]),
    ("user", "weaveworksdemos/user:0.4.7", [port("http", 80)],
     res("100m", "100Mi", "300m", "200Mi"), [(None, 80, 80)], ["worker-2"]),
    ("user-db", "weaveworksdemos/user-db:0.3.0", [port("mongo", 27017)], res(),
     [(None, 27017, 27017)], ["worker-2"]),
]
# rabbitmq's second container, the Prometheus exporter the Service's "exporter" port targets.
RABBITMQ_EXPORTER = {"name": "rabbitmq-exporter", "image": "kbudde/rabbitmq-exporter",
                     "ports": [port("exporter", 9090)], "resources": {}}

# The order pods were scheduled on each worker (decides the IPs host-local / Calico IPAM gave out).
WORKER_ORDER = {
    "worker-1": ["carts", "carts-db", "catalogue", "catalogue-db", "front-end", "orders",
                 "orders-db"],
    "worker-2": ["front-end", "payment", "queue-master", "rabbitmq", "session-db", "shipping",
                 "user", "user-db"],
}


class Cluster:
    """Builds one flavour's List."""

    def __init__(self, flavour: str):
        self.flavour = flavour
        self.cfg = FLAVOURS[flavour]
        self.rv = self.cfg["rv_base"]
        self.namespaces = []
        self.nodes = []
        self.pods = []
        self.services = []
        self.slices = []
        self.policies = []
        self.daemonsets = []
        self.nodenetworks = []
        self.node_uid = {n[0]: make_uid(flavour, "node", n[0]) for n in NODES}
        self.node_ip = {n[0]: n[1] for n in NODES}
        self.node_cidr = {n[0]: ipaddress.ip_network(n[2]) for n in NODES}
        # next free host number per node (.0 is the tunnel address, .1 cni0 on Flannel)
        self.next_host = {n[0]: 2 for n in NODES}

    # -- helpers ----------------------------------------------------------------------------

    def t(self, minutes: float) -> dt.datetime:
        return self.cfg["created"] + dt.timedelta(minutes=minutes)

    def next_rv(self) -> str:
        self.rv += 1 + rng(self.flavour, "rv", self.rv).randrange(40)
        return str(self.rv)

    def uid(self, *parts) -> str:
        return make_uid(self.flavour, *parts)

    def alloc_ip(self, node: str) -> str:
        host = self.next_host[node]
        self.next_host[node] += 1
        return str(self.node_cidr[node].network_address + host)

    # -- namespaces -------------------------------------------------------------------------

    def add_namespace(self, name: str, minutes: float, extra_labels=None):
        labels = {"kubernetes.io/metadata.name": name}
        labels.update(extra_labels or {})
        self.namespaces.append({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "creationTimestamp": ts(self.t(minutes)),
                "labels": labels,
                "name": name,
                "resourceVersion": self.next_rv(),
                "uid": self.uid("namespace", name),
            },
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        })

    # -- nodes ------------------------------------------------------------------------------

    def add_node(self, name: str, ip: str, cidr: str, control_plane: bool, minutes: float):
        created = self.t(minutes)
        labels = {
            "beta.kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
        }
        if control_plane:
            labels["node-role.kubernetes.io/control-plane"] = ""
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        annotations = {
            "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        }
        net = self.node_cidr[name]
        if self.flavour == "calico":
            annotations["projectcalico.org/IPv4Address"] = f"{ip}/{UNDERLAY.prefixlen}"
            annotations["projectcalico.org/IPv4IPIPTunnelAddr"] = str(net.network_address)
            network_condition = ("CalicoIsUp", "Calico is running on this node")
        else:
            vtep_mac = self.flannel_vtep_mac(name)
            annotations["flannel.alpha.coreos.com/backend-data"] = json.dumps(
                {"VNI": 1, "VtepMAC": vtep_mac}, separators=(",", ":"))
            annotations["flannel.alpha.coreos.com/backend-type"] = "vxlan"
            annotations["flannel.alpha.coreos.com/kube-subnet-manager"] = "true"
            annotations["flannel.alpha.coreos.com/public-ip"] = ip
            network_condition = ("FlannelIsUp", "Flannel is running on this node")

        heartbeat = ts(self.cfg["taken"]
                       - dt.timedelta(seconds=rng(self.flavour, name).randrange(5, 40)))
        booted = ts(created - dt.timedelta(minutes=2))
        up = ts(created + dt.timedelta(minutes=3))

        def cond(ctype, status, reason, message, hb=heartbeat, since=booted):
            return {"lastHeartbeatTime": hb, "lastTransitionTime": since, "message": message,
                    "reason": reason, "status": status, "type": ctype}

        spec = {"podCIDR": cidr, "podCIDRs": [cidr]}
        if control_plane:
            spec["taints"] = [{"effect": "NoSchedule",
                               "key": "node-role.kubernetes.io/control-plane"}]
        memory = "4015112Ki" if control_plane else "8152036Ki"
        cpus = "2" if control_plane else "4"
        self.nodes.append({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "annotations": annotations,
                "creationTimestamp": ts(created),
                "labels": labels,
                "name": name,
                "resourceVersion": self.next_rv(),
                "uid": self.node_uid[name],
            },
            "spec": spec,
            "status": {
                "addresses": [{"address": ip, "type": "InternalIP"},
                              {"address": name, "type": "Hostname"}],
                "allocatable": {"cpu": cpus, "ephemeral-storage": "37867534122",
                                "hugepages-2Mi": "0", "memory": memory, "pods": "110"},
                "capacity": {"cpu": cpus, "ephemeral-storage": "41089312Ki",
                             "hugepages-2Mi": "0", "memory": memory, "pods": "110"},
                "conditions": [
                    cond("NetworkUnavailable", "False", network_condition[0],
                         network_condition[1], hb=up, since=up),
                    cond("MemoryPressure", "False", "KubeletHasSufficientMemory",
                         "kubelet has sufficient memory available"),
                    cond("DiskPressure", "False", "KubeletHasNoDiskPressure",
                         "kubelet has no disk pressure"),
                    cond("PIDPressure", "False", "KubeletHasSufficientPID",
                         "kubelet has sufficient PID available"),
                    cond("Ready", "True", "KubeletReady", "kubelet is posting ready status",
                         since=up),
                ],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "images": [],  # filled in once the pods are known
                "nodeInfo": {
                    "architecture": "amd64",
                    "bootID": self.uid("boot", name),
                    "containerRuntimeVersion": CONTAINERD,
                    "kernelVersion": KERNEL,
                    "kubeProxyVersion": K8S_VERSION,
                    "kubeletVersion": K8S_VERSION,
                    "machineID": hex_string(32, self.flavour, "machine", name),
                    "operatingSystem": "linux",
                    "osImage": OS_IMAGE,
                    "systemUUID": self.uid("system", name),
                },
            },
        })

    def flannel_vtep_mac(self, node: str) -> str:
        return mac_address("", self.flavour, "flannel.1", node)

    # -- pods -------------------------------------------------------------------------------

    def container(self, c: dict, host_network: bool, service_account: bool, kube_api_volume):
        out = {
            "image": c["image"],
            "imagePullPolicy": c.get("imagePullPolicy", "IfNotPresent"),
            "name": c["name"],
            "resources": c.get("resources", {}),
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
        for key in ("command", "args", "env", "securityContext"):
            if key in c:
                out[key] = c[key]
        ports = []
        for p in c.get("ports", []):
            q = {"containerPort": p["containerPort"], "protocol": p.get("protocol", "TCP")}
            if p.get("name"):
                q["name"] = p["name"]
            if host_network:  # the API server defaults hostPort to containerPort
                q["hostPort"] = p["containerPort"]
            ports.append(q)
        if ports:
            out["ports"] = ports
        mounts = list(c.get("volumeMounts", []))
        if service_account:
            mounts.append({"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                           "name": kube_api_volume, "readOnly": True})
        if mounts:
            out["volumeMounts"] = mounts
        return out

    def add_pod(self, *, namespace, name, node, containers, labels, minutes,
                owner=None, generate_name=None, init_containers=(), host_network=False,
                static_component=None, annotations=None, priority_class=None,
                tolerations=None, service_account="default", node_selector=None,
                dns_policy="ClusterFirst"):
        """owner: (apiVersion, kind, name, uid) of the controller. Returns the pod dict."""
        created = self.t(minutes)
        started = created + dt.timedelta(seconds=2)
        ready_at = created + dt.timedelta(seconds=9 + rng(self.flavour, name).randrange(40))
        uid = self.uid("pod", namespace, name)
        static = static_component is not None
        host_ip = self.node_ip[node]
        pod_ip = host_ip if host_network else self.alloc_ip(node)

        meta = {
            "creationTimestamp": ts(created),
            "labels": dict(labels),
            "name": name,
            "namespace": namespace,
            "resourceVersion": self.next_rv(),
            "uid": uid,
        }
        ann = dict(annotations or {})
        if static:
            config_hash = hex_string(32, self.flavour, "config.hash", name)
            ann["kubernetes.io/config.hash"] = config_hash
            ann["kubernetes.io/config.mirror"] = config_hash
            ann["kubernetes.io/config.seen"] = ts(created - dt.timedelta(seconds=31)).replace(
                "Z", ".412093471Z")
            ann["kubernetes.io/config.source"] = "file"
            meta["ownerReferences"] = [{"apiVersion": "v1", "controller": True, "kind": "Node",
                                        "name": node, "uid": self.node_uid[node]}]
        elif owner:
            meta["ownerReferences"] = [{"apiVersion": owner[0], "blockOwnerDeletion": True,
                                        "controller": True, "kind": owner[1], "name": owner[2],
                                        "uid": owner[3]}]
            meta["generateName"] = generate_name
        if self.flavour == "calico" and not host_network:
            ann["cni.projectcalico.org/containerID"] = hex_string(64, self.flavour, "sandbox", name)
            ann["cni.projectcalico.org/podIP"] = f"{pod_ip}/32"
            ann["cni.projectcalico.org/podIPs"] = f"{pod_ip}/32"
        if ann:
            meta["annotations"] = ann

        kube_api_volume = "kube-api-access-" + safe_suffix(5, self.flavour, "vol", name)
        sa = not static
        spec = {
            "containers": [self.container(c, host_network, sa, kube_api_volume)
                           for c in containers],
            "dnsPolicy": dns_policy,
            "enableServiceLinks": True,
            "nodeName": node,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30,
        }
        if init_containers:
            spec["initContainers"] = [self.container(c, host_network, sa, kube_api_volume)
                                      for c in init_containers]
        if host_network:
            spec["hostNetwork"] = True
        if priority_class:
            spec["priorityClassName"] = priority_class
            spec["priority"] = {"system-node-critical": 2000001000,
                                "system-cluster-critical": 2000000000}[priority_class]
        if static:
            spec["securityContext"] = {"seccompProfile": {"type": "RuntimeDefault"}}
            spec["tolerations"] = [{"effect": "NoExecute", "operator": "Exists"}]
            spec["volumes"] = static_component.get("volumes", [])
        else:
            spec["serviceAccount"] = service_account
            spec["serviceAccountName"] = service_account
            spec["tolerations"] = (tolerations or []) + [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                 "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                 "operator": "Exists", "tolerationSeconds": 300},
            ]
            spec["volumes"] = [{
                "name": kube_api_volume,
                "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}],
                                   "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {
                        "apiVersion": "v1", "fieldPath": "metadata.namespace"},
                        "path": "namespace"}]}},
                ]},
            }]
        if node_selector:
            spec["nodeSelector"] = node_selector

        def image_ref(image):
            if "/" not in image.split(":")[0]:
                image = "library/" + image
            if not image.split("/")[0].count(".") and not image.startswith("registry.k8s.io"):
                image = "docker.io/" + image
            if ":" not in image.rsplit("/", 1)[-1]:
                image += ":latest"
            return image

        def status_of(c, init):
            image = image_ref(c["image"])
            st = {
                "containerID": "containerd://" + hex_string(64, self.flavour, "ctr", name,
                                                            c["name"]),
                "image": image,
                "imageID": image.rsplit(":", 1)[0] + "@sha256:" + hex_string(64, "image", image),
                "lastState": {},
                "name": c["name"],
                "ready": True,
                "restartCount": 0,
            }
            if init:
                st["ready"] = True
                st["state"] = {"terminated": {
                    "containerID": st["containerID"], "exitCode": 0,
                    "finishedAt": ts(started), "reason": "Completed", "startedAt": ts(started)}}
            else:
                st["started"] = True
                st["state"] = {"running": {"startedAt": ts(started + dt.timedelta(seconds=3))}}
            return st

        requests = any(c.get("resources", {}).get("requests") for c in containers)
        status = {
            "conditions": [
                {"lastProbeTime": None, "lastTransitionTime": ts(started), "status": "True",
                 "type": "PodReadyToStartContainers"},
                {"lastProbeTime": None, "lastTransitionTime": ts(started), "status": "True",
                 "type": "Initialized"},
                {"lastProbeTime": None, "lastTransitionTime": ts(ready_at), "status": "True",
                 "type": "Ready"},
                {"lastProbeTime": None, "lastTransitionTime": ts(ready_at), "status": "True",
                 "type": "ContainersReady"},
                {"lastProbeTime": None, "lastTransitionTime": ts(created), "status": "True",
                 "type": "PodScheduled"},
            ],
            "containerStatuses": [status_of(c, False) for c in containers],
            "hostIP": host_ip,
            "hostIPs": [{"ip": host_ip}],
            "phase": "Running",
            "podIP": pod_ip,
            "podIPs": [{"ip": pod_ip}],
            "qosClass": "Burstable" if requests else "BestEffort",
            "startTime": ts(created),
        }
        if init_containers:
            status["initContainerStatuses"] = [status_of(c, True) for c in init_containers]
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec,
               "status": status}
        self.pods.append(pod)
        return pod

    def add_static_pod(self, component, image, command, ports, cpu, minutes, extra_ann=None,
                       mounts=()):
        volumes = [{"hostPath": {"path": path, "type": kind}, "name": vname}
                   for vname, path, kind, _ in mounts]
        volume_mounts = [{"mountPath": path, "name": vname, "readOnly": ro}
                         if ro else {"mountPath": path, "name": vname}
                         for vname, path, _, ro in mounts]
        self.add_pod(
            namespace="kube-system",
            name=f"{component}-{CONTROL_PLANE}",
            node=CONTROL_PLANE,
            containers=[{"name": component, "image": image, "command": command,
                         "ports": ports,
                         "resources": res(cpu, "100Mi" if component == "etcd" else None),
                         "volumeMounts": volume_mounts}],
            labels={"component": component, "tier": "control-plane"},
            minutes=minutes,
            host_network=True,
            static_component={"volumes": volumes},
            annotations=extra_ann,
            priority_class="system-node-critical",
        )

    # -- controllers ------------------------------------------------------------------------

    def replica_set(self, namespace, deployment, minutes):
        rs_hash = safe_suffix(10, "rs", namespace, deployment)
        rs_name = f"{deployment}-{rs_hash}"
        return rs_hash, ("apps/v1", "ReplicaSet", rs_name, self.uid("rs", namespace, rs_name))

    def add_daemonset(self, namespace, name, labels, selector, template_labels, containers,
                      init_containers, minutes, host_network=True, tolerations=None,
                      priority_class="system-node-critical", service_account=None,
                      pod_minutes=None, node_selector=None):
        uid = self.uid("ds", namespace, name)
        revision = safe_suffix(10, self.flavour, "ds-rev", name)
        tmpl_spec = {
            "containers": [self.container(c, host_network, False, "") for c in containers],
            "dnsPolicy": "ClusterFirst",
            "hostNetwork": host_network,
            "priorityClassName": priority_class,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": service_account or name,
            "serviceAccountName": service_account or name,
            "terminationGracePeriodSeconds": 30,
            "tolerations": tolerations or [{"operator": "Exists"}],
        }
        if init_containers:
            tmpl_spec["initContainers"] = [self.container(c, host_network, False, "")
                                           for c in init_containers]
        if node_selector:
            tmpl_spec["nodeSelector"] = node_selector
        self.daemonsets.append({
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {
                "annotations": {"deprecated.daemonset.template.generation": "1"},
                "creationTimestamp": ts(self.t(minutes)),
                "generation": 1,
                "labels": labels,
                "name": name,
                "namespace": namespace,
                "resourceVersion": self.next_rv(),
                "uid": uid,
            },
            "spec": {
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": selector},
                "template": {"metadata": {"creationTimestamp": None, "labels": template_labels},
                             "spec": tmpl_spec},
                "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
                                   "type": "RollingUpdate"},
            },
            "status": {
                "currentNumberScheduled": len(NODES),
                "desiredNumberScheduled": len(NODES),
                "numberAvailable": len(NODES),
                "numberMisscheduled": 0,
                "numberReady": len(NODES),
                "observedGeneration": 1,
                "updatedNumberScheduled": len(NODES),
            },
        })
        owner = ("apps/v1", "DaemonSet", name, uid)
        for i, (node, *_rest) in enumerate(NODES):
            pod_labels = dict(template_labels)
            pod_labels["controller-revision-hash"] = revision
            pod_labels["pod-template-generation"] = "1"
            self.add_pod(
                namespace=namespace,
                name=f"{name}-{safe_suffix(5, self.flavour, 'pod', name, node)}",
                generate_name=f"{name}-",
                node=node,
                containers=containers,
                init_containers=init_containers,
                labels=pod_labels,
                minutes=(pod_minutes or [minutes] * len(NODES))[i],
                owner=owner,
                host_network=host_network,
                priority_class=priority_class,
                tolerations=tolerations or [{"operator": "Exists"}],
                service_account=service_account or name,
                dns_policy="ClusterFirst",
                node_selector=node_selector,
            )

    # -- services and their EndpointSlices --------------------------------------------------

    def cluster_ip(self, namespace, name) -> str:
        if (namespace, name) == ("default", "kubernetes"):
            return KUBERNETES_SVC_IP
        if (namespace, name) == ("kube-system", "kube-dns"):
            return KUBE_DNS_IP
        attempt = 0
        while True:  # not flavour-dependent: the same service has the same IP in both demos
            r = rng("clusterip", namespace, name, attempt)
            offset = r.randrange(256 * 256, SERVICE_CIDR.num_addresses - 1)
            ip = SERVICE_CIDR.network_address + offset
            taken = {s["spec"]["clusterIP"] for s in self.services}
            if ip.packed[-1] not in (0, 255) and str(ip) not in taken:
                return str(ip)
            attempt += 1

    def add_service(self, *, namespace, name, labels, selector, ports, minutes,
                    svc_type="ClusterIP", annotations=None):
        """ports: list of (name|None, protocol, port, targetPort(int|str), nodePort|None)."""
        ip = self.cluster_ip(namespace, name)
        spec_ports = []
        for pname, proto, number, target, node_port in ports:
            p = {"port": number, "protocol": proto, "targetPort": target}
            if pname:
                p["name"] = pname
            if node_port:
                p["nodePort"] = node_port
            spec_ports.append(p)
        spec = {
            "clusterIP": ip,
            "clusterIPs": [ip],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": spec_ports,
            "sessionAffinity": "None",
            "type": svc_type,
        }
        if selector is not None:
            spec["selector"] = selector
        if svc_type == "NodePort":
            spec["externalTrafficPolicy"] = "Cluster"
        meta = {
            "creationTimestamp": ts(self.t(minutes)),
            "labels": labels,
            "name": name,
            "namespace": namespace,
            "resourceVersion": self.next_rv(),
            "uid": self.uid("svc", namespace, name),
        }
        if annotations:
            meta["annotations"] = annotations
        svc = {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
               "status": {"loadBalancer": {}}}
        self.services.append(svc)
        return svc

    def selected_pods(self, namespace, selector):
        return [p for p in self.pods
                if p["metadata"]["namespace"] == namespace
                and all(p["metadata"]["labels"].get(k) == v for k, v in selector.items())]

    def add_endpoint_slice_for(self, svc, minutes):
        """What the endpointslice controller writes for a Service with a selector."""
        meta = svc["metadata"]
        namespace, name = meta["namespace"], meta["name"]
        pods = sorted(self.selected_pods(namespace, svc["spec"]["selector"]),
                      key=lambda p: p["metadata"]["name"])
        ports = []
        for sp in svc["spec"]["ports"]:
            target = sp["targetPort"]
            resolved = resolve_target_port(pods[0], target, sp["protocol"]) if pods else None
            for p in pods:
                assert resolve_target_port(p, target, sp["protocol"]) == resolved, (
                    f"{namespace}/{name}: pods disagree on targetPort {target}")
            ports.append({"name": sp.get("name", ""), "port": resolved,
                          "protocol": sp["protocol"]})
        endpoints = [{
            "addresses": [p["status"]["podIP"]],
            "conditions": {"ready": True, "serving": True, "terminating": False},
            "nodeName": p["spec"]["nodeName"],
            "targetRef": {"kind": "Pod", "name": p["metadata"]["name"],
                          "namespace": namespace, "uid": p["metadata"]["uid"]},
        } for p in pods]
        labels = dict(meta.get("labels", {}))
        labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io"
        labels["kubernetes.io/service-name"] = name
        last_change = max((p["status"]["conditions"][2]["lastTransitionTime"] for p in pods),
                          default=meta["creationTimestamp"])
        slice_name = f"{name}-{safe_suffix(5, self.flavour, 'eps', namespace, name)}"
        self.slices.append({
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "endpoints": endpoints,
            "kind": "EndpointSlice",
            "metadata": {
                "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": last_change},
                "creationTimestamp": ts(self.t(minutes)),
                "generateName": f"{name}-",
                "generation": 1 + len(pods),
                "labels": labels,
                "name": slice_name,
                "namespace": namespace,
                "ownerReferences": [{"apiVersion": "v1", "blockOwnerDeletion": True,
                                     "controller": True, "kind": "Service", "name": name,
                                     "uid": meta["uid"]}],
                "resourceVersion": self.next_rv(),
                "uid": self.uid("eps", namespace, slice_name),
            },
            "ports": ports,
        })

    # -- network policies -------------------------------------------------------------------

    def add_policy(self, name, spec, minutes, namespace="sock-shop"):
        spec = copy.deepcopy(spec)
        if "policyTypes" not in spec:  # what the API server defaults
            spec["policyTypes"] = ["Ingress"] + (["Egress"] if "egress" in spec else [])
        self.policies.append({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {
                "creationTimestamp": ts(self.t(minutes)),
                "generation": 1,
                "name": name,
                "namespace": namespace,
                "resourceVersion": self.next_rv(),
                "uid": self.uid("netpol", namespace, name),
            },
            "spec": spec,
        })

    # -- node networks ----------------------------------------------------------------------

    def add_node_network(self, node):
        ip = self.node_ip[node]
        cidr = self.node_cidr[node]
        eth_mac = mac_address("08:00:27", self.flavour, "eth0", node)
        interfaces = [
            {"ifindex": 1, "ifname": "lo", "kind": "loopback", "mtu": 65536,
             "address": "00:00:00:00:00:00", "operstate": "UNKNOWN",
             "addrs": [{"local": "127.0.0.1", "prefixlen": 8, "scope": "host"},
                       {"local": "::1", "prefixlen": 128, "scope": "host"}]},
            {"ifindex": 2, "ifname": "eth0", "kind": "ethernet", "mtu": 1500,
             "address": eth_mac, "operstate": "UP",
             "addrs": [{"local": ip, "prefixlen": UNDERLAY.prefixlen,
                        "broadcast": str(UNDERLAY.broadcast_address), "scope": "global"},
                       {"local": link_local_v6(eth_mac), "prefixlen": 64, "scope": "link"}]},
        ]
        routes = [{"dst": "default", "gateway": UNDERLAY_GATEWAY, "dev": "eth0",
                   "protocol": "static", "flags": []}]
        local_pods = [p for p in self.pods
                      if p["spec"]["nodeName"] == node and not p["spec"].get("hostNetwork")]
        ifindex = 3
        if self.flavour == "calico":
            interfaces.append({
                "ifindex": ifindex, "ifname": "tunl0", "kind": "ipip", "mtu": 1480,
                "operstate": "UNKNOWN",
                "addrs": [{"local": str(cidr.network_address), "prefixlen": 32,
                           "scope": "global"}],
                "ipip": {"local": "0.0.0.0", "remote": "0.0.0.0"},
            })
            ifindex += 1
            for other, other_ip, other_cidr, _cp in NODES:
                if other != node:
                    routes.append({"dst": other_cidr, "gateway": other_ip, "dev": "tunl0",
                                   "protocol": "bird", "flags": ["onlink"]})
            routes.append({"dst": str(UNDERLAY), "dev": "eth0", "protocol": "kernel",
                           "scope": "link", "prefsrc": ip, "flags": []})
            for p in local_pods:
                ns, pname = p["metadata"]["namespace"], p["metadata"]["name"]
                veth = calico_veth_name(ns, pname)
                interfaces.append({
                    "ifindex": ifindex, "ifname": veth, "kind": "veth", "mtu": 1480,
                    # Calico gives every host-side veth the same MAC and proxy-ARPs for the pods
                    "address": "ee:ee:ee:ee:ee:ee", "operstate": "UP",
                    "addrs": [{"local": "fe80::ecee:eeff:feee:eeee", "prefixlen": 64,
                               "scope": "link"}],
                    "peer": {"pod": f"{ns}/{pname}", "ifname": "eth0"},
                })
                ifindex += 1
                pod_ip = p["status"]["podIP"]
                routes.append({"dst": pod_ip if HOST_ROUTE_DST_BARE else f"{pod_ip}/32",
                               "dev": veth, "scope": "link", "flags": []})
        else:
            cni0_mac = mac_address("", self.flavour, "cni0", node)
            bridge_ip = str(cidr.network_address + 1)
            interfaces.append({
                "ifindex": ifindex, "ifname": "flannel.1", "kind": "vxlan", "mtu": 1450,
                "address": self.flannel_vtep_mac(node), "operstate": "UNKNOWN",
                "addrs": [{"local": str(cidr.network_address), "prefixlen": 32,
                           "scope": "global"}],
                "vxlan": {"id": 1, "port": 8472, "local": ip, "link": "eth0"},
            })
            ifindex += 1
            interfaces.append({
                "ifindex": ifindex, "ifname": "cni0", "kind": "bridge", "mtu": 1450,
                "address": cni0_mac, "operstate": "UP",
                "addrs": [{"local": bridge_ip, "prefixlen": cidr.prefixlen,
                           "broadcast": str(cidr.broadcast_address), "scope": "global"},
                          {"local": link_local_v6(cni0_mac), "prefixlen": 64, "scope": "link"}],
            })
            ifindex += 1
            routes.append({"dst": str(cidr), "dev": "cni0", "protocol": "kernel",
                           "scope": "link", "prefsrc": bridge_ip, "flags": []})
            for other, _other_ip, other_cidr, _cp in NODES:
                if other != node:
                    gw = str(ipaddress.ip_network(other_cidr).network_address)
                    routes.append({"dst": other_cidr, "gateway": gw, "dev": "flannel.1",
                                   "flags": ["onlink"]})
            routes.append({"dst": str(UNDERLAY), "dev": "eth0", "protocol": "kernel",
                           "scope": "link", "prefsrc": ip, "flags": []})
            for p in local_pods:
                ns, pname = p["metadata"]["namespace"], p["metadata"]["name"]
                veth = "veth" + hex_string(8, self.flavour, "veth", ns, pname)
                vmac = mac_address("", self.flavour, "vethmac", ns, pname)
                interfaces.append({
                    "ifindex": ifindex, "ifname": veth, "kind": "veth", "mtu": 1450,
                    "address": vmac, "operstate": "UP", "master": "cni0",
                    "addrs": [{"local": link_local_v6(vmac), "prefixlen": 64,
                               "scope": "link"}],
                    "peer": {"pod": f"{ns}/{pname}", "ifname": "eth0"},
                })
                ifindex += 1
        self.nodenetworks.append({
            "apiVersion": "cartograph.io/v1alpha1",
            "kind": "NodeNetwork",
            "metadata": {
                "creationTimestamp": ts(self.cfg["taken"] - dt.timedelta(seconds=12)),
                "name": node,
                "uid": self.uid("nodenetwork", node),
            },
            "status": {
                "cni": copy.deepcopy(self.cfg["cni_config"]),
                "interfaces": interfaces,
                "routes": routes,
                "staticPodPath": STATIC_POD_PATH,
            },
        })

    # -- the whole cluster ------------------------------------------------------------------

    def build(self):
        fl = self.flavour
        # kubeadm init
        for i, ns in enumerate(["default", "kube-node-lease", "kube-public", "kube-system"]):
            self.add_namespace(ns, 0.1 + i * 0.01)
        name, ip, cidr, cp = NODES[0]
        self.add_node(name, ip, cidr, cp, 0.0)

        cp_ip = self.node_ip[CONTROL_PLANE]
        self.add_static_pod(
            "etcd", "registry.k8s.io/etcd:3.5.10-0",
            ["etcd", f"--advertise-client-urls=https://{cp_ip}:2379",
             "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
             "--client-cert-auth=true", "--data-dir=/var/lib/etcd",
             f"--initial-advertise-peer-urls=https://{cp_ip}:2380",
             f"--initial-cluster={CONTROL_PLANE}=https://{cp_ip}:2380",
             "--key-file=/etc/kubernetes/pki/etcd/server.key",
             f"--listen-client-urls=https://127.0.0.1:2379,https://{cp_ip}:2379",
             "--listen-metrics-urls=http://127.0.0.1:2381",
             f"--listen-peer-urls=https://{cp_ip}:2380", f"--name={CONTROL_PLANE}",
             "--peer-client-cert-auth=true", "--snapshot-count=10000",
             "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt"],
            [port("client", 2379), port("peer", 2380)], "100m", 0.2,
            {"kubeadm.kubernetes.io/etcd.advertise-client-urls": f"https://{cp_ip}:2379"},
            mounts=[("etcd-certs", "/etc/kubernetes/pki/etcd", "DirectoryOrCreate", False),
                    ("etcd-data", "/var/lib/etcd", "DirectoryOrCreate", False)])
        self.add_static_pod(
            "kube-apiserver", f"registry.k8s.io/kube-apiserver:{K8S_VERSION}",
            ["kube-apiserver", f"--advertise-address={cp_ip}", "--allow-privileged=true",
             "--authorization-mode=Node,RBAC", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
             "--enable-admission-plugins=NodeRestriction", "--enable-bootstrap-token-auth=true",
             "--etcd-servers=https://127.0.0.1:2379", "--secure-port=6443",
             f"--service-cluster-ip-range={SERVICE_CIDR}",
             "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
             "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key"],
            [port("https", 6443)], "250m", 0.2,
            {"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": f"{cp_ip}:6443"},
            mounts=[("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate", True),
                    ("k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate", True)])
        self.add_static_pod(
            "kube-controller-manager", f"registry.k8s.io/kube-controller-manager:{K8S_VERSION}",
            ["kube-controller-manager", "--allocate-node-cidrs=true",
             "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
             "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
             "--bind-address=127.0.0.1", f"--cluster-cidr={CLUSTER_CIDR}",
             "--cluster-name=kubernetes", "--controllers=*,bootstrapsigner,tokencleaner",
             "--kubeconfig=/etc/kubernetes/controller-manager.conf", "--leader-elect=true",
             f"--service-cluster-ip-range={SERVICE_CIDR}",
             "--use-service-account-credentials=true"],
            [port("probe-port", 10257)], "200m", 0.2,
            mounts=[("kubeconfig", "/etc/kubernetes/controller-manager.conf", "FileOrCreate", True),
                    ("k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate", True)])
        self.add_static_pod(
            "kube-scheduler", f"registry.k8s.io/kube-scheduler:{K8S_VERSION}",
            ["kube-scheduler", "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
             "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
             "--bind-address=127.0.0.1", "--kubeconfig=/etc/kubernetes/scheduler.conf",
             "--leader-elect=true"],
            [port("probe-port", 10259)], "100m", 0.2,
            mounts=[("kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate", True)])

        # default/kubernetes: endpoints maintained by the API server itself, no selector
        self.add_service(namespace="default", name="kubernetes",
                         labels={"component": "apiserver", "provider": "kubernetes"},
                         selector=None, ports=[("https", "TCP", 443, 6443, None)], minutes=0.3)
        self.slices.append({
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "endpoints": [{"addresses": [cp_ip], "conditions": {"ready": True}}],
            "kind": "EndpointSlice",
            "metadata": {
                "creationTimestamp": ts(self.t(0.3)),
                "generation": 1,
                "labels": {"kubernetes.io/service-name": "kubernetes"},
                "name": "kubernetes",
                "namespace": "default",
                "resourceVersion": self.next_rv(),
                "uid": self.uid("eps", "default", "kubernetes"),
            },
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        })

        # kube-proxy (kubeadm addon); its pods come when the nodes join
        proxy_labels = {"k8s-app": "kube-proxy"}
        self.add_daemonset(
            "kube-system", "kube-proxy", proxy_labels, proxy_labels, proxy_labels,
            [{"name": "kube-proxy", "image": f"registry.k8s.io/kube-proxy:{K8S_VERSION}",
              "command": ["/usr/local/bin/kube-proxy",
                          "--config=/var/lib/kube-proxy/config.conf",
                          "--hostname-override=$(NODE_NAME)"],
              "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {
                  "apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
              "securityContext": {"privileged": True}}],
            [], 0.4, priority_class="system-node-critical",
            pod_minutes=[0.5, 6.0, 6.5], node_selector={"kubernetes.io/os": "linux"})

        # the CNI, applied right after kubeadm init
        if fl == "calico":
            self.build_calico()
        else:
            self.build_flannel()

        # CoreDNS (kubeadm addon): starts once the CNI is up, on the control plane
        dns_hash, dns_owner = self.replica_set("kube-system", "coredns", 0.4)
        for i in range(2):
            self.add_pod(
                namespace="kube-system",
                name=f"coredns-{dns_hash}-{safe_suffix(5, 'pod', 'coredns', i)}",
                generate_name=f"coredns-{dns_hash}-",
                node=CONTROL_PLANE,
                containers=[{
                    "name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.11.1",
                    "args": ["-conf", "/etc/coredns/Corefile"],
                    "ports": [port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP"),
                              port("metrics", 9153, "TCP")],
                    "resources": res("100m", "70Mi", None, "170Mi"),
                    "securityContext": {"allowPrivilegeEscalation": False,
                                        "capabilities": {"add": ["NET_BIND_SERVICE"],
                                                         "drop": ["ALL"]},
                                        "readOnlyRootFilesystem": True},
                    "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume",
                                      "readOnly": True}],
                }],
                labels={"k8s-app": "kube-dns", "pod-template-hash": dns_hash},
                minutes=2.0 + i * 0.01,
                owner=dns_owner,
                priority_class="system-cluster-critical",
                tolerations=[{"key": "CriticalAddonsOnly", "operator": "Exists"},
                             {"effect": "NoSchedule",
                              "key": "node-role.kubernetes.io/control-plane"}],
                service_account="coredns",
                dns_policy="Default",
                node_selector={"kubernetes.io/os": "linux"},
            )
        dns = self.add_service(
            namespace="kube-system", name="kube-dns",
            labels={"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                    "kubernetes.io/name": "CoreDNS"},
            selector={"k8s-app": "kube-dns"},
            ports=[("dns", "UDP", 53, 53, None), ("dns-tcp", "TCP", 53, 53, None),
                   ("metrics", "TCP", 9153, 9153, None)],
            minutes=0.4,
            annotations={"prometheus.io/port": "9153", "prometheus.io/scrape": "true"})
        self.add_endpoint_slice_for(dns, 0.4)

        # the workers join
        for i, (name, ip, cidr, cp) in enumerate(NODES[1:]):
            self.add_node(name, ip, cidr, cp, 6.0 + i * 0.5)

        # sock-shop
        self.add_namespace("sock-shop", 25.0)
        spec_by_name = {s[0]: s for s in SOCK_SHOP}
        owners = {s[0]: self.replica_set("sock-shop", s[0], 25.2) for s in SOCK_SHOP}
        replica = {}
        for node in ("worker-1", "worker-2"):
            for k, svc_name in enumerate(WORKER_ORDER[node]):
                _n, image, ports, resources, _svc_ports, nodes = spec_by_name[svc_name]
                assert node in nodes
                rs_hash, owner = owners[svc_name]
                i = replica.get(svc_name, 0)
                replica[svc_name] = i + 1
                containers = [{"name": svc_name, "image": image, "ports": ports,
                               "resources": resources}]
                if svc_name == "rabbitmq":
                    containers.append(RABBITMQ_EXPORTER)
                self.add_pod(
                    namespace="sock-shop",
                    name=f"{svc_name}-{rs_hash}-{safe_suffix(5, 'pod', svc_name, i)}",
                    generate_name=f"{svc_name}-{rs_hash}-",
                    node=node,
                    containers=containers,
                    labels={"name": svc_name, "pod-template-hash": rs_hash},
                    minutes=25.5 + k * 0.05 + (0.01 if node == "worker-2" else 0),
                    owner=owner,
                    node_selector={"beta.kubernetes.io/os": "linux"},
                )
        for svc_name, _image, _ports, _res, svc_ports, _nodes in SOCK_SHOP:
            ports = []
            for pname, number, target in svc_ports:
                node_port = FRONT_END_NODE_PORT if svc_name == "front-end" else None
                ports.append((pname, "TCP", number, target, node_port))
            annotations = None
            if svc_name not in ("carts-db", "catalogue-db", "orders-db", "session-db",
                                "user-db"):
                annotations = {"prometheus.io/scrape": "true"}
            if svc_name == "rabbitmq":
                annotations["prometheus.io/port"] = "9090"
            svc = self.add_service(
                namespace="sock-shop", name=svc_name, labels={"name": svc_name},
                selector={"name": svc_name}, ports=ports, minutes=25.1,
                svc_type="NodePort" if svc_name == "front-end" else "ClusterIP",
                annotations=annotations)
            self.add_endpoint_slice_for(svc, 25.1)

        self.build_policies()

        for node, *_ in NODES:
            self.add_node_network(node)
        self.fill_node_images()

    def build_calico(self):
        node_labels = {"k8s-app": "calico-node"}
        cni_image = "docker.io/calico/cni:v3.27.0"
        node_image = "docker.io/calico/node:v3.27.0"
        self.add_daemonset(
            "kube-system", "calico-node", node_labels, node_labels, node_labels,
            [{"name": "calico-node", "image": node_image,
              "env": [
                  {"name": "DATASTORE_TYPE", "value": "kubernetes"},
                  {"name": "WAIT_FOR_DATASTORE", "value": "true"},
                  {"name": "NODENAME", "valueFrom": {"fieldRef": {
                      "apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
                  {"name": "CALICO_NETWORKING_BACKEND", "valueFrom": {"configMapKeyRef": {
                      "key": "calico_backend", "name": "calico-config"}}},
                  {"name": "CLUSTER_TYPE", "value": "k8s,bgp"},
                  {"name": "IP", "value": "autodetect"},
                  {"name": "IP_AUTODETECTION_METHOD", "value": "interface=eth0"},
                  {"name": "CALICO_IPV4POOL_IPIP", "value": "Always"},
                  {"name": "CALICO_IPV4POOL_VXLAN", "value": "Never"},
                  {"name": "CALICO_IPV4POOL_CIDR", "value": str(CLUSTER_CIDR)},
                  {"name": "CALICO_IPV4POOL_BLOCK_SIZE", "value": "24"},
                  {"name": "USE_POD_CIDR", "value": "true"},
                  {"name": "FELIX_IPINIPMTU", "value": "1480"},
                  {"name": "CALICO_DISABLE_FILE_LOGGING", "value": "true"},
                  {"name": "FELIX_DEFAULTENDPOINTTOHOSTACTION", "value": "ACCEPT"},
                  {"name": "FELIX_IPV6SUPPORT", "value": "false"},
                  {"name": "FELIX_HEALTHENABLED", "value": "true"},
              ],
              "resources": res("250m"),
              "securityContext": {"privileged": True}}],
            [{"name": "upgrade-ipam", "image": cni_image,
              "command": ["/opt/cni/bin/calico-ipam", "-upgrade"],
              "securityContext": {"privileged": True}},
             {"name": "install-cni", "image": cni_image, "command": ["/opt/cni/bin/install"],
              "env": [{"name": "CNI_CONF_NAME", "value": "10-calico.conflist"},
                      {"name": "CNI_MTU", "value": "1480"}],
              "securityContext": {"privileged": True}},
             {"name": "mount-bpffs", "image": node_image,
              "command": ["calico-node", "-init", "-best-effort"],
              "securityContext": {"privileged": True}}],
            1.0,
            tolerations=[{"effect": "NoSchedule", "operator": "Exists"},
                         {"key": "CriticalAddonsOnly", "operator": "Exists"},
                         {"effect": "NoExecute", "operator": "Exists"}],
            service_account="calico-node", pod_minutes=[1.0, 6.0, 6.5],
            node_selector={"kubernetes.io/os": "linux"})
        rs_hash, owner = self.replica_set("kube-system", "calico-kube-controllers", 1.0)
        self.add_pod(
            namespace="kube-system",
            name=f"calico-kube-controllers-{rs_hash}-{safe_suffix(5, 'pod', 'ckc')}",
            generate_name=f"calico-kube-controllers-{rs_hash}-",
            node=CONTROL_PLANE,
            containers=[{"name": "calico-kube-controllers",
                         "image": "docker.io/calico/kube-controllers:v3.27.0",
                         "env": [{"name": "ENABLED_CONTROLLERS", "value": "node"},
                                 {"name": "DATASTORE_TYPE", "value": "kubernetes"}]}],
            labels={"k8s-app": "calico-kube-controllers", "pod-template-hash": rs_hash},
            minutes=1.9,
            owner=owner,
            priority_class="system-cluster-critical",
            tolerations=[{"key": "CriticalAddonsOnly", "operator": "Exists"},
                         {"effect": "NoSchedule",
                          "key": "node-role.kubernetes.io/master"},
                         {"effect": "NoSchedule",
                          "key": "node-role.kubernetes.io/control-plane"}],
            service_account="calico-kube-controllers",
            node_selector={"kubernetes.io/os": "linux"},
        )

    def build_flannel(self):
        self.add_namespace("kube-flannel", 1.0,
                           {"k8s-app": "flannel",
                            "pod-security.kubernetes.io/enforce": "privileged"})
        image = "docker.io/flannel/flannel:v0.24.0"
        labels = {"app": "flannel", "k8s-app": "flannel", "tier": "node"}
        template = {"app": "flannel", "tier": "node"}
        mount_run = {"mountPath": "/run/flannel", "name": "run"}
        self.add_daemonset(
            "kube-flannel", "kube-flannel-ds", labels, {"app": "flannel"}, template,
            [{"name": "kube-flannel", "image": image,
              "command": ["/opt/bin/flanneld"],
              "args": ["--ip-masq", "--kube-subnet-mgr"],
              "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {
                          "apiVersion": "v1", "fieldPath": "metadata.name"}}},
                      {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {
                          "apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
                      {"name": "EVENT_QUEUE_DEPTH", "value": "5000"}],
              "resources": res("100m", "50Mi"),
              "securityContext": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]},
                                  "privileged": False},
              "volumeMounts": [mount_run,
                               {"mountPath": "/etc/kube-flannel/", "name": "flannel-cfg"},
                               {"mountPath": "/run/xtables.lock", "name": "xtables-lock"}]}],
            [{"name": "install-cni-plugin", "image": "docker.io/flannel/flannel-cni-plugin:v1.2.0",
              "command": ["cp"], "args": ["-f", "/flannel", "/opt/cni/bin/flannel"],
              "volumeMounts": [{"mountPath": "/opt/cni/bin", "name": "cni-plugin"}]},
             {"name": "install-cni", "image": image, "command": ["cp"],
              "args": ["-f", "/etc/kube-flannel/cni-conf.json",
                       "/etc/cni/net.d/10-flannel.conflist"],
              "volumeMounts": [{"mountPath": "/etc/cni/net.d", "name": "cni"},
                               {"mountPath": "/etc/kube-flannel/", "name": "flannel-cfg"}]}],
            1.0,
            tolerations=[{"effect": "NoSchedule", "operator": "Exists"}],
            service_account="flannel", pod_minutes=[1.0, 6.0, 6.5])

    def build_policies(self):
        def from_pods(*names):
            return [{"podSelector": {"matchLabels": {"name": n}}} for n in names]

        def tcp(p):
            return {"port": p, "protocol": "TCP"}

        m = 30.0
        # Only the front end is reachable from outside (NodePort 30001 lands on 8079).
        self.add_policy("front-end-access", {
            "podSelector": {"matchLabels": {"name": "front-end"}},
            "ingress": [{"ports": [tcp(8079)]}],
        }, m)
        simple = [
            ("carts-access", "carts", ["front-end", "orders"], 80),
            ("carts-db-access", "carts-db", ["carts"], 27017),
            ("catalogue-access", "catalogue", ["front-end"], 80),
            ("catalogue-db-access", "catalogue-db", ["catalogue"], 3306),
            ("orders-access", "orders", ["front-end"], 80),
            ("orders-db-access", "orders-db", ["orders"], 27017),
            ("payment-access", "payment", ["orders"], 80),
            ("shipping-access", "shipping", ["orders"], 80),
            ("user-access", "user", ["front-end", "orders"], 80),
            ("user-db-access", "user-db", ["user"], 27017),
        ]
        for i, (pname, target, sources, p) in enumerate(simple):
            self.add_policy(pname, {
                "podSelector": {"matchLabels": {"name": target}},
                "ingress": [{"from": from_pods(*sources), "ports": [tcp(p)]}],
            }, m + 0.01 * (i + 1))
        # The front end keeps its sessions in redis; the port is given by name.
        self.add_policy("session-db-access", {
            "podSelector": {"matchLabels": {"name": "session-db"}},
            "ingress": [{"from": from_pods("front-end"), "ports": [tcp("redis")]}],
        }, m + 0.2)
        # AMQP from the two producers/consumers; the exporter scraped from a "monitoring"
        # namespace (namespaceSelector), which this demo cluster does not have yet.
        self.add_policy("rabbitmq-access", {
            "podSelector": {"matchLabels": {"name": "rabbitmq"}},
            "ingress": [
                {"from": from_pods("shipping", "queue-master"), "ports": [tcp(5672)]},
                {"from": [{"namespaceSelector": {"matchLabels": {
                    "kubernetes.io/metadata.name": "monitoring"}}}],
                 "ports": [tcp(9090)]},
            ],
        }, m + 0.21)
        # Egress: every sock-shop pod may talk to sock-shop and to CoreDNS, nothing else …
        self.add_policy("default-egress", {
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{"podSelector": {}}]},
                {"to": [{"namespaceSelector": {"matchLabels": {
                            "kubernetes.io/metadata.name": "kube-system"}},
                         "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                 "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]},
            ],
        }, m + 0.3)
        # … except payment, which calls the card processor on the Internet (not private ranges).
        self.add_policy("payment-gateway-egress", {
            "podSelector": {"matchExpressions": [
                {"key": "name", "operator": "In", "values": ["payment"]}]},
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": [
                "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}],
                "ports": [tcp(443)]}],
        }, m + 0.31)

    def fill_node_images(self):
        for node in self.nodes:
            name = node["metadata"]["name"]
            images = {}
            for p in self.pods:
                if p["spec"]["nodeName"] != name:
                    continue
                for st in p["status"]["containerStatuses"] + p["status"].get(
                        "initContainerStatuses", []):
                    images[st["imageID"]] = st["image"]
            entries = []
            for image_id, image in images.items():
                size = rng("size", image).randrange(8_000_000, 420_000_000)
                entries.append({"names": [image_id, image], "sizeBytes": size})
            entries.sort(key=lambda e: (-e["sizeBytes"], e["names"][0]))
            node["status"]["images"] = entries

    def document(self):
        def by_ns_name(items):
            return sorted(items, key=lambda o: (o["metadata"].get("namespace", ""),
                                                o["metadata"]["name"]))

        items = (by_ns_name(self.namespaces) + by_ns_name(self.nodes) + by_ns_name(self.pods)
                 + by_ns_name(self.services) + by_ns_name(self.slices)
                 + by_ns_name(self.policies) + by_ns_name(self.daemonsets)
                 + by_ns_name(self.nodenetworks))
        return {"apiVersion": "v1", "items": items, "kind": "List",
                "metadata": {"resourceVersion": ""}}


def resolve_target_port(pod, target, protocol):
    """A Service targetPort (int or container port name) on one pod; None when unresolvable."""
    if isinstance(target, int):
        return target
    for c in pod["spec"]["containers"]:
        for p in c.get("ports", []):
            if p.get("name") == target and p.get("protocol", "TCP") == protocol:
                return p["containerPort"]
    return None


def label_selector_matches(selector, labels):
    for k, v in selector.get("matchLabels", {}).items():
        if labels.get(k) != v:
            return False
    for req in selector.get("matchExpressions", []):
        key, op, values = req["key"], req["operator"], req.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------------------------


def check(doc, flavour):
    items = doc["items"]
    kinds = {}
    for it in items:
        kinds.setdefault(it["kind"], []).append(it)
    nodes = {n["metadata"]["name"]: n for n in kinds["Node"]}
    pods = {(p["metadata"]["namespace"], p["metadata"]["name"]): p for p in kinds["Pod"]}
    namespaces = {n["metadata"]["name"] for n in kinds["Namespace"]}
    errors = []

    def fail(msg):
        errors.append(msg)

    # every namespaced object's namespace exists; names unique per kind
    seen = set()
    for it in items:
        key = (it["kind"], it["metadata"].get("namespace"), it["metadata"]["name"])
        if key in seen:
            fail(f"duplicate {key}")
        seen.add(key)
        ns = it["metadata"].get("namespace")
        if ns is not None and ns not in namespaces:
            fail(f"{key}: namespace {ns} missing")
    uids = [it["metadata"]["uid"] for it in items]
    if len(uids) != len(set(uids)):
        fail("metadata.uid not unique")

    if len(nodes) != 3:
        fail(f"expected 3 nodes, got {len(nodes)}")
    cp = [n for n in nodes.values()
          if "node-role.kubernetes.io/control-plane" in n["metadata"]["labels"]]
    if len(cp) != 1:
        fail("expected exactly one control-plane node")
    node_ip = {}
    node_cidr = {}
    for name, n in nodes.items():
        ips = [a["address"] for a in n["status"]["addresses"] if a["type"] == "InternalIP"]
        node_ip[name] = ips[0]
        if ipaddress.ip_address(ips[0]) not in UNDERLAY:
            fail(f"node {name}: InternalIP outside the underlay")
        node_cidr[name] = ipaddress.ip_network(n["spec"]["podCIDR"])
        if n["spec"]["podCIDRs"] != [n["spec"]["podCIDR"]]:
            fail(f"node {name}: podCIDR/podCIDRs disagree")
        if not node_cidr[name].subnet_of(CLUSTER_CIDR):
            fail(f"node {name}: podCIDR outside the cluster CIDR")
        ready = [c for c in n["status"]["conditions"] if c["type"] == "Ready"]
        if not ready or ready[0]["status"] != "True":
            fail(f"node {name}: not Ready")
        if not n["status"]["nodeInfo"]["kubeletVersion"].startswith("v1.29."):
            fail(f"node {name}: kubelet not v1.29.x")

    # pods
    pod_ips = {}
    for (ns, name), p in pods.items():
        node = p["spec"]["nodeName"]
        st = p["status"]
        if st["podIPs"] != [{"ip": st["podIP"]}] or st["hostIPs"] != [{"ip": st["hostIP"]}]:
            fail(f"pod {ns}/{name}: podIP(s)/hostIP(s) disagree")
        if st["hostIP"] != node_ip[node]:
            fail(f"pod {ns}/{name}: hostIP is not its node's InternalIP")
        if p["spec"].get("hostNetwork"):
            if st["podIP"] != node_ip[node]:
                fail(f"host-network pod {ns}/{name}: podIP != node IP")
        else:
            if ipaddress.ip_address(st["podIP"]) not in node_cidr[node]:
                fail(f"pod {ns}/{name}: {st['podIP']} not in {node_cidr[node]}")
            if st["podIP"] in pod_ips:
                fail(f"pod {ns}/{name}: IP {st['podIP']} also used by {pod_ips[st['podIP']]}")
            pod_ips[st["podIP"]] = f"{ns}/{name}"
        owners = p["metadata"].get("ownerReferences", [])
        if len(owners) != 1 or not owners[0]["controller"]:
            fail(f"pod {ns}/{name}: expected one controller owner")
        ann = p["metadata"].get("annotations", {})
        if "kubernetes.io/config.mirror" in ann:
            if owners[0]["kind"] != "Node" or ann.get("kubernetes.io/config.source") != "file":
                fail(f"mirror pod {ns}/{name}: owner/config.source wrong")
    for component in ("etcd", "kube-apiserver", "kube-scheduler", "kube-controller-manager"):
        p = pods.get(("kube-system", f"{component}-{CONTROL_PLANE}"))
        if (p is None or not p["spec"].get("hostNetwork")
                or "kubernetes.io/config.mirror" not in p["metadata"]["annotations"]
                or p["spec"]["nodeName"] != CONTROL_PLANE):
            fail(f"static pod {component}-{CONTROL_PLANE} missing or wrong")
    expected_ports = {"etcd": {2379, 2380}, "kube-apiserver": {6443},
                      "kube-scheduler": {10259}, "kube-controller-manager": {10257}}
    for component, want in expected_ports.items():
        p = pods[("kube-system", f"{component}-{CONTROL_PLANE}")]
        got = {q["containerPort"] for q in p["spec"]["containers"][0]["ports"]}
        if got != want:
            fail(f"{component}: ports {got} != {want}")

    # services
    svc_ips = {}
    services = {(s["metadata"]["namespace"], s["metadata"]["name"]): s for s in kinds["Service"]}
    for (ns, name), s in services.items():
        ip = s["spec"]["clusterIP"]
        if ipaddress.ip_address(ip) not in SERVICE_CIDR:
            fail(f"service {ns}/{name}: {ip} outside {SERVICE_CIDR}")
        if ip in svc_ips:
            fail(f"service {ns}/{name}: ClusterIP {ip} also used by {svc_ips[ip]}")
        svc_ips[ip] = f"{ns}/{name}"
    if services[("default", "kubernetes")]["spec"]["clusterIP"] != KUBERNETES_SVC_IP:
        fail("default/kubernetes ClusterIP")
    if services[("kube-system", "kube-dns")]["spec"]["clusterIP"] != KUBE_DNS_IP:
        fail("kube-system/kube-dns ClusterIP")
    fe = services[("sock-shop", "front-end")]["spec"]
    if fe["type"] != "NodePort" or fe["ports"][0]["nodePort"] != FRONT_END_NODE_PORT:
        fail("front-end is not NodePort 30001")

    slices_by_svc = {}
    for e in kinds["EndpointSlice"]:
        key = (e["metadata"]["namespace"], e["metadata"]["labels"]["kubernetes.io/service-name"])
        slices_by_svc.setdefault(key, []).append(e)
    for (ns, name), s in services.items():
        slices = slices_by_svc.get((ns, name), [])
        if not slices:
            fail(f"service {ns}/{name}: no EndpointSlice")
            continue
        selector = s["spec"].get("selector")
        if selector is None:
            continue
        selected = [p for (pns, _), p in pods.items()
                    if pns == ns and label_selector_matches({"matchLabels": selector},
                                                            p["metadata"]["labels"])]
        want = {p["metadata"]["name"] for p in selected}
        got = {ep["targetRef"]["name"] for e in slices for ep in e["endpoints"]}
        if want != got or not want:
            fail(f"service {ns}/{name}: endpoints {sorted(got)} != selected pods {sorted(want)}")
        for e in slices:
            for ep in e["endpoints"]:
                p = pods[(ns, ep["targetRef"]["name"])]
                if (ep["addresses"] != [p["status"]["podIP"]]
                        or ep["nodeName"] != p["spec"]["nodeName"]
                        or ep["targetRef"]["uid"] != p["metadata"]["uid"]):
                    fail(f"slice {e['metadata']['name']}: endpoint for "
                         f"{ep['targetRef']['name']} disagrees with the pod")
            for sp in s["spec"]["ports"]:
                eport = [q for q in e["ports"]
                         if q["name"] == sp.get("name", "") and q["protocol"] == sp["protocol"]]
                want_port = resolve_target_port(selected[0], sp["targetPort"], sp["protocol"])
                if len(eport) != 1 or eport[0]["port"] != want_port or want_port is None:
                    fail(f"slice {e['metadata']['name']}: port {sp} not resolved")

    # network policies
    sock_pols = [n for n in kinds["NetworkPolicy"] if n["metadata"]["namespace"] == "sock-shop"]
    if len(sock_pols) < 5:
        fail("sock-shop needs at least 5 NetworkPolicies")
    has_ns_selector = has_ipblock_except = has_egress = False
    for n in kinds["NetworkPolicy"]:
        ns = n["metadata"]["namespace"]
        matched = [p for (pns, _), p in pods.items()
                   if pns == ns and label_selector_matches(n["spec"]["podSelector"],
                                                           p["metadata"]["labels"])]
        if not matched:
            fail(f"policy {ns}/{n['metadata']['name']} selects no pod")
        for rule in n["spec"].get("ingress", []) + n["spec"].get("egress", []):
            for peer in rule.get("from", []) + rule.get("to", []):
                has_ns_selector |= "namespaceSelector" in peer
                has_ipblock_except |= bool(peer.get("ipBlock", {}).get("except"))
        has_egress |= bool(n["spec"].get("egress"))
    if not (has_ns_selector and has_ipblock_except and has_egress):
        fail("policies must include a namespaceSelector, an egress rule and an ipBlock except")

    # daemonsets: one pod per node each
    for ds in kinds["DaemonSet"]:
        ns, name = ds["metadata"]["namespace"], ds["metadata"]["name"]
        owned = [p for p in pods.values()
                 if p["metadata"]["namespace"] == ns
                 and p["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet"
                 and p["metadata"]["ownerReferences"][0]["name"] == name]
        if sorted(p["spec"]["nodeName"] for p in owned) != sorted(nodes):
            fail(f"daemonset {ns}/{name}: not one pod per node")
    cni_ds = {"calico": ("kube-system", "calico-node"),
              "flannel": ("kube-flannel", "kube-flannel-ds")}[flavour]
    if not any((d["metadata"]["namespace"], d["metadata"]["name"]) == cni_ds
               for d in kinds["DaemonSet"]):
        fail(f"CNI DaemonSet {cni_ds} missing")

    # node networks
    nns = {n["metadata"]["name"]: n["status"] for n in kinds["NodeNetwork"]}
    if set(nns) != set(nodes):
        fail("one NodeNetwork per node expected")
    for name, nn in nns.items():
        ifs = {i["ifname"]: i for i in nn["interfaces"]}
        if len(ifs) != len(nn["interfaces"]):
            fail(f"{name}: interface names not unique")
        eth0 = ifs.get("eth0")
        if not eth0 or not any(a["local"] == node_ip[name] and a.get("broadcast")
                               for a in eth0["addrs"]):
            fail(f"{name}: eth0 lacks the node IP with a broadcast")
        local_pods = {f"{ns}/{pn}" for (ns, pn), p in pods.items()
                      if p["spec"]["nodeName"] == name and not p["spec"].get("hostNetwork")}
        veth_peers = [i["peer"]["pod"] for i in nn["interfaces"] if i["kind"] == "veth"]
        if sorted(veth_peers) != sorted(local_pods):
            fail(f"{name}: veth peers {sorted(veth_peers)} != local pods {sorted(local_pods)}")
        routes = {r["dst"]: r for r in nn["routes"]}
        if routes.get("default", {}).get("gateway") != UNDERLAY_GATEWAY:
            fail(f"{name}: no default route via {UNDERLAY_GATEWAY}")
        for other, other_ip, other_cidr, _ in NODES:
            if other == name:
                continue
            r = routes.get(other_cidr)
            if flavour == "calico":
                ok = r and r["dev"] == "tunl0" and r["gateway"] == other_ip
            else:
                ok = (r and r["dev"] == "flannel.1"
                      and r["gateway"] == str(ipaddress.ip_network(other_cidr).network_address))
            if not ok or "onlink" not in r["flags"]:
                fail(f"{name}: no onlink route to {other}'s pod CIDR {other_cidr}")
        tunnel_addr = str(node_cidr[name].network_address)
        if flavour == "calico":
            t = ifs.get("tunl0")
            if not t or t["kind"] != "ipip" or t["addrs"][0]["local"] != tunnel_addr:
                fail(f"{name}: tunl0 missing or wrong")
            for i in nn["interfaces"]:
                if i["kind"] == "veth":
                    if (not i["ifname"].startswith("cali") or len(i["ifname"]) != 15
                            or "master" in i):
                        fail(f"{name}: bad Calico veth {i['ifname']}")
                    pod_ip = pods[tuple(i["peer"]["pod"].split("/"))]["status"]["podIP"]
                    host_route = pod_ip if HOST_ROUTE_DST_BARE else f"{pod_ip}/32"
                    if routes.get(host_route, {}).get("dev") != i["ifname"]:
                        fail(f"{name}: no host route for {pod_ip} via {i['ifname']}")
            if "cni0" in ifs:
                fail(f"{name}: Calico has no cni0 bridge")
        else:
            t = ifs.get("flannel.1")
            if (not t or t["kind"] != "vxlan"
                    or t["vxlan"] != {"id": 1, "port": 8472, "local": node_ip[name],
                                      "link": "eth0"}
                    or t["addrs"][0]["local"] != tunnel_addr):
                fail(f"{name}: flannel.1 missing or wrong")
            b = ifs.get("cni0")
            if not b or b["kind"] != "bridge" or b["addrs"][0]["local"] != str(
                    node_cidr[name].network_address + 1):
                fail(f"{name}: cni0 missing or wrong")
            for i in nn["interfaces"]:
                if i["kind"] == "veth" and (i.get("master") != "cni0"
                                            or not i["ifname"].startswith("veth")
                                            or len(i["ifname"]) != 12):
                    fail(f"{name}: bad Flannel veth {i['ifname']}")
            if routes.get(str(node_cidr[name]), {}).get("dev") != "cni0":
                fail(f"{name}: no route for the local pod CIDR via cni0")

    if errors:
        raise SystemExit(f"{flavour}: invariants violated:\n  " + "\n  ".join(errors))


def render(flavour) -> str:
    cluster = Cluster(flavour)
    cluster.build()
    doc = cluster.document()
    check(doc, flavour)
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare with the files on disk; exit 1 when they differ")
    parser.add_argument("--out", default=HERE, help="output folder (default: beside this script)")
    args = parser.parse_args()
    stale = []
    for flavour, cfg in FLAVOURS.items():
        text = render(flavour)
        path = os.path.join(args.out, cfg["file"])
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(path)
            except FileNotFoundError:
                stale.append(path)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            print(f"wrote {path} ({len(text)} bytes)")
    if stale:
        print("stale, run generate_demo.py: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
