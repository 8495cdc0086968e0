#include "CaptureLogging.h"

Q_LOGGING_CATEGORY(lcCapture, "cartograph.capture", QtInfoMsg)
