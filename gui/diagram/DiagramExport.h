#pragma once

#include "Result.h"
#include "TopologyScene.h"

#include <QString>

namespace cartograph::diagram {

enum class ExportFormat { Svg, Png, Pdf };
std::optional<ExportFormat> exportFormatFromName(QStringView name);

// Renders the whole scene with paintScene() into the file; the SVG carries title and
// description. Written through a temporary file so a failed export leaves no half file.
Status exportScene(const TopologyScene &scene, ExportFormat format, const QString &path,
                   qreal pngScale = 1.0);

} // namespace cartograph::diagram
