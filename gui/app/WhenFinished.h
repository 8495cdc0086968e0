#pragma once

#include <QCoreApplication>
#include <QFuture>
#include <QPointer>
#include <utility>

namespace cartograph::app {

// Runs `handler` on the GUI thread with the worker's result, unless `receiver` is gone.
// Qt 6.4's QFuture::then(context, …) asserts that its context still exists when the worker
// finishes, and the receiver may have been closed by then (Qt 6.6 cancels instead). The
// application object outlives every pool task (~QCoreApplication waits for the global pool),
// so it is the context; the receiver is reached through a guard checked on the GUI thread.
template <typename T, typename Receiver, typename Handler>
void whenFinished(QFuture<T> future, Receiver *receiver, Handler handler)
{
    future.then(QCoreApplication::instance(),
                [guard = QPointer<Receiver>(receiver),
                 handler = std::move(handler)](const T &result) mutable {
                    if (guard)
                        handler(result);
                });
}

} // namespace cartograph::app
