#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace cartograph {

void installTranslators(QCoreApplication &app, const QLocale &locale)
{
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;

    // Installed first, so searched last: it only supplies English plural forms.
    auto *english = new QTranslator(&app);
    if (english->load(QStringLiteral(":/i18n/cartograph_en.qm")))
        QCoreApplication::installTranslator(english);
    else
        delete english;

    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return;
    auto *native = new QTranslator(&app);
    if (native->load(locale, QStringLiteral("cartograph"), QStringLiteral("_"),
                     QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(native);
    else
        delete native;
}

} // namespace cartograph
