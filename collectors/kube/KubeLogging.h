#pragma once

#include <QLoggingCategory>

// Never log credentials (tokens, keys, Authorization headers) in this category.
Q_DECLARE_LOGGING_CATEGORY(lcKube)
