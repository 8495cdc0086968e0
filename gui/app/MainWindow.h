#pragma once

#include "ClusterLoad.h"
#include "DiagramExport.h"
#include "Settings.h"
#include "SnapshotSource.h"

#include <QMainWindow>
#include <QPalette>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QMimeData;
class QPlainTextEdit;
class QProgressBar;
class QToolButton;

namespace cartograph::app {

class InspectorPanel;
class TopologyView;

// The application window: the topology diagram in the middle, the inspector on the right,
// search in the tool bar, what was loaded (and whether its CNI enforces NetworkPolicy) in the
// status bar. Snapshots load and lay out on a worker thread; a failed load keeps what was shown.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    struct Options
    {
        // Off for --screenshot: a fixed, reproducible window that leaves the user's saved
        // geometry and dock layout alone.
        bool persistWindowState = true;
    };
    // Where load, save and export failures go: a message box by default; tests and the
    // --screenshot mode replace it (a modal dialog would block them).
    using ErrorReporter = std::function<void(const QString &title, const QString &message)>;

    MainWindow();
    explicit MainWindow(Options options, QWidget *parent = nullptr);
    ~MainWindow() override;

    void openFiles(const QStringList &paths);
    void openDemo(DemoFlavour flavour);
    void openSource(std::shared_ptr<const SnapshotSource> source,
                    const QStringList &recentPaths = {});
    void cancelLoading();
    bool isLoading() const { return m_loading; }

    void saveSnapshotTo(const QString &path);
    void exportDiagramTo(const QString &path, diagram::ExportFormat format);
    // Grabs the whole window (docks, status bar and all) into a PNG.
    bool saveScreenshot(const QString &path, QString *errorMessage = nullptr);

    void setErrorReporter(ErrorReporter reporter);
    QString lastError() const { return m_lastError; }

    const LoadedCluster &cluster() const { return m_cluster; }
    TopologyView *topologyView() const { return m_view; }
    InspectorPanel *inspector() const { return m_inspector; }
    QLineEdit *searchField() const { return m_search; }
    QString searchStatus() const;
    QString cniStatus() const;
    QStringList recentFiles() const { return m_settings.recentFiles(); }
    QMenu *recentFilesMenu() const { return m_recentMenu; }
    QAction *demoAction(DemoFlavour flavour) const;

    // Search as the tool bar does it: matches in display order, then step through them.
    void search(const QString &query);
    const QList<qsizetype> &searchResults() const { return m_matches; }
    void showNextMatch();
    void showPreviousMatch();

    void applyTheme(Settings::Theme theme);

signals:
    void snapshotLoaded();
    void loadFailed(const QString &message);
    void loadingChanged(bool loading);
    void snapshotSaved(const QString &path);
    void diagramExported(const QString &path);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createDocks();
    void createStatusBar();
    void restoreWindowState();

    void openFileDialog();
    void saveSnapshotDialog();
    void exportDiagramDialog();
    void showAbout();

    void finishLoad(quint64 generation, const LoadedCluster &loaded,
                    const QStringList &recentPaths);
    void setLoading(bool loading, const QString &what = {});
    void updateStatus();
    void updateActions();
    void rebuildRecentMenu();
    void pruneRecentFiles();
    void selectShape(qsizetype shape, bool centre);
    void showMatch(qsizetype position);
    void refreshIcons(bool dark);
    void reportError(const QString &title, const QString &message);
    void log(const QString &message);
    QStringList droppedFiles(const QMimeData *mime) const;

    Options m_options;
    Settings m_settings;
    ErrorReporter m_errorReporter;
    QString m_lastError;

    TopologyView *m_view = nullptr;
    InspectorPanel *m_inspector = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_searchStatus = nullptr;
    QTimer m_searchTimer;

    QWidget *m_busy = nullptr;
    QLabel *m_busyLabel = nullptr;
    QLabel *m_sourceLabel = nullptr;
    QLabel *m_countsLabel = nullptr;
    QLabel *m_cniLabel = nullptr;
    QWidget *m_policyWarning = nullptr;
    QLabel *m_policyWarningText = nullptr;

    QAction *m_openAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_demoMenu = nullptr;
    QList<QAction *> m_demoActions;
    QAction *m_saveAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_zoomInAction = nullptr;
    QAction *m_zoomOutAction = nullptr;
    QAction *m_zoomFitAction = nullptr;
    QAction *m_zoomResetAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_findNextAction = nullptr;
    QAction *m_findPreviousAction = nullptr;
    QActionGroup *m_themeGroup = nullptr;

    LoadedCluster m_cluster;
    quint64 m_generation = 0; // bumped per load; a result from an older one is dropped
    bool m_loading = false;
    std::shared_ptr<std::atomic_bool> m_cancel;

    QList<qsizetype> m_matches;
    qsizetype m_matchPosition = -1;
    bool m_firstShow = true;
};

} // namespace cartograph::app
