#include "DiagramExport.h"

#include "DiagramPainter.h"

#include <QCoreApplication>
#include <QImage>
#include <QImageWriter>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>

namespace cartograph::diagram {

namespace {

class Diagram
{
    Q_DECLARE_TR_FUNCTIONS(Diagram)
};

// PNG: no side longer than this, and no more pixels than this in all (memory: 4 bytes each).
constexpr int kMaxImageSide = 16384;
constexpr qint64 kMaxImagePixels = qint64(16384) * 8192;
// PDF viewers refuse pages larger than 200 inches (14 400 pt) a side.
constexpr qreal kMaxPdfSide = 14400.0;

Error writeError(const QString &path, const QString &detail)
{
    Error error;
    error.code = ErrorCode::WriteFailed;
    error.file = path;
    error.detail = detail;
    return error;
}

Status commit(QSaveFile &file, const QString &path)
{
    if (!file.commit())
        return writeError(path, file.errorString());
    return Success{};
}

Status exportSvg(const TopologyScene &scene, QSaveFile &file, const QString &path,
                 const FlowOverlay *flows)
{
    const QRectF bounds = scene.bounds();
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(QSize(int(std::ceil(bounds.width())), int(std::ceil(bounds.height()))));
    generator.setViewBox(QRectF(0, 0, bounds.width(), bounds.height()));
    generator.setTitle(scene.title());
    generator.setDescription(
        Diagram::tr("Kubernetes cluster network topology drawn by Cartograph: nodes, interfaces, "
                    "bridges, veths, tunnels, pods and services."));
    QPainter painter;
    if (!painter.begin(&generator))
        return writeError(path, Diagram::tr("cannot start the SVG painter"));
    painter.translate(-bounds.topLeft());
    paintScene(painter, scene, bounds, 1.0, DiagramStyle::light(), {}, flows);
    painter.end();
    return commit(file, path);
}

qreal effectiveScale(const QRectF &bounds, qreal scale)
{
    scale = scale > 0 ? scale : 1.0;
    return std::min({scale, kMaxImageSide / bounds.width(), kMaxImageSide / bounds.height(),
                     std::sqrt(qreal(kMaxImagePixels) / (bounds.width() * bounds.height()))});
}

QSize imageSize(const QRectF &bounds, qreal scale)
{
    return QSize(std::clamp(int(std::floor(bounds.width() * scale)), 1, kMaxImageSide),
                 std::clamp(int(std::floor(bounds.height() * scale)), 1, kMaxImageSide));
}

Status exportPng(const TopologyScene &scene, QSaveFile &file, const QString &path, qreal scale,
                 const FlowOverlay *flows)
{
    const QRectF bounds = scene.bounds();
    scale = effectiveScale(bounds, scale);
    const QSize size = imageSize(bounds, scale);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        return writeError(path, Diagram::tr("not enough memory for a %1 × %2 pixel image")
                                    .arg(size.width())
                                    .arg(size.height()));
    }
    const DiagramStyle style = DiagramStyle::light();
    image.fill(style.background);
    QPainter painter(&image);
    painter.scale(scale, scale);
    painter.translate(-bounds.topLeft());
    paintScene(painter, scene, bounds, scale, style, {}, flows);
    painter.end();
    QImageWriter writer(&file, "png");
    writer.setText(QStringLiteral("Title"), scene.title());
    writer.setText(QStringLiteral("Software"), QStringLiteral("Cartograph"));
    if (!writer.write(image))
        return writeError(path, writer.errorString());
    return commit(file, path);
}

Status exportPdf(const TopologyScene &scene, QSaveFile &file, const QString &path,
                 const FlowOverlay *flows)
{
    const QRectF bounds = scene.bounds();
    const qreal scale =
        std::min({1.0, kMaxPdfSide / bounds.width(), kMaxPdfSide / bounds.height()});
    QPdfWriter writer(&file);
    writer.setTitle(scene.title());
    writer.setCreator(QStringLiteral("Cartograph"));
    writer.setResolution(72); // one device pixel per point: scene units map to points
    const QPageSize pageSize(QSizeF(bounds.width() * scale, bounds.height() * scale),
                             QPageSize::Point, QString(), QPageSize::ExactMatch);
    if (!writer.setPageSize(pageSize))
        return writeError(path, Diagram::tr("the page size is not supported"));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&writer))
        return writeError(path, Diagram::tr("cannot start the PDF painter"));
    painter.scale(scale, scale);
    painter.translate(-bounds.topLeft());
    paintScene(painter, scene, bounds, 1.0, DiagramStyle::light(), {}, flows);
    painter.end();
    return commit(file, path);
}

} // namespace

std::optional<ExportFormat> exportFormatFromName(QStringView name)
{
    if (name.compare(u"svg", Qt::CaseInsensitive) == 0)
        return ExportFormat::Svg;
    if (name.compare(u"png", Qt::CaseInsensitive) == 0)
        return ExportFormat::Png;
    if (name.compare(u"pdf", Qt::CaseInsensitive) == 0)
        return ExportFormat::Pdf;
    return std::nullopt;
}

QSize exportImageSize(const TopologyScene &scene, qreal scale)
{
    if (scene.bounds().isEmpty())
        return {};
    return imageSize(scene.bounds(), effectiveScale(scene.bounds(), scale));
}

Status exportScene(const TopologyScene &scene, ExportFormat format, const QString &path,
                   qreal pngScale, const FlowOverlay *flows)
{
    if (scene.bounds().isEmpty())
        return writeError(path, Diagram::tr("the diagram is empty"));
    // QSaveFile writes next to the target and renames on commit: a failure leaves the old
    // file (or none), never half a picture.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path, file.errorString());
    Status status = Success{};
    switch (format) {
    case ExportFormat::Svg:
        status = exportSvg(scene, file, path, flows);
        break;
    case ExportFormat::Png:
        status = exportPng(scene, file, path, pngScale, flows);
        break;
    case ExportFormat::Pdf:
        status = exportPdf(scene, file, path, flows);
        break;
    }
    if (!status.ok())
        file.cancelWriting();
    return status;
}

} // namespace cartograph::diagram
