#pragma once

#include "TopologyScene.h"

#include <QColor>
#include <QSet>
#include <QStringList>

class QPainter;

namespace cartograph::diagram {

class FlowOverlay;

// Colours and fonts of the diagram; one place so screen and exports look the same.
struct DiagramStyle
{
    QColor background{0xf6, 0xf7, 0xf9};
    bool darkMode = false;

    QColor text;
    QColor mutedText;
    QColor nodeFill;
    QColor nodeHeader;
    QColor nodeBorder;
    QColor controlPlaneHeader;
    QColor ready;
    QColor notReady;
    QColor hostPodFill;
    QColor hostPodBorder;
    QColor vethFill;
    QColor vethBorder;
    QColor bridgeFill;
    QColor bridgeBorder;
    QColor tunnelFill;
    QColor tunnelBorder;
    QColor interfaceFill;
    QColor interfaceBorder;
    QColor serviceFill;
    QColor serviceBorder;
    QColor underlay;
    QColor underlayText;
    QColor endpointEdge;
    QColor selection;
    QColor searchHit;
    QStringList fontFamilies;     // proportional text, first installed wins
    QStringList monoFontFamilies; // interface names, addresses
    // Above this many service → pod edges in a scene they are a haze across the whole
    // cluster: then only those of the selected shape are drawn.
    qsizetype endpointEdgeLimit = 4000;

    static DiagramStyle light();
    static DiagramStyle dark();

    // A namespace's accent colour: a stable hash of the name into a fixed palette, so the
    // same namespace has the same colour in every snapshot, on every machine.
    QColor namespaceAccent(const QString &namespaceName) const;
    QColor namespaceFill(const QString &namespaceName) const;
};

// What the viewer wants emphasised. Exports pass an empty one.
struct Highlight
{
    qsizetype selected = -1; // shape index
    QSet<qsizetype> matches; // search hits
};

// The zoom from which pods, interfaces and services show their names and addresses (below it
// they are plain boxes). The smallest of those texts is then still 5 px high on screen. The
// layout aims to open small clusters at least this large in a typical window.
inline constexpr qreal kMinimumTextZoom = 0.46;

// The most the painter draws outside a shape's rect or an edge's path, in scene units: the
// selection and search halo (strokes, rings and endpoint dots stay inside it). Far zoomed out,
// where hairlines are held at about one device pixel, it is that pixel instead. A view that
// repaints part of a scene grows the part by this (and by its own anti-aliasing margin).
inline constexpr qreal PaintOverhang = 6.0;

// Paints a scene into any QPainter: the screen widget, QSvgGenerator, QPdfWriter, QImage.
// Fills `exposed` with the background first. Only shapes and edges intersecting `exposed`
// (scene coordinates) are visited. The painter's transform maps scene to device; `scale` is
// that transform's zoom, used for level of detail (below kMinimumTextZoom pods, interfaces and
// services lose their text, below about 12 % veths and in-node wiring are left out).
// `flows`, when given, is painted over the shapes (observed traffic, with its legend on the
// title line); below the wiring zoom its curves join node boxes instead of pods.
void paintScene(QPainter &painter, const TopologyScene &scene, const QRectF &exposed, qreal scale,
                const DiagramStyle &style = DiagramStyle::light(), const Highlight &highlight = {},
                const FlowOverlay *flows = nullptr);

} // namespace cartograph::diagram
