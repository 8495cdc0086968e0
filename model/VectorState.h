#pragma once

namespace cartograph {

// Clears the upper halves of the AVX registers (VZEROUPPER) on x86-64 CPUs that have them; a
// no-op elsewhere and in builds that target AVX themselves.
//
// Why: this baseline x86-64 build emits legacy SSE instructions, and once any code in a thread
// (a library using AVX without clearing after itself) has left those upper halves dirty, SSE
// code in that thread runs with a transition penalty. Measured: the snapshot tokenizer ran at
// 0.55x speed in the collector's threads after TLS traffic, and at the same 0.55x in a plain
// process after one 256-bit write to ymm2. Call it at the start of a hot loop; it keeps the low
// 128 bits, the only ones non-AVX code uses, and costs a few cycles.
void clearUpperVectorState();

} // namespace cartograph
