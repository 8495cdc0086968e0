<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
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
        <source>cartograph: no display found (DISPLAY and WAYLAND_DISPLAY are unset). Run it on a desktop session, or headless with: xvfb-run -a cartograph</source>
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
</TS>
