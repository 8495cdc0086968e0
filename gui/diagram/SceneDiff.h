#pragma once

#include "TopologyScene.h"

#include <QList>
#include <QRectF>

namespace cartograph::diagram {

// What changed between two layouts of the same cluster, e.g. the model before and after a batch
// of watch events: what a view must repaint, and where each shape of the older scene went.
struct SceneDiff
{
    // Scene rectangles to repaint: the old and the new place of every shape and edge that
    // appeared, disappeared, moved or is drawn differently (label, detail, flags), and the title
    // band when the title changed. Shapes give their rect; edges one rect per path segment
    // (a curve across the cluster has a huge bounding box) plus edgeLabelRect() when labelled.
    // Geometry only: what the painter draws around it (strokes, selection halo) is
    // PaintOverhang (DiagramPainter.h), for the viewer to add.
    QList<QRectF> dirty;
    // Index: shape in the older scene; value: the same object's shape in the newer one, -1 when
    // it is gone. For carrying a selection or search hits over.
    QList<qsizetype> shapeMap;
    bool boundsChanged = false;

    bool isEmpty() const { return dirty.isEmpty() && !boundsChanged; }
};

// Shapes are matched by what they stand for, never by index (indices shift when a pod comes or
// goes): kind, namespace, name and the name of the node box they sit in; equal ones (the
// underlay bars of each grid row) by their order among themselves. Edges by kind and their
// ends' matches. Linear in the size of the two scenes (hash lookups).
SceneDiff diffScenes(const TopologyScene &before, const TopologyScene &after);

} // namespace cartograph::diagram
