// zlib, for the Cookbook's gzip web logs (findrobots).
#ifndef FUTURESLAB_CZLIB_SHIM_H
#define FUTURESLAB_CZLIB_SHIM_H
#include <zlib.h>
#endif
