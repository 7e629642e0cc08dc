#include <stdio.h>
#include "CFuturesShim.h"

int fl_stdout_failed(void) {
    int flushed = fflush(stdout);
    return flushed != 0 || ferror(stdout) != 0;
}
