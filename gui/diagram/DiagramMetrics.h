#pragma once

#include <QtGlobal>

// Geometry shared by the layout and the painter (scene units: pixels at 100 % zoom).
namespace cartograph::diagram::metrics {

inline constexpr qreal NodePad = 14;
inline constexpr qreal NodeHeaderHeight = 92; // name and three detail lines
inline constexpr qreal TunnelWidth = 180;     // the tunnel device in a node's top-right corner
inline constexpr qreal TunnelHeight = 52;

} // namespace cartograph::diagram::metrics
