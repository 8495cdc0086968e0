#pragma once

#include "ClusterSnapshot.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

namespace cartograph::diagram {

// What a shape stands for. One scene holds every shape as plain values (no QGraphicsItem per
// pod): painting walks only the shapes inside the exposed rectangle through a spatial grid,
// so tens of thousands of pods cost what is on screen, not what is in the cluster.
enum class ShapeKind
{
    Node,           // container box for one node (or the box of pods without a known node)
    Interface,      // eth0, ens3, docker0 … (plain host interface; lo is not drawn)
    Bridge,         // cni0, docker0, cbr0, weave
    Tunnel,         // flannel.1, tunl0, vxlan.calico, cilium_vxlan, geneve, wg0
    Veth,           // veth/cali* host end
    Pod,            // pod with its own IP
    HostNetworkPod, // pod sharing the node's address
    Service,        // service box (outside the nodes)
    Namespace,      // namespace group: of pods inside a node (parent = node), or of services
    Underlay,       // the underlay network bar that every node's primary interface joins
};

// Stable lower-case identifiers ("node", "host-network-pod", "veth-to-bridge"), not translated:
// for golden dumps, DOT/draw.io export and scripting.
QString shapeKindName(ShapeKind kind);

// Which snapshot list Shape::modelIndex points into.
// Interface: index into the NodeNetwork::interfaces of the node named by Shape::nodeIndex.
enum class ModelKind
{
    None,
    Node,
    Pod,
    Service,
    Namespace,
    Interface
};

enum ShapeFlag : quint32
{
    NodeNotReady = 0x1,      // Node: Ready condition False or Unknown
    ControlPlane = 0x2,      // Node: has the control-plane role
    UnscheduledBox = 0x4,    // Node-kind box holding pods without a known node
    PodNotRunning = 0x8,     // Pod: phase other than Running/Succeeded, or not ready
    EndpointsCapped = 0x10,  // Service: more backing pods than ServiceEndpoint edges drawn
    PrimaryInterface = 0x20, // Interface: the node's InternalIP interface (joins the underlay)
};

struct Shape
{
    ShapeKind kind = ShapeKind::Pod;
    QRectF rect;    // scene coordinates
    QString label;  // first line: name
    QString detail; // further lines ('\n' separated): IP / CIDR / DNS name
    ModelKind modelKind = ModelKind::None;
    qsizetype modelIndex = -1; // index in the snapshot list named by modelKind
    qsizetype nodeIndex = -1;  // interfaces and pods: index of their node in snapshot.nodes
    qsizetype parent = -1;     // shape index of the enclosing node box, -1 for top level
    QString searchText;        // lower-cased name, namespace, IPs, DNS name: what search matches
    QString group;             // namespace of pods, services and namespace groups (colour key)
    quint32 flags = 0;         // ShapeFlag bits
};

enum class EdgeKind
{
    VethToBridge,    // veth host end → bridge (or to the node's primary interface when the
                     // CNI routes through the host, Calico-style, with no bridge)
    PodToVeth,       // pod → its veth host end
    Overlay,         // tunnel device of one node → tunnel device of another node
    ServiceEndpoint, // service → a pod that backs it
    HostNetwork,     // host-network pod → the node interface whose address it shares
    Underlay,        // node's primary interface → the underlay network bar
};

QString edgeKindName(EdgeKind kind);

struct Edge
{
    EdgeKind kind = EdgeKind::ServiceEndpoint;
    qsizetype from = -1; // shape indices
    qsizetype to = -1;
    QPolygonF path; // scene coordinates, at least two points
    QString label;  // overlay: "VXLAN VNI 1 :8472", "IP-in-IP"
};

// Where an edge's label is drawn: the middle of its longest segment.
QPointF edgeLabelAnchor(const Edge &edge);
// The rectangle an edge label may cover (for hit tests and exposure).
QRectF edgeLabelRect(const Edge &edge);

// One legend line: its text and the kind of shape or edge it explains (for the swatch).
struct LegendEntry
{
    QString text;
    std::optional<ShapeKind> shape;
    std::optional<EdgeKind> edge;
};

class SpatialGrid;

// The laid-out topology of one snapshot. Immutable once built; safe to share across threads.
class TopologyScene
{
public:
    TopologyScene();
    ~TopologyScene();
    TopologyScene(TopologyScene &&) noexcept;
    TopologyScene &operator=(TopologyScene &&) noexcept;
    TopologyScene(const TopologyScene &) = delete;
    TopologyScene &operator=(const TopologyScene &) = delete;

    const QList<Shape> &shapes() const { return m_shapes; }
    const QList<Edge> &edges() const { return m_edges; }
    QRectF bounds() const { return m_bounds; }
    QString title() const { return m_title; }
    QStringList legend() const;
    const QList<LegendEntry> &legendEntries() const { return m_legend; }
    // The band at the top of bounds() where the title and legend are painted.
    QRectF titleRect() const { return m_titleRect; }

    // Shapes and edges whose bounding rectangle intersects rect, in painting order
    // (node boxes and namespace groups, then interfaces, pods, services; edges separately).
    QList<qsizetype> shapesIn(const QRectF &rect) const;
    QList<qsizetype> edgesIn(const QRectF &rect) const;
    // Topmost (most specific) shape under the point, -1 when none.
    qsizetype shapeAt(const QPointF &point) const;
    // Shapes whose searchText contains every whitespace-separated term (case-insensitive).
    QList<qsizetype> find(const QString &query) const;
    // Shape for a model object, -1 when it is not drawn. Namespace: its band of services.
    // Interface needs the node too: use interfaceShape().
    qsizetype shapeFor(ModelKind kind, qsizetype modelIndex) const;
    qsizetype interfaceShape(qsizetype nodeIndex, qsizetype interfaceIndex) const;
    qsizetype endpointEdgeCount() const { return m_endpointEdgeCount; }
    // Edges that start or end at the shape.
    QList<qsizetype> edgesOf(qsizetype shape) const;

    // Painting layer of a shape: shapes of a lower layer are painted first; edges are painted
    // between EdgeLayer - 1 and EdgeLayer.
    static int paintLayer(ShapeKind kind);
    static constexpr int EdgeLayer = 2;

    // Layout entry point: positions every node, interface, pod and service of the snapshot.
    // Linear in the size of the snapshot (hash lookups, no per-pair scans).
    static TopologyScene layout(const ClusterSnapshot &snapshot);

    // Used by the layout only.
    qsizetype addShape(Shape shape);
    qsizetype addEdge(Edge edge);
    void finish(const QString &title, const QList<LegendEntry> &legend, const QRectF &titleRect);

private:
    QList<Shape> m_shapes;
    QList<Edge> m_edges;
    QRectF m_bounds;
    QRectF m_titleRect;
    QString m_title;
    QList<LegendEntry> m_legend;
    std::unique_ptr<SpatialGrid> m_shapeGrid;
    std::unique_ptr<SpatialGrid> m_edgeGrid;
    // model index → shape index, per ModelKind; -1 when not drawn
    QList<qsizetype> m_nodeShapes;
    QList<qsizetype> m_podShapes;
    QList<qsizetype> m_serviceShapes;
    QList<qsizetype> m_namespaceShapes;
    QHash<QPair<qsizetype, qsizetype>, qsizetype> m_interfaceShapes;
    // edge adjacency, compressed: edges of shape s are m_adjacency[m_adjacencyStart[s] ..
    // m_adjacencyStart[s + 1])
    QList<qint32> m_adjacencyStart;
    QList<qint32> m_adjacency;
    qsizetype m_endpointEdgeCount = 0;
};

} // namespace cartograph::diagram
