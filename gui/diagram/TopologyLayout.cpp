// Layout of a ClusterSnapshot into a TopologyScene.
//
// Picture, top to bottom: title and legend; a grid of node boxes (control plane first), each
// with a header (name, role, Ready, InternalIP, pod CIDRs, kubelet), its main tunnel device in
// the top-right corner, pods grouped by namespace with their veth host ends under them, and the
// node's bridges and physical interfaces along the bottom. Overlay edges run above each grid
// row from tunnel to tunnel; the underlay bar runs below each row and every node's primary
// interface drops onto it. Services sit in namespace bands, with light curves to the pods their
// selector matches: in columns right of the grid when the grid is tall (many nodes), in a block
// under the nodes when one column of services would dwarf a single row of nodes.
//
// Where the layout has a choice (how many pod columns a node box has while the nodes fit in one
// row; services beside or below the nodes, and how tall their columns are), it takes the
// arrangement that opens largest in a reference view (DiagramMetrics.h), so that a small
// cluster's first, fitted view is readable.
//
// Wiring inside a node follows fixed channels so lines never cross pods: a veth drops into
// the lane under its pod row, runs left to the pod-network bus on the left edge of the node,
// and down to the bridge (or, with no bridge, to the interface the host routes through). A
// host-network pod drops into a second lane, runs right to the host bus on the right edge,
// and down to the interface whose address it shares.
//
// Up to four nodes stand in one row and their tunnels form a full mesh; more nodes fill a grid
// of about sqrt(n) columns and the overlay becomes a chain through neighbouring boxes in snake
// order (a mesh of 5,000 nodes would be 12.5 million edges).
//
// Every step is linear in the snapshot: pods are bucketed per node through a hash, services
// find their pods through a label index over the keys selectors use, and at most kEndpointCap
// endpoint edges are drawn per service (the Shape detail says how many were left out).

#include "CniDetection.h"
#include "DiagramMetrics.h"
#include "TopologyScene.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <memory>

namespace cartograph::diagram {

namespace {

class Diagram
{
    Q_DECLARE_TR_FUNCTIONS(Diagram)
};

// Scene geometry, in scene units (1 unit = 1 pixel at 100 % zoom).
constexpr qreal kMargin = 40;
constexpr qreal kTitleHeight = 84;

constexpr qreal kNodePad = metrics::NodePad;
constexpr qreal kHeaderHeight = metrics::NodeHeaderHeight;
constexpr qreal kTunnelWidth = metrics::TunnelWidth;
constexpr qreal kTunnelHeight = metrics::TunnelHeight;
constexpr qreal kNodeGapX = 72;

constexpr qreal kPodWidth = 224;
constexpr qreal kPodHeight = 40;
constexpr qreal kVethInset = 22;
constexpr qreal kVethGap = 7;
constexpr qreal kVethHeight = 15;
constexpr qreal kLaneHeight = 26; // under each pod row: the veth lane and the host lane
constexpr qreal kVethLaneOffset = 8;
constexpr qreal kHostLaneOffset = 17;
constexpr qreal kRowPitch = kPodHeight + kVethGap + kVethHeight + kLaneHeight;
constexpr qreal kBusWidth = 28;

constexpr qreal kGroupPad = 10;
constexpr qreal kGroupHeader = 24;
constexpr qreal kGroupGap = 10; // between shelves of namespace groups
constexpr qreal kGroupGapX = 8; // between groups side by side on one shelf
// Pods sit on one column grid per node, whatever their group: a group of k columns spans k
// column pitches, so small groups share a shelf and big ones wrap onto more rows.
constexpr qreal kColumnPitch = kPodWidth + 2 * kGroupPad + kGroupGapX;

constexpr qreal kInterfaceWidth = 164;
constexpr qreal kInterfaceHeight = 52;
constexpr qreal kInterfaceGap = 12;
constexpr qreal kInterfaceRowTopGap = 26; // room for the buses' horizontal runs

constexpr qreal kUnderlayGap = 34;
constexpr qreal kUnderlayHeight = 24;
constexpr qreal kUnderlayTrunkWidth = 12;
constexpr qreal kOverlayBase = 20;
constexpr qreal kOverlayLaneSpacing = 26;
constexpr qreal kRowGapBelow = 30; // under the underlay bar, before the next row's lanes

constexpr qreal kServicesGapX = 220;
constexpr qreal kServiceWidth = 300;
constexpr qreal kServiceHeight = 86;
constexpr qreal kServiceGap = 10;
constexpr qreal kBandPad = 12;
constexpr qreal kBandHeader = 28;
constexpr qreal kBandGap = 18;
constexpr qreal kBandColumnGap = 40;

constexpr qreal kServicesGapY = 76;     // under the underlay bar, before services placed below
constexpr qreal kServiceColumnGap = 20; // a gutter for endpoint curves between service columns
constexpr qreal kServicePitch = kServiceHeight + kServiceGap;
constexpr qreal kBandChrome = kBandHeader + 2 * kBandPad - kServiceGap;

constexpr qreal kMinimumTitleWidth = 900;
constexpr qreal kBoundsPad = metrics::BoundsPad;
constexpr int kMinPodsPerRow = 2;
constexpr int kMaxPodsPerRow = 8;
// Up to this many pods, a single row of nodes is laid out once per pod column count to find the
// best; more (far past kubelet's 110 pods a node) take the automatic count.
constexpr qsizetype kTuningPodLimit = 2000;

constexpr int kEndpointCap = 50;
constexpr int kCurveSamples = 16;
constexpr int kMeshLimit = 4; // up to this many nodes (one row): every pair of tunnels

QString joinDot(const QStringList &parts)
{
    return parts.join(QStringLiteral(" · "));
}

// "node-2" before "node-10": runs of digits compare as numbers. Deterministic (no locale).
bool naturalLess(QStringView a, QStringView b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype ei = i, ej = j;
            while (ei < a.size() && a[ei].isDigit())
                ++ei;
            while (ej < b.size() && b[ej].isDigit())
                ++ej;
            // Compare numerically without overflow: skip leading zeros, then length, then text.
            qsizetype si = i, sj = j;
            while (si + 1 < ei && a[si] == u'0')
                ++si;
            while (sj + 1 < ej && b[sj] == u'0')
                ++sj;
            if (ei - si != ej - sj)
                return ei - si < ej - sj;
            if (const int c = a.sliced(si, ei - si).compare(b.sliced(sj, ej - sj)); c != 0)
                return c < 0;
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j];
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j))
        return (a.size() - i) < (b.size() - j);
    return a < b; // equal under the natural order ("01" vs "1"): fall back to plain text
}

bool isControlPlane(const Node &node)
{
    return node.roles.contains(QStringLiteral("control-plane")) ||
           node.roles.contains(QStringLiteral("master"));
}

ShapeKind shapeKindFor(InterfaceKind kind)
{
    switch (kind) {
    case InterfaceKind::Bridge:
        return ShapeKind::Bridge;
    case InterfaceKind::Veth:
        return ShapeKind::Veth;
    default:
        return isTunnel(kind) ? ShapeKind::Tunnel : ShapeKind::Interface;
    }
}

bool hasAddress(const NetworkInterface &iface, const IpAddress &address)
{
    if (address.isNull())
        return false;
    for (const auto &a : iface.addresses) {
        if (a.address == address)
            return true;
    }
    return false;
}

QString addressList(const NetworkInterface &iface)
{
    QStringList parts;
    for (const auto &a : iface.addresses) {
        if (a.scope == u"link" || a.scope == u"host")
            continue; // fe80::/64 on every interface is noise here
        parts.append(a.prefixLength > 0
                         ? a.address.toString() + u'/' + QString::number(a.prefixLength)
                         : a.address.toString());
    }
    return joinDot(parts);
}

QString tunnelDescription(const NetworkInterface &iface)
{
    switch (iface.kind) {
    case InterfaceKind::Vxlan: {
        QString text = Diagram::tr("VXLAN");
        if (iface.vni)
            text += u' ' + Diagram::tr("VNI %1").arg(*iface.vni);
        if (iface.udpPort > 0)
            text += QStringLiteral(" :%1").arg(iface.udpPort);
        return text;
    }
    case InterfaceKind::IpIp:
        return Diagram::tr("IP-in-IP");
    case InterfaceKind::Geneve: {
        QString text = Diagram::tr("Geneve");
        if (iface.vni)
            text += u' ' + Diagram::tr("VNI %1").arg(*iface.vni);
        if (iface.udpPort > 0)
            text += QStringLiteral(" :%1").arg(iface.udpPort);
        return text;
    }
    case InterfaceKind::WireGuard:
        return iface.udpPort > 0 ? Diagram::tr("WireGuard :%1").arg(iface.udpPort)
                                 : Diagram::tr("WireGuard");
    case InterfaceKind::Gre:
        return Diagram::tr("GRE");
    default:
        return {};
    }
}

QString overlayDescription(OverlayMode mode)
{
    switch (mode) {
    case OverlayMode::Vxlan:
        return Diagram::tr("VXLAN");
    case OverlayMode::IpIp:
        return Diagram::tr("IP-in-IP");
    case OverlayMode::Geneve:
        return Diagram::tr("Geneve");
    case OverlayMode::WireGuard:
        return Diagram::tr("WireGuard");
    default:
        return {};
    }
}

bool isTunnelMode(OverlayMode mode)
{
    return mode == OverlayMode::Vxlan || mode == OverlayMode::IpIp || mode == OverlayMode::Geneve ||
           mode == OverlayMode::WireGuard;
}

// Drops repeated points so every segment has a length.
QPolygonF cleanPath(std::initializer_list<QPointF> points)
{
    QPolygonF path;
    for (const QPointF &p : points) {
        if (path.isEmpty() || path.last() != p)
            path.append(p);
    }
    if (path.size() == 1)
        path.append(path.first());
    return path;
}

// The zoom at which a scene of this size fits the reference view (see DiagramMetrics.h).
qreal referenceFitZoom(const QSizeF &size)
{
    if (size.isEmpty())
        return 1.0;
    return std::min(metrics::ReferenceViewWidth / size.width(),
                    metrics::ReferenceViewHeight / size.height());
}

QPolygonF cubic(const QPointF &from, const QPointF &c1, const QPointF &c2, const QPointF &to)
{
    QPolygonF path;
    path.reserve(kCurveSamples + 1);
    for (int i = 0; i <= kCurveSamples; ++i) {
        const qreal t = qreal(i) / kCurveSamples, u = 1.0 - t;
        path.append(u * u * u * from + 3 * u * u * t * c1 + 3 * u * t * t * c2 + t * t * t * to);
    }
    return path;
}

QPolygonF curve(const QPointF &from, const QPointF &to)
{
    // A horizontal-tangent cubic from the service's left side to the pod's right side.
    const qreal dx = std::abs(from.x() - to.x());
    const QPointF c1(from.x() - std::max<qreal>(60.0, dx * 0.45), from.y());
    const QPointF c2(to.x() + std::min<qreal>(140.0, std::max<qreal>(40.0, dx * 0.2)), to.y());
    return cubic(from, c1, c2, to);
}

QPolygonF upwardCurve(const QPointF &from, const QPointF &to)
{
    // Leaves a service below the nodes straight up, reaches the pod's right side level.
    const qreal dx = std::abs(from.x() - to.x());
    const qreal dy = std::max<qreal>(0.0, from.y() - to.y());
    const QPointF c1(from.x(), from.y() - std::max<qreal>(60.0, dy * 0.5));
    const QPointF c2(to.x() + std::min<qreal>(140.0, std::max<qreal>(40.0, dx * 0.2)), to.y());
    return cubic(from, c1, c2, to);
}

// The services of one namespace, by name.
struct ServiceBand
{
    QString namespaceName;
    QList<qsizetype> services;
};

struct BandSlot
{
    QRectF rect; // relative to the top left of the services area
    qsizetype perColumn = 1;
    int column = 0; // which column of bands
};

// Bands fill columns of the given height top to bottom, then the next column to the right; a
// band with more services than one column holds spreads over inner columns of its own. Returns
// the size of the whole; fills placement (one per band) when asked. Linear in the bands.
QSizeF packBands(const QList<ServiceBand> &bands, qreal columnHeight, QList<BandSlot> *placement)
{
    const qsizetype rowsFit = std::max<qsizetype>(
        1, qsizetype(std::floor((columnHeight - kBandChrome) / kServicePitch + 1e-6)));
    qreal x = 0, y = 0, columnWidth = 0;
    int column = 0;
    QSizeF size;
    for (const ServiceBand &band : bands) {
        const qsizetype count = band.services.size();
        const qsizetype inner = (count + rowsFit - 1) / rowsFit;
        const qsizetype perColumn = (count + inner - 1) / inner;
        const qreal width = inner * kServiceWidth + (inner - 1) * kServiceColumnGap + 2 * kBandPad;
        const qreal height = kBandChrome + perColumn * kServicePitch;
        if (y > 0 && y + height > columnHeight + 1e-6) {
            x += columnWidth + kBandColumnGap;
            y = 0;
            columnWidth = 0;
            ++column;
        }
        if (placement)
            placement->append(BandSlot{QRectF(x, y, width, height), perColumn, column});
        size = size.expandedTo(QSizeF(x + width, y + height));
        y += height + kBandGap;
        columnWidth = std::max(columnWidth, width);
    }
    return size;
}

struct PodSlot
{
    qsizetype pod = -1;
    qsizetype vethInterface = -1; // index in the node's NodeNetwork::interfaces
};

struct PodGroup
{
    QString namespaceName;
    QList<PodSlot> pods; // own-IP pods first, then host-network pods; each by name
    int shelf = 0;       // groups are packed left to right onto shelves
    int column = 0;      // first pod column of the group
    int columns = 1;
};

// Everything one node box needs, worked out before any position is fixed.
struct NodePlan
{
    qsizetype node = -1; // -1: the box of pods without a known node
    const NodeNetwork *network = nullptr;
    QList<PodGroup> groups;
    QList<qsizetype> rowInterfaces; // shown along the bottom: bridges, others, ethernet last
    qsizetype tunnelInterface = -1; // shown in the header's corner
    qsizetype primaryInterface = -1;
    QSet<qsizetype> vethsWithPod;
    QList<qreal> shelfHeights;
    qreal contentHeight = 0; // header + groups, without the interface rows
    int interfaceRows = 0;
    // Filled while placing:
    QRectF rect;
    qsizetype shape = -1;
    QHash<qsizetype, qsizetype> interfaceShapes; // interface index → shape
};

class LayoutBuilder
{
public:
    // podsPerRow 0: the pod columns per node box follow from the busiest node.
    LayoutBuilder(const ClusterSnapshot &snapshot, const CniDetection &cni, int podsPerRow = 0)
        : m_snapshot(snapshot)
        , m_cni(cni)
        , m_requestedPodsPerRow(podsPerRow)
    {}

    // Positions everything; then bounds() is known and finish() hands the scene over.
    void place();
    TopologyScene finish();
    // What TopologyScene::bounds() will be, and the zoom that fits it into the reference view.
    QRectF bounds() const;
    qreal fitZoom() const { return referenceFitZoom(bounds().size()); }
    int podsPerRow() const { return m_podsPerRow; }
    bool singleRow() const { return m_gridRows <= 1; }

private:
    void planNodes();
    void placeNodes();
    void placeNode(NodePlan &plan, const QRectF &rect);
    void placePods(NodePlan &plan, qreal top, qreal interfaceRowTop);
    void placeInterfaces(NodePlan &plan, qreal interfaceRowTop);
    void placeOverlay();
    void placeUnderlay();
    void placeServices();
    QString titleText() const;
    QList<LegendEntry> legendEntries() const;

    qsizetype namespaceIndex(const QString &name) const { return m_namespaceIndex.value(name, -1); }
    Shape interfaceShape(const NodePlan &plan, qsizetype ifIndex, const QRectF &rect) const;
    QRectF interfaceRowRect(const NodePlan &plan) const;

    QRectF titleRect(const QRectF &content) const;

    const ClusterSnapshot &m_snapshot;
    const CniDetection &m_cni;
    const int m_requestedPodsPerRow;
    TopologyScene m_scene;
    QHash<QString, qsizetype> m_namespaceIndex;
    QList<NodePlan> m_plans; // in grid order
    int m_columns = 1;
    int m_gridRows = 0;
    qreal m_nodeWidth = 0;
    int m_podsPerRow = 3;
    QRectF m_grid;          // union of the node boxes
    QList<qreal> m_rowTops; // per grid row
    QList<qreal> m_rowBottoms;
    QList<int> m_overlayLanes; // per grid row
    struct OverlayLink
    {
        int a, b; // plan indices
        int lane;
    };
    QList<OverlayLink> m_overlayLinks;
    QList<qsizetype> m_podShapes; // pod index → shape
};

void LayoutBuilder::planNodes()
{
    const auto &nodes = m_snapshot.nodes;
    QHash<QString, qsizetype> nodeByName;
    nodeByName.reserve(nodes.size());
    for (qsizetype i = 0; i < nodes.size(); ++i)
        nodeByName.insert(nodes[i].name, i);
    QHash<QString, const NodeNetwork *> networkByNode;
    for (const auto &network : m_snapshot.nodeNetworks)
        networkByNode.insert(network.nodeName, &network);

    // Pods per node in one pass; the last bucket holds pods without a known node.
    QList<QList<qsizetype>> podsPerNode(nodes.size() + 1);
    for (qsizetype i = 0; i < m_snapshot.pods.size(); ++i) {
        const qsizetype node = nodeByName.value(m_snapshot.pods[i].nodeName, -1);
        podsPerNode[node < 0 ? nodes.size() : node].append(i);
    }
    qsizetype maxPods = 0;
    for (const auto &bucket : std::as_const(podsPerNode))
        maxPods = std::max(maxPods, bucket.size());
    // Wider boxes for busier nodes keep the grid roughly square.
    m_podsPerRow = m_requestedPodsPerRow > 0
                       ? m_requestedPodsPerRow
                       : std::clamp(int(std::ceil(std::sqrt(qreal(maxPods) / 1.5))), 3, 8);

    QList<qsizetype> order(nodes.size());
    for (qsizetype i = 0; i < nodes.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&nodes](qsizetype a, qsizetype b) {
        const bool ca = isControlPlane(nodes[a]), cb = isControlPlane(nodes[b]);
        if (ca != cb)
            return ca;
        return naturalLess(nodes[a].name, nodes[b].name);
    });
    if (!podsPerNode.last().isEmpty())
        order.append(-1);

    const qreal innerWidth = 2 * kBusWidth + m_podsPerRow * kColumnPitch - kGroupGapX;
    m_nodeWidth = innerWidth + 2 * kNodePad;
    const int interfacesPerRow =
        std::max(1, int((innerWidth + kInterfaceGap) / (kInterfaceWidth + kInterfaceGap)));

    m_plans.reserve(order.size());
    for (qsizetype nodeIndex : std::as_const(order)) {
        NodePlan plan;
        plan.node = nodeIndex;
        const QList<qsizetype> &podIndices = podsPerNode[nodeIndex < 0 ? nodes.size() : nodeIndex];
        if (nodeIndex >= 0)
            plan.network = networkByNode.value(nodes[nodeIndex].name, nullptr);

        // veth host ends by the pod on their other end
        QHash<QString, qsizetype> vethByPod;
        if (plan.network) {
            const auto &ifaces = plan.network->interfaces;
            for (qsizetype i = 0; i < ifaces.size(); ++i) {
                if (ifaces[i].kind == InterfaceKind::Veth && !ifaces[i].peerPod.isEmpty())
                    vethByPod.insert(ifaces[i].peerPod, i);
            }
        }

        QList<PodSlot> podSlots;
        podSlots.reserve(podIndices.size());
        for (qsizetype podIndex : podIndices) {
            const Pod &pod = m_snapshot.pods[podIndex];
            PodSlot slot{podIndex, -1};
            if (!pod.hostNetwork && !vethByPod.isEmpty()) {
                slot.vethInterface = vethByPod.value(pod.qualifiedName(), -1);
                if (slot.vethInterface >= 0)
                    plan.vethsWithPod.insert(slot.vethInterface);
            }
            podSlots.append(slot);
        }
        const auto &pods = m_snapshot.pods;
        std::sort(podSlots.begin(), podSlots.end(), [&pods](const PodSlot &a, const PodSlot &b) {
            const Pod &pa = pods[a.pod], &pb = pods[b.pod];
            if (pa.namespaceName != pb.namespaceName)
                return naturalLess(pa.namespaceName, pb.namespaceName);
            if (pa.hostNetwork != pb.hostNetwork)
                return !pa.hostNetwork;
            return naturalLess(pa.name, pb.name);
        });
        for (const PodSlot &slot : std::as_const(podSlots)) {
            const QString &ns = pods[slot.pod].namespaceName;
            if (plan.groups.isEmpty() || plan.groups.last().namespaceName != ns)
                plan.groups.append(PodGroup{ns, {}});
            plan.groups.last().pods.append(slot);
        }

        // Interfaces: one tunnel in the header corner, the rest along the bottom.
        if (plan.network) {
            const auto &ifaces = plan.network->interfaces;
            const IpAddress internalIp = nodes[nodeIndex].internalIp();
            for (qsizetype i = 0; i < ifaces.size() && plan.primaryInterface < 0; ++i) {
                if (hasAddress(ifaces[i], internalIp))
                    plan.primaryInterface = i;
            }
            for (qsizetype i = 0; i < ifaces.size() && plan.primaryInterface < 0; ++i) {
                if (ifaces[i].kind == InterfaceKind::Ethernet)
                    plan.primaryInterface = i;
            }
            // The tunnel that matches the detected overlay, else the first one.
            for (qsizetype i = 0; i < ifaces.size(); ++i) {
                if (!isTunnel(ifaces[i].kind))
                    continue;
                const bool matches =
                    (m_cni.overlay == OverlayMode::Vxlan &&
                     ifaces[i].kind == InterfaceKind::Vxlan) ||
                    (m_cni.overlay == OverlayMode::IpIp && ifaces[i].kind == InterfaceKind::IpIp) ||
                    (m_cni.overlay == OverlayMode::Geneve &&
                     ifaces[i].kind == InterfaceKind::Geneve) ||
                    (m_cni.overlay == OverlayMode::WireGuard &&
                     ifaces[i].kind == InterfaceKind::WireGuard);
                if (plan.tunnelInterface < 0 || matches) {
                    const bool replace =
                        plan.tunnelInterface < 0 ||
                        (matches && ifaces[plan.tunnelInterface].kind != ifaces[i].kind);
                    if (replace)
                        plan.tunnelInterface = i;
                }
            }
            QList<qsizetype> bridges, others, ethernets;
            for (qsizetype i = 0; i < ifaces.size(); ++i) {
                const auto kind = ifaces[i].kind;
                if (kind == InterfaceKind::Loopback || i == plan.tunnelInterface ||
                    plan.vethsWithPod.contains(i))
                    continue;
                if (kind == InterfaceKind::Bridge)
                    bridges.append(i);
                else if (kind == InterfaceKind::Ethernet && i != plan.primaryInterface)
                    ethernets.append(i);
                else if (i != plan.primaryInterface)
                    others.append(i);
            }
            if (plan.primaryInterface >= 0)
                ethernets.append(plan.primaryInterface);
            plan.rowInterfaces = bridges + others + ethernets;
            plan.interfaceRows =
                int((plan.rowInterfaces.size() + interfacesPerRow - 1) / interfacesPerRow);
        }

        // Next-fit shelf packing keeps the namespaces in alphabetical reading order.
        int used = m_podsPerRow;
        for (PodGroup &group : plan.groups) {
            group.columns = int(std::min<qsizetype>(group.pods.size(), m_podsPerRow));
            if (used + group.columns > m_podsPerRow) {
                plan.shelfHeights.append(0);
                used = 0;
            }
            group.shelf = int(plan.shelfHeights.size() - 1);
            group.column = used;
            used += group.columns;
            const qsizetype rows = (group.pods.size() + group.columns - 1) / group.columns;
            plan.shelfHeights.last() =
                std::max(plan.shelfHeights.last(), kGroupHeader + rows * kRowPitch);
        }
        qreal height = kNodePad + kHeaderHeight;
        for (qreal shelf : std::as_const(plan.shelfHeights))
            height += shelf + kGroupGap;
        plan.contentHeight = height;
        m_plans.append(std::move(plan));
    }
}

QRectF LayoutBuilder::interfaceRowRect(const NodePlan &plan) const
{
    const qreal rowsHeight =
        plan.interfaceRows * kInterfaceHeight + std::max(0, plan.interfaceRows - 1) * kInterfaceGap;
    return QRectF(plan.rect.left() + kNodePad, plan.rect.bottom() - kNodePad - rowsHeight,
                  plan.rect.width() - 2 * kNodePad, rowsHeight);
}

void LayoutBuilder::placeNodes()
{
    const qsizetype cells = m_plans.size();
    if (cells == 0) {
        m_grid = QRectF(kMargin, kMargin + kTitleHeight, 0, 0);
        return;
    }
    m_columns = cells <= 4 ? int(cells) : int(std::ceil(std::sqrt(qreal(cells))));
    m_gridRows = int((cells + m_columns - 1) / m_columns);

    // Which tunnels connect, so each row knows how many overlay lanes it needs above it.
    const OverlayMode mode = m_cni.overlay;
    bool anyTunnel = false;
    for (const auto &plan : std::as_const(m_plans))
        anyTunnel = anyTunnel || plan.tunnelInterface >= 0;
    QList<int> participants;
    if (anyTunnel || isTunnelMode(mode)) {
        for (int i = 0; i < m_plans.size(); ++i) {
            if (m_plans[i].node >= 0)
                participants.append(i);
        }
    }
    m_overlayLanes.fill(0, m_gridRows);
    if (participants.size() >= 2 && m_gridRows == 1 && participants.size() <= kMeshLimit) {
        // Full mesh in one row: shortest spans on the lowest lanes, greedy interval colouring.
        QList<std::pair<int, int>> pairs;
        for (int i = 0; i < participants.size(); ++i) {
            for (int j = i + 1; j < participants.size(); ++j)
                pairs.append({participants[i], participants[j]});
        }
        std::stable_sort(pairs.begin(), pairs.end(), [](const auto &x, const auto &y) {
            return (x.second - x.first) < (y.second - y.first);
        });
        QList<QList<std::pair<int, int>>> lanes;
        for (const auto &pair : std::as_const(pairs)) {
            int lane = 0;
            for (; lane < lanes.size(); ++lane) {
                bool free = true;
                for (const auto &used : std::as_const(lanes[lane])) {
                    if (pair.first < used.second && used.first < pair.second) {
                        free = false;
                        break;
                    }
                }
                if (free)
                    break;
            }
            if (lane == lanes.size())
                lanes.append(QList<std::pair<int, int>>());
            lanes[lane].append(pair);
            m_overlayLinks.append({pair.first, pair.second, lane});
        }
        m_overlayLanes[0] = int(lanes.size());
    } else if (participants.size() >= 2) {
        // A chain through the grid in snake order: neighbours only, so it stays linear.
        QList<int> snake;
        for (int row = 0; row < m_gridRows; ++row) {
            QList<int> inRow;
            for (int column = 0; column < m_columns; ++column) {
                const int i = row * m_columns + column;
                if (i < m_plans.size() && m_plans[i].node >= 0)
                    inRow.append(i);
            }
            if (row % 2 == 1)
                std::reverse(inRow.begin(), inRow.end());
            snake += inRow;
        }
        for (int k = 1; k < snake.size(); ++k) {
            const int a = snake[k - 1], b = snake[k];
            const bool sameRow = a / m_columns == b / m_columns;
            m_overlayLinks.append({a, b, sameRow ? 0 : 1});
            m_overlayLanes[a / m_columns] =
                std::max(m_overlayLanes[a / m_columns], sameRow ? 1 : 2);
            m_overlayLanes[b / m_columns] =
                std::max(m_overlayLanes[b / m_columns], sameRow ? 1 : 2);
        }
    }

    qreal y = kMargin + kTitleHeight;
    // Several rows: room on the left for the underlay trunk joining their bars.
    const qreal left = m_gridRows > 1 ? kMargin + kUnderlayTrunkWidth + 30 : kMargin;
    for (int row = 0; row < m_gridRows; ++row) {
        if (m_overlayLanes[row] > 0)
            y += kOverlayBase + m_overlayLanes[row] * kOverlayLaneSpacing;
        qreal rowHeight = 0;
        for (int column = 0; column < m_columns; ++column) {
            const int i = row * m_columns + column;
            if (i >= m_plans.size())
                break;
            const NodePlan &plan = m_plans[i];
            const qreal rows = plan.interfaceRows * kInterfaceHeight +
                               std::max(0, plan.interfaceRows - 1) * kInterfaceGap;
            const qreal bottom = plan.interfaceRows > 0 ? kInterfaceRowTopGap + rows : 0;
            rowHeight = std::max(rowHeight, plan.contentHeight + bottom + kNodePad);
        }
        m_rowTops.append(y);
        for (int column = 0; column < m_columns; ++column) {
            const int i = row * m_columns + column;
            if (i >= m_plans.size())
                break;
            placeNode(m_plans[i],
                      QRectF(left + column * (m_nodeWidth + kNodeGapX), y, m_nodeWidth, rowHeight));
        }
        m_rowBottoms.append(y + rowHeight);
        y += rowHeight + kUnderlayGap + kUnderlayHeight + kRowGapBelow;
    }
    m_grid = QRectF();
    for (const auto &plan : std::as_const(m_plans))
        m_grid |= plan.rect;
}

Shape LayoutBuilder::interfaceShape(const NodePlan &plan, qsizetype ifIndex,
                                    const QRectF &rect) const
{
    const NetworkInterface &iface = plan.network->interfaces[ifIndex];
    const Node &node = m_snapshot.nodes[plan.node];
    Shape shape;
    shape.kind = shapeKindFor(iface.kind);
    shape.rect = rect;
    shape.label = iface.name;
    shape.modelKind = ModelKind::Interface;
    shape.modelIndex = ifIndex;
    shape.nodeIndex = plan.node;
    shape.parent = plan.shape;
    if (ifIndex == plan.primaryInterface)
        shape.flags |= PrimaryInterface;

    QStringList lines;
    const QString addresses = addressList(iface);
    switch (shape.kind) {
    case ShapeKind::Tunnel:
        lines.append(tunnelDescription(iface));
        if (!addresses.isEmpty())
            lines.append(addresses);
        else if (iface.mtu > 0)
            lines.append(Diagram::tr("MTU %1").arg(iface.mtu));
        break;
    case ShapeKind::Bridge: {
        qsizetype ports = 0;
        for (const auto &other : plan.network->interfaces)
            ports += other.master == iface.name ? 1 : 0;
        if (!addresses.isEmpty())
            lines.append(addresses);
        lines.append(Diagram::tr("bridge · %n port(s)", nullptr, int(ports)));
        break;
    }
    case ShapeKind::Veth:
        lines.append(iface.peerIfName);
        break;
    default: {
        if (!addresses.isEmpty())
            lines.append(addresses);
        QStringList facts{interfaceKindName(iface.kind)};
        if (iface.mtu > 0)
            facts.append(Diagram::tr("MTU %1").arg(iface.mtu));
        if (iface.state == u"DOWN")
            facts.append(Diagram::tr("down"));
        lines.append(joinDot(facts));
        break;
    }
    }
    shape.detail = lines.join(u'\n');
    QStringList search{iface.name, node.name, addresses, iface.peerPod};
    shape.searchText = search.join(u' ').toLower();
    return shape;
}

void LayoutBuilder::placeNode(NodePlan &plan, const QRectF &rect)
{
    plan.rect = rect;
    Shape box;
    box.kind = ShapeKind::Node;
    box.rect = rect;
    if (plan.node >= 0) {
        const Node &node = m_snapshot.nodes[plan.node];
        box.label = node.name;
        box.modelKind = ModelKind::Node;
        box.modelIndex = plan.node;
        box.nodeIndex = plan.node;
        QString role = node.roles.isEmpty() ? Diagram::tr("worker") : node.roles.join(u", ");
        QString ready;
        switch (node.ready) {
        case ConditionStatus::True:
            ready = Diagram::tr("Ready");
            break;
        case ConditionStatus::False:
            ready = node.readyReason.isEmpty() ? Diagram::tr("NotReady")
                                               : Diagram::tr("NotReady (%1)").arg(node.readyReason);
            box.flags |= NodeNotReady;
            break;
        case ConditionStatus::Unknown:
            ready = node.readyReason.isEmpty()
                        ? Diagram::tr("Ready: Unknown")
                        : Diagram::tr("Ready: Unknown (%1)").arg(node.readyReason);
            box.flags |= NodeNotReady;
            break;
        }
        if (isControlPlane(node))
            box.flags |= ControlPlane;
        QStringList roleLine{role, ready};
        if (node.unschedulable)
            roleLine.append(Diagram::tr("cordoned"));
        QStringList cidrs;
        for (const auto &cidr : node.podCidrs)
            cidrs.append(cidr.toString());
        QStringList addressLine;
        const IpAddress internalIp = node.internalIp();
        if (!internalIp.isNull())
            addressLine.append(Diagram::tr("InternalIP %1").arg(internalIp.toString()));
        if (!cidrs.isEmpty())
            addressLine.append(Diagram::tr("pod CIDR %1").arg(cidrs.join(QStringLiteral(", "))));
        QStringList versionLine;
        if (!node.kubeletVersion.isEmpty())
            versionLine.append(Diagram::tr("kubelet %1").arg(node.kubeletVersion));
        if (!node.containerRuntime.isEmpty())
            versionLine.append(node.containerRuntime);
        box.detail =
            QStringList{joinDot(roleLine), joinDot(addressLine), joinDot(versionLine)}.join(u'\n');
        QStringList search{node.name, role, cidrs.join(u' ')};
        for (const auto &address : node.addresses)
            search.append(address.address);
        box.searchText = search.join(u' ').toLower();
    } else {
        box.label = Diagram::tr("Pods without a node");
        box.detail = Diagram::tr("pending, or on a node missing from the snapshot");
        box.flags |= UnscheduledBox;
    }
    plan.shape = m_scene.addShape(std::move(box));

    const qreal interfaceTop = interfaceRowRect(plan).top();
    if (plan.network && plan.tunnelInterface >= 0) {
        const QRectF tunnelRect(rect.right() - kNodePad - kTunnelWidth, rect.top() + kNodePad,
                                kTunnelWidth, kTunnelHeight);
        plan.interfaceShapes.insert(
            plan.tunnelInterface,
            m_scene.addShape(interfaceShape(plan, plan.tunnelInterface, tunnelRect)));
    }
    placeInterfaces(plan, interfaceTop);
    placePods(plan, rect.top() + kNodePad + kHeaderHeight, interfaceTop);
}

void LayoutBuilder::placeInterfaces(NodePlan &plan, qreal interfaceRowTop)
{
    if (!plan.network || plan.rowInterfaces.isEmpty())
        return;
    const QRectF row = interfaceRowRect(plan);
    const int perRow =
        std::max(1, int((row.width() + kInterfaceGap) / (kInterfaceWidth + kInterfaceGap)));
    const auto &ifaces = plan.network->interfaces;
    if (plan.interfaceRows == 1) {
        // One row: bridges and the rest from the left, physical interfaces from the right, so
        // the pod bus (left) and the host bus (right) land straight on their targets.
        qsizetype firstEthernet = plan.rowInterfaces.size();
        for (qsizetype k = plan.rowInterfaces.size() - 1; k >= 0; --k) {
            if (ifaces[plan.rowInterfaces[k]].kind != InterfaceKind::Ethernet &&
                plan.rowInterfaces[k] != plan.primaryInterface)
                break;
            firstEthernet = k;
        }
        // Without a bridge the left bus needs something under it too: then the leftmost item
        // stays left (the primary interface when it is alone).
        bool anyBridge = false;
        for (qsizetype k = 0; k < firstEthernet; ++k)
            anyBridge = anyBridge || ifaces[plan.rowInterfaces[k]].kind == InterfaceKind::Bridge;
        if (!anyBridge && firstEthernet == 0 && plan.rowInterfaces.size() == 1)
            firstEthernet = 1;
        for (qsizetype k = 0; k < plan.rowInterfaces.size(); ++k) {
            qreal x;
            if (k < firstEthernet)
                x = row.left() + k * (kInterfaceWidth + kInterfaceGap);
            else
                x = row.right() -
                    (plan.rowInterfaces.size() - k) * (kInterfaceWidth + kInterfaceGap) +
                    kInterfaceGap;
            const qsizetype ifIndex = plan.rowInterfaces[k];
            plan.interfaceShapes.insert(
                ifIndex,
                m_scene.addShape(interfaceShape(
                    plan, ifIndex, QRectF(x, interfaceRowTop, kInterfaceWidth, kInterfaceHeight))));
        }
        return;
    }
    for (qsizetype k = 0; k < plan.rowInterfaces.size(); ++k) {
        const qreal x = row.left() + (k % perRow) * (kInterfaceWidth + kInterfaceGap);
        const qreal y = interfaceRowTop + (k / perRow) * (kInterfaceHeight + kInterfaceGap);
        const qsizetype ifIndex = plan.rowInterfaces[k];
        plan.interfaceShapes.insert(
            ifIndex, m_scene.addShape(interfaceShape(
                         plan, ifIndex, QRectF(x, y, kInterfaceWidth, kInterfaceHeight))));
    }
}

void LayoutBuilder::placePods(NodePlan &plan, qreal top, qreal interfaceRowTop)
{
    const QRectF &box = plan.rect;
    const qreal podBusX = box.left() + kNodePad + kBusWidth / 2;
    const qreal hostBusX = box.right() - kNodePad - kBusWidth / 2;
    const qreal groupLeft = box.left() + kNodePad + kBusWidth;
    const auto &ifaces = plan.network ? plan.network->interfaces : QList<NetworkInterface>();

    // Where the pod bus goes when a veth has no bridge: the interface the host routes
    // through. Where host-network pods go: the interface holding their address.
    const qsizetype routeShape =
        plan.primaryInterface >= 0 ? plan.interfaceShapes.value(plan.primaryInterface, -1) : -1;
    // Only the bottom row and the tunnel are placed yet: these are the targets.
    QHash<QString, qsizetype> shapeByIfName;
    QHash<IpAddress, qsizetype> shapeByAddress;
    QList<qsizetype> placed = plan.interfaceShapes.keys();
    std::sort(placed.begin(), placed.end());
    for (qsizetype ifIndex : std::as_const(placed)) {
        const qsizetype shape = plan.interfaceShapes.value(ifIndex);
        shapeByIfName.insert(ifaces[ifIndex].name, shape);
        for (const auto &a : ifaces[ifIndex].addresses) {
            if (!shapeByAddress.contains(a.address))
                shapeByAddress.insert(a.address, shape);
        }
    }

    auto landing = [this](qsizetype target, qreal busX) {
        const QRectF &r = m_scene.shapes()[target].rect;
        return std::clamp(busX, r.left() + 14, r.right() - 14);
    };
    const qreal busRunY = interfaceRowTop - kInterfaceRowTopGap / 2;

    QList<qreal> shelfTops;
    for (qreal y = top; qreal height : std::as_const(plan.shelfHeights)) {
        shelfTops.append(y);
        y += height + kGroupGap;
    }
    for (const PodGroup &group : std::as_const(plan.groups)) {
        const qsizetype rows = (group.pods.size() + group.columns - 1) / group.columns;
        const qreal y = shelfTops[group.shelf];
        const qreal left = groupLeft + group.column * kColumnPitch;
        Shape groupShape;
        groupShape.kind = ShapeKind::Namespace;
        groupShape.rect = QRectF(left, y, group.columns * kColumnPitch - kGroupGapX,
                                 kGroupHeader + rows * kRowPitch);
        groupShape.label = group.namespaceName;
        groupShape.detail = Diagram::tr("%n pod(s)", nullptr, int(group.pods.size()));
        groupShape.modelKind = ModelKind::Namespace;
        groupShape.modelIndex = namespaceIndex(group.namespaceName);
        groupShape.nodeIndex = plan.node;
        groupShape.parent = plan.shape;
        groupShape.group = group.namespaceName;
        m_scene.addShape(std::move(groupShape));

        for (qsizetype k = 0; k < group.pods.size(); ++k) {
            const PodSlot &slot = group.pods[k];
            const Pod &pod = m_snapshot.pods[slot.pod];
            const qreal x = left + kGroupPad + (k % group.columns) * kColumnPitch;
            const qreal rowTop = y + kGroupHeader + (k / group.columns) * kRowPitch;
            const QRectF podRect(x, rowTop, kPodWidth, kPodHeight);
            const qreal vethTop = rowTop + kPodHeight + kVethGap;
            const qreal vethBottom = vethTop + kVethHeight;
            const qreal cx = podRect.center().x();

            Shape shape;
            shape.kind = pod.hostNetwork ? ShapeKind::HostNetworkPod : ShapeKind::Pod;
            shape.rect = podRect;
            shape.label = pod.name;
            shape.modelKind = ModelKind::Pod;
            shape.modelIndex = slot.pod;
            shape.nodeIndex = plan.node;
            shape.parent = plan.shape;
            shape.group = pod.namespaceName;
            QStringList ips;
            for (const auto &ip : pod.podIps)
                ips.append(ip.toString());
            QStringList detail;
            if (pod.hostNetwork) {
                const QString address = !pod.hostIp.isNull() ? pod.hostIp.toString() : ips.value(0);
                detail.append(address.isEmpty() ? Diagram::tr("hostNetwork")
                                                : Diagram::tr("hostNetwork · %1").arg(address));
            } else {
                detail.append(ips.isEmpty() ? Diagram::tr("no IP") : joinDot(ips));
            }
            if (pod.phase != u"Running" && pod.phase != u"Succeeded") {
                shape.flags |= PodNotRunning;
                detail.append(pod.phase.isEmpty() ? Diagram::tr("Unknown") : pod.phase);
            }
            shape.detail = joinDot(detail);
            QStringList search{pod.name, pod.namespaceName, pod.qualifiedName(), ips.join(u' ')};
            if (pod.hostNetwork && !pod.hostIp.isNull())
                search.append(pod.hostIp.toString());
            shape.searchText = search.join(u' ').toLower();
            const qsizetype podShape = m_scene.addShape(std::move(shape));
            m_podShapes[slot.pod] = podShape;

            if (slot.vethInterface >= 0) {
                const QRectF vethRect(x + kVethInset, vethTop, kPodWidth - 2 * kVethInset,
                                      kVethHeight);
                const qsizetype veth =
                    m_scene.addShape(interfaceShape(plan, slot.vethInterface, vethRect));
                plan.interfaceShapes.insert(slot.vethInterface, veth);
                m_scene.addEdge(Edge{EdgeKind::PodToVeth,
                                     podShape,
                                     veth,
                                     cleanPath({{cx, podRect.bottom()}, {cx, vethTop}}),
                                     {}});
                const NetworkInterface &iface = ifaces[slot.vethInterface];
                qsizetype target = -1;
                if (!iface.master.isEmpty())
                    target = shapeByIfName.value(iface.master, -1);
                if (target < 0)
                    target = routeShape;
                if (target >= 0) {
                    const QRectF &t = m_scene.shapes()[target].rect;
                    const qreal laneY = vethBottom + kVethLaneOffset;
                    const qreal landX = landing(target, podBusX);
                    m_scene.addEdge(Edge{EdgeKind::VethToBridge,
                                         veth,
                                         target,
                                         cleanPath({{cx, vethBottom},
                                                    {cx, laneY},
                                                    {podBusX, laneY},
                                                    {podBusX, busRunY},
                                                    {landX, busRunY},
                                                    {landX, t.top()}}),
                                         {}});
                }
            }
            if (pod.hostNetwork && plan.network) {
                const IpAddress address =
                    !pod.hostIp.isNull() ? pod.hostIp : m_snapshot.nodes[plan.node].internalIp();
                qsizetype target = shapeByAddress.value(address, -1);
                if (target < 0)
                    target = routeShape;
                if (target >= 0) {
                    const QRectF &t = m_scene.shapes()[target].rect;
                    const qreal laneY = vethBottom + kHostLaneOffset;
                    const qreal landX = landing(target, hostBusX);
                    const QPolygonF path =
                        t.top() > podRect.bottom()
                            ? cleanPath({{cx, podRect.bottom()},
                                         {cx, laneY},
                                         {hostBusX, laneY},
                                         {hostBusX, busRunY + 4},
                                         {landX, busRunY + 4},
                                         {landX, t.top()}})
                            // A tunnel in the header corner holds the address: go up instead.
                            : cleanPath({{cx, podRect.bottom()},
                                         {cx, laneY},
                                         {hostBusX, laneY},
                                         {hostBusX, t.bottom() + 6},
                                         {landX, t.bottom() + 6},
                                         {landX, t.bottom()}});
                    m_scene.addEdge(Edge{EdgeKind::HostNetwork, podShape, target, path, {}});
                }
            }
        }
    }
}

void LayoutBuilder::placeOverlay()
{
    auto anchorOf = [this](const NodePlan &plan) -> std::pair<qsizetype, QPointF> {
        if (plan.tunnelInterface >= 0) {
            const qsizetype shape = plan.interfaceShapes.value(plan.tunnelInterface, -1);
            if (shape >= 0) {
                const QRectF &r = m_scene.shapes()[shape].rect;
                return {shape, QPointF(r.center().x(), r.top())};
            }
        }
        // No tunnel device known: the node box, where the tunnel would be.
        return {plan.shape,
                QPointF(plan.rect.right() - kNodePad - kTunnelWidth / 2, plan.rect.top())};
    };
    auto labelFor = [this](const NodePlan &plan) {
        if (plan.network && plan.tunnelInterface >= 0)
            return tunnelDescription(plan.network->interfaces[plan.tunnelInterface]);
        return overlayDescription(m_cni.overlay);
    };
    for (const OverlayLink &link : std::as_const(m_overlayLinks)) {
        const NodePlan &a = m_plans[link.a];
        const NodePlan &b = m_plans[link.b];
        const auto [fromShape, from] = anchorOf(a);
        const auto [toShape, to] = anchorOf(b);
        const int rowA = link.a / m_columns, rowB = link.b / m_columns;
        const qreal laneA = m_rowTops[rowA] - kOverlayBase - link.lane * kOverlayLaneSpacing;
        QString label = labelFor(a);
        if (label.isEmpty())
            label = labelFor(b);
        QPolygonF path;
        if (rowA == rowB) {
            path = cleanPath({from, {from.x(), laneA}, {to.x(), laneA}, to});
        } else {
            // Down the gutter right of the rightmost of the two boxes.
            const qreal gutterX = std::max(a.rect.right(), b.rect.right()) + kNodeGapX / 2;
            const qreal laneB = m_rowTops[rowB] - kOverlayBase - link.lane * kOverlayLaneSpacing;
            path = cleanPath(
                {from, {from.x(), laneA}, {gutterX, laneA}, {gutterX, laneB}, {to.x(), laneB}, to});
        }
        m_scene.addEdge(Edge{EdgeKind::Overlay, fromShape, toShape, path, label});
    }
}

void LayoutBuilder::placeUnderlay()
{
    if (m_plans.isEmpty() || m_rowTops.isEmpty())
        return;
    // The subnets the nodes' primary interfaces sit in, for the bar's caption.
    QList<Cidr> subnets;
    for (const auto &plan : std::as_const(m_plans)) {
        if (!plan.network || plan.primaryInterface < 0)
            continue;
        for (const auto &a : plan.network->interfaces[plan.primaryInterface].addresses) {
            if (a.scope == u"link" || a.scope == u"host")
                continue;
            if (a.prefixLength <= 0 || a.address.isNull())
                continue;
            const Cidr subnet(a.address.masked(a.prefixLength), a.prefixLength);
            if (!subnets.contains(subnet))
                subnets.append(subnet);
            if (subnets.size() > 3)
                break;
        }
        if (subnets.size() > 3)
            break;
    }
    std::sort(subnets.begin(), subnets.end());
    QStringList subnetText;
    for (qsizetype i = 0; i < std::min<qsizetype>(subnets.size(), 3); ++i)
        subnetText.append(subnets[i].toString());
    if (subnets.size() > 3)
        subnetText.append(QStringLiteral("…"));

    const qreal trunkX = m_grid.left() - 30 - kUnderlayTrunkWidth;
    // The bar spans the nodes (not the box of pods without a node).
    qreal right = m_grid.left() + m_nodeWidth;
    for (const auto &plan : std::as_const(m_plans)) {
        if (plan.node >= 0)
            right = std::max(right, plan.rect.right());
    }
    QList<qsizetype> bars;
    for (int row = 0; row < m_gridRows; ++row) {
        Shape bar;
        bar.kind = ShapeKind::Underlay;
        const qreal barLeft = m_gridRows > 1 ? trunkX : m_grid.left();
        bar.rect =
            QRectF(barLeft, m_rowBottoms[row] + kUnderlayGap, right - barLeft, kUnderlayHeight);
        bar.label = Diagram::tr("Underlay network");
        bar.detail =
            subnetText.isEmpty()
                ? Diagram::tr("node to node")
                : Diagram::tr("node to node · %1").arg(subnetText.join(QStringLiteral(", ")));
        bar.searchText = (QStringLiteral("underlay ") + subnetText.join(u' ')).toLower();
        bars.append(m_scene.addShape(std::move(bar)));
    }
    if (m_gridRows > 1) {
        Shape trunk;
        trunk.kind = ShapeKind::Underlay;
        const QRectF first = m_scene.shapes()[bars.first()].rect;
        const QRectF last = m_scene.shapes()[bars.last()].rect;
        trunk.rect = QRectF(trunkX, first.top(), kUnderlayTrunkWidth, last.bottom() - first.top());
        m_scene.addShape(std::move(trunk));
    }
    for (int i = 0; i < m_plans.size(); ++i) {
        const NodePlan &plan = m_plans[i];
        if (plan.node < 0)
            continue;
        const qsizetype bar = bars[i / m_columns];
        const QRectF barRect = m_scene.shapes()[bar].rect;
        const qsizetype primary =
            plan.primaryInterface >= 0 ? plan.interfaceShapes.value(plan.primaryInterface, -1) : -1;
        if (primary >= 0) {
            const QRectF &r = m_scene.shapes()[primary].rect;
            // Right of centre, clear of the host bus landing on the interface's top.
            const QPointF start(r.center().x(), r.bottom());
            m_scene.addEdge(Edge{EdgeKind::Underlay,
                                 primary,
                                 bar,
                                 cleanPath({start, {start.x(), barRect.top()}}),
                                 {}});
        } else {
            const QPointF start(plan.rect.center().x(), plan.rect.bottom());
            m_scene.addEdge(Edge{EdgeKind::Underlay,
                                 plan.shape,
                                 bar,
                                 cleanPath({start, {start.x(), barRect.top()}}),
                                 {}});
        }
    }
}

void LayoutBuilder::placeServices()
{
    const auto &services = m_snapshot.services;
    if (services.isEmpty())
        return;
    const auto &pods = m_snapshot.pods;

    // Label index over only the keys some selector uses: (namespace, key=value) → pods.
    QSet<QString> selectorKeys;
    for (const auto &service : services) {
        if (service.selector) {
            for (const auto &[key, value] : *service.selector)
                selectorKeys.insert(key);
        }
    }
    auto indexKey = [](const QString &ns, const QString &key, const QString &value) -> QString {
        return ns + QChar(0x1f) + key + QChar(0x1f) + value;
    };
    QHash<QString, QList<qint32>> podsByLabel;
    if (!selectorKeys.isEmpty()) {
        for (qsizetype i = 0; i < pods.size(); ++i) {
            for (const auto &[key, value] : pods[i].labels) {
                if (selectorKeys.contains(key))
                    podsByLabel[indexKey(pods[i].namespaceName, key, value)].append(qint32(i));
            }
        }
    }

    // Namespaces and their services, by name.
    QList<qsizetype> order(services.size());
    for (qsizetype i = 0; i < services.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&services](qsizetype a, qsizetype b) {
        if (services[a].namespaceName != services[b].namespaceName)
            return naturalLess(services[a].namespaceName, services[b].namespaceName);
        return naturalLess(services[a].name, services[b].name);
    });
    QList<ServiceBand> bands;
    for (qsizetype index : std::as_const(order)) {
        if (bands.isEmpty() || bands.last().namespaceName != services[index].namespaceName)
            bands.append(ServiceBand{services[index].namespaceName, {}});
        bands.last().services.append(index);
    }

    // Where the bands go: in columns right of the node grid (a tall grid of many nodes), or in
    // a block under the node rows (a row of few nodes, which one column of services would
    // dwarf). Of both, for a range of column heights, the arrangement whose whole scene opens
    // largest in the reference view wins; among near-equals, the most compact one.
    QRectF placed(kMargin, kMargin, kMinimumTitleWidth, kTitleHeight - 24);
    for (const auto &shape : m_scene.shapes())
        placed |= shape.rect;
    const QPointF rightOrigin = m_grid.isNull()
                                    ? QPointF(kMargin, kMargin + kTitleHeight)
                                    : QPointF(m_grid.right() + kServicesGapX, m_grid.top());
    const QPointF belowOrigin =
        m_grid.isNull() ? rightOrigin : QPointF(m_grid.left(), placed.bottom() + kServicesGapY);
    struct Candidate
    {
        bool below;
        qreal columnHeight;
        qreal fit;
        qreal area;
    };
    QList<Candidate> candidates;
    qreal bestFit = 0;
    const qsizetype total = services.size();
    for (qsizetype rows = 1;; rows += std::max<qsizetype>(1, rows / 8)) {
        rows = std::min(rows, total);
        const qreal columnHeight = kBandChrome + rows * kServicePitch;
        const QSizeF size = packBands(bands, columnHeight, nullptr);
        for (const bool below : {false, true}) {
            if (below && m_grid.isNull())
                continue;
            const QRectF content = placed | QRectF(below ? belowOrigin : rightOrigin, size);
            const QSizeF boundsSize = content.size() + QSizeF(2 * kBoundsPad, 2 * kBoundsPad);
            const qreal fit = referenceFitZoom(boundsSize);
            candidates.append({below, columnHeight, fit, boundsSize.width() * boundsSize.height()});
            bestFit = std::max(bestFit, fit);
        }
        if (rows >= total)
            break;
    }
    const Candidate *chosen = nullptr;
    for (const Candidate &candidate : std::as_const(candidates)) {
        if (candidate.fit >= bestFit * 0.995 && (!chosen || candidate.area < chosen->area))
            chosen = &candidate;
    }
    const bool below = chosen->below;
    const QPointF origin = below ? belowOrigin : rightOrigin;
    QList<BandSlot> placement;
    packBands(bands, chosen->columnHeight, &placement);
    // Below the nodes, endpoint curves rise through gutters: between the service columns of a
    // band, and right of each column of bands (clear of narrower bands stacked in it).
    QList<qreal> columnRight;
    for (const BandSlot &slot : std::as_const(placement)) {
        if (columnRight.size() <= slot.column)
            columnRight.resize(slot.column + 1, 0.0);
        columnRight[slot.column] =
            std::max(columnRight[slot.column], origin.x() + slot.rect.right());
    }

    for (qsizetype b = 0; b < bands.size(); ++b) {
        const ServiceBand &band = bands[b];
        const qsizetype count = band.services.size();
        const QRectF bandRect = placement[b].rect.translated(origin);
        const qsizetype perColumn = placement[b].perColumn;
        Shape bandShape;
        bandShape.kind = ShapeKind::Namespace;
        bandShape.rect = bandRect;
        bandShape.label = band.namespaceName;
        bandShape.detail = Diagram::tr("%n service(s)", nullptr, int(count));
        bandShape.modelKind = ModelKind::Namespace;
        bandShape.modelIndex = namespaceIndex(band.namespaceName);
        bandShape.group = band.namespaceName;
        bandShape.searchText = band.namespaceName.toLower();
        m_scene.addShape(std::move(bandShape));

        for (qsizetype k = 0; k < count; ++k) {
            const qsizetype index = band.services[k];
            const Service &service = services[index];
            const QRectF rect(
                bandRect.left() + kBandPad + (k / perColumn) * (kServiceWidth + kServiceColumnGap),
                bandRect.top() + kBandHeader + kBandPad + (k % perColumn) * kServicePitch,
                kServiceWidth, kServiceHeight);

            // Pods behind the service, through the label index.
            QList<qint32> selected;
            const bool hasSelector = service.selector && !service.selector->isEmpty();
            if (hasSelector) {
                const QList<qint32> *smallest = nullptr;
                for (const auto &[key, value] : *service.selector) {
                    const auto it =
                        podsByLabel.constFind(indexKey(service.namespaceName, key, value));
                    if (it == podsByLabel.cend()) {
                        smallest = nullptr;
                        break;
                    }
                    if (!smallest || it->size() < smallest->size())
                        smallest = &*it;
                }
                if (smallest) {
                    for (qint32 podIndex : *smallest) {
                        bool all = true;
                        for (const auto &[key, value] : *service.selector) {
                            if (pods[podIndex].labels.value(key) != value) {
                                all = false;
                                break;
                            }
                        }
                        if (all)
                            selected.append(podIndex);
                    }
                }
            }

            Shape shape;
            shape.kind = ShapeKind::Service;
            shape.rect = rect;
            shape.label = service.name;
            shape.modelKind = ModelKind::Service;
            shape.modelIndex = index;
            shape.group = service.namespaceName;
            QStringList ips;
            for (const auto &ip : service.clusterIps)
                ips.append(ip.toString());
            QString typeLine;
            switch (service.type) {
            case ServiceType::ExternalName:
                typeLine = Diagram::tr("ExternalName → %1").arg(service.externalName);
                break;
            default: {
                QStringList parts{serviceTypeName(service.type)};
                if (service.headless)
                    parts.append(Diagram::tr("None (headless)"));
                else if (!ips.isEmpty())
                    parts.append(ips.join(QStringLiteral(", ")));
                if (!service.loadBalancerIngress.isEmpty())
                    parts.append(Diagram::tr("ingress %1")
                                     .arg(service.loadBalancerIngress.join(QStringLiteral(", "))));
                typeLine = parts.join(u' ');
                break;
            }
            }
            QStringList ports;
            for (const auto &port : service.ports) {
                QString text =
                    QStringLiteral("%1/%2").arg(port.port).arg(protocolName(port.protocol));
                if (port.nodePort > 0)
                    text += u' ' + Diagram::tr("NodePort %1").arg(port.nodePort);
                ports.append(text);
            }
            QString endpointLine;
            if (service.type == ServiceType::ExternalName)
                endpointLine = Diagram::tr("resolved by DNS, no endpoints");
            else if (!hasSelector)
                endpointLine = Diagram::tr("no selector: endpoints managed by hand");
            else if (selected.isEmpty())
                endpointLine = Diagram::tr("selector matches no pod");
            else if (selected.size() > kEndpointCap)
                endpointLine =
                    Diagram::tr("%n pod(s), first %1 drawn", nullptr, int(selected.size()))
                        .arg(kEndpointCap);
            else
                endpointLine = Diagram::tr("→ %n pod(s)", nullptr, int(selected.size()));
            if (selected.size() > kEndpointCap)
                shape.flags |= EndpointsCapped;
            const QString dns = service.dnsName(m_snapshot.clusterDomain);
            shape.detail =
                QStringList{typeLine, ports.isEmpty() ? Diagram::tr("no ports") : joinDot(ports),
                            dns, endpointLine}
                    .join(u'\n');
            shape.searchText = QStringList{service.name,
                                           service.namespaceName,
                                           service.qualifiedName(),
                                           ips.join(u' '),
                                           dns,
                                           serviceTypeName(service.type)}
                                   .join(u' ')
                                   .toLower();
            const qsizetype serviceShape = m_scene.addShape(std::move(shape));

            const qsizetype drawn = std::min<qsizetype>(selected.size(), kEndpointCap);
            for (qsizetype e = 0; e < drawn; ++e) {
                const qsizetype podShape = m_podShapes.value(selected[e], -1);
                if (podShape < 0)
                    continue;
                const QRectF &p = m_scene.shapes()[podShape].rect;
                const QPointF to(p.right(), p.center().y());
                QPolygonF path;
                if (below) {
                    // Out of the right side into the gutter beside the service, up the gutter
                    // to the top of the services, then a curve up to the pod.
                    const QPointF exit(rect.right(), rect.center().y());
                    const bool lastColumn = (count - 1) / perColumn == k / perColumn;
                    const qreal gutterX =
                        lastColumn ? columnRight[placement[b].column] + kBandColumnGap / 2
                                   : rect.right() + kServiceColumnGap / 2;
                    path = cleanPath({exit, {gutterX, exit.y()}});
                    path += upwardCurve(QPointF(gutterX, origin.y()), to);
                } else {
                    path = curve(QPointF(rect.left(), rect.center().y()), to);
                }
                m_scene.addEdge(Edge{EdgeKind::ServiceEndpoint, serviceShape, podShape, path, {}});
            }
        }
    }
}

QString LayoutBuilder::titleText() const
{
    QStringList parts{Diagram::tr("%n node(s)", nullptr, int(m_snapshot.nodes.size())),
                      Diagram::tr("%n pod(s)", nullptr, int(m_snapshot.pods.size())),
                      Diagram::tr("%n service(s)", nullptr, int(m_snapshot.services.size()))};
    QString cni;
    if (m_cni.plugin == CniPlugin::Unknown) {
        cni = Diagram::tr("CNI not detected");
    } else {
        cni = cniPluginName(m_cni.plugin);
        if (m_cni.overlay != OverlayMode::Unknown)
            cni = Diagram::tr("%1 (%2)").arg(cni, overlayModeName(m_cni.overlay));
        if (m_cni.enforcementKnown)
            cni = Diagram::tr("%1, %2").arg(
                cni, m_cni.enforcesNetworkPolicy ? Diagram::tr("enforces NetworkPolicy")
                                                 : Diagram::tr("does not enforce NetworkPolicy"));
    }
    parts.append(cni);
    return Diagram::tr("Cluster — %1").arg(joinDot(parts));
}

QList<LegendEntry> LayoutBuilder::legendEntries() const
{
    return {
        {Diagram::tr("Node"), ShapeKind::Node, std::nullopt},
        {Diagram::tr("Pod (colour = namespace)"), ShapeKind::Pod, std::nullopt},
        {Diagram::tr("Host-network pod (node's IP)"), ShapeKind::HostNetworkPod, std::nullopt},
        {Diagram::tr("veth (host end)"), ShapeKind::Veth, std::nullopt},
        {Diagram::tr("Bridge"), ShapeKind::Bridge, std::nullopt},
        {Diagram::tr("Tunnel device"), ShapeKind::Tunnel, std::nullopt},
        {Diagram::tr("Interface"), ShapeKind::Interface, std::nullopt},
        {Diagram::tr("Service"), ShapeKind::Service, std::nullopt},
        {Diagram::tr("Pod → veth → bridge / host routing"), std::nullopt, EdgeKind::VethToBridge},
        {Diagram::tr("Host network"), std::nullopt, EdgeKind::HostNetwork},
        {Diagram::tr("Overlay tunnel"), std::nullopt, EdgeKind::Overlay},
        {Diagram::tr("Underlay"), std::nullopt, EdgeKind::Underlay},
        {Diagram::tr("Service → endpoint pod"), std::nullopt, EdgeKind::ServiceEndpoint},
    };
}

void LayoutBuilder::place()
{
    for (qsizetype i = 0; i < m_snapshot.namespaces.size(); ++i)
        m_namespaceIndex.insert(m_snapshot.namespaces[i].name, i);
    m_podShapes.fill(-1, m_snapshot.pods.size());
    planNodes();
    placeNodes();
    placeOverlay();
    placeUnderlay();
    placeServices();
}

QRectF LayoutBuilder::titleRect(const QRectF &content) const
{
    return QRectF(kMargin, kMargin, std::max<qreal>(content.right() - kMargin, kMinimumTitleWidth),
                  kTitleHeight - 24);
}

QRectF LayoutBuilder::bounds() const
{
    // As TopologyScene::finish() works it out.
    QRectF content;
    for (const auto &shape : m_scene.shapes())
        content |= shape.rect;
    QRectF result = titleRect(content) | content;
    for (const auto &edge : m_scene.edges()) {
        result |= edge.path.boundingRect();
        if (!edge.label.isEmpty())
            result |= edgeLabelRect(edge);
    }
    return result.adjusted(-kBoundsPad, -kBoundsPad, kBoundsPad, kBoundsPad);
}

TopologyScene LayoutBuilder::finish()
{
    QRectF content;
    for (const auto &shape : m_scene.shapes())
        content |= shape.rect;
    m_scene.finish(titleText(), legendEntries(), titleRect(content));
    return std::move(m_scene);
}

} // namespace

TopologyScene TopologyScene::layout(const ClusterSnapshot &snapshot)
{
    const CniDetection cni = detectCni(snapshot);
    auto best = std::make_unique<LayoutBuilder>(snapshot, cni);
    best->place();
    if (best->singleRow() && snapshot.pods.size() <= kTuningPodLimit) {
        // A few nodes side by side: the pod columns per box are free. Narrow tall boxes or wide
        // flat ones, whichever makes the whole picture open largest (and so readable) in the
        // reference view. A handful of layouts of a small cluster: cheap.
        const int automatic = best->podsPerRow();
        qreal bestFit = best->fitZoom();
        for (int columns = kMinPodsPerRow; columns <= kMaxPodsPerRow; ++columns) {
            if (columns == automatic)
                continue;
            auto candidate = std::make_unique<LayoutBuilder>(snapshot, cni, columns);
            candidate->place();
            const qreal fit = candidate->fitZoom();
            if (fit > bestFit * 1.005) {
                best = std::move(candidate);
                bestFit = fit;
            }
        }
    }
    return best->finish();
}

} // namespace cartograph::diagram
