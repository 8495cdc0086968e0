#pragma once

#include <QLocale>

class QCoreApplication;

namespace cartograph {

// Installs Qt's own catalogue, Cartograph's English plural forms ("%n node(s)" → "1 node",
// "3 nodes") and the catalogue for `locale`'s language when there is one. Called once by each
// executable (the window and the CLI), after the application object exists.
void installTranslators(QCoreApplication &app, const QLocale &locale = QLocale());

} // namespace cartograph
