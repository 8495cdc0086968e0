# The test Kubernetes API server: a library for the kube tests and bench_kube, and a
# standalone executable for manual use with kubectl/curl. Included by tests/ and bench/;
# defined once whichever comes first.
include_guard(GLOBAL)

add_library(cartograph_test_apiserver STATIC
    ${CMAKE_CURRENT_LIST_DIR}/TestApiServer.h ${CMAKE_CURRENT_LIST_DIR}/TestApiServer.cpp)
target_include_directories(cartograph_test_apiserver PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(cartograph_test_apiserver PUBLIC Qt6::Core Qt6::Network cartograph_model
                      PRIVATE cartograph_policy)

add_executable(cartograph-test-apiserver ${CMAKE_CURRENT_LIST_DIR}/test_apiserver_main.cpp)
target_link_libraries(cartograph-test-apiserver PRIVATE cartograph_policy cartograph_test_apiserver)
