#pragma once

#include <QByteArray>
#include <QMetaEnum>
#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <optional>

namespace cartograph::app {

// The application's one typed view of QSettings. Preferences, history and window state live in
// separate groups so one can be reset without the others. Enums are stored by name, so a
// reordered enum never turns a stored "Dark" into something else. Nothing sensitive (no
// kubeconfig contents, tokens or credentials) is ever written here.
class Settings
{
    Q_GADGET

public:
    enum class Theme
    {
        System,
        Light,
        Dark
    };
    Q_ENUM(Theme)

    static constexpr qsizetype MaxRecentFiles = 10;

    Settings();

    // Preferences
    Theme theme() const;
    void setTheme(Theme theme);

    // History
    QStringList recentFiles() const;
    void setRecentFiles(const QStringList &paths);
    // Puts the file first (absolute path, no duplicates, at most MaxRecentFiles); returns the list.
    QStringList addRecentFile(const QString &path);
    QStringList removeRecentFiles(const QStringList &paths);
    QString lastDirectory() const;
    void setLastDirectory(const QString &directory);

    // Window state (restored only on the next start; never mixed with preferences)
    QByteArray mainWindowGeometry() const;
    void setMainWindowGeometry(const QByteArray &geometry);
    QByteArray mainWindowState() const;
    void setMainWindowState(const QByteArray &state);

    void sync() { m_settings.sync(); }
    QString fileName() const { return m_settings.fileName(); }

    template <typename Enum> static QString enumName(Enum value)
    {
        return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
    }
    template <typename Enum> static std::optional<Enum> enumFromName(const QString &name)
    {
        bool ok = false;
        const int value = QMetaEnum::fromType<Enum>().keyToValue(name.toLatin1().constData(), &ok);
        return ok ? std::optional<Enum>(Enum(value)) : std::nullopt;
    }

private:
    QSettings m_settings;
};

} // namespace cartograph::app
