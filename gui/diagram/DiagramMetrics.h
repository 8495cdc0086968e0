#pragma once

#include <QtGlobal>

// Geometry shared by the layout and the painter (scene units: pixels at 100 % zoom).
namespace cartograph::diagram::metrics {

inline constexpr qreal NodePad = 14;
inline constexpr qreal NodeHeaderHeight = 92; // name and three detail lines
inline constexpr qreal TunnelWidth = 180;     // the tunnel device in a node's top-right corner
inline constexpr qreal TunnelHeight = 52;
inline constexpr qreal BoundsPad = 32; // around the content, in TopologyScene::bounds()

// The view the layout is fitted to when it has a choice (pod columns per node box, services
// beside or below the nodes): the diagram pane of a 1600×1000 window next to the inspector.
// The arrangement that opens largest in it wins, so a small cluster's first view is readable.
inline constexpr qreal ReferenceViewWidth = 1180;
inline constexpr qreal ReferenceViewHeight = 900;

} // namespace cartograph::diagram::metrics
