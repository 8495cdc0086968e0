#pragma once

#include "Result.h"
#include "TopologyScene.h"

#include <QSize>
#include <QString>
#include <optional>

namespace cartograph::diagram {

class FlowOverlay;

enum class ExportFormat
{
    Svg,
    Png,
    Pdf
};
std::optional<ExportFormat> exportFormatFromName(QStringView name);

// Pixel size of a PNG export at `scale`: the scene bounds times scale, scaled down further so
// no side exceeds 16384 pixels and the image stays under 128 megapixels.
QSize exportImageSize(const TopologyScene &scene, qreal scale);

// Renders the whole scene with paintScene() into the file (light style, background filled);
// the SVG carries title and description, the PDF is one page the size of the scene (scaled
// down past 200 inches). Written through QSaveFile, so a failed export leaves no half file.
// Errors: ErrorCode::WriteFailed, Error::file = path, Error::detail = the device's words.
// `flows`, when given, is painted over the diagram as on screen.
Status exportScene(const TopologyScene &scene, ExportFormat format, const QString &path,
                   qreal pngScale = 1.0, const FlowOverlay *flows = nullptr);

} // namespace cartograph::diagram
