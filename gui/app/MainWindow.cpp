#include "MainWindow.h"

#include "DiagramPainter.h"
#include "FlowExport.h"
#include "FlowTableModel.h"
#include "InspectorPanel.h"
#include "LiveCaptureDialog.h"
#include "ReplayTimeline.h"
#include "SnapshotIo.h"
#include "TopologyView.h"
#include "TrafficCharts.h"
#include "WhenFinished.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFuture>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageWriter>
#include <QIntValidator>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QSaveFile>
#include <QScreen>
#include <QStatusBar>
#include <QStyle>
#include <QSvgRenderer>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace cartograph::app {

using diagram::ModelKind;

namespace {

constexpr char IconProperty[] = "cartographIcon";

// The tool bar's line icons, drawn in the palette's text colour so they stay legible in the
// dark theme (icon themes on a bare X11 or Xvfb session often have none of these names).
QIcon lineIcon(const QString &name, bool dark)
{
    QFile file(QStringLiteral(":/cartograph/icons/") + name + QStringLiteral(".svg"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray svg = file.readAll();
    svg.replace("#4f5660", dark ? "#c9cdd3" : "#4f5660");
    QSvgRenderer renderer(svg);
    QIcon icon;
    for (int size : {16, 20, 24, 32, 40, 48}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        renderer.render(&painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

const QPalette &systemPalette()
{
    // Captured before any theme is applied, so "System" can go back to it.
    static const QPalette palette = QApplication::palette();
    return palette;
}

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x7a, 0x7e, 0x85);
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    palette.setColor(QPalette::ToolTipBase, window);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    palette.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x51));
    palette.setColor(QPalette::Midlight, QColor(0x3c, 0x3f, 0x41));
    palette.setColor(QPalette::Mid, QColor(0x32, 0x34, 0x37));
    palette.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    palette.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x10));
    palette.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    palette.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xff));
    palette.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, disabled);
    return palette;
}

bool isCaptureFile(const QFileInfo &info)
{
    const QString suffix = info.suffix().toLower();
    return info.isFile() && (suffix == u"pcap" || suffix == u"pcapng" || suffix == u"cap");
}

bool isSnapshotFile(const QFileInfo &info)
{
    const QString suffix = info.suffix().toLower();
    return info.isFile() && (suffix == u"json" || suffix == u"yaml" || suffix == u"yml");
}

QString demoActionName(DemoFlavour flavour)
{
    return flavour == DemoFlavour::CalicoIpIp ? QStringLiteral("actionOpenDemoCalico")
                                              : QStringLiteral("actionOpenDemoFlannel");
}

} // namespace

MainWindow::MainWindow()
    : MainWindow(Options{})
{}

MainWindow::MainWindow(Options options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_view(new TopologyView(this))
    , m_inspector(new InspectorPanel(this))
{
    systemPalette(); // capture before a theme changes it
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QStringLiteral("Cartograph"));
    setWindowIcon(QIcon(QStringLiteral(":/cartograph/icons/cartograph.svg")));
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    m_errorReporter = [this](const QString &title, const QString &message) {
        QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
        box.setWindowModality(Qt::WindowModal);
        box.exec();
    };

    m_view->setObjectName(QStringLiteral("topologyView"));
    m_view->setPlaceholderText(tr("No snapshot loaded.\n\nOpen kubectl output with File ▸ Open… "
                                  "(Ctrl+O), drop JSON or YAML files here, or try a demo "
                                  "cluster from File ▸ Open Demo."));
    setCentralWidget(m_view);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(150);
    connect(&m_searchTimer, &QTimer::timeout, this, [this] { search(m_search->text()); });

    createActions();
    createMenus();
    createToolBar();
    createDocks();
    createStatusBar();
    createCaptureDocks();
    createLiveParts();

    connect(m_view, &TopologyView::selectionChanged, this,
            [this](qsizetype shape) { m_inspector->showShape(shape); });
    connect(m_inspector, &InspectorPanel::shapeActivated, this,
            [this](qsizetype shape) { selectShape(shape, true); });

    applyTheme(m_settings.theme());
    restoreWindowState();
    // A saved layout may have them open; they stay closed until a capture is replayed.
    for (QDockWidget *dock : {m_timelineDock, m_flowsDock, m_chartsDock})
        dock->hide();
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow()
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_captureCancel)
        m_captureCancel->store(true);
}

// --- construction --------------------------------------------------------------------------

void MainWindow::createActions()
{
    m_openAction = new QAction(tr("&Open…"), this);
    m_openAction->setObjectName(QStringLiteral("actionOpen"));
    m_openAction->setIconText(tr("Open"));
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setStatusTip(tr("Open one or more snapshot files (kubectl JSON or YAML)"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openFileDialog);

    for (DemoFlavour flavour : allDemoFlavours()) {
        auto *action = new QAction(demoFlavourName(flavour), this);
        action->setObjectName(demoActionName(flavour));
        action->setData(int(flavour));
        action->setStatusTip(tr("Open the built-in %1 demo cluster").arg(demoFlavourName(flavour)));
        connect(action, &QAction::triggered, this, [this, flavour] { openDemo(flavour); });
        m_demoActions << action;
    }

    m_openCaptureAction = new QAction(tr("Open &Capture…"), this);
    m_openCaptureAction->setObjectName(QStringLiteral("actionOpenCapture"));
    m_openCaptureAction->setIconText(tr("Capture"));
    m_openCaptureAction->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    m_openCaptureAction->setStatusTip(
        tr("Replay a pcap or pcapng onto the snapshot: flows on the diagram, table and charts"));
    connect(m_openCaptureAction, &QAction::triggered, this, &MainWindow::openCaptureDialog);

    m_exportFlowsAction = new QAction(tr("Export &Flows…"), this);
    m_exportFlowsAction->setObjectName(QStringLiteral("actionExportFlows"));
    m_exportFlowsAction->setStatusTip(tr("Save every flow of the capture as CSV or JSON"));
    connect(m_exportFlowsAction, &QAction::triggered, this, &MainWindow::exportFlowsDialog);

    m_exportPacketsAction = new QAction(tr("Export &Packets of Selected Flows…"), this);
    m_exportPacketsAction->setObjectName(QStringLiteral("actionExportPackets"));
    m_exportPacketsAction->setStatusTip(
        tr("Save the packets of the flows selected in the table as a pcap"));
    connect(m_exportPacketsAction, &QAction::triggered, this, &MainWindow::exportPacketsDialog);

    m_saveAction = new QAction(tr("&Save Snapshot As…"), this);
    m_saveAction->setObjectName(QStringLiteral("actionSaveSnapshot"));
    m_saveAction->setShortcut(QKeySequence::SaveAs);
    m_saveAction->setStatusTip(
        tr("Save the snapshot as a Kubernetes List that kubectl and jq read"));
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::saveSnapshotDialog);

    m_exportAction = new QAction(tr("&Export Diagram…"), this);
    m_exportAction->setObjectName(QStringLiteral("actionExportDiagram"));
    m_exportAction->setIconText(tr("Export"));
    m_exportAction->setShortcut(QKeySequence(tr("Ctrl+E")));
    m_exportAction->setStatusTip(tr("Export the whole diagram as SVG, PNG or PDF"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportDiagramDialog);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_zoomInAction = new QAction(tr("Zoom &In"), this);
    m_zoomInAction->setShortcut(QKeySequence::ZoomIn);
    connect(m_zoomInAction, &QAction::triggered, m_view, &TopologyView::zoomIn);
    m_zoomOutAction = new QAction(tr("Zoom &Out"), this);
    m_zoomOutAction->setShortcut(QKeySequence::ZoomOut);
    connect(m_zoomOutAction, &QAction::triggered, m_view, &TopologyView::zoomOut);
    m_zoomFitAction = new QAction(tr("&Fit to Window"), this);
    m_zoomFitAction->setShortcut(QKeySequence(tr("Ctrl+0")));
    connect(m_zoomFitAction, &QAction::triggered, m_view, &TopologyView::zoomToFit);
    m_zoomResetAction = new QAction(tr("&Actual Size (100%)"), this);
    m_zoomResetAction->setShortcut(QKeySequence(tr("Ctrl+1")));
    connect(m_zoomResetAction, &QAction::triggered, m_view, &TopologyView::resetZoom);

    m_findAction = new QAction(tr("&Find…"), this);

    const std::pair<QAction *, const char *> icons[] = {
        {m_openAction, "document-open"},
        {m_saveAction, "document-save-as"},
        {m_openCaptureAction, "document-open"},
        {m_exportAction, "document-export"},
        {m_zoomInAction, "zoom-in"},
        {m_zoomOutAction, "zoom-out"},
        {m_zoomFitAction, "zoom-fit-best"},
        {m_zoomResetAction, "zoom-original"},
        {m_findAction, "edit-find"},
    };
    for (const auto &[action, name] : icons)
        action->setProperty(IconProperty, QString::fromLatin1(name));
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    m_findNextAction = new QAction(tr("Find &Next"), this);
    m_findNextAction->setShortcut(QKeySequence::FindNext);
    connect(m_findNextAction, &QAction::triggered, this, &MainWindow::showNextMatch);
    m_findPreviousAction = new QAction(tr("Find Pre&vious"), this);
    m_findPreviousAction->setShortcut(QKeySequence::FindPrevious);
    connect(m_findPreviousAction, &QAction::triggered, this, &MainWindow::showPreviousMatch);

    m_themeGroup = new QActionGroup(this);
    m_themeGroup->setExclusive(true);
    const std::pair<Settings::Theme, QString> themes[] = {
        {Settings::Theme::System, tr("&System")},
        {Settings::Theme::Light, tr("&Light")},
        {Settings::Theme::Dark, tr("&Dark")},
    };
    for (const auto &[theme, text] : themes) {
        auto *action = new QAction(text, m_themeGroup);
        action->setCheckable(true);
        action->setObjectName(QStringLiteral("actionTheme") + Settings::enumName(theme));
        action->setData(int(theme));
        connect(action, &QAction::triggered, this, [this, theme = theme] {
            m_settings.setTheme(theme);
            applyTheme(theme);
        });
    }
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecentFiles"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::pruneRecentFiles);
    m_demoMenu = file->addMenu(tr("Open &Demo"));
    m_demoMenu->addActions(m_demoActions);
    file->addAction(m_openCaptureAction);
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_exportAction);
    file->addAction(m_exportFlowsAction);
    file->addAction(m_exportPacketsAction);
    file->addSeparator();
    file->addAction(m_quitAction);
    rebuildRecentMenu();

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_findAction);
    edit->addAction(m_findNextAction);
    edit->addAction(m_findPreviousAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("menuView"));
    view->addAction(m_zoomInAction);
    view->addAction(m_zoomOutAction);
    view->addAction(m_zoomFitAction);
    view->addAction(m_zoomResetAction);
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    theme->addActions(m_themeGroup->actions());
    view->addSeparator(); // dock and tool bar toggles follow (createDocks)

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Cartograph"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    QAction *aboutQt = help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main Toolbar"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setIconSize(QSize(20, 20));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_openAction);

    auto *demoButton = new QToolButton(bar);
    demoButton->setText(tr("Demo"));
    demoButton->setToolTip(tr("Open a built-in demo cluster"));
    demoButton->setProperty(IconProperty, QStringLiteral("network-workgroup"));
    demoButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    demoButton->setPopupMode(QToolButton::InstantPopup);
    demoButton->setMenu(m_demoMenu);
    bar->addWidget(demoButton);
    bar->addAction(m_openCaptureAction);
    bar->addAction(m_exportAction);
    bar->addSeparator();

    for (QAction *action : {m_zoomOutAction, m_zoomInAction, m_zoomFitAction}) {
        bar->addAction(action);
        if (auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(action)))
            button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }

    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search pods, services, nodes, IPs…"));
    m_search->setToolTip(tr("Search by name, namespace, IP address or DNS name.\n"
                            "Enter: next match · Shift+Enter: previous · Esc: clear"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(QIcon(), QLineEdit::LeadingPosition)
        ->setProperty(IconProperty, QStringLiteral("edit-find"));
    m_search->setMinimumWidth(280);
    m_search->setMaximumWidth(380);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    bar->addWidget(m_search);

    m_searchStatus = new QLabel(bar);
    m_searchStatus->setObjectName(QStringLiteral("searchStatus"));
    m_searchStatus->setMinimumWidth(110);
    m_searchStatus->setContentsMargins(8, 0, 8, 0);
    m_searchStatus->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(m_searchStatus);
}

void MainWindow::createDocks()
{
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    m_inspectorDock->setWidget(m_inspector);
    m_inspector->setMinimumWidth(260);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("eventLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_logDock = new QDockWidget(tr("Event Log"), this);
    m_logDock->setObjectName(QStringLiteral("eventLogDock"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logDock->hide();

    QMenu *view = findChild<QMenu *>(QStringLiteral("menuView"));
    QAction *inspectorToggle = m_inspectorDock->toggleViewAction();
    inspectorToggle->setShortcut(QKeySequence(tr("Ctrl+I")));
    view->addAction(inspectorToggle);
    QAction *logToggle = m_logDock->toggleViewAction();
    logToggle->setShortcut(QKeySequence(tr("Ctrl+L")));
    view->addAction(logToggle);
    if (auto *bar = findChild<QToolBar *>(QStringLiteral("mainToolBar")))
        view->addAction(bar->toggleViewAction());
}

void MainWindow::createStatusBar()
{
    QStatusBar *bar = statusBar();

    m_busy = new QWidget(bar);
    auto *busyLayout = new QHBoxLayout(m_busy);
    busyLayout->setContentsMargins(0, 0, 0, 0);
    busyLayout->setSpacing(6);
    auto *progress = new QProgressBar(m_busy);
    progress->setRange(0, 0); // busy, no percentage: load() reports none
    progress->setTextVisible(false);
    progress->setFixedSize(90, 12);
    m_busyLabel = new QLabel(m_busy);
    m_busyLabel->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Preferred);
    auto *cancel = new QToolButton(m_busy);
    cancel->setText(tr("Cancel"));
    cancel->setAutoRaise(true);
    connect(cancel, &QToolButton::clicked, this, &MainWindow::cancelLoading);
    busyLayout->addWidget(progress);
    busyLayout->addWidget(m_busyLabel);
    busyLayout->addWidget(cancel);
    m_busy->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Preferred);
    m_busy->hide();

    m_sourceLabel = new QLabel(bar);
    m_sourceLabel->setObjectName(QStringLiteral("sourceLabel"));
    m_countsLabel = new QLabel(bar);
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    m_cniLabel = new QLabel(bar);
    m_cniLabel->setObjectName(QStringLiteral("cniLabel"));

    m_policyWarning = new QWidget(bar);
    auto *warningLayout = new QHBoxLayout(m_policyWarning);
    warningLayout->setContentsMargins(0, 0, 0, 0);
    warningLayout->setSpacing(4);
    auto *icon = new QLabel(m_policyWarning);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_policyWarningText = new QLabel(m_policyWarning);
    m_policyWarningText->setObjectName(QStringLiteral("policyWarning"));
    QFont bold = m_policyWarningText->font();
    bold.setBold(true);
    m_policyWarningText->setFont(bold);
    warningLayout->addWidget(icon);
    warningLayout->addWidget(m_policyWarningText);
    m_policyWarning->hide();

    // Permanent fields, separated by thin rules; a field that hides takes its rule with it.
    for (QWidget *field :
         {m_busy, static_cast<QWidget *>(m_sourceLabel), static_cast<QWidget *>(m_countsLabel),
          static_cast<QWidget *>(m_cniLabel), m_policyWarning}) {
        auto *cell = new QWidget(bar);
        auto *layout = new QHBoxLayout(cell);
        layout->setContentsMargins(6, 0, 6, 0);
        layout->setSpacing(10);
        auto *rule = new QFrame(cell);
        rule->setFrameShape(QFrame::VLine);
        rule->setFrameShadow(QFrame::Sunken);
        layout->addWidget(rule);
        field->setParent(cell);
        layout->addWidget(field);
        field->installEventFilter(this); // follows the field's visibility
        cell->setVisible(!field->isHidden());
        bar->addPermanentWidget(cell);
    }
}

void MainWindow::restoreWindowState()
{
    bool restored = false;
    if (m_options.persistWindowState) {
        restored = restoreGeometry(m_settings.mainWindowGeometry());
        restoreState(m_settings.mainWindowState());
    }
    if (!restored) {
        QSize size(1440, 900);
        if (const QScreen *screen = QGuiApplication::primaryScreen())
            size = size.boundedTo(screen->availableGeometry().size() * 0.9);
        resize(size);
    }
}

// --- loading -------------------------------------------------------------------------------

void MainWindow::openFiles(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    QStringList absolute;
    absolute.reserve(paths.size());
    for (const QString &path : paths)
        absolute << QFileInfo(path).absoluteFilePath();
    m_settings.setLastDirectory(QFileInfo(absolute.constFirst()).absolutePath());
    openSource(std::make_shared<FileSnapshotSource>(absolute), absolute);
}

void MainWindow::openDemo(DemoFlavour flavour)
{
    openSource(makeDemoSource(flavour));
}

void MainWindow::openSource(std::shared_ptr<const SnapshotSource> source,
                            const QStringList &recentPaths)
{
    startLoad(std::move(source), recentPaths, LoadPurpose::Open);
}

void MainWindow::startLoad(std::shared_ptr<const SnapshotSource> source,
                           const QStringList &recentPaths, LoadPurpose purpose)
{
    if (!source)
        return;
    // Whatever was still loading is superseded: tell it to stop, and drop its result if it
    // arrives anyway.
    if (m_cancel)
        m_cancel->store(true);
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancel;
    const quint64 generation = ++m_generation;
    const QString name = source->displayName();
    setLoading(true, name);
    log(tr("Loading %1…").arg(name));

    // A live update works out what changed from the scene on screen on the worker too.
    std::shared_ptr<const diagram::TopologyScene> previous =
        purpose == LoadPurpose::LiveUpdate && m_liveOnScreen ? m_view->scene() : nullptr;
    whenFinished(QtConcurrent::run([source, cancel, previous] {
                     return loadAndLayout(*source, cancel.get(), previous);
                 }),
                 this, [this, generation, recentPaths, purpose](const LoadedCluster &loaded) {
                     finishLoad(generation, loaded, recentPaths, purpose);
                 });
}

void MainWindow::cancelLoading()
{
    if (!m_loading)
        return;
    if (m_cancel)
        m_cancel->store(true);
    ++m_generation;
    setLoading(false);
    statusBar()->showMessage(tr("Loading cancelled; still showing the previous snapshot"), 5000);
    log(tr("Loading cancelled by the user"));
    if (!m_pendingCapture.isEmpty())
        startCaptureLoad(std::exchange(m_pendingCapture, QString()));
}

void MainWindow::finishLoad(quint64 generation, const LoadedCluster &loaded,
                            const QStringList &recentPaths, LoadPurpose purpose)
{
    if (generation != m_generation) {
        log(tr("Dropped the result for %1: something else was opened meanwhile")
                .arg(loaded.sourceName));
        return;
    }
    setLoading(false);
    if (loaded.cancelled)
        return;
    if (loaded.error || !loaded.ok()) {
        const QString message =
            loaded.error ? describe(*loaded.error) : tr("The snapshot could not be laid out.");
        reportError(
            tr("Could not open %1").arg(loaded.sourceName),
            message + u"\n\n" +
                (m_cluster.ok() ? tr("Still showing %1.").arg(m_cluster.sourceName) : QString()));
        emit loadFailed(message);
        if (!m_pendingCapture.isEmpty())
            startCaptureLoad(std::exchange(m_pendingCapture, QString()));
        return;
    }

    m_cluster = loaded;
    m_cluster.sceneChanges.reset(); // used once, below
    m_inspector->setCluster(m_cluster);
    // A live model replaces whatever else is on screen (a file opened meanwhile) as a new view.
    const bool update = purpose == LoadPurpose::LiveUpdate && m_liveOnScreen;
    m_liveOnScreen = purpose != LoadPurpose::Open;
    if (update) {
        // The admin keeps their place: zoom, scroll and the selected object (in the inspector
        // too, while it exists); only what changed is repainted.
        m_view->replaceScene(loaded.scene, loaded.sceneChanges, loaded.changedFrom);
        if (m_inspector->shape() != m_view->selectedShape())
            m_inspector->showShape(m_view->selectedShape());
    } else {
        m_view->setScene(loaded.scene);
    }
    // The capture follows the snapshot: its endpoints are attributed afresh.
    if (!m_pendingCapture.isEmpty())
        startCaptureLoad(std::exchange(m_pendingCapture, QString()));
    else if (m_replay && m_replayIsLive) {
        // The live capture's flows are attributed afresh, as a file's would be re-read (once
        // the one being prepared, for the older snapshot, is shown).
        m_liveFlowsStale = true;
        if (!m_liveFlowsLoading) {
            if (!m_pendingLiveFlows)
                m_pendingLiveFlows = shownLiveFlows();
            startLiveFlowsLoad();
        }
    } else if (m_replay)
        startCaptureLoad(m_replay->path);
    for (auto it = recentPaths.crbegin(); it != recentPaths.crend(); ++it)
        m_settings.addRecentFile(*it);
    rebuildRecentMenu();
    setWindowTitle(tr("%1 — Cartograph").arg(loaded.sourceName));

    const ClusterSnapshot &snapshot = *loaded.snapshot;
    log(tr("Loaded %1: %2 nodes, %3 pods, %4 services (read %5 ms, layout %6 ms)")
            .arg(loaded.sourceName)
            .arg(snapshot.nodes.size())
            .arg(snapshot.pods.size())
            .arg(snapshot.services.size())
            .arg(loaded.loadMilliseconds)
            .arg(loaded.layoutMilliseconds));
    for (auto it = snapshot.skippedKinds.cbegin(); it != snapshot.skippedKinds.cend(); ++it)
        log(tr("Skipped %1 item(s) of kind %2 (not modelled)").arg(it.value()).arg(it.key()));
    for (const QString &evidence : loaded.cni.evidence)
        log(tr("CNI evidence: %1").arg(evidence));
    statusBar()->showMessage(tr("Loaded %1").arg(loaded.sourceName), 4000);

    updateStatus();
    updateActions();
    if (!m_search->text().trimmed().isEmpty())
        search(m_search->text());
    emit snapshotLoaded();
}

void MainWindow::setLoading(bool loading, const QString &what)
{
    m_loading = loading;
    if (loading) {
        m_busyLabel->setText(tr("Loading %1…").arg(what));
        statusBar()->clearMessage();
    }
    m_busy->setVisible(loading);
    emit loadingChanged(loading);
}

void MainWindow::updateStatus()
{
    if (!m_cluster.ok()) {
        m_sourceLabel->setText(tr("No snapshot"));
        m_countsLabel->clear();
        m_countsLabel->hide();
        m_cniLabel->hide();
        m_policyWarning->hide();
        return;
    }
    const ClusterSnapshot &snapshot = *m_cluster.snapshot;
    m_sourceLabel->setText(m_cluster.sourceName);
    m_sourceLabel->setToolTip(snapshot.sources.join(u'\n'));
    m_countsLabel->setText(tr("%1 nodes · %2 pods · %3 services · %4 policies")
                               .arg(snapshot.nodes.size())
                               .arg(snapshot.pods.size())
                               .arg(snapshot.services.size())
                               .arg(snapshot.networkPolicies.size()));
    m_countsLabel->show();

    const CniDetection &cni = m_cluster.cni;
    QString cniText = cni.plugin == CniPlugin::Unknown
                          ? tr("CNI unknown")
                          : tr("CNI: %1").arg(cniPluginName(cni.plugin));
    if (cni.overlay != OverlayMode::Unknown && cni.overlay != OverlayMode::None)
        cniText += QStringLiteral(" (") + overlayModeName(cni.overlay) + u')';
    const QString evidence = cni.evidence.isEmpty()
                                 ? tr("No DaemonSet or node report identifies the CNI plugin.")
                                 : tr("Detected from:\n%1").arg(cni.evidence.join(u'\n'));
    const bool notEnforced = cni.enforcementKnown && !cni.enforcesNetworkPolicy;
    if (cni.enforcementKnown && cni.enforcesNetworkPolicy)
        cniText += tr(" · enforces NetworkPolicy");
    else if (!cni.enforcementKnown)
        cniText += tr(" · NetworkPolicy enforcement unknown");
    m_cniLabel->setText(cniText);
    m_cniLabel->setToolTip(evidence);
    m_cniLabel->show();

    if (notEnforced) {
        m_policyWarningText->setText(
            tr("%1 does not enforce NetworkPolicy").arg(cniPluginName(cni.plugin)));
        m_policyWarning->setToolTip(
            tr("%1 only connects pods. NetworkPolicy objects (%3 in this snapshot) have no "
               "effect: every pod can reach every other pod.\n\n%2")
                .arg(cniPluginName(cni.plugin), evidence)
                .arg(snapshot.networkPolicies.size()));
        QPalette palette = m_policyWarningText->palette();
        palette.setColor(QPalette::WindowText, isDark(QApplication::palette())
                                                   ? QColor(0xff, 0xb7, 0x4d)
                                                   : QColor(0xb2, 0x5e, 0x00));
        m_policyWarningText->setPalette(palette);
        m_policyWarning->show();
    } else {
        m_policyWarning->hide();
    }
}

QString MainWindow::cniStatus() const
{
    QString text = m_cniLabel->isHidden() ? QString() : m_cniLabel->text();
    if (!m_policyWarning->isHidden())
        text += (text.isEmpty() ? QString() : QStringLiteral(" · ")) + m_policyWarningText->text();
    return text;
}

void MainWindow::updateActions()
{
    const bool loaded = m_cluster.ok();
    m_saveAction->setEnabled(loaded);
    m_exportAction->setEnabled(loaded);
    for (QAction *action : {m_zoomInAction, m_zoomOutAction, m_zoomFitAction, m_zoomResetAction})
        action->setEnabled(loaded);
    m_exportFlowsAction->setEnabled(m_replay != nullptr);
    // Packets are exported from the capture file, which a live view does not have (yet).
    m_exportPacketsAction->setEnabled(m_replay && !m_replayIsLive && !selectedFlows().empty());
}

// --- recent files --------------------------------------------------------------------------

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_settings.recentFiles();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString &path = files.at(i);
        const QString name = QFileInfo(path).fileName();
        QString text = name;
        text.replace(u'&', QStringLiteral("&&"));
        if (i < 9)
            text = QStringLiteral("&%1  ").arg(i + 1) + text;
        QAction *action = m_recentMenu->addAction(text);
        action->setData(path);
        action->setToolTip(path);
        action->setStatusTip(path);
        connect(action, &QAction::triggered, this, [this, path] {
            if (!QFileInfo::exists(path)) {
                m_settings.removeRecentFiles({path});
                rebuildRecentMenu();
                statusBar()->showMessage(
                    tr("%1 no longer exists; removed it from the recent files").arg(path), 8000);
                log(tr("Recent file %1 no longer exists; removed it from the list").arg(path));
                return;
            }
            openFiles({path});
        });
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    } else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear Recent Files"), this, [this] {
            m_settings.setRecentFiles({});
            rebuildRecentMenu();
        });
    }
}

void MainWindow::pruneRecentFiles()
{
    QStringList missing;
    for (const QString &path : m_settings.recentFiles()) {
        if (!QFileInfo::exists(path))
            missing << path;
    }
    if (missing.isEmpty())
        return;
    m_settings.removeRecentFiles(missing);
    rebuildRecentMenu();
    statusBar()->showMessage(
        missing.size() == 1
            ? tr("Removed 1 recent file that no longer exists")
            : tr("Removed %1 recent files that no longer exist").arg(missing.size()),
        8000);
    for (const QString &path : missing)
        log(tr("Recent file %1 no longer exists; removed it from the list").arg(path));
}

// --- dialogs -------------------------------------------------------------------------------

void MainWindow::openFileDialog()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open Snapshot"), m_settings.lastDirectory(),
        tr("Kubernetes snapshots (*.json *.yaml *.yml);;JSON (*.json);;YAML (*.yaml *.yml);;"
           "All files (*)"));
    openFiles(paths);
}

void MainWindow::saveSnapshotDialog()
{
    if (!m_cluster.ok())
        return;
    const QString suggestion =
        QDir(m_settings.lastDirectory()).filePath(QStringLiteral("snapshot.json"));
    QString path = QFileDialog::getSaveFileName(this, tr("Save Snapshot As"), suggestion,
                                                tr("Kubernetes List (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    m_settings.setLastDirectory(QFileInfo(path).absolutePath());
    saveSnapshotTo(path);
}

void MainWindow::saveSnapshotTo(const QString &path)
{
    if (!m_cluster.ok())
        return;
    std::shared_ptr<const ClusterSnapshot> snapshot = m_cluster.snapshot;
    statusBar()->showMessage(tr("Saving %1…").arg(QFileInfo(path).fileName()));
    auto job = QtConcurrent::run([snapshot, path]() -> std::optional<Error> {
        const Status status = saveSnapshotFile(*snapshot, path);
        return status ? std::nullopt : std::optional<Error>(status.error());
    });
    whenFinished(job, this, [this, path](const std::optional<Error> &error) {
        if (error) {
            statusBar()->clearMessage();
            reportError(tr("Could not save the snapshot"), describe(*error));
            return;
        }
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
        log(tr("Saved the snapshot to %1").arg(path));
        emit snapshotSaved(path);
    });
}

void MainWindow::exportDiagramDialog()
{
    if (!m_cluster.ok())
        return;
    const QString svgFilter = tr("SVG image (*.svg)");
    const QString pngFilter = tr("PNG image (*.png)");
    const QString pdfFilter = tr("PDF document (*.pdf)");
    QString selectedFilter = svgFilter;
    const QString suggestion =
        QDir(m_settings.lastDirectory()).filePath(QStringLiteral("topology.svg"));
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Diagram"), suggestion,
        QStringList{svgFilter, pngFilter, pdfFilter}.join(QStringLiteral(";;")), &selectedFilter);
    if (path.isEmpty())
        return;
    std::optional<diagram::ExportFormat> format =
        diagram::exportFormatFromName(QFileInfo(path).suffix());
    if (!format) {
        const QString suffix = selectedFilter == pngFilter   ? QStringLiteral("png")
                               : selectedFilter == pdfFilter ? QStringLiteral("pdf")
                                                             : QStringLiteral("svg");
        path += u'.' + suffix;
        format = diagram::exportFormatFromName(suffix);
    }
    if (!format)
        return;
    m_settings.setLastDirectory(QFileInfo(path).absolutePath());
    exportDiagramTo(path, *format);
}

void MainWindow::exportDiagramTo(const QString &path, diagram::ExportFormat format)
{
    if (!m_cluster.ok())
        return;
    std::shared_ptr<const diagram::TopologyScene> scene = m_cluster.scene;
    // Crisp PNGs for documents, but never wider than a texture a viewer can open.
    const QSizeF bounds = scene->bounds().size();
    const qreal longest = std::max({bounds.width(), bounds.height(), qreal(1)});
    const qreal pngScale = std::clamp(16000.0 / longest, 0.05, 2.0);
    statusBar()->showMessage(tr("Exporting %1…").arg(QFileInfo(path).fileName()));
    // The flows on the diagram go into the picture as they are shown.
    std::shared_ptr<const diagram::FlowOverlay> flows = m_view->flowOverlay();
    auto job = QtConcurrent::run([scene, flows, format, path, pngScale]() -> std::optional<Error> {
        const Status status = diagram::exportScene(*scene, format, path, pngScale, flows.get());
        return status ? std::nullopt : std::optional<Error>(status.error());
    });
    whenFinished(job, this, [this, path](const std::optional<Error> &error) {
        if (error) {
            statusBar()->clearMessage();
            reportError(tr("Could not export the diagram"), describe(*error));
            return;
        }
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
        log(tr("Exported the diagram to %1").arg(path));
        emit diagramExported(path);
    });
}

bool MainWindow::saveScreenshot(const QString &path, QString *errorMessage)
{
    const QPixmap pixmap = grab();
    QImageWriter writer(path, "png");
    if (writer.write(pixmap.toImage()))
        return true;
    if (errorMessage)
        *errorMessage = tr("Could not write %1: %2").arg(path, writer.errorString());
    return false;
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Cartograph"),
        tr("<h3>Cartograph %1</h3>"
           "<p>Shows how a Kubernetes cluster's network is really wired: node interfaces, "
           "bridges, veth pairs, overlay tunnels, host-network pods, pod CIDRs and services.</p>"
           "<p>Snapshots are plain <code>kubectl get … -o json</code> output, plus the "
           "<code>NodeNetwork</code> reports of the Cartograph agent.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

// --- selection and search ------------------------------------------------------------------

void MainWindow::selectShape(qsizetype shape, bool centre)
{
    if (!m_cluster.scene || shape < 0 || shape >= m_cluster.scene->shapes().size())
        return;
    m_view->setSelectedShape(shape);
    if (!centre)
        return;
    const QRectF rect = m_cluster.scene->shapes().at(shape).rect;
    if (m_view->zoom() < 0.5)
        m_view->zoomToShape(shape);
    else
        m_view->centerOn(rect.center());
}

void MainWindow::search(const QString &query)
{
    m_searchTimer.stop();
    m_matches.clear();
    m_matchPosition = -1;
    const QString trimmed = query.trimmed();
    if (trimmed.isEmpty() || !m_cluster.ok()) {
        m_view->setSearchMatches({});
        m_searchStatus->clear();
        return;
    }
    // An address first resolves through the IP index (a model rule: exact pod, service and
    // node addresses, then the pod CIDRs), so "10.96.0.10" lands on kube-dns itself before any
    // object that merely mentions it.
    if (const std::optional<IpAddress> address = IpAddress::parse(QStringView(trimmed));
        address && m_cluster.ipIndex) {
        const IpAttribution attribution = m_cluster.ipIndex->lookup(*address);
        qsizetype shape = -1;
        switch (attribution.kind) {
        case IpAttribution::Kind::Pod:
            shape = m_cluster.scene->shapeFor(ModelKind::Pod, attribution.index);
            break;
        case IpAttribution::Kind::Service:
            shape = m_cluster.scene->shapeFor(ModelKind::Service, attribution.index);
            break;
        case IpAttribution::Kind::NodeAddress:
        case IpAttribution::Kind::PodCidr:
            shape = m_cluster.scene->shapeFor(ModelKind::Node, attribution.index);
            break;
        case IpAttribution::Kind::External:
            break;
        }
        if (shape >= 0)
            m_matches << shape;
    }
    m_matches += m_cluster.scene->find(trimmed);
    // find() may list the IP-index hit again; keep the first occurrence only.
    QSet<qsizetype> seen;
    QList<qsizetype> unique;
    unique.reserve(m_matches.size());
    for (qsizetype shape : std::as_const(m_matches)) {
        if (!seen.contains(shape)) {
            seen.insert(shape);
            unique << shape;
        }
    }
    m_matches = unique;
    m_view->setSearchMatches(seen);
    m_searchStatus->setText(m_matches.isEmpty()     ? tr("No matches")
                            : m_matches.size() == 1 ? tr("1 match")
                                                    : tr("%1 matches").arg(m_matches.size()));
}

void MainWindow::showMatch(qsizetype position)
{
    if (m_matches.isEmpty())
        return;
    m_matchPosition = (position % m_matches.size() + m_matches.size()) % m_matches.size();
    selectShape(m_matches.at(m_matchPosition), true);
    m_searchStatus->setText(tr("%1 of %2").arg(m_matchPosition + 1).arg(m_matches.size()));
}

void MainWindow::showNextMatch()
{
    if (m_searchTimer.isActive())
        search(m_search->text());
    showMatch(m_matchPosition + 1);
}

void MainWindow::showPreviousMatch()
{
    if (m_searchTimer.isActive())
        search(m_search->text());
    showMatch(m_matchPosition < 0 ? -1 : m_matchPosition - 1);
}

QString MainWindow::searchStatus() const
{
    return m_searchStatus->text();
}

QAction *MainWindow::demoAction(DemoFlavour flavour) const
{
    for (QAction *action : m_demoActions) {
        if (action->data().toInt() == int(flavour))
            return action;
    }
    return nullptr;
}

// --- theme, errors, log --------------------------------------------------------------------

void MainWindow::applyTheme(Settings::Theme theme)
{
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(action->data().toInt() == int(theme));
    bool dark = false;
    switch (theme) {
    case Settings::Theme::System:
        QApplication::setPalette(systemPalette());
        dark = isDark(systemPalette());
        break;
    case Settings::Theme::Light:
        QApplication::setPalette(style()->standardPalette());
        break;
    case Settings::Theme::Dark:
        QApplication::setPalette(darkPalette());
        dark = true;
        break;
    }
    m_view->setDiagramStyle(dark ? diagram::DiagramStyle::dark() : diagram::DiagramStyle::light());
    m_charts->setDarkMode(dark);
    refreshIcons(dark);
    updateStatus();
}

void MainWindow::refreshIcons(bool dark)
{
    for (QAction *action : findChildren<QAction *>()) {
        const QString name = action->property(IconProperty).toString();
        if (!name.isEmpty())
            action->setIcon(lineIcon(name, dark));
    }
    for (QToolButton *button : findChildren<QToolButton *>()) {
        const QString name = button->property(IconProperty).toString();
        if (!name.isEmpty())
            button->setIcon(lineIcon(name, dark));
    }
}

void MainWindow::setErrorReporter(ErrorReporter reporter)
{
    m_errorReporter = std::move(reporter);
}

void MainWindow::reportError(const QString &title, const QString &message)
{
    m_lastError = message;
    log(title + QStringLiteral(": ") + message.trimmed());
    if (m_errorReporter)
        m_errorReporter(title, message.trimmed());
}

void MainWindow::log(const QString &message)
{
    m_log->appendPlainText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) +
                           message);
}

// --- events --------------------------------------------------------------------------------

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_firstShow) {
        m_firstShow = false;
        if (!m_options.persistWindowState || m_settings.mainWindowState().isEmpty())
            resizeDocks({m_inspectorDock}, {std::clamp(width() / 4, 300, 380)}, Qt::Horizontal);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_captureCancel)
        m_captureCancel->store(true);
    m_timeline->pause();
    if (m_options.persistWindowState) {
        m_settings.setMainWindowGeometry(saveGeometry());
        m_settings.setMainWindowState(saveState());
    }
    m_settings.sync();
    QMainWindow::closeEvent(event);
}

QStringList MainWindow::droppedFiles(const QMimeData *mime) const
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo info(url.toLocalFile());
        if (info.isDir()) {
            // A directory of kubectl dumps: every JSON/YAML file directly inside it.
            const QFileInfoList entries =
                QDir(info.absoluteFilePath())
                    .entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
            for (const QFileInfo &entry : entries) {
                if (isSnapshotFile(entry) || isCaptureFile(entry))
                    files << entry.absoluteFilePath();
            }
        } else {
            files << info.absoluteFilePath();
        }
    }
    return files;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = droppedFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    QStringList snapshots;
    QString capture;
    for (const QString &file : files) {
        if (isCaptureFile(QFileInfo(file)))
            capture = file; // one capture is replayed at a time: the last one dropped
        else
            snapshots << file;
    }
    openFiles(snapshots);
    if (!capture.isEmpty())
        openCapture(capture);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if ((event->type() == QEvent::ShowToParent || event->type() == QEvent::HideToParent) &&
        watched != m_search && watched->isWidgetType()) {
        auto *field = static_cast<QWidget *>(watched);
        if (QWidget *cell = field->parentWidget(); cell && cell->parentWidget() == statusBar())
            cell->setVisible(event->type() == QEvent::ShowToParent);
    }
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                showPreviousMatch();
            else
                showNextMatch();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            m_search->clear();
            search(QString());
            m_view->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

// --- capture replay ------------------------------------------------------------------------

// What the capture worker hands back: the replay, its attribution and where its flows are
// drawn, or why there is none.
struct MainWindow::CaptureLoad
{
    QString path;
    std::shared_ptr<const capture::CaptureReplay> replay;
    std::shared_ptr<const capture::EndpointAttributor> attributor;
    std::shared_ptr<const diagram::TopologyScene> scene; // the ends below are for this one
    capture::AnalysisOptions options;
    std::vector<std::pair<diagram::FlowEnd, diagram::FlowEnd>> ends;
    std::optional<Error> error;
    bool cancelled = false;
    bool live = false; // flows of a live capture, path empty
    qint64 milliseconds = 0;
    QStringList namespaces; // of the flows' sides, sorted: the namespace filter's choices

    // Takes the replay and works out, off the GUI thread, where its flows' ends are drawn on the
    // snapshot's scene and which namespaces they touch.
    void adopt(std::shared_ptr<const capture::CaptureReplay> shown,
               std::shared_ptr<const capture::EndpointAttributor> by,
               const ClusterSnapshot *snapshot, const QElapsedTimer &timer);
};

namespace {

// Names capture endpoints after the snapshot's pods, services and nodes (all external without).
std::shared_ptr<capture::EndpointAttributor> attributorFor(const ClusterSnapshot *snapshot)
{
    return snapshot ? std::make_shared<capture::EndpointAttributor>(*snapshot)
                    : std::make_shared<capture::EndpointAttributor>();
}

diagram::FlowEnd flowEnd(const ClusterSnapshot *snapshot, const capture::ClusterEndpoint &endpoint)
{
    diagram::FlowEnd end;
    if (!snapshot)
        return end;
    using Kind = capture::ClusterEndpoint::Kind;
    switch (endpoint.kind) {
    case Kind::Pod:
        if (!endpoint.name.isEmpty()) {
            end.kind = ModelKind::Pod;
            end.index = snapshot->findPod(endpoint.namespaceName, endpoint.name);
        }
        end.nodeIndex = snapshot->findNode(endpoint.nodeName);
        break;
    case Kind::Service:
        end.kind = ModelKind::Service;
        end.index = snapshot->findService(endpoint.namespaceName, endpoint.name);
        break;
    case Kind::Node:
        end.kind = ModelKind::Node;
        end.index = snapshot->findNode(endpoint.name);
        break;
    case Kind::External:
        break;
    }
    return end;
}

} // namespace

void MainWindow::CaptureLoad::adopt(std::shared_ptr<const capture::CaptureReplay> shown,
                                    std::shared_ptr<const capture::EndpointAttributor> by,
                                    const ClusterSnapshot *snapshot, const QElapsedTimer &timer)
{
    ends.reserve(shown->flows().size());
    QSet<QString> touched;
    for (std::size_t i = 0; i < shown->flows().size(); ++i) {
        ends.emplace_back(flowEnd(snapshot, shown->endpointA[i]),
                          flowEnd(snapshot, shown->endpointB[i]));
        for (const QString &ns :
             {shown->endpointA[i].namespaceName, shown->endpointB[i].namespaceName}) {
            if (!ns.isEmpty())
                touched.insert(ns);
        }
    }
    namespaces = QStringList(touched.cbegin(), touched.cend());
    namespaces.sort();
    replay = std::move(shown);
    attributor = std::move(by);
    milliseconds = timer.elapsed();
}

void MainWindow::createCaptureDocks()
{
    m_flowModel = new FlowTableModel(this);
    m_flowFilter = new FlowFilterModel(this);
    m_flowFilter->setSourceModel(m_flowModel);

    auto *flowsPanel = new QWidget(this);
    auto *flowsLayout = new QVBoxLayout(flowsPanel);
    flowsLayout->setContentsMargins(4, 4, 4, 0);
    flowsLayout->setSpacing(4);
    auto *filterBar = new QHBoxLayout;
    filterBar->setSpacing(6);
    m_namespaceFilter = new QComboBox(flowsPanel);
    m_namespaceFilter->setObjectName(QStringLiteral("flowNamespaceFilter"));
    m_namespaceFilter->setToolTip(tr("Only flows with a side in this namespace"));
    m_namespaceFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_nameFilter = new QLineEdit(flowsPanel);
    m_nameFilter->setObjectName(QStringLiteral("flowNameFilter"));
    m_nameFilter->setPlaceholderText(tr("Pod, service, node or IP"));
    m_nameFilter->setClearButtonEnabled(true);
    m_portFilter = new QLineEdit(flowsPanel);
    m_portFilter->setObjectName(QStringLiteral("flowPortFilter"));
    m_portFilter->setPlaceholderText(tr("Port"));
    m_portFilter->setValidator(new QIntValidator(0, 65535, m_portFilter));
    m_portFilter->setMaximumWidth(80);
    m_protocolFilter = new QComboBox(flowsPanel);
    m_protocolFilter->setObjectName(QStringLiteral("flowProtocolFilter"));
    m_protocolFilter->addItem(tr("Any protocol"), QString());
    for (const char *name : {"TCP", "UDP", "ICMP", "ICMPv6", "SCTP"})
        m_protocolFilter->addItem(QString::fromLatin1(name), QString::fromLatin1(name));
    m_flowCount = new QLabel(flowsPanel);
    m_flowCount->setObjectName(QStringLiteral("flowCount"));
    m_flowCount->setForegroundRole(QPalette::PlaceholderText);
    filterBar->addWidget(m_namespaceFilter);
    filterBar->addWidget(m_nameFilter, 1);
    filterBar->addWidget(m_portFilter);
    filterBar->addWidget(m_protocolFilter);
    filterBar->addWidget(m_flowCount);
    flowsLayout->addLayout(filterBar);
    for (QComboBox *box : {m_namespaceFilter, m_protocolFilter})
        connect(box, &QComboBox::currentIndexChanged, this, &MainWindow::updateFlowFilter);
    for (QLineEdit *field : {m_nameFilter, m_portFilter})
        connect(field, &QLineEdit::textChanged, this, &MainWindow::updateFlowFilter);

    m_flowTable = new QTableView(flowsPanel);
    m_flowTable->setObjectName(QStringLiteral("flowTable"));
    m_flowTable->setModel(m_flowFilter);
    m_flowTable->setSortingEnabled(true);
    m_flowTable->sortByColumn(FlowTableModel::First, Qt::AscendingOrder);
    m_flowTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_flowTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_flowTable->setAlternatingRowColors(true);
    m_flowTable->setWordWrap(false);
    m_flowTable->verticalHeader()->hide();
    m_flowTable->verticalHeader()->setDefaultSectionSize(m_flowTable->fontMetrics().height() + 6);
    m_flowTable->horizontalHeader()->setStretchLastSection(true);
    m_flowTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    flowsLayout->addWidget(m_flowTable, 1);
    connect(m_flowTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::flowSelectionChanged);
    connect(m_flowFilter, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateFlowCount);
    connect(m_flowFilter, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateFlowCount);
    connect(m_flowFilter, &QAbstractItemModel::modelReset, this, &MainWindow::updateFlowCount);
    connect(m_flowFilter, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateFlowCount);

    m_flowsDock = new QDockWidget(tr("Flows"), this);
    m_flowsDock->setObjectName(QStringLiteral("flowsDock"));
    m_flowsDock->setWidget(flowsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_flowsDock);

    m_charts = new TrafficCharts(this);
    m_chartsDock = new QDockWidget(tr("Traffic"), this);
    m_chartsDock->setObjectName(QStringLiteral("trafficDock"));
    m_chartsDock->setWidget(m_charts);
    // Beside the diagram under the inspector: the bottom stays low, so the diagram keeps its
    // height and the charts their width.
    addDockWidget(Qt::RightDockWidgetArea, m_chartsDock);
    splitDockWidget(m_inspectorDock, m_chartsDock, Qt::Vertical);

    m_timeline = new ReplayTimeline(this);
    m_timeline->setObjectName(QStringLiteral("replayTimeline"));
    m_timeline->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_timelineDock = new QDockWidget(tr("Replay"), this);
    m_timelineDock->setObjectName(QStringLiteral("replayDock"));
    m_timelineDock->setWidget(m_timeline);
    m_timelineDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    // A bar, not a panel: no title row above one row of controls.
    m_timelineDock->setTitleBarWidget(new QWidget(m_timelineDock));
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);
    splitDockWidget(m_flowsDock, m_timelineDock, Qt::Vertical);
    // Timeline above table and charts.
    splitDockWidget(m_timelineDock, m_flowsDock, Qt::Vertical);
    connect(m_timeline, &ReplayTimeline::positionChanged, this, [this] { applyReplayPosition(); });
    connect(m_timeline, &ReplayTimeline::modeChanged, this, [this] { applyReplayPosition(); });

    if (QMenu *view = findChild<QMenu *>(QStringLiteral("menuView"))) {
        view->addSeparator();
        for (QDockWidget *dock : {m_timelineDock, m_flowsDock, m_chartsDock})
            view->addAction(dock->toggleViewAction());
    }

    m_captureBusy = new QWidget(statusBar());
    auto *busyLayout = new QHBoxLayout(m_captureBusy);
    busyLayout->setContentsMargins(6, 0, 6, 0);
    busyLayout->setSpacing(6);
    m_captureLabel = new QLabel(m_captureBusy);
    m_captureProgress = new QProgressBar(m_captureBusy);
    m_captureProgress->setRange(0, 1000);
    m_captureProgress->setTextVisible(false);
    m_captureProgress->setFixedSize(90, 12);
    auto *cancel = new QToolButton(m_captureBusy);
    cancel->setText(tr("Cancel"));
    cancel->setAutoRaise(true);
    connect(cancel, &QToolButton::clicked, this, [this] {
        if (!m_captureLoading)
            return;
        m_captureCancel->store(true);
        ++m_captureGeneration;
        m_captureLoading = false;
        m_captureProgressTimer.stop();
        m_captureBusy->hide();
        statusBar()->showMessage(tr("Capture replay cancelled"), 5000);
        log(tr("Capture replay cancelled by the user"));
    });
    busyLayout->addWidget(m_captureProgress);
    busyLayout->addWidget(m_captureLabel);
    busyLayout->addWidget(cancel);
    statusBar()->addWidget(m_captureBusy);
    m_captureBusy->hide();
    m_captureProgressTimer.setInterval(100);
    connect(&m_captureProgressTimer, &QTimer::timeout, this, [this] {
        if (m_captureProgressValue)
            m_captureProgress->setValue(m_captureProgressValue->load());
    });
    m_liveFlowsTimer.setSingleShot(true);
    m_liveFlowsTimer.setInterval(1000);
    connect(&m_liveFlowsTimer, &QTimer::timeout, this, [this] {
        if (m_pendingLiveFlows && !m_liveFlowsLoading)
            startLiveFlowsLoad();
    });
}

void MainWindow::openCaptureDialog()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Capture"), m_settings.lastDirectory(),
                                     tr("Packet captures (*.pcap *.pcapng *.cap);;All files (*)"));
    if (path.isEmpty())
        return;
    m_settings.setLastDirectory(QFileInfo(path).absolutePath());
    openCapture(path);
}

void MainWindow::openCapture(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (m_loading) {
        // Attribute against the snapshot on its way, not the one it replaces.
        m_pendingCapture = absolute;
        log(tr("Will replay %1 once the snapshot is loaded").arg(absolute));
        return;
    }
    startCaptureLoad(absolute);
}

void MainWindow::startCaptureLoad(const QString &path)
{
    // A file replaces the live capture's flows in the views (the capture goes on).
    m_followLiveCapture = false;
    m_pendingLiveFlows.reset();
    if (m_captureCancel)
        m_captureCancel->store(true);
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_captureCancel = cancel;
    auto progress = std::make_shared<std::atomic_int>(0);
    m_captureProgressValue = progress;
    const quint64 generation = ++m_captureGeneration;
    m_captureLoading = true;
    m_captureLabel->setText(tr("Replaying %1…").arg(QFileInfo(path).fileName()));
    m_captureProgress->setValue(0);
    m_captureBusy->show();
    m_captureProgressTimer.start();
    log(tr("Replaying capture %1…").arg(path));

    std::shared_ptr<const ClusterSnapshot> snapshot = m_cluster.ok() ? m_cluster.snapshot : nullptr;
    std::shared_ptr<const diagram::TopologyScene> scene =
        m_cluster.ok() ? m_cluster.scene : nullptr;
    auto job = QtConcurrent::run([path, snapshot, scene, cancel, progress]() {
        CaptureLoad load;
        load.path = path;
        load.scene = scene;
        QElapsedTimer timer;
        timer.start();
        auto attributor = attributorFor(snapshot.get());
        if (snapshot)
            capture::addSnapshotTunnelPorts(*snapshot, load.options.decode);
        Result<capture::CaptureReplay> replay = capture::loadCaptureReplay(
            path, *attributor, load.options, cancel.get(),
            [progress](double fraction) { progress->store(int(fraction * 1000)); });
        if (!replay) {
            if (replay.error().code == ErrorCode::Cancelled)
                load.cancelled = true;
            else
                load.error = replay.error();
            return load;
        }
        load.adopt(std::make_shared<const capture::CaptureReplay>(std::move(replay).value()),
                   std::move(attributor), snapshot.get(), timer);
        return load;
    });
    whenFinished(job, this, [this, generation](const CaptureLoad &load) {
        finishCaptureLoad(generation, load);
    });
}

void MainWindow::showLiveFlows(std::shared_ptr<const capture::FlowReport> flows)
{
    if (!m_followLiveCapture || !flows)
        return;
    m_pendingLiveFlows = std::move(flows);
    if (!m_liveFlowsLoading && !m_liveFlowsTimer.isActive())
        startLiveFlowsLoad();
}

void MainWindow::startLiveFlowsLoad()
{
    std::shared_ptr<const capture::FlowReport> live = std::exchange(m_pendingLiveFlows, nullptr);
    if (!live)
        return;
    if (m_captureLoading) { // a file's replay gives way to the live capture started since
        m_captureCancel->store(true);
        m_captureLoading = false;
        m_captureProgressTimer.stop();
        m_captureBusy->hide();
    }
    m_liveFlowsLoading = true;
    m_liveFlowsStale = false;
    m_liveFlowsTimer.start();
    const quint64 generation = ++m_captureGeneration;
    std::shared_ptr<const ClusterSnapshot> snapshot = m_cluster.ok() ? m_cluster.snapshot : nullptr;
    std::shared_ptr<const diagram::TopologyScene> scene =
        m_cluster.ok() ? m_cluster.scene : nullptr;
    auto job = QtConcurrent::run([live, snapshot, scene]() {
        CaptureLoad load;
        load.live = true;
        load.scene = scene;
        QElapsedTimer timer;
        timer.start();
        // Attributed here, to the snapshot on screen (it may be newer than the dialog's).
        auto attributor = attributorFor(snapshot.get());
        auto shown = std::make_shared<const capture::CaptureReplay>(
            capture::replayOfFlows(*live, *attributor));
        load.adopt(std::move(shown), std::move(attributor), snapshot.get(), timer);
        return load;
    });
    whenFinished(job, this, [this, generation](const CaptureLoad &load) {
        m_liveFlowsLoading = false;
        finishCaptureLoad(generation, load);
        if (m_liveFlowsStale && !m_pendingLiveFlows && m_replay && m_replayIsLive)
            m_pendingLiveFlows = shownLiveFlows();
        if (m_pendingLiveFlows && (m_liveFlowsStale || !m_liveFlowsTimer.isActive()))
            startLiveFlowsLoad();
    });
}

void MainWindow::finishCaptureLoad(quint64 generation, const CaptureLoad &load)
{
    if (generation != m_captureGeneration) {
        if (!load.live)
            log(tr("Dropped the replay of %1: something else was opened meanwhile").arg(load.path));
        return;
    }
    m_captureLoading = false;
    m_captureProgressTimer.stop();
    m_captureBusy->hide();
    if (load.cancelled)
        return;
    if (load.error || !load.replay) {
        const QString message =
            load.error ? describe(*load.error) : tr("%1 could not be replayed.").arg(load.path);
        reportError(tr("Could not open capture %1").arg(QFileInfo(load.path).fileName()),
                    message + (m_replay ? u"\n\n" + tr("Still showing %1.").arg(m_replay->path)
                                        : QString()));
        emit captureFailed(message);
        return;
    }

    const bool samePath = m_replay && m_replayIsLive == load.live && m_replay->path == load.path;
    const std::int64_t keepPosition = samePath ? m_timeline->position() : 0;
    // A live view stays at the newest traffic unless the admin moved back in time.
    const bool followEnd = load.live && (!samePath || m_timeline->position() >= m_replay->lastUs);
    const bool hadFlows = m_replay && !m_replay->flows().empty();
    const capture::TimelineMode keepMode = m_timeline->mode();
    m_replay = load.replay;
    m_replayIsLive = load.live;
    m_attributor = load.attributor;
    m_captureOptions = load.options;
    m_flowEnds = load.ends;
    m_flowEndsScene = load.scene;
    m_shownSpan.reset();
    m_flowModel->setReplay(m_replay);
    m_charts->setReplay(m_replay);

    const QString current = m_namespaceFilter->currentData().toString();
    {
        const QSignalBlocker blocker(m_namespaceFilter);
        m_namespaceFilter->clear();
        m_namespaceFilter->addItem(tr("All namespaces"), QString());
        for (const QString &ns : load.namespaces)
            m_namespaceFilter->addItem(ns, ns);
        m_namespaceFilter->setCurrentIndex(std::max(0, m_namespaceFilter->findData(current)));
    }

    for (QDockWidget *dock : {m_timelineDock, m_flowsDock, m_chartsDock})
        dock->show();
    if (!samePath) { // the diagram keeps most of the window
        resizeDocks({m_flowsDock}, {std::clamp(height() / 6, 150, 320)}, Qt::Vertical);
        resizeDocks({m_inspectorDock, m_chartsDock}, {height() * 2 / 5, height() * 3 / 5},
                    Qt::Vertical);
    }
    m_timeline->setMode(keepMode);
    m_timeline->setRange(m_replay->firstUs, m_replay->lastUs);
    if (followEnd)
        m_timeline->seek(m_replay->lastUs);
    else if (samePath)
        m_timeline->seek(keepPosition);
    updateFlowFilter();
    applyReplayPosition(true);
    if (load.live) {
        // Columns fit the first flows; later refreshes keep the widths (the admin's too).
        if (!samePath || !hadFlows)
            m_flowTable->resizeColumnsToContents();
        if (!samePath)
            log(tr("Showing the flows of the live capture on %1 as they come")
                    .arg(m_liveInterface));
        updateActions();
        emit liveFlowsShown();
        return;
    }
    m_flowTable->resizeColumnsToContents();

    const capture::CaptureSummary &summary = m_replay->report.summary;
    log(tr("Replayed %1: %2 packets, %3 flows, %4 malformed, %5 non-IP (%6 ms)")
            .arg(load.path)
            .arg(summary.packets)
            .arg(summary.flows)
            .arg(summary.malformedTotal())
            .arg(summary.nonIp)
            .arg(load.milliseconds));
    if (summary.readError)
        reportError(tr("Capture %1 is damaged").arg(QFileInfo(load.path).fileName()),
                    tr("%1\n\nThe flows hold the %2 packets before the damage.")
                        .arg(describe(*summary.readError))
                        .arg(summary.packets));
    statusBar()->showMessage(
        tr("Replayed %1: %2 flows").arg(QFileInfo(load.path).fileName()).arg(summary.flows), 5000);
    updateActions();
    emit captureLoaded();
}

void MainWindow::applyReplayPosition(bool force)
{
    if (!m_replay)
        return;
    const capture::SecondSpan span = capture::timelineSpan(
        *m_replay, m_timeline->position(), m_timeline->mode(), ReplayTimeline::WindowSeconds);
    // Everything shown counts whole seconds: frames within one second change nothing.
    if (!force && m_shownSpan && m_shownSpan->from == span.from && m_shownSpan->to == span.to)
        return;
    m_shownSpan = span;
    m_flowModel->setSpan(span);
    m_flowFilter->spanChanged();
    m_charts->setPosition(m_timeline->position(), span);
    updateFlowOverlay(span);
    updateFlowCount();
}

void MainWindow::updateFlowOverlay(capture::SecondSpan span)
{
    if (!m_replay || !m_cluster.scene || m_flowEndsScene != m_cluster.scene) {
        m_view->setFlowOverlay(nullptr);
        return;
    }
    const std::vector<std::size_t> selection = selectedFlows();
    std::vector<bool> selected(m_replay->flows().size(), false);
    for (std::size_t flow : selection)
        selected[flow] = true;
    const double seconds = double(
        std::max<std::int64_t>(span.to - std::max(span.from, m_replay->firstSecond()) + 1, 1));
    QList<diagram::FlowTrafficItem> items;
    const std::vector<capture::FlowRecord> &flows = m_replay->flows();
    for (std::size_t i = 0; i < flows.size(); ++i) {
        const capture::SpanTraffic traffic = m_flowModel->traffic(int(i));
        if (traffic.totalPackets() == 0)
            continue;
        diagram::FlowTrafficItem item;
        item.a = m_flowEnds[i].first;
        item.b = m_flowEnds[i].second;
        item.protocol = diagram::flowProtocolFromNumber(flows[i].protocol);
        item.bytes = traffic.totalBytes();
        item.bytesPerSecond = double(item.bytes) / seconds;
        item.tunnel = !flows[i].tunnel.empty();
        item.selected = selected[i];
        items.append(item);
    }
    m_view->setFlowOverlay(std::make_shared<const diagram::FlowOverlay>(
        diagram::FlowOverlay::build(*m_cluster.scene, items)));
}

std::vector<std::size_t> MainWindow::selectedFlows() const
{
    std::vector<std::size_t> flows;
    if (!m_flowTable || !m_replay)
        return flows;
    const QModelIndexList rows = m_flowTable->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        flows.push_back(std::size_t(row.data(FlowTableModel::FlowIndexRole).toInt()));
    std::sort(flows.begin(), flows.end());
    return flows;
}

void MainWindow::flowSelectionChanged()
{
    if (!m_replay)
        return;
    const std::vector<std::size_t> selection = selectedFlows();
    m_charts->setSelection(selection);
    m_charts->setPosition(m_timeline->position(), m_flowModel->span());
    updateFlowOverlay(m_flowModel->span());
    updateActions();
    if (selection.empty())
        return;
    // Bring the highlighted curves into view (scrolling as little as possible).
    if (const auto &overlay = m_view->flowOverlay()) {
        QRectF shown;
        for (const diagram::FlowOverlayEdge &edge : overlay->edges()) {
            if (edge.selected)
                shown |= edge.boundingRect();
        }
        if (!shown.isEmpty())
            m_view->ensureVisible(shown);
    }
    const QModelIndex current = m_flowTable->selectionModel()->currentIndex();
    const std::size_t flowIndex =
        current.isValid() && m_flowTable->selectionModel()->isRowSelected(current.row())
            ? std::size_t(current.data(FlowTableModel::FlowIndexRole).toInt())
            : selection.front();
    const capture::FlowRecord &flow = m_replay->flows().at(flowIndex);
    const auto shapeOf = [this](const diagram::FlowEnd &end) -> qsizetype {
        if (!m_cluster.scene || m_flowEndsScene != m_cluster.scene || end.kind == ModelKind::None)
            return -1;
        return m_cluster.scene->shapeFor(end.kind, end.index);
    };
    InspectorPanel::FlowDetails details;
    const QString protocol = FlowTableModel::protocolText(flow.protocol);
    details.endpointA = capture::endpointLabel(m_replay->endpointA[flowIndex], flow.a);
    details.endpointB = capture::endpointLabel(m_replay->endpointB[flowIndex], flow.b);
    details.title = tr("%1 flow").arg(protocol);
    details.subtitle = flow.hasPorts ? tr("%1:%2 → %3:%4")
                                           .arg(flow.a.toString())
                                           .arg(flow.aPort)
                                           .arg(flow.b.toString())
                                           .arg(flow.bPort)
                                     : tr("%1 → %2").arg(flow.a.toString(), flow.b.toString());
    details.shapeA = shapeOf(m_flowEnds[flowIndex].first);
    details.shapeB = shapeOf(m_flowEnds[flowIndex].second);
    const QLocale locale;
    details.rows = {
        {tr("Packets A→B"), locale.toString(qulonglong(flow.packetsAb))},
        {tr("Bytes A→B"), locale.toString(qulonglong(flow.bytesAb))},
        {tr("Packets B→A"), locale.toString(qulonglong(flow.packetsBa))},
        {tr("Bytes B→A"), locale.toString(qulonglong(flow.bytesBa))},
        {tr("First"), capture::formatTimestampUs(flow.firstUs)},
        {tr("Last"), capture::formatTimestampUs(flow.lastUs)},
    };
    if (flow.protocol == 6)
        details.rows.append({tr("TCP flags"), capture::tcpFlagNames(flow.tcpFlags).join(u' ')});
    for (const capture::TunnelLevel &level : flow.tunnel) {
        QString text = capture::tunnelTypeName(level.type);
        if (level.hasKey)
            text += tr(" key %1").arg(level.key);
        if (level.udpPort)
            text += tr(" UDP %1").arg(level.udpPort);
        const QString outerA = m_attributor ? m_attributor->nodeName(level.outerSrc) : QString();
        const QString outerB = m_attributor ? m_attributor->nodeName(level.outerDst) : QString();
        text += QStringLiteral(" · %1%2 → %3%4")
                    .arg(level.outerSrc.toString(),
                         outerA.isEmpty() ? QString() : QStringLiteral(" (") + outerA + u')',
                         level.outerDst.toString(),
                         outerB.isEmpty() ? QString() : QStringLiteral(" (") + outerB + u')');
        details.rows.append({tr("Tunnel"), text});
    }
    m_inspector->showFlow(details);
}

void MainWindow::updateFlowFilter()
{
    m_flowFilter->setNamespace(m_namespaceFilter->currentData().toString());
    m_flowFilter->setName(m_nameFilter->text());
    bool ok = false;
    const int port = m_portFilter->text().toInt(&ok);
    m_flowFilter->setPort(ok ? std::optional<int>(port) : std::nullopt);
    m_flowFilter->setProtocol(m_protocolFilter->currentData().toString());
    updateFlowCount();
}

void MainWindow::updateFlowCount()
{
    if (!m_replay) {
        m_flowCount->clear();
        return;
    }
    m_flowCount->setText(
        tr("%1 of %2 flows").arg(m_flowFilter->rowCount()).arg(m_replay->flows().size()));
}

void MainWindow::exportFlowsDialog()
{
    if (!m_replay)
        return;
    const QString csvFilter = tr("CSV (*.csv)");
    const QString jsonFilter = tr("JSON (*.json)");
    QString selectedFilter = csvFilter;
    const QString suggestion =
        QDir(m_settings.lastDirectory())
            .filePath((m_replayIsLive ? QStringLiteral("live-") + m_liveInterface
                                      : QFileInfo(m_replay->path).completeBaseName()) +
                      QStringLiteral("-flows.csv"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export Flows"), suggestion,
                                                csvFilter + QStringLiteral(";;") + jsonFilter,
                                                &selectedFilter);
    if (path.isEmpty())
        return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != u"csv" && suffix != u"json")
        path += selectedFilter == jsonFilter ? QStringLiteral(".json") : QStringLiteral(".csv");
    m_settings.setLastDirectory(QFileInfo(path).absolutePath());
    exportFlowsTo(path);
}

void MainWindow::exportFlowsTo(const QString &path)
{
    if (!m_replay)
        return;
    std::shared_ptr<const capture::CaptureReplay> replay = m_replay;
    std::shared_ptr<const capture::EndpointAttributor> attributor = m_attributor;
    const bool json = QFileInfo(path).suffix().compare(u"json", Qt::CaseInsensitive) == 0;
    auto job = QtConcurrent::run([replay, attributor, json, path]() -> std::optional<Error> {
        const QByteArray text = json ? capture::flowReportToJson(replay->report, *attributor)
                                     : capture::flowsToCsv(replay->flows(), *attributor);
        QSaveFile file(path);
        Error error;
        error.code = ErrorCode::WriteFailed;
        error.file = path;
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
            error.detail = file.errorString();
            return error;
        }
        return std::nullopt;
    });
    whenFinished(job, this, [this, path](const std::optional<Error> &error) {
        if (error) {
            reportError(tr("Could not export the flows"), describe(*error));
            return;
        }
        statusBar()->showMessage(tr("Exported flows to %1").arg(QDir::toNativeSeparators(path)),
                                 5000);
        log(tr("Exported %1 flows to %2").arg(m_replay ? m_replay->flows().size() : 0).arg(path));
        emit flowsExported(path);
    });
}

void MainWindow::exportPacketsDialog()
{
    if (!m_replay || selectedFlows().empty())
        return;
    const QString suggestion = QDir(m_settings.lastDirectory())
                                   .filePath(QFileInfo(m_replay->path).completeBaseName() +
                                             QStringLiteral("-selected.pcap"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export Packets of Selected Flows"),
                                                suggestion, tr("pcap (*.pcap)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".pcap");
    m_settings.setLastDirectory(QFileInfo(path).absolutePath());
    exportSelectedPacketsTo(path);
}

void MainWindow::exportSelectedPacketsTo(const QString &path)
{
    if (!m_replay)
        return;
    std::vector<capture::FlowRecord> flows;
    for (std::size_t index : selectedFlows())
        flows.push_back(m_replay->flows().at(index));
    if (flows.empty())
        return;
    const QString source = m_replay->path;
    const capture::DecodeOptions decode = m_captureOptions.decode;
    statusBar()->showMessage(tr("Exporting packets to %1…").arg(QFileInfo(path).fileName()));
    auto job = QtConcurrent::run([source, flows = std::move(flows), decode, path]() {
        return capture::exportFlowPackets(source, flows, decode, path);
    });
    whenFinished(job, this, [this, path](const Result<capture::PacketExportSummary> &result) {
        if (!result) {
            statusBar()->clearMessage();
            reportError(tr("Could not export the packets"), describe(result.error()));
            return;
        }
        statusBar()->showMessage(tr("Exported %1 packets to %2")
                                     .arg(result->packetsWritten)
                                     .arg(QDir::toNativeSeparators(path)),
                                 5000);
        log(tr("Exported %1 packets of the selected flows to %2")
                .arg(result->packetsWritten)
                .arg(path));
        if (result->readError)
            log(tr("The capture is damaged part way (%1): exported the packets before the damage")
                    .arg(describe(*result->readError)));
        emit packetsExported(path, result->packetsWritten);
    });
}

} // namespace cartograph::app
