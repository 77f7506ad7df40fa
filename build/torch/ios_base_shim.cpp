// Provides std::ios_base_library_init(), which GCC 13 emits and libstdc++ < 13 lacks.
// Loaded with RTLD_GLOBAL before LibTorchSharp so that its (now unversioned) reference resolves here.
#include <ios>

namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
