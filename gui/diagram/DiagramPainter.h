#pragma once

#include "TopologyScene.h"

#include <QSet>

class QPainter;

namespace cartograph::diagram {

// Colours and fonts of the diagram; one place so screen and exports look the same.
struct DiagramStyle
{
    QColor background{0xfa, 0xfa, 0xfa};
    bool darkMode = false;
    static DiagramStyle light();
    static DiagramStyle dark();
};

// What the viewer wants emphasised. Exports pass an empty one.
struct Highlight
{
    qsizetype selected = -1;      // shape index
    QSet<qsizetype> matches;      // search hits
};

// Paints a scene into any QPainter: the screen widget, QSvgGenerator, QPdfWriter, QImage.
// Only shapes and edges intersecting `exposed` (scene coordinates) are visited. The painter's
// transform maps scene to device; `scale` is that transform's zoom, used for level of detail
// (labels are skipped when they would be unreadably small).
void paintScene(QPainter &painter, const TopologyScene &scene, const QRectF &exposed, qreal scale,
                const DiagramStyle &style = DiagramStyle::light(), const Highlight &highlight = {});

} // namespace cartograph::diagram
