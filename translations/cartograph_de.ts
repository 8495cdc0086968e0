<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>Diagram</name>
    <message>
        <source>Kubernetes cluster network topology drawn by Cartograph: nodes, interfaces, bridges, veths, tunnels, pods and services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start the SVG painter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enough memory for a %1 × %2 pixel image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the page size is not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start the PDF painter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the diagram is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VXLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VNI %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP-in-IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Geneve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WireGuard :%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WireGuard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GRE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>bridge · %n port(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished">Bereit</translation>
    </message>
    <message>
        <source>NotReady</source>
        <translation type="unfinished">Nicht bereit</translation>
    </message>
    <message>
        <source>NotReady (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready: Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready: Unknown (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cordoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>InternalIP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pod CIDR %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kubelet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pods without a node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending, or on a node missing from the snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n pod(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>hostNetwork</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hostNetwork · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Underlay network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node to node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node to node · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n service(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>ExternalName → %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (headless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ingress %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NodePort %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolved by DNS, no endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no selector: endpoints managed by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>selector matches no pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n pod(s), first %1 drawn</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>→ %n pod(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>no ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n node(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>CNI not detected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enforces NetworkPolicy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not enforce NetworkPolicy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pod (colour = namespace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host-network pod (node&apos;s IP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>veth (host end)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bridge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tunnel device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pod → veth → bridge / host routing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay tunnel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Underlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service → endpoint pod</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LaunchOptions</name>
    <message>
        <source>Shows how a Kubernetes cluster&apos;s network is wired: nodes, interfaces, bridges, tunnels, pods and services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a built-in demo cluster: calico (IP-in-IP) or flannel (VXLAN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cni</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a picture of the window to &lt;png&gt; once the snapshot is shown, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>png</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window size, for example 1600x1000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WxH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot files to open together (kubectl get … -o json/yaml output, or saved by Cartograph).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[FILE...]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try &apos;%1 --help&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cartograph: unknown demo &apos;%1&apos;; expected calico or flannel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cartograph: --demo cannot be combined with snapshot files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cartograph: --screenshot needs a file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cartograph: invalid --size &apos;%1&apos;; expected WIDTHxHEIGHT such as 1600x1000 (at least 200x150).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run it on a desktop session, or headless with: xvfb-run -a cartograph (from a source tree: xvfb-run -a ./dev.sh run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cartograph: no display found (DISPLAY and WAYLAND_DISPLAY are unset).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cartograph: no X server answers on display %1 (DISPLAY is set, but nothing listens on it).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 rule %3, %4, %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file (a directory or device); expected a JSON or YAML file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is empty (0 bytes); expected a Kubernetes List or object in JSON or YAML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary data, not JSON or YAML text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>syntax error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrong type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required field missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a List inside a List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid YAML: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Kubernetes object or List (a YAML mapping)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found a sequence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found a scalar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least one Kubernetes object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the YAML holds no document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON or YAML text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the data contains NUL bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only whitespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file contains NUL bytes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph-cli</name>
    <message>
        <source>unknown command &quot;%1&quot;; run cartograph-cli --help</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::CniDetection</name>
    <message>
        <source>DaemonSet %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI config %1 on node %2 (plugin %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tunnel device %1 (%2) on node %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>no tunnel device on the %n node(s) with interface facts</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cartograph::Demo</name>
    <message>
        <source>Calico IP-in-IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flannel VXLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::PolicyEngine</name>
    <message>
        <source>the CNI plugin (%1) does not enforce NetworkPolicy: the traffic flows whatever the policies say; the verdict is the one the API defines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CNI plugin was not recognised, so whether it enforces NetworkPolicy is unknown; the verdict is the one the API defines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the %1 pod index %2 is not a pod of the snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an IP of pod %2 (its IPs: %3); evaluated as given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the %1 is neither a pod nor an address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the IP of pod %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the ClusterIP of service %2; services do not originate traffic, so it is evaluated as a plain address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is an address of node %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is inside node %2&apos;s pod CIDR %3 but no pod of the snapshot has it; evaluated as a plain address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 belongs to no pod, service or node of the snapshot (outside the cluster)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pod %1 has no IP (phase %2): no ipBlock can match it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pod %1 has no %2 address: no ipBlock can match it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2 are of different address families: no packet goes from one to the other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pod %1 has no %2 container port named %3: the name resolves to nothing, so the probe is denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port name %1 resolves to %2/%3 on pod %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port name %1 can only be resolved against a destination pod, and %2 is none: the probe is denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1 is outside 1-65535: the probe is denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neither side is a pod: NetworkPolicy does not apply to this traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pod %1 uses the host network (its IP is node %2&apos;s): NetworkPolicy behaviour for host-network pods is undefined, and most CNIs treat its traffic as the node&apos;s, which policies do not select</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the traffic comes from node %1, where pod %2 runs (kubelet probes and other host processes): most CNIs always allow a pod&apos;s own node, and the API does not say</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the source %1 is node %2&apos;s address: whether ipBlock rules match node addresses depends on the CNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the destination %1 is node %2&apos;s address: whether ipBlock rules match node addresses depends on the CNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pod %1 connects to itself: the effect of policies on such loopback traffic is undefined and CNIs differ (kubernetes/kubernetes#95879)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>egress of %1 admits pod %2 only through an ipBlock holding its pod IP (%3): ipBlocks are meant for cluster-external addresses, and whether they match pod IPs is up to the CNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ingress of %1 admits pod %2 only through an ipBlock holding its pod IP (%3): ipBlocks are meant for cluster-external addresses, and whether they match pod IPs is up to the CNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the ClusterIP of service %2: NetworkPolicy sees the backing pods after service translation, so each backend is evaluated on its targetPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service %1 has no port %2/%3: nothing forwards the probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>endpoint %1 of EndpointSlice %2 is not ready: kube-proxy sends it no traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>endpoint %1 of EndpointSlice %2 names no pod of the snapshot and no address: skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the snapshot holds no %1 EndpointSlice of service %2: its backends are the pods its selector matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service %1 has no ready backend: nothing answers on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>targetPort %1 of service %2 names no %3 container port of backend %4: the connection fails there</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>service port %1/%2 forwards to targetPort %3 on %n backend(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>the backends disagree: allowed to %1, denied to %2; which one answers depends on kube-proxy&apos;s choice, so the service counts as denied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::SnapshotSaxHandler</name>
    <message>
        <source>a Kubernetes object or List (a JSON object)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kind List (or PodList, NodeList, …) for a document with items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found a single JSON value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found a single value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found a JSON array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found an object</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::app::InspectorPanel</name>
    <message>
        <source>Property</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy &amp;All</source>
        <translation>&amp;Alles kopieren</translation>
    </message>
    <message>
        <source>No snapshot</source>
        <translation>Kein Snapshot</translation>
    </message>
    <message>
        <source>Nothing to inspect yet</source>
        <translation>Noch nichts zu untersuchen</translation>
    </message>
    <message>
        <source>Open a snapshot (File ▸ Open…, or drop kubectl JSON/YAML files on the window) or one of the demo clusters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Double-click to show it in the diagram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a blue row to jump to that object. Esc returns to the cluster overview.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagram element</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster overview</source>
        <translation>Cluster-Überblick</translation>
    </message>
    <message>
        <source>Click a node, pod, service or interface in the diagram to see its details; double-click to zoom to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>CNI plugin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NetworkPolicy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enforcement unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enforced by the CNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT enforced — %1 ignores NetworkPolicy objects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Objects</source>
        <translation>Objekte</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Nodes</translation>
    </message>
    <message>
        <source>%1 (%2 ready)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 on the host network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Namespaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint slices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DaemonSets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>NotReady</source>
        <translation>Nicht bereit</translation>
    </message>
    <message>
        <source>…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 not modelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>True</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>False</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedulable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No (cordoned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>Adressen</translation>
    </message>
    <message>
        <source>Pod CIDR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Kubelet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Container runtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI and kubelet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI plugins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Static pod path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interfaces</source>
        <translation>Schnittstellen</translation>
    </message>
    <message>
        <source>port of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↔ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>Routen</translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>via %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dev %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>onlink</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proto %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No NodeNetwork item for this node (the Cartograph agent did not run there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pods (%1)</source>
        <translation>Pods (%1)</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Static pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host-network pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pod IPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes — no own IP, uses the node&apos;s addresses and ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No — own network namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ↔ %1 in the pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (port of %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the kubelet&apos;s staticPodPath</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes — the kubelet runs it from a manifest in %1; the API holds a read-only mirror</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Config source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Containers (%1)</source>
        <translation>Container (%1)</translation>
    </message>
    <message>
        <source>%1 (init)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (host port %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected by services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected by network policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ingress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>egress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not enforce NetworkPolicy</source>
        <translation>%1 setzt NetworkPolicy nicht durch</translation>
    </message>
    <message>
        <source>Service · %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (headless: DNS returns the pod IPs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster IPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External IPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External traffic policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>Ports</translation>
    </message>
    <message>
        <source>%1/%2 → target port %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, node port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selector</source>
        <translation>Selektor</translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>endpoints are managed by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>selects no pods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing pods (%1)</source>
        <translation>Zugehörige Pods (%1)</translation>
    </message>
    <message>
        <source> on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no pod matches the selector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>Endpunkte</translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, terminating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all pods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every pod accepts all traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 interface · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (scope %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bridge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1 inside the pod)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tunnel</source>
        <translation>Tunnel</translation>
    </message>
    <message>
        <source>VNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDP port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Underlay device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bridge ports</source>
        <translation>Bridge-Ports</translation>
    </message>
    <message>
        <source>Routes via this device</source>
        <translation>Routen über dieses Gerät</translation>
    </message>
    <message>
        <source>direct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> onlink</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detected from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to read, %2 to lay out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · host network · %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::app::MainWindow</name>
    <message>
        <source>No snapshot loaded.

Open kubectl output with File ▸ Open… (Ctrl+O), drop JSON or YAML files here, or try a demo cluster from File ▸ Open Demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>Open one or more snapshot files (kubectl JSON or YAML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the built-in %1 demo cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Snapshot As…</source>
        <translation>Snapshot &amp;speichern unter …</translation>
    </message>
    <message>
        <source>Save the snapshot as a Kubernetes List that kubectl and jq read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export Diagram…</source>
        <translation>Diagramm &amp;exportieren …</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the whole diagram as SVG, PNG or PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Actual Size (100%)</source>
        <translation>&amp;Originalgröße (100 %)</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen …</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>&amp;Weitersuchen</translation>
    </message>
    <message>
        <source>Find Pre&amp;vious</source>
        <translation>&amp;Rückwärts suchen</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>Open &amp;Demo</source>
        <translation>&amp;Demo öffnen</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Cartograph</source>
        <translation>Ü&amp;ber Cartograph</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <source>Open a built-in demo cluster</source>
        <translation>Einen eingebauten Demo-Cluster öffnen</translation>
    </message>
    <message>
        <source>Search pods, services, nodes, IPs…</source>
        <translation>Pods, Services, Nodes, IPs suchen …</translation>
    </message>
    <message>
        <source>Search by name, namespace, IP address or DNS name.
Enter: next match · Shift+Enter: previous · Esc: clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspektor</translation>
    </message>
    <message>
        <source>Event Log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Lade %1 …</translation>
    </message>
    <message>
        <source>Loading cancelled; still showing the previous snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading cancelled by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped the result for %1: something else was opened meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The snapshot could not be laid out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>%1 konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Still showing %1.</source>
        <translation>Weiterhin wird %1 angezeigt.</translation>
    </message>
    <message>
        <source>%1 — Cartograph</source>
        <translation>%1 — Cartograph</translation>
    </message>
    <message>
        <source>Loaded %1: %2 nodes, %3 pods, %4 services (read %5 ms, layout %6 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped %1 item(s) of kind %2 (not modelled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI evidence: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded %1</source>
        <translation>%1 geladen</translation>
    </message>
    <message>
        <source>No snapshot</source>
        <translation>Kein Snapshot</translation>
    </message>
    <message>
        <source>%1 nodes · %2 pods · %3 services · %4 policies</source>
        <translation>%1 Nodes · %2 Pods · %3 Services · %4 Policies</translation>
    </message>
    <message>
        <source>CNI unknown</source>
        <translation>CNI unbekannt</translation>
    </message>
    <message>
        <source>CNI: %1</source>
        <translation>CNI: %1</translation>
    </message>
    <message>
        <source>No DaemonSet or node report identifies the CNI plugin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detected from:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · enforces NetworkPolicy</source>
        <translation> · setzt NetworkPolicy durch</translation>
    </message>
    <message>
        <source> · NetworkPolicy enforcement unknown</source>
        <translation> · Durchsetzung von NetworkPolicy unbekannt</translation>
    </message>
    <message>
        <source>%1 does not enforce NetworkPolicy</source>
        <translation>%1 setzt NetworkPolicy nicht durch</translation>
    </message>
    <message>
        <source>%1 only connects pods. NetworkPolicy objects (%3 in this snapshot) have no effect: every pod can reach every other pod.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 no longer exists; removed it from the recent files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent file %1 no longer exists; removed it from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>Keine zuletzt geöffneten Dateien</translation>
    </message>
    <message>
        <source>&amp;Clear Recent Files</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <source>Removed 1 recent file that no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed %1 recent files that no longer exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Snapshot</source>
        <translation>Snapshot öffnen</translation>
    </message>
    <message>
        <source>Kubernetes snapshots (*.json *.yaml *.yml);;JSON (*.json);;YAML (*.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Snapshot As</source>
        <translation>Snapshot speichern unter</translation>
    </message>
    <message>
        <source>Kubernetes List (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the snapshot</source>
        <translation>Der Snapshot konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Saved the snapshot to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG-Bild (*.svg)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Export Diagram</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>Exporting %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export the diagram</source>
        <translation>Das Diagramm konnte nicht exportiert werden</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Exported the diagram to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Cartograph</source>
        <translation>Über Cartograph</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Cartograph %1&lt;/h3&gt;&lt;p&gt;Shows how a Kubernetes cluster&apos;s network is really wired: node interfaces, bridges, veth pairs, overlay tunnels, host-network pods, pod CIDRs and services.&lt;/p&gt;&lt;p&gt;Snapshots are plain &lt;code&gt;kubectl get … -o json&lt;/code&gt; output, plus the &lt;code&gt;NodeNetwork&lt;/code&gt; reports of the Cartograph agent.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 Treffer</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 Treffer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
</context>
<context>
    <name>cartograph::capture</name>
    <message>
        <source>a pcap or pcapng capture file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::capture::PcapSource</name>
    <message>
        <source>the link-layer type field 0x%1 has reserved bits set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such file or directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the stream is not open for reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>packet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a complete pcap or pcapng record</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::cli</name>
    <message>
        <source>Use an embedded demo cluster instead of files: calico or flannel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flavour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot files: Kubernetes List or objects, JSON or YAML (as kubectl get -o json|yaml prints them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give either --demo or files, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown demo &quot;%1&quot;; expected calico or flannel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no snapshot file given (or use --demo calico|flannel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &quot;%1&quot;; %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: cartograph-cli &lt;command&gt; [options]

See how a Kubernetes cluster&apos;s network is wired, without a display.

Commands:
  summary FILE...    Counts per kind, nodes with pod CIDRs and addresses, the CNI
                     and whether it enforces NetworkPolicy, policies per namespace.
  export FILE...     Render the topology diagram to SVG, PNG or PDF.
  reach --snapshot FILE... [--apply POLICIES.yaml...] [--delete NAMESPACE/NAME...]
        --probes PROBES.json
                     NetworkPolicy verdicts (allow/deny, with explanation) for a
                     JSON array of probes, as JSON.
  explain --snapshot FILE... --from F --to T --port P [--protocol X]
        [--apply POLICIES.yaml...] [--delete NAMESPACE/NAME...]
                     Why NetworkPolicy allows or denies one connection, for people.
  flows --pcap FILE [--snapshot FILE...] [--vxlan-port N...] [--format json|csv]
                     Replay a pcap/pcapng into flows (overlays decoded: VXLAN,
                     Geneve, IP-in-IP, GRE, WireGuard) attributed to pods, services
                     and nodes, as JSON or CSV.

Run &apos;cartograph-cli &lt;command&gt; --help&apos; for a command&apos;s options.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summarise a cluster snapshot: object counts, nodes, CNI, NetworkPolicies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print JSON for machines instead of text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sources: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Objects: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped (not modelled): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host-network pods: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NetworkPolicy enforcement unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enforces NetworkPolicy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does NOT enforce NetworkPolicy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI: %1, overlay %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>evidence: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROLES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PODS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POD CIDRS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ADDRESSES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NetworkPolicies per namespace:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1 does not enforce NetworkPolicy; the policies above have no effect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the topology of a snapshot with the same diagram code that paints the screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output format: svg, png or pdf (default: from the output file&apos;s extension).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG only: pixels per diagram unit (default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>factor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing -o OUT: the file to write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot;; expected svg, png or pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--scale must be a number greater than 0 and at most 8, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrote %1 (%2 shapes, %3 edges)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay a pcap or pcapng capture into bidirectional flows and attribute their endpoints
to the cluster of the snapshot files.

Output (JSON): {&quot;flows&quot;: [...], &quot;summary&quot;: {...}}. Each flow: protocol (&quot;TCP&quot;,
&quot;UDP&quot;, &quot;ICMP&quot;, &quot;ICMPv6&quot;, &quot;SCTP&quot; or the IP protocol number); a and b, each
{ip, port, endpoint: {kind: pod|service|node|external, namespace, name}} (endpoint is
null without --snapshot; an address in a node&apos;s pod CIDR that no pod holds is a pod
with null name and its &quot;node&quot;); packets_ab, bytes_ab, packets_ba, bytes_ba (bytes are
frame lengths on the wire, as Wireshark counts them); first and last (RFC 3339, UTC,
microseconds); tunnel (null, or {type, vni, outer_a, outer_b, port, outer_a_node,
outer_b_node, payload, inner} for vxlan, geneve, ipip, 6in4, gre, wireguard: vni is
the VNI or GRE key of the A to B packets (vni_ba appears when B to A used another),
payload is ip, or non-ip/encrypted/damaged when the flow is the tunnel&apos;s own outer
conversation, inner holds a nested tunnel); tcp_flags (SYN, FIN, RST seen; null for
other protocols); ended (&quot;idle-timeout&quot; or &quot;evicted&quot;) when the flow left the
table before the capture&apos;s end.
A is the source of the flow&apos;s first packet. TCP, UDP and SCTP flows are keyed by
addresses and ports; ICMP, ICMPv6 and other protocols by the address pair (ports
null), as are non-first IP fragments and packets whose transport header was cut.
Tunnelled packets count in their inner conversation, and the tunnel is part of the
flow&apos;s identity. Flows are ordered by first packet, then protocol and endpoints.
Summary: packets, bytes, flows, ip_packets, malformed (frames by reason),
undecodable, non_ip, evicted, expired, link_types, read_error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The capture to read: pcap or pcapng (required).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot file (Kubernetes List or objects, JSON or YAML, as kubectl get prints them) to attribute addresses with; repeat for several. Tunnel ports of its NodeNetwork devices are decoded too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode UDP port N as VXLAN too (4789 and 8472 always are); repeatable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>json (default) or csv.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End a flow after this many seconds without packets; a later packet starts a new flow. 0 (default): never.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows held at once (default 1000000); beyond it the least recently active flow is ended and counted in summary.evicted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON: add each flow&apos;s per-second traffic as &quot;buckets&quot;: [[unix_second, packets_ab, bytes_ab, packets_ba, bytes_ba], ...].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the capture is given with --pcap FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing --pcap FILE: the capture to read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give one --pcap FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown format &quot;%1&quot;; expected json or csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--vxlan-port must be a UDP port (1-65535), not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--idle-timeout must be a number of seconds (0 or more), not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--max-flows must be a positive number, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1; the flows hold the %2 packets before it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot file (Kubernetes List or objects, JSON or YAML, as kubectl get prints them); repeat for several.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add or replace (by namespace/name) the NetworkPolicies of this file: one object, multi-document YAML or a List. Validated strictly, as kubectl --validate=strict. Repeatable; edits apply in command-line order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POLICIES.yaml</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this NetworkPolicy. Repeatable; edits apply in command-line order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAMESPACE/NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshots are given with --snapshot FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no snapshot given; use --snapshot FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--delete: expected NAMESPACE/NAME, found &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--delete: no NetworkPolicy &quot;%1&quot; in the snapshot or the policies applied before it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected namespace/pod-name or an IP address, found the CIDR &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown pod &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected namespace/pod-name or an IP address, found &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port must be a whole number between 1 and 65535, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port must be a number or a port name (at most 15 lowercase letters, digits and &apos;-&apos;, with a letter), found &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol must be TCP, UDP or SCTP, found &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an object with from, to and port, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown field &quot;%1&quot;; a probe has from, to, port and protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a string (namespace/pod-name or an IP address), found %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing &quot;port&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;port&quot; must be a number or a port name, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;protocol&quot; must be TCP, UDP or SCTP, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected a JSON array of probes, found %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a single value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: probe [%2]: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peer %1[%2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port ports[%1]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>egress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ingress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not evaluated: the traffic never reaches %1&apos;s %2 policies (see the notes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a pod: NetworkPolicy does not restrict the %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not isolated for %1: no NetworkPolicy selects %2 with policy type %3, so all %1 is allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>isolated for %1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; allowed by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; no rule admits this traffic, so it is denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NetworkPolicy verdicts for a list of probes, as JSON: one object per probe, in input order, repeating its fields and adding &quot;verdict&quot; (allow or deny), &quot;cni_dependent&quot; and &quot;explanation&quot;.
A probe is {&quot;from&quot;: F, &quot;to&quot;: T, &quot;port&quot;: P, &quot;protocol&quot;: &quot;TCP&quot;|&quot;UDP&quot;|&quot;SCTP&quot;} where F and T are namespace/pod-name or an IP address, P a number or a port name, and protocol defaults to TCP.
Exit status 2, with nothing on stdout, for an unknown pod or a malformed probe or policy; 1 when a file cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON array of probes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PROBES.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no probes given; use --probes PROBES.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain for people whether NetworkPolicy allows one connection, and why: the verdict, then the source&apos;s egress, the destination&apos;s ingress, and notes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source: namespace/pod-name or an IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination: namespace/pod-name or an IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination port: a number, or a port name resolved on the destination pod.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP (default), UDP or SCTP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing --%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALLOW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DENY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 -&gt; %2, port %3/%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CNI-dependent: the API leaves this case to the CNI plugin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not enforced: the cluster&apos;s CNI does not enforce NetworkPolicy; this is the verdict as Kubernetes defines it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Egress of %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ingress to %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service %1, backends:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::detail</name>
    <message>
        <source>a label key: an optional DNS subdomain and &apos;/&apos;, then at most 63 characters [A-Za-z0-9-_.] beginning and ending with a letter or digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a label value: empty, or at most 63 characters [A-Za-z0-9-_.] beginning and ending with a letter or digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an object such as a Pod or Node; Lists cannot be nested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found a %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a NetworkPolicy (apiVersion networking.k8s.io/v1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found kind &quot;%1&quot;, apiVersion &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cartograph::detail::Reader</name>
    <message>
        <source>a field of %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown field &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each field once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate field &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an integer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found %1, which is too large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port number between %1 and 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an IPv4 or IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a CIDR such as 10.244.0.0/16 or fd00::/64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP, UDP or SCTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In, NotIn, Exists or DoesNotExist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least one value when the operator is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no values when the operator is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ClusterIP, NodePort, LoadBalancer or ExternalName</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an array of addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a strict subset of cidr %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port number, or a port name of at most 15 lowercase letters, digits and &apos;-&apos; with at least one letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no endPort when port is a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port is &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port number when endPort is given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>endPort greater than or equal to port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>podSelector, namespaceSelector or ipBlock in the peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ipBlock alone: it may not be combined with podSelector or namespaceSelector in one peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ingress or Egress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most two policyTypes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loopback, ethernet, bridge, veth, vxlan, ipip, geneve, wireguard, gre, dummy or other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a prefix length between 0 and %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;default&quot;, an address or a CIDR</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Saved screenshot to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cartograph: timed out waiting for the snapshot to load</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
