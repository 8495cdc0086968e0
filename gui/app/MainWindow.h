#pragma once

#include "CaptureReplay.h"
#include "ClusterLoad.h"
#include "DiagramExport.h"
#include "FlowOverlay.h"
#include "Kubeconfig.h"
#include "Settings.h"
#include "SnapshotSource.h"

#include <QMainWindow>
#include <QPalette>
#include <QSet>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QMimeData;
class QPlainTextEdit;
class QComboBox;
class QProgressBar;
class QTableView;
class QToolButton;

namespace cartograph::app {

class DiagnosticsPanel;
class LiveCaptureDialog;
class LiveCluster;
class FlowFilterModel;
class FlowTableModel;
class InspectorPanel;
class ReplayTimeline;
class TrafficCharts;
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

    // Replays a pcap/pcapng onto the current snapshot (after the one loading now, if any): the
    // flows table, charts, timeline and the flows drawn on the diagram. A capture that cannot be
    // read is reported and whatever was shown stays.
    void openCapture(const QString &path);
    bool isLoadingCapture() const { return m_captureLoading; }
    const std::shared_ptr<const capture::CaptureReplay> &captureReplay() const { return m_replay; }
    // Every flow of the capture as `cartograph-cli flows` writes it: JSON for *.json, else CSV.
    void exportFlowsTo(const QString &path);
    // The packets of the flows selected in the table, as a pcap.
    void exportSelectedPacketsTo(const QString &path);
    std::vector<std::size_t> selectedFlows() const; // indices into captureReplay()->flows()

    FlowTableModel *flowModel() const { return m_flowModel; }
    FlowFilterModel *flowFilter() const { return m_flowFilter; }
    QTableView *flowTable() const { return m_flowTable; }
    ReplayTimeline *timeline() const { return m_timeline; }
    TrafficCharts *charts() const { return m_charts; }

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

    // File ▸ Connect: lists and watches a cluster; every batch of changes is laid out again off
    // the GUI thread (the newest batch wins while one is laid out) and shown. Disconnecting
    // keeps the last model on screen (it can be saved as a snapshot).
    void connectToCluster(const kube::ClusterConnection &connection, const QString &namespaceScope);
    void disconnectFromCluster();
    LiveCluster *liveCluster() const { return m_live; }
    DiagnosticsPanel *diagnostics() const { return m_diagnostics; }
    // Capture ▸ Live Capture (made on first use; non-modal).
    LiveCaptureDialog *liveCaptureDialog();

signals:
    void snapshotLoaded();
    void loadFailed(const QString &message);
    void loadingChanged(bool loading);
    void snapshotSaved(const QString &path);
    void diagramExported(const QString &path);
    void captureLoaded();
    // The views show a newer state of the live capture's flows.
    void liveFlowsShown();
    void captureFailed(const QString &message);
    void flowsExported(const QString &path);
    void packetsExported(const QString &path, quint64 packets);

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
    void createCaptureDocks();
    void openCaptureDialog();
    void exportFlowsDialog();
    void exportPacketsDialog();
    void startCaptureLoad(const QString &path);
    // A live capture's flows (LiveCaptureDialog::flowsUpdated) shown as a replay, attributed to
    // the snapshot on screen off the GUI thread: the newest update wins while one is being
    // prepared, and the views change at most once a second.
    void showLiveFlows(std::shared_ptr<const capture::FlowReport> flows);
    // The live capture's flows on screen (the replay's report, shared), to attribute afresh.
    std::shared_ptr<const capture::FlowReport> shownLiveFlows() const
    {
        return {m_replay, &m_replay->report};
    }
    void startLiveFlowsLoad();
    struct CaptureLoad;
    void finishCaptureLoad(quint64 generation, const CaptureLoad &load);
    void applyReplayPosition(bool force = false);
    void updateFlowOverlay(capture::SecondSpan span);
    void flowSelectionChanged();
    void updateFlowCount();
    void updateFlowFilter();
    void restoreWindowState();
    void createLiveParts();
    void connectDialog();
    // `update`: a later model of the cluster on screen (keeps zoom, scroll and selection);
    // otherwise the first one (fitted to the window, as any newly opened snapshot).
    void showLiveModel(const ClusterSnapshot &snapshot, bool update);
    void updateDiagnostics();

    void openFileDialog();
    void saveSnapshotDialog();
    void exportDiagramDialog();
    void showAbout();

    enum class LoadPurpose
    {
        Open,      // a snapshot file or demo: replaces the view, fitted to the window
        LiveFirst, // the first model of a connection: the same
        LiveUpdate // a newer model of the live cluster on screen: the view keeps its place
    };
    void startLoad(std::shared_ptr<const SnapshotSource> source, const QStringList &recentPaths,
                   LoadPurpose purpose);
    void finishLoad(quint64 generation, const LoadedCluster &loaded, const QStringList &recentPaths,
                    LoadPurpose purpose);
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
    LiveCluster *m_live = nullptr;
    DiagnosticsPanel *m_diagnostics = nullptr;
    QDockWidget *m_diagnosticsDock = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_liveCaptureAction = nullptr;
    LiveCaptureDialog *m_liveCapture = nullptr;
    std::optional<ClusterSnapshot> m_pendingLiveModel; // arrived while a layout was running
    bool m_pendingLiveIsFirst = false; // it is (or replaced) a connection's first model
    bool m_liveOnScreen = false;       // the view shows a model of the live connection
    // Watch batches are shown at most once a second: each one lays the diagram out again (and
    // re-attributes an open capture), which is not worth doing ten times a second.
    QTimer m_liveThrottle;
    QSet<QString> m_approvedExecCommands; // this session's, never saved
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

    // The replayed capture and what hangs off it.
    std::shared_ptr<const capture::CaptureReplay> m_replay;
    std::shared_ptr<const capture::EndpointAttributor> m_attributor;
    capture::AnalysisOptions m_captureOptions; // the options m_replay was decoded with
    std::vector<std::pair<diagram::FlowEnd, diagram::FlowEnd>> m_flowEnds; // by flow
    // The scene m_flowEnds were worked out for: another one (a snapshot loaded since, its
    // capture re-attribution still running) shows no flows rather than misplaced ones.
    std::shared_ptr<const diagram::TopologyScene> m_flowEndsScene;
    std::optional<capture::SecondSpan> m_shownSpan; // what the table, charts, overlay show
    QString m_pendingCapture;                       // waits for the snapshot that is loading
    quint64 m_captureGeneration = 0;
    // A live capture's flows in the views: from the capture's start until a file is opened.
    bool m_followLiveCapture = false;
    bool m_replayIsLive = false; // m_replay is a live capture's: no file behind it
    QString m_liveInterface;
    std::shared_ptr<const capture::FlowReport> m_pendingLiveFlows; // newest, not yet shown
    bool m_liveFlowsLoading = false;
    bool m_liveFlowsStale = false; // a newer snapshot came while they were prepared
    QTimer m_liveFlowsTimer;       // paces the views' refreshes
    bool m_captureLoading = false;
    std::shared_ptr<std::atomic_bool> m_captureCancel;
    std::shared_ptr<std::atomic_int> m_captureProgressValue; // per mille, from the worker
    QTimer m_captureProgressTimer;
    QProgressBar *m_captureProgress = nullptr;
    QWidget *m_captureBusy = nullptr;
    QLabel *m_captureLabel = nullptr;
    QAction *m_openCaptureAction = nullptr;
    QAction *m_exportFlowsAction = nullptr;
    QAction *m_exportPacketsAction = nullptr;
    QDockWidget *m_flowsDock = nullptr;
    QDockWidget *m_chartsDock = nullptr;
    QDockWidget *m_timelineDock = nullptr;
    FlowTableModel *m_flowModel = nullptr;
    FlowFilterModel *m_flowFilter = nullptr;
    QTableView *m_flowTable = nullptr;
    QComboBox *m_namespaceFilter = nullptr;
    QLineEdit *m_nameFilter = nullptr;
    QLineEdit *m_portFilter = nullptr;
    QComboBox *m_protocolFilter = nullptr;
    QLabel *m_flowCount = nullptr;
    ReplayTimeline *m_timeline = nullptr;
    TrafficCharts *m_charts = nullptr;

    QList<qsizetype> m_matches;
    qsizetype m_matchPosition = -1;
    bool m_firstShow = true;
};

} // namespace cartograph::app
