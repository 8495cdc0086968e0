#include "Settings.h"

#include <QFileInfo>

namespace cartograph::app {

namespace {
const QString ThemeKey = QStringLiteral("Preferences/theme");
const QString RecentFilesKey = QStringLiteral("History/recentFiles");
const QString LastDirectoryKey = QStringLiteral("History/lastDirectory");
const QString GeometryKey = QStringLiteral("MainWindow/geometry");
const QString StateKey = QStringLiteral("MainWindow/state");
} // namespace

Settings::Settings() = default;

Settings::Theme Settings::theme() const
{
    return enumFromName<Theme>(m_settings.value(ThemeKey).toString()).value_or(Theme::System);
}

void Settings::setTheme(Theme theme)
{
    m_settings.setValue(ThemeKey, enumName(theme));
}

QStringList Settings::recentFiles() const
{
    QStringList files = m_settings.value(RecentFilesKey).toStringList();
    files.removeAll(QString());
    files.removeDuplicates();
    if (files.size() > MaxRecentFiles)
        files.resize(MaxRecentFiles);
    return files;
}

void Settings::setRecentFiles(const QStringList &paths)
{
    QStringList files = paths;
    if (files.size() > MaxRecentFiles)
        files.resize(MaxRecentFiles);
    m_settings.setValue(RecentFilesKey, files);
}

QStringList Settings::addRecentFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    setRecentFiles(files);
    return recentFiles();
}

QStringList Settings::removeRecentFiles(const QStringList &paths)
{
    QStringList files = recentFiles();
    for (const QString &path : paths)
        files.removeAll(path);
    setRecentFiles(files);
    return files;
}

QString Settings::lastDirectory() const
{
    return m_settings.value(LastDirectoryKey).toString();
}

void Settings::setLastDirectory(const QString &directory)
{
    m_settings.setValue(LastDirectoryKey, directory);
}

QByteArray Settings::mainWindowGeometry() const
{
    return m_settings.value(GeometryKey).toByteArray();
}

void Settings::setMainWindowGeometry(const QByteArray &geometry)
{
    m_settings.setValue(GeometryKey, geometry);
}

QByteArray Settings::mainWindowState() const
{
    return m_settings.value(StateKey).toByteArray();
}

void Settings::setMainWindowState(const QByteArray &state)
{
    m_settings.setValue(StateKey, state);
}

} // namespace cartograph::app
